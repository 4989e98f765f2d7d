//! Creating, querying and polling tasks against the simulator. The create tests pin the money rule: a
//! create that may have reached the server is never sent twice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use api_support::*;
use seedance_core::api::{
    poll_until_finished, ApiConfig, ApiError, CreateError, PollSchedule, ScaledTime, TaskId,
    TaskStatus,
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

// ---------- create ----------

#[tokio::test]
async fn create_returns_the_task_id() {
    let sim = start(SimConfig::fast()).await;
    let id = within(client_for(&sim).create_task(&token(&sim), &create_body()))
        .await
        .unwrap();
    assert_eq!(id.0.len(), 36, "a uuid: {id}");
    assert_eq!((sim.counts().create, sim.counts().create_accepted), (1, 1));
}

#[tokio::test]
async fn create_refusals_are_definite_and_classified() {
    let sim = start(SimConfig::fast()).await;
    let client = client_for(&sim);
    let tok = token(&sim);

    let bad = serde_json::json!({"prompt": "a cat", "colour": "red"});
    match within(client.create_task(&tok, &bad)).await.unwrap_err() {
        CreateError::NotSubmitted(ApiError::Rejected {
            status: 400,
            message,
        }) => {
            assert!(message.contains("unknown field `colour`"), "{message}")
        }
        other => panic!("{other:?}"),
    }

    let err = within(client.create_task(&wrong_token(), &create_body()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, CreateError::NotSubmitted(ApiError::InvalidToken)),
        "{err:?}"
    );
    sim.push_fault(Route::Create, Fault::Unauthorized);
    let err = within(client.create_task(&tok, &create_body()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, CreateError::NotSubmitted(ApiError::InvalidToken)),
        "{err:?}"
    );

    sim.push_fault(Route::Create, Fault::PaymentRequired);
    let err = within(client.create_task(&tok, &create_body()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, CreateError::NotSubmitted(ApiError::OutOfCredit)),
        "{err:?}"
    );

    sim.push_fault(
        Route::Create,
        Fault::RateLimited {
            retry_after_secs: 7,
        },
    );
    match within(client.create_task(&tok, &create_body()))
        .await
        .unwrap_err()
    {
        CreateError::NotSubmitted(ApiError::RateLimited { retry_after }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(7)))
        }
        other => panic!("{other:?}"),
    }

    assert_eq!(
        sim.counts().create,
        5,
        "each refusal was sent exactly once, none retried"
    );
    assert_eq!(sim.counts().create_accepted, 0);
}

/// Every failure after the request may have left: one request reached the server, the answer is
/// "uncertain", and nothing was resent.
#[tokio::test]
async fn create_failures_after_sending_are_uncertain_and_never_retried() {
    let faults = [
        Fault::ServerError,
        Fault::HtmlError { status: 502 },
        Fault::DropAfterRead,
        Fault::MalformedJson,
    ];
    for fault in faults {
        let sim = start(SimConfig::fast()).await;
        sim.push_fault(Route::Create, fault.clone());
        let err = within(client_for(&sim).create_task(&token(&sim), &create_body()))
            .await
            .unwrap_err();
        assert!(
            matches!(err, CreateError::SubmissionUncertain { .. }),
            "{fault:?}: {err:?}"
        );
        assert_eq!(
            sim.counts().create,
            1,
            "{fault:?}: exactly one create reached the server"
        );
    }
}

#[tokio::test]
async fn create_that_outlives_its_timeout_is_uncertain() {
    let sim = start(SimConfig {
        hang_for: Duration::from_secs(3),
        ..SimConfig::fast()
    })
    .await;
    sim.push_fault(Route::Create, Fault::Hang);
    let mut timeouts = fast_timeouts();
    timeouts.create = Duration::from_millis(300);
    let client = client_with(config_for(&sim).with_timeouts(timeouts));
    let started = Instant::now();
    let err = within(client.create_task(&token(&sim), &create_body()))
        .await
        .unwrap_err();
    match err {
        CreateError::SubmissionUncertain { reason } => {
            assert!(reason.contains("time limit"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "gave up at the client's timeout"
    );
    assert_eq!(sim.counts().create, 1);
}

#[tokio::test]
async fn create_to_a_closed_port_is_not_submitted_and_reaches_no_server() {
    let sim = start(SimConfig::fast()).await;
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config = ApiConfig::new(
        &format!("http://127.0.0.1:{closed_port}"),
        &sim.upload_base(),
    )
    .unwrap()
    .with_timeouts(fast_timeouts());
    let err = within(client_with(config).create_task(&token(&sim), &create_body()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, CreateError::NotSubmitted(ApiError::NetworkDown { .. })),
        "{err:?}"
    );
    assert_eq!(sim.counts().create, 0);
}

// ---------- get_task ----------

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

// ---------- polling ----------

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
