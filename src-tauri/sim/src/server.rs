//! Accept loops. Hand-rolled instead of `axum::serve` so a handler can close its own connection
//! without answering (`Fault::DropAfterRead`): the connection future is dropped, which drops the socket.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{middleware, Router};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tower_service::Service;

use crate::state::Shared;
use crate::{faults, results, tasks, uploads};

/// Above the 50 MB upload limit so the upload handler, not the framework, decides on 413.
pub(crate) const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// Request extension: closes the connection the request arrived on, without a response.
#[derive(Clone)]
pub(crate) struct ConnectionCloser(Arc<Notify>);

impl ConnectionCloser {
    pub fn close(&self) {
        self.0.notify_one();
    }
}

pub(crate) fn api_router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/v1/generate/vol/seedance-pro-1.5", post(tasks::create))
        .route("/v1/tasks/{id}", get(tasks::get_task))
        .route("/api/upload/file", post(uploads::upload_file))
        .route("/api/upload/base64", post(uploads::upload_base64))
        .route("/api/upload/url", post(uploads::upload_url))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            faults::api_gate,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(shared)
}

pub(crate) fn files_router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/results/{file}", get(results::serve_result))
        .route("/uploads/{*key}", get(results::serve_upload))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            faults::files_gate,
        ))
        .with_state(shared)
}

/// Runs until aborted; aborting drops the `JoinSet`, which aborts every open connection too.
pub(crate) async fn serve(listener: TcpListener, router: Router) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, router.clone()));
                }
                Err(error) => {
                    // Typically EMFILE; back off instead of spinning.
                    tracing::warn!(%error, "simulator accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, router: Router) {
    let _ = stream.set_nodelay(true);
    let closer = ConnectionCloser(Arc::new(Notify::new()));
    let closer_for_requests = closer.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(closer_for_requests.clone());
        let mut router = router.clone();
        async move { router.call(request.map(axum::body::Body::new)).await }
    });
    let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = connection => {}
        _ = closer.0.notified() => {}
    }
}
