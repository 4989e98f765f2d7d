//! A task id whose write fails with an I/O-type error (not only a busy database) is kept in memory and
//! written once the disk takes writes again: the job is never failed, never offered a resubmit, and no
//! second create is sent. The failing disk is the store's test seam ([`Store::fail_job_steps`]), which
//! hands the step the same `StoreError` a real SQLite failure with that code converts to.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::ffi::c_int;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::ffi;
use seedance_sim::{Route, Sim, SimConfig};

use super::{sim_runner, JobEvents};
use crate::pipeline::TransferStage;
use crate::request::RequestDraft;
use crate::store::{JobRecord, JobStatus};

/// The write that records the task id ([`Store::set_task_id`]).
const TASK_ID_STEP: &str = "status = 'queued', task_id";
/// Far above what a passing run needs.
const BOUND: Duration = Duration::from_secs(20);

/// Every announced record's status and whether it offered a resubmit.
#[derive(Default)]
struct Seen(Mutex<Vec<(JobStatus, bool)>>);

impl JobEvents for Seen {
    fn job_changed(&self, job: &JobRecord) {
        self.0.lock().unwrap().push((job.status, job.can_resubmit));
    }

    fn progress(&self, _id: &str, _stage: TransferStage, _done: f64, _total: Option<f64>) {}
}

/// The run holding an unsaved task id is stopped (its lease was taken over): the id is still written
/// once the disk takes writes again, by a saver that does not die with the run.
#[tokio::test]
async fn an_unsaved_task_id_is_written_after_its_run_lost_the_lease() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (store, runner) = sim_runner(&sim, dir.path(), Arc::new(Seen::default()));
    store.fail_job_steps(Some((TASK_ID_STEP, ffi::SQLITE_IOERR_WRITE)));
    let draft = RequestDraft {
        prompt: "a heron".to_owned(),
        ..RequestDraft::default()
    };
    let job = runner.submit(draft, None).await.unwrap();
    let started = Instant::now();
    while store.job_steps_refused() == 0 {
        assert!(started.elapsed() < BOUND, "the task id's write never came");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Another process takes the job over; the run finds out and stops with the id unsaved.
    let thief = crate::store::LeaseHolder {
        owner: "thief".into(),
        pid: 0,
        host: String::new(),
    };
    assert!(store
        .take_over_lease(&job.id, &thief, runner.lease_owner())
        .unwrap());
    assert!(!runner.still_leased(&job.id));
    tokio::time::timeout(BOUND, runner.wait_idle())
        .await
        .expect("the run stops");
    assert_eq!(store.get_job(&job.id).unwrap().task_id, None);

    store.fail_job_steps(None);
    let started = Instant::now();
    loop {
        let now = store.get_job(&job.id).unwrap();
        if now.task_id.is_some() {
            assert_eq!(now.status, JobStatus::Queued, "{:?}", now.problem);
            break;
        }
        assert!(started.elapsed() < BOUND, "the task id was never written");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(sim.counts().create, 1);
}

async fn task_id_write_fails_for_a_while(code: c_int) {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let seen = Arc::new(Seen::default());
    let (store, runner) = sim_runner(&sim, dir.path(), seen.clone());

    store.fail_job_steps(Some((TASK_ID_STEP, code)));
    let draft = RequestDraft {
        prompt: "a cat".to_owned(),
        ..RequestDraft::default()
    };
    let job = runner.submit(draft, None).await.unwrap();
    // The create is answered and the id's write fails; it keeps failing on every retry for a while,
    // during which the task goes on (and finishes) at the service.
    let started = Instant::now();
    while store.job_steps_refused() == 0 {
        assert!(started.elapsed() < BOUND, "the task id's write never came");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let during = store.get_job(&job.id).unwrap();
    assert_eq!(during.task_id, None, "the writes really failed");
    assert_eq!(during.status, JobStatus::Submitting, "{:?}", during.problem);
    assert!(!during.can_resubmit);
    assert!(store.job_steps_refused() >= 3, "the write is tried again");
    assert!(
        runner.is_active(&job.id),
        "the run keeps following its task"
    );

    // The disk takes writes again.
    store.fail_job_steps(None);
    tokio::time::timeout(BOUND, runner.wait_idle())
        .await
        .expect("the job settles");
    let done = store.get_job(&job.id).unwrap();
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    let task = done.task_id.expect("the id was written later");
    // The id written is the one the service created, and it was created once.
    assert_eq!(sim.counts().create, 1);
    assert!(sim
        .requests()
        .iter()
        .any(|r| r.route == Route::GetTask && r.path.ends_with(&task.0)));
    let seen = seen.0.lock().unwrap();
    assert!(!seen.is_empty());
    assert!(
        !seen
            .iter()
            .any(|(status, again)| *status == JobStatus::Failed || *again),
        "{seen:?}"
    );
}

#[tokio::test]
async fn a_task_id_write_that_meets_an_io_error_is_kept_and_written_later() {
    task_id_write_fails_for_a_while(ffi::SQLITE_IOERR_WRITE).await;
}

#[tokio::test]
async fn a_task_id_write_that_meets_a_full_disk_is_kept_and_written_later() {
    task_id_write_fails_for_a_while(ffi::SQLITE_FULL).await;
}
