//! `seedance generate --estimate`: the app's form rules and estimate, from presets, flags, files and stdin.

use crate::support::{png, Env};

#[test]
fn the_estimate_of_the_defaults_and_of_several_takes() {
    let env = Env::new();
    let run = env.run(&[
        "--json",
        "generate",
        "--estimate",
        "--prompt",
        "a fox",
        "--takes",
        "3",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let e = run.json();
    assert_eq!(
        (e["width"].as_u64(), e["height"].as_u64()),
        (Some(1280), Some(720))
    );
    assert_eq!(e["tokens_min"], 108_900);
    assert_eq!(e["total_tokens_min"], 326_700);
    assert_eq!(e["currency"], "CNY");
    assert_eq!(e["problems"], serde_json::json!([]));
    let human = env.run(&[
        "generate",
        "--estimate",
        "--prompt",
        "a fox",
        "--takes",
        "3",
    ]);
    assert!(
        human.stdout.contains("1280×720, about 108900 tokens"),
        "{human:?}"
    );
    assert!(
        human.stdout.contains("3 takes: about 326700 tokens"),
        "{human:?}"
    );
}

#[test]
fn a_preset_then_flags_then_the_prompt_from_a_file_or_stdin() {
    let env = Env::new();
    let run = env.run(&[
        "--json",
        "generate",
        "--estimate",
        "--preset",
        "Vertical 9:16 720p",
        "--duration",
        "4",
        "--audio",
        "off",
        "--prompt",
        "x",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let e = run.json();
    assert_eq!(
        (e["width"].as_u64(), e["height"].as_u64()),
        (Some(720), Some(1280))
    );
    assert_eq!(e["tokens_min"], e["tokens_max"]);
    assert!(
        e["cost_min"].as_f64().unwrap() < 0.2,
        "audio off is the cheaper rate: {e}"
    );

    let prompt = env.dir.path().join("prompt.txt");
    std::fs::write(&prompt, "a fox\n").unwrap();
    let from_file = env.run(&[
        "--json",
        "generate",
        "--estimate",
        "--prompt-file",
        prompt.to_str().unwrap(),
    ]);
    assert_eq!(from_file.json()["problems"], serde_json::json!([]));
    let from_stdin = env.run_with_stdin(&["--json", "generate", "--estimate"], Some("a fox"));
    assert_eq!(from_stdin.json()["problems"], serde_json::json!([]));
    let none = env.run(&["--json", "generate", "--estimate"]);
    assert_eq!(none.code, 0, "an estimate needs no prompt: {none:?}");
    assert_eq!(none.json()["problems"][0]["kind"], "empty_prompt");
    let unreadable = env.run(&[
        "generate",
        "--estimate",
        "--prompt-file",
        "/no/such/prompt.txt",
    ]);
    assert_eq!(unreadable.code, 1, "{unreadable:?}");
}

#[test]
fn an_adaptive_ratio_follows_the_first_frame() {
    let env = Env::new();
    let portrait = png(env.dir.path(), "portrait.png", 360, 640);
    let run = env.run(&[
        "--json",
        "generate",
        "--estimate",
        "--prompt",
        "x",
        "--first",
        portrait.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let e = run.json();
    assert_eq!(
        (e["width"].as_u64(), e["height"].as_u64()),
        (Some(720), Some(1280))
    );
    assert_eq!(e["mode"], "first_frame");
}

#[test]
fn settings_the_service_refuses_exit_2_and_sending_without_a_terminal_needs_yes() {
    let env = Env::new();
    let run = env.run(&[
        "--json",
        "generate",
        "--estimate",
        "--prompt",
        "x",
        "--duration",
        "20",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.json()["error"]["kind"], "invalid_request");
    // Sending settings the service refuses is refused the same way, before anything else.
    let run = env.run(&[
        "--json",
        "generate",
        "--yes",
        "--prompt",
        "x",
        "--duration",
        "20",
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.json()["error"]["kind"], "invalid_request");
    // A paid request with no terminal to ask on and no --yes: nothing is sent.
    let run = env.run(&["generate", "--prompt", "x"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--yes"), "{run:?}");
}
