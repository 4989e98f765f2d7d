//! What can go wrong talking to SinanCode, classified so the job layer knows what to do next and the UI
//! can say it in English and 简体中文. No variant ever carries request headers.

use std::error::Error as _;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::config::{API_BASE_ENV, PRODUCTION_API_BASE, PRODUCTION_UPLOAD_BASE, UPLOAD_BASE_ENV};
use super::reply;
use crate::i18n::{megabytes, Message, UserFacing};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 401/403 from the API: the token is wrong, revoked or lacks access.
    #[error("the API token was refused")]
    InvalidToken,
    #[error("the account is out of credit")]
    OutOfCredit,
    #[error("rate limited by the server (retry after {retry_after:?})")]
    RateLimited { retry_after: Option<Duration> },
    /// Any other 4xx: the server understood and said no.
    #[error("the server refused the request (HTTP {status}): {message}")]
    Rejected { status: u16, message: String },
    #[error("the server failed (HTTP {status})")]
    ServerError { status: u16 },
    /// A 3xx from the API or upload host: not followed, because the token and a paid create would go
    /// along to wherever it points.
    #[error("the server answered with a redirect (HTTP {status}), which is not followed")]
    Redirected { status: u16 },
    /// The server could not be reached, or the connection broke.
    #[error("network error: {detail}")]
    NetworkDown { detail: String },
    #[error("the server did not answer in time")]
    Timeout,
    #[error("the server's reply could not be understood: {detail}")]
    MalformedReply { detail: String },
    /// The signed result link expired or was refused by the file host.
    #[error("the result link has expired")]
    ResultLinkExpired,
    /// The result link (or a redirect from it) points somewhere a download may not go.
    #[error("the result link was refused: {reason}")]
    ResultHostRefused { reason: String },
    /// The result is larger than any real video (see `MAX_RESULT_BYTES`).
    #[error("the result is larger than {limit} bytes")]
    ResultTooLarge { limit: u64 },
    /// The file no longer holds the bytes that were checked (see `SinanClient::upload_verified`).
    #[error("the file changed after it was checked")]
    FileChanged,
    #[error("the file is {size} bytes, over the {limit}-byte upload limit")]
    FileTooLarge { size: u64, limit: u64 },
    /// Polling ran past its overall bound while the task was still unfinished.
    #[error("the task was still unfinished after {waited:?}")]
    GaveUpWaiting { waited: Duration },
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    /// The token is not bound to this host (see `token_hosts`), so the request was never sent.
    #[error("the API token is not confirmed for {host}; nothing was sent")]
    HostNotConfirmed { host: String },
}

impl ApiError {
    /// Errors that may go away on their own, so a safe (GET) request may be repeated.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. }
                | Self::ServerError { .. }
                | Self::NetworkDown { .. }
                | Self::Timeout
                | Self::MalformedReply { .. }
        )
    }

    /// Classifies a non-success answer from the API or upload host.
    pub(crate) fn from_status(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        let code = status.as_u16();
        if status == StatusCode::PAYMENT_REQUIRED
            || (status.is_client_error() && reply::mentions_credit(body))
        {
            return Self::OutOfCredit;
        }
        match code {
            401 | 403 => Self::InvalidToken,
            429 => Self::RateLimited {
                retry_after: reply::retry_after(headers),
            },
            400..=499 => Self::Rejected {
                status: code,
                message: reply::best_message(body).unwrap_or_else(|| {
                    status.canonical_reason().unwrap_or("no message").to_owned()
                }),
            },
            500..=599 => Self::ServerError { status: code },
            300..=399 => Self::Redirected { status: code },
            _ => Self::MalformedReply {
                detail: format!("unexpected HTTP status {code}"),
            },
        }
    }

    /// Classifies a transport failure. The URL is dropped because result links carry signatures.
    pub(crate) fn from_transport(e: reqwest::Error) -> Self {
        if e.is_connect() {
            Self::NetworkDown {
                detail: transport_detail(&e),
            }
        } else if e.is_timeout() {
            Self::Timeout
        } else if e.is_decode() {
            Self::MalformedReply {
                detail: transport_detail(&e),
            }
        } else {
            Self::NetworkDown {
                detail: transport_detail(&e),
            }
        }
    }
}

/// The innermost causes of a reqwest error (e.g. "Connection refused"), without the URL.
pub(crate) fn transport_detail(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source = e.source();
    while let Some(err) = source {
        parts.push(err.to_string());
        source = err.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    parts.join(": ")
}

/// The outcome of a failed create. The split matters for money: `NotSubmitted` means no task can exist,
/// `SubmissionUncertain` means a paid task may exist and the user must decide before anything is resent.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// The server refused (4xx) or the request provably never left this machine.
    #[error("the task was not created: {0}")]
    NotSubmitted(#[source] ApiError),
    #[error("the task may or may not have been created: {reason}")]
    SubmissionUncertain { reason: String },
}

impl UserFacing for CreateError {
    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::NotSubmitted(e) => e.raw_cause(),
            Self::SubmissionUncertain { reason } => Some(reason.clone()),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::NotSubmitted(e) => e.kind(),
            Self::SubmissionUncertain { .. } => "submission_uncertain",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::NotSubmitted(e) => e.msg(),
            Self::SubmissionUncertain { .. } => Message::new("msg.api.submission_uncertain"),
        }
    }
}

impl UserFacing for ApiError {
    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::NetworkDown { detail } | Self::MalformedReply { detail } => Some(detail.clone()),
            Self::ResultHostRefused { reason } => Some(reason.clone()),
            Self::Io(e) => Some(e.to_string()),
            _ => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::InvalidToken => "invalid_token",
            Self::OutOfCredit => "out_of_credit",
            Self::RateLimited { .. } => "rate_limited",
            Self::Rejected { .. } => "request_rejected",
            Self::ServerError { .. } => "server_error",
            Self::Redirected { .. } => "server_redirected",
            Self::NetworkDown { .. } => "network_down",
            Self::Timeout => "timeout",
            Self::MalformedReply { .. } => "malformed_reply",
            Self::ResultLinkExpired => "result_link_expired",
            Self::ResultHostRefused { .. } => "result_host_refused",
            Self::ResultTooLarge { .. } => "result_too_large",
            Self::FileTooLarge { .. } => "file_too_large",
            Self::FileChanged => "frame_changed",
            Self::GaveUpWaiting { .. } => "task_wait_exceeded",
            Self::Io(_) => "file_error",
            Self::HostNotConfirmed { .. } => "token_host_not_confirmed",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::InvalidToken => Message::new("msg.api.invalid_token"),
            Self::OutOfCredit => Message::new("msg.api.out_of_credit"),
            Self::RateLimited {
                retry_after: Some(wait),
            } => Message::new("msg.api.rate_limited_for").arg("seconds", wait.as_secs().max(1)),
            Self::RateLimited { retry_after: None } => Message::new("msg.api.rate_limited"),
            Self::Rejected { status, message } => Message::new("msg.api.rejected")
                .arg("status", *status)
                .arg("reason", message.as_str()),
            Self::ServerError { status } => {
                Message::new("msg.api.server_error").arg("status", *status)
            }
            Self::Redirected { status } => Message::new("msg.api.redirected")
                .arg("status", *status)
                .arg("api_default", PRODUCTION_API_BASE)
                .arg("upload_default", PRODUCTION_UPLOAD_BASE),
            Self::NetworkDown { .. } => Message::new("msg.api.network_down"),
            Self::Timeout => Message::new("msg.api.timeout"),
            Self::MalformedReply { .. } => Message::new("msg.api.malformed_reply"),
            Self::ResultLinkExpired => Message::new("msg.api.result_link_expired"),
            Self::ResultHostRefused { .. } => Message::new("msg.api.result_host_refused"),
            Self::ResultTooLarge { limit } => {
                Message::new("msg.api.result_too_large").arg("limit", megabytes(*limit))
            }
            Self::FileChanged => Message::new("msg.api.file_changed"),
            Self::FileTooLarge { size, limit } => Message::new("msg.api.file_too_large")
                .arg("size", megabytes(*size))
                .arg("limit", megabytes(*limit)),
            Self::GaveUpWaiting { waited } => {
                Message::new("msg.api.gave_up_waiting").arg("minutes", waited.as_secs() / 60)
            }
            Self::Io(_) => Message::new("msg.api.file_error"),
            Self::HostNotConfirmed { host } => Message::new("msg.api.host_not_confirmed")
                .arg("host", host.as_str())
                .arg("api_env", API_BASE_ENV)
                .arg("upload_env", UPLOAD_BASE_ENV),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    fn classify(code: u16, body: &str) -> ApiError {
        ApiError::from_status(
            StatusCode::from_u16(code).unwrap(),
            &HeaderMap::new(),
            body.as_bytes(),
        )
    }

    #[test]
    fn statuses_map_to_variants() {
        assert!(matches!(classify(401, ""), ApiError::InvalidToken));
        assert!(matches!(classify(403, "forbidden"), ApiError::InvalidToken));
        assert!(matches!(classify(402, ""), ApiError::OutOfCredit));
        assert!(matches!(
            classify(400, r#"{"error":"余额不足"}"#),
            ApiError::OutOfCredit
        ));
        assert!(matches!(
            classify(403, r#"{"message":"insufficient balance"}"#),
            ApiError::OutOfCredit
        ));
        assert!(matches!(
            classify(503, "balance"),
            ApiError::ServerError { status: 503 }
        ));
        match classify(400, r#"{"error":{"message":"bad ratio"}}"#) {
            ApiError::Rejected {
                status: 400,
                message,
            } => assert_eq!(message, "bad ratio"),
            other => panic!("{other:?}"),
        }
        match classify(404, "") {
            ApiError::Rejected {
                status: 404,
                message,
            } => assert_eq!(message, "Not Found"),
            other => panic!("{other:?}"),
        }
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        let e = ApiError::from_status(StatusCode::TOO_MANY_REQUESTS, &h, b"");
        assert!(
            matches!(e, ApiError::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(3))
        );
        assert!(e.is_transient());
        assert!(!classify(400, "").is_transient());
    }

    /// The words a transport or OS error uses stay behind Details; the message says what happened plainly.
    #[test]
    fn transport_words_stay_out_of_the_message() {
        let raw = "client error (SendRequest): connection closed: Connection reset by peer (os error 104)";
        for e in [
            ApiError::NetworkDown { detail: raw.into() },
            ApiError::MalformedReply { detail: raw.into() },
            ApiError::Io(std::io::Error::other(raw)),
        ] {
            let m = e.msg();
            for text in [&m.text("en"), &m.text("zh-CN")] {
                assert!(
                    !text.contains("os error") && !text.contains("SendRequest"),
                    "{text}"
                );
            }
            assert_eq!(e.raw_cause().as_deref(), Some(raw), "{}", e.kind());
        }
        let uncertain = CreateError::SubmissionUncertain { reason: raw.into() };
        assert!(!uncertain.msg().text("en").contains("os error"));
        assert_eq!(uncertain.raw_cause().as_deref(), Some(raw));
        assert_eq!(ApiError::InvalidToken.raw_cause(), None);
    }

    #[test]
    fn every_message_is_bilingual_and_kinds_are_snake_case() {
        let all = [
            ApiError::InvalidToken,
            ApiError::OutOfCredit,
            ApiError::RateLimited { retry_after: None },
            ApiError::RateLimited {
                retry_after: Some(Duration::from_secs(5)),
            },
            ApiError::Rejected {
                status: 400,
                message: "x".into(),
            },
            ApiError::ServerError { status: 500 },
            ApiError::Redirected { status: 307 },
            ApiError::NetworkDown {
                detail: "refused".into(),
            },
            ApiError::Timeout,
            ApiError::MalformedReply { detail: "x".into() },
            ApiError::ResultLinkExpired,
            ApiError::ResultHostRefused {
                reason: "private".into(),
            },
            ApiError::ResultTooLarge { limit: 1 << 29 },
            ApiError::FileChanged,
            ApiError::FileTooLarge {
                size: 60 << 20,
                limit: 50 << 20,
            },
            ApiError::GaveUpWaiting {
                waited: Duration::from_secs(7200),
            },
            ApiError::Io(std::io::Error::other("disk full")),
            ApiError::HostNotConfirmed {
                host: "https://proxy.example.com".into(),
            },
        ];
        for e in all {
            let m = e.msg();
            assert!(
                !m.text("en").is_empty() && !m.text("zh-CN").is_empty(),
                "{e:?}"
            );
            assert!(
                e.kind().chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                e.kind()
            );
        }
        let uncertain = CreateError::SubmissionUncertain {
            reason: "timed out".into(),
        };
        assert_eq!(uncertain.kind(), "submission_uncertain");
        // The raw reason is kept behind Details, not in the words.
        assert!(!uncertain.msg().text("en").contains("timed out"));
        assert_eq!(uncertain.raw_cause().as_deref(), Some("timed out"));
        assert_eq!(
            CreateError::NotSubmitted(ApiError::OutOfCredit).kind(),
            "out_of_credit"
        );
    }
}
