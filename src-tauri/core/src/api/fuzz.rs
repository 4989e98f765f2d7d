//! The reply parsers, reachable from fuzz targets and corpus replays (feature `fuzzing`).

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_RANGE, RETRY_AFTER};
use time::OffsetDateTime;

use super::{reply, tasks, upload, TaskId};

/// What every reply parser made of one body (or header value). Parsing must never panic; the fields
/// let the caller check properties of what came out.
#[derive(Debug)]
pub struct ParsedReplies {
    pub task_state: Result<super::TaskState, super::ApiError>,
    pub created: Option<TaskId>,
    pub upload: Result<upload::Uploaded, super::ApiError>,
    pub best_message: Option<String>,
    pub mentions_credit: bool,
    /// `None` when the bytes are not a valid header value.
    pub retry_after: Option<Option<Duration>>,
    pub range_start: Option<Option<u64>>,
}

/// Runs `body` through every parser of server replies: task state, create reply, upload reply, error
/// message extraction and credit wording, and as header values `Retry-After` and `Content-Range`.
pub fn parse_replies(body: &[u8], now: OffsetDateTime) -> ParsedReplies {
    let header = |name| {
        HeaderValue::from_bytes(body).ok().map(|value| {
            let mut headers = HeaderMap::new();
            headers.insert(name, value);
            headers
        })
    };
    ParsedReplies {
        task_state: tasks::parse_task_state(&TaskId("task-fuzz".into()), body),
        created: tasks::parse_created(body),
        upload: upload::Uploaded::parse(body, now),
        best_message: reply::best_message(body),
        mentions_credit: reply::mentions_credit(body),
        retry_after: header(RETRY_AFTER).map(|h| reply::retry_after(&h)),
        range_start: header(CONTENT_RANGE).map(|h| super::download::range_start(&h)),
    }
}
