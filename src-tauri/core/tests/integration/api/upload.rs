//! Uploads against the simulator: the reply, streaming progress, retries and the content-hash cache.

use std::sync::{Arc, Mutex};

use crate::support::api::*;
use seedance_core::api::{
    ApiError, FixedClock, MemoryUploadCache, RealTime, RetryPolicy, UploadCache, UPLOAD_LIMIT_BYTES,
};
use seedance_sim::{Fault, Route, SimConfig};

fn image_file(dir: &tempfile::TempDir, name: &str, len: usize) -> (std::path::PathBuf, Vec<u8>) {
    let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
    let path = dir.path().join(name);
    std::fs::write(&path, &bytes).unwrap();
    (path, bytes)
}

#[tokio::test]
async fn upload_streams_the_file_reports_progress_and_parses_the_reply() {
    let sim = start(SimConfig::fast()).await;
    let client = client_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let (path, bytes) = image_file(&dir, "frame.png", 700 * 1024 + 13);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen_in_cb = seen.clone();

    let up = within(client.upload_file(&token(&sim), &path, move |sent, total| {
        seen_in_cb.lock().unwrap().push((sent, total));
    }))
    .await
    .unwrap();

    assert!(
        up.url
            .starts_with(&format!("{}/uploads/", sim.result_base())),
        "{}",
        up.url
    );
    assert_eq!(up.size, Some(bytes.len() as u64));
    assert!(up.md5.is_some() && up.key.is_some());
    assert!(up.expires_at > time::OffsetDateTime::now_utc() + time::Duration::hours(24));
    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() > 1, "progress arrives in chunks: {seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0].0 <= w[1].0),
        "progress only grows"
    );
    assert_eq!(seen.last(), Some(&(bytes.len() as u64, bytes.len() as u64)));
    assert!(sim
        .requests()
        .iter()
        .all(|r| r.route != Route::UploadFile || r.had_authorization));

    // The bytes that arrived are the file's bytes (fetched back from the result host, without the token).
    let back = dir.path().join("back.png");
    within(client.download(&up.url, &back, |_, _| {}))
        .await
        .unwrap();
    assert_eq!(std::fs::read(&back).unwrap(), bytes);
}

/// A verified upload sends only a file that still holds the checked bytes, and caches it under the
/// checked hash.
#[tokio::test]
async fn a_verified_upload_refuses_a_file_that_no_longer_matches_its_check() {
    let sim = start(SimConfig::fast()).await;
    let client = client_for(&sim);
    let tok = token(&sim);
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = image_file(&dir, "a.jpg", 4096);
    let cache = MemoryUploadCache::default();
    let checked = seedance_core::api::sha256_file(&path).await.unwrap();

    std::fs::write(&path, b"other bytes").unwrap();
    let err = within(client.upload_verified(&tok, &path, &checked, &cache, &RealTime, |_, _| {}))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::FileChanged), "{err:?}");
    assert_eq!(sim.counts().upload, 0);
    assert_eq!(cache.get(&checked), None);

    let (path, _) = image_file(&dir, "a.jpg", 4096);
    let up = within(client.upload_verified(&tok, &path, &checked, &cache, &RealTime, |_, _| {}))
        .await
        .unwrap();
    assert_eq!(sim.counts().upload, 1);
    assert_eq!(cache.get(&checked), Some(up));
}

#[tokio::test]
async fn cache_reuses_a_fresh_upload_and_replaces_one_near_expiry() {
    let sim = start(SimConfig::fast()).await;
    let client = client_for(&sim);
    let tok = token(&sim);
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = image_file(&dir, "a.jpg", 4096);
    let cache = MemoryUploadCache::default();

    let first = within(client.upload_cached(&tok, &path, &cache, &RealTime, |_, _| {}))
        .await
        .unwrap();
    assert_eq!(sim.counts().upload, 1);

    // Same bytes under another name: still a hit, and no request is made.
    let copy = dir.path().join("copy.jpg");
    std::fs::copy(&path, &copy).unwrap();
    let last_progress = Arc::new(Mutex::new(None));
    let lp = last_progress.clone();
    let again = within(
        client.upload_cached(&tok, &copy, &cache, &RealTime, move |s, t| {
            *lp.lock().unwrap() = Some((s, t));
        }),
    )
    .await
    .unwrap();
    assert_eq!(again.url, first.url);
    assert_eq!(sim.counts().upload, 1, "a cache hit makes no request");
    assert_eq!(
        *last_progress.lock().unwrap(),
        Some((4096, 4096)),
        "a hit reports completion"
    );

    // 30 minutes before the cached URL expires it is no longer good enough: upload again and replace.
    let late = FixedClock(first.expires_at - time::Duration::minutes(30));
    let fresh = within(client.upload_cached(&tok, &path, &cache, &late, |_, _| {}))
        .await
        .unwrap();
    assert_eq!(sim.counts().upload, 2);
    let sha = seedance_core::api::sha256_file(&path).await.unwrap();
    assert_eq!(cache.get(&sha), Some(fresh));

    // Changed bytes are a different entry.
    std::fs::write(&path, b"other bytes").unwrap();
    within(client.upload_cached(&tok, &path, &cache, &RealTime, |_, _| {}))
        .await
        .unwrap();
    assert_eq!(sim.counts().upload, 3);
}

#[tokio::test]
async fn upload_failures_are_classified_and_only_transient_ones_retried() {
    let sim = start(SimConfig::fast()).await;
    let client = client_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = image_file(&dir, "b.webp", 1000);

    let err = within(client.upload_file(&wrong_token(), &path, |_, _| {}))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::InvalidToken), "{err:?}");
    // The server answers 401 before reading the streamed body and closes the connection; the client
    // can then meet a broken pipe before it reads the 401, which is transient and retried.
    // What must never happen is retrying the 401 itself.
    let refused = sim
        .requests()
        .iter()
        .filter(|r| r.route == Route::UploadFile)
        .count();
    let policy_attempts = RetryPolicy::for_transfers().max_attempts as usize;
    assert!(
        (1..policy_attempts).contains(&refused),
        "{refused} upload attempts"
    );
    let base = sim.counts().upload;

    sim.push_fault(Route::UploadFile, Fault::ServerError);
    sim.push_fault(Route::UploadFile, Fault::DropAfterRead);
    within(client.upload_file(&token(&sim), &path, |_, _| {}))
        .await
        .unwrap();
    assert_eq!(sim.counts().upload, base + 3, "two failures, then success");

    let big = dir.path().join("huge.png");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(UPLOAD_LIMIT_BYTES + 1)
        .unwrap();
    let err = within(client.upload_file(&token(&sim), &big, |_, _| {}))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::FileTooLarge { .. }), "{err:?}");
    assert_eq!(
        sim.counts().upload,
        base + 3,
        "an oversized file is refused before any request"
    );
}
