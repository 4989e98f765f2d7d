//! The SinanCode HTTP client: upload images, create tasks, query them, download results.
//!
//! Money rule: the create request is never repeated once its bytes may have left the machine (see
//! [`SinanClient::create_task`]); everything else is a safe GET or a free upload and is retried with backoff.
//! The API token only ever goes into the `Authorization` header of requests to the configured API and
//! upload hosts, and only when the token is bound to that host (see [`crate::token_hosts`]): never to the
//! result host, never into logs or errors.

mod clock;
mod config;
mod download;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzz;
mod part_file;
mod poll;
mod reply;
mod result_host;
mod retry;
mod tasks;
mod upload;

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::header::HeaderValue;
use url::Url;

pub use clock::{Clock, FixedClock, RealTime, ScaledTime, SleepFuture, Sleeper};
pub(crate) use config::is_loopback;
pub use config::{
    validate_base_url, ApiConfig, BaseUrlError, Timeouts, API_BASE_ENV, PRODUCTION_API_BASE,
    PRODUCTION_UPLOAD_BASE, UPLOAD_BASE_ENV,
};
pub use download::{part_path, place_download, sync_parent_dir, MAX_RESULT_BYTES};
pub use error::{ApiError, CreateError};
pub use part_file::{meta_path as part_meta_path, remove_part};
pub use poll::MIN_POLL_INTERVAL;
pub use poll::{poll_until_finished, poll_until_finished_reporting, PollEvent, PollSchedule};
pub use retry::{RetryPolicy, MAX_RETRY_AFTER};
pub use tasks::{parse_task_state, TaskId, TaskState, TaskStatus};
pub use upload::{
    sha256_file, MemoryUploadCache, UploadCache, Uploaded, CACHE_REUSE_MARGIN, UPLOAD_LIMIT_BYTES,
};

use crate::secrets::ApiToken;
use crate::token_hosts::{may_send_token, origin_of};

/// Sent with every request so the service can tell this app's traffic apart.
pub const USER_AGENT: &str = concat!("SeedanceStudio/", env!("CARGO_PKG_VERSION"));

/// Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct SinanClient {
    /// For the API and upload hosts: carries the token, follows no redirect, repeats nothing by itself.
    http: reqwest::Client,
    /// For result links only: no token, redirects checked hop by hop, no Referer.
    download_http: reqwest::Client,
    config: ApiConfig,
    query_retry: RetryPolicy,
    transfer_retry: RetryPolicy,
    create_connect_retry: RetryPolicy,
    sleeper: Arc<dyn Sleeper>,
}

impl std::fmt::Debug for SinanClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SinanClient")
            .field("api_base", &self.config.api_base.as_str())
            .field("upload_base", &self.config.upload_base.as_str())
            .finish_non_exhaustive()
    }
}

impl SinanClient {
    pub fn new(config: ApiConfig) -> Result<Self, ApiError> {
        Self::new_resolving(config, &[])
    }

    /// [`SinanClient::new`], with each `(host, address)` in `pinned` reached at that address instead of
    /// through DNS (the port still comes from the URL). Tests use it to reach the simulator on loopback
    /// under a name that is not loopback.
    pub fn new_resolving(
        config: ApiConfig,
        pinned: &[(&str, SocketAddr)],
    ) -> Result<Self, ApiError> {
        let http = api_http(&config, pinned)?;
        let download_http = download::result_http(&config)?;
        Ok(Self {
            http,
            download_http,
            config,
            query_retry: RetryPolicy::for_queries(),
            transfer_retry: RetryPolicy::for_transfers(),
            create_connect_retry: RetryPolicy::for_create_connect(),
            sleeper: Arc::new(RealTime),
        })
    }

    pub fn config(&self) -> &ApiConfig {
        &self.config
    }

    /// Retry policy for task queries.
    pub fn with_query_retry(mut self, policy: RetryPolicy) -> Self {
        self.query_retry = policy;
        self
    }

    /// Retry policy for uploads and downloads.
    pub fn with_transfer_retry(mut self, policy: RetryPolicy) -> Self {
        self.transfer_retry = policy;
        self
    }

    /// Retry policy for create requests that failed to connect (and so were provably never sent).
    pub fn with_create_connect_retry(mut self, policy: RetryPolicy) -> Self {
        self.create_connect_retry = policy;
        self
    }

    /// How the client waits between retries (tests pass a [`ScaledTime`]).
    pub fn with_sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// Runs `op` until it succeeds, fails for good, or `policy` runs out of attempts.
    async fn with_retries<T, F, Fut>(
        &self,
        what: &str,
        policy: &RetryPolicy,
        mut op: F,
    ) -> Result<T, ApiError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, ApiError>>,
    {
        let mut attempt = 1;
        loop {
            match op().await {
                Ok(v) => return Ok(v),
                Err(e) if e.is_transient() && policy.allows_retry_after(attempt) => {
                    let retry_after = match &e {
                        ApiError::RateLimited { retry_after } => *retry_after,
                        _ => None,
                    };
                    let wait = policy.delay_honouring(attempt - 1, retry_after);
                    tracing::debug!(what, attempt, kind = error_kind(&e), ?wait, "retrying");
                    self.sleeper.sleep(wait).await;
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// The client for the API and upload hosts.
///
/// No redirects: a 307/308 would make reqwest send the create POST (and its token) again to wherever the
/// answer points, and even a same-host redirect to plain http would carry the token in clear text. A 3xx
/// is reported as [`ApiError::Redirected`] instead.
///
/// No retries inside reqwest either: its default re-sends a request when an HTTP/2 stream is refused or
/// reset, which for create could start a second paid task. Every repeat is decided above this client:
/// [`SinanClient::with_retries`] for safe requests, and for create only a connection that failed before
/// anything was sent (see [`SinanClient::create_task`]). (hyper's own re-send of a request that never got
/// onto a pooled connection stays: nothing of it left the machine.)
fn api_http(
    config: &ApiConfig,
    pinned: &[(&str, SocketAddr)],
) -> Result<reqwest::Client, ApiError> {
    pinned
        .iter()
        .fold(reqwest::Client::builder(), |b, (host, addr)| {
            b.resolve(host, *addr)
        })
        .user_agent(USER_AGENT)
        .connect_timeout(config.timeouts.connect)
        .read_timeout(config.timeouts.read_idle)
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never())
        .referer(false)
        .build()
        .map_err(|e| ApiError::NetworkDown {
            detail: error::transport_detail(&e),
        })
}

fn error_kind(e: &ApiError) -> &'static str {
    use crate::i18n::UserFacing;
    e.kind()
}

/// The Authorization header value for a request to `target`, marked sensitive so HTTP/2 never indexes it
/// and `Debug` hides it. Every request that carries the token gets it here, and only when the token is
/// bound to `target`'s host; otherwise nothing is sent. A token that cannot be a header value (control
/// characters) cannot be valid either.
fn bearer(token: &ApiToken, target: &Url) -> Result<HeaderValue, ApiError> {
    if !may_send_token(token.hosts(), target) {
        return Err(ApiError::HostNotConfirmed {
            host: origin_of(target).unwrap_or_else(|| target.as_str().to_owned()),
        });
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| ApiError::InvalidToken)?;
    value.set_sensitive(true);
    Ok(value)
}

/// `base` with `segments` appended as path segments (each percent-encoded, so an id cannot change the path).
fn endpoint(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// Reads at most `limit` bytes of a response body; a body that breaks off yields what arrived.
async fn read_limited(response: reqwest::Response, limit: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(Ok(chunk)) = stream.next().await {
        let room = limit.saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= limit {
            break;
        }
    }
    out
}

/// Reads a whole success body, failing on transport errors (unlike [`read_limited`]).
async fn read_body(response: reqwest::Response, limit: usize) -> Result<Bytes, ApiError> {
    let mut out = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(ApiError::from_transport)?;
        if out.len() + chunk.len() > limit {
            return Err(ApiError::MalformedReply {
                detail: format!("reply larger than {limit} bytes"),
            });
        }
        out.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(out))
}

/// Host and path of a URL, for logs: never the query, which carries signatures on result links.
fn loggable(url: &Url) -> String {
    format!("{}{}", url.host_str().unwrap_or("?"), url.path())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn endpoints_encode_ids_and_keep_base_paths() {
        let base = Url::parse("https://api.sinancode.com").unwrap();
        assert_eq!(
            endpoint(&base, &["v1", "tasks", "abc"]).as_str(),
            "https://api.sinancode.com/v1/tasks/abc"
        );
        assert_eq!(
            endpoint(&base, &["v1", "tasks", "../x?y"]).as_str(),
            "https://api.sinancode.com/v1/tasks/..%2Fx%3Fy"
        );
        let prefixed = Url::parse("http://127.0.0.1:9/proxy/").unwrap();
        assert_eq!(
            endpoint(&prefixed, &["api", "upload", "file"]).as_str(),
            "http://127.0.0.1:9/proxy/api/upload/file"
        );
    }

    #[test]
    fn bearer_is_sensitive_and_rejects_control_characters() {
        let api = Url::parse("https://api.sinancode.com/v1/tasks/x").unwrap();
        let v = bearer(&ApiToken::new("tok-123").unwrap(), &api).unwrap();
        assert!(v.is_sensitive());
        assert_eq!(v.to_str().unwrap(), "Bearer tok-123");
        assert!(!format!("{v:?}").contains("tok-123"));
        assert!(matches!(
            bearer(&ApiToken::new("a\nb").unwrap(), &api),
            Err(ApiError::InvalidToken)
        ));
    }

    #[test]
    fn bearer_is_only_made_for_a_host_the_token_is_bound_to() {
        let proxy = Url::parse("https://proxy.example.com:8443/v1/tasks/x").unwrap();
        let token = ApiToken::new("tok-123").unwrap();
        match bearer(&token, &proxy) {
            Err(ApiError::HostNotConfirmed { host }) => {
                assert_eq!(host, "https://proxy.example.com:8443")
            }
            other => panic!("{other:?}"),
        }
        let mut hosts = crate::token_hosts::TokenHosts::default();
        hosts.insert("https://proxy.example.com:8443");
        assert!(bearer(&token.bound_to(&hosts), &proxy).is_ok());
    }

    #[test]
    fn user_agent_names_the_app() {
        assert!(USER_AGENT.starts_with("SeedanceStudio/"));
        assert_eq!(
            loggable(&Url::parse("https://cdn.x/r/1.mp4?sig=secret").unwrap()),
            "cdn.x/r/1.mp4"
        );
    }
}
