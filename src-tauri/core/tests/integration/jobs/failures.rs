//! How jobs stop and what the user can do next: a failed task keeps the service's message, an uncertain
//! create is never re-sent (only resubmitted on request), expired links, retrying a download, marking
//! failed, deleting, and picking every kind of unfinished job up on start.

use std::path::PathBuf;
use std::sync::Arc;

use crate::support::api::{client_for, create_body, token, within};
use crate::support::jobs::{harness, runner_for, Harness, Recorder};
use crate::support::text_draft;
use seedance_core::jobs::{JobError, ResumeSummary, SpendConsent};
use seedance_core::store::{JobRecord, JobStatus, NewJob};
use seedance_sim::{Fault, Route, SimConfig, TaskFailure, TaskScript, SAMPLE_MP4};

#[tokio::test]
async fn a_failed_task_keeps_the_services_message() {
    let h = harness(SimConfig::fast(), 3).await;
    h.sim.script_next_task(TaskScript {
        fail: Some(TaskFailure {
            error_code: "content_policy".into(),
            error_msg: "the prompt was refused by the safety filter".into(),
        }),
        ..TaskScript::default()
    });
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    let failed = h.settle(&job.id).await;
    assert_eq!(failed.status, JobStatus::Failed);
    let problem = failed.problem.clone().unwrap();
    assert_eq!(problem.kind, "task_failed");
    assert!(problem
        .message
        .text("en")
        .contains("refused by the safety filter"));
    assert!(problem
        .message
        .text("zh-CN")
        .contains("refused by the safety filter"));
    assert!(h.output_files().is_empty(), "{:?}", h.output_files());
    // The service said no: there is nothing to fetch again.
    assert!(matches!(
        h.runner.retry_download(&job.id),
        Err(JobError::NothingToDownload { .. })
    ));
}

#[tokio::test]
async fn an_uncertain_create_is_only_sent_again_when_the_user_asks() {
    let h = harness(SimConfig::fast(), 3).await;
    h.sim.push_fault(Route::Create, Fault::DropAfterRead);
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    let uncertain = h.settle(&job.id).await;
    assert_eq!(uncertain.status, JobStatus::SubmissionUncertain);
    assert_eq!(uncertain.problem.unwrap().kind, "submission_uncertain");
    assert_eq!(h.sim.counts().create, 1);

    // Starting again does not touch it.
    assert_eq!(
        h.runner.resume_all().await.unwrap(),
        ResumeSummary::default()
    );
    assert_eq!(h.sim.counts().create, 1);

    let again = h
        .runner
        .resubmit(&job.id, SpendConsent::NotGiven)
        .await
        .unwrap();
    assert_ne!(again.id, job.id);
    assert_eq!(again.retry_of.as_deref(), Some(job.id.as_str()));
    assert_eq!(again.request, uncertain.request);
    let done = h.settle(&again.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert_eq!(h.sim.counts().create, 2);

    let marked = h.runner.mark_failed(&job.id).unwrap();
    assert_eq!(marked.status, JobStatus::Failed);
    assert_eq!(marked.problem.unwrap().kind, "marked_failed");
    assert!(matches!(
        h.runner.mark_failed(&again.id),
        Err(JobError::NotUncertain {
            status: JobStatus::Done,
            ..
        })
    ));
    assert_eq!(h.sim.counts().create, 2);
}

#[tokio::test]
async fn an_expired_link_says_so() {
    let h = harness(SimConfig::fast(), 3).await;
    h.sim.script_next_task(TaskScript {
        expired_link: true,
        ..TaskScript::default()
    });
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    let failed = h.settle(&job.id).await;
    assert_eq!(failed.status, JobStatus::Failed);
    assert_eq!(failed.problem.unwrap().kind, "result_link_expired");
    assert!(failed.task_id.is_some());
    assert!(h.output_files().is_empty(), "{:?}", h.output_files());
}

#[tokio::test]
async fn a_failed_download_is_fetched_again_without_a_new_task() {
    let h = harness(SimConfig::fast(), 3).await;
    // Refused twice: the link, then the fresh link the run asked for by itself.
    for _ in 0..2 {
        h.sim
            .push_fault(Route::Result, Fault::HtmlError { status: 403 });
    }
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    let failed = h.settle(&job.id).await;
    assert_eq!(failed.status, JobStatus::Failed);
    assert_eq!(failed.problem.unwrap().kind, "result_link_expired");

    let retrying = h.runner.retry_download(&job.id).unwrap();
    assert_eq!(retrying.status, JobStatus::Downloading);
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert!(done.problem.is_none());
    crate::support::assert_saved_video(done.output_path.unwrap(), SAMPLE_MP4);
    assert_eq!(h.sim.counts().create, 1);
}

/// A job whose download keeps being cut (more often than the download's own retries), so it
/// fails with part of the video on disk: (the failed record, its video path, its `.part`).
async fn fail_partway(h: &Harness) -> (JobRecord, PathBuf, PathBuf) {
    for _ in 0..30 {
        h.sim
            .push_fault(Route::Result, Fault::CutBody { after_bytes: 1000 });
    }
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    let failed = h.settle(&job.id).await;
    assert_eq!(failed.status, JobStatus::Failed, "{:?}", failed.problem);
    let out = PathBuf::from(failed.output_path.clone().unwrap());
    let part = seedance_core::api::part_path(&out).unwrap();
    (failed, out, part)
}

#[tokio::test]
async fn a_download_cut_short_continues_where_it_stopped() {
    let h = harness(SimConfig::fast(), 3).await;
    let (failed, out, part) = fail_partway(&h).await;
    let kept = std::fs::read(&part).unwrap();
    assert!(
        !kept.is_empty() && kept.len() < SAMPLE_MP4.len(),
        "{}",
        kept.len()
    );
    assert_eq!(kept, SAMPLE_MP4[..kept.len()]);
    assert!(!out.exists());

    h.sim.clear_faults();
    let served_before = h.sim.requests().len();
    h.runner.retry_download(&failed.id).unwrap();
    let done = h.settle(&failed.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert_eq!(done.output_path.as_deref(), failed.output_path.as_deref());
    crate::support::assert_saved_video(&out, SAMPLE_MP4);
    assert!(!part.exists());
    // The retry asked only for the rest (206), and no second task was created.
    let retry_statuses: Vec<u16> = h.sim.requests()[served_before..]
        .iter()
        .filter(|r| r.route == Route::Result)
        .map(|r| r.status)
        .collect();
    assert_eq!(retry_statuses, [206]);
    assert_eq!(h.sim.counts().create, 1);
}

#[tokio::test]
async fn deleting_a_job_removes_its_partial_download() {
    let h = harness(SimConfig::fast(), 3).await;
    let (job, _, part) = fail_partway(&h).await;
    assert!(part.exists());
    h.runner.delete(&job.id, false).unwrap();
    assert!(!part.exists());
    assert!(h.output_files().is_empty(), "{:?}", h.output_files());
}

#[tokio::test]
async fn deleting_a_finished_job_leaves_a_newer_download_of_the_same_name_alone() {
    let h = harness(SimConfig::fast(), 3).await;
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    let done = h.settle(&job.id).await;
    let out = std::path::PathBuf::from(done.output_path.unwrap());
    // The video was removed by hand and a newer job is downloading under the same name.
    std::fs::remove_file(&out).unwrap();
    let part = seedance_core::api::part_path(&out).unwrap();
    std::fs::write(&part, b"a newer download").unwrap();
    h.runner.delete(&job.id, true).unwrap();
    assert_eq!(std::fs::read(&part).unwrap(), b"a newer download");
}

/// The backend, not the UI, decides whether a job has a video to delete: an unfinished job has none,
/// so a file under its planned name (the user's own) is never removed, and nothing else is either.
#[tokio::test]
async fn deleting_the_video_of_an_unfinished_job_is_refused() {
    let h = harness(SimConfig::fast(), 3).await;
    let (failed, out, part) = fail_partway(&h).await;
    std::fs::write(&out, b"the user's own file").unwrap();
    let err = h.runner.delete(&failed.id, true).unwrap_err();
    assert!(matches!(err, JobError::NotOwnVideo { .. }), "{err:?}");
    assert_eq!(std::fs::read(&out).unwrap(), b"the user's own file");
    assert!(part.exists(), "nothing was deleted");
    assert!(h.store.get_job(&failed.id).is_ok(), "the record stays too");
}

/// After a video was removed by hand, its name may be taken by another job: that file is not this
/// job's to delete.
#[tokio::test]
async fn deleting_the_video_leaves_a_file_that_now_belongs_to_another_job() {
    let h = harness(SimConfig::fast(), 3).await;
    let job = h.runner.submit(text_draft("a dog"), None).await.unwrap();
    let done = h.settle(&job.id).await;
    let out = PathBuf::from(done.output_path.unwrap());
    std::fs::remove_file(&out).unwrap();
    let (other, _, _) = fail_partway(&h).await;
    h.store.set_planned_output(&other.id, &out).unwrap();
    std::fs::write(&out, b"the other job's video").unwrap();

    let err = h.runner.delete(&job.id, true).unwrap_err();
    assert!(matches!(err, JobError::NotOwnVideo { .. }), "{err:?}");
    assert_eq!(std::fs::read(&out).unwrap(), b"the other job's video");
    // Without the file, the record goes.
    h.runner.delete(&job.id, false).unwrap();
}

#[tokio::test]
async fn deleting_keeps_the_video_unless_asked() {
    let h = harness(SimConfig::fast(), 3).await;
    let kept = h.runner.submit(text_draft("one"), None).await.unwrap();
    // Its run has started: the record stays while it works.
    assert!(matches!(
        h.runner.delete(&kept.id, false),
        Err(JobError::Busy { .. })
    ));
    let gone = h.runner.submit(text_draft("two"), None).await.unwrap();
    let kept_path = h.settle(&kept.id).await.output_path.unwrap();
    let gone_path = h.settle(&gone.id).await.output_path.unwrap();

    h.runner.delete(&kept.id, false).unwrap();
    h.runner.delete(&gone.id, true).unwrap();
    assert!(std::path::Path::new(&kept_path).exists());
    assert!(!std::path::Path::new(&gone_path).exists());
    assert!(h.store.get_job(&kept.id).is_err() && h.store.get_job(&gone.id).is_err());
    assert_eq!(h.events.removed(), [kept.id.clone(), gone.id.clone()]);
}

#[tokio::test]
async fn start_up_resumes_each_kind_of_unfinished_job() {
    let h = harness(SimConfig::fast(), 3).await;
    let new_job = |prompt: &str, demo| NewJob {
        request: text_draft(prompt),
        demo,
        ..NewJob::default()
    };
    // Never sent: run again from the start.
    let fresh = h.store.insert_job(new_job("fresh", false)).unwrap();
    // Sent, no task id came back: may be paid for, never re-sent.
    let sent = h.store.insert_job(new_job("sent", false)).unwrap();
    h.store.mark_create_sent(&sent.id).unwrap();
    // A task exists: poll and download it.
    let task = client_for(&h.sim)
        .create_task(&token(&h.sim), &create_body())
        .await
        .unwrap();
    let polled = h.store.insert_job(new_job("polled", false)).unwrap();
    h.store.mark_create_sent(&polled.id).unwrap();
    h.store.set_task_id(&polled.id, &task).unwrap();
    // Made in demo mode, whose service is gone now.
    let demo = h.store.insert_job(new_job("demo", true)).unwrap();
    h.store.mark_create_sent(&demo.id).unwrap();

    let summary = within(h.runner.resume_all()).await.unwrap();
    assert_eq!(
        summary,
        ResumeSummary {
            restarted: 1,
            resumed: 1,
            uncertain: 1,
            demo_ended: 1,
            ..ResumeSummary::default()
        }
    );
    assert_eq!(h.settle(&fresh.id).await.status, JobStatus::Done);
    let polled = h.settle(&polled.id).await;
    assert_eq!(polled.status, JobStatus::Done, "{:?}", polled.problem);
    assert_eq!(polled.task_id, Some(task));
    let sent = h.store.get_job(&sent.id).unwrap();
    assert_eq!(sent.status, JobStatus::SubmissionUncertain);
    assert!(sent
        .problem
        .unwrap()
        .message
        .text("en")
        .contains("unknown whether"));
    let demo = h.store.get_job(&demo.id).unwrap();
    assert_eq!(demo.status, JobStatus::Failed);
    assert_eq!(demo.problem.unwrap().kind, "demo_ended");
    // One create by the test, one for the fresh job; none for the others.
    assert_eq!(h.sim.counts().create, 2);
    assert_eq!(h.output_files().len(), 2, "{:?}", h.output_files());
}

#[tokio::test]
async fn demo_jobs_continue_while_the_demo_service_runs() {
    let h = harness(SimConfig::fast(), 3).await;
    let events = Arc::new(Recorder::default());
    let demo_runner = runner_for(&h.sim, &h.store, &events, h.dir.path(), true, 3);
    let job = demo_runner.submit(text_draft("demo"), None).await.unwrap();
    assert!(job.demo);
    within(demo_runner.wait_idle()).await;
    assert_eq!(h.store.get_job(&job.id).unwrap().status, JobStatus::Done);
}
