//! The three faces of every command (terminal, pipe, `--json`), the locale, `--help`, completions and
//! usage errors.

use std::process::Command;

use crate::support::Env;

const ESC: &str = "\x1b[";

#[test]
fn piped_output_is_plain_tab_separated_lines() {
    let env = Env::new();
    let run = env.run(&["presets", "list"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stdout.contains(ESC), "{run:?}");
    let first = run.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("Draft 480p\t"),
        "no header when piped: {first}"
    );
    // NO_COLOR changes nothing when piped; CLICOLOR_FORCE and --color always give the terminal's form.
    let plain = env
        .command(&["presets", "list"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(plain.stdout).unwrap(), run.stdout);
    let forced = env
        .command(&["presets", "list"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    let forced = String::from_utf8(forced.stdout).unwrap();
    let always = env.run(&["--color", "always", "presets", "list"]);
    for text in [&forced, &always.stdout] {
        assert!(text.contains(ESC), "{text}");
        let header = text.lines().next().unwrap();
        assert!(
            header.contains("Name") && header.contains("Settings"),
            "{header}"
        );
        assert!(!text.contains('\t'), "aligned with spaces: {text}");
    }
    let never = env
        .command(&["--color", "never", "presets", "list"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8(never.stdout).unwrap().contains(ESC));
}

#[test]
fn json_is_one_object_per_line_without_colours() {
    let env = Env::new();
    let run = env.run(&["--json", "--color", "always", "presets", "list"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stdout.contains(ESC));
    let lines = run.json_lines();
    assert_eq!(lines.len(), 4, "the four built-in starters");
    assert!(lines
        .iter()
        .all(|l| l["builtin"] == true && l["settings"]["resolution"].is_string()));
}

#[test]
fn messages_follow_the_locale_and_lang_wins() {
    let env = Env::new();
    let zh = env
        .command(&["presets", "show", "nope"])
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert_eq!(zh.status.code(), Some(2));
    let text = String::from_utf8(zh.stderr).unwrap();
    assert!(text.contains("没有名为“nope”的预设"), "{text}");
    let en = env
        .command(&["--lang", "en", "presets", "show", "nope"])
        .env("LC_ALL", "zh_CN.UTF-8")
        .output()
        .unwrap();
    let text = String::from_utf8(en.stderr).unwrap();
    assert!(text.contains("There is no preset named “nope”"), "{text}");
    let messages = env
        .command(&["presets", "show", "nope"])
        .env("LANG", "en_US.UTF-8")
        .env("LC_MESSAGES", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert!(String::from_utf8(messages.stderr)
        .unwrap()
        .contains("没有名为"));
}

#[test]
fn every_subcommand_has_help_with_the_exit_codes() {
    let env = Env::new();
    let commands: &[&[&str]] = &[
        &[],
        &["generate"],
        &["jobs"],
        &["jobs", "list"],
        &["jobs", "show"],
        &["jobs", "delete"],
        &["presets"],
        &["presets", "list"],
        &["presets", "show"],
        &["presets", "export"],
        &["presets", "import"],
        &["token"],
        &["token", "set"],
        &["token", "test"],
        &["token", "remove"],
        &["token", "status"],
        &["frames"],
        &["frames", "check"],
        &["completions"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let run = env.run(&args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        assert!(run.stdout.contains("Usage: seedance"), "{args:?}: {run:?}");
    }
    for command in [&[][..], &["generate"], &["jobs"], &["token"]] {
        let mut args = command.to_vec();
        args.push("--help");
        let run = env.run(&args);
        assert!(run.stdout.contains("130  interrupted"), "{args:?}: {run:?}");
        assert!(run.stdout.contains("4    token problem"), "{args:?}");
    }
    assert!(
        !env.data_dir().exists(),
        "help opens no database and creates no data folder"
    );
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    for args in [
        &["--no-such-flag"][..],
        &["jobs", "list", "--status", "exploded"],
        &["generate", "--estimate", "--ratio", "5:4"],
        &["generate", "--estimate", "--last", "x.png"],
        &["frames", "check"],
    ] {
        let run = env.run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
    }
}

#[test]
fn completions_for_every_shell() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = env.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {run:?}");
        assert!(run.stdout.contains("seedance"), "{shell}");
        assert!(
            run.stdout.contains("presets"),
            "{shell}: subcommands are completed"
        );
    }
}

/// Ctrl+C ends the command by SIGINT (nothing catches it while nothing is in flight), which a shell reports
/// as exit 130; a token being typed is not kept.
#[cfg(unix)]
#[test]
fn an_interrupt_ends_the_command_as_130() {
    use std::os::unix::process::ExitStatusExt;
    let env = Env::new();
    let mut child = env
        .command(&["token", "set"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // It now waits for the token on its standard input, which stays open.
    std::thread::sleep(std::time::Duration::from_millis(300));
    // The shell's own `kill`: no procps needed.
    let killed = Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(2), "{status:?}");
}
