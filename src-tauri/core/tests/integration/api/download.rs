//! Result downloads against the simulator's result host: exact bytes, no token, resume, expiry.

use std::sync::{Arc, Mutex};

use crate::support::api::*;
use seedance_core::api::{part_path, ApiError};
use seedance_sim::{Fault, Route, SimConfig, TaskScript, SAMPLE_MP4};

#[tokio::test]
async fn download_writes_the_exact_bytes_without_sending_the_token() {
    let sim = start(SimConfig::fast()).await;
    let client = client_for(&sim);
    let url = finished_task(&sim, &client).await.video_url.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("clip.mp4");
    let progress = Arc::new(Mutex::new(Vec::new()));
    let p = progress.clone();

    let saved = within(client.download(&url, &dest, move |got, total| {
        p.lock().unwrap().push((got, total))
    }))
    .await
    .unwrap();

    assert_eq!(saved, dest);
    assert_eq!(std::fs::read(&dest).unwrap(), SAMPLE_MP4);
    assert!(
        !part_path(&dest).unwrap().exists(),
        "the .part file was renamed away"
    );
    let total = SAMPLE_MP4.len() as u64;
    assert_eq!(progress.lock().unwrap().last(), Some(&(total, Some(total))));
    let result_requests: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.route == Route::Result)
        .collect();
    assert_eq!(result_requests.len(), 1);
    assert!(
        result_requests.iter().all(|r| !r.had_authorization),
        "the token never reaches the result host"
    );
    assert!(sim
        .requests()
        .iter()
        .filter(|r| r.route == Route::GetTask)
        .all(|r| r.had_authorization));
}

#[tokio::test]
async fn download_resumes_from_a_part_file() {
    let sim = start(SimConfig::fast()).await;
    let client = client_for(&sim);
    let url = finished_task(&sim, &client).await.video_url.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("clip.mp4");
    let already = SAMPLE_MP4.len() / 3;
    std::fs::write(part_path(&dest).unwrap(), &SAMPLE_MP4[..already]).unwrap();
    let first_progress = Arc::new(Mutex::new(None));
    let fp = first_progress.clone();

    within(client.download(&url, &dest, move |got, _| {
        fp.lock().unwrap().get_or_insert(got);
    }))
    .await
    .unwrap();

    assert_eq!(std::fs::read(&dest).unwrap(), SAMPLE_MP4);
    assert_eq!(
        *first_progress.lock().unwrap(),
        Some(already as u64),
        "progress starts at the resumed offset"
    );
    let statuses: Vec<u16> = sim
        .requests()
        .iter()
        .filter(|r| r.route == Route::Result)
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, vec![206]);
}

#[tokio::test]
async fn download_recovers_from_broken_connections_and_bad_part_files() {
    let sim = start(SimConfig::fast()).await;
    let client = client_for(&sim);
    let url = finished_task(&sim, &client).await.video_url.unwrap();
    let dir = tempfile::tempdir().unwrap();

    sim.push_fault(Route::Result, Fault::DropAfterRead);
    sim.push_fault(Route::Result, Fault::ServerError);
    let dest = dir.path().join("a.mp4");
    within(client.download(&url, &dest, |_, _| {}))
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), SAMPLE_MP4);
    assert_eq!(sim.counts().result, 3);

    // A part file longer than the video cannot be resumed (416): start over.
    let dest = dir.path().join("b.mp4");
    std::fs::write(part_path(&dest).unwrap(), vec![0u8; SAMPLE_MP4.len() + 10]).unwrap();
    within(client.download(&url, &dest, |_, _| {}))
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), SAMPLE_MP4);
}

#[tokio::test]
async fn expired_links_fail_clearly_and_leave_no_file_under_the_final_name() {
    let sim = start(SimConfig::fast()).await;
    let client = client_for(&sim);
    sim.script_next_task(TaskScript {
        expired_link: true,
        ..TaskScript::default()
    });
    let url = finished_task(&sim, &client).await.video_url.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("clip.mp4");

    let err = within(client.download(&url, &dest, |_, _| {}))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::ResultLinkExpired), "{err:?}");
    assert!(!dest.exists());
    assert_eq!(sim.counts().result, 1, "an expired link is not retried");

    // A link that expires after it was handed out fails the same way.
    let url = finished_task(&sim, &client).await.video_url.unwrap();
    sim.expire_links();
    let err = within(client.download(&url, &dest, |_, _| {}))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::ResultLinkExpired), "{err:?}");
    assert!(!dest.exists());
}
