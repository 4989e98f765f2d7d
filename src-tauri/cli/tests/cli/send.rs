//! Sending jobs with the real binary against the simulator on 127.0.0.1, which counts the create requests
//! it receives: `generate` with and without `--wait`, its questions, spend limits, failures and their exit
//! codes, `--json` streams, and Ctrl+C at each stage of a job.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use seedance_core::store::JobStatus;
use seedance_sim::{Fault, Route, Sim, SimConfig};

use crate::support::{png, Env, Run};

/// The simulator on a loopback port, driven by a runtime of its own while the binary runs.
pub struct Service {
    pub sim: Sim,
    runtime: tokio::runtime::Runtime,
}

impl Service {
    pub fn start(config: SimConfig) -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let sim = runtime.block_on(Sim::start(config)).unwrap();
        Self { sim, runtime }
    }

    pub fn fast() -> Self {
        Self::start(SimConfig::fast())
    }

    /// A data folder whose runs use this service with its token.
    pub fn env(&self) -> Env {
        self.env_with_token(self.sim.token())
    }

    pub fn env_with_token(&self, token: &str) -> Env {
        Env::new()
            .var("SEEDANCE_API_BASE", &self.sim.api_base())
            .var("SEEDANCE_UPLOAD_BASE", &self.sim.upload_base())
            .var("SEEDANCE_API_TOKEN", token)
    }

    pub fn creates(&self) -> u64 {
        self.sim.counts().create as u64
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _guard = self.runtime.enter();
    }
}

pub fn out_dir(env: &Env) -> String {
    env.dir.path().join("videos").display().to_string()
}

/// `generate` with the flags every test here uses, then `extra`.
pub fn generate(env: &Env, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = ["generate", "--yes", "--prompt", "a red fox", "--out"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    args.push(out_dir(env));
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    args
}

pub fn run(env: &Env, args: &[String]) -> Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.run(&args)
}

fn statuses(env: &Env) -> Vec<JobStatus> {
    let store = env.store();
    let page = store
        .list_jobs(&seedance_core::store::JobQuery::default())
        .unwrap();
    page.jobs.iter().map(|j| j.status).collect()
}

#[test]
fn generate_wait_follows_to_the_file_and_streams_json() {
    let service = Service::fast();
    let env = service.env();
    let frame = png(env.dir.path(), "first.png", 640, 480);
    let mut args = vec!["--json".to_owned()];
    args.extend(generate(
        &env,
        &["--wait", "--first", frame.to_str().unwrap(), "--takes", "2"],
    ));
    let run = run(&env, &args);
    assert_eq!(run.code, 0, "{run:?}");
    let lines = run.json_lines();
    let events: Vec<&str> = lines.iter().map(|l| l["event"].as_str().unwrap()).collect();
    assert!(events.contains(&"status"), "{run:?}");
    // Bytes while uploading the frame and while downloading the video.
    let stages: Vec<&str> = lines
        .iter()
        .filter(|l| l["event"] == "progress")
        .map(|l| l["stage"].as_str().unwrap())
        .collect();
    assert!(stages.contains(&"upload_first_frame"), "{run:?}");
    assert!(stages.contains(&"download"), "{run:?}");
    let results: Vec<_> = lines.iter().filter(|l| l["event"] == "job").collect();
    assert_eq!(results.len(), 2, "{run:?}");
    for job in results {
        assert_eq!(job["status"], "done");
        let path = job["output_path"].as_str().unwrap();
        assert!(path.starts_with(&out_dir(&env)), "{path}");
        assert!(std::fs::metadata(path).unwrap().len() > 0);
    }
    assert_eq!(service.creates(), 2);
}

#[test]
fn generate_without_wait_returns_once_the_task_id_is_stored() {
    let service = Service::start(SimConfig {
        queued_for: Duration::from_secs(30),
        ..SimConfig::fast()
    });
    let env = service.env();
    let run = run(&env, &generate(&env, &[]));
    assert_eq!(run.code, 0, "{run:?}");
    let fields: Vec<&str> = run.stdout.lines().next().unwrap().split('\t').collect();
    assert_eq!(fields[1], "queued", "{run:?}");
    assert!(!fields[2].is_empty(), "the task id is printed: {run:?}");
    assert!(run.stderr.contains("seedance jobs watch"), "{run:?}");
    assert_eq!(service.creates(), 1);
    let store = env.store();
    let job = store.get_job(fields[0]).unwrap();
    assert_eq!(job.task_id.unwrap().0, fields[2]);
}

#[test]
fn nothing_is_sent_without_a_yes() {
    let service = Service::fast();
    let env = service.env();
    let run = env.run(&["generate", "--prompt", "a red fox"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--yes"), "{run:?}");
    assert_eq!(service.creates(), 0);
    assert!(statuses(&env).is_empty());
}

#[test]
fn passing_a_spend_limit_exits_5_and_sends_nothing() {
    let service = Service::fast();
    let env = service.env();
    std::fs::create_dir_all(env.data_dir()).unwrap();
    std::fs::write(
        env.data_dir().join("preferences.json"),
        r#"{"spend_limits": {"per_day": 1000}}"#,
    )
    .unwrap();
    let mut args = vec!["--json".to_owned()];
    args.extend(generate(&env, &["--wait"]));
    let run = run(&env, &args);
    assert_eq!(run.code, 5, "{run:?}");
    assert_eq!(run.json()["error"]["kind"], "spend_limit");
    assert_eq!(service.creates(), 0);
    assert!(statuses(&env).is_empty());
}

#[test]
fn a_failed_job_exits_1_and_an_unknown_create_exits_3_without_a_second_create() {
    let service = Service::fast();
    let env = service.env();
    service
        .sim
        .push_fault(Route::Create, Fault::PaymentRequired);
    let mut args = vec!["--json".to_owned()];
    args.extend(generate(&env, &["--wait"]));
    let run1 = run(&env, &args);
    assert_eq!(run1.code, 1, "{run1:?}");
    let last = run1.json_lines().pop().unwrap();
    assert_eq!(last["status"], "failed", "{run1:?}");
    assert_eq!(last["problem"]["kind"], "out_of_credit", "{run1:?}");

    // The connection breaks after the service read the create: it may have been taken.
    let env = service.env();
    service.sim.push_fault(Route::Create, Fault::DropAfterRead);
    let before = service.creates();
    let mut args = vec!["--json".to_owned()];
    args.extend(generate(&env, &["--wait"]));
    let run2 = run(&env, &args);
    assert_eq!(run2.code, 3, "{run2:?}");
    assert_eq!(
        run2.json_lines().pop().unwrap()["status"],
        "submission_uncertain"
    );
    assert_eq!(service.creates() - before, 1, "never sent twice");
}

#[test]
fn a_token_the_service_refuses_exits_4() {
    let service = Service::fast();
    let env = service.env_with_token("sk-wrong-1234");
    let mut args = vec!["--json".to_owned()];
    args.extend(generate(&env, &["--wait"]));
    let run = run(&env, &args);
    assert_eq!(run.code, 4, "{run:?}");
    assert!(!run.all().contains("sk-wrong"), "{run:?}");
}

#[test]
fn demo_mode_needs_no_token_and_follows_to_the_end() {
    let env = Env::new();
    let run = env.run(&[
        "--demo",
        "--json",
        "generate",
        "--prompt",
        "a fox",
        "--out",
        &out_dir(&env),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    let last = run.json_lines().pop().unwrap();
    assert_eq!(last["status"], "done", "{run:?}");
}
/// A running `seedance --json …` whose standard output is read line by line as it comes.
pub struct Running {
    pub child: Child,
    pub lines: mpsc::Receiver<serde_json::Value>,
}

impl Running {
    pub fn spawn(env: &Env, args: &[String]) -> Self {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = env
            .command(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                let value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Self { child, lines }
    }

    /// Reads events until one matches (at most 60 s), returning those read.
    pub fn until(&self, matches: impl Fn(&serde_json::Value) -> bool) -> Vec<serde_json::Value> {
        let mut seen = Vec::new();
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no matching event; read {seen:?}"));
            let hit = matches(&line);
            seen.push(line);
            if hit {
                return seen;
            }
        }
    }

    /// `kill SIGNAL`; then the exit code and the rest of the output.
    pub fn signal(mut self, signal: &str) -> (i32, Vec<serde_json::Value>) {
        let status = std::process::Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let code = self.child.wait().unwrap().code().unwrap_or(-1);
        let rest = self.lines.iter().collect();
        (code, rest)
    }
}

/// `seedance --json jobs watch`: every job settled, the exit code and the results.
fn watch(env: &Env) -> (i32, Vec<serde_json::Value>) {
    let run = env.run(&["--json", "jobs", "watch"]);
    let results = run
        .json_lines()
        .into_iter()
        .filter(|l| l["event"] == "job")
        .collect();
    (run.code, results)
}

/// Starts `generate --wait --json` with a frame, interrupts it once `when` matches an event, and checks
/// that the interrupted run exits 130 with the job handed over and nothing lost, then that `jobs watch`
/// finishes it with one create for the one job.
fn interrupt_then_watch(
    service: &Service,
    when: impl Fn(&serde_json::Value) -> bool,
    reached: impl Fn() -> bool,
) {
    stop_then_watch(service, "-INT", when, reached);
}

/// Signals the command once it printed a line `when` accepts and the service saw what `reached` asks
/// (a line can come before its request reaches the service), then finishes the job with `jobs watch`.
fn stop_then_watch(
    service: &Service,
    signal: &str,
    when: impl Fn(&serde_json::Value) -> bool,
    reached: impl Fn() -> bool,
) {
    let env = service.env();
    let frame = png(env.dir.path(), "first.png", 640, 480);
    let mut args = vec!["--json".to_owned()];
    args.extend(generate(
        &env,
        &["--wait", "--first", frame.to_str().unwrap()],
    ));
    let running = Running::spawn(&env, &args);
    running.until(when);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !reached() {
        assert!(
            std::time::Instant::now() < deadline,
            "the service never saw the step"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let (code, rest) = running.signal(signal);
    assert_eq!(code, 130, "{rest:?}");
    assert!(rest.iter().any(|l| l["event"] == "interrupted"), "{rest:?}");
    let job = rest.iter().find(|l| l["event"] == "job").unwrap();
    let id = job["id"].as_str().unwrap().to_owned();
    assert_ne!(job["status"], "done", "{rest:?}");
    // The lease was given back: another process may continue at once.
    let (code, results) = watch(&env);
    assert_eq!(code, 0, "{results:?}");
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(results[0]["id"], id.as_str());
    assert_eq!(results[0]["status"], "done");
    assert!(std::path::Path::new(results[0]["output_path"].as_str().unwrap()).is_file());
    assert_eq!(service.creates(), 1, "one create for one job");
    assert_eq!(statuses(&env), vec![JobStatus::Done]);
}

#[test]
fn ctrl_c_during_the_upload_loses_nothing_and_jobs_watch_finishes() {
    let service = Service::start(SimConfig {
        hang_for: Duration::from_secs(20),
        ..SimConfig::fast()
    });
    service.sim.push_fault(Route::UploadFile, Fault::Hang);
    // Bytes of the frame are on their way: the service holds the answer.
    interrupt_then_watch(
        &service,
        |l| l["stage"] == "upload_first_frame",
        || service.sim.counts().upload == 1,
    );
    let routes: Vec<_> = service
        .sim
        .requests()
        .iter()
        .map(|r| (r.route, r.status))
        .collect();
    assert_eq!(
        service.sim.counts().upload,
        2,
        "uploaded again after the interrupt: {routes:?}"
    );
}

#[test]
fn ctrl_c_while_the_service_works_loses_nothing_and_jobs_watch_finishes() {
    let service = Service::start(SimConfig {
        queued_for: Duration::from_secs(2),
        ..SimConfig::fast()
    });
    interrupt_then_watch(&service, |l| l["status"] == "queued", || true);
}

#[test]
fn ctrl_c_during_the_download_loses_nothing_and_jobs_watch_finishes() {
    let service = Service::start(SimConfig {
        hang_for: Duration::from_secs(20),
        ..SimConfig::fast()
    });
    service.sim.push_fault(Route::Result, Fault::Hang);
    interrupt_then_watch(
        &service,
        |l| l["status"] == "downloading",
        || service.sim.counts().result == 1,
    );
    assert_eq!(
        service.sim.counts().result,
        2,
        "fetched again after the interrupt"
    );
}

#[test]
fn jobs_watch_with_nothing_unfinished_exits_0() {
    let service = Service::fast();
    let env = service.env();
    let run = env.run(&["jobs", "watch"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("nothing to follow"), "{run:?}");
}

#[test]
fn sigterm_stops_like_ctrl_c() {
    let service = Service::start(SimConfig {
        queued_for: Duration::from_secs(2),
        ..SimConfig::fast()
    });
    stop_then_watch(&service, "-TERM", |l| l["status"] == "queued", || true);
}
