//! The app killed mid-batch: the first runner lives on a runtime of its own that is shut down (every task
//! dropped at its next wait, as in a crash), then a second runner opens the same database file and starts
//! as the app does. The simulator lives on the test's own runtime throughout and counts every create
//! request. The shutdown is waited for: a worker thread finishes the poll it is in (and may run a few more
//! before it notices), and a task of the first runner still writing after the second one has started
//! would be two processes sharing the history, not a crash.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use seedance_core::jobs::JobRunner;
use seedance_core::store::{BatchRecord, BatchState, JobStatus, Store};
use seedance_sim::{Sim, SimConfig};
use tokio::runtime::{Builder, Runtime};

use super::{jobs_of, start, state_of, takes_of, until};
use crate::support::api::{self, within};
use crate::support::jobs::{runner_for, Recorder};
use crate::support::text_draft;

const JOBS: u32 = 6;

fn runtime(threads: usize) -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .unwrap()
}

/// A runner on the database in `dir`, as the app makes one when it starts.
fn open(sim: &Sim, dir: &Path) -> (Arc<Store>, JobRunner) {
    let store = Arc::new(Store::open(&dir.join("jobs.db")).unwrap());
    let events = Arc::new(Recorder::default());
    let runner = runner_for(sim, &store, &events, dir, false, 2);
    (store, runner)
}

/// Starts a batch of [`JOBS`] takes on a runner of its own runtime, lets `before_crash` act once two
/// creates have reached the service, then kills that runtime.
fn start_and_crash(
    sim: &Sim,
    dir: &Path,
    before_crash: impl FnOnce(&JobRunner, &BatchRecord),
) -> BatchRecord {
    let first = runtime(1);
    let batch = first.block_on(async {
        let (_store, runner) = open(sim, dir);
        let batch = start(
            &runner,
            &takes_of(&text_draft("paper boats on a pond"), JOBS),
        )
        .await;
        until(|| sim.counts().create >= 2).await;
        before_crash(&runner, &batch);
        batch
    });
    first.shutdown_timeout(Duration::from_secs(10));
    batch
}

#[test]
fn after_a_crash_mid_batch_every_job_is_sent_once_and_none_twice() {
    let main = runtime(2);
    let sim = main.block_on(api::start(SimConfig::fast()));
    let dir = tempfile::tempdir().unwrap();
    let batch = start_and_crash(&sim, dir.path(), |_, _| {});
    let created_before = sim.counts().create;
    assert!(
        created_before < JOBS,
        "the crash came too late to test anything"
    );

    main.block_on(async {
        let (store, runner) = open(&sim, dir.path());
        let summary = within(runner.resume_all()).await.unwrap();
        // A job caught before its create went back to its batch: not restarted around it, not held
        // back for the start-up notice.
        assert_eq!((summary.restarted, summary.not_sent), (0, 0), "{summary:?}");
        within(runner.wait_idle()).await;
        let jobs = jobs_of(&store, &batch);
        assert_eq!(jobs.len(), JOBS as usize);
        // Every job was sent; one whose create was in flight at the crash is uncertain, never sent again.
        assert!(jobs.iter().all(|j| j.create_sent_at.is_some()), "{jobs:?}");
        let done = jobs.iter().filter(|j| j.status == JobStatus::Done).count();
        let uncertain = jobs
            .iter()
            .filter(|j| j.status == JobStatus::SubmissionUncertain)
            .count();
        assert_eq!(done + uncertain, JOBS as usize, "{jobs:?}");
        let creates = sim.counts().create as usize;
        assert!(
            creates >= done && creates <= JOBS as usize,
            "{creates} creates for {JOBS} jobs"
        );
        let mut tasks: Vec<_> = jobs.iter().filter_map(|j| j.task_id.clone()).collect();
        tasks.sort_by(|a, b| a.0.cmp(&b.0));
        tasks.dedup();
        assert_eq!(tasks.len(), done, "each done job has a task of its own");
        assert_eq!(state_of(&store, &batch), BatchState::Finished);
        // Starting once more sends nothing.
        within(runner.resume_all()).await.unwrap();
        within(runner.wait_idle()).await;
        assert_eq!(sim.counts().create as usize, creates);
    });
}

#[test]
fn a_pause_survives_a_crash_and_resume_sends_the_rest_once() {
    let main = runtime(2);
    let sim = main.block_on(api::start(SimConfig::fast()));
    let dir = tempfile::tempdir().unwrap();
    let batch = start_and_crash(&sim, dir.path(), |runner, batch| {
        runner.pause_batch(&batch.id).unwrap();
    });

    main.block_on(async {
        let (store, runner) = open(&sim, dir.path());
        within(runner.resume_all()).await.unwrap();
        within(runner.wait_idle()).await;
        let created_after_restart = sim.counts().create;
        assert_eq!(state_of(&store, &batch), BatchState::Paused);
        let waiting = jobs_of(&store, &batch)
            .iter()
            .filter(|j| j.status == JobStatus::NotSent)
            .count();
        assert!(waiting > 0, "the crash came too late to test anything");
        assert_eq!(sim.counts().create, created_after_restart);

        runner.resume_batch(&batch.id).unwrap();
        within(runner.wait_idle()).await;
        let jobs = jobs_of(&store, &batch);
        assert!(jobs.iter().all(|j| j.create_sent_at.is_some()), "{jobs:?}");
        assert_eq!(
            sim.counts().create as usize,
            created_after_restart as usize + waiting,
            "each waiting job sent once after Resume"
        );
        assert_eq!(state_of(&store, &batch), BatchState::Finished);
    });
}
