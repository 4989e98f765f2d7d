use std::time::Duration;

use seedance_sim::{ResultShape, Sim, SimConfig, TaskFailure, TaskScript, Vocabulary};
use serde_json::Value;

use crate::{client, create_task, get_task, poll_to_end, start, video_url};

/// Phases long enough that a loaded machine still observes each one.
async fn start_observable() -> Sim {
    Sim::start(SimConfig {
        queued_for: Duration::from_millis(300),
        running_for: Duration::from_millis(300),
        ..SimConfig::fast()
    })
    .await
    .unwrap()
}

fn assert_done_body(sim: &Sim, id: &str, body: &Value) {
    assert_eq!(body["id"], id);
    assert_eq!(body["error_code"], "");
    assert_eq!(body["error_msg"], "");
    assert_eq!(body["result"].as_array().unwrap().len(), 1, "{body}");
    let url = video_url(body);
    assert!(
        url.starts_with(&format!("{}/results/{id}.mp4?expires=", sim.result_base())),
        "{url}"
    );
    assert!(url.contains("&sig="), "{url}");
}

#[tokio::test]
async fn fast_config_reaches_done_in_order() {
    let sim = start().await;
    let id = create_task(&sim).await;
    let (seen, body) = poll_to_end(&sim, &id).await;
    let order = ["pending", "processing", "completed"];
    let positions: Vec<usize> = seen
        .iter()
        .map(|status| order.iter().position(|word| word == status).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|pair| pair[0] < pair[1]),
        "{seen:?}"
    );
    assert_eq!(seen.last().map(String::as_str), Some("completed"));
    assert!(
        body["result"][0].is_string(),
        "strings shape by default: {body}"
    );
    assert_done_body(&sim, &id, &body);
}

#[tokio::test]
async fn sinan_vocabulary_phases() {
    let sim = start_observable().await;
    let id = create_task(&sim).await;
    let (seen, body) = poll_to_end(&sim, &id).await;
    assert_eq!(seen, ["pending", "processing", "completed"]);
    assert_done_body(&sim, &id, &body);
}

#[tokio::test]
async fn upstream_vocabulary_with_object_results() {
    let sim = start_observable().await;
    sim.script_next_task(TaskScript {
        vocabulary: Vocabulary::Upstream,
        result_shape: ResultShape::Objects,
        ..TaskScript::default()
    });
    let id = create_task(&sim).await;
    let (seen, body) = poll_to_end(&sim, &id).await;
    assert_eq!(seen, ["queued", "running", "succeeded"]);
    assert_eq!(body["result"][0]["type"], "video", "{body}");
    assert_done_body(&sim, &id, &body);
}

#[tokio::test]
async fn unknown_status_word_while_running() {
    let sim = start_observable().await;
    sim.script_next_task(TaskScript {
        unknown_status_while_running: Some("warming_up".to_owned()),
        ..TaskScript::default()
    });
    let id = create_task(&sim).await;
    let (seen, _) = poll_to_end(&sim, &id).await;
    assert_eq!(seen, ["pending", "warming_up", "completed"]);
}

#[tokio::test]
async fn scripted_failure_carries_code_and_message() {
    let sim = start().await;
    sim.script_next_task(TaskScript {
        fail: Some(TaskFailure {
            error_code: "OutputVideoSensitiveContentDetected".to_owned(),
            error_msg: "生成内容未通过审核".to_owned(),
        }),
        ..TaskScript::default()
    });
    let id = create_task(&sim).await;
    let (seen, body) = poll_to_end(&sim, &id).await;
    assert_eq!(seen.last().map(String::as_str), Some("failed"));
    assert_eq!(body["error_code"], "OutputVideoSensitiveContentDetected");
    assert_eq!(body["error_msg"], "生成内容未通过审核");
    assert_eq!(body["result"], serde_json::json!([]));
}

#[tokio::test]
async fn scripts_apply_to_tasks_in_order() {
    let sim = start().await;
    sim.script_next_task(TaskScript {
        vocabulary: Vocabulary::Upstream,
        ..TaskScript::default()
    });
    sim.script_next_task(TaskScript {
        result_shape: ResultShape::Objects,
        ..TaskScript::default()
    });
    let first = create_task(&sim).await;
    let second = create_task(&sim).await;
    let third = create_task(&sim).await;
    let (_, first_body) = poll_to_end(&sim, &first).await;
    let (_, second_body) = poll_to_end(&sim, &second).await;
    let (_, third_body) = poll_to_end(&sim, &third).await;
    assert_eq!(first_body["status"], "succeeded");
    assert!(first_body["result"][0].is_string());
    assert_eq!(second_body["status"], "completed");
    assert!(second_body["result"][0].is_object());
    assert_eq!(third_body["status"], "completed");
    assert!(third_body["result"][0].is_string());
}

#[tokio::test]
async fn repolling_a_done_task_gives_the_same_link() {
    let sim = start().await;
    let id = create_task(&sim).await;
    let (_, body) = poll_to_end(&sim, &id).await;
    let again = get_task(&sim, &id).await;
    assert_eq!(video_url(&body), video_url(&again));
}

#[tokio::test]
async fn unknown_task_is_404() {
    let sim = start().await;
    let response = client()
        .get(format!("{}/v1/tasks/no-such-task", sim.api_base()))
        .bearer_auth(sim.token())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no-such-task"));
    assert_eq!(sim.counts().get_task, 1);
}

async fn refuses_connections(base: &str) -> bool {
    let address = base.trim_start_matches("http://");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(address).await.is_err() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}

#[tokio::test]
async fn shutdown_and_drop_stop_both_listeners() {
    let sim = start().await;
    let (api, files) = (sim.api_base(), sim.result_base());
    assert!(!refuses_connections_now(&api).await);
    sim.shutdown().await;
    assert!(refuses_connections(&api).await && refuses_connections(&files).await);

    let sim = start().await;
    let (api, files) = (sim.api_base(), sim.result_base());
    drop(sim);
    assert!(refuses_connections(&api).await && refuses_connections(&files).await);
}

async fn refuses_connections_now(base: &str) -> bool {
    tokio::net::TcpStream::connect(base.trim_start_matches("http://"))
        .await
        .is_err()
}

#[tokio::test]
async fn start_on_uses_the_given_ports() {
    let free_port = || {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (api_port, files_port) = (free_port(), free_port());
    let sim = Sim::start_on(SimConfig::fast(), api_port, files_port)
        .await
        .unwrap();
    assert_eq!(sim.api_base(), format!("http://127.0.0.1:{api_port}"));
    assert_eq!(sim.upload_base(), sim.api_base());
    assert_eq!(sim.result_base(), format!("http://127.0.0.1:{files_port}"));
    assert_eq!(sim.token(), "sim-token");
    let id = create_task(&sim).await;
    assert_eq!(get_task(&sim, &id).await["id"], id.as_str());
}
