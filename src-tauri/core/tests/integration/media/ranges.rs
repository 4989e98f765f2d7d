//! The inline player's video source over real HTTP: whole files, byte ranges, HEAD, and which page origins
//! may read the pixels.

use crate::support::media::{get, raw, Fixture, APP_ORIGIN};

const LEN: usize = 300_000;

#[tokio::test]
async fn the_whole_file_with_its_type_length_and_range_support() {
    let fx = Fixture::start().await;
    let (path, bytes) = fx.write_clip("a.mp4", LEN);
    let id = fx.done_job(&path);
    let r = get(&fx, &id, &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("video/mp4"));
    assert_eq!(r.header("content-length"), Some("300000"));
    assert_eq!(r.header("accept-ranges"), Some("bytes"));
    assert_eq!(r.header("content-range"), None);
    assert!(r.body == bytes, "the body is the file");
}

#[tokio::test]
async fn each_single_range_form_returns_exactly_those_bytes() {
    let fx = Fixture::start().await;
    let (path, bytes) = fx.write_clip("a.mp4", LEN);
    let id = fx.done_job(&path);
    let cases: [(&str, usize, usize); 6] = [
        ("bytes=0-0", 0, 0),
        ("bytes=1000-70999", 1000, 70_999),
        ("bytes=299990-", 299_990, LEN - 1),
        ("bytes=-4096", LEN - 4096, LEN - 1),
        ("bytes=200000-999999", 200_000, LEN - 1),
        ("bytes=-999999", 0, LEN - 1),
    ];
    for (range, start, end) in cases {
        let r = get(&fx, &id, &[("Range", range)]).await;
        assert_eq!(r.status, 206, "{range}");
        let expected_range = format!("bytes {start}-{end}/{LEN}");
        assert_eq!(r.header("content-range"), Some(expected_range.as_str()));
        let expected_len = (end - start + 1).to_string();
        assert_eq!(r.header("content-length"), Some(expected_len.as_str()));
        assert_eq!(r.header("content-type"), Some("video/mp4"));
        assert!(
            r.body == bytes[start..=end],
            "{range}: the body is those bytes"
        );
    }
}

#[tokio::test]
async fn a_range_outside_the_file_is_416_with_the_files_length() {
    let fx = Fixture::start().await;
    let (path, _) = fx.write_clip("a.mp4", LEN);
    let id = fx.done_job(&path);
    for range in ["bytes=300000-", "bytes=300000-300010", "bytes=-0"] {
        let r = get(&fx, &id, &[("Range", range)]).await;
        assert_eq!(r.status, 416, "{range}");
        assert_eq!(r.header("content-range"), Some("bytes */300000"));
        assert!(r.body.is_empty());
    }
}

#[tokio::test]
async fn several_ranges_at_once_get_the_whole_file() {
    let fx = Fixture::start().await;
    let (path, bytes) = fx.write_clip("a.mp4", LEN);
    let id = fx.done_job(&path);
    let r = get(&fx, &id, &[("Range", "bytes=0-9,20-29")]).await;
    assert_eq!(r.status, 200);
    assert!(r.body == bytes);
}

#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let fx = Fixture::start().await;
    let (path, _) = fx.write_clip("a.mp4", LEN);
    let id = fx.done_job(&path);
    let r = raw(&fx.server, "HEAD", &fx.target(&id), &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-length"), Some("300000"));
    assert_eq!(r.header("accept-ranges"), Some("bytes"));
    assert!(r.body.is_empty());
    let r = raw(
        &fx.server,
        "HEAD",
        &fx.target(&id),
        &[("Range", "bytes=10-19")],
    )
    .await;
    assert_eq!(r.status, 206);
    assert_eq!(r.header("content-range"), Some("bytes 10-19/300000"));
    assert_eq!(r.header("content-length"), Some("10"));
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn only_the_apps_own_page_may_read_the_pixels() {
    let fx = Fixture::start().await;
    let (path, _) = fx.write_clip("a.mp4", 1000);
    let id = fx.done_job(&path);
    for origin in [APP_ORIGIN, "http://tauri.localhost"] {
        let r = get(&fx, &id, &[("Origin", origin)]).await;
        assert_eq!(r.header("access-control-allow-origin"), Some(origin));
        assert_eq!(r.header("vary"), Some("Origin"));
    }
    for origin in ["https://evil.example", "null", "tauri://localhost.evil"] {
        let r = get(&fx, &id, &[("Origin", origin)]).await;
        assert_eq!(r.status, 200, "playback itself needs no permission");
        assert_eq!(r.header("access-control-allow-origin"), None, "{origin}");
    }
    let r = get(&fx, &id, &[]).await;
    assert_eq!(r.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn the_url_names_the_job_and_a_long_secret_not_the_path() {
    let fx = Fixture::start().await;
    let (path, _) = fx.write_clip("secret-name.mp4", 10);
    let id = fx.done_job(&path);
    let url = fx.server.video_url(&id);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(url.ends_with(&format!("/{id}")));
    assert!(!url.contains("secret-name"));
    let token = url.split('/').nth(4).unwrap();
    assert!(
        token.len() >= 32 && token.bytes().all(|b| b.is_ascii_hexdigit()),
        "≥128 bits"
    );
    let other = Fixture::start().await;
    assert_ne!(
        other.server.video_url(&id),
        url,
        "each server (each launch) has its own token"
    );
}
