//! The result host: signed, expiring links to the MP4 fixture, and uploaded files.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::{
    ACCEPT_RANGES, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, ETAG, IF_RANGE, LOCATION, RANGE,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::state::{unix_now, Shared, UploadContent};

/// A small real H.264 + AAC clip standing in for every generated video.
pub const SAMPLE_MP4: &[u8] = include_bytes!("../fixtures/sample.mp4");

type HmacSha256 = Hmac<Sha256>;

fn link_mac(key: &[u8; 32], path: &str, expires: &str) -> HmacSha256 {
    // `new_from_slice` accepts any key length for HMAC; the fallback is unreachable.
    let mut mac =
        HmacSha256::new_from_slice(key).unwrap_or_else(|_| HmacSha256::new(&Default::default()));
    mac.update(path.as_bytes());
    mac.update(expires.as_bytes());
    mac
}

pub(crate) fn signed_result_url(base: &str, key: &[u8; 32], task_id: &str, expires: u64) -> String {
    let path = format!("/results/{task_id}.mp4");
    let sig = hex::encode(
        link_mac(key, &path, &expires.to_string())
            .finalize()
            .into_bytes(),
    );
    format!("{base}{path}?expires={expires}&sig={sig}")
}

pub(crate) async fn serve_result(
    State(shared): State<Arc<Shared>>,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let path = format!("/results/{file}");
    let (Some(expires_text), Some(sig)) = (query.get("expires"), query.get("sig")) else {
        return cdn_error("AccessDenied", "Request is missing a signature");
    };
    let sig_ok = hex::decode(sig)
        .map(|sig| {
            link_mac(&shared.link_key, &path, expires_text)
                .verify_slice(&sig)
                .is_ok()
        })
        .unwrap_or(false);
    if !sig_ok {
        return cdn_error(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided",
        );
    }
    let Ok(expires) = expires_text.parse::<u64>() else {
        return cdn_error("AccessDenied", "Invalid expires parameter");
    };
    let Some(task_id) = file.strip_suffix(".mp4") else {
        return not_found();
    };
    {
        let inner = shared.lock();
        if !inner.tasks.contains_key(task_id) {
            return not_found();
        }
        if unix_now() >= expires || inner.revoked_links.contains(&(task_id.to_owned(), expires)) {
            return cdn_error("AccessDenied", "Request has expired");
        }
    }
    serve_bytes(
        shared.result_video.clone(),
        "video/mp4",
        &headers,
        Some(&shared.result_etag),
    )
}

pub(crate) async fn serve_upload(
    State(shared): State<Arc<Shared>>,
    Path(rest): Path<String>,
    headers: HeaderMap,
) -> Response {
    let key = format!("uploads/{rest}");
    let (content, content_type) = {
        let inner = shared.lock();
        let Some(upload) = inner.uploads.get(&key) else {
            return not_found();
        };
        if unix_now() >= upload.expires_unix {
            return cdn_error("AccessDenied", "Request has expired");
        }
        let content = match &upload.content {
            UploadContent::Bytes(bytes) => Ok(bytes.clone()),
            UploadContent::Remote(url) => Err(url.clone()),
        };
        (content, upload.content_type.clone())
    };
    match content {
        Ok(bytes) => serve_bytes(Bytes::from(bytes), &content_type, &headers, None),
        Err(url) => (StatusCode::FOUND, [(LOCATION, url)]).into_response(),
    }
}

/// Whole body, or `206` for `Range: bytes=N-` / `bytes=N-M` so downloads can resume. `Bytes` so a large
/// result is served without copying it per request. With an `etag`, it is sent, and a range whose
/// `If-Range` names another version is answered with the whole file (RFC 9110 §13.1.5).
fn serve_bytes(
    bytes: Bytes,
    content_type: &str,
    headers: &HeaderMap,
    etag: Option<&str>,
) -> Response {
    let mut response = serve_range(bytes, content_type, headers, etag);
    if let Some(tag) = etag.and_then(|e| HeaderValue::from_str(e).ok()) {
        if response.status().is_success() {
            response.headers_mut().insert(ETAG, tag);
        }
    }
    response
}

fn serve_range(
    bytes: Bytes,
    content_type: &str,
    headers: &HeaderMap,
    etag: Option<&str>,
) -> Response {
    let total = bytes.len();
    let same_version = match headers.get(IF_RANGE) {
        None => true,
        Some(asked) => etag.is_some_and(|e| asked.to_str().is_ok_and(|a| a.trim() == e)),
    };
    let range = headers
        .get(RANGE)
        .filter(|_| same_version)
        .and_then(|value| value.to_str().ok())
        .and_then(parse_range);
    let Some((start, end)) = range else {
        return (
            StatusCode::OK,
            [
                (CONTENT_TYPE, content_type.to_owned()),
                (CONTENT_LENGTH, total.to_string()),
                (ACCEPT_RANGES, "bytes".to_owned()),
            ],
            bytes,
        )
            .into_response();
    };
    if start >= total {
        return (
            StatusCode::RANGE_NOT_SATISFIABLE,
            [(CONTENT_RANGE, format!("bytes */{total}"))],
        )
            .into_response();
    }
    let last = end.map_or(total - 1, |end| end.min(total - 1));
    if last < start {
        return (
            StatusCode::RANGE_NOT_SATISFIABLE,
            [(CONTENT_RANGE, format!("bytes */{total}"))],
        )
            .into_response();
    }
    let part = bytes.slice(start..=last);
    (
        StatusCode::PARTIAL_CONTENT,
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (CONTENT_LENGTH, part.len().to_string()),
            (CONTENT_RANGE, format!("bytes {start}-{last}/{total}")),
            (ACCEPT_RANGES, "bytes".to_owned()),
        ],
        part,
    )
        .into_response()
}

/// A single `bytes=N-` or `bytes=N-M`; anything else is ignored (the whole file is served, per RFC 9110).
fn parse_range(header: &str) -> Option<(usize, Option<usize>)> {
    let spec = header.trim().strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    let start = start.trim().parse().ok()?;
    let end = match end.trim() {
        "" => None,
        end => Some(end.parse().ok()?),
    };
    Some((start, end))
}

fn cdn_error(code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>\n"
    );
    (
        StatusCode::FORBIDDEN,
        [(CONTENT_TYPE, "application/xml")],
        body,
    )
        .into_response()
}

fn not_found() -> Response {
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>\n";
    (
        StatusCode::NOT_FOUND,
        [(CONTENT_TYPE, "application/xml")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=10-"), Some((10, None)));
        assert_eq!(parse_range("bytes=0-99"), Some((0, Some(99))));
        assert_eq!(parse_range("bytes=-5"), None);
        assert_eq!(parse_range("items=1-"), None);
    }
}
