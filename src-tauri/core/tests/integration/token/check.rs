//! "Test token" against the simulator: each kind of answer becomes the right outcome, with one request
//! and no long retries.

use std::time::{Duration, Instant};

use seedance_core::api::{ApiConfig, SinanClient, Timeouts};
use seedance_core::secrets::ApiToken;
use seedance_core::token_check::{check_token, TokenCheck, CHECK_TASK_PREFIX};
use seedance_sim::{Fault, Route, Sim, SimConfig};

/// Each check must finish well within this.
const FAST: Duration = Duration::from_secs(2);

fn timeouts() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(1),
        get: Duration::from_secs(1),
        read_idle: Duration::from_secs(1),
        ..Timeouts::default()
    }
}

fn client_at(base: &str) -> SinanClient {
    let config = ApiConfig::new(base, base)
        .unwrap()
        .with_timeouts(timeouts());
    // The app's ordinary client, with its ordinary (real-time) retry policy: the check must not use it.
    SinanClient::new(config).unwrap()
}

async fn sim() -> Sim {
    Sim::start(SimConfig::fast()).await.unwrap()
}

async fn check(client: &SinanClient, token: &str) -> TokenCheck {
    let token = ApiToken::new(token).unwrap();
    let started = Instant::now();
    let outcome = tokio::time::timeout(FAST, check_token(client, &token))
        .await
        .expect("the check finishes quickly");
    assert!(started.elapsed() < FAST);
    outcome
}

#[tokio::test]
async fn the_right_token_is_valid() {
    let sim = sim().await;
    let outcome = check(&client_at(&sim.api_base()), sim.token()).await;
    assert_eq!(outcome, TokenCheck::Valid);
    let requests = sim.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].method, "GET");
    assert!(requests[0]
        .path
        .starts_with(&format!("/v1/tasks/{CHECK_TASK_PREFIX}")));
    assert!(requests[0].had_authorization);
    assert_eq!(requests[0].status, 404);
    assert_eq!(sim.counts().create, 0, "nothing billable is sent");
}

#[tokio::test]
async fn a_wrong_token_is_rejected() {
    let sim = sim().await;
    let outcome = check(&client_at(&sim.api_base()), "not-the-token").await;
    assert_eq!(outcome, TokenCheck::Rejected);
    assert_eq!(sim.counts().unauthorized, 1);
}

#[tokio::test]
async fn a_failing_service_is_a_service_error_without_retries() {
    let sim = sim().await;
    for _ in 0..5 {
        sim.push_fault(Route::GetTask, Fault::ServerError);
    }
    let outcome = check(&client_at(&sim.api_base()), sim.token()).await;
    assert_eq!(outcome, TokenCheck::ServiceError { status: Some(500) });
    assert_eq!(sim.counts().get_task, 1, "one request, no retries");
}

#[tokio::test]
async fn a_proxy_error_page_is_a_service_error() {
    let sim = sim().await;
    sim.push_fault(Route::GetTask, Fault::HtmlError { status: 502 });
    let outcome = check(&client_at(&sim.api_base()), sim.token()).await;
    assert_eq!(outcome, TokenCheck::ServiceError { status: Some(502) });
}

#[tokio::test]
async fn rate_limiting_is_reported_without_waiting_it_out() {
    let sim = sim().await;
    sim.push_fault(
        Route::GetTask,
        Fault::RateLimited {
            retry_after_secs: 30,
        },
    );
    let outcome = check(&client_at(&sim.api_base()), sim.token()).await;
    assert_eq!(outcome, TokenCheck::RateLimited);
}

#[tokio::test]
async fn a_closed_port_is_no_network() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let outcome = check(&client_at(&format!("http://127.0.0.1:{port}")), "any-token").await;
    assert_eq!(outcome, TokenCheck::NoNetwork);
    let msg = outcome.msg();
    assert!(msg.text("en").contains("connection") && msg.text("zh-CN").contains("网络"));
}

#[tokio::test]
async fn a_dropped_connection_is_no_network() {
    let sim = sim().await;
    sim.push_fault(Route::GetTask, Fault::DropAfterRead);
    let outcome = check(&client_at(&sim.api_base()), sim.token()).await;
    assert_eq!(outcome, TokenCheck::NoNetwork);
}

#[tokio::test]
async fn a_service_that_never_answers_is_a_service_error() {
    let sim = Sim::start(SimConfig {
        hang_for: Duration::from_secs(10),
        ..SimConfig::fast()
    })
    .await
    .unwrap();
    sim.push_fault(Route::GetTask, Fault::Hang);
    let outcome = check(&client_at(&sim.api_base()), sim.token()).await;
    assert_eq!(outcome, TokenCheck::ServiceError { status: None });
    assert_eq!(sim.counts().get_task, 1, "one request, no retries");
}
