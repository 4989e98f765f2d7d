//! `seedance frames check [--fix]`: the app's intake checks, fixed copies beside the original, never an
//! overwrite.

use crate::support::{png, Env};

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_good_frame_passes_and_a_wide_one_fails_without_fix() {
    let env = Env::new();
    let dir = env.dir.path().join("frames");
    std::fs::create_dir_all(&dir).unwrap();
    let good = png(&dir, "good.png", 640, 360);
    let wide = png(&dir, "wide.png", 1200, 400);
    let run = env.run(&["frames", "check", good.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("can be used (PNG, 640×360"), "{run:?}");

    let run = env.run(&[
        "--json",
        "frames",
        "check",
        good.to_str().unwrap(),
        wide.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines = run.json_lines();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(lines[1]["ok"], false);
    assert_eq!(lines[1]["problems"][0]["kind"], "too_wide");
    assert_eq!(lines[1]["fixed"], serde_json::Value::Null);
    assert_eq!(
        files_in(&dir),
        ["good.png", "wide.png"],
        "nothing written without --fix"
    );
}

#[test]
fn fix_writes_a_conforming_copy_beside_and_never_overwrites() {
    let env = Env::new();
    let dir = env.dir.path().join("frames");
    std::fs::create_dir_all(&dir).unwrap();
    let wide = png(&dir, "wide.png", 1200, 400);
    let before = std::fs::read(&wide).unwrap();
    let run = env.run(&["--json", "frames", "check", "--fix", wide.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    let fixed = run.json()["fixed"].as_str().unwrap().to_owned();
    assert!(
        std::path::Path::new(&fixed).starts_with(&dir),
        "beside the original: {fixed}"
    );
    let again = env.run(&["--json", "frames", "check", &fixed]);
    assert_eq!(again.code, 0, "the copy passes: {again:?}");
    assert_eq!(
        std::fs::read(&wide).unwrap(),
        before,
        "the original is unchanged"
    );

    let second = env.run(&["--json", "frames", "check", "--fix", wide.to_str().unwrap()]);
    assert_eq!(second.code, 0, "{second:?}");
    let second_path = second.json()["fixed"].as_str().unwrap().to_owned();
    assert_ne!(second_path, fixed, "a taken name is never overwritten");
    assert_eq!(files_in(&dir).len(), 3, "{:?}", files_in(&dir));
}

#[test]
fn a_frame_no_fix_can_cure_and_a_file_that_is_no_image_fail() {
    let env = Env::new();
    let dir = env.dir.path().join("frames");
    std::fs::create_dir_all(&dir).unwrap();
    let tiny = png(&dir, "tiny.png", 100, 100);
    let text = dir.join("notes.png");
    std::fs::write(&text, "hello").unwrap();
    let run = env.run(&[
        "--json",
        "frames",
        "check",
        "--fix",
        tiny.to_str().unwrap(),
        text.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    let lines = run.json_lines();
    assert_eq!(lines[0]["problems"][0]["kind"], "too_small");
    assert_eq!(lines[0]["problems"][0]["fixable"], false);
    assert!(lines[1]["error"]["kind"].is_string(), "{}", lines[1]);
    assert_eq!(files_in(&dir), ["notes.png", "tiny.png"], "no copy written");
    let missing = env.run(&["frames", "check", dir.join("gone.png").to_str().unwrap()]);
    assert_eq!(missing.code, 1, "{missing:?}");
    assert!(missing.stderr.contains("gone.png"), "{missing:?}");
}
