//! Pause, resume and cancel: a pause stops new create requests (a job caught mid-upload waits again,
//! unharmed), jobs already sent go on, resume sends the rest once, cancel fails only the never-sent ones;
//! and a job taken for sending never waits for a run that is gone.

use std::time::Duration;

use seedance_core::cost::CostRates;
use seedance_core::i18n::UserFacing;
use seedance_core::jobs::BatchRunError;
use seedance_core::request::RequestDraft;
use seedance_core::store::{
    BatchInserted, BatchState, JobStatus, NewBatch, NewBatchJob, NewJob, BATCH_CANCELLED,
};
use seedance_sim::{Fault, Route, SimConfig};

use super::{jobs_of, start, state_of, takes_of, until};
use crate::support::api::within;
use crate::support::jobs::harness;
use crate::support::pipeline::frame;
use crate::support::text_draft;

/// The first take's upload is held by the service while the batch is paused: that job must go back to
/// waiting (not fail, not send its create), and after Resume every take is created exactly once, the
/// photo uploaded only that once.
#[tokio::test]
async fn a_pause_mid_upload_sends_nothing_new_and_resume_sends_each_job_once() {
    let config = SimConfig {
        hang_for: Duration::from_millis(400),
        ..SimConfig::fast()
    };
    let h = harness(config, 1).await;
    let photo = frame(h.dir.path(), "vase.png", 1280, 720, 4);
    let form = RequestDraft {
        first_frame: Some(photo.display().to_string()),
        ..text_draft("the vase in morning light")
    };
    h.sim.push_fault(Route::UploadFile, Fault::Hang);
    let batch = start(&h.runner, &takes_of(&form, 3)).await;
    until(|| h.sim.counts().upload == 1).await;

    let paused = h.runner.pause_batch(&batch.id).unwrap();
    assert_eq!(paused.state, BatchState::Paused);
    assert_eq!(paused.counts.queued, 3, "{:?}", paused.counts);
    // Paused twice (a double click): nothing changes.
    assert_eq!(
        h.runner.pause_batch(&batch.id).unwrap().state,
        BatchState::Paused
    );
    // The held upload ends; its run sees the job waiting again and stops without failing it.
    within(h.runner.wait_idle()).await;
    let jobs = jobs_of(&h.store, &batch);
    assert!(
        jobs.iter()
            .all(|j| j.status == JobStatus::NotSent && j.problem.is_none()),
        "{jobs:?}"
    );
    assert_eq!(h.sim.counts().create, 0);
    // A paused batch's jobs are not the start-up notice's "not sent" jobs, nor sent by its Send all.
    assert_eq!(
        h.runner
            .unsent_summary(&CostRates::default())
            .unwrap()
            .count,
        0
    );
    within(h.runner.send_all_unsent()).await.unwrap();
    within(h.runner.wait_idle()).await;
    assert_eq!(h.sim.counts().create, 0);

    let resumed = h.runner.resume_batch(&batch.id).unwrap();
    assert_eq!(resumed.state, BatchState::Running);
    within(h.runner.wait_idle()).await;
    let jobs = jobs_of(&h.store, &batch);
    assert!(jobs.iter().all(|j| j.status == JobStatus::Done), "{jobs:?}");
    assert_eq!(h.sim.counts().create, 3);
    assert_eq!(h.sim.counts().upload, 1);
    assert_eq!(state_of(&h.store, &batch), BatchState::Finished);
    // A finished batch cannot be resumed or paused.
    let error = h.runner.resume_batch(&batch.id).unwrap_err();
    assert!(
        matches!(
            error,
            BatchRunError::WrongState {
                state: BatchState::Finished,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.msg().key, "msg.batch_run.cannot_resume");
}

/// Cancel after the first job's create was sent: the sent one finishes and downloads, every other one is
/// failed as never sent (nothing paid), and the outcome says how many of each.
#[tokio::test]
async fn cancel_fails_only_the_jobs_never_sent() {
    let config = SimConfig {
        queued_for: Duration::from_millis(300),
        running_for: Duration::from_millis(300),
        ..SimConfig::fast()
    };
    let h = harness(config, 1).await;
    let batch = start(&h.runner, &takes_of(&text_draft("a lighthouse in fog"), 4)).await;
    until(|| h.sim.counts().create == 1).await;

    let outcome = h.runner.cancel_batch(&batch.id).unwrap();
    assert_eq!((outcome.cancelled, outcome.still_running), (3, 1));
    assert_eq!(outcome.message.key, "msg.batch_run.cancel_outcome");
    assert!(outcome.message.text("en").contains("Already sent: 1"));
    within(h.runner.wait_idle()).await;

    assert_eq!(h.sim.counts().create, 1);
    let jobs = jobs_of(&h.store, &batch);
    assert_eq!(jobs[0].status, JobStatus::Done);
    for job in &jobs[1..] {
        assert_eq!(job.status, JobStatus::Failed);
        let problem = job.problem.as_ref().unwrap();
        assert_eq!(problem.kind, BATCH_CANCELLED);
        assert_eq!(problem.message.key, "msg.batch_run.cancelled");
        assert!(job.create_sent_at.is_none());
    }
    let record = h.runner.batch(&batch.id).unwrap();
    assert_eq!(record.state, BatchState::Cancelled);
    assert_eq!(
        (
            record.counts.done,
            record.counts.not_sent,
            record.counts.failed
        ),
        (1, 3, 0)
    );
    // Nothing left to cancel.
    let error = h.runner.cancel_batch(&batch.id).unwrap_err();
    assert_eq!(error.msg().key, "msg.batch_run.cannot_cancel");
    assert!(error.msg().text("zh-CN").contains("已取消"));
}

/// A job taken for sending whose run is gone (it ended just as Resume took the job again) is run again by
/// the feeder, not left to hold a turn forever; each job is still created once.
#[tokio::test]
async fn a_job_another_process_took_is_left_to_it_and_sent_once_after_the_next_start() {
    let h = harness(SimConfig::fast(), 2).await;
    let batch = NewBatch {
        name: "two takes".into(),
        source: "test".into(),
        tokens_min: 0,
        tokens_max: 0,
        total_json: "{}".into(),
        demo: false,
        fingerprint: "two takes".into(),
    };
    let job = |take| NewBatchJob {
        job: NewJob {
            request: text_draft("gulls over the harbour"),
            ..NewJob::default()
        },
        fingerprint: format!("take {take}"),
        item: 1,
        take,
        output: None,
    };
    let BatchInserted::New(batch) = h
        .store
        .insert_batch(&batch, &[job(1), job(2)], None)
        .unwrap()
    else {
        panic!("a new batch")
    };
    // Taken for sending straight in the store, as another process sharing the history takes a job: its
    // run is that process's. A second run here could fail the job while the other's paid create is on its
    // way, and a failed job with a sent create offers a paid Submit again.
    let first = jobs_of(&h.store, &batch)[0].id.clone();
    h.store.release_batch_job(&first).unwrap();

    h.runner.resume_batch(&batch.id).unwrap();
    let mut others_done = false;
    for _ in 0..400 {
        let jobs = jobs_of(&h.store, &batch);
        if jobs
            .iter()
            .any(|j| j.id != first && j.status == JobStatus::Done)
        {
            others_done = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(others_done, "{:?}", jobs_of(&h.store, &batch));
    assert_eq!(
        h.store.get_job(&first).unwrap().status,
        JobStatus::Uploading,
        "left to the other process"
    );
    assert!(!h.runner.is_active(&first));
    assert_eq!(h.sim.counts().create, 1);

    // The next start (the other process is gone) puts it back in its batch and sends it, once.
    within(h.runner.resume_all()).await.unwrap();
    within(h.runner.wait_idle()).await;
    let jobs = jobs_of(&h.store, &batch);
    assert!(jobs.iter().all(|j| j.status == JobStatus::Done), "{jobs:?}");
    assert_eq!(h.sim.counts().create, 2);
}

/// Pause and Resume pressed over and over in quick succession: however the feeder's exit and Resume
/// interleave, the running batch always has a feeder, every job finishes, none fails and each is created
/// once. Threads as in the app, so the feeder's exit and Resume really run at the same time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tight_pause_and_resume_loop_still_sends_every_job_once() {
    let h = harness(SimConfig::fast(), 2).await;
    let batch = start(
        &h.runner,
        &takes_of(&text_draft("swallows under a bridge"), 8),
    )
    .await;
    for round in 0..200u64 {
        match h.runner.pause_batch(&batch.id) {
            Ok(_) => {}
            // Every job went through between two presses.
            Err(BatchRunError::WrongState {
                state: BatchState::Finished,
                ..
            }) => break,
            Err(e) => panic!("{e:?}"),
        }
        tokio::time::sleep(Duration::from_micros(300 * (round % 4))).await;
        h.runner.resume_batch(&batch.id).unwrap();
        tokio::time::sleep(Duration::from_micros(500 * (round % 3))).await;
    }
    until(|| {
        jobs_of(&h.store, &batch)
            .iter()
            .all(|j| j.status.is_settled() && j.status != JobStatus::NotSent)
    })
    .await;
    within(h.runner.wait_idle()).await;
    let jobs = jobs_of(&h.store, &batch);
    assert!(
        jobs.iter().all(|j| j.status == JobStatus::Done),
        "{:?}",
        jobs.iter()
            .map(|j| (j.status, j.problem.clone()))
            .collect::<Vec<_>>()
    );
    assert_eq!(h.sim.counts().create, 8);
    assert_eq!(state_of(&h.store, &batch), BatchState::Finished);
}

/// Send, Discard and Delete are refused for a job waiting in its batch, paused or running, saying to
/// resume or cancel the batch instead: nothing is sent around the batch and the job stays in it.
#[tokio::test]
async fn send_discard_and_delete_leave_a_job_waiting_in_its_batch_alone() {
    let h = harness(SimConfig::fast(), 1).await;
    let batch = NewBatch {
        name: "harbour".into(),
        source: "test".into(),
        tokens_min: 0,
        tokens_max: 0,
        total_json: "{}".into(),
        demo: false,
        fingerprint: "harbour".into(),
    };
    let job = |take| NewBatchJob {
        job: NewJob {
            request: text_draft("boats in the harbour"),
            ..NewJob::default()
        },
        fingerprint: format!("take {take}"),
        item: 1,
        take,
        output: None,
    };
    let BatchInserted::New(batch) = h
        .store
        .insert_batch(&batch, &[job(1), job(2)], None)
        .unwrap()
    else {
        panic!("a new batch")
    };
    let [first, second] = [0, 1].map(|i| jobs_of(&h.store, &batch)[i].id.clone());
    // Running but not fed yet (as after a start whose feeder has not looked), then paused.
    for paused in [false, true] {
        if paused {
            h.runner.pause_batch(&batch.id).unwrap();
        }
        let error = within(h.runner.send_unsent(&first)).await.unwrap_err();
        assert_eq!(error.kind(), "job_in_batch", "{error:?}");
        let message = error.msg();
        assert_eq!(message.key, "msg.job.in_batch");
        assert!(message.text("en").contains("“harbour”"));
        assert!(message.text("zh-CN").contains("继续该批次"));
        let error = h.runner.discard_unsent(&second).unwrap_err();
        assert_eq!(error.kind(), "job_in_batch", "{error:?}");
        // Delete neither: the batch's counts and confirmed total include the job.
        let error = h.runner.delete(&second, false).unwrap_err();
        assert_eq!(error.kind(), "job_in_batch", "{error:?}");
        assert!(
            h.store.delete_job(&second).is_err(),
            "the store refuses too"
        );
        assert_eq!(
            h.store.get_batch(&batch.id).unwrap().unwrap().counts.queued,
            2
        );
    }
    within(h.runner.wait_idle()).await;
    assert_eq!(h.sim.counts().create, 0);
    assert!(jobs_of(&h.store, &batch)
        .iter()
        .all(|j| j.status == JobStatus::NotSent && j.problem.is_none()));
    // Its batch still sends both, once.
    h.runner.resume_batch(&batch.id).unwrap();
    until(|| state_of(&h.store, &batch) == BatchState::Finished).await;
    within(h.runner.wait_idle()).await;
    assert_eq!(h.sim.counts().create, 2);
}
