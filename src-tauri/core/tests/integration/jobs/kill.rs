//! Killing the app at every state of a job: a worker process runs the job against the simulator (which
//! lives in this test process), is SIGKILLed once the database shows the state, and a second worker
//! resumes. The job must end done with its video and exactly one create request, except when the create
//! request was in flight: then it ends submission uncertain, never sent twice. Each test's workers are the
//! test itself, started again with the worker's settings in its environment (`support::job_worker`).

use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::api::start;
use crate::support::job_worker;
use crate::support::pipeline::frame;
use crate::support::rerun::this_test_again;
use seedance_core::store::{JobQuery, JobRecord, JobStatus, Store};
use seedance_sim::{Counts, Fault, Route, Sim, SimConfig, SAMPLE_MP4};
use tempfile::TempDir;

/// Far above what a passing step needs.
const STEP_BOUND: Duration = Duration::from_secs(30);

/// Kills the worker if the test fails while it runs.
struct Worker(Child);

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Worker {
    /// `args` as the worker takes them: `submit [frame]` or `resume`.
    fn start(case: &Case, args: &[&str]) -> Self {
        let (sim, dir) = (&case.sim, case.dir.path());
        let mut command = this_test_again(module_path!(), case.test);
        command.env(job_worker::COMMAND, args[0]);
        if let Some(frame) = args.get(1) {
            command.env(job_worker::FRAME, frame);
        }
        let child = command
            .env("SEEDANCE_WORKER_DB", dir.join("jobs.db"))
            .env("SEEDANCE_WORKER_API", sim.api_base())
            .env("SEEDANCE_WORKER_TOKEN", sim.token())
            .env("SEEDANCE_WORKER_OUT", dir.join("videos"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .expect("the worker starts");
        Self(child)
    }

    fn kill(mut self) {
        self.0.kill().unwrap();
        self.0.wait().unwrap();
    }

    /// Waits (bounded) for the worker to exit by itself and checks it succeeded.
    async fn finish(mut self) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.0.try_wait().unwrap() {
                assert!(status.success(), "worker exited with {status}");
                return;
            }
            assert!(started.elapsed() < STEP_BOUND, "the worker did not finish");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Polls the database (bounded) until the only job is in `status` and `sim` agrees.
async fn wait_for(
    store: &Store,
    sim: &Sim,
    status: JobStatus,
    also: impl Fn(&Counts) -> bool,
) -> JobRecord {
    let started = Instant::now();
    loop {
        let jobs = store.list_jobs(&JobQuery::default()).unwrap().jobs;
        if let [job] = jobs.as_slice() {
            assert!(
                !job.status.is_settled(),
                "settled before it was caught in {status}: {job:?}"
            );
            if job.status == status && also(&sim.counts()) {
                return job.clone();
            }
        }
        assert!(
            started.elapsed() < STEP_BOUND,
            "never saw {status}: {jobs:?}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

struct Case {
    /// The test's name, which its workers run as.
    test: &'static str,
    sim: Sim,
    dir: TempDir,
    store: Store,
}

/// The set-up of the test `test`, or none when this process is one of its workers (which has then run).
async fn case(test: &'static str, config: SimConfig) -> Option<Case> {
    if job_worker::run_if_started_as_one().await {
        return None;
    }
    let sim = start(SimConfig {
        // Long enough that a held request is still held when the worker dies.
        hang_for: Duration::from_secs(60),
        ..config
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    // Created here first, so the two processes never race to create the schema.
    let store = Store::open(&dir.path().join("jobs.db")).unwrap();
    Some(Case {
        test,
        sim,
        dir,
        store,
    })
}

/// Submits in one worker, kills it once the job is in `status`, resumes in another; returns the job.
async fn kill_in(
    case: &Case,
    status: JobStatus,
    submit: &[&str],
    also: impl Fn(&Counts) -> bool,
) -> JobRecord {
    let first = Worker::start(case, submit);
    let caught = wait_for(&case.store, &case.sim, status, also).await;
    first.kill();
    Worker::start(case, &["resume"]).finish().await;
    case.store.get_job(&caught.id).unwrap()
}

fn assert_done_once(case: &Case, job: &JobRecord) {
    assert_eq!(job.status, JobStatus::Done, "{:?}", job.problem);
    let path = PathBuf::from(job.output_path.clone().unwrap());
    crate::support::assert_saved_video(&path, SAMPLE_MP4);
    assert_eq!(case.sim.counts().create, 1, "one paid task, never two");
    // The killed run's claim is continued, not abandoned: one video and no partial file left behind.
    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.iter().filter(|n| n.ends_with(".mp4")).count(),
        1,
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.ends_with(".part")), "{names:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_uploading_it_uploads_again_and_finishes() {
    let Some(case) = case(
        "killed_while_uploading_it_uploads_again_and_finishes",
        SimConfig::fast(),
    )
    .await
    else {
        return;
    };
    case.sim.push_fault(Route::UploadFile, Fault::Hang);
    let image = frame(case.dir.path(), "first.png", 1280, 720, 3);
    let image = image.display().to_string();
    let job = kill_in(&case, JobStatus::Uploading, &["submit", &image], |c| {
        c.upload == 1
    })
    .await;
    assert_done_once(&case, &job);
    assert_eq!(case.sim.counts().upload, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_the_create_is_in_flight_it_becomes_uncertain_and_is_not_resent() {
    let Some(case) = case(
        "killed_while_the_create_is_in_flight_it_becomes_uncertain_and_is_not_resent",
        SimConfig::fast(),
    )
    .await
    else {
        return;
    };
    case.sim.push_fault(Route::Create, Fault::Hang);
    let job = kill_in(&case, JobStatus::Submitting, &["submit"], |c| c.create == 1).await;
    assert_eq!(job.status, JobStatus::SubmissionUncertain);
    assert!(job.task_id.is_none());
    assert_eq!(case.sim.counts().create, 1);
    // A later start leaves it alone too.
    Worker::start(&case, &["resume"]).finish().await;
    assert_eq!(case.sim.counts().create, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_queued_it_polls_the_same_task_to_the_end() {
    let Some(case) = case(
        "killed_while_queued_it_polls_the_same_task_to_the_end",
        SimConfig {
            queued_for: Duration::from_secs(2),
            ..SimConfig::fast()
        },
    )
    .await
    else {
        return;
    };
    let job = kill_in(&case, JobStatus::Queued, &["submit"], |_| true).await;
    assert_done_once(&case, &job);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_running_it_polls_the_same_task_to_the_end() {
    let Some(case) = case(
        "killed_while_running_it_polls_the_same_task_to_the_end",
        SimConfig {
            running_for: Duration::from_secs(2),
            ..SimConfig::fast()
        },
    )
    .await
    else {
        return;
    };
    let job = kill_in(&case, JobStatus::Running, &["submit"], |_| true).await;
    assert_done_once(&case, &job);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_downloading_it_downloads_again() {
    let Some(case) = case(
        "killed_while_downloading_it_downloads_again",
        SimConfig::fast(),
    )
    .await
    else {
        return;
    };
    case.sim.push_fault(Route::Result, Fault::Hang);
    let job = kill_in(&case, JobStatus::Downloading, &["submit"], |c| {
        c.result == 1
    })
    .await;
    assert_done_once(&case, &job);
    assert_eq!(case.sim.counts().result, 2);
}
