//! After a batch: "Retry failed" fetches the free ones again without a create request, resubmits only the
//! paid ones the user confirmed (each once, linked by `retry_of`), and never resubmits an uncertain job.
//! The results export lists every job with its place, status, task and reason.

use std::sync::Arc;
use std::time::Duration;

use seedance_core::batch::{export_results, ResultsFormat};
use seedance_core::cost::CostRates;
use seedance_core::i18n::UserFacing;
use seedance_core::jobs::{BatchRunError, JobError, SpendConsent, SpendPolicy};
use seedance_core::spend::SpendLimits;
use seedance_core::store::{
    BatchInserted, BatchState, JobQuery, JobStatus, NewBatch, NewBatchJob, NewJob, BATCH_CANCELLED,
};
use seedance_sim::{Fault, Route, SimConfig, TaskFailure, TaskScript};

use super::{jobs_of, start, state_of, takes_of, until};
use crate::support::api::within;
use crate::support::jobs::harness;
use crate::support::text_draft;

/// Four takes, one at a time: the first create's answer is lost (uncertain), the second's video link is
/// refused twice (failed, its task known), and the batch is cancelled while the second runs (the last two
/// never sent).
#[tokio::test]
async fn retry_fetches_free_ones_first_and_resubmits_only_confirmed_paid_ones_once() {
    let config = SimConfig {
        queued_for: Duration::from_millis(300),
        running_for: Duration::from_millis(300),
        ..SimConfig::fast()
    };
    let h = harness(config, 1).await;
    h.sim.push_fault(Route::Create, Fault::DropAfterRead);
    for _ in 0..2 {
        h.sim
            .push_fault(Route::Result, Fault::HtmlError { status: 403 });
    }
    let batch = start(&h.runner, &takes_of(&text_draft("a lighthouse in fog"), 4)).await;
    until(|| h.sim.counts().create == 2).await;
    h.runner.cancel_batch(&batch.id).unwrap();
    within(h.runner.wait_idle()).await;
    let jobs = jobs_of(&h.store, &batch);
    assert_eq!(jobs[0].status, JobStatus::SubmissionUncertain);
    assert_eq!(jobs[1].status, JobStatus::Failed);
    assert!(jobs[1].task_id.is_some());
    for job in &jobs[2..] {
        assert_eq!(job.problem.as_ref().unwrap().kind, BATCH_CANCELLED);
    }
    assert_eq!(h.sim.counts().create, 2);

    let plan = h.runner.batch_retry_plan(&batch.id).unwrap();
    assert_eq!(plan.free, 1);
    assert_eq!(plan.uncertain, 1);
    assert_eq!(plan.paid_ids, [jobs[2].id.clone(), jobs[3].id.clone()]);
    let tokens: u64 = jobs[2..]
        .iter()
        .filter_map(|j| j.tokens_estimate)
        .map(u64::from)
        .sum();
    assert_eq!(plan.paid_tokens, tokens);
    assert_eq!(
        plan.paid_without_estimate,
        jobs[2..]
            .iter()
            .filter(|j| j.tokens_estimate.is_none())
            .count() as u32
    );

    // Nothing paid confirmed: only the free one, and no create request.
    let free = within(h.runner.retry_batch(&batch.id, &[], SpendConsent::NotGiven))
        .await
        .unwrap();
    assert_eq!((free.downloading, free.resubmitted, free.kept), (1, 0, 0));
    assert_eq!(free.message.key, "msg.batch_run.retry_outcome");
    within(h.runner.wait_idle()).await;
    assert_eq!(
        h.store.get_job(&jobs[1].id).unwrap().status,
        JobStatus::Done
    );
    assert_eq!(h.sim.counts().create, 2);

    // The confirmed ones, each once; an id not among the paid ones (the uncertain job) is not sent.
    let mut confirmed = plan.paid_ids.clone();
    confirmed.push(jobs[0].id.clone());
    let paid = within(
        h.runner
            .retry_batch(&batch.id, &confirmed, SpendConsent::NotGiven),
    )
    .await
    .unwrap();
    assert_eq!((paid.downloading, paid.resubmitted, paid.kept), (0, 2, 0));
    within(h.runner.wait_idle()).await;
    assert_eq!(h.sim.counts().create, 4);
    for job in &jobs[2..] {
        let again = h
            .store
            .get_job(job.id.as_str())
            .unwrap()
            .resubmitted_as
            .unwrap();
        let again = h.store.get_job(&again).unwrap();
        assert_eq!(again.retry_of.as_deref(), Some(job.id.as_str()));
        assert_eq!(again.status, JobStatus::Done, "{:?}", again.problem);
    }
    assert_eq!(
        h.store.get_job(&jobs[0].id).unwrap().status,
        JobStatus::SubmissionUncertain
    );

    // A second press (or a stale plan) pays for nothing more.
    let again = within(
        h.runner
            .retry_batch(&batch.id, &confirmed, SpendConsent::NotGiven),
    )
    .await
    .unwrap();
    assert_eq!((again.downloading, again.resubmitted), (0, 0));
    within(h.runner.wait_idle()).await;
    assert_eq!(h.sim.counts().create, 4);
    let after = h.runner.batch_retry_plan(&batch.id).unwrap();
    assert_eq!(
        (after.free, after.paid_ids.len(), after.uncertain),
        (0, 0, 1)
    );
}

#[tokio::test]
async fn the_results_file_lists_every_job_in_item_order_as_csv_or_json() {
    let h = harness(SimConfig::fast(), 2).await;
    let batch = start(&h.runner, &takes_of(&text_draft("a vase, \"blue\""), 3)).await;
    until(|| {
        jobs_of(&h.store, &batch)
            .iter()
            .all(|j| j.status == JobStatus::Done)
    })
    .await;
    let jobs = jobs_of(&h.store, &batch);

    let csv_path = h.dir.path().join("results.csv");
    let written = export_results(&h.store, &batch.id, &csv_path).unwrap();
    assert_eq!(written.rows, 3);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 4);
    for (take, (line, job)) in lines[1..].iter().zip(&jobs).enumerate() {
        let task = job.task_id.as_ref().unwrap();
        assert!(
            line.starts_with(&format!("1,{},done,{},", take + 1, task.0)),
            "{line}"
        );
    }

    let json_path = h.dir.path().join("results.JSON");
    assert_eq!(ResultsFormat::for_path(&json_path), ResultsFormat::Json);
    export_results(&h.store, &batch.id, &json_path).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert_eq!(json[2]["take"], 3);
    assert_eq!(
        json[0]["output_path"].as_str(),
        jobs[0].output_path.as_deref()
    );

    let missing = export_results(&h.store, "no-such-batch", &csv_path).unwrap_err();
    assert_eq!(
        seedance_core::i18n::UserFacing::kind(&missing),
        "batch_not_found"
    );
}

/// The ETA of a running batch: none to learn from before the first video, then learned from the videos
/// made; none for a batch that is paused or finished.
#[tokio::test]
async fn the_eta_is_learned_from_the_first_videos_and_only_shown_while_running() {
    use seedance_core::jobs::BatchEta;
    let config = SimConfig {
        queued_for: Duration::from_millis(200),
        running_for: Duration::from_millis(200),
        ..SimConfig::fast()
    };
    let h = harness(config, 1).await;
    let first = start(&h.runner, &takes_of(&text_draft("a kite over dunes"), 2)).await;
    assert_eq!(
        h.runner.batch_eta(&first.id).unwrap(),
        Some(BatchEta::NoHistory)
    );
    within(h.runner.wait_idle()).await;
    until(|| h.store.get_batch(&first.id).unwrap().unwrap().counts.done == 2).await;
    until(|| h.runner.batch_eta(&first.id).unwrap().is_none()).await;

    let second = start(&h.runner, &takes_of(&text_draft("a kite over the sea"), 3)).await;
    match h.runner.batch_eta(&second.id).unwrap() {
        // Three jobs one at a time, each about as long as the first batch's (a few hundred ms each).
        Some(BatchEta::Remaining { millis }) => assert!(millis > 0 && millis < 60_000, "{millis}"),
        other => panic!("{other:?}"),
    }
    h.runner.pause_batch(&second.id).unwrap();
    assert_eq!(h.runner.batch_eta(&second.id).unwrap(), None);
    h.runner.resume_batch(&second.id).unwrap();
    within(h.runner.wait_idle()).await;
}

/// Two takes cancelled before either was sent: retrying them pays again, so past the day's limit nothing
/// is retried until the user says yes; then each copy takes its original's place, and the batch's counts,
/// its job list and its results file show the copies.
#[tokio::test]
async fn paid_retries_ask_about_the_spend_limit_and_take_their_originals_place() {
    let h = harness(SimConfig::fast(), 2).await;
    let jobs: Vec<NewBatchJob> = (1..=2)
        .map(|take| NewBatchJob {
            job: NewJob {
                request: text_draft("a kite over the dunes"),
                tokens_estimate: Some(108_900),
                ..NewJob::default()
            },
            fingerprint: format!("take {take}"),
            item: 1,
            take,
            output: None,
        })
        .collect();
    let new_batch = NewBatch {
        name: "dunes".into(),
        source: "test".into(),
        tokens_min: 217_800,
        tokens_max: 217_800,
        total_json: "{}".into(),
        demo: false,
        fingerprint: "dunes".into(),
    };
    let BatchInserted::New(batch) = h.store.insert_batch(&new_batch, &jobs, None).unwrap() else {
        panic!("a new batch")
    };
    h.runner.cancel_batch(&batch.id).unwrap();
    let originals: Vec<String> = jobs_of(&h.store, &batch)
        .into_iter()
        .map(|j| j.id)
        .collect();
    let plan = h.runner.batch_retry_plan(&batch.id).unwrap();
    assert_eq!(plan.paid_ids, originals);

    h.runner.set_spend_policy(Arc::new(|| SpendPolicy {
        limits: SpendLimits {
            per_day: Some(150_000),
            ..SpendLimits::default()
        },
        rates: CostRates::default(),
        zone: jiff::tz::TimeZone::UTC,
    }));
    let asked = within(
        h.runner
            .retry_batch(&batch.id, &plan.paid_ids, SpendConsent::NotGiven),
    )
    .await
    .unwrap_err();
    let BatchRunError::Job(JobError::SpendLimit(question)) = &asked else {
        panic!("{asked:?}");
    };
    assert_eq!(question.breaches[0].estimate.tokens, 217_800);
    assert!(asked
        .msg()
        .text("en")
        .contains("submitting the failed jobs again"));
    assert_eq!(h.store.count_jobs(&JobQuery::default()).unwrap(), 2);
    assert_eq!(h.sim.counts().create, 0);

    let retried = within(
        h.runner
            .retry_batch(&batch.id, &plan.paid_ids, SpendConsent::Given),
    )
    .await
    .unwrap();
    assert_eq!(retried.resubmitted, 2);
    within(h.runner.wait_idle()).await;
    assert_eq!(h.sim.counts().create, 2);

    let members = h.store.batch_members(&batch.id).unwrap();
    let places: Vec<(u32, u32)> = members.iter().map(|m| (m.item, m.take)).collect();
    assert_eq!(places, [(1, 1), (1, 2)]);
    for (member, original) in members.iter().zip(&originals) {
        assert_eq!(member.job.retry_of.as_deref(), Some(original.as_str()));
        assert_eq!(member.job.status, JobStatus::Done);
        let place = member.job.batch.as_ref().unwrap();
        assert_eq!(
            (place.id.as_str(), place.take),
            (batch.id.as_str(), member.take)
        );
        assert_eq!(
            h.store.batch_of(original).unwrap(),
            None,
            "the original left"
        );
    }
    let counts = h.runner.batch(&batch.id).unwrap().counts;
    assert_eq!((counts.done, counts.failed, counts.not_sent), (2, 0, 0));
    let listed = h
        .store
        .list_jobs(&JobQuery {
            batch: Some(batch.id.clone()),
            ..JobQuery::default()
        })
        .unwrap();
    assert!(listed.jobs.iter().all(|j| j.retry_of.is_some()) && listed.jobs.len() == 2);
    let path = h.dir.path().join("dunes.json");
    let written = export_results(&h.store, &batch.id, &path).unwrap();
    assert_eq!(written.rows, 2);
    let json = std::fs::read_to_string(&path).unwrap();
    // The copies' tasks (the originals never had one).
    for member in &members {
        let task = member.job.task_id.as_ref().unwrap();
        assert!(json.contains(&task.0), "{json}");
    }
    // The originals are no longer the batch's to retry.
    let after = h.runner.batch_retry_plan(&batch.id).unwrap();
    assert!(after.paid_ids.is_empty());
}

/// A finished batch whose failed job is fetched again, or submitted again, says "running" while that job
/// runs and finishes again when it ends (it used to stay "finished" over a running job).
#[tokio::test]
async fn a_finished_batch_runs_again_while_a_retried_job_runs_then_finishes_again() {
    let h = harness(SimConfig::fast(), 1).await;
    // One at a time: the first task fails at the service (only a paid resubmit helps); the second's video
    // link is refused twice (failed with its task known: fetching again is free).
    h.sim.script_next_task(TaskScript {
        fail: Some(TaskFailure {
            error_code: "content_policy".into(),
            error_msg: "refused".into(),
        }),
        ..TaskScript::default()
    });
    for _ in 0..2 {
        h.sim
            .push_fault(Route::Result, Fault::HtmlError { status: 403 });
    }
    let batch = start(&h.runner, &takes_of(&text_draft("a kite over dunes"), 2)).await;
    until(|| state_of(&h.store, &batch) == BatchState::Finished).await;
    within(h.runner.wait_idle()).await;
    let jobs = jobs_of(&h.store, &batch);
    assert!(
        jobs.iter().all(|j| j.status == JobStatus::Failed),
        "{jobs:?}"
    );
    let creates = h.sim.counts().create;

    h.runner.retry_download(&jobs[1].id).unwrap();
    assert_eq!(state_of(&h.store, &batch), BatchState::Running);
    until(|| state_of(&h.store, &batch) == BatchState::Finished).await;
    within(h.runner.wait_idle()).await;
    assert_eq!(
        h.store.get_job(&jobs[1].id).unwrap().status,
        JobStatus::Done
    );

    let again = within(h.runner.resubmit(&jobs[0].id, SpendConsent::NotGiven))
        .await
        .unwrap();
    assert_eq!(state_of(&h.store, &batch), BatchState::Running);
    until(|| state_of(&h.store, &batch) == BatchState::Finished).await;
    within(h.runner.wait_idle()).await;
    assert_eq!(h.store.get_job(&again.id).unwrap().status, JobStatus::Done);
    assert_eq!(h.sim.counts().create, creates + 1);
}
