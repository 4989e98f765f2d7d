//! Task creation and polling.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::faults::{bearer_ok, json_error, unauthorized};
use crate::model::ResultShape;
use crate::results::signed_result_url;
use crate::state::{unix_now, Shared, Task};
use crate::validate::validate_create_body;

pub(crate) async fn create(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !bearer_ok(&shared, &headers) {
        return unauthorized();
    }
    let declared_json = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.to_ascii_lowercase().starts_with("application/json"));
    if !declared_json {
        return json_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Content-Type must be application/json",
        );
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(error) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                &format!("request body is not valid JSON: {error}"),
            )
        }
    };
    if let Err(violations) = validate_create_body(&value) {
        return json_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            &violations.join("; "),
        );
    }
    let task_id = uuid::Uuid::new_v4().to_string();
    {
        let mut inner = shared.lock();
        let script = inner.scripts.pop_front().unwrap_or_default();
        inner.tasks.insert(
            task_id.clone(),
            Task {
                created: Instant::now(),
                created_unix: unix_now(),
                script,
                link_expires: None,
            },
        );
        inner.counts.create_accepted += 1;
    }
    Json(json!({ "task_id": task_id })).into_response()
}

pub(crate) async fn get_task(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !bearer_ok(&shared, &headers) {
        return unauthorized();
    }
    let config = &shared.config;
    let mut guard = shared.lock();
    let inner = &mut *guard;
    let Some(task) = inner.tasks.get_mut(&id) else {
        return json_error(
            StatusCode::NOT_FOUND,
            "task_not_found",
            &format!("task {id} not found"),
        );
    };
    let elapsed = task.created.elapsed();
    let vocabulary = task.script.vocabulary;
    let (status, error_code, error_msg, result) = if elapsed < config.queued_for {
        (vocabulary.queued().to_owned(), "", "", json!([]))
    } else if elapsed < config.queued_for + config.running_for {
        let word = task
            .script
            .unknown_status_while_running
            .clone()
            .unwrap_or_else(|| vocabulary.running().to_owned());
        (word, "", "", json!([]))
    } else if let Some(failure) = &task.script.fail {
        (
            "failed".to_owned(),
            failure.error_code.as_str(),
            failure.error_msg.as_str(),
            json!([]),
        )
    } else {
        let expires = link_expires(task, &id, &inner.revoked_links, config);
        let url = signed_result_url(&shared.result_base, &shared.link_key, &id, expires);
        let result = match task.script.result_shape {
            ResultShape::Strings => json!([url]),
            ResultShape::Objects => json!([{ "type": "video", "url": url }]),
        };
        (vocabulary.done().to_owned(), "", "", result)
    };
    let body = json!({
        "id": id,
        "status": status,
        "error_code": error_code,
        "error_msg": error_msg,
        "result": result,
    });
    drop(guard);
    Json(body).into_response()
}

/// Fixed once issued so re-polls return the same link; after `Sim::expire_links` a fresh one is issued.
fn link_expires(
    task: &mut Task,
    id: &str,
    revoked: &HashSet<(String, u64)>,
    config: &crate::SimConfig,
) -> u64 {
    if task.script.expired_link {
        return task.created_unix;
    }
    if let Some(expires) = task.link_expires {
        return expires;
    }
    let finished_unix = task.created_unix + (config.queued_for + config.running_for).as_secs();
    let mut expires = finished_unix + config.link_ttl.as_secs();
    while revoked.contains(&(id.to_owned(), expires)) {
        expires += 1;
    }
    task.link_expires = Some(expires);
    expires
}
