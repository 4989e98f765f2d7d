use serde_json::{json, Value};

use crate::{client, post_create, start, CREATE_PATH};

async fn rejection(sim: &seedance_sim::Sim, body: Value) -> String {
    let response = post_create(sim, &body).await;
    assert_eq!(response.status(), 400, "body {body} should be rejected");
    let reply: Value = response.json().await.unwrap();
    assert_eq!(reply["error"]["code"], "invalid_request", "{reply}");
    reply["error"]["message"].as_str().unwrap().to_owned()
}

async fn accepted(sim: &seedance_sim::Sim, body: Value) {
    let response = post_create(sim, &body).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "body {body} should be accepted: {text}");
    let reply: Value = serde_json::from_str(&text).unwrap();
    let id = reply["task_id"].as_str().unwrap();
    assert_eq!(id.len(), 36, "uuid-shaped task id: {id}");
    assert_eq!(id.as_bytes()[14], b'4', "uuid v4: {id}");
}

#[tokio::test]
async fn each_violation_has_its_message() {
    let sim = start().await;
    let cases = [
        (json!({}), "prompt is required"),
        (json!({"prompt": 7}), "prompt must be a string"),
        (json!({"prompt": ""}), "prompt must not be empty"),
        (
            json!({"prompt": "a", "duration": "5"}),
            "duration must be an integer",
        ),
        (
            json!({"prompt": "a", "duration": 4.5}),
            "duration must be an integer",
        ),
        (
            json!({"prompt": "a", "ratio": "2:1"}),
            "ratio must be one of",
        ),
        (
            json!({"prompt": "a", "resolution": "4k"}),
            "resolution must be one of",
        ),
        (
            json!({"prompt": "a", "watermark": "yes"}),
            "watermark must be a boolean",
        ),
        (
            json!({"prompt": "a", "camera_fixed": 1}),
            "camera_fixed must be a boolean",
        ),
        (
            json!({"prompt": "a", "generate_audio": null}),
            "generate_audio must be a boolean",
        ),
        (
            json!({"prompt": "a", "draft": "true", "resolution": "480p"}),
            "draft must be a boolean",
        ),
        (
            json!({"prompt": "a", "first_frame": "file:///tmp/a.png"}),
            "first_frame must be an http(s) URL",
        ),
        (
            json!({"prompt": "a", "first_frame": 3}),
            "first_frame must be an http(s) URL",
        ),
        (
            json!({"prompt": "a", "last_frame": "https://x.test/b.png"}),
            "last_frame requires first_frame",
        ),
        (json!({"prompt": "a", "seed": 1}), "unknown field `seed`"),
        (json!(["prompt"]), "request body must be a JSON object"),
    ];
    for (body, expected) in cases {
        let message = rejection(&sim, body.clone()).await;
        assert!(
            message.contains(expected),
            "{body}: expected {expected:?} in {message:?}"
        );
    }
    assert_eq!(sim.counts().create_accepted, 0);
}

#[tokio::test]
async fn several_violations_are_all_listed() {
    let sim = start().await;
    let message = rejection(
        &sim,
        json!({"duration": 3, "ratio": "2:1", "draft": true, "last_frame": "https://x.test/b.png", "fps": 30}),
    )
    .await;
    let parts: Vec<&str> = message.split("; ").collect();
    assert_eq!(parts.len(), 6, "{message}");
    for expected in [
        "unknown field `fps`",
        "prompt is required",
        "duration must be -1",
        "ratio must be one of",
        "draft requires resolution 480p",
        "last_frame requires first_frame",
    ] {
        assert!(
            message.contains(expected),
            "missing {expected:?} in {message:?}"
        );
    }
}

#[tokio::test]
async fn prompt_length_counts_characters_not_bytes() {
    let sim = start().await;
    accepted(&sim, json!({"prompt": "猫".repeat(2000)})).await;
    let message = rejection(&sim, json!({"prompt": "猫".repeat(2001)})).await;
    assert!(message.contains("at most 2000 characters"), "{message}");
    assert!(message.contains("2001"), "{message}");
}

#[tokio::test]
async fn duration_accepts_minus_one_and_four_to_twelve() {
    let sim = start().await;
    for duration in [-1, 4, 5, 12] {
        accepted(&sim, json!({"prompt": "a", "duration": duration})).await;
    }
    for duration in [0, 1, 3, 13, 60, -2] {
        let message = rejection(&sim, json!({"prompt": "a", "duration": duration})).await;
        assert!(
            message.contains("duration must be -1"),
            "{duration}: {message}"
        );
    }
}

#[tokio::test]
async fn draft_needs_480p() {
    let sim = start().await;
    for body in [
        json!({"prompt": "a", "draft": true, "resolution": "720p"}),
        json!({"prompt": "a", "draft": true, "resolution": "1080p"}),
        json!({"prompt": "a", "draft": true}),
    ] {
        let message = rejection(&sim, body.clone()).await;
        assert!(
            message.contains("draft requires resolution 480p"),
            "{body}: {message}"
        );
    }
    accepted(
        &sim,
        json!({"prompt": "a", "draft": true, "resolution": "480p"}),
    )
    .await;
    accepted(
        &sim,
        json!({"prompt": "a", "draft": false, "resolution": "1080p"}),
    )
    .await;
}

#[tokio::test]
async fn full_valid_bodies_are_accepted() {
    let sim = start().await;
    accepted(
        &sim,
        json!({
            "prompt": "镜头缓慢推进 \"hello\"",
            "camera_fixed": false,
            "draft": false,
            "duration": 8,
            "first_frame": "https://files.test/uploads/a.png",
            "last_frame": "http://127.0.0.1:9/b.jpg",
            "generate_audio": true,
            "ratio": "21:9",
            "resolution": "1080p",
            "watermark": false
        }),
    )
    .await;
    for ratio in seedance_sim::RATIOS {
        accepted(&sim, json!({"prompt": "a", "ratio": ratio})).await;
    }
    assert_eq!(sim.counts().create_accepted, 8);
}

#[tokio::test]
async fn invalid_json_is_400() {
    let sim = start().await;
    let response = client()
        .post(format!("{}{CREATE_PATH}", sim.api_base()))
        .bearer_auth(sim.token())
        .header("content-type", "application/json")
        .body("{\"prompt\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let reply: Value = response.json().await.unwrap();
    assert_eq!(reply["error"]["code"], "invalid_json");
}

#[tokio::test]
async fn body_must_be_declared_json() {
    let sim = start().await;
    let response = client()
        .post(format!("{}{CREATE_PATH}", sim.api_base()))
        .bearer_auth(sim.token())
        .body(r#"{"prompt": "a"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let reply: Value = response.json().await.unwrap();
    assert!(reply["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Content-Type"));
    assert_eq!(sim.counts().create_accepted, 0);
}

#[tokio::test]
async fn wrong_or_missing_token_is_401() {
    let sim = start().await;
    let url = format!("{}{CREATE_PATH}", sim.api_base());
    let body = json!({"prompt": "a"});
    let wrong = client()
        .post(&url)
        .bearer_auth("nope")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let reply: Value = wrong.json().await.unwrap();
    assert_eq!(reply["error"]["code"], "unauthorized");
    let missing = client().post(&url).json(&body).send().await.unwrap();
    assert_eq!(missing.status(), 401);
    let not_bearer = client()
        .post(&url)
        .header("authorization", sim.token())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(not_bearer.status(), 401);
    let poll = client()
        .get(format!("{}/v1/tasks/whatever", sim.api_base()))
        .send()
        .await
        .unwrap();
    assert_eq!(poll.status(), 401);
    let counts = sim.counts();
    assert_eq!(
        (counts.create, counts.create_accepted, counts.unauthorized),
        (3, 0, 4)
    );
    let records = sim.requests();
    assert_eq!(records.len(), 4);
    assert!(!records[1].had_authorization);
    assert!(records[0].had_authorization);
    assert!(records.iter().all(|record| record.status == 401));
}
