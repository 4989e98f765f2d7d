//! A batch left running while the app was closed for long: on the next start it is paused, saying why and
//! how many jobs it still has to send, instead of paying for them without asking (as a single job never
//! sent is held back). A batch left recently is fed as before.

use std::time::Duration;

use seedance_core::jobs::ResumePolicy;
use seedance_core::store::{
    BatchInserted, BatchRecord, BatchState, JobStatus, NewBatch, NewBatchJob, NewJob,
};

use super::{jobs_of, state_of, until};
use crate::support::api::within;
use crate::support::jobs::{bench, Bench};
use crate::support::text_draft;

const HOUR_MS: i64 = 3_600_000;

/// A running batch of `takes` jobs as a start leaves it in the store (its feeder not started).
fn stored(b: &Bench, name: &str, takes: u32) -> BatchRecord {
    let batch = NewBatch {
        name: name.into(),
        source: "test".into(),
        tokens_min: 0,
        tokens_max: 0,
        total_json: "{}".into(),
        demo: false,
        fingerprint: name.into(),
    };
    let jobs: Vec<NewBatchJob> = (1..=takes)
        .map(|take| NewBatchJob {
            job: NewJob {
                request: text_draft(&format!("{name} take {take}")),
                ..NewJob::default()
            },
            fingerprint: format!("{name} {take}"),
            item: 1,
            take,
            output: None,
        })
        .collect();
    match b.store.insert_batch(&batch, &jobs, None).unwrap() {
        BatchInserted::New(record) => record,
        BatchInserted::Duplicate(_) => panic!("a new batch"),
    }
}

#[tokio::test]
async fn a_batch_left_running_for_a_night_is_paused_on_start_and_a_recent_one_runs() {
    let b = bench().await;
    let old = stored(&b, "left overnight", 3);
    b.clock.advance(9 * HOUR_MS);
    let recent = stored(&b, "left a minute ago", 2);
    b.clock.advance(60_000);

    let policy = ResumePolicy {
        hold_unsent_after: Duration::from_secs(6 * 3600),
    };
    let summary = within(b.runner.resume_all_with(&policy)).await.unwrap();
    assert_eq!(
        (summary.paused_batches, summary.paused_batch_jobs),
        (1, 3),
        "{summary:?}"
    );
    within(b.runner.wait_idle()).await;
    until(|| state_of(&b.store, &recent) == BatchState::Finished).await;
    assert_eq!(b.sim.counts().create, 2, "only the recent batch was sent");

    let paused = b.runner.batch(&old.id).unwrap();
    assert_eq!(paused.state, BatchState::Paused);
    assert_eq!(paused.counts.queued, 3);
    let reason = paused.paused_reason.expect("says why");
    assert_eq!(reason.key, "msg.batch_run.paused_while_closed");
    let en = reason.text("en");
    assert!(en.contains("closed for 9 hours"), "{en}");
    assert!(en.contains("remaining 3"), "{en}");
    assert!(reason.text("zh-CN").contains("9 小时"));
    assert!(jobs_of(&b.store, &old)
        .iter()
        .all(|j| j.status == JobStatus::NotSent));
    // Starting again later does not count it twice: it is the user's to resume now.
    let again = within(b.runner.resume_all_with(&policy)).await.unwrap();
    assert_eq!(again.paused_batches, 0);

    // Resumed by the user: the reason goes, every job is sent once.
    let resumed = b.runner.resume_batch(&old.id).unwrap();
    assert_eq!(resumed.paused_reason, None);
    until(|| state_of(&b.store, &old) == BatchState::Finished).await;
    within(b.runner.wait_idle()).await;
    assert_eq!(b.sim.counts().create, 5);
}
