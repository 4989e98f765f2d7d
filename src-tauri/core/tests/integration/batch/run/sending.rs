//! A started batch: stored whole before anything is sent, then each job sent exactly once through the
//! ordinary queue; identical frames uploaded once; refusals store nothing.

use std::collections::HashSet;
use std::time::Duration;

use seedance_core::batch::from_paths;
use seedance_core::i18n::Message;
use seedance_core::i18n::UserFacing;
use seedance_core::jobs::{BatchRunError, BatchStart, Intent, JobError, SpendConsent};
use seedance_core::pipeline::PipelineError;
use seedance_core::request::{FrameSlot, RequestDraft};
use seedance_core::store::{
    BatchInserted, BatchRefusal, BatchState, JobQuery, JobStatus, NewBatch, NewBatchJob, NewJob,
    Store, StoreError,
};
use seedance_sim::{Fault, Route, SimConfig};

use super::{jobs_of, start, state_of, takes_of};
use crate::support::api::within;
use crate::support::batch::plan_with;
use crate::support::jobs::harness;
use crate::support::pipeline::frame;
use crate::support::text_draft;

#[tokio::test]
async fn every_job_is_stored_before_the_first_create_and_each_is_sent_once() {
    let h = harness(SimConfig::fast(), 2).await;
    let plan = takes_of(&text_draft("a red kite over the dunes"), 5);
    let batch = start(&h.runner, &plan).await;
    assert_eq!(batch.counts.total(), 5, "{:?}", batch.counts);
    assert_eq!(batch.state, BatchState::Running);
    assert_eq!(batch.tokens_max, plan.total.tokens_max);
    // Every job's record exists, with its place in the batch, whatever has been sent so far.
    let stored = jobs_of(&h.store, &batch);
    assert_eq!(stored.len(), 5);
    assert!(stored.iter().all(|j| j.tokens_estimate.is_some()));

    within(h.runner.wait_idle()).await;
    let jobs = jobs_of(&h.store, &batch);
    assert!(jobs.iter().all(|j| j.status == JobStatus::Done), "{jobs:?}");
    assert_eq!(h.sim.counts().create, 5);
    let finished = h.runner.batch(&batch.id).unwrap();
    assert_eq!(finished.state, BatchState::Finished);
    assert_eq!((finished.counts.done, finished.counts.total()), (5, 5));
    assert_eq!(h.output_files().len(), 5);
    // The history lists them like any other job, and the batch among the batches.
    assert_eq!(h.store.count_jobs(&JobQuery::default()).unwrap(), 5);
    assert_eq!(h.runner.batches().unwrap().len(), 1);
}

/// The batch's jobs share the runner's limit: replaying the announcements, never more than two jobs are
/// past their create and not yet settled at once (and two are, so the batch does run in parallel).
#[tokio::test]
async fn a_batch_runs_no_more_jobs_at_once_than_the_limit() {
    let h = harness(SimConfig::fast(), 2).await;
    let batch = start(&h.runner, &takes_of(&text_draft("rain on a tin roof"), 6)).await;
    within(h.runner.wait_idle()).await;
    assert_eq!(h.runner.batch(&batch.id).unwrap().counts.done, 6);
    let most = most_at_once(&h.events.changes(), |status| {
        use JobStatus::*;
        matches!(status, Submitting | Queued | Running | Downloading)
    });
    assert_eq!(most, 2);
}

/// Replaying the announcements in order: the most jobs that were in a status `counted` at once.
fn most_at_once(changes: &[(String, JobStatus)], counted: impl Fn(JobStatus) -> bool) -> usize {
    let mut live = HashSet::new();
    let mut most = 0;
    for (id, status) in changes {
        if counted(*status) {
            live.insert(id);
        } else {
            live.remove(id);
        }
        most = most.max(live.len());
    }
    most
}

/// A batch takes a job only when a turn is free: one taken ahead of its turn would wait for it as
/// "uploading", and the batch's card would count more jobs running than may run at once.
#[tokio::test]
async fn a_batch_takes_no_job_ahead_of_its_turn() {
    let h = harness(SimConfig::fast(), 2).await;
    let batch = start(&h.runner, &takes_of(&text_draft("fog over the harbour"), 6)).await;
    within(h.runner.wait_idle()).await;
    assert_eq!(h.runner.batch(&batch.id).unwrap().counts.done, 6);
    let most = most_at_once(&h.events.changes(), |status| {
        use JobStatus::*;
        matches!(
            status,
            Uploading | Submitting | Queued | Running | Downloading
        )
    });
    assert_eq!(most, 2);
}

/// Four takes of one photo with three jobs at a time: the photo is uploaded once and the other takes
/// reuse it (they would all miss the upload cache if they uploaded at the same time).
#[tokio::test]
async fn identical_frames_upload_once() {
    let h = harness(SimConfig::fast(), 3).await;
    let photo = frame(h.dir.path(), "shoe.png", 1280, 720, 9);
    let form = RequestDraft {
        first_frame: Some(photo.display().to_string()),
        ..text_draft("the shoe turns slowly")
    };
    let batch = start(&h.runner, &takes_of(&form, 4)).await;
    within(h.runner.wait_idle()).await;
    let jobs = jobs_of(&h.store, &batch);
    assert!(jobs.iter().all(|j| j.status == JobStatus::Done), "{jobs:?}");
    let uploads = h
        .sim
        .requests()
        .iter()
        .filter(|r| r.route == Route::UploadFile)
        .count();
    assert_eq!(uploads, 1, "{:?}", h.sim.requests());
    assert_eq!(h.sim.counts().create, 4);
    // Each keeps the photo's thumbnail, read once for the four.
    assert!(jobs
        .iter()
        .all(|j| h.store.get_job(&j.id).unwrap().first_thumb.is_some()));
}

/// Two copies of one photo under different names, sent at the same time: the upload cache knows them by
/// their bytes, and the batch does not upload the second copy while the first is on its way either.
#[tokio::test]
async fn copies_of_one_photo_at_different_paths_upload_once() {
    // The first upload takes a while, so the copy's job would start its own meanwhile.
    let config = SimConfig {
        hang_for: Duration::from_millis(300),
        ..SimConfig::fast()
    };
    let h = harness(config, 3).await;
    h.sim.push_fault(Route::UploadFile, Fault::Hang);
    let photo = frame(h.dir.path(), "shoe.png", 1280, 720, 9);
    let copy = h.dir.path().join("shoe copy.png");
    std::fs::copy(&photo, &copy).unwrap();
    let other = frame(h.dir.path(), "boot.png", 1280, 720, 40);
    let source = from_paths(&[photo, copy, other]).unwrap();
    let plan = plan_with(&source, "the shoe turns slowly", &[]);
    assert_eq!(plan.jobs.len(), 3, "{:?}", plan.items);
    let batch = start(&h.runner, &plan).await;
    within(h.runner.wait_idle()).await;
    let jobs = jobs_of(&h.store, &batch);
    assert!(jobs.iter().all(|j| j.status == JobStatus::Done), "{jobs:?}");
    assert_eq!(h.sim.counts().upload, 2, "{:?}", h.sim.requests());
    assert_eq!(h.sim.counts().create, 3);
    assert_eq!(jobs[0].first_frame_url, jobs[1].first_frame_url);
}

/// A frame that cannot be sent refuses the whole batch, naming its item, and stores nothing.
#[tokio::test]
async fn a_bad_frame_refuses_the_batch_and_stores_nothing() {
    let h = harness(SimConfig::fast(), 2).await;
    let good = frame(h.dir.path(), "good.png", 1280, 720, 1);
    let tiny = frame(h.dir.path(), "tiny.png", 200, 200, 2);
    let source = from_paths(&[good, tiny]).unwrap();
    let plan = plan_with(&source, "a slow pan", &[]);
    assert_eq!(plan.jobs.len(), 2, "{:?}", plan.items);
    let error = within(h.runner.start_batch(BatchStart {
        name: "photos",
        source: &Message::new("msg.batch_source.images").arg("count", 2),
        plan: &plan,
        intent: Intent::Once,
        spend: SpendConsent::NotGiven,
    }))
    .await
    .unwrap_err();
    assert!(
        matches!(error, BatchRunError::Item { item: 2, .. }),
        "{error:?}"
    );
    assert_eq!(error.msg().key, "msg.batch_run.item_refused");
    assert!(error.msg().text("zh-CN").contains("第 2 项"));
    assert!(h.runner.batches().unwrap().is_empty());
    assert_eq!(h.store.count_jobs(&JobQuery::default()).unwrap(), 0);
    assert_eq!(h.sim.counts().upload + h.sim.counts().create, 0);
}

/// Frames are checked several at a time, but the refusal still names the first item in item order that
/// cannot be sent: item 2's photo (too wide for the model, found only after decoding it whole) and not
/// item 4's HEIC file, which is refused at its first bytes and so finishes first. Items 1 and 3 share a
/// good photo.
#[tokio::test]
async fn checked_in_parallel_the_refusal_names_the_first_failing_item() {
    let h = harness(SimConfig::fast(), 2).await;
    let good = frame(h.dir.path(), "good.png", 1280, 720, 1);
    let wide = frame(h.dir.path(), "wide.png", 3200, 1000, 2);
    let heic = h.dir.path().join("phone.heic");
    std::fs::write(&heic, b"\0\0\0\x18ftypheic\0\0\0\0mif1heic\0\0\0\0").unwrap();
    let source = from_paths(&[good.clone(), wide, good, heic]).unwrap();
    let plan = plan_with(&source, "a slow pan", &[]);
    assert_eq!(plan.jobs.len(), 4, "{:?}", plan.items);
    let error = within(h.runner.start_batch(BatchStart {
        name: "photos",
        source: &Message::new("msg.batch_source.images").arg("count", 4),
        plan: &plan,
        intent: Intent::Once,
        spend: SpendConsent::NotGiven,
    }))
    .await
    .unwrap_err();
    let BatchRunError::Item {
        item: 2,
        error: why,
    } = &error
    else {
        panic!("{error:?}");
    };
    assert!(
        matches!(
            **why,
            JobError::Pipeline(PipelineError::FrameOutOfLimits {
                slot: FrameSlot::First,
                ..
            })
        ),
        "{why:?}"
    );
    assert!(h.runner.batches().unwrap().is_empty());
    assert_eq!(h.sim.counts().upload + h.sim.counts().create, 0);
}

/// The same batch started twice moments apart (a double click) is refused unless asked for.
#[tokio::test]
async fn the_same_batch_twice_is_refused_unless_confirmed() {
    let h = harness(SimConfig::fast(), 2).await;
    let plan = takes_of(&text_draft("waves at dawn"), 2);
    let first = start(&h.runner, &plan).await;
    let source = Message::new("msg.batch_source.form").arg("takes", 2);
    let again = |intent| {
        h.runner.start_batch(BatchStart {
            name: "catalogue",
            source: &source,
            plan: &plan,
            intent,
            spend: SpendConsent::NotGiven,
        })
    };
    let error = within(again(Intent::Once)).await.unwrap_err();
    match &error {
        BatchRunError::Duplicate { batch_id, .. } => assert_eq!(batch_id, &first.id),
        other => panic!("{other:?}"),
    }
    assert_eq!(error.msg().key, "msg.batch_run.duplicate");
    let second = within(again(Intent::Repeat)).await.unwrap();
    assert_ne!(second.id, first.id);
    within(h.runner.wait_idle()).await;
    assert_eq!(h.sim.counts().create, 4);
    assert_eq!(state_of(&h.store, &second), BatchState::Finished);
}

/// The batch and its jobs are one transaction: a job that cannot be written leaves no batch and no job.
#[test]
fn a_batch_is_stored_whole_or_not_at_all() {
    let store = Store::open_in_memory().unwrap();
    let job = |retry_of: Option<&str>, take| NewBatchJob {
        job: NewJob {
            request: text_draft("one of two"),
            retry_of: retry_of.map(str::to_owned),
            ..NewJob::default()
        },
        fingerprint: format!("job {take}"),
        item: 1,
        take,
        output: None,
    };
    let batch = NewBatch {
        name: "two".into(),
        source: "test".into(),
        tokens_min: 1,
        tokens_max: 2,
        total_json: "{}".into(),
        demo: false,
        fingerprint: "batch".into(),
    };
    // The second job names a job that does not exist.
    let jobs = [job(None, 1), job(Some("no-such-job"), 2)];
    assert!(store.insert_batch(&batch, &jobs, None).is_err());
    assert!(store.list_batches().unwrap().is_empty());
    assert_eq!(store.count_jobs(&JobQuery::default()).unwrap(), 0);
    // Without it, the batch and its job are stored, the job waiting as not sent.
    store.insert_batch(&batch, &jobs[..1], None).unwrap();
    let listed = store.list_batches().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].counts.queued, 1);
}

/// The feeder's step from waiting to sending checks the batch in the same write: once a pause or cancel
/// has committed, no job of the batch can be taken for sending, and one taken just before is held back.
#[test]
fn a_paused_or_cancelled_batch_gives_no_job_to_send() {
    let store = Store::open_in_memory().unwrap();
    let job = |take| NewBatchJob {
        job: NewJob {
            request: text_draft("a take"),
            ..NewJob::default()
        },
        fingerprint: format!("take {take}"),
        item: 1,
        take,
        output: None,
    };
    let batch = NewBatch {
        name: "takes".into(),
        source: "test".into(),
        tokens_min: 1,
        tokens_max: 1,
        total_json: "{}".into(),
        demo: false,
        fingerprint: "takes".into(),
    };
    let BatchInserted::New(batch) = store.insert_batch(&batch, &[job(1), job(2)], None).unwrap()
    else {
        panic!("a new batch")
    };
    let ids: Vec<String> = store
        .batch_jobs(&batch.id)
        .unwrap()
        .into_iter()
        .map(|j| j.id)
        .collect();
    let status = |id: &str| store.get_job(id).unwrap().status;

    store.pause_batch(&batch.id).unwrap().unwrap();
    assert!(matches!(
        store.release_batch_job(&ids[0]),
        Err(StoreError::IllegalTransition { .. })
    ));
    assert_eq!(status(&ids[0]), JobStatus::NotSent);

    store.resume_batch(&batch.id).unwrap().unwrap();
    store.release_batch_job(&ids[0]).unwrap();
    assert_eq!(status(&ids[0]), JobStatus::Uploading);
    // Taken once only.
    assert!(store.release_batch_job(&ids[0]).is_err());
    // A pause now holds the taken job back.
    assert_eq!(
        store.pause_batch(&batch.id).unwrap().unwrap(),
        vec![ids[0].clone()]
    );
    assert_eq!(status(&ids[0]), JobStatus::NotSent);

    let cancelled = store
        .cancel_batch(
            &batch.id,
            &seedance_core::i18n::Message::new("msg.batch_run.cancelled"),
        )
        .unwrap()
        .unwrap();
    assert_eq!((cancelled.jobs.len(), cancelled.still_running), (2, 0));
    assert!(store.release_batch_job(&ids[1]).is_err());
    assert_eq!(status(&ids[1]), JobStatus::Failed);
    assert_eq!(
        store.resume_batch(&batch.id).unwrap(),
        Err(BatchRefusal::State(BatchState::Cancelled))
    );
}
