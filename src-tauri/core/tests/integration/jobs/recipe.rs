//! Every video a job saves carries its recipe (see `seedance_core::recipe`): what the job asked for, its
//! task, the hashes of its frames as uploaded; never the token the run used, nor the folders the frames
//! came from. With ffmpeg installed, the tagged video also decodes cleanly.

use std::path::PathBuf;

use crate::film::{decode_errors, have_ffmpeg};
use crate::support::api::{client_for, create_body, token, within};
use crate::support::jobs::harness;
use crate::support::pipeline::frame;
use crate::support::{assert_saved_video, text_draft};
use seedance_core::api::Uploaded;
use seedance_core::recipe::{restore, sha256_of_file, RECIPE_FORMAT};
use seedance_core::request::{DraftSettings, FrameSlot, RequestDraft};
use seedance_core::store::{JobStatus, NewJob};
use seedance_sim::{SimConfig, SAMPLE_MP4};

#[tokio::test]
async fn every_saved_video_carries_its_recipe_and_never_the_token() {
    let h = harness(SimConfig::fast(), 3).await;
    let first = frame(h.dir.path(), "first frame.png", 1280, 720, 7);
    let last = frame(h.dir.path(), "last.png", 1280, 720, 90);
    let draft = RequestDraft {
        first_frame: Some(first.display().to_string()),
        last_frame: Some(last.display().to_string()),
        settings: DraftSettings {
            ratio: "21:9".into(),
            duration: 8,
            camera_fixed: true,
            ..DraftSettings::default()
        },
        ..text_draft("a lighthouse at dusk, 海浪拍岸 & \"spray\"")
    };
    let job = h.runner.submit(draft.clone(), None).await.unwrap();
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    let path = PathBuf::from(done.output_path.clone().unwrap());

    let recipe = assert_saved_video(&path, SAMPLE_MP4);
    assert_eq!(recipe.format, RECIPE_FORMAT);
    assert_eq!(recipe.prompt, draft.prompt);
    assert_eq!(recipe.settings, draft.settings);
    assert_eq!(recipe.mode, done.mode);
    assert_eq!(recipe.mode.as_deref(), Some("first_last_frame"));
    assert_eq!(recipe.task_id, done.task_id.as_ref().map(|t| t.0.clone()));
    assert!(recipe.task_id.is_some());
    assert_eq!(recipe.app_version, env!("CARGO_PKG_VERSION"));
    assert!(!recipe.demo);
    let created = time::OffsetDateTime::parse(
        &recipe.created_at,
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(
        created.unix_timestamp_nanos() / 1_000_000,
        i128::from(done.created_at)
    );
    let (f, l) = (recipe.first_frame.unwrap(), recipe.last_frame.unwrap());
    assert_eq!(f.sha256, Some(sha256_of_file(&first).unwrap()));
    assert_eq!(l.sha256, Some(sha256_of_file(&last).unwrap()));
    assert_eq!(f.file_name.as_deref(), Some("first frame.png"));
    assert_eq!((f.url, l.url), (None, None));

    let bytes = std::fs::read(&path).unwrap();
    let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(h.sim.token().len() > 8);
    assert!(!has(h.sim.token()), "the token is in the video");
    let folder = h.dir.path().display().to_string();
    assert!(!has(&folder), "the frames' folder is in the video");
    assert!(has("org.seedance-studio"));
    if have_ffmpeg() {
        assert_eq!(decode_errors(&path), "");
    }
}

/// Dropping a saved video back onto the form: its prompt and settings, and its frames found by their
/// bytes where the job recorded them or in the app's frames folder; a frame gone is named, not guessed.
#[tokio::test]
async fn a_saved_video_gives_its_form_back_with_the_frames_still_here() {
    let h = harness(SimConfig::fast(), 3).await;
    let first = frame(h.dir.path(), "first.png", 1280, 720, 7);
    let last = frame(h.dir.path(), "last.png", 1280, 720, 90);
    let draft = RequestDraft {
        first_frame: Some(first.display().to_string()),
        last_frame: Some(last.display().to_string()),
        settings: DraftSettings {
            resolution: "480p".into(),
            generate_audio: false,
            ..DraftSettings::default()
        },
        ..text_draft("a kite over the dunes")
    };
    let job = h.runner.submit(draft.clone(), None).await.unwrap();
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    let video = PathBuf::from(done.output_path.clone().unwrap());

    let back = restore(&video, &h.store, &[]).unwrap();
    assert_eq!(back.draft, draft);
    assert!(back.missing_frames.is_empty());
    assert_eq!(back.task_id, done.task_id.map(|t| t.0));

    // The last frame kept in the frames folder under its content name, the first one gone.
    let frames = h.dir.path().join("frames");
    std::fs::create_dir(&frames).unwrap();
    let sha = sha256_of_file(&last).unwrap();
    let kept = frames.join(format!("image-{}.png", &sha[..16]));
    std::fs::rename(&last, &kept).unwrap();
    std::fs::remove_file(&first).unwrap();
    let back = restore(&video, &h.store, std::slice::from_ref(&frames)).unwrap();
    assert_eq!(back.draft.first_frame, None);
    assert_eq!(back.draft.last_frame, Some(kept.display().to_string()));
    assert_eq!(back.missing_frames, [FrameSlot::First]);
    assert_eq!(back.draft.prompt, draft.prompt);
    assert_eq!(back.draft.settings, draft.settings);
}

/// A result the recipe cannot be written into (here not an MP4 at all) is still saved, byte for byte
/// as served: the recipe is lost, never the video, and nothing is left beside it.
#[tokio::test]
async fn a_video_the_recipe_cannot_go_into_is_saved_as_it_came() {
    let dir = tempfile::tempdir().unwrap();
    let served = dir.path().join("served.mp4");
    let bytes = b"not an MP4: a result host answering with something else entirely".repeat(50);
    std::fs::write(&served, &bytes).unwrap();
    let h = harness(
        SimConfig {
            result_file: Some(served),
            ..SimConfig::fast()
        },
        3,
    )
    .await;
    let job = h
        .runner
        .submit(text_draft("a lantern"), None)
        .await
        .unwrap();
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    let path = PathBuf::from(done.output_path.unwrap());
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert!(seedance_core::recipe::read_recipe(&path).is_err());
    assert_eq!(h.output_files().len(), 1, "{:?}", h.output_files());
}

/// A run that resumes a task (the app restarted while the service worked) reads no frames: the recipe
/// takes the frame's hash from the upload cache, which knows what was sent to that address; the file on
/// disk, changed since, does not decide it.
#[tokio::test]
async fn a_resumed_run_takes_the_frame_hash_of_what_was_uploaded() {
    let h = harness(SimConfig::fast(), 3).await;
    let first = frame(h.dir.path(), "first.png", 1280, 720, 7);
    let uploaded_sha = sha256_of_file(&first).unwrap();
    let job = h
        .store
        .insert_job(NewJob {
            request: RequestDraft {
                first_frame: Some(first.display().to_string()),
                ..text_draft("a heron lands")
            },
            ..NewJob::default()
        })
        .unwrap();
    let url = "https://uploads.example.com/f/heron.png";
    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(24);
    h.store
        .set_uploaded(&job.id, FrameSlot::First, url, expires)
        .unwrap();
    h.store
        .put_cached_upload(
            &uploaded_sha,
            &Uploaded {
                url: url.into(),
                cn_url: None,
                key: None,
                md5: None,
                size: None,
                content_type: None,
                expires_at: expires,
            },
        )
        .unwrap();
    let task = client_for(&h.sim)
        .create_task(&token(&h.sim), &create_body())
        .await
        .unwrap();
    h.store.mark_create_sent(&job.id).unwrap();
    h.store.set_task_id(&job.id, &task).unwrap();
    // The picture was edited after it was uploaded.
    frame(h.dir.path(), "first.png", 1280, 720, 200);
    assert_ne!(sha256_of_file(&first).unwrap(), uploaded_sha);

    within(h.runner.resume_all()).await.unwrap();
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    let recipe = assert_saved_video(done.output_path.unwrap(), SAMPLE_MP4);
    assert_eq!(recipe.first_frame.unwrap().sha256, Some(uploaded_sha));
    assert_eq!(recipe.task_id, Some(task.0));
}
