//! Requests to responses. Every refusal is the same bare 404, whatever was wrong (token, job, state, file),
//! so a wrong guess learns nothing.

use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::TryStreamExt;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Empty, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use super::access::AccessToken;
use super::body::{file_range, BufferStats};
use super::range::RangeRequest;
use super::VideoSource;

pub(crate) type Body = UnsyncBoxBody<Bytes, std::io::Error>;

pub(crate) struct Shared {
    pub token: AccessToken,
    pub source: Arc<dyn VideoSource>,
    pub allowed_origins: Vec<String>,
    pub stats: Arc<BufferStats>,
}

/// Runs until aborted; aborting drops the `JoinSet`, which closes every open connection too.
pub(crate) async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, shared.clone()));
                }
                Err(error) => {
                    // Typically EMFILE; back off instead of spinning.
                    tracing::warn!(%error, "media server accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let shared = shared.clone();
        let asked = Asked::from(&request);
        async move { Ok::<_, std::convert::Infallible>(respond(&shared, asked).await) }
    });
    if let Err(error) = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await
    {
        // A player that seeks closes connections mid-body all the time.
        tracing::debug!(%error, "media connection ended early");
    }
}

/// What a response depends on, taken from the request before any waiting.
struct Asked {
    method: Method,
    path: String,
    range: Option<String>,
    origin: Option<HeaderValue>,
}

impl<B> From<&Request<B>> for Asked {
    fn from(request: &Request<B>) -> Self {
        let headers = request.headers();
        Self {
            method: request.method().clone(),
            path: request.uri().path().to_owned(),
            range: headers
                .get(header::RANGE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            origin: headers.get(header::ORIGIN).cloned(),
        }
    }
}

async fn respond(shared: &Shared, request: Asked) -> Response<Body> {
    let head = match request.method {
        Method::GET => false,
        Method::HEAD => true,
        _ => {
            let mut r = bare(StatusCode::METHOD_NOT_ALLOWED);
            r.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return r;
        }
    };
    let Some(job_id) = job_id_of(&request.path, &shared.token) else {
        return bare(StatusCode::NOT_FOUND);
    };
    let Some(path) = lookup(shared, job_id).await else {
        return bare(StatusCode::NOT_FOUND);
    };
    let Some((file, len)) = open_regular_file(path).await else {
        return bare(StatusCode::NOT_FOUND);
    };
    let (status, start, count) = match RangeRequest::parse(request.range.as_deref(), len) {
        RangeRequest::Whole => (StatusCode::OK, 0, len),
        RangeRequest::Part { start, end } => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
        RangeRequest::Unsatisfiable => {
            let mut r = bare(StatusCode::RANGE_NOT_SATISFIABLE);
            insert(&mut r, header::CONTENT_RANGE, format!("bytes */{len}"));
            insert(&mut r, header::ACCEPT_RANGES, "bytes".into());
            return r;
        }
    };
    let body = if head || count == 0 {
        empty()
    } else {
        match file_range(file, start, count, shared.stats.clone()).await {
            Ok(stream) => StreamBody::new(stream.map_ok(Frame::data)).boxed_unsync(),
            Err(error) => {
                tracing::warn!(%error, "video file could not be read");
                return bare(StatusCode::NOT_FOUND);
            }
        }
    };
    let mut r = Response::new(body);
    *r.status_mut() = status;
    insert(&mut r, header::CONTENT_TYPE, "video/mp4".into());
    insert(&mut r, header::CONTENT_LENGTH, count.to_string());
    insert(&mut r, header::ACCEPT_RANGES, "bytes".into());
    // The file can be replaced (a repeated download), so the player must not reuse old bytes.
    insert(&mut r, header::CACHE_CONTROL, "no-store".into());
    insert(&mut r, header::X_CONTENT_TYPE_OPTIONS, "nosniff".into());
    if status == StatusCode::PARTIAL_CONTENT {
        let end = start + count - 1;
        insert(
            &mut r,
            header::CONTENT_RANGE,
            format!("bytes {start}-{end}/{len}"),
        );
    }
    allow_own_origin(shared, request.origin, &mut r);
    r
}

/// `/video/<token>/<job id>` with the right token and a job id's shape (hex digits and hyphens), else `None`.
/// The path is the raw one from the request line: percent-escapes are never decoded, so `%2F` or `%2e%2e`
/// cannot turn into a separator or a parent folder; and the id only selects a database row, never a path.
fn job_id_of<'a>(path: &'a str, token: &AccessToken) -> Option<&'a str> {
    let mut parts = path.strip_prefix("/video/")?.split('/');
    let (candidate, id) = (parts.next()?, parts.next()?);
    if parts.next().is_some() || !token.matches(candidate) {
        return None;
    }
    let id_shaped =
        (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    id_shaped.then_some(id)
}

async fn lookup(shared: &Shared, job_id: &str) -> Option<PathBuf> {
    let source = shared.source.clone();
    let id = job_id.to_owned();
    // The history is SQLite behind a blocking lock.
    tokio::task::spawn_blocking(move || source.finished_video(&id))
        .await
        .ok()
        .flatten()
}

/// The file and its length, when it is still there and is a plain file (not a folder or a device).
async fn open_regular_file(path: PathBuf) -> Option<(tokio::fs::File, u64)> {
    let file = tokio::fs::File::open(&path).await.ok()?;
    let meta = file.metadata().await.ok()?;
    meta.is_file().then_some((file, meta.len()))
}

/// A canvas may read the pixels only of a video its page's origin is allowed to read; the app's own page
/// draws the last frame, so its origin, and only it, is named.
fn allow_own_origin(shared: &Shared, origin: Option<HeaderValue>, r: &mut Response<Body>) {
    r.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Origin"));
    let Some(origin) = origin else {
        return;
    };
    if shared
        .allowed_origins
        .iter()
        .any(|o| o.as_bytes() == origin.as_bytes())
    {
        r.headers_mut()
            .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
}

fn empty() -> Body {
    Empty::<Bytes>::new()
        .map_err(|never| match never {})
        .boxed_unsync()
}

fn bare(status: StatusCode) -> Response<Body> {
    let mut r = Response::new(empty());
    *r.status_mut() = status;
    r
}

fn insert(r: &mut Response<Body>, name: header::HeaderName, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        r.headers_mut().insert(name, v);
    }
}

#[cfg(test)]
mod tests {
    use super::{job_id_of, AccessToken};

    #[test]
    fn only_the_exact_route_names_a_job() {
        let t = AccessToken::random();
        let tok = t.as_str();
        let id = "0b5f6a2e-8c1d-4e7f-9a3b-2c4d6e8f0a1b";
        assert_eq!(job_id_of(&format!("/video/{tok}/{id}"), &t), Some(id));
        for path in [
            format!("/video/{tok}/{id}/"),
            format!("/video/{tok}/"),
            format!("/video/{tok}"),
            format!("/video//{id}"),
            format!("/video/{tok}/..%2F..%2Fetc%2Fpasswd"),
            format!("/video/{tok}/%2e%2e"),
            format!("/video/{tok}/../{id}"),
            format!("/Video/{tok}/{id}"),
            format!("/video/{tok}x/{id}"),
            format!("//video/{tok}/{id}"),
        ] {
            assert_eq!(job_id_of(&path, &t), None, "{path}");
        }
    }
}
