//! "Test token" in Settings: one harmless authenticated request tells whether SinanCode accepts a token.
//!
//! The request asks for a task that cannot exist. SinanCode checks the token before looking the task up,
//! so "not found" means the token was accepted and 401/403 means it was refused. Nothing is created and
//! nothing is charged.

use std::time::Duration;

use serde::Serialize;

use crate::api::{ApiError, RetryPolicy, SinanClient, TaskId};
use crate::i18n::{Message, UserFacing};
use crate::secrets::ApiToken;

/// Prefix of the made-up task id, so the request is recognisable in the service's logs.
pub const CHECK_TASK_PREFIX: &str = "seedance-studio-token-check-";

/// What the check found. Serialised as `{"outcome": "valid"}`, `{"outcome": "service_error", "status": 503}`…
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum TokenCheck {
    Valid,
    Rejected,
    NoNetwork,
    /// `status` is `None` when the service accepted the connection but never answered.
    ServiceError {
        status: Option<u16>,
    },
    RateLimited,
    // `detail` is the technical cause in its own words, for a "Details" disclosure; the message itself
    // stays in plain words.
    Unexpected {
        detail: String,
    },
    /// The token is not confirmed for the API host, so nothing was sent.
    HostNotConfirmed {
        host: String,
    },
}

/// Checks `token` with one GET and no retries: the user is waiting on the button, and a repeat after
/// a rate limit could be told to wait up to minutes.
pub async fn check_token(client: &SinanClient, token: &ApiToken) -> TokenCheck {
    let client = client.clone().with_query_retry(RetryPolicy {
        max_attempts: 1,
        base: Duration::ZERO,
        max: Duration::ZERO,
        jitter: 0.0,
        min: Duration::ZERO,
    });
    let id = TaskId(format!("{CHECK_TASK_PREFIX}{:016x}", rand::random::<u64>()));
    let outcome = TokenCheck::from_reply(client.get_task(token, &id).await);
    tracing::info!(outcome = outcome.kind(), "token check finished");
    outcome
}

impl TokenCheck {
    /// Maps the client's classification of the reply. Any refusal other than 401/403/429 (including
    /// "not found" and "out of credit") came from a service that accepted the token.
    pub fn from_reply<T>(reply: Result<T, ApiError>) -> Self {
        match reply {
            Ok(_) => Self::Valid,
            Err(ApiError::Rejected { .. } | ApiError::OutOfCredit) => Self::Valid,
            Err(ApiError::InvalidToken) => Self::Rejected,
            Err(ApiError::RateLimited { .. }) => Self::RateLimited,
            Err(ApiError::NetworkDown { .. }) => Self::NoNetwork,
            // Connected, but no answer in time: the service (or a proxy in front of it) is stuck.
            Err(ApiError::Timeout) => Self::ServiceError { status: None },
            Err(ApiError::ServerError { status }) => Self::ServiceError {
                status: Some(status),
            },
            Err(ApiError::HostNotConfirmed { host }) => Self::HostNotConfirmed { host },
            Err(e @ ApiError::MalformedReply { .. }) => Self::Unexpected {
                detail: e.to_string(),
            },
            Err(
                e @ (ApiError::ResultLinkExpired
                | ApiError::Redirected { .. }
                | ApiError::FileChanged
                | ApiError::ResultHostRefused { .. }
                | ApiError::ResultTooLarge { .. }
                | ApiError::FileTooLarge { .. }
                | ApiError::GaveUpWaiting { .. }
                | ApiError::Io(_)),
            ) => Self::Unexpected {
                detail: e.to_string(),
            },
        }
    }

    pub fn is_valid(&self) -> bool {
        matches!(self, Self::Valid)
    }

    /// A stable snake_case name, the same as the serialised `outcome`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Rejected => "rejected",
            Self::NoNetwork => "no_network",
            Self::ServiceError { .. } => "service_error",
            Self::RateLimited => "rate_limited",
            Self::Unexpected { .. } => "unexpected",
            Self::HostNotConfirmed { .. } => "host_not_confirmed",
        }
    }

    /// What the check found and what to do next.
    pub fn msg(&self) -> Message {
        match self {
            Self::Valid => Message::new("msg.token.valid"),
            Self::Rejected => Message::new("msg.token.rejected"),
            Self::NoNetwork => Message::new("msg.token.no_network"),
            Self::ServiceError {
                status: Some(status),
            } => Message::new("msg.token.service_error_status").arg("status", *status),
            Self::ServiceError { status: None } => Message::new("msg.token.service_error"),
            Self::RateLimited => Message::new("msg.token.rate_limited"),
            Self::Unexpected { .. } => Message::new("msg.token.unexpected"),
            Self::HostNotConfirmed { host } => {
                ApiError::HostNotConfirmed { host: host.clone() }.msg()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn replies_map_to_outcomes() {
        let from = |e: ApiError| TokenCheck::from_reply::<()>(Err(e));
        assert_eq!(TokenCheck::from_reply::<()>(Ok(())), TokenCheck::Valid);
        let not_found = ApiError::Rejected {
            status: 404,
            message: "no such task".into(),
        };
        assert_eq!(from(not_found), TokenCheck::Valid);
        assert_eq!(from(ApiError::OutOfCredit), TokenCheck::Valid);
        assert_eq!(from(ApiError::InvalidToken), TokenCheck::Rejected);
        assert_eq!(
            from(ApiError::RateLimited { retry_after: None }),
            TokenCheck::RateLimited
        );
        assert_eq!(
            from(ApiError::Timeout),
            TokenCheck::ServiceError { status: None }
        );
        assert_eq!(
            from(ApiError::ServerError { status: 502 }),
            TokenCheck::ServiceError { status: Some(502) }
        );
        assert!(matches!(
            from(ApiError::MalformedReply { detail: "html".into() }),
            TokenCheck::Unexpected { detail } if detail.contains("html")
        ));
    }

    /// What the OS or the parser said stays out of the words; it still reaches the UI, for Details.
    #[test]
    fn an_unexpected_answer_keeps_its_raw_text_out_of_the_message() {
        let raw = "connection closed: Connection reset by peer (os error 104)";
        for e in [
            ApiError::MalformedReply {
                detail: "expected value at line 1 column 1: <html>".into(),
            },
            ApiError::Io(std::io::Error::other(raw)),
        ] {
            let shown = e.to_string();
            let outcome = TokenCheck::from_reply::<()>(Err(e));
            let m = outcome.msg();
            for text in [&m.text("en"), &m.text("zh-CN")] {
                assert!(
                    !text.contains("os error")
                        && !text.contains("<html>")
                        && !text.contains("line 1"),
                    "{text}"
                );
            }
            assert!(m.text("en").contains("did not expect") && m.text("zh-CN").contains("意外"));
            let json = serde_json::to_value(&outcome).unwrap();
            assert_eq!(json["outcome"], "unexpected");
            assert_eq!(
                json["detail"],
                shown.as_str(),
                "the cause still crosses to the UI"
            );
        }
    }

    #[test]
    fn outcomes_serialise_with_a_tag_and_have_both_languages() {
        let all = [
            TokenCheck::Valid,
            TokenCheck::Rejected,
            TokenCheck::NoNetwork,
            TokenCheck::ServiceError { status: Some(500) },
            TokenCheck::ServiceError { status: None },
            TokenCheck::RateLimited,
            TokenCheck::Unexpected { detail: "x".into() },
            TokenCheck::HostNotConfirmed {
                host: "https://proxy.example.com".into(),
            },
        ];
        for outcome in all {
            let json = serde_json::to_value(&outcome).unwrap();
            assert_eq!(json["outcome"], outcome.kind(), "{json}");
            let m = outcome.msg();
            assert!(!m.text("en").is_empty() && !m.text("zh-CN").is_empty());
            // The words of the outcomes this check names itself are catalog entries, not fixed text.
            if !matches!(outcome, TokenCheck::HostNotConfirmed { .. }) {
                assert_ne!(m.key, "msg.text", "{}", outcome.kind());
            }
        }
        let json = serde_json::to_value(TokenCheck::ServiceError { status: Some(503) }).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"outcome": "service_error", "status": 503})
        );
    }
}
