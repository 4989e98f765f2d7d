//! Jobs run by the runner against the simulator: every status in order with the video on disk, the
//! concurrency limit, and requests refused before anything is stored or sent.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::support::jobs::harness;
use crate::support::pipeline::frame;
use crate::support::text_draft;
use seedance_core::jobs::{Intent, JobError};
use seedance_core::pipeline::{PipelineError, TransferStage};
use seedance_core::request::{DraftSettings, FrameSlot, RequestDraft};
use seedance_core::store::{JobQuery, JobStatus};
use seedance_sim::{SimConfig, SAMPLE_MP4};

#[tokio::test]
async fn a_job_goes_through_every_status_to_its_video_on_disk() {
    let h = harness(SimConfig::fast(), 3).await;
    let first = frame(h.dir.path(), "first.png", 1280, 720, 7);
    let draft = RequestDraft {
        first_frame: Some(first.display().to_string()),
        ..text_draft("a lighthouse at dusk, 海浪拍岸")
    };

    let job = h.runner.submit(draft, Some(108_900)).await.unwrap();
    assert_eq!(job.status, JobStatus::Uploading);
    assert!(job.has_first_thumb && !job.has_last_thumb);
    assert_eq!(job.tokens_estimate, Some(108_900));
    assert!(!job.demo);
    assert_eq!(job.first_frame_path, Some(first.display().to_string()));

    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert_eq!(
        h.events.statuses(&job.id),
        [
            JobStatus::Uploading,
            JobStatus::Submitting,
            JobStatus::Queued,
            JobStatus::Running,
            JobStatus::Downloading,
            JobStatus::Done
        ]
    );
    let path = PathBuf::from(done.output_path.clone().unwrap());
    assert_eq!(path.parent().unwrap(), h.out_dir());
    assert_eq!(path.extension().unwrap(), "mp4");
    crate::support::assert_saved_video(&path, SAMPLE_MP4);
    assert_eq!(h.output_files().len(), 1, "{:?}", h.output_files());
    assert!(done.task_id.is_some() && done.create_sent_at.is_some());
    assert!(done.first_frame_url.is_some() && done.video_url.is_some());
    let counts = h.sim.counts();
    assert_eq!((counts.create, counts.upload), (1, 1));
    let progress = h.events.progress(&job.id);
    assert!(progress.iter().any(|p| p.stage == TransferStage::Download
        && p.total == Some(SAMPLE_MP4.len() as f64)
        && p.done == SAMPLE_MP4.len() as f64));
    assert!(progress
        .iter()
        .any(|p| p.stage == TransferStage::upload_of(FrameSlot::First)));
}

#[tokio::test]
async fn no_more_jobs_run_at_once_than_the_limit() {
    let config = SimConfig {
        queued_for: Duration::from_millis(100),
        running_for: Duration::from_millis(300),
        ..SimConfig::fast()
    };
    let h = harness(config, 2).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        // The same prompt each time (the user confirmed the repeats): three videos, three files.
        let job = h
            .runner
            .submit_with(text_draft("rain on a tin roof"), None, Intent::Repeat)
            .await;
        ids.push(job.unwrap().id);
    }
    for id in &ids {
        let job = h.settle(id).await;
        assert_eq!(job.status, JobStatus::Done, "{:?}", job.problem);
        let path = job.output_path.unwrap();
        crate::support::assert_saved_video(&path, SAMPLE_MP4);
    }
    assert_eq!(h.output_files().len(), 3, "{:?}", h.output_files());
    assert_eq!(h.sim.counts().create, 3);

    // Replay the announcements: a job past `uploading` and not yet settled holds a turn.
    let mut status: HashMap<String, JobStatus> = HashMap::new();
    let mut most = 0;
    for (id, s) in h.events.changes() {
        status.insert(id, s);
        let working = status
            .values()
            .filter(|s| !s.is_settled() && **s != JobStatus::Uploading)
            .count();
        most = most.max(working);
    }
    assert_eq!(most, 2, "{:?}", h.events.changes());
}

#[tokio::test]
async fn refused_requests_store_nothing_and_send_nothing() {
    let h = harness(SimConfig::fast(), 3).await;
    let invalid = RequestDraft {
        settings: DraftSettings {
            duration: 2,
            ..DraftSettings::default()
        },
        ..text_draft("  ")
    };
    match h.runner.submit(invalid, None).await.unwrap_err() {
        JobError::Invalid(errors) => assert_eq!(errors.len(), 2, "{errors:?}"),
        other => panic!("{other:?}"),
    }

    let tiny = frame(h.dir.path(), "tiny.png", 200, 200, 1);
    let too_small = RequestDraft {
        first_frame: Some(tiny.display().to_string()),
        ..text_draft("a cat")
    };
    let err = h.runner.submit(too_small, None).await.unwrap_err();
    assert!(
        matches!(
            err,
            JobError::Pipeline(PipelineError::FrameOutOfLimits {
                slot: FrameSlot::First,
                ..
            })
        ),
        "{err:?}"
    );

    let good = frame(h.dir.path(), "good.png", 1280, 720, 2);
    let missing_last = RequestDraft {
        first_frame: Some(good.display().to_string()),
        last_frame: Some(h.dir.path().join("gone.png").display().to_string()),
        ..text_draft("a cat")
    };
    let err = h.runner.submit(missing_last, None).await.unwrap_err();
    assert!(
        matches!(
            err,
            JobError::Pipeline(PipelineError::Frame {
                slot: FrameSlot::Last,
                ..
            })
        ),
        "{err:?}"
    );

    assert!(h
        .store
        .list_jobs(&JobQuery::default())
        .unwrap()
        .jobs
        .is_empty());
    assert!(h.events.changes().is_empty());
    let counts = h.sim.counts();
    assert_eq!((counts.upload, counts.create), (0, 0));
}
