//! The gate every routed request passes: counting, the request log, the bearer check, fault injection.

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::model::{Fault, RequestRecord, Route};
use crate::server::{ConnectionCloser, BODY_LIMIT};
use crate::state::Shared;

pub(crate) async fn api_gate(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    match classify_api(request.method(), request.uri().path()) {
        Some(route) => gate(shared, route, request, next).await,
        None => next.run(request).await,
    }
}

pub(crate) async fn files_gate(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    gate(shared, Route::Result, request, next).await
}

fn classify_api(method: &Method, path: &str) -> Option<Route> {
    match (method, path) {
        (&Method::POST, "/v1/generate/vol/seedance-pro-1.5") => Some(Route::Create),
        (&Method::GET, path) if path.starts_with("/v1/tasks/") => Some(Route::GetTask),
        (&Method::POST, "/api/upload/file") => Some(Route::UploadFile),
        (&Method::POST, "/api/upload/base64") => Some(Route::UploadBase64),
        (&Method::POST, "/api/upload/url") => Some(Route::UploadUrl),
        _ => None,
    }
}

async fn gate(shared: Arc<Shared>, route: Route, request: Request, next: Next) -> Response {
    let (record_index, fault) = {
        let mut inner = shared.lock();
        let counts = &mut inner.counts;
        match route {
            Route::Create => counts.create += 1,
            Route::GetTask => counts.get_task += 1,
            Route::UploadFile | Route::UploadBase64 | Route::UploadUrl => counts.upload += 1,
            Route::Result => counts.result += 1,
        }
        inner.log.push(RequestRecord {
            route,
            method: request.method().to_string(),
            path: request.uri().path().to_owned(),
            had_authorization: request.headers().contains_key(AUTHORIZATION),
            status: 0,
        });
        let fault = inner
            .faults
            .get_mut(&route)
            .and_then(|queue| queue.pop_front());
        (inner.log.len() - 1, fault)
    };
    // The service sits behind nginx, which reads a request's whole body before any answer comes back
    // (a refused token, a fault). Answering mid-upload instead makes the client see either the answer
    // or a broken connection, depending on timing.
    let response = match (buffer_body(request).await, fault) {
        (Err(too_large), _) => too_large,
        (Ok(request), None) => next.run(request).await,
        (Ok(request), Some(Fault::Hang)) => {
            tokio::time::sleep(shared.config.hang_for).await;
            next.run(request).await
        }
        (Ok(request), Some(Fault::DropAfterRead)) => drop_after_read(request).await,
        (Ok(request), Some(Fault::CutBody { after_bytes })) => {
            cut_body(next.run(request).await, after_bytes).await
        }
        (Ok(_), Some(other)) => fault_response(&other),
    };
    let status = response.status().as_u16();
    let mut inner = shared.lock();
    if let Some(record) = inner.log.get_mut(record_index) {
        record.status = status;
    }
    if status == StatusCode::UNAUTHORIZED.as_u16() {
        inner.counts.unauthorized += 1;
    }
    response
}

/// Reads the whole body, so whatever answer follows comes after the request fully arrived.
async fn buffer_body(request: Request) -> Result<Request, Response> {
    let (parts, body) = request.into_parts();
    match to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => Ok(Request::from_parts(parts, Body::from(bytes))),
        Err(_) => Err(json_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "request body too large",
        )),
    }
}

async fn drop_after_read(request: Request) -> Response {
    let closer = request.extensions().get::<ConnectionCloser>().cloned();
    let _ = to_bytes(request.into_body(), BODY_LIMIT).await;
    match closer {
        Some(closer) => {
            closer.close();
            // The connection task drops this future together with the socket.
            std::future::pending::<Response>().await
        }
        None => json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "sim_error",
            "connection drop is unavailable on this listener",
        ),
    }
}

async fn cut_body(response: Response, after_bytes: usize) -> Response {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "sim_error",
            "could not read the answer to cut",
        );
    };
    if bytes.len() <= after_bytes {
        return Response::from_parts(parts, Body::from(bytes));
    }
    use futures_util::StreamExt;
    let head = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes.slice(..after_bytes))]);
    // An error from the body stream makes hyper abort the connection mid-body. The pause first lets
    // the headers and the first bytes go out, as on a real connection that breaks.
    let break_off = futures_util::stream::once(async {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "simulated cut",
        ))
    });
    Response::from_parts(parts, Body::from_stream(head.chain(break_off)))
}

fn fault_response(fault: &Fault) -> Response {
    match fault {
        Fault::ServerError => json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "simulated internal server error",
        ),
        Fault::RateLimited { retry_after_secs } => {
            let mut response = json_error(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many requests, slow down",
            );
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            response
        }
        Fault::Unauthorized => unauthorized(),
        Fault::PaymentRequired => json_error(
            StatusCode::PAYMENT_REQUIRED,
            "insufficient_balance",
            "Insufficient balance, please top up your account",
        ),
        Fault::MalformedJson => (
            StatusCode::OK,
            [(CONTENT_TYPE, "application/json")],
            "{\"task_id\": \"0123, \"status\": ",
        )
            .into_response(),
        Fault::HtmlError { status } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_GATEWAY);
            let title = format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("Error")
            );
            let page = format!(
                "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            );
            (status, [(CONTENT_TYPE, "text/html")], page).into_response()
        }
        // Handled in `gate`; answered like a server error should they ever reach here.
        Fault::Hang | Fault::DropAfterRead | Fault::CutBody { .. } => json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "simulated internal server error",
        ),
    }
}

pub(crate) fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({"error": {"code": code, "message": message}});
    (status, axum::Json(body)).into_response()
}

pub(crate) fn unauthorized() -> Response {
    json_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "invalid or missing API token",
    )
}

/// Exactly `Authorization: Bearer <token>`.
pub(crate) fn bearer_ok(shared: &Shared, headers: &HeaderMap) -> bool {
    let expected = format!("Bearer {}", shared.config.token);
    let presented = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    presented == Some(expected.as_str())
}
