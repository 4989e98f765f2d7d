//! A run's ending writes meet the lease and the create mark in their own statements: a run that lost its
//! lease without noticing yet writes nothing over the job another process re-sent, and a run that did not
//! send the create itself never fails a job whose create went out without a task id on record (it becomes
//! uncertain: maybe paid, never "Retry failed" paying again).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use super::run::Plan;
use super::{JobError, JobRunner};
use crate::store::{JobStatus, LeaseHolder, NewJob, Store};

fn runner() -> JobRunner {
    super::offline_runner(Arc::new(Store::open_in_memory().unwrap()))
}

fn other() -> LeaseHolder {
    LeaseHolder {
        owner: "other".into(),
        pid: 0,
        host: String::new(),
    }
}

const CRASH: JobError = JobError::RunCrashed { task_known: false };

/// This runner still believes it holds the job (its heartbeat has not come), while another process took
/// the job over and sent its create.
fn taken_over_and_resent(runner: &JobRunner) -> String {
    let store = runner.store().clone();
    let job = store.insert_job(NewJob::default()).unwrap();
    assert!(runner.take_lease(&job.id));
    assert!(store
        .take_over_lease(&job.id, &other(), runner.lease_owner())
        .unwrap());
    store.mark_create_sent_leased(&job.id, "other").unwrap();
    assert!(runner.holds_lease(&job.id), "not noticed yet");
    job.id
}

#[tokio::test]
async fn a_run_that_lost_its_lease_unnoticed_does_not_fail_the_job_another_process_sent() {
    let runner = runner();
    let id = taken_over_and_resent(&runner);
    runner.settle(&id, &Plan::Fresh, CRASH);
    let job = runner.store().get_job(&id).unwrap();
    assert_eq!(job.status, JobStatus::Submitting, "{:?}", job.problem);
}

#[tokio::test]
async fn a_crashed_run_that_lost_its_lease_unnoticed_writes_nothing() {
    let runner = runner();
    let id = taken_over_and_resent(&runner);
    runner.record_crash(&id);
    let job = runner.store().get_job(&id).unwrap();
    assert_eq!(job.status, JobStatus::Submitting, "{:?}", job.problem);
}

/// The create was sent (by an earlier run that crashed), and this run, holding the lease, ends with an
/// error: the job may be paid for, so it is uncertain, never failed.
#[tokio::test]
async fn a_run_that_did_not_send_the_create_never_fails_a_job_whose_create_was_sent() {
    let runner = runner();
    let store = runner.store().clone();
    let job = store.insert_job(NewJob::default()).unwrap();
    assert!(runner.take_lease(&job.id));
    store
        .mark_create_sent_leased(&job.id, runner.lease_owner())
        .unwrap();
    runner.settle(&job.id, &Plan::Fresh, CRASH);
    let after = store.get_job(&job.id).unwrap();
    assert_eq!(after.status, JobStatus::SubmissionUncertain, "{after:?}");
}
