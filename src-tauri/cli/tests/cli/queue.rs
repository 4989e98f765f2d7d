//! `seedance jobs download | retry | resubmit` against the simulator on 127.0.0.1: the free steps never
//! create a task, the paid one asks first and creates exactly one.

use std::time::Duration;

use seedance_core::i18n::Message;
use seedance_core::store::JobStatus;
use seedance_sim::{Fault, Route, SimConfig};

use crate::send::{generate, run, Service};
use crate::support::{Env, Run};

/// A job sent without `--wait`: the command returned once its task id was stored.
fn sent_job(service: &Service, env: &Env) -> String {
    let sent = run(env, &generate(env, &[]));
    assert_eq!(sent.code, 0, "{sent:?}");
    let id = sent.stdout.split('\t').next().unwrap().to_owned();
    assert_eq!(service.creates(), 1);
    id
}

fn result_of(run: &Run) -> serde_json::Value {
    run.json_lines()
        .into_iter()
        .rfind(|l| l["event"] == "job")
        .unwrap_or_else(|| panic!("no result: {run:?}"))
}

#[test]
fn jobs_download_follows_an_unfinished_job_to_its_file_without_a_create() {
    let service = Service::start(SimConfig {
        queued_for: Duration::from_secs(1),
        ..SimConfig::fast()
    });
    let env = service.env();
    let id = sent_job(&service, &env);
    let fetched = env.run(&["--json", "jobs", "download", &id]);
    assert_eq!(fetched.code, 0, "{fetched:?}");
    let job = result_of(&fetched);
    assert_eq!(job["status"], "done", "{fetched:?}");
    assert!(std::path::Path::new(job["output_path"].as_str().unwrap()).is_file());
    // A done job: its file, nothing fetched again.
    let results = service.sim.counts().result;
    let again = env.run(&["jobs", "download", &id]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(service.sim.counts().result, results);
    assert_eq!(service.creates(), 1);
}

#[test]
fn jobs_retry_fetches_a_failed_download_again_without_a_create() {
    let service = Service::fast();
    let env = service.env();
    let id = sent_job(&service, &env);
    env.store()
        .set_failed(&id, "network_down", &Message::new("msg.job.marked_failed"))
        .unwrap();
    let retried = env.run(&["--json", "jobs", "retry", &id]);
    assert_eq!(retried.code, 0, "{retried:?}");
    assert_eq!(result_of(&retried)["status"], "done", "{retried:?}");
    assert_eq!(service.creates(), 1, "a retry never creates a task");
    // Nothing left to fetch for a done job.
    let again = env.run(&["--json", "jobs", "retry", &id]);
    assert_eq!(again.code, 1, "{again:?}");
    assert_eq!(again.json()["error"]["kind"], "job_nothing_to_download");
}

#[test]
fn jobs_resubmit_asks_then_creates_one_new_job() {
    let service = Service::fast();
    let env = service.env();
    // The service read the create and the connection broke: only the user may send it again.
    service.sim.push_fault(Route::Create, Fault::DropAfterRead);
    let sent = run(&env, &generate(&env, &["--wait"]));
    assert_eq!(sent.code, 3, "{sent:?}");
    let id = sent.stdout.split('\t').next().unwrap().to_owned();
    assert_eq!(service.creates(), 1);
    let refused = env.run(&["jobs", "resubmit", &id]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(refused.stderr.contains("--yes"), "{refused:?}");
    assert_eq!(service.creates(), 1);
    let again = env.run(&["--json", "jobs", "resubmit", &id, "--yes", "--wait"]);
    assert_eq!(again.code, 0, "{again:?}");
    let job = result_of(&again);
    assert_eq!(job["status"], "done", "{again:?}");
    assert_ne!(job["id"], id.as_str());
    assert_eq!(service.creates(), 2);
    // Submitted again once only.
    let twice = env.run(&["--json", "jobs", "resubmit", &id, "--yes"]);
    assert_eq!(twice.code, 1, "{twice:?}");
    assert_eq!(service.creates(), 2);
}

/// Waits for `child` at most `limit`, then kills it; what it printed.
fn wait_bounded(mut child: std::process::Child, limit: Duration) -> Run {
    let deadline = std::time::Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn jobs_watch_follows_jobs_another_process_creates_while_it_runs() {
    use std::process::Stdio;
    // The first job stays queued long enough for the second to be sent while `watch` follows it.
    let service = Service::start(SimConfig {
        queued_for: Duration::from_secs(6),
        ..SimConfig::fast()
    });
    let env = service.env();
    let first = sent_job(&service, &env);
    let mut watch = env
        .command(&["--json", "jobs", "watch"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    // Another process sends a job while `watch` follows the first.
    let out = crate::send::out_dir(&env);
    let second = env.run(&[
        "generate",
        "--yes",
        "--prompt",
        "a blue bird",
        "--out",
        &out,
    ]);
    assert_eq!(second.code, 0, "{second:?}");
    let second = second.stdout.split('\t').next().unwrap().to_owned();
    assert_eq!(service.creates(), 2);
    assert!(
        watch.try_wait().unwrap().is_none(),
        "watch ended before the second job was sent (a very slow machine?)"
    );
    let watched = wait_bounded(watch, Duration::from_secs(60));
    assert_eq!(watched.code, 0, "{watched:?}");
    let done: Vec<String> = watched
        .json_lines()
        .into_iter()
        .filter(|l| l["event"] == "job" && l["status"] == "done")
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(done.contains(&first), "{watched:?}");
    assert!(
        done.contains(&second),
        "the other process's job: {watched:?}"
    );
    let store = env.store();
    assert_eq!(store.get_job(&second).unwrap().status, JobStatus::Done);
    assert_eq!(service.creates(), 2, "nothing sent twice");
}
