//! How runs stop: bad frames before any upload, an uncertain create never retried, failed tasks, expired
//! links, refusing checkpoints, and resuming a task after a crash without creating another.

use crate::support::api::{start, token, within};
use crate::support::pipeline::{frame, pipeline_for, request, Recorder};
use seedance_core::api::{ApiError, TaskStatus};
use seedance_core::images::{FrameProblemKind, ImageError};
use seedance_core::pipeline::{no_progress, PipelineError};
use seedance_core::request::FrameSlot;
use seedance_sim::{Fault, Route, SimConfig, TaskFailure, TaskScript, SAMPLE_MP4};

#[tokio::test]
async fn a_frame_over_the_limits_is_refused_before_any_upload() {
    let sim = start(SimConfig::fast()).await;
    let pipeline = pipeline_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let good = frame(dir.path(), "good.png", 1280, 720, 1);
    let tiny = frame(dir.path(), "tiny.png", 200, 200, 2);
    let out = dir.path().join("clip.mp4");

    for (first, last, bad_slot) in [
        (&tiny, None, FrameSlot::First),
        // The good first frame is not uploaded either: every frame is checked first.
        (&good, Some(tiny.as_path()), FrameSlot::Last),
    ] {
        let recorder = Recorder::default();
        let err = within(pipeline.run(
            &token(&sim),
            &request(Some(first), last),
            &out,
            &recorder,
            no_progress(),
        ))
        .await
        .unwrap_err();
        match err {
            PipelineError::FrameOutOfLimits { slot, problems } => {
                assert_eq!(slot, bad_slot);
                assert!(problems
                    .iter()
                    .any(|p| p.kind == FrameProblemKind::TooSmall));
            }
            other => panic!("{other:?}"),
        }
        assert!(recorder.steps().is_empty(), "{:?}", recorder.steps());
    }
    let counts = sim.counts();
    assert_eq!((counts.upload, counts.create), (0, 0));
    assert!(!out.exists());
}

#[tokio::test]
async fn an_unreadable_frame_is_refused_before_any_upload() {
    let sim = start(SimConfig::fast()).await;
    let pipeline = pipeline_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone.png");
    let not_image = dir.path().join("notes.png");
    std::fs::write(&not_image, b"just some text, not pixels").unwrap();

    for path in [&missing, &not_image] {
        let err = within(pipeline.run(
            &token(&sim),
            &request(Some(path), None),
            &dir.path().join("clip.mp4"),
            &Recorder::default(),
            no_progress(),
        ))
        .await
        .unwrap_err();
        assert!(
            matches!(
                &err,
                PipelineError::Frame {
                    slot: FrameSlot::First,
                    source: ImageError::NotFound(_) | ImageError::NotAnImage(_)
                }
            ),
            "{err:?}"
        );
    }
    assert_eq!(sim.counts().upload, 0);
}

#[tokio::test]
async fn a_create_dropped_after_it_arrived_is_uncertain_and_not_retried() {
    let sim = start(SimConfig::fast()).await;
    sim.push_fault(Route::Create, Fault::DropAfterRead);
    let pipeline = pipeline_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let recorder = Recorder::default();

    let err = within(pipeline.run(
        &token(&sim),
        &request(None, None),
        &dir.path().join("clip.mp4"),
        &recorder,
        no_progress(),
    ))
    .await
    .unwrap_err();

    assert!(
        matches!(err, PipelineError::SubmissionUncertain { .. }),
        "{err:?}"
    );
    assert!(err.submission_uncertain());
    let counts = sim.counts();
    assert_eq!(counts.create, 1, "the create is never repeated");
    assert_eq!(counts.get_task, 0);
    assert_eq!(recorder.steps(), ["frames_checked", "before_create"]);
}

#[tokio::test]
async fn a_failed_task_reports_the_services_message() {
    let sim = start(SimConfig::fast()).await;
    sim.script_next_task(TaskScript {
        fail: Some(TaskFailure {
            error_code: "OutputVideoSensitiveContentDetected".into(),
            error_msg: "The generated video may contain sensitive content".into(),
        }),
        ..TaskScript::default()
    });
    let pipeline = pipeline_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("clip.mp4");
    let recorder = Recorder::default();

    let err = within(pipeline.run(
        &token(&sim),
        &request(None, None),
        &out,
        &recorder,
        no_progress(),
    ))
    .await
    .unwrap_err();

    match &err {
        PipelineError::TaskFailed { code, message } => {
            assert_eq!(code.as_deref(), Some("OutputVideoSensitiveContentDetected"));
            assert_eq!(message, "The generated video may contain sensitive content");
        }
        other => panic!("{other:?}"),
    }
    use seedance_core::i18n::UserFacing;
    assert!(err.msg().text("en").contains("sensitive content"));
    recorder.assert_statuses_progress_to(TaskStatus::Failed);
    assert_eq!(recorder.steps().last().map(String::as_str), Some("status"));
    assert_eq!(sim.counts().result, 0);
    assert!(!out.exists());
}

#[tokio::test]
async fn an_expired_result_link_is_surfaced() {
    let sim = start(SimConfig::fast()).await;
    sim.script_next_task(TaskScript {
        expired_link: true,
        ..TaskScript::default()
    });
    let pipeline = pipeline_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("clip.mp4");
    let recorder = Recorder::default();

    let err = within(pipeline.run(
        &token(&sim),
        &request(None, None),
        &out,
        &recorder,
        no_progress(),
    ))
    .await
    .unwrap_err();

    assert!(
        matches!(err, PipelineError::Api(ApiError::ResultLinkExpired)),
        "{err:?}"
    );
    // Refused, the task was asked again for a fresh link (its answer passed on), refused again.
    let steps = recorder.steps();
    assert_eq!(
        steps[steps.len() - 2..],
        ["downloading".to_owned(), "status".to_owned()]
    );
    let results: Vec<u16> = sim
        .requests()
        .iter()
        .filter(|r| r.route == Route::Result)
        .map(|r| r.status)
        .collect();
    assert_eq!(results.len(), 2, "{results:?}");
    assert!(!out.exists());
    assert_eq!(sim.counts().create, 1);
}

#[tokio::test]
async fn a_task_is_resumed_after_a_crash_without_creating_another() {
    let sim = start(SimConfig::fast()).await;
    let pipeline = pipeline_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let first = frame(dir.path(), "f.jpg", 1280, 720, 3);
    let out = dir.path().join("clip.mp4");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let crashing = Recorder::crashing_after_task_created(tx);

    // The run is dropped mid-flight, right after the id was handed over: the process "died".
    let (sim_token, crashed_request) = (token(&sim), request(Some(&first), None));
    let saved_id = within(async {
        tokio::select! {
            outcome = pipeline.run(&sim_token, &crashed_request, &out, &crashing, no_progress()) => {
                panic!("the run should not end: {outcome:?}")
            }
            id = rx.recv() => id.unwrap(),
        }
    })
    .await;
    assert!(!out.exists());

    // Resumed as the job layer will: on a spawned task, which also proves the run future is `Send`.
    let resumed = std::sync::Arc::new(Recorder::default());
    let (after_restart, sim_token, hooks) = (pipeline_for(&sim), token(&sim), resumed.clone());
    let resume_to = out.clone();
    let path = within(tokio::spawn(async move {
        after_restart
            .resume_from_task(&sim_token, &saved_id, &resume_to, &*hooks, no_progress())
            .await
    }))
    .await
    .unwrap()
    .unwrap();

    assert_eq!(std::fs::read(path).unwrap(), SAMPLE_MP4);
    assert_eq!(resumed.steps(), ["status", "downloading", "finished"]);
    resumed.assert_statuses_progress_to(TaskStatus::Done);
    let counts = sim.counts();
    assert_eq!((counts.create, counts.upload), (1, 1));
}

#[tokio::test]
async fn resuming_a_finished_task_whose_link_expired_says_so() {
    let sim = start(SimConfig::fast()).await;
    sim.script_next_task(TaskScript {
        expired_link: true,
        ..TaskScript::default()
    });
    let pipeline = pipeline_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let id = within(pipeline.client().create_task(
        &token(&sim),
        &request(None, None).to_create_body(None, None).unwrap(),
    ))
    .await
    .unwrap();

    let err = within(pipeline.resume_from_task(
        &token(&sim),
        &id,
        &dir.path().join("clip.mp4"),
        &Recorder::default(),
        no_progress(),
    ))
    .await
    .unwrap_err();
    assert!(
        matches!(err, PipelineError::Api(ApiError::ResultLinkExpired)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_checkpoint_refusing_before_create_keeps_the_create_unsent() {
    let sim = start(SimConfig::fast()).await;
    let pipeline = pipeline_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let first = frame(dir.path(), "f.png", 720, 1280, 4);
    let recorder = Recorder::failing_at("before_create");

    let err = within(pipeline.run(
        &token(&sim),
        &request(Some(&first), None),
        &dir.path().join("clip.mp4"),
        &recorder,
        no_progress(),
    ))
    .await
    .unwrap_err();

    match err {
        PipelineError::Checkpoint { step, detail, task } => {
            assert_eq!(step, "before_create");
            assert_eq!(detail, "simulated disk full");
            assert_eq!(task, None);
        }
        other => panic!("{other:?}"),
    }
    let counts = sim.counts();
    assert_eq!((counts.upload, counts.create), (1, 0));
}

#[tokio::test]
async fn a_checkpoint_refusing_a_status_stops_before_the_download_and_names_the_task() {
    let sim = start(SimConfig::fast()).await;
    let pipeline = pipeline_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let recorder = Recorder::failing_at("status");

    let err = within(pipeline.run(
        &token(&sim),
        &request(None, None),
        &dir.path().join("clip.mp4"),
        &recorder,
        no_progress(),
    ))
    .await
    .unwrap_err();

    let created = recorder.events().into_iter().find_map(|e| match e {
        crate::support::pipeline::Event::TaskCreated(id) => Some(id),
        _ => None,
    });
    match err {
        PipelineError::Checkpoint { step, task, .. } => {
            assert_eq!(step, "status");
            assert_eq!(task, created);
            assert!(task.is_some());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        recorder.statuses().len(),
        1,
        "polling stopped at the refusal"
    );
    assert_eq!(sim.counts().result, 0);
}
