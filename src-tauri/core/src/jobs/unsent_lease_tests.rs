//! A press that fails gives back only a lease nothing else uses: sending a not-sent job twice (a double
//! click) must not take the lease away from the run the first press started, which would stop that run
//! silently and leave the job "uploading" for good.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use rusqlite::ffi;

use super::JobError;
use crate::request::RequestDraft;
use crate::store::{NewJob, Store};

/// The write that moves a not-sent job back to its upload ([`Store::release_unsent`]).
const RELEASE_STEP: &str = "status = 'uploading', bytes_done = 0";

#[tokio::test]
async fn a_failed_second_send_keeps_the_lease_of_the_running_first() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    let runner = super::offline_runner(store.clone());
    let job = store
        .insert_job(NewJob {
            request: RequestDraft {
                prompt: "a kite".to_owned(),
                ..RequestDraft::default()
            },
            ..NewJob::default()
        })
        .unwrap();
    store.hold_unsent(&job.id).unwrap();
    // The first press's run is going (it claimed the job and holds its lease).
    assert!(runner.claim(&job.id));
    assert!(runner.take_lease(&job.id));
    // The second press gets past its checks; its own write is refused.
    store.fail_job_steps(Some((RELEASE_STEP, ffi::SQLITE_IOERR_WRITE)));
    let second = runner.send_unsent(&job.id).await;
    assert!(second.is_err());
    assert!(!matches!(second, Err(JobError::Busy { .. })));
    assert!(
        runner.holds_lease(&job.id),
        "the running press keeps its lease"
    );
    assert_eq!(
        store.lease(&job.id).unwrap().unwrap().owner,
        runner.lease_owner()
    );
}
