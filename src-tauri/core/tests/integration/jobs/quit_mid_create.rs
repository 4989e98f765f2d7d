//! Quitting (`JobRunner::release_leases`, as the app and the CLI do on their way out) while a run waits
//! for its create's answer: the run is spared until the answer naming the paid task is saved, then stops
//! and gives its lease back. The job stays recoverable (a known task to poll and download), never
//! uncertain by mistake, and its create is never sent again. The simulator holds the create request
//! (`Fault::Hang`) so the quit lands while the answer is awaited.

use std::time::Duration;

use crate::batch::run::until;
use crate::support::api::within;
use crate::support::jobs::harness;
use crate::support::text_draft;
use seedance_core::store::JobStatus;
use seedance_sim::{Fault, Route, SimConfig};

#[tokio::test]
async fn quitting_while_a_create_is_answered_keeps_the_task_and_gives_the_job_back() {
    let h = harness(
        SimConfig {
            hang_for: Duration::from_millis(800),
            ..SimConfig::fast()
        },
        3,
    )
    .await;
    h.sim.push_fault(Route::Create, Fault::Hang);
    let job = within(h.runner.submit(text_draft("lanterns on a river"), None))
        .await
        .unwrap();
    until(|| h.sim.counts().create == 1).await;

    h.runner.release_leases();
    assert!(
        h.store.lease(&job.id).unwrap().is_some(),
        "kept while the create's answer is awaited"
    );
    assert!(within(h.runner.wait_for_creates(Duration::from_secs(20))).await);
    within(h.runner.wait_idle()).await;

    let after = h.store.get_job(&job.id).unwrap();
    assert!(
        after.task_id.is_some(),
        "the paid task's id is saved: {after:?}"
    );
    assert_ne!(after.status, JobStatus::SubmissionUncertain);
    assert!(
        h.store.lease(&job.id).unwrap().is_none(),
        "given back once the id was safe"
    );
    assert_eq!(h.sim.counts().result, 0, "the run stopped for the quit");

    // The next start (or another process) continues from the task: no second create.
    within(h.runner.resume_all()).await.unwrap();
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert_eq!(h.sim.counts().create, 1);
}
