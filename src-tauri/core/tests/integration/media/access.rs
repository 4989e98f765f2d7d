//! What the inline player's video source refuses: anything but a finished job's own file, asked for with
//! this launch's token.

use crate::support::media::{get, raw, Fixture};

#[tokio::test]
async fn a_wrong_or_missing_token_is_refused() {
    let fx = Fixture::start().await;
    let (path, _) = fx.write_clip("a.mp4", 100);
    let id = fx.done_job(&path);
    let good = fx.target(&id);
    let token = good.split('/').nth(2).unwrap().to_owned();
    let mut flipped = token.clone();
    let last = if flipped.ends_with('0') { "1" } else { "0" };
    flipped.replace_range(flipped.len() - 1.., last);
    for target in [
        format!("/video/{flipped}/{id}"),
        format!("/video/{}/{id}", &token[..token.len() - 1]),
        format!("/video/{token}0/{id}"),
        format!("/video/{}/{id}", token.to_uppercase()),
        format!("/video//{id}"),
        format!("/video/{id}"),
        format!("/{token}/{id}"),
    ] {
        let r = raw(&fx.server, "GET", &target, &[]).await;
        assert_eq!(r.status, 404, "{target}");
        assert!(r.body.is_empty());
    }
    assert_eq!(raw(&fx.server, "GET", &good, &[]).await.status, 200);
}

#[tokio::test]
async fn an_unknown_job_is_refused() {
    let fx = Fixture::start().await;
    let r = get(&fx, "0b5f6a2e-8c1d-4e7f-9a3b-2c4d6e8f0a1b", &[]).await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn a_job_not_done_yet_is_refused_even_with_its_file_in_place() {
    let fx = Fixture::start().await;
    let (path, _) = fx.write_clip("a.mp4", 100);
    let id = fx.downloading_job();
    fx.store.set_planned_output(&id, &path).unwrap();
    assert_eq!(get(&fx, &id, &[]).await.status, 404);
    fx.store.set_done(&id, &path).unwrap();
    assert_eq!(get(&fx, &id, &[]).await.status, 200);
}

#[tokio::test]
async fn a_job_whose_file_is_gone_is_refused() {
    let fx = Fixture::start().await;
    let (path, _) = fx.write_clip("a.mp4", 100);
    let id = fx.done_job(&path);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(get(&fx, &id, &[]).await.status, 404);
}

#[tokio::test]
async fn a_job_whose_path_is_a_folder_is_refused() {
    let fx = Fixture::start().await;
    let id = fx.done_job(fx.dir.path());
    assert_eq!(get(&fx, &id, &[]).await.status, 404);
}

#[tokio::test]
async fn path_tricks_reach_nothing() {
    let fx = Fixture::start().await;
    let (path, _) = fx.write_clip("a.mp4", 100);
    let id = fx.done_job(&path);
    let good = fx.target(&id);
    let base = good.rsplit_once('/').unwrap().0.to_owned();
    for target in [
        format!("{base}/../../../../etc/passwd"),
        format!("{base}/..%2F..%2F..%2Fetc%2Fpasswd"),
        format!("{base}/%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
        format!("{base}/{id}%2F..%2F..%2Fa.mp4"),
        format!("{base}/{id}/../{id}"),
        format!("{base}/{id}/"),
        format!("{base}/"),
        format!("{base}/a.mp4"),
        format!("{base}/{}", path.display()),
        format!("{base}/{id}%00"),
        "/".to_owned(),
        "/video/".to_owned(),
        "/etc/passwd".to_owned(),
    ] {
        let r = raw(&fx.server, "GET", &target, &[]).await;
        assert_eq!(r.status, 404, "{target}");
        assert!(r.body.is_empty(), "{target}: no listing, no content");
    }
}

#[tokio::test]
async fn only_get_and_head_are_answered() {
    let fx = Fixture::start().await;
    let (path, _) = fx.write_clip("a.mp4", 100);
    let id = fx.done_job(&path);
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let r = raw(
            &fx.server,
            method,
            &fx.target(&id),
            &[("Content-Length", "0")],
        )
        .await;
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET, HEAD"));
        assert!(r.body.is_empty());
    }
}

#[tokio::test]
async fn the_server_listens_on_loopback_only() {
    let fx = Fixture::start().await;
    assert!(fx.server.addr().ip().is_loopback());
    assert_ne!(fx.server.addr().port(), 0);
}
