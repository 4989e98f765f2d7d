//! Full runs of the pipeline against the simulator: each mode end to end, every checkpoint step in order,
//! and uploads reused from the cache.

use std::sync::{Arc, Mutex};

use crate::support::api::{start, token, within};
use crate::support::pipeline::{
    fetch, frame, pipeline_for, pipeline_with_cache, request, Recorder,
};
use seedance_core::api::{MemoryUploadCache, TaskStatus};
use seedance_core::pipeline::{
    no_progress, ProgressFn, TransferProgress, TransferStage, UploadRegion,
};
use seedance_core::request::FrameSlot;
use seedance_sim::{Route, SimConfig, SAMPLE_MP4};

fn collecting_progress() -> (ProgressFn, Arc<Mutex<Vec<TransferProgress>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    (Arc::new(move |p| sink.lock().unwrap().push(p)), seen)
}

#[tokio::test]
async fn text_to_video_runs_end_to_end() {
    let sim = start(SimConfig::fast()).await;
    let pipeline = pipeline_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("videos").join("clip.mp4");
    let recorder = Recorder::default();
    let (progress, seen) = collecting_progress();

    let path = within(pipeline.run(
        &token(&sim),
        &request(None, None),
        &out,
        &recorder,
        progress,
    ))
    .await
    .unwrap();

    assert_eq!(path, out);
    assert_eq!(std::fs::read(&out).unwrap(), SAMPLE_MP4);
    let to_result_host: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.route == Route::Result)
        .collect();
    assert!(!to_result_host.is_empty());
    assert!(
        to_result_host.iter().all(|r| !r.had_authorization),
        "the token never goes to the result host"
    );
    assert!(!dir.path().join("videos").join("clip.mp4.part").exists());
    let counts = sim.counts();
    assert_eq!(
        (counts.create, counts.create_accepted, counts.upload),
        (1, 1, 0)
    );
    assert_eq!(
        recorder.steps(),
        [
            "frames_checked",
            "before_create",
            "task_created",
            "status",
            "downloading",
            "finished"
        ]
    );
    recorder.assert_statuses_progress_to(TaskStatus::Done);
    let body = recorder.create_body().unwrap();
    assert_eq!(
        (body.first_frame_url(), body.last_frame_url()),
        (None, None)
    );
    let seen = seen.lock().unwrap();
    let last = seen.last().expect("download progress was reported");
    assert_eq!(last.stage, TransferStage::Download);
    assert_eq!(last.done_bytes, SAMPLE_MP4.len() as f64);
}

#[tokio::test]
async fn first_frame_run_uploads_the_frame_and_sends_its_url() {
    let sim = start(SimConfig::fast()).await;
    let pipeline = pipeline_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let first = frame(dir.path(), "portrait.jpg", 720, 1280, 10);
    let out = dir.path().join("clip.mp4");
    let recorder = Recorder::default();
    let (progress, seen) = collecting_progress();

    within(pipeline.run(
        &token(&sim),
        &request(Some(&first), None),
        &out,
        &recorder,
        progress,
    ))
    .await
    .unwrap();

    assert_eq!(std::fs::read(&out).unwrap(), SAMPLE_MP4);
    let counts = sim.counts();
    assert_eq!((counts.create, counts.upload), (1, 1));
    assert_eq!(
        recorder.steps(),
        [
            "frames_checked",
            "uploaded:first",
            "before_create",
            "task_created",
            "status",
            "downloading",
            "finished"
        ]
    );
    recorder.assert_statuses_progress_to(TaskStatus::Done);
    let uploads = recorder.uploads();
    let body = recorder.create_body().unwrap();
    assert_eq!(body.first_frame_url(), Some(uploads[0].1.url.as_str()));
    assert_eq!(body.last_frame_url(), None);
    assert_eq!(
        fetch(&uploads[0].1.url).await,
        std::fs::read(&first).unwrap()
    );
    let size = std::fs::metadata(&first).unwrap().len() as f64;
    assert!(seen
        .lock()
        .unwrap()
        .iter()
        .any(|p| p.stage == TransferStage::UploadFirstFrame
            && p.done_bytes == size
            && p.total_bytes == Some(size)));
}

#[tokio::test]
async fn first_and_last_frame_run_sends_both_urls() {
    let sim = start(SimConfig::fast()).await;
    let pipeline = pipeline_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let first = frame(dir.path(), "start.png", 1280, 720, 20);
    let last = frame(dir.path(), "end.jpg", 1280, 720, 200);
    let out = dir.path().join("clip.mp4");
    let recorder = Recorder::default();

    within(pipeline.run(
        &token(&sim),
        &request(Some(&first), Some(&last)),
        &out,
        &recorder,
        no_progress(),
    ))
    .await
    .unwrap();

    assert_eq!(std::fs::read(&out).unwrap(), SAMPLE_MP4);
    let counts = sim.counts();
    assert_eq!((counts.create, counts.upload), (1, 2));
    assert_eq!(
        recorder.steps(),
        [
            "frames_checked",
            "uploaded:first",
            "uploaded:last",
            "before_create",
            "task_created",
            "status",
            "downloading",
            "finished"
        ]
    );
    let checked = match &recorder.events()[0] {
        crate::support::pipeline::Event::FramesChecked(infos) => infos.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        checked
            .iter()
            .map(|i| (i.path.clone(), i.format.as_str(), i.width, i.height))
            .collect::<Vec<_>>(),
        [
            (first.clone(), "PNG", 1280, 720),
            (last.clone(), "JPEG", 1280, 720)
        ]
    );
    let uploads = recorder.uploads();
    let body = recorder.create_body().unwrap();
    assert_eq!(uploads[0].0, FrameSlot::First);
    assert_eq!(body.first_frame_url(), Some(uploads[0].1.url.as_str()));
    assert_eq!(body.last_frame_url(), Some(uploads[1].1.url.as_str()));
    assert_ne!(uploads[0].1.url, uploads[1].1.url);
    assert_eq!(
        fetch(&uploads[1].1.url).await,
        std::fs::read(&last).unwrap()
    );
}

#[tokio::test]
async fn a_frame_used_again_is_not_uploaded_again() {
    let sim = start(SimConfig::fast()).await;
    let cache = Arc::new(MemoryUploadCache::default());
    let pipeline = pipeline_with_cache(&sim, cache);
    let dir = tempfile::tempdir().unwrap();
    let first = frame(dir.path(), "frame.png", 1280, 720, 90);
    // Same bytes under another name: the cache keys on content, not on the path.
    let copy = dir.path().join("copy-of-frame.png");
    std::fs::copy(&first, &copy).unwrap();

    let run1 = Recorder::default();
    within(pipeline.run(
        &token(&sim),
        &request(Some(&first), None),
        &dir.path().join("one.mp4"),
        &run1,
        no_progress(),
    ))
    .await
    .unwrap();
    assert_eq!(sim.counts().upload, 1);

    let run2 = Recorder::default();
    within(pipeline.run(
        &token(&sim),
        &request(Some(&copy), None),
        &dir.path().join("two.mp4"),
        &run2,
        no_progress(),
    ))
    .await
    .unwrap();

    let counts = sim.counts();
    assert_eq!(counts.upload, 1, "the second run uploads nothing");
    assert_eq!(counts.create, 2);
    assert_eq!(run2.uploads()[0].1, run1.uploads()[0].1);
    assert_eq!(
        run2.create_body().unwrap().first_frame_url(),
        Some(run1.uploads()[0].1.url.as_str())
    );
    assert_eq!(
        std::fs::read(dir.path().join("two.mp4")).unwrap(),
        SAMPLE_MP4
    );
}

#[tokio::test]
async fn the_china_region_sends_the_mirror_url() {
    let sim = start(SimConfig::fast()).await;
    let pipeline = pipeline_for(&sim).with_upload_region(UploadRegion::China);
    let dir = tempfile::tempdir().unwrap();
    let first = frame(dir.path(), "f.png", 1280, 720, 50);
    let recorder = Recorder::default();

    within(pipeline.run(
        &token(&sim),
        &request(Some(&first), None),
        &dir.path().join("clip.mp4"),
        &recorder,
        no_progress(),
    ))
    .await
    .unwrap();

    let upload = recorder.uploads()[0].1.clone();
    let cn_url = upload.cn_url.expect("the simulator gives a mirror URL");
    assert_ne!(cn_url, upload.url);
    assert_eq!(
        recorder.create_body().unwrap().first_frame_url(),
        Some(cn_url.as_str())
    );
}
