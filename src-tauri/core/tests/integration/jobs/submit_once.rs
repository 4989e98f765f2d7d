//! An accidental repeat never pays twice: a second identical submission (same request, same frame bytes)
//! arriving within the window is refused, even when both arrive at once; the user can still ask for it.

use crate::support::jobs::{bench, Bench};
use crate::support::pipeline::frame;
use crate::support::text_draft;
use seedance_core::jobs::{Intent, JobError, DUPLICATE_WINDOW};
use seedance_core::request::{DraftSettings, RequestDraft};
use seedance_core::store::{JobQuery, JobRecord, JobStatus};
use seedance_sim::{Fault, Route};

impl Bench {
    async fn idle(&self) {
        crate::support::api::within(self.runner.wait_idle()).await;
    }

    fn jobs(&self) -> Vec<JobRecord> {
        self.store.list_jobs(&JobQuery::default()).unwrap().jobs
    }
}

fn with_frame(prompt: &str, path: &std::path::Path) -> RequestDraft {
    RequestDraft {
        first_frame: Some(path.display().to_string()),
        ..text_draft(prompt)
    }
}

fn duplicate_of(result: Result<JobRecord, JobError>) -> String {
    match result {
        Err(JobError::DuplicateSubmission(d)) => d.job_id,
        other => panic!("expected a duplicate refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn two_identical_submissions_at_once_make_one_job_and_one_create() {
    let b = bench().await;
    let pic = frame(b.dir.path(), "first.png", 640, 360, 10);
    let draft = with_frame("a fox in the snow", &pic);
    let (one, two) = tokio::join!(
        b.runner.submit(draft.clone(), Some(108_900)),
        b.runner.submit(draft.clone(), Some(108_900)),
    );
    let (kept, refused) = if one.is_ok() { (one, two) } else { (two, one) };
    let kept = kept.unwrap();
    assert_eq!(duplicate_of(refused), kept.id);
    b.idle().await;
    assert_eq!(b.jobs().len(), 1);
    assert_eq!(b.store.get_job(&kept.id).unwrap().status, JobStatus::Done);
    assert_eq!(b.sim.counts().create, 1);

    // A minute later the same press is still refused, and says when the first was stored.
    b.clock.advance(60_000);
    match b.runner.submit(draft.clone(), None).await {
        Err(JobError::DuplicateSubmission(d)) => {
            assert_eq!(d.job_id, kept.id);
            assert_eq!(d.seconds_ago, 60);
            assert_eq!(d.stored_at, kept.created_at);
        }
        other => panic!("{other:?}"),
    }

    // The user confirmed: a second job and a second create.
    let again = b
        .runner
        .submit_with(draft, Some(108_900), Intent::Repeat)
        .await
        .unwrap();
    assert_ne!(again.id, kept.id);
    b.idle().await;
    assert_eq!(b.jobs().len(), 2);
    assert_eq!(b.sim.counts().create, 2);
}

#[tokio::test]
async fn another_prompt_or_other_frame_bytes_are_not_a_repeat() {
    let b = bench().await;
    let pic = frame(b.dir.path(), "first.png", 640, 360, 10);
    b.runner
        .submit(with_frame("a fox", &pic), None)
        .await
        .unwrap();
    b.runner
        .submit(with_frame("a fox at dawn", &pic), None)
        .await
        .unwrap();
    // Same path, new picture: the content decides, not the name. (Changed only once the jobs using the
    // old picture are done: a frame changed under a running job stops it before create.)
    b.idle().await;
    frame(b.dir.path(), "first.png", 640, 360, 200);
    b.runner
        .submit(with_frame("a fox", &pic), None)
        .await
        .unwrap();
    // Another setting is another request.
    let longer = RequestDraft {
        settings: DraftSettings {
            duration: 8,
            ..DraftSettings::default()
        },
        ..with_frame("a fox", &pic)
    };
    b.runner.submit(longer, None).await.unwrap();
    // A copy of the same picture under another name is the same request.
    let copy = b.dir.path().join("copy.png");
    std::fs::copy(&pic, &copy).unwrap();
    duplicate_of(b.runner.submit(with_frame("a fox", &copy), None).await);
    b.idle().await;
    assert_eq!(b.jobs().len(), 4);
    assert_eq!(b.sim.counts().create, 4);
}

#[tokio::test]
async fn outside_the_window_the_same_request_is_a_new_job() {
    let b = bench().await;
    let first = b.runner.submit(text_draft("rain"), None).await.unwrap();
    let window_ms = i64::try_from(DUPLICATE_WINDOW.as_millis()).unwrap();
    b.clock.advance(window_ms - 1_000);
    assert_eq!(
        duplicate_of(b.runner.submit(text_draft("rain"), None).await),
        first.id
    );
    b.clock.advance(2_000);
    let second = b.runner.submit(text_draft("rain"), None).await.unwrap();
    assert_ne!(second.id, first.id);
    b.idle().await;
    assert_eq!(b.sim.counts().create, 2);
}

#[tokio::test]
async fn a_job_that_failed_before_sending_does_not_hold_back_a_retry() {
    let b = bench().await;
    let pic = frame(b.dir.path(), "first.png", 640, 360, 10);
    b.sim.push_fault(Route::UploadFile, Fault::Unauthorized);
    let first = b
        .runner
        .submit(with_frame("a fox", &pic), None)
        .await
        .unwrap();
    b.idle().await;
    let first = b.store.get_job(&first.id).unwrap();
    assert_eq!(first.status, JobStatus::Failed, "{:?}", first.problem);
    assert_eq!(first.create_sent_at, None);
    // Nothing was sent or paid: pressing Generate again is the natural retry.
    let retry = b
        .runner
        .submit(with_frame("a fox", &pic), None)
        .await
        .unwrap();
    b.idle().await;
    assert_eq!(b.store.get_job(&retry.id).unwrap().status, JobStatus::Done);
    assert_eq!(b.sim.counts().create, 1);
}
