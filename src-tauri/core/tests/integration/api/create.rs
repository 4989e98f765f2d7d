//! Creating tasks against the simulator. These tests pin the money rule: a create that may have
//! reached the server is never sent twice, and only provably unsent ones are retried.

use std::time::{Duration, Instant};

use crate::support::api::*;
use seedance_core::api::{ApiConfig, ApiError, CreateError};
use seedance_sim::{Fault, Route, SimConfig};

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
