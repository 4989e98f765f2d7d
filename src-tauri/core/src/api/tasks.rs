//! Creating a generation task (never repeated once sent) and querying one (safe, retried).

use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{transport_detail, ApiError, CreateError};
use super::reply::ERROR_BODY_LIMIT;
use super::{bearer, endpoint, read_body, read_limited, SinanClient};
use crate::secrets::ApiToken;

/// Task replies are small; anything bigger is not a task reply.
const TASK_REPLY_LIMIT: usize = 1024 * 1024;
const CREATE_PATH: [&str; 4] = ["v1", "generate", "vol", "seedance-pro-1.5"];

/// The id SinanCode gives a task; persisted the moment it arrives.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub struct TaskId(pub String);

impl std::fmt::Display for TaskId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Both status vocabularies (SinanCode's and the upstream model's) folded into one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Queued,
    Running,
    Done,
    Failed,
}

impl TaskStatus {
    /// Unknown words mean "still running": a new status must never make the app give up on a paid task.
    pub fn from_word(word: &str) -> Self {
        match word.trim().to_ascii_lowercase().as_str() {
            "pending" | "queued" => Self::Queued,
            "processing" | "running" => Self::Running,
            "completed" | "succeeded" => Self::Done,
            "failed" | "expired" | "cancelled" | "canceled" => Self::Failed,
            other => {
                tracing::debug!(
                    status = other,
                    "unknown task status, treating it as running"
                );
                Self::Running
            }
        }
    }

    pub fn is_finished(self) -> bool {
        matches!(self, Self::Done | Self::Failed)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct TaskState {
    pub id: TaskId,
    pub status: TaskStatus,
    /// The word the server used, for diagnostics.
    pub raw_status: String,
    pub error_code: Option<String>,
    pub error_msg: Option<String>,
    pub video_url: Option<String>,
}

impl TaskState {
    /// Why a failed task failed: the friendly message, else the code.
    pub fn failure_message(&self) -> Option<&str> {
        self.error_msg.as_deref().or(self.error_code.as_deref())
    }
}

/// Parses a task reply. Tolerant of both result shapes, numeric codes and an enclosing `data` object.
pub fn parse_task_state(requested: &TaskId, body: &[u8]) -> Result<TaskState, ApiError> {
    let json: Value = serde_json::from_slice(body).map_err(|e| ApiError::MalformedReply {
        detail: format!("task reply: {e}"),
    })?;
    let task = match json.get("data") {
        Some(data) if json.get("status").is_none() && data.is_object() => data,
        _ => &json,
    };
    let raw_status = text_field(task, "status")
        .map(|t| super::reply::shorten(&t))
        .ok_or_else(|| ApiError::MalformedReply {
            detail: "task reply has no status".to_owned(),
        })?;
    Ok(TaskState {
        id: text_field(task, "id")
            .or_else(|| text_field(task, "task_id"))
            .map(TaskId)
            .unwrap_or_else(|| requested.clone()),
        status: TaskStatus::from_word(&raw_status),
        raw_status,
        // Stored with the job and shown in the UI and notifications: a server cannot make them endless.
        error_code: text_field(task, "error_code").map(|t| super::reply::shorten(&t)),
        error_msg: text_field(task, "error_msg").map(|t| super::reply::shorten(&t)),
        video_url: task.get("result").and_then(pick_video_url),
    })
}

/// A non-blank string (or a number, as text) under `key`.
fn text_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The entry typed `video`, else the first whose path ends in `.mp4`, else the first URL.
fn pick_video_url(result: &Value) -> Option<String> {
    let mut entries: Vec<(Option<&str>, &str)> = match result {
        Value::String(url) => vec![(None, url.as_str())],
        Value::Array(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(url) => Some((None, url.as_str())),
                Value::Object(o) => {
                    let url = o.get("url").and_then(Value::as_str)?;
                    Some((o.get("type").and_then(Value::as_str), url))
                }
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    // A blank link is no link (found by fuzzing: `"result": ""` gave an empty video URL).
    entries.retain(|(_, url)| !url.trim().is_empty());
    let is_mp4 = |url: &str| {
        url::Url::parse(url.trim())
            .map(|u| u.path().to_ascii_lowercase().ends_with(".mp4"))
            .unwrap_or(false)
    };
    entries
        .iter()
        .find(|(kind, _)| kind.is_some_and(|k| k.eq_ignore_ascii_case("video")))
        .or_else(|| entries.iter().find(|(_, url)| is_mp4(url)))
        .or_else(|| entries.first())
        .map(|(_, url)| url.trim().to_owned())
}

/// The task id in a create reply (`task_id`, tolerating `id` and a `data` wrapper).
pub(crate) fn parse_created(body: &[u8]) -> Option<TaskId> {
    let json: Value = serde_json::from_slice(body).ok()?;
    [&json, json.get("data").unwrap_or(&Value::Null)]
        .iter()
        .find_map(|v| text_field(v, "task_id").or_else(|| text_field(v, "id")))
        .map(TaskId)
}

impl SinanClient {
    /// Submits a generation task. Retried only when the connection failed before anything was sent
    /// (`is_connect`, which includes connect timeouts); every later failure is `SubmissionUncertain`,
    /// because a repeat could start a second paid task. 4xx answers (including 429) are definite refusals.
    pub async fn create_task(
        &self,
        token: &ApiToken,
        body: &impl Serialize,
    ) -> Result<TaskId, CreateError> {
        let url = endpoint(&self.config.api_base, &CREATE_PATH);
        let auth = bearer(token, &url).map_err(CreateError::NotSubmitted)?;
        let payload = serde_json::to_vec(body)
            .map_err(|e| CreateError::NotSubmitted(ApiError::Io(e.into())))?;
        let mut attempt = 1;
        let response = loop {
            let sent = self
                .http
                .post(url.clone())
                .header(AUTHORIZATION, auth.clone())
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(payload.clone())
                .timeout(self.config.timeouts.create)
                .send()
                .await;
            match sent {
                Ok(response) => break response,
                Err(e) if e.is_connect() => {
                    let detail = transport_detail(&e);
                    if !self.create_connect_retry.allows_retry_after(attempt) {
                        return Err(CreateError::NotSubmitted(ApiError::NetworkDown { detail }));
                    }
                    let wait = self.create_connect_retry.delay(attempt - 1);
                    tracing::debug!(
                        attempt,
                        ?wait,
                        detail,
                        "create could not connect; nothing was sent, retrying"
                    );
                    self.sleeper.sleep(wait).await;
                    attempt += 1;
                }
                Err(e) if e.is_timeout() => {
                    return Err(uncertain("no answer before the time limit".to_owned()));
                }
                Err(e) => {
                    return Err(uncertain(format!(
                        "the connection failed after sending: {}",
                        transport_detail(&e)
                    )))
                }
            }
        };
        let status = response.status();
        tracing::debug!(status = status.as_u16(), "create answered");
        if status.is_success() {
            let body = read_body(response, TASK_REPLY_LIMIT)
                .await
                .map_err(|e| match e {
                    ApiError::Timeout => {
                        uncertain("the reply was cut off by the time limit".to_owned())
                    }
                    other => uncertain(format!("the reply could not be read: {other}")),
                })?;
            return parse_created(&body).ok_or_else(|| {
                uncertain("the server accepted the request but its reply has no task id".to_owned())
            });
        }
        // A redirect is a definite answer too: the service did not take the request here, and it is not
        // followed (see `api_http`).
        if status.is_client_error() || status.is_redirection() {
            let headers = response.headers().clone();
            let body = read_limited(response, ERROR_BODY_LIMIT).await;
            return Err(CreateError::NotSubmitted(ApiError::from_status(
                status, &headers, &body,
            )));
        }
        Err(uncertain(format!(
            "the server answered HTTP {}",
            status.as_u16()
        )))
    }

    /// Queries a task, retrying transient failures (network, timeouts, 5xx, 429, unreadable replies)
    /// within the query retry policy.
    pub async fn get_task(&self, token: &ApiToken, id: &TaskId) -> Result<TaskState, ApiError> {
        let url = endpoint(&self.config.api_base, &["v1", "tasks", &id.0]);
        let auth = bearer(token, &url)?;
        self.with_retries("get_task", &self.query_retry, || async {
            let response = self
                .http
                .get(url.clone())
                .header(AUTHORIZATION, auth.clone())
                .timeout(self.config.timeouts.get)
                .send()
                .await
                .map_err(ApiError::from_transport)?;
            let status = response.status();
            if !status.is_success() {
                let headers = response.headers().clone();
                let body = read_limited(response, ERROR_BODY_LIMIT).await;
                return Err(ApiError::from_status(status, &headers, &body));
            }
            let body = read_body(response, TASK_REPLY_LIMIT).await?;
            parse_task_state(id, &body)
        })
        .await
    }
}

fn uncertain(reason: String) -> CreateError {
    CreateError::SubmissionUncertain { reason }
}

#[cfg(test)]
#[path = "tasks_tests.rs"]
mod tests;
