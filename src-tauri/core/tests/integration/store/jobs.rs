//! The job store through its public API: round trips, every step of a job's life, refused steps, resume.

use std::path::Path;

use crate::support::store::{memory_store, JPEG, PNG};
use crate::support::text_draft;
use seedance_core::api::TaskId;
use seedance_core::i18n::{Message, UserFacing};
use seedance_core::request::FrameSlot;
use seedance_core::store::{resume_action, JobStatus, NewJob, ResumeAction, StoreError, Thumbnail};
use time::macros::datetime;

#[test]
fn insert_and_get_round_trip_with_thumbnails() {
    let (store, clock) = memory_store();
    let mut request = text_draft("A red fox runs through snow");
    request.first_frame = Some("/photos/fox.jpg".into());
    request.last_frame = Some("https://example.com/end.png".into());
    request.settings.resolution = "1080p".into();
    request.settings.ratio = "21:9".into();
    request.settings.duration = 8;
    let original = store.insert_job(NewJob::default()).unwrap();
    clock.advance(10);
    let job = store
        .insert_job(NewJob {
            request: request.clone(),
            first_thumb: Some(Thumbnail::new(JPEG.to_vec()).unwrap()),
            last_thumb: Some(Thumbnail::new(PNG.to_vec()).unwrap()),
            tokens_estimate: Some(246_456),
            demo: true,
            retry_of: Some(original.id.clone()),
        })
        .unwrap();

    let got = store.get_job(&job.id).unwrap();
    assert_eq!(got, job);
    assert_eq!(got.id.len(), 36);
    assert_eq!(got.status, JobStatus::Uploading);
    assert_eq!(got.request, request);
    assert_eq!(got.prompt, "A red fox runs through snow");
    assert_eq!(got.mode.as_deref(), Some("first_last_frame"));
    assert_eq!(
        (got.resolution.as_str(), got.ratio.as_str(), got.duration),
        ("1080p", "21:9", 8)
    );
    assert_eq!(got.first_frame_path.as_deref(), Some("/photos/fox.jpg"));
    assert_eq!(got.first_frame_url, None);
    assert_eq!(got.last_frame_path, None);
    assert_eq!(
        got.last_frame_url.as_deref(),
        Some("https://example.com/end.png")
    );
    assert_eq!(got.tokens_estimate, Some(246_456));
    assert!(got.demo);
    assert_eq!(got.retry_of.as_deref(), Some(original.id.as_str()));
    assert_eq!(got.created_at, clock.ms());
    assert_eq!(got.updated_at, got.created_at);
    assert!(got.has_first_thumb && got.has_last_thumb);
    let first = Thumbnail::from_data_url(got.first_thumb.as_deref().unwrap()).unwrap();
    assert_eq!(first.bytes(), JPEG);
    assert!(got
        .last_thumb
        .as_deref()
        .unwrap()
        .starts_with("data:image/png;base64,"));
    assert_eq!(
        store.thumbnail(&job.id, FrameSlot::Last).unwrap().unwrap(),
        Thumbnail::new(PNG.to_vec()).unwrap()
    );
    assert_eq!(
        store.thumbnail(&original.id, FrameSlot::First).unwrap(),
        None
    );

    assert!(matches!(
        store.get_job("no-such-job"),
        Err(StoreError::NotFound { .. })
    ));
    let orphan = NewJob {
        retry_of: Some("no-such-job".into()),
        ..NewJob::default()
    };
    assert!(matches!(
        store.insert_job(orphan),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn every_step_of_a_successful_job() {
    let (store, clock) = memory_store();
    let job = store.insert_job(NewJob::default()).unwrap();
    let id = job.id.as_str();
    let mut last_update = job.updated_at;
    let mut step = |what: &str, write: &dyn Fn() -> Result<(), StoreError>| {
        clock.advance(5);
        write().unwrap_or_else(|e| panic!("{what}: {e}"));
        let now = store.get_job(id).unwrap().updated_at;
        assert!(now > last_update, "{what} did not update updated_at");
        last_update = now;
    };

    let soon = datetime!(2030-01-02 00:00 UTC);
    let sooner = datetime!(2030-01-01 00:00 UTC);
    step("upload first", &|| {
        store.set_uploaded(id, FrameSlot::First, "https://u/a.png", soon)
    });
    step("upload last", &|| {
        store.set_uploaded(id, FrameSlot::Last, "https://u/b.png", sooner)
    });
    step("upload progress", &|| store.set_progress(id, 10, Some(100)));
    let j = store.get_job(id).unwrap();
    assert_eq!(j.first_frame_url.as_deref(), Some("https://u/a.png"));
    assert_eq!(j.last_frame_url.as_deref(), Some("https://u/b.png"));
    assert_eq!(
        j.uploads_expire_at,
        Some(sooner.unix_timestamp() * 1000),
        "the earliest expiry wins"
    );
    assert_eq!((j.bytes_done, j.bytes_total), (10, Some(100)));

    step("create sent", &|| store.mark_create_sent(id));
    let j = store.get_job(id).unwrap();
    assert_eq!(j.status, JobStatus::Submitting);
    assert_eq!(
        j.create_sent_at,
        Some(j.updated_at),
        "status and time in one write"
    );

    let task = TaskId("task-1".into());
    step("task id", &|| store.set_task_id(id, &task));
    assert_eq!(store.get_job(id).unwrap().status, JobStatus::Queued);
    step("running", &|| store.set_status(id, JobStatus::Running));
    step("raw status", &|| {
        store.set_task_status_raw(id, "processing")
    });
    step("video url", &|| {
        store.set_video_url(id, "https://cdn/r.mp4?sig=x")
    });
    step("downloading", &|| {
        store.set_status(id, JobStatus::Downloading)
    });
    step("download progress", &|| {
        store.set_progress(id, 500, Some(1000))
    });
    step("done", &|| store.set_done(id, Path::new("/videos/fox.mp4")));

    let j = store.get_job(id).unwrap();
    assert_eq!(j.status, JobStatus::Done);
    assert_eq!(j.task_id, Some(task));
    assert_eq!(j.task_status_raw.as_deref(), Some("processing"));
    assert_eq!(j.video_url.as_deref(), Some("https://cdn/r.mp4?sig=x"));
    assert_eq!(j.output_path.as_deref(), Some("/videos/fox.mp4"));
    assert_eq!(j.finished_at, Some(j.updated_at));
    assert_eq!(j.problem, None);
}

#[test]
fn failure_and_uncertainty_keep_their_messages() {
    let (store, _) = memory_store();
    let failed = store.insert_job(NewJob::default()).unwrap();
    store
        .set_failed(
            &failed.id,
            "network_down",
            &Message::verbatim("No connection.", "没有网络连接。"),
        )
        .unwrap();
    let j = store.get_job(&failed.id).unwrap();
    assert_eq!(j.status, JobStatus::Failed);
    let problem = j.problem.unwrap();
    assert_eq!(problem.kind, "network_down");
    assert_eq!(
        problem.message,
        Message::verbatim("No connection.", "没有网络连接。")
    );
    assert!(j.finished_at.is_some());

    let uncertain = store.insert_job(NewJob::default()).unwrap();
    store.mark_create_sent(&uncertain.id).unwrap();
    let reason = Message::verbatim("The connection broke after sending.", "发送后连接中断。");
    store.set_uncertain(&uncertain.id, &reason).unwrap();
    let j = store.get_job(&uncertain.id).unwrap();
    assert_eq!(j.status, JobStatus::SubmissionUncertain);
    assert_eq!(j.problem.unwrap().message, reason);

    // The user learns the task did start: it is tracked again, the warning cleared.
    store
        .set_task_id(&uncertain.id, &TaskId("late".into()))
        .unwrap();
    let j = store.get_job(&uncertain.id).unwrap();
    assert_eq!(
        (j.status, j.problem, j.finished_at),
        (JobStatus::Queued, None, None)
    );

    // fail_with takes any user-facing error's own kind and words.
    let third = store.insert_job(NewJob::default()).unwrap();
    store.fail_with(&third.id, &StoreError::DiskFull).unwrap();
    let p = store.get_job(&third.id).unwrap().problem.unwrap();
    assert_eq!(
        (p.kind.as_str(), p.message),
        ("disk_full", StoreError::DiskFull.msg())
    );
}

#[test]
fn a_failure_keeps_its_raw_cause_apart_from_its_words() {
    let (store, _) = memory_store();
    let raw = "client error (SendRequest): connection reset by peer (os error 104)";
    let failed = store.insert_job(NewJob::default()).unwrap();
    let error = seedance_core::api::ApiError::NetworkDown { detail: raw.into() };
    store.fail_with(&failed.id, &error).unwrap();
    let p = store.get_job(&failed.id).unwrap().problem.unwrap();
    assert_eq!(p.kind, "network_down");
    assert!(
        !p.message.text("en").contains("os error"),
        "{}",
        p.message.text("en")
    );
    assert!(
        !p.message.text("zh-CN").contains("os error"),
        "{}",
        p.message.text("zh-CN")
    );
    assert_eq!(p.cause.as_deref(), Some(raw));

    let uncertain = store.insert_job(NewJob::default()).unwrap();
    store.mark_create_sent(&uncertain.id).unwrap();
    let error = seedance_core::api::CreateError::SubmissionUncertain { reason: raw.into() };
    store.uncertain_with(&uncertain.id, &error).unwrap();
    let j = store.get_job(&uncertain.id).unwrap();
    assert_eq!(j.status, JobStatus::SubmissionUncertain);
    let p = j.problem.unwrap();
    assert!(!p.message.text("en").contains("os error"));
    assert_eq!(p.cause.as_deref(), Some(raw));
    // The same row read through a list page carries it too.
    let page = store.list_jobs(&Default::default()).unwrap();
    let listed = page.jobs.iter().find(|j| j.id == uncertain.id).unwrap();
    assert_eq!(listed.problem.as_ref().unwrap().cause.as_deref(), Some(raw));

    // A task id arriving later clears the warning and its cause.
    store
        .set_task_id(&uncertain.id, &TaskId("late".into()))
        .unwrap();
    assert_eq!(store.get_job(&uncertain.id).unwrap().problem, None);
}

#[test]
fn illegal_steps_are_refused_and_write_nothing() {
    let (store, clock) = memory_store();
    let job = store.insert_job(NewJob::default()).unwrap();
    let id = job.id.as_str();

    // Nothing may skip the create mark or the task id.
    assert!(matches!(
        store.set_status(id, JobStatus::Running),
        Err(StoreError::IllegalTransition {
            from: JobStatus::Uploading,
            to: JobStatus::Running,
            ..
        })
    ));
    assert!(matches!(
        store.set_task_id(id, &TaskId("t".into())),
        Err(StoreError::IllegalTransition { .. })
    ));
    assert!(matches!(
        store.set_uncertain(id, &Message::verbatim("x", "x")),
        Err(StoreError::IllegalTransition { .. })
    ));
    for status in [
        JobStatus::Submitting,
        JobStatus::Done,
        JobStatus::Failed,
        JobStatus::SubmissionUncertain,
    ] {
        assert!(matches!(
            store.set_status(id, status),
            Err(StoreError::StatusNeedsDetails { .. })
        ));
    }

    // The create request is marked at most once: a second mark would mean a second paid request.
    store.mark_create_sent(id).unwrap();
    let err = store.mark_create_sent(id).unwrap_err();
    assert_eq!(err.kind(), "job_illegal_transition");
    assert!(matches!(
        store.set_uploaded(
            id,
            FrameSlot::First,
            "https://u/x",
            datetime!(2030-01-01 00:00 UTC)
        ),
        Err(StoreError::WrongState {
            status: JobStatus::Submitting,
            ..
        })
    ));
    assert!(matches!(
        store.delete_job(id),
        Err(StoreError::WrongState { .. })
    ));
    store.set_task_id(id, &TaskId("t1".into())).unwrap();
    assert!(
        store.set_task_id(id, &TaskId("t2".into())).is_err(),
        "a known task id is never replaced"
    );
    store.set_status(id, JobStatus::Running).unwrap();
    store.set_done(id, Path::new("/v.mp4")).unwrap();

    let before = store.get_job(id).unwrap();
    clock.advance(1000);
    for (what, result) in [
        ("running", store.set_status(id, JobStatus::Running)),
        ("queued", store.set_status(id, JobStatus::Queued)),
        ("downloading", store.set_status(id, JobStatus::Downloading)),
        (
            "failed",
            store.set_failed(id, "x", &Message::verbatim("x", "x")),
        ),
        ("done again", store.set_done(id, Path::new("/other.mp4"))),
        ("progress", store.set_progress(id, 1, None)),
        (
            "video url",
            store.set_video_url(id, "https://cdn/other.mp4"),
        ),
    ] {
        assert!(result.is_err(), "{what} was allowed after done");
    }
    assert!(matches!(
        store.set_status(id, JobStatus::Running),
        Err(StoreError::IllegalTransition {
            from: JobStatus::Done,
            to: JobStatus::Running,
            ..
        })
    ));
    assert_eq!(
        store.get_job(id).unwrap(),
        before,
        "refused steps wrote nothing"
    );

    assert!(matches!(
        store.set_status("missing", JobStatus::Running),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_job("missing"),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn a_failed_download_of_a_finished_task_can_be_retried() {
    let (store, _) = memory_store();
    let id = store.insert_job(NewJob::default()).unwrap().id;
    store.mark_create_sent(&id).unwrap();
    store.set_task_id(&id, &TaskId("t".into())).unwrap();
    store.set_video_url(&id, "https://cdn/a.mp4").unwrap();
    store.set_status(&id, JobStatus::Downloading).unwrap();
    store
        .set_failed(&id, "download_failed", &Message::verbatim("x", "x"))
        .unwrap();
    store.set_video_url(&id, "https://cdn/fresh.mp4").unwrap();
    store.set_status(&id, JobStatus::Downloading).unwrap();
    store.set_done(&id, Path::new("/v.mp4")).unwrap();
    assert_eq!(store.get_job(&id).unwrap().status, JobStatus::Done);
}

#[test]
fn unfinished_jobs_resume_by_what_they_last_saved() {
    let (store, clock) = memory_store();
    let mut ids = Vec::new();
    let mut new = |clock: &crate::support::store::ManualClock| {
        clock.advance(10);
        let id = store.insert_job(NewJob::default()).unwrap().id;
        ids.push(id.clone());
        id
    };
    let uploading = new(&clock);
    let sent_no_task = new(&clock);
    store.mark_create_sent(&sent_no_task).unwrap();
    let queued = new(&clock);
    store.mark_create_sent(&queued).unwrap();
    store.set_task_id(&queued, &TaskId("q".into())).unwrap();
    let running_with_url = new(&clock);
    store.mark_create_sent(&running_with_url).unwrap();
    store
        .set_task_id(&running_with_url, &TaskId("r".into()))
        .unwrap();
    store
        .set_status(&running_with_url, JobStatus::Running)
        .unwrap();
    store
        .set_video_url(&running_with_url, "https://cdn/r.mp4")
        .unwrap();
    let downloading = new(&clock);
    store.mark_create_sent(&downloading).unwrap();
    store
        .set_task_id(&downloading, &TaskId("d".into()))
        .unwrap();
    store
        .set_video_url(&downloading, "https://cdn/d.mp4")
        .unwrap();
    store
        .set_status(&downloading, JobStatus::Downloading)
        .unwrap();
    let done = new(&clock);
    store.mark_create_sent(&done).unwrap();
    store.set_task_id(&done, &TaskId("x".into())).unwrap();
    store.set_done(&done, Path::new("/d.mp4")).unwrap();
    let failed = new(&clock);
    store
        .set_failed(&failed, "k", &Message::verbatim("x", "x"))
        .unwrap();
    let uncertain = new(&clock);
    store.mark_create_sent(&uncertain).unwrap();
    store
        .set_uncertain(&uncertain, &Message::verbatim("x", "x"))
        .unwrap();

    let unfinished = store.unfinished_jobs().unwrap();
    let order: Vec<&str> = unfinished.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(
        order,
        [
            &uploading,
            &sent_no_task,
            &queued,
            &running_with_url,
            &downloading
        ]
        .map(String::as_str),
        "oldest first, settled jobs left out"
    );
    let actions: Vec<ResumeAction> = unfinished.iter().map(resume_action).collect();
    assert_eq!(
        actions,
        [
            ResumeAction::RestartUpload,
            // The create request may have reached the service: never sent again by itself.
            ResumeAction::MarkUncertain,
            ResumeAction::PollTask {
                task_id: TaskId("q".into())
            },
            // A link seen while running is not trusted until the task is known to be done.
            ResumeAction::PollTask {
                task_id: TaskId("r".into())
            },
            ResumeAction::Download {
                task_id: TaskId("d".into()),
                url: "https://cdn/d.mp4".into()
            },
        ]
    );
    for settled in [&done, &failed, &uncertain] {
        assert_eq!(
            store.get_job(settled).unwrap().resume_action(),
            ResumeAction::Nothing
        );
    }
    // The app acts on MarkUncertain through the store, which accepts exactly that step.
    store
        .set_uncertain(&sent_no_task, &Message::verbatim("x", "x"))
        .unwrap();
    assert_eq!(store.unfinished_jobs().unwrap().len(), 4);
}

#[test]
fn deleting_keeps_retries_and_the_search_index_consistent() {
    let (store, _) = memory_store();
    let original = store
        .insert_job(NewJob {
            request: text_draft("lighthouse storm"),
            ..NewJob::default()
        })
        .unwrap();
    store
        .set_failed(&original.id, "k", &Message::verbatim("x", "x"))
        .unwrap();
    let retry = store
        .insert_job(NewJob {
            request: text_draft("lighthouse storm"),
            retry_of: Some(original.id.clone()),
            ..NewJob::default()
        })
        .unwrap();
    let search = seedance_core::store::JobQuery {
        search: Some("lighthouse".into()),
        ..Default::default()
    };
    assert_eq!(store.count_jobs(&search).unwrap(), 2);
    store.delete_job(&original.id).unwrap();
    assert!(matches!(
        store.get_job(&original.id),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.get_job(&retry.id).unwrap().retry_of, None);
    assert_eq!(store.count_jobs(&search).unwrap(), 1);
    let page = store.list_jobs(&search).unwrap();
    assert_eq!(page.jobs.len(), 1);
    assert_eq!(page.jobs[0].id, retry.id);
}
