//! Uploading a local image to get the URL the create request needs, streamed from disk, and a cache keyed
//! by content hash so the same image is not uploaded again while its URL is still good.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use reqwest::header::AUTHORIZATION;
use reqwest::multipart::{Form, Part};
use reqwest::Body;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tokio_util::io::ReaderStream;

use super::clock::Clock;
use super::error::ApiError;
use super::reply::ERROR_BODY_LIMIT;
use super::{bearer, endpoint, read_body, read_limited, SinanClient};
use crate::secrets::ApiToken;

/// The upload endpoint's documented limit.
pub const UPLOAD_LIMIT_BYTES: u64 = 50 * 1024 * 1024;
/// A cached upload is reused only while its URL stays valid for longer than this, so a task created with it
/// cannot find the image gone while it is queued.
pub const CACHE_REUSE_MARGIN: time::Duration = time::Duration::hours(1);
/// When a reply gives no expiry the URL is used once and never reused from the cache.
const UNKNOWN_EXPIRY_ASSUMED: time::Duration = time::Duration::hours(1);
const UPLOAD_REPLY_LIMIT: usize = 256 * 1024;
const READ_CHUNK: usize = 64 * 1024;

/// Where an uploaded file can now be fetched from, and until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uploaded {
    /// The global URL, the one put into requests by default.
    pub url: String,
    /// The mainland-China mirror, when the service gave one.
    pub cn_url: Option<String>,
    pub key: Option<String>,
    pub md5: Option<String>,
    pub size: Option<u64>,
    pub content_type: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

impl Uploaded {
    /// Parses an upload reply; only a usable `url` is required.
    pub fn parse(body: &[u8], now: OffsetDateTime) -> Result<Self, ApiError> {
        let malformed = |detail: &str| ApiError::MalformedReply {
            detail: format!("upload reply: {detail}"),
        };
        let json: Value = serde_json::from_slice(body).map_err(|e| malformed(&e.to_string()))?;
        let text = |key: &str| {
            json.get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let url = text("url").ok_or_else(|| malformed("no url"))?;
        if !matches!(
            url::Url::parse(&url)
                .map(|u| u.scheme().to_owned())
                .as_deref(),
            Ok("https" | "http")
        ) {
            return Err(malformed("url is not a web address"));
        }
        let size = match json.get("size") {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        let expires_at = text("expires_at")
            .and_then(|s| OffsetDateTime::parse(&s, &Rfc3339).ok())
            .unwrap_or(now + UNKNOWN_EXPIRY_ASSUMED);
        Ok(Self {
            url,
            cn_url: text("cn_url"),
            key: text("key"),
            md5: text("md5"),
            size,
            content_type: text("content_type"),
            expires_at,
        })
    }

    /// Whether the URL stays valid long enough to be reused.
    pub fn reusable_at(&self, now: OffsetDateTime) -> bool {
        self.expires_at - now > CACHE_REUSE_MARGIN
    }
}

/// Uploads by SHA-256 (hex) of the file's bytes.
pub trait UploadCache: Send + Sync {
    fn get(&self, sha256: &str) -> Option<Uploaded>;
    fn put(&self, sha256: String, uploaded: Uploaded);
}

/// A cache that lasts as long as the process.
#[derive(Default)]
pub struct MemoryUploadCache(Mutex<HashMap<String, Uploaded>>);

impl MemoryUploadCache {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Uploaded>> {
        // A panic elsewhere cannot leave a map of finished uploads inconsistent, so poisoning is ignored.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl UploadCache for MemoryUploadCache {
    fn get(&self, sha256: &str) -> Option<Uploaded> {
        self.entries().get(sha256).cloned()
    }

    fn put(&self, sha256: String, uploaded: Uploaded) {
        self.entries().insert(sha256, uploaded);
    }
}

/// SHA-256 (hex) of a file, read in chunks off the async runtime.
pub async fn sha256_file(path: &Path) -> Result<String, ApiError> {
    let path = path.to_owned();
    let digest = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
        let mut file = std::fs::File::open(&path)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; READ_CHUNK];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                return Ok(hex::encode(hasher.finalize()));
            }
            hasher.update(&buf[..n]);
        }
    })
    .await
    .map_err(|e| ApiError::Io(std::io::Error::other(e)))??;
    Ok(digest)
}

/// The MIME type the upload host is told, from the file extension.
fn content_type_for(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("bmp") => "image/bmp",
        Some("tif" | "tiff") => "image/tiff",
        Some("gif") => "image/gif",
        Some("heic") => "image/heic",
        Some("heif") => "image/heif",
        _ => "application/octet-stream",
    }
}

type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

impl SinanClient {
    /// Uploads a file as multipart field `file`, streamed from disk. `on_progress(sent, total)` is called as
    /// bytes are handed to the connection (it restarts from 0 if a failed attempt is retried).
    pub async fn upload_file(
        &self,
        token: &ApiToken,
        path: &Path,
        on_progress: impl Fn(u64, u64) + Send + Sync + 'static,
    ) -> Result<Uploaded, ApiError> {
        Ok(self.upload_streamed(token, path, on_progress).await?.0)
    }

    /// [`SinanClient::upload_file`], also giving the SHA-256 of the bytes that went out.
    async fn upload_streamed(
        &self,
        token: &ApiToken,
        path: &Path,
        on_progress: impl Fn(u64, u64) + Send + Sync + 'static,
    ) -> Result<(Uploaded, String), ApiError> {
        let total = tokio::fs::metadata(path).await?.len();
        if total > UPLOAD_LIMIT_BYTES {
            return Err(ApiError::FileTooLarge {
                size: total,
                limit: UPLOAD_LIMIT_BYTES,
            });
        }
        let url = endpoint(&self.config.upload_base, &["api", "upload", "file"]);
        let auth = bearer(token, &url)?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "image".into());
        let progress: Progress = Arc::new(on_progress);
        self.with_retries("upload", &self.transfer_retry, || async {
            let file = tokio::fs::File::open(path).await?;
            let sent = Arc::new(std::sync::atomic::AtomicU64::new(0));
            let progress = progress.clone();
            let hasher = Arc::new(Mutex::new(Sha256::new()));
            let hashing = hasher.clone();
            let stream = ReaderStream::with_capacity(file, READ_CHUNK).inspect(move |chunk| {
                if let Ok(bytes) = chunk {
                    if let Ok(mut h) = hashing.lock() {
                        h.update(bytes);
                    }
                    let so_far = sent
                        .fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed)
                        + bytes.len() as u64;
                    progress(so_far, total);
                }
            });
            let part = Part::stream_with_length(Body::wrap_stream(stream), total)
                .file_name(file_name.clone())
                .mime_str(content_type_for(path))
                .map_err(|e| ApiError::MalformedReply {
                    detail: e.to_string(),
                })?;
            let response = self
                .http
                .post(url.clone())
                .header(AUTHORIZATION, auth.clone())
                .multipart(Form::new().part("file", part))
                .timeout(self.config.timeouts.upload)
                .send()
                .await
                .map_err(ApiError::from_transport)?;
            let status = response.status();
            tracing::debug!(status = status.as_u16(), "upload answered");
            if !status.is_success() {
                let headers = response.headers().clone();
                let body = read_limited(response, ERROR_BODY_LIMIT).await;
                return Err(ApiError::from_status(status, &headers, &body));
            }
            let uploaded = Uploaded::parse(
                &read_body(response, UPLOAD_REPLY_LIMIT).await?,
                OffsetDateTime::now_utc(),
            )?;
            let sent = match hasher.lock() {
                Ok(h) => hex::encode(h.clone().finalize()),
                Err(_) => String::new(),
            };
            Ok((uploaded, sent))
        })
        .await
    }

    /// Like [`SinanClient::upload_file`], but reuses an earlier upload of the same bytes while its URL stays
    /// valid for more than [`CACHE_REUSE_MARGIN`] (by `clock`); otherwise uploads and replaces the entry.
    pub async fn upload_cached(
        &self,
        token: &ApiToken,
        path: &Path,
        cache: &dyn UploadCache,
        clock: &dyn Clock,
        on_progress: impl Fn(u64, u64) + Send + Sync + 'static,
    ) -> Result<Uploaded, ApiError> {
        let sha = sha256_file(path).await?;
        if let Some(hit) = cache.get(&sha).filter(|u| u.reusable_at(clock.now())) {
            let size = hit.size.unwrap_or(0);
            on_progress(size, size);
            return Ok(hit);
        }
        let uploaded = self.upload_file(token, path, on_progress).await?;
        cache.put(sha, uploaded.clone());
        Ok(uploaded)
    }

    /// Like [`SinanClient::upload_cached`] for a frame that was checked: `checked_sha256` is the hash of
    /// the bytes the check read. The file is used only while it still holds exactly those bytes: before
    /// uploading (a cached upload is looked up by that hash) and again over the bytes that were actually
    /// sent. Otherwise [`ApiError::FileChanged`], and what was uploaded is not cached or used, so the
    /// create request never carries an image that was not checked.
    pub async fn upload_verified(
        &self,
        token: &ApiToken,
        path: &Path,
        checked_sha256: &str,
        cache: &dyn UploadCache,
        clock: &dyn Clock,
        on_progress: impl Fn(u64, u64) + Send + Sync + 'static,
    ) -> Result<Uploaded, ApiError> {
        if sha256_file(path).await? != checked_sha256 {
            return Err(ApiError::FileChanged);
        }
        if let Some(hit) = cache
            .get(checked_sha256)
            .filter(|u| u.reusable_at(clock.now()))
        {
            let size = hit.size.unwrap_or(0);
            on_progress(size, size);
            return Ok(hit);
        }
        let (uploaded, sent) = self.upload_streamed(token, path, on_progress).await?;
        if sent != checked_sha256 {
            return Err(ApiError::FileChanged);
        }
        cache.put(checked_sha256.to_owned(), uploaded.clone());
        Ok(uploaded)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2024-01-16 00:00 UTC);

    #[test]
    fn parses_full_and_sparse_replies() {
        let full = br#"{"url":"https://u/uploads/a.png","cn_url":"https://cn/a.png","key":"uploads/a.png",
            "md5":"d41d","size":12345,"content_type":"image/png","expires_at":"2024-01-17T00:00:00.000Z"}"#;
        let up = Uploaded::parse(full, NOW).unwrap();
        assert_eq!(up.cn_url.as_deref(), Some("https://cn/a.png"));
        assert_eq!(
            (up.size, up.expires_at),
            (Some(12345), datetime!(2024-01-17 00:00 UTC))
        );
        assert!(up.reusable_at(NOW) && !up.reusable_at(datetime!(2024-01-16 23:30 UTC)));

        let sparse = Uploaded::parse(br#"{"url":"https://u/b.png","size":"7"}"#, NOW).unwrap();
        assert_eq!((sparse.cn_url.as_deref(), sparse.size), (None, Some(7)));
        assert_eq!(sparse.expires_at, NOW + UNKNOWN_EXPIRY_ASSUMED);
        assert!(
            !sparse.reusable_at(NOW),
            "an upload of unknown lifetime is never reused"
        );

        for bad in [
            &br#"{"cn_url":"https://cn/a"}"#[..],
            br#"{"url":""}"#,
            br#"{"url":"file:///etc/passwd"}"#,
            b"<html>",
        ] {
            assert!(matches!(
                Uploaded::parse(bad, NOW),
                Err(ApiError::MalformedReply { .. })
            ));
        }
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type_for(Path::new("a/B.JPG")), "image/jpeg");
        assert_eq!(content_type_for(Path::new("x.webp")), "image/webp");
        assert_eq!(
            content_type_for(Path::new("noext")),
            "application/octet-stream"
        );
    }

    #[tokio::test]
    async fn hashes_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.bin");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(
            sha256_file(&p).await.unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(matches!(
            sha256_file(&dir.path().join("missing")).await,
            Err(ApiError::Io(_))
        ));
    }
}
