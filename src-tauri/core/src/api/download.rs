//! Downloading a finished video from its signed result link: no token (the link is its own credential and
//! the host is not SinanCode), no `Referer`, only public https hosts (see `result_host`), at most
//! [`MAX_RESULT_BYTES`], streamed to a `.part` file that is resumed across retries and restarts (see
//! `part_file`) and put into place only once complete and synced, so a half file never sits under the
//! final name and no existing file is replaced.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use reqwest::header::{CONTENT_RANGE, IF_RANGE, RANGE};
use reqwest::StatusCode;
use tokio::io::{AsyncWriteExt, BufWriter};
use url::Url;

use super::error::ApiError;
use super::part_file::{place, range_total, remove_part, PartInfo};
use super::reply::ERROR_BODY_LIMIT;
use super::result_host::{refusal_in, ResultHosts};
use super::{loggable, read_limited, SinanClient};

const WRITE_BUFFER: usize = 256 * 1024;

/// The largest result accepted. A generated clip is 4–10 MB (12 s of 1080p at the model's bitrate stays
/// well under 50 MB); 512 MiB leaves ten times the headroom of the largest while stopping a host that
/// streams without end from filling the disk.
pub const MAX_RESULT_BYTES: u64 = 512 * 1024 * 1024;

/// The client for result links: no token ever; no `Referer`, which would hand the signed link of one hop
/// to the next host; redirects and resolved addresses held to the allowed result hosts.
pub(super) fn result_http(config: &super::ApiConfig) -> Result<reqwest::Client, ApiError> {
    let hosts = ResultHosts::for_config(config);
    reqwest::Client::builder()
        .user_agent(super::USER_AGENT)
        .connect_timeout(config.timeouts.connect)
        .read_timeout(config.timeouts.read_idle)
        .redirect(hosts.redirect_policy())
        .dns_resolver(hosts.resolver())
        .referer(false)
        .build()
        .map_err(|e| ApiError::NetworkDown {
            detail: super::error::transport_detail(&e),
        })
}

/// A refused host is final; anything else is classified as usual.
fn download_transport_error(e: reqwest::Error) -> ApiError {
    match refusal_in(&e) {
        Some(reason) => ApiError::ResultHostRefused {
            reason: reason.to_owned(),
        },
        None => ApiError::from_transport(e),
    }
}

/// `dest` with `.part` appended to its file name, in the same directory (so the final rename is atomic).
pub fn part_path(dest: &Path) -> Result<PathBuf, ApiError> {
    let mut name = dest
        .file_name()
        .ok_or_else(|| {
            ApiError::Io(std::io::Error::new(
                ErrorKind::InvalidInput,
                "the destination has no file name",
            ))
        })?
        .to_os_string();
    name.push(".part");
    Ok(dest.with_file_name(name))
}

impl SinanClient {
    /// Downloads `url` to `dest`. `on_progress(received, total)` counts bytes in the file so far, including
    /// any resumed from an earlier attempt; `total` is `None` when the host does not say.
    pub async fn download(
        &self,
        url: &str,
        dest: &Path,
        on_progress: impl Fn(u64, Option<u64>) + Send + Sync,
    ) -> Result<PathBuf, ApiError> {
        let part = part_path(dest)?;
        self.download_part(url, &part, on_progress).await?;
        let (from, to) = (part.clone(), dest.to_path_buf());
        let placed = tokio::task::spawn_blocking(move || place(&from, &to))
            .await
            .map_err(std::io::Error::other)??;
        remove_part(&part).await?;
        sync_parent_dir(&placed).await;
        Ok(placed)
    }

    /// Downloads `url` into `part` (resuming what it holds), complete and synced, without putting it in
    /// place: for a caller that decides itself whether and where the file goes (see [`place_download`]).
    pub async fn download_part(
        &self,
        url: &str,
        part: &Path,
        on_progress: impl Fn(u64, Option<u64>) + Send + Sync,
    ) -> Result<(), ApiError> {
        let url = Url::parse(url.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "https" | "http"))
            .ok_or_else(|| ApiError::MalformedReply {
                detail: "the result link is not a web address".to_owned(),
            })?;
        let part = part.to_path_buf();
        let refused = ResultHosts::for_config(&self.config)
            .check(&url)
            .map_err(|refused| ApiError::ResultHostRefused {
                reason: refused.0.to_owned(),
            });
        let outcome = match refused {
            Ok(()) => {
                self.with_retries("download", &self.transfer_retry, || {
                    self.download_attempt(&url, &part, &on_progress)
                })
                .await
            }
            Err(e) => Err(e),
        };
        if let Err(e) = outcome {
            // These end the download for good: what arrived so far is of no further use.
            if matches!(
                e,
                ApiError::ResultHostRefused { .. } | ApiError::ResultTooLarge { .. }
            ) {
                remove_part(&part).await?;
            }
            return Err(e);
        }
        tracing::debug!(from = loggable(&url), "download complete");
        Ok(())
    }

    /// One GET, resuming from whatever the `.part` file already holds.
    async fn download_attempt(
        &self,
        url: &Url,
        part: &Path,
        on_progress: &(impl Fn(u64, Option<u64>) + Send + Sync),
    ) -> Result<(), ApiError> {
        let offset = match tokio::fs::metadata(part).await {
            Ok(meta) => meta.len(),
            Err(e) if e.kind() == ErrorKind::NotFound => 0,
            Err(e) => return Err(e.into()),
        };
        // A `.part` without notes predates them: it is resumed on the length check alone.
        let known = if offset > 0 {
            PartInfo::read(part).await
        } else {
            None
        };
        // Deliberately no Authorization header: the token must never reach the result host.
        let mut request = self.download_http.get(url.clone());
        if offset > 0 {
            request = request.header(RANGE, format!("bytes={offset}-"));
            if let Some(validator) = known.as_ref().and_then(PartInfo::validator) {
                request = request.header(IF_RANGE, validator);
            }
        }
        let response = request.send().await.map_err(download_transport_error)?;
        let status = response.status();
        tracing::debug!(
            status = status.as_u16(),
            offset,
            to = loggable(url),
            "download answered"
        );

        let resumed = match status {
            StatusCode::PARTIAL_CONTENT
                if offset > 0
                    && range_start(response.headers()) == Some(offset)
                    && known
                        .as_ref()
                        .is_none_or(|k| k.same_file(response.headers())) =>
            {
                true
            }
            StatusCode::OK => false,
            StatusCode::PARTIAL_CONTENT | StatusCode::RANGE_NOT_SATISFIABLE => {
                // The host and the part file disagree about what is already here: start over.
                remove_part(part).await?;
                return Err(ApiError::NetworkDown {
                    detail: "the download could not be resumed; restarting".into(),
                });
            }
            _ => {
                let headers = response.headers().clone();
                let body = read_limited(response, ERROR_BODY_LIMIT).await;
                return Err(classify_link_failure(status, &headers, &body));
            }
        };
        let start = if resumed { offset } else { 0 };
        let total = match response.content_length() {
            Some(len) => Some(
                start
                    .checked_add(len)
                    .ok_or_else(|| ApiError::MalformedReply {
                        detail: "the result host announced an impossible length".into(),
                    })?,
            ),
            None if resumed => range_total(response.headers()),
            None => None,
        };
        if total.is_some_and(|t| t > MAX_RESULT_BYTES) {
            return Err(ApiError::ResultTooLarge {
                limit: MAX_RESULT_BYTES,
            });
        }
        let file = if resumed {
            tokio::fs::OpenOptions::new()
                .append(true)
                .open(part)
                .await?
        } else {
            // A whole new file (first try, or the host now has a different one): note what it is first.
            PartInfo::from_full(response.headers(), response.content_length())
                .write(part)
                .await?;
            tokio::fs::File::create(part).await?
        };
        let mut writer = BufWriter::with_capacity(WRITE_BUFFER, file);
        let mut received = start;
        on_progress(received, total);
        let mut body = response.bytes_stream();
        let idle = self.config.timeouts.download_read_idle;
        let outcome = loop {
            match tokio::time::timeout(idle, body.next()).await {
                Err(_) => break Err(ApiError::Timeout),
                Ok(None) => break Ok(()),
                Ok(Some(Err(e))) => break Err(ApiError::from_transport(e)),
                Ok(Some(Ok(chunk))) => {
                    match received
                        .checked_add(chunk.len() as u64)
                        .filter(|&r| r <= MAX_RESULT_BYTES)
                    {
                        Some(r) => received = r,
                        None => {
                            break Err(ApiError::ResultTooLarge {
                                limit: MAX_RESULT_BYTES,
                            })
                        }
                    }
                    writer.write_all(&chunk).await?;
                    on_progress(received, total);
                }
            }
        };
        // Keep what arrived even on failure: the next attempt resumes from it.
        writer.flush().await?;
        outcome?;
        match total {
            Some(expected) if received < expected => {
                return Err(ApiError::NetworkDown {
                    detail: format!("the download stopped at {received} of {expected} bytes"),
                })
            }
            Some(expected) if received > expected => {
                remove_part(part).await?;
                return Err(ApiError::MalformedReply {
                    detail: "the result host sent more bytes than announced".into(),
                });
            }
            _ => {}
        }
        writer.into_inner().sync_all().await?;
        Ok(())
    }
}

/// Expired or refused signed links are final; anything else is classified like an API answer.
fn classify_link_failure(
    status: StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
) -> ApiError {
    let says_expired = String::from_utf8_lossy(body)
        .to_lowercase()
        .contains("expire");
    match status.as_u16() {
        403 | 410 => ApiError::ResultLinkExpired,
        400..=499 if says_expired => ApiError::ResultLinkExpired,
        401 => ApiError::Rejected {
            status: 401,
            message: "the result host refused the link".into(),
        },
        _ => ApiError::from_status(status, headers, body),
    }
}

/// The first byte position in `Content-Range: bytes <start>-<end>/<size>`.
pub(crate) fn range_start(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    let value = headers.get(CONTENT_RANGE)?.to_str().ok()?;
    value
        .trim()
        .strip_prefix("bytes")?
        .trim()
        .split('-')
        .next()?
        .trim()
        .parse()
        .ok()
}

/// Moves a finished download (see [`SinanClient::download_part`]) to `dest`, or to `dest (2)`, … when a
/// file has that name: nothing on disk is ever replaced. Its notes go with it. Blocking: file system calls
/// only, for a caller that must do it while it holds a lock.
pub fn place_download(part: &Path, dest: &Path) -> std::io::Result<PathBuf> {
    let placed = place(part, dest)?;
    let _ = std::fs::remove_file(super::part_file::meta_path(part));
    Ok(placed)
}

/// Makes the rename itself durable where the OS allows syncing a directory; failure only weakens
/// crash-safety, so it is not reported.
pub async fn sync_parent_dir(dest: &Path) {
    #[cfg(unix)]
    if let Some(dir) = dest.parent() {
        if let Ok(d) = tokio::fs::File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
        .await
        {
            let _ = d.sync_all().await;
        }
    }
    #[cfg(not(unix))]
    let _ = dest;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};

    #[test]
    fn part_file_sits_beside_the_destination() {
        assert_eq!(
            part_path(Path::new("/v/out.mp4")).unwrap(),
            PathBuf::from("/v/out.mp4.part")
        );
        assert!(part_path(Path::new("/")).is_err());
    }

    #[test]
    fn content_range_start() {
        let mut h = HeaderMap::new();
        assert_eq!(range_start(&h), None);
        h.insert(CONTENT_RANGE, HeaderValue::from_static("bytes 100-199/200"));
        assert_eq!(range_start(&h), Some(100));
        h.insert(CONTENT_RANGE, HeaderValue::from_static("bytes */200"));
        assert_eq!(range_start(&h), None);
    }

    #[test]
    fn expired_links() {
        let h = HeaderMap::new();
        assert!(matches!(
            classify_link_failure(StatusCode::FORBIDDEN, &h, b""),
            ApiError::ResultLinkExpired
        ));
        assert!(matches!(
            classify_link_failure(StatusCode::GONE, &h, b""),
            ApiError::ResultLinkExpired
        ));
        assert!(matches!(
            classify_link_failure(StatusCode::BAD_REQUEST, &h, b"Request has EXPIRED"),
            ApiError::ResultLinkExpired
        ));
        assert!(matches!(
            classify_link_failure(StatusCode::NOT_FOUND, &h, b""),
            ApiError::Rejected { status: 404, .. }
        ));
        assert!(matches!(
            classify_link_failure(StatusCode::BAD_GATEWAY, &h, b""),
            ApiError::ServerError { status: 502 }
        ));
    }
}
