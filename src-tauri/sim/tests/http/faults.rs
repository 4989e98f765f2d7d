use std::time::{Duration, Instant};

use seedance_sim::{Fault, Route, Sim, SimConfig};
use serde_json::{json, Value};

use crate::{client, client_with_timeout, create_task, post_create, start, CREATE_PATH};

#[tokio::test]
async fn server_error_applies_once() {
    let sim = start().await;
    sim.push_fault(Route::Create, Fault::ServerError);
    let response = post_create(&sim, &json!({"prompt": "a"})).await;
    assert_eq!(response.status(), 500);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["message"].is_string(), "{body}");
    assert_eq!(
        post_create(&sim, &json!({"prompt": "a"})).await.status(),
        200
    );
    let counts = sim.counts();
    assert_eq!((counts.create, counts.create_accepted), (2, 1));
}

#[tokio::test]
async fn rate_limited_sends_retry_after() {
    let sim = start().await;
    sim.push_fault(
        Route::GetTask,
        Fault::RateLimited {
            retry_after_secs: 7,
        },
    );
    let id = create_task(&sim).await;
    let response = client()
        .get(format!("{}/v1/tasks/{id}", sim.api_base()))
        .bearer_auth(sim.token())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "7");
}

#[tokio::test]
async fn unauthorized_even_with_the_right_token() {
    let sim = start().await;
    sim.push_fault(Route::Create, Fault::Unauthorized);
    assert_eq!(
        post_create(&sim, &json!({"prompt": "a"})).await.status(),
        401
    );
    assert_eq!(sim.counts().unauthorized, 1);
    assert_eq!(sim.counts().create_accepted, 0);
}

#[tokio::test]
async fn payment_required_mentions_balance() {
    let sim = start().await;
    sim.push_fault(Route::Create, Fault::PaymentRequired);
    let response = post_create(&sim, &json!({"prompt": "a"})).await;
    assert_eq!(response.status(), 402);
    let text = response.text().await.unwrap();
    assert!(text.to_lowercase().contains("balance"), "{text}");
}

#[tokio::test]
async fn hang_outlasts_a_short_client_timeout() {
    let sim = Sim::start(SimConfig {
        hang_for: Duration::from_secs(2),
        ..SimConfig::fast()
    })
    .await
    .unwrap();
    sim.push_fault(Route::Create, Fault::Hang);
    let error = client_with_timeout(Duration::from_millis(200))
        .post(format!("{}{CREATE_PATH}", sim.api_base()))
        .bearer_auth(sim.token())
        .json(&json!({"prompt": "a"}))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(sim.counts().create, 1);
}

#[tokio::test]
async fn hang_answers_normally_afterwards() {
    let sim = Sim::start(SimConfig {
        hang_for: Duration::from_millis(400),
        ..SimConfig::fast()
    })
    .await
    .unwrap();
    sim.push_fault(Route::Create, Fault::Hang);
    let started = Instant::now();
    let response = post_create(&sim, &json!({"prompt": "a"})).await;
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(response.status(), 200);
    assert_eq!(sim.counts().create_accepted, 1);
}

#[tokio::test]
async fn drop_after_read_gives_a_connection_error_without_status() {
    let sim = start().await;
    sim.push_fault(Route::Create, Fault::DropAfterRead);
    let http = client();
    let url = format!("{}{CREATE_PATH}", sim.api_base());
    let big_prompt = "x".repeat(2000);
    let error = http
        .post(&url)
        .bearer_auth(sim.token())
        .json(&json!({"prompt": big_prompt}))
        .send()
        .await
        .unwrap_err();
    assert!(error.status().is_none(), "{error:?}");
    assert!(!error.is_timeout(), "{error:?}");
    assert!(error.is_request(), "{error:?}");
    let counts = sim.counts();
    assert_eq!((counts.create, counts.create_accepted), (1, 0));
    assert_eq!(sim.requests()[0].status, 0);
    // The same client recovers on a fresh connection.
    let response = http
        .post(&url)
        .bearer_auth(sim.token())
        .json(&json!({"prompt": "a"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(sim.counts().create, 2);
}

#[tokio::test]
async fn drop_after_read_on_a_large_upload() {
    let sim = start().await;
    sim.push_fault(Route::UploadFile, Fault::DropAfterRead);
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(vec![7u8; 3 * 1024 * 1024]).file_name("a.png"),
    );
    let error = client()
        .post(format!("{}/api/upload/file", sim.upload_base()))
        .bearer_auth(sim.token())
        .multipart(form)
        .send()
        .await
        .unwrap_err();
    assert!(error.status().is_none(), "{error:?}");
    assert_eq!(sim.counts().upload, 1);
}

#[tokio::test]
async fn malformed_json_is_200_but_unparseable() {
    let sim = start().await;
    sim.push_fault(Route::Create, Fault::MalformedJson);
    let response = post_create(&sim, &json!({"prompt": "a"})).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    assert_eq!(sim.counts().create_accepted, 0);
}

#[tokio::test]
async fn html_error_page() {
    let sim = start().await;
    sim.push_fault(Route::GetTask, Fault::HtmlError { status: 502 });
    let response = client()
        .get(format!("{}/v1/tasks/x", sim.api_base()))
        .bearer_auth(sim.token())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 502);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let text = response.text().await.unwrap();
    assert!(
        text.contains("<html>") && text.contains("502 Bad Gateway"),
        "{text}"
    );
}

#[tokio::test]
async fn faults_are_fifo_per_route() {
    let sim = start().await;
    sim.push_fault(Route::Create, Fault::ServerError);
    sim.push_fault(Route::Create, Fault::PaymentRequired);
    sim.push_fault(Route::GetTask, Fault::ServerError);
    let statuses = [
        post_create(&sim, &json!({"prompt": "a"})).await.status(),
        post_create(&sim, &json!({"prompt": "a"})).await.status(),
        post_create(&sim, &json!({"prompt": "a"})).await.status(),
    ];
    assert_eq!(statuses.map(|s| s.as_u16()), [500, 402, 200]);
    let logged: Vec<u16> = sim.requests().iter().map(|record| record.status).collect();
    assert_eq!(logged, [500, 402, 200]);
    let poll = client()
        .get(format!("{}/v1/tasks/x", sim.api_base()))
        .bearer_auth(sim.token())
        .send()
        .await
        .unwrap();
    assert_eq!(poll.status(), 500);
}
