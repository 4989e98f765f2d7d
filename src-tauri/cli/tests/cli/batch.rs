//! `seedance batch FILE` against the simulator on 127.0.0.1: the app's review rules row by row, the total,
//! one question, and one create per job.

use crate::send::Service;
use crate::support::Env;

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
