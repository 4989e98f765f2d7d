//! `seedance batch FILE` against the simulator on 127.0.0.1: the app's review rules row by row, the total,
//! one question, and one create per job.

use crate::send::Service;
use crate::support::{png, run_at_terminal, Env};

fn write(env: &Env, name: &str, text: &str) -> String {
    let path = env.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn a_batch_names_each_bad_row_totals_the_rest_and_sends_one_create_per_job() {
    let service = Service::fast();
    let env = service.env();
    let file = write(
        &env,
        "items.csv",
        "prompt,duration\na red fox,4\na blue bird,5\n,99\n",
    );
    // No terminal and no --yes: the review is printed, nothing is sent.
    let refused = env.run(&["batch", &file]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(refused.stderr.contains("Line 4"), "{refused:?}");
    assert!(
        refused.stdout.contains("3 items (1 left out): 2 jobs"),
        "{refused:?}"
    );
    assert_eq!(service.creates(), 0);

    let run = env.run(&["--json", "batch", &file, "--yes", "--wait"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines = run.json_lines();
    let problems: Vec<_> = lines.iter().filter(|l| l["event"] == "problem").collect();
    assert!(problems.iter().all(|p| p["line"] == 4), "{problems:?}");
    assert!(problems.iter().any(|p| p["blocking"] == true));
    let total = lines.iter().find(|l| l["event"] == "total").unwrap();
    assert_eq!(total["jobs"], 2);
    assert_eq!(total["excluded_items"], 1);
    let done: Vec<_> = lines
        .iter()
        .filter(|l| l["event"] == "job" && l["status"] == "done")
        .collect();
    assert_eq!(done.len(), 2, "{run:?}");
    assert_eq!(service.creates(), 2);
}

#[test]
fn a_file_with_nothing_to_send_exits_2() {
    let service = Service::fast();
    let env = service.env();
    let file = write(&env, "bad.csv", "prompt,duration\n,99\n");
    let run = env.run(&["--json", "batch", &file, "--yes"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.json_lines().pop().unwrap()["error"]["kind"],
        "batch_nothing_to_run"
    );
    assert_eq!(service.creates(), 0);
}

#[test]
fn a_batch_without_wait_returns_once_stored_and_jobs_watch_sends_and_finishes_the_rest() {
    let service = Service::fast();
    let env = service.env();
    let rows: String = (1..=4).map(|n| format!("fox number {n},4\n")).collect();
    let file = write(&env, "items.csv", &format!("prompt,duration\n{rows}"));
    let run = env.run(&["batch", &file, "--yes"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("seedance jobs watch"), "{run:?}");
    // Whatever was sent has its task; no create was cut off.
    let store = env.store();
    let page = store
        .list_jobs(&seedance_core::store::JobQuery::default())
        .unwrap();
    assert_eq!(page.jobs.len(), 4);
    assert!(page
        .jobs
        .iter()
        .all(|j| j.status != seedance_core::store::JobStatus::SubmissionUncertain));
    let watched = env.run(&["--json", "jobs", "watch"]);
    assert_eq!(watched.code, 0, "{watched:?}");
    let done = watched
        .json_lines()
        .into_iter()
        .filter(|l| l["event"] == "job" && l["status"] == "done")
        .count();
    let before = page
        .jobs
        .iter()
        .filter(|j| j.status == seedance_core::store::JobStatus::Done)
        .count();
    assert_eq!(done + before, 4, "{watched:?}");
    assert_eq!(service.creates(), 4, "one create per job");
}

fn stored_jobs(env: &Env) -> Vec<seedance_core::store::JobRecord> {
    let store = env.store();
    let mut jobs = store
        .list_jobs(&seedance_core::store::JobQuery::default())
        .unwrap()
        .jobs;
    jobs.reverse();
    jobs
}

/// Frames of three rows: one the service takes, one 200 px square (an upscale fixes it), one 100 px square
/// (beyond the 2× an upscale may do: no fix).
fn frames_file(env: &Env) -> String {
    let dir = env.dir.path();
    png(dir, "good.png", 640, 480);
    png(dir, "small.png", 200, 200);
    png(dir, "tiny.png", 100, 100);
    write(
        env,
        "frames.csv",
        "first,prompt\ngood.png,a red fox\nsmall.png,a blue bird\ntiny.png,a green cat\n",
    )
}

#[test]
fn frames_the_service_would_refuse_leave_their_items_out_with_the_reason_and_the_fix() {
    let service = Service::fast();
    let env = service.env();
    let file = frames_file(&env);
    // No terminal and no --yes: the review says which items are left out and how to fix them.
    let review = env.run(&["batch", &file]);
    assert_eq!(review.code, 2, "{review:?}");
    assert!(review.stderr.contains("Item 2 is left out"), "{review:?}");
    assert!(review.stderr.contains("Item 3 is left out"), "{review:?}");
    assert!(review.stderr.contains("add --fix"), "{review:?}");
    assert!(review.stderr.contains("No automatic fix"), "{review:?}");
    assert!(
        review.stdout.contains("3 items (2 left out): 1 jobs"),
        "{review:?}"
    );
    assert_eq!(service.creates(), 0);

    let run = env.run(&["--json", "batch", &file, "--yes", "--wait"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines = run.json_lines();
    let left_out: Vec<_> = lines.iter().filter(|l| l["event"] == "left_out").collect();
    assert_eq!(left_out.len(), 2, "{run:?}");
    assert_eq!(left_out[0]["item"], 2);
    assert_eq!(left_out[0]["line"], 3);
    assert_eq!(left_out[0]["slot"], "first");
    assert_eq!(left_out[0]["fixable"], true);
    assert_eq!(left_out[0]["fixes"][0]["type"], "upscale");
    assert!(left_out[0]["reasons"][0].as_str().unwrap().contains("300"));
    assert_eq!(left_out[1]["item"], 3);
    assert_eq!(left_out[1]["fixable"], false);
    let total = lines.iter().find(|l| l["event"] == "total").unwrap();
    assert_eq!(total["jobs"], 1, "{run:?}");
    assert_eq!(total["excluded_items"], 2, "{run:?}");
    assert_eq!(
        service.creates(),
        1,
        "only the item with good frames is sent"
    );
    let jobs = stored_jobs(&env);
    assert_eq!(jobs.len(), 1);
    assert!(jobs[0]
        .request
        .first_frame
        .as_deref()
        .unwrap()
        .ends_with("good.png"));
}

#[test]
fn fix_writes_a_copy_beside_the_frame_and_sends_it_instead() {
    let service = Service::fast();
    let env = service.env();
    let file = frames_file(&env);
    let run = env.run(&["--json", "batch", &file, "--fix", "--yes", "--wait"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines = run.json_lines();
    let fixed: Vec<_> = lines.iter().filter(|l| l["event"] == "fixed").collect();
    assert_eq!(fixed.len(), 1, "{run:?}");
    assert!(fixed[0]["path"].as_str().unwrap().ends_with("small.png"));
    let copy = std::path::PathBuf::from(fixed[0]["fixed"].as_str().unwrap());
    assert_eq!(copy.parent(), Some(env.dir.path()), "beside the original");
    let image = image::open(&copy).unwrap();
    assert!(image.width() >= 300 && image.height() >= 300, "{copy:?}");
    // The original is unchanged, and the frame with no fix still leaves its item out.
    assert_eq!(
        image::open(env.dir.path().join("small.png"))
            .unwrap()
            .width(),
        200
    );
    let left_out: Vec<_> = lines.iter().filter(|l| l["event"] == "left_out").collect();
    assert_eq!(left_out.len(), 1, "{run:?}");
    assert_eq!(left_out[0]["item"], 3);
    let total = lines.iter().find(|l| l["event"] == "total").unwrap();
    assert_eq!(total["jobs"], 2, "{run:?}");
    assert_eq!(service.creates(), 2);
    let jobs = stored_jobs(&env);
    let sent: Vec<&str> = jobs
        .iter()
        .map(|j| j.request.first_frame.as_deref().unwrap())
        .collect();
    assert!(sent.contains(&copy.to_str().unwrap()), "{sent:?}");
    assert!(!sent.iter().any(|p| p.ends_with("small.png")), "{sent:?}");
}

#[test]
fn preset_and_settings_flags_are_the_defaults_a_rows_own_column_wins() {
    let service = Service::fast();
    let env = service.env();
    let file = write(
        &env,
        "settings.csv",
        "prompt,duration,ratio\na red fox,,\na blue bird,5,1:1\n",
    );
    let run = env.run(&[
        "--json",
        "batch",
        &file,
        "--preset",
        "Draft 480p",
        "--duration",
        "8",
        "--ratio",
        "16:9",
        "--yes",
        "--wait",
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let jobs = stored_jobs(&env);
    assert_eq!(jobs.len(), 2, "{run:?}");
    let fox = jobs.iter().find(|j| j.prompt == "a red fox").unwrap();
    let bird = jobs.iter().find(|j| j.prompt == "a blue bird").unwrap();
    // The preset's settings, the flags over them, the row's cells over both.
    for job in [fox, bird] {
        assert_eq!(job.request.settings.resolution, "480p");
        assert!(job.request.settings.draft);
    }
    assert_eq!(fox.request.settings.duration, 8);
    assert_eq!(fox.request.settings.ratio, "16:9");
    assert_eq!(bird.request.settings.duration, 5);
    assert_eq!(bird.request.settings.ratio, "1:1");
    let unknown = env.run(&["--json", "batch", &file, "--preset", "Nope", "--yes"]);
    assert_eq!(unknown.code, 2, "{unknown:?}");
    assert_eq!(
        unknown.json_lines().pop().unwrap()["error"]["kind"],
        "preset_unknown_name"
    );
}

#[test]
fn the_same_batch_again_within_minutes_needs_again() {
    let service = Service::fast();
    let env = service.env();
    let file = write(&env, "once.csv", "prompt,duration\na red fox,4\n");
    let first = env.run(&["batch", &file, "--yes", "--wait"]);
    assert_eq!(first.code, 0, "{first:?}");
    assert_eq!(service.creates(), 1);
    // No terminal to ask on: refused, saying how to mean it.
    let refused = env.run(&["batch", &file, "--yes", "--wait"]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(refused.stderr.contains("--again"), "{refused:?}");
    let json = env.run(&["--json", "batch", &file, "--yes"]);
    assert_eq!(json.code, 2, "{json:?}");
    assert_eq!(
        json.json_lines().pop().unwrap()["error"]["kind"],
        "batch_duplicate"
    );
    assert_eq!(service.creates(), 1);
    let again = env.run(&["batch", &file, "--yes", "--wait", "--again"]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(service.creates(), 2);
    assert_eq!(stored_jobs(&env).len(), 2);
}

#[test]
fn at_a_terminal_a_yes_sends_the_same_batch_again_and_a_no_does_not() {
    let service = Service::fast();
    let env = service.env();
    let file = write(&env, "twice.csv", "prompt,duration\na red fox,4\n");
    let first = env.run(&["batch", &file, "--yes", "--wait"]);
    assert_eq!(first.code, 0, "{first:?}");
    let Some(no) = run_at_terminal(&env, &["batch", &file, "--yes", "--wait"], "n\n") else {
        eprintln!("no `script` here to make a terminal with: not tested");
        return;
    };
    // `script` passes the terminal's text through on its standard output.
    assert_eq!(no.code, 2, "{no:?}");
    assert!(no.stdout.contains("Send it again?"), "{no:?}");
    assert!(no.stdout.contains("--again"), "{no:?}");
    assert_eq!(service.creates(), 1);
    let yes = run_at_terminal(&env, &["batch", &file, "--yes", "--wait"], "y\n").unwrap();
    assert_eq!(yes.code, 0, "{yes:?}");
    assert_eq!(service.creates(), 2);
    assert_eq!(stored_jobs(&env).len(), 2);
}
