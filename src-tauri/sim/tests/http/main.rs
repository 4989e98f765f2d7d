//! The simulator over real HTTP on 127.0.0.1. One test binary, several modules, to keep link time down.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod faults;
mod lifecycle;
mod results;
mod uploads;
mod validation;

use std::time::Duration;

use seedance_sim::{Sim, SimConfig};
use serde_json::{json, Value};

pub const CREATE_PATH: &str = "/v1/generate/vol/seedance-pro-1.5";

pub fn client() -> reqwest::Client {
    client_with_timeout(Duration::from_secs(5))
}

pub fn client_with_timeout(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn start() -> Sim {
    Sim::start(SimConfig::fast()).await.unwrap()
}

pub async fn post_create(sim: &Sim, body: &Value) -> reqwest::Response {
    client()
        .post(format!("{}{CREATE_PATH}", sim.api_base()))
        .bearer_auth(sim.token())
        .json(body)
        .send()
        .await
        .unwrap()
}

pub async fn create_task(sim: &Sim) -> String {
    let response = post_create(sim, &json!({"prompt": "a red fox in snow"})).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["task_id"].as_str().unwrap().to_owned()
}

pub async fn get_task(sim: &Sim, id: &str) -> Value {
    let response = client()
        .get(format!("{}/v1/tasks/{id}", sim.api_base()))
        .bearer_auth(sim.token())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Polls until `failed` or a done word; returns every distinct status in order and the last body.
pub async fn poll_to_end(sim: &Sim, id: &str) -> (Vec<String>, Value) {
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..200 {
        let body = get_task(sim, id).await;
        let status = body["status"].as_str().unwrap().to_owned();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if matches!(status.as_str(), "completed" | "succeeded" | "failed") {
            return (seen, body);
        }
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
    panic!("task {id} did not finish; statuses seen: {seen:?}");
}

/// A finished task's video URL, whatever the result shape.
pub fn video_url(body: &Value) -> String {
    let first = &body["result"][0];
    first
        .as_str()
        .or_else(|| first["url"].as_str())
        .unwrap()
        .to_owned()
}

pub async fn finished_task_url(sim: &Sim) -> String {
    let id = create_task(sim).await;
    let (_, body) = poll_to_end(sim, &id).await;
    video_url(&body)
}
