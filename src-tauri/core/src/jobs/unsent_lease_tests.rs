//! A press that fails gives back only a lease nothing else uses: sending a not-sent job twice (a double
//! click) must not take the lease away from the run the first press started, which would stop that run
//! silently and leave the job "uploading" for good.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use rusqlite::ffi;

use super::{
    Connection, FixedConnection, JobError, JobRunner, NoEvents, RunnerPrefs, RunnerTiming,
};
use crate::api::ApiConfig;
use crate::prefs::{UploadRegion, DEFAULT_FILE_NAME_PATTERN};
use crate::request::RequestDraft;
use crate::secrets::ApiToken;
use crate::store::{NewJob, Store};

/// The write that moves a not-sent job back to its upload ([`Store::release_unsent`]).
const RELEASE_STEP: &str = "status = 'uploading', bytes_done = 0";

#[tokio::test]
async fn a_failed_second_send_keeps_the_lease_of_the_running_first() {
    let settings = RunnerPrefs {
        output_dir: std::env::temp_dir(),
        file_name_pattern: DEFAULT_FILE_NAME_PATTERN.to_owned(),
        upload_region: UploadRegion::Global,
        max_concurrent_jobs: 3,
    };
    let store = Arc::new(Store::open_in_memory().unwrap());
    let runner = JobRunner::new(
        store.clone(),
        Arc::new(NoEvents),
        Arc::new(FixedConnection(Connection {
            api: ApiConfig::new("http://127.0.0.1:9", "http://127.0.0.1:9").unwrap(),
            token: ApiToken::new("t").unwrap(),
            demo: false,
        })),
        Arc::new(move || settings.clone()),
        RunnerTiming::default(),
    );
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
