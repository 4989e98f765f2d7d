//! `seedance jobs list|show|delete` on the history the app keeps.

use crate::support::{done_job, new_job, Env};

#[test]
fn list_is_newest_first_with_the_app_s_filters() {
    let env = Env::new();
    let store = env.store();
    let video = env.dir.path().join("fox.mp4");
    let fox = done_job(&store, "a red fox in snow", &video);
    std::thread::sleep(std::time::Duration::from_millis(5));
    let owl = new_job(&store, "an owl at night");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let cat = new_job(&store, "a cat");
    store
        .set_failed(
            &cat,
            "task_failed",
            &seedance_core::i18n::Message::new("msg.job.busy"),
        )
        .unwrap();
    drop(store);

    let run = env.run(&["--json", "jobs", "list"]);
    assert_eq!(run.code, 0, "{run:?}");
    let ids: Vec<String> = run
        .json_lines()
        .iter()
        .map(|j| j["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, [cat.clone(), owl.clone(), fox.clone()]);

    let done = env
        .run(&["--json", "jobs", "list", "--status", "done"])
        .json();
    assert_eq!(done["id"], fox.as_str());
    assert_eq!(done["output_path"], video.to_str().unwrap());
    let owls = env
        .run(&["--json", "jobs", "list", "--search", "owl"])
        .json();
    assert_eq!(owls["id"], owl.as_str());
    assert_eq!(
        env.run(&["--json", "jobs", "list", "--limit", "1"]).json()["id"],
        cat.as_str()
    );
    let none = env.run(&["--json", "jobs", "list", "--batch", "no-such-batch"]);
    assert_eq!((none.code, none.stdout.as_str()), (0, ""));

    // Piped: one tab-separated line per job, with the stable status word.
    let plain = env.run(&["jobs", "list"]);
    let first: Vec<&str> = plain.stdout.lines().next().unwrap().split('\t').collect();
    assert_eq!(first[0], cat);
    assert_eq!(first[2], "failed");
    assert_eq!(first[4], "a cat");
}

#[test]
fn show_tells_everything_about_one_job() {
    let env = Env::new();
    let store = env.store();
    let id = done_job(&store, "a red fox", &env.dir.path().join("fox.mp4"));
    drop(store);
    let run = env.run(&["--json", "jobs", "show", &id]);
    assert_eq!(run.code, 0, "{run:?}");
    let job = run.json();
    assert_eq!(job["id"], id.as_str());
    assert_eq!(job["status"], "done");
    assert_eq!(job["task_id"], format!("task-{id}"));
    assert!(job.get("first_thumb").is_none());
    let human = env.run(&["jobs", "show", &id]);
    assert!(
        human.stdout.contains("a red fox") && human.stdout.contains("done"),
        "{human:?}"
    );
    let missing = env.run(&["--json", "jobs", "show", "no-such-job"]);
    assert_eq!(missing.code, 2, "{missing:?}");
    assert_eq!(missing.json()["error"]["kind"], "job_not_found");
}

#[test]
fn delete_follows_the_app_s_rules() {
    let env = Env::new();
    let store = env.store();
    let kept = env.dir.path().join("kept.mp4");
    let gone = env.dir.path().join("gone.mp4");
    let keep_file = done_job(&store, "keep my file", &kept);
    let delete_file = done_job(&store, "delete my file", &gone);
    let busy = new_job(&store, "still uploading");
    drop(store);

    let run = env.run(&["jobs", "delete", &keep_file]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(kept.is_file(), "the video stays without --file");
    let run = env.run(&["--json", "jobs", "delete", &delete_file, "--file"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["deleted"], delete_file.as_str());
    assert!(!gone.exists(), "--file deletes the job's own video");

    let run = env.run(&["--json", "jobs", "delete", &busy]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.json()["error"]["kind"], "job_busy");

    let left: Vec<String> = env
        .run(&["--json", "jobs", "list"])
        .json_lines()
        .iter()
        .map(|j| j["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(left, [busy]);
    let run = env.run(&["jobs", "delete", &keep_file]);
    assert_eq!(run.code, 2, "already gone: {run:?}");
}

/// On a terminal (here forced with --color always) the columns line up, coloured statuses included.
#[test]
fn the_terminal_table_is_aligned_with_colours() {
    let env = Env::new();
    let store = env.store();
    let done = done_job(&store, "PROMPT-A", &env.dir.path().join("a.mp4"));
    let failed = new_job(&store, "PROMPT-B");
    store
        .set_failed(
            &failed,
            "task_failed",
            &seedance_core::i18n::Message::new("msg.job.busy"),
        )
        .unwrap();
    drop(store);
    let run = env.run(&["--color", "always", "jobs", "list"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("\x1b["), "coloured: {run:?}");
    let strip = |line: &str| {
        let mut out = String::new();
        let mut in_escape = false;
        for c in line.chars() {
            match (in_escape, c) {
                (false, '\x1b') => in_escape = true,
                (true, c) if c.is_ascii_alphabetic() => in_escape = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    };
    let lines: Vec<String> = run.stdout.lines().map(strip).collect();
    assert_eq!(lines.len(), 3, "header and two jobs: {lines:?}");
    let column = |line: &str, text: &str| {
        line.find(text)
            .unwrap_or_else(|| panic!("{text} in {line}"))
    };
    let prompt_at = column(&lines[0], "Prompt");
    assert_eq!(column(&lines[1], "PROMPT-B"), prompt_at, "{lines:#?}");
    assert_eq!(column(&lines[2], "PROMPT-A"), prompt_at, "{lines:#?}");
    assert!(lines[1].starts_with(&failed) && lines[2].starts_with(&done));
}
