//! What a result download refuses and how it resumes: only public https hosts (the simulator's loopback
//! links only when the API itself is on this machine), no Referer on redirects, a size cap, checked Range
//! arithmetic, `If-Range` across restarts, and never replacing a file already under the final name.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::support::api::*;
use crate::support::raw_http::{answer, RawServer};
use seedance_core::api::{
    part_meta_path, part_path, ApiConfig, ApiError, RetryPolicy, SinanClient,
};

/// A client whose API is on loopback, so loopback result links are allowed (as for the simulator).
fn local_client(server: &RawServer) -> SinanClient {
    client_with(
        ApiConfig::new(&server.base, &server.base)
            .unwrap()
            .with_timeouts(fast_timeouts()),
    )
}

fn one_try(client: SinanClient) -> SinanClient {
    client.with_transfer_retry(RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::for_transfers()
    })
}

#[tokio::test]
async fn the_real_service_cannot_send_downloads_to_this_machine() {
    let server = RawServer::start(|_, _, _| answer(200, &[], b"video")).await;
    let client = client_with(ApiConfig::production().with_timeouts(fast_timeouts()));
    let dir = tempfile::tempdir().unwrap();
    let port = server.base.rsplit(':').next().unwrap().to_owned();
    for url in [
        format!("{}/r.mp4", server.base),
        format!("https://127.0.0.1:{port}/r.mp4"),
        format!("https://localhost:{port}/r.mp4"),
        "https://192.168.1.1/r.mp4".to_owned(),
        "http://cdn.example.com/r.mp4".to_owned(),
    ] {
        let dest = dir.path().join("clip.mp4");
        let err = within(client.download(&url, &dest, |_, _| {}))
            .await
            .unwrap_err();
        assert!(
            matches!(err, ApiError::ResultHostRefused { .. }),
            "{url}: {err:?}"
        );
        assert!(!dest.exists() && !part_path(&dest).unwrap().exists());
    }
    assert!(server.seen().is_empty(), "{:?}", server.seen());
}

#[tokio::test]
async fn redirects_stay_on_allowed_hosts_and_carry_no_referer() {
    let server = RawServer::start(|_, path, _| match path {
        "/signed.mp4?sig=secret" => answer(302, &[("location", "/cdn.mp4")], b""),
        "/to-lan.mp4" => answer(302, &[("location", "http://10.255.255.1/x.mp4")], b""),
        _ => answer(200, &[], b"video"),
    })
    .await;
    let client = local_client(&server);
    let dir = tempfile::tempdir().unwrap();

    let dest = dir.path().join("a.mp4");
    let url = format!("{}/signed.mp4?sig=secret", server.base);
    within(client.download(&url, &dest, |_, _| {}))
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), b"video");
    let heads = server.heads();
    assert_eq!(heads.len(), 2);
    assert!(
        !heads[1].contains("referer") && !heads[1].contains("secret"),
        "the signed link must not reach the next hop: {}",
        heads[1]
    );

    let dest = dir.path().join("b.mp4");
    let url = format!("{}/to-lan.mp4", server.base);
    let err = within(client.download(&url, &dest, |_, _| {}))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::ResultHostRefused { .. }), "{err:?}");
    assert!(!part_path(&dest).unwrap().exists());
}

#[tokio::test]
async fn an_endless_result_is_refused_by_its_announced_size() {
    let server =
        RawServer::start(|_, _, _| answer(200, &[("content-length", "629145600")], &[0u8; 1000]))
            .await;
    let client = local_client(&server);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("big.mp4");
    let err = within(client.download(&format!("{}/r.mp4", server.base), &dest, |_, _| {}))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::ResultTooLarge { .. }), "{err:?}");
    assert_eq!(server.seen().len(), 1, "not retried");
    assert!(!dest.exists() && !part_path(&dest).unwrap().exists());
    assert!(err.to_string().contains("larger"));
}

#[tokio::test]
async fn an_impossible_range_length_is_an_error_not_an_overflow() {
    let server = RawServer::start(|_, _, _| {
        answer(
            206,
            &[
                ("content-length", "18446744073709551613"),
                ("content-range", "bytes 40-18446744073709551614/*"),
            ],
            b"",
        )
    })
    .await;
    let client = one_try(local_client(&server));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("c.mp4");
    std::fs::write(part_path(&dest).unwrap(), [7u8; 40]).unwrap();
    let err = within(client.download(&format!("{}/r.mp4", server.base), &dest, |_, _| {}))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::MalformedReply { .. }), "{err:?}");
}

const V1: &[u8] = &[1u8; 100];
const V2: &[u8] = &[2u8; 100];

/// First request: version 1, cut off after 40 of 100 bytes. Later requests: version 2, answered by
/// `later(head)`.
async fn changing_host(
    later: impl Fn(&str) -> crate::support::raw_http::Answer + Send + Sync + 'static,
) -> RawServer {
    let calls = Arc::new(AtomicUsize::new(0));
    RawServer::start(move |_, _, head| {
        if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            answer(
                200,
                &[("content-length", "100"), ("etag", "\"v1\"")],
                &V1[..40],
            )
        } else {
            later(&head.to_ascii_lowercase())
        }
    })
    .await
}

#[tokio::test]
async fn a_resume_after_a_restart_sends_if_range_and_starts_over_on_a_new_file() {
    // A host that honours If-Range: the file changed, so it answers with the whole new one.
    let server = changing_host(|head| {
        if head.contains("if-range: \"v1\"") {
            answer(200, &[("etag", "\"v2\"")], V2)
        } else {
            answer(500, &[], b"the resume did not name the file it continues")
        }
    })
    .await;
    let client = one_try(local_client(&server));
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("d.mp4");
    let url = format!("{}/r.mp4", server.base);
    within(client.download(&url, &dest, |_, _| {}))
        .await
        .unwrap_err();
    assert_eq!(std::fs::read(part_path(&dest).unwrap()).unwrap().len(), 40);
    // As after a restart: a new client, only the files on disk remember the first answer.
    let client = one_try(local_client(&server));
    within(client.download(&url, &dest, |_, _| {}))
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), V2);
    assert!(server.heads()[1].contains("range: bytes=40-"));
    assert!(!part_meta_path(&part_path(&dest).unwrap()).exists());
}

#[tokio::test]
async fn a_piece_of_another_file_is_never_spliced_on() {
    // A host that ignores If-Range and sends the rest of its new file: the ETag gives it away.
    let server = changing_host(|head| {
        if head.contains("range: bytes=40-") {
            answer(
                206,
                &[("etag", "\"v2\""), ("content-range", "bytes 40-99/100")],
                &V2[40..],
            )
        } else {
            answer(200, &[("etag", "\"v2\"")], V2)
        }
    })
    .await;
    let client = local_client(&server);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("e.mp4");
    within(client.download(&format!("{}/r.mp4", server.base), &dest, |_, _| {}))
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), V2);
}

#[tokio::test]
async fn a_file_already_under_the_final_name_is_kept() {
    let server = RawServer::start(|_, _, _| answer(200, &[], b"video")).await;
    let client = local_client(&server);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("clip.mp4");
    std::fs::write(&dest, b"the user's own file").unwrap();
    let placed = within(client.download(&format!("{}/r.mp4", server.base), &dest, |_, _| {}))
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), b"the user's own file");
    assert_eq!(placed, dir.path().join("clip (2).mp4"));
    assert_eq!(std::fs::read(&placed).unwrap(), b"video");
}
