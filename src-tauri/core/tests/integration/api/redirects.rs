//! The API and upload hosts' redirects are never followed: a followed 307/308 would send the paid create
//! (and the token) a second time to wherever it points.

use crate::support::api::*;
use crate::support::raw_http::{answer, RawServer};
use seedance_core::api::{ApiConfig, ApiError, CreateError, TaskId};

/// Every path outside `/moved/` is sent on there with `status`; `/moved/` answers like SinanCode.
async fn redirecting(status: u16) -> RawServer {
    RawServer::start(move |_, path, _| {
        if path.starts_with("/moved/") {
            answer(
                200,
                &[("content-type", "application/json")],
                br#"{"task_id":"t-1","id":"t-1","status":"processing","url":"https://u/a.png"}"#,
            )
        } else {
            let to = format!("/moved{path}");
            answer(status, &[("location", to.as_str())], b"")
        }
    })
    .await
}

fn client(server: &RawServer) -> seedance_core::api::SinanClient {
    client_with(
        ApiConfig::new(&server.base, &server.base)
            .unwrap()
            .with_timeouts(fast_timeouts()),
    )
}

#[tokio::test]
async fn create_does_not_follow_a_redirect() {
    for status in [307, 308, 302] {
        let server = redirecting(status).await;
        let token = seedance_core::secrets::ApiToken::new("tok").unwrap();
        let err = within(client(&server).create_task(&token, &create_body()))
            .await
            .unwrap_err();
        assert!(
            matches!(err, CreateError::NotSubmitted(ApiError::Redirected { status: s }) if s == status),
            "{err:?}"
        );
        assert_eq!(
            server.seen(),
            vec!["POST /v1/generate/vol/seedance-pro-1.5".to_owned()],
            "sent once, to the configured address only"
        );
    }
}

#[tokio::test]
async fn queries_and_uploads_do_not_follow_a_redirect() {
    let server = redirecting(307).await;
    let client = client(&server);
    let token = seedance_core::secrets::ApiToken::new("tok").unwrap();
    let err = within(client.get_task(&token, &TaskId("t-1".into())))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ApiError::Redirected { status: 307 }),
        "{err:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("a.png");
    std::fs::write(&image, b"not really a png").unwrap();
    let err = within(client.upload_file(&token, &image, |_, _| {}))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ApiError::Redirected { status: 307 }),
        "{err:?}"
    );
    assert!(
        server.seen().iter().all(|line| !line.contains("/moved/")),
        "{:?}",
        server.seen()
    );
}
