//! The three upload endpoints (§3 of the API sheet). Bytes stay in memory and are served from the result host.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde_json::{json, Value};
use time::format_description::FormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

use crate::faults::{bearer_ok, json_error, unauthorized};
use crate::md5::md5_hex;
use crate::state::{unix_now, Shared, Upload, UploadContent};
use crate::validate::is_http_url;

/// The documented upload limit.
pub const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

const EXPIRES_FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

pub(crate) async fn upload_file(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    if !bearer_ok(&shared, request.headers()) {
        return unauthorized();
    }
    let mut multipart = match Multipart::from_request(request, &shared).await {
        Ok(multipart) => multipart,
        Err(rejection) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                &format!("expected multipart/form-data: {rejection}"),
            )
        }
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return multipart_error(&error),
        };
        if field.name() != Some("file") {
            continue;
        }
        return match field.bytes().await {
            Ok(bytes) => store_bytes(&shared, bytes.to_vec()),
            Err(error) => multipart_error(&error),
        };
    }
    json_error(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        "multipart field `file` is required",
    )
}

fn multipart_error(error: &MultipartError) -> Response {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        json_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            &format!("malformed multipart body: {error}"),
        )
    }
}

fn too_large() -> Response {
    json_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
        "file exceeds the 50 MB upload limit",
    )
}

pub(crate) async fn upload_base64(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let body = match authorized_json(&shared, request).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let Some(data) = body.get("data").and_then(Value::as_str) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "field `data` (a base64 data URL) is required",
        );
    };
    // Both `data:image/png;base64,AAAA` and bare base64 are accepted.
    let payload = match data.strip_prefix("data:") {
        Some(rest) => match rest.split_once(";base64,") {
            Some((_, payload)) => payload,
            None => {
                return json_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "`data` must be a base64 data URL (data:<type>;base64,<payload>)",
                )
            }
        },
        None => data,
    };
    let compact: String = payload.chars().filter(|c| !c.is_whitespace()).collect();
    match base64::engine::general_purpose::STANDARD.decode(compact) {
        Ok(bytes) => store_bytes(&shared, bytes),
        Err(error) => json_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            &format!("`data` is not valid base64: {error}"),
        ),
    }
}

pub(crate) async fn upload_url(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let body = match authorized_json(&shared, request).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let Some(url) = body
        .get("url")
        .and_then(Value::as_str)
        .filter(|url| is_http_url(url))
    else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "field `url` must be an http(s) URL",
        );
    };
    let name = body.get("filename").and_then(Value::as_str).unwrap_or(url);
    let extension = name
        .split(['?', '#'])
        .next()
        .and_then(|path| path.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let content_type = match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        _ => "application/octet-stream",
    };
    // Nothing is fetched, so the URL itself stands in for the content in md5 and size.
    store(
        &shared,
        UploadContent::Remote(url.to_owned()),
        md5_hex(url.as_bytes()),
        url.len(),
        content_type,
    )
}

async fn authorized_json(shared: &Arc<Shared>, request: Request) -> Result<Value, Response> {
    if !bearer_ok(shared, request.headers()) {
        return Err(unauthorized());
    }
    let bytes = Bytes::from_request(request, shared)
        .await
        .map_err(IntoResponse::into_response)?;
    let body: Value = serde_json::from_slice(&bytes).map_err(|error| {
        json_error(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            &format!("request body is not valid JSON: {error}"),
        )
    })?;
    Ok(body)
}

fn store_bytes(shared: &Shared, bytes: Vec<u8>) -> Response {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return too_large();
    }
    let content_type = sniff_content_type(&bytes);
    let md5 = md5_hex(&bytes);
    let size = bytes.len();
    store(shared, UploadContent::Bytes(bytes), md5, size, content_type)
}

fn store(
    shared: &Shared,
    content: UploadContent,
    md5: String,
    size: usize,
    content_type: &str,
) -> Response {
    let extension = match content_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "image/bmp" => "bmp",
        "image/tiff" => "tiff",
        _ => "bin",
    };
    let key = format!("uploads/sim/{}.{extension}", uuid::Uuid::new_v4().simple());
    let ttl = shared.config.upload_ttl;
    let expires_at = (OffsetDateTime::now_utc() + ttl)
        .format(EXPIRES_FORMAT)
        .unwrap_or_default();
    shared.lock().uploads.insert(
        key.clone(),
        Upload {
            content,
            content_type: content_type.to_owned(),
            expires_unix: unix_now() + ttl.as_secs(),
        },
    );
    let url = format!("{}/{key}", shared.result_base);
    Json(json!({
        "url": url,
        "cn_url": format!("{url}?region=cn"),
        "key": key,
        "md5": md5,
        "size": size,
        "content_type": content_type,
        "expires_at": expires_at,
    }))
    .into_response()
}

/// From magic bytes, never from what the client claims.
pub fn sniff_content_type(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "image/gif"
    } else if bytes.starts_with(b"BM") {
        "image/bmp"
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        "image/tiff"
    } else {
        "application/octet-stream"
    }
}

#[cfg(test)]
mod tests {
    use super::sniff_content_type;

    #[test]
    fn sniffing() {
        assert_eq!(sniff_content_type(b"\x89PNG\r\n\x1a\nrest"), "image/png");
        assert_eq!(sniff_content_type(&[0xFF, 0xD8, 0xFF, 0xE0]), "image/jpeg");
        assert_eq!(sniff_content_type(b"RIFF\0\0\0\0WEBPVP8 "), "image/webp");
        assert_eq!(sniff_content_type(b"GIF89a"), "image/gif");
        assert_eq!(sniff_content_type(b"BM\0\0"), "image/bmp");
        assert_eq!(sniff_content_type(b"MM\0*"), "image/tiff");
        assert_eq!(sniff_content_type(b"hello"), "application/octet-stream");
    }
}
