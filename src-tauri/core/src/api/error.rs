//! What can go wrong talking to SinanCode, classified so the job layer knows what to do next and the UI
//! can say it in English and 简体中文. No variant ever carries request headers.

use std::error::Error as _;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

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
            Self::SubmissionUncertain { .. } => Message::verbatim(
                "The request reached SinanCode or may have, but no clear answer came back. A paid task may have been created. Check your SinanCode balance or usage before submitting again, because resubmitting could start a second paid task.",
                "请求已发送或可能已发送到 SinanCode，但没有收到明确的答复。可能已经创建了一个计费任务。再次提交前请先查看 SinanCode 的余额或用量，因为重新提交可能会再创建一个计费任务。",
            ),
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
            Self::InvalidToken => Message::verbatim(
                "SinanCode refused the API token. Open Settings and paste a valid token from your SinanCode account.",
                "SinanCode 拒绝了该 API 令牌。请打开“设置”，粘贴您 SinanCode 账户中的有效令牌。",
            ),
            Self::OutOfCredit => Message::verbatim(
                "Your SinanCode account does not have enough balance. Top up your account, then submit again.",
                "您的 SinanCode 账户余额不足。请充值后再提交。",
            ),
            Self::RateLimited { retry_after } => {
                let secs = retry_after.map(|d| d.as_secs().max(1));
                Message::verbatim(
                    match secs {
                        Some(s) => format!("SinanCode is receiving too many requests. Wait about {s} s, then try again."),
                        None => "SinanCode is receiving too many requests. Wait a minute, then try again.".to_owned(),
                    },
                    match secs {
                        Some(s) => format!("SinanCode 当前请求过多。请等待约 {s} 秒后重试。"),
                        None => "SinanCode 当前请求过多。请等待一分钟后重试。".to_owned(),
                    },
                )
            }
            Self::Rejected { status, message } => Message::verbatim(
                format!("SinanCode refused the request (HTTP {status}): {message}. Change the settings it mentions, then submit again."),
                format!("SinanCode 拒绝了该请求（HTTP {status}）：{message}。请修改其中提到的设置后再提交。"),
            ),
            Self::ServerError { status } => Message::verbatim(
                format!("SinanCode had an internal problem (HTTP {status}). Wait a few minutes and try again; if it persists, check SinanCode's status."),
                format!("SinanCode 服务器出现内部问题（HTTP {status}）。请等几分钟后重试；如果问题持续，请查看 SinanCode 的服务状态。"),
            ),
            Self::Redirected { status } => Message::verbatim(
                format!("The server sent the request on to another address (HTTP {status}). The app does not follow it, so your API token and paid requests only go to the address you set; nothing was created. Check the API and upload addresses in Settings (the defaults are https://api.sinancode.com and https://files-api.sinancode.com)."),
                format!("服务器把请求转向了另一个地址（HTTP {status}）。为了让您的 API 令牌和计费请求只发往您设置的地址，应用不会跟随转向；没有创建任何任务。请在“设置”中检查 API 和上传地址（默认为 https://api.sinancode.com 和 https://files-api.sinancode.com）。"),
            ),
            Self::NetworkDown { .. } => Message::verbatim(
                "Could not reach SinanCode, or the connection broke off. Check your internet connection, proxy or firewall, then try again.",
                "无法连接到 SinanCode，或连接中途断开。请检查网络连接、代理或防火墙后重试。",
            ),
            Self::Timeout => Message::verbatim(
                "SinanCode did not answer in time. Check your internet connection and try again.",
                "SinanCode 未在规定时间内响应。请检查网络连接后重试。",
            ),
            Self::MalformedReply { .. } => Message::verbatim(
                "SinanCode sent a reply the app could not understand. Try again later; if it keeps happening, update Seedance Studio.",
                "SinanCode 返回了无法识别的答复。请稍后重试；如果一直出现，请更新 Seedance Studio。",
            ),
            Self::ResultLinkExpired => Message::verbatim(
                "SinanCode no longer serves this video: its download link was refused, and so was the fresh link the app asked SinanCode for (videos are kept about 24 hours). Retry download checks once more for free; Submit again generates a new video and is charged.",
                "SinanCode 已不再提供该视频：下载链接被拒绝，应用向 SinanCode 重新获取的新链接也被拒绝（视频约保留 24 小时）。“重新下载”会免费再检查一次；“重新提交”会生成新视频并再次计费。",
            ),
            Self::ResultHostRefused { .. } => Message::verbatim(
                "The video's download link points to this computer, a local network or a plain http address, so the app did not download it (a link from the service must not reach your own network). Nothing was downloaded. Try Retry download later; if it keeps happening, tell SinanCode support.",
                "视频的下载链接指向本机、局域网或明文 http 地址，因此应用没有下载（服务返回的链接不应访问您自己的网络）。没有下载任何内容。请稍后点击“重新下载”；如果一直出现，请联系 SinanCode 客服。",
            ),
            Self::ResultTooLarge { limit } => Message::verbatim(
                format!("The result host sent more than {}, far more than any generated video, so the download was stopped and the partial file removed. Try Retry download later; if it keeps happening, tell SinanCode support.", megabytes(*limit)),
                format!("结果服务器发送的数据超过 {}，远大于任何生成的视频，因此已停止下载并删除了未完成的文件。请稍后点击“重新下载”；如果一直出现，请联系 SinanCode 客服。", megabytes(*limit)),
            ),
            Self::FileChanged => Message::verbatim(
                "The image changed on disk after it was checked (it was edited, replaced or was still being saved), so it was not used and no task was created. Submit again to check and use the image as it is now.",
                "图片在检查之后被修改了（被编辑、替换或仍在保存中），因此没有使用它，也没有创建任务。请重新提交，以检查并使用图片的当前版本。",
            ),
            Self::FileTooLarge { size, limit } => Message::verbatim(
                format!("The image is {}, over the {} upload limit. Use the offered fix to shrink it, or pick a smaller image.", megabytes(*size), megabytes(*limit)),
                format!("图片大小为 {}，超过了 {} 的上传上限。请使用提供的修复功能缩小图片，或选择更小的图片。", megabytes(*size), megabytes(*limit)),
            ),
            Self::GaveUpWaiting { waited } => Message::verbatim(
                format!("The task is still not finished after {} minutes. It may still complete: check it again later.", waited.as_secs() / 60),
                format!("任务在 {} 分钟后仍未完成，可能仍会完成，请稍后再查看。", waited.as_secs() / 60),
            ),
            Self::Io(_) => Message::verbatim(
                "A file could not be read or written. Check that the folder exists, is writable and the disk is not full, then try again.",
                "无法读取或写入文件。请确认文件夹存在且可写、磁盘未满，然后重试。",
            ),
            Self::HostNotConfirmed { host } => Message::verbatim(
                format!("Your API token was not sent to {host}: you have not confirmed that address for it, so nothing was sent. To use it, save the API address again in Settings and answer Yes when asked; otherwise remove it (in Settings, or the SEEDANCE_API_BASE / SEEDANCE_UPLOAD_BASE variable) to use SinanCode's own address."),
                format!("您的 API 令牌没有发送到 {host}：您尚未确认该地址可以使用此令牌，因此没有发送任何内容。如需使用该地址，请在“设置”中重新保存 API 地址，并在询问时选择“是”；否则请删除该地址（在“设置”中，或删除 SEEDANCE_API_BASE / SEEDANCE_UPLOAD_BASE 环境变量），改用 SinanCode 自己的地址。"),
            ),
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
