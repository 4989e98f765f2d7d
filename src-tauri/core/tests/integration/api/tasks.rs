//! Querying and polling tasks against the simulator.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::api::*;
use seedance_core::api::{
    poll_until_finished, ApiError, PollSchedule, ScaledTime, TaskId, TaskStatus,
};
use seedance_sim::{Fault, ResultShape, Route, SimConfig, TaskFailure, TaskScript, Vocabulary};

/// The simulator with tasks that stay in each phase long enough to be observed there.
fn slow_phases(queued: u64, running: u64) -> SimConfig {
    SimConfig {
        queued_for: Duration::from_millis(queued),
        running_for: Duration::from_millis(running),
        ..SimConfig::fast()
    }
}

#[tokio::test]
async fn get_task_reads_both_vocabularies_and_both_result_shapes() {
    let cases = [
        (
            Vocabulary::Sinan,
            ResultShape::Strings,
            ["pending", "processing", "completed"],
        ),
        (
            Vocabulary::Upstream,
            ResultShape::Objects,
            ["queued", "running", "succeeded"],
        ),
    ];
    for (vocabulary, result_shape, words) in cases {
        let sim = start(slow_phases(300, 300)).await;
        sim.script_next_task(TaskScript {
            vocabulary,
            result_shape,
            ..TaskScript::default()
        });
        let client = client_for(&sim);
        let tok = token(&sim);
        let id = within(client.create_task(&tok, &create_body()))
            .await
            .unwrap();

        let queued = within(client.get_task(&tok, &id)).await.unwrap();
        assert_eq!(
            (queued.status, queued.raw_status.as_str()),
            (TaskStatus::Queued, words[0])
        );
        assert_eq!((queued.id.clone(), queued.video_url), (id.clone(), None));

        let time = ScaledTime::new(100);
        let done = within(poll_until_finished(
            &client,
            &tok,
            &id,
            &PollSchedule::default(),
            &time,
            &time,
            |_| {},
        ))
        .await
        .unwrap();
        assert_eq!(
            (done.status, done.raw_status.as_str()),
            (TaskStatus::Done, words[2])
        );
        let url = done.video_url.unwrap();
        assert!(
            url.starts_with(&format!("{}/results/{id}.mp4?", sim.result_base())),
            "{url}"
        );
        let statuses: Vec<String> = sim.requests().iter().map(|r| r.path.clone()).collect();
        assert!(
            statuses.iter().all(|p| !p.contains('?')),
            "no query strings on API routes"
        );
    }
}

#[tokio::test]
async fn unknown_status_means_running() {
    let sim = start(slow_phases(0, 10_000)).await;
    sim.script_next_task(TaskScript {
        unknown_status_while_running: Some("warming_up".into()),
        ..TaskScript::default()
    });
    let client = client_for(&sim);
    let tok = token(&sim);
    let id = within(client.create_task(&tok, &create_body()))
        .await
        .unwrap();
    let state = within(client.get_task(&tok, &id)).await.unwrap();
    assert_eq!(
        (state.status, state.raw_status.as_str()),
        (TaskStatus::Running, "warming_up")
    );
}

#[tokio::test]
async fn failed_task_carries_its_message() {
    let sim = start(SimConfig::fast()).await;
    sim.script_next_task(TaskScript {
        fail: Some(TaskFailure {
            error_code: "OutputVideoSensitiveContentDetected".into(),
            error_msg: "内容不合规".into(),
        }),
        ..TaskScript::default()
    });
    let state = within(finished_task(&sim, &client_for(&sim))).await;
    assert_eq!(state.status, TaskStatus::Failed);
    assert_eq!(state.failure_message(), Some("内容不合规"));
    assert_eq!(
        state.error_code.as_deref(),
        Some("OutputVideoSensitiveContentDetected")
    );
    assert_eq!(state.video_url, None);
}

#[tokio::test]
async fn get_task_retries_transient_failures_and_honours_retry_after() {
    let sim = start(slow_phases(10_000, 0)).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let client = client_for(&sim).with_sleeper(sleeper.clone());
    let tok = token(&sim);
    let id = within(client.create_task(&tok, &create_body()))
        .await
        .unwrap();

    sim.push_fault(Route::GetTask, Fault::ServerError);
    assert_eq!(
        within(client.get_task(&tok, &id)).await.unwrap().status,
        TaskStatus::Queued
    );
    assert_eq!(sim.counts().get_task, 2);

    sim.push_fault(
        Route::GetTask,
        Fault::RateLimited {
            retry_after_secs: 2,
        },
    );
    within(client.get_task(&tok, &id)).await.unwrap();
    assert_eq!(sim.counts().get_task, 4);
    assert_eq!(
        sleeper.0.lock().unwrap().last(),
        Some(&Duration::from_secs(2)),
        "waited as asked"
    );

    // A garbled reply is treated as transient (proxies garble replies); it is retried like a 5xx.
    sim.push_fault(Route::GetTask, Fault::MalformedJson);
    within(client.get_task(&tok, &id)).await.unwrap();
    assert_eq!(sim.counts().get_task, 6);
}

#[tokio::test]
async fn get_task_gives_up_after_the_policy_and_never_retries_definite_errors() {
    let sim = start(slow_phases(10_000, 0)).await;
    let client = client_for(&sim);
    let tok = token(&sim);
    let id = within(client.create_task(&tok, &create_body()))
        .await
        .unwrap();

    for _ in 0..4 {
        sim.push_fault(Route::GetTask, Fault::MalformedJson);
    }
    let err = within(client.get_task(&tok, &id)).await.unwrap_err();
    assert!(matches!(err, ApiError::MalformedReply { .. }), "{err:?}");
    assert_eq!(
        sim.counts().get_task,
        4,
        "the default query policy makes 4 attempts"
    );

    let err = within(client.get_task(&tok, &TaskId("no-such-task".into())))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ApiError::Rejected { status: 404, .. }),
        "{err:?}"
    );
    let err = within(client.get_task(&wrong_token(), &id))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::InvalidToken), "{err:?}");
    assert_eq!(sim.counts().get_task, 6);
}

#[tokio::test]
async fn poll_reaches_done_reporting_each_change() {
    let sim = start(SimConfig::fast()).await;
    let client = client_for(&sim);
    let tok = token(&sim);
    let id = within(client.create_task(&tok, &create_body()))
        .await
        .unwrap();
    let time = ScaledTime::new(100);
    let mut seen = Vec::new();
    let started = Instant::now();
    let done = within(poll_until_finished(
        &client,
        &tok,
        &id,
        &PollSchedule::default(),
        &time,
        &time,
        |s| seen.push(s.status),
    ))
    .await
    .unwrap();
    assert_eq!(done.status, TaskStatus::Done);
    assert!(done.video_url.is_some());
    assert_eq!(seen.last(), Some(&TaskStatus::Done));
    assert!(
        seen.windows(2).all(|w| w[0] != w[1]),
        "only changes are reported: {seen:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    // At 100× a 3 s first wait is 30 ms, so the ~200 ms task takes a handful of polls, not hundreds.
    assert!(
        (1..=20).contains(&sim.counts().get_task),
        "{}",
        sim.counts().get_task
    );
}

/// An outage longer than the overall bound is not the task taking too long: once the service answers
/// again, the finished task is picked up.
#[tokio::test]
async fn an_outage_longer_than_the_bound_does_not_give_up_on_the_task() {
    let sim = start(slow_phases(0, 0)).await;
    let client = client_for(&sim);
    let tok = token(&sim);
    let id = within(client.create_task(&tok, &create_body()))
        .await
        .unwrap();
    // Four polls in a row fail (each with its own quick retries), backing off 6, 12, 24 and 48 s.
    for _ in 0..16 {
        sim.push_fault(Route::GetTask, Fault::ServerError);
    }
    let time = ScaledTime::new(1000);
    let schedule = PollSchedule::default().with_overall(Duration::from_secs(60));
    let state = within(poll_until_finished(
        &client,
        &tok,
        &id,
        &schedule,
        &time,
        &time,
        |_| {},
    ))
    .await
    .unwrap();
    assert!(state.status.is_finished(), "{state:?}");
}

#[tokio::test]
async fn poll_backs_off_through_errors_and_stops_at_its_bound() {
    let sim = start(slow_phases(600_000, 0)).await;
    let client = client_for(&sim);
    let tok = token(&sim);
    let id = within(client.create_task(&tok, &create_body()))
        .await
        .unwrap();
    for _ in 0..4 {
        sim.push_fault(Route::GetTask, Fault::ServerError);
    }
    let time = ScaledTime::new(1000);
    let schedule = PollSchedule::default().with_overall(Duration::from_secs(60));
    let err = within(poll_until_finished(
        &client,
        &tok,
        &id,
        &schedule,
        &time,
        &time,
        |_| {},
    ))
    .await
    .unwrap_err();
    match err {
        ApiError::GaveUpWaiting { waited } => {
            assert!(waited >= Duration::from_secs(60), "{waited:?}")
        }
        other => panic!("{other:?}"),
    }
    assert!(
        sim.counts().get_task >= 5,
        "kept polling after the failed query"
    );

    let err = within(poll_until_finished(
        &client,
        &wrong_token(),
        &id,
        &schedule,
        &time,
        &time,
        |_| {},
    ))
    .await
    .unwrap_err();
    assert!(
        matches!(err, ApiError::InvalidToken),
        "a definite error ends the wait: {err:?}"
    );
}

#[tokio::test]
async fn retries_after_a_500_or_a_garbled_reply_keep_two_seconds_apart() {
    let sim = start(slow_phases(600_000, 0)).await;
    let sleeper = Arc::new(RecordingSleeper::default());
    let client = client_for(&sim).with_sleeper(sleeper.clone());
    let tok = token(&sim);
    let id = within(client.create_task(&tok, &create_body()))
        .await
        .unwrap();
    sim.push_fault(Route::GetTask, Fault::ServerError);
    sim.push_fault(Route::GetTask, Fault::MalformedJson);
    sim.push_fault(Route::GetTask, Fault::HtmlError { status: 502 });
    let state = within(client.get_task(&tok, &id)).await.unwrap();
    assert_eq!(state.status, TaskStatus::Queued);
    assert_eq!(sim.counts().get_task, 4);
    let waits = sleeper.0.lock().unwrap().clone();
    assert_eq!(waits.len(), 3, "{waits:?}");
    assert!(
        waits
            .iter()
            .all(|w| *w >= seedance_core::api::MIN_POLL_INTERVAL),
        "a retried query came sooner than the service allows: {waits:?}"
    );
}
