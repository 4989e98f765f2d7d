//! Jobs stored but never sent are not sent on start once they are old: they wait as not sent, the app
//! says how many and what they would cost, and the user sends or discards them.

use std::time::Duration;

use crate::support::api::within;
use crate::support::jobs::{bench, Bench};
use crate::support::pipeline::frame;
use crate::support::text_draft;
use seedance_core::cost::CostRates;
use seedance_core::jobs::{JobError, ResumePolicy, UnsentOutcome, DISCARDED};
use seedance_core::request::{DraftSettings, RequestDraft};
use seedance_core::store::{JobRecord, JobStatus, NewJob};

const HOUR_MS: i64 = 3_600_000;

/// A job as the app leaves it when it stops before the create request: uploading, never sent.
fn stored(b: &Bench, draft: RequestDraft, tokens: Option<u32>) -> JobRecord {
    b.store
        .insert_job(NewJob {
            request: draft,
            tokens_estimate: tokens,
            ..NewJob::default()
        })
        .unwrap()
}

fn six_hours() -> ResumePolicy {
    ResumePolicy {
        hold_unsent_after: Duration::from_secs(6 * 3600),
    }
}

fn status(b: &Bench, job: &JobRecord) -> JobStatus {
    b.store.get_job(&job.id).unwrap().status
}

/// "Always ask" (0 hours) still never holds back a job stored moments ago: that is this session's own
/// submission, whose run a resume (e.g. after saving a token) may overtake between insert and start.
#[tokio::test]
async fn always_ask_never_holds_back_a_job_stored_moments_ago() {
    let b = bench().await;
    let older = stored(&b, text_draft("stored two minutes ago"), Some(108_900));
    b.clock.advance(110_000);
    let fresh = stored(&b, text_draft("stored just now"), Some(108_900));
    b.clock.advance(10_000);
    let always_ask = ResumePolicy {
        hold_unsent_after: Duration::ZERO,
    };
    let summary = within(b.runner.resume_all_with(&always_ask)).await.unwrap();
    assert_eq!((summary.restarted, summary.not_sent), (1, 1));
    within(b.runner.wait_idle()).await;
    assert_eq!(status(&b, &older), JobStatus::NotSent);
    assert_eq!(status(&b, &fresh), JobStatus::Done);
    assert_eq!(b.sim.counts().create, 1);
}

#[tokio::test]
async fn on_start_only_recent_unsent_jobs_are_sent_and_old_ones_wait() {
    let b = bench().await;
    let silent = RequestDraft {
        settings: DraftSettings {
            generate_audio: false,
            ..DraftSettings::default()
        },
        ..text_draft("old and silent")
    };
    let old_silent = stored(&b, silent, Some(100_000));
    let old_loud = stored(&b, text_draft("old with audio"), Some(300_000));
    let old_unknown = stored(&b, text_draft("old, no estimate"), None);
    b.clock.advance(7 * HOUR_MS);
    let recent = stored(&b, text_draft("made an hour ago"), Some(108_900));
    b.clock.advance(HOUR_MS);

    let summary = within(b.runner.resume_all_with(&six_hours()))
        .await
        .unwrap();
    assert_eq!(summary.restarted, 1);
    assert_eq!(summary.not_sent, 3);
    assert_eq!(summary.not_sent_tokens, 400_000);
    within(b.runner.wait_idle()).await;
    assert_eq!(status(&b, &recent), JobStatus::Done);
    for job in [&old_silent, &old_loud, &old_unknown] {
        assert_eq!(status(&b, job), JobStatus::NotSent);
    }
    assert_eq!(b.sim.counts().create, 1);
    assert_eq!(b.sim.counts().upload, 0, "text jobs upload nothing");

    // The notice's figures, at the user's rates (1.2 per million without audio, 2.4 with).
    let rates = CostRates::default();
    let notice = b.runner.unsent_summary(&rates).unwrap();
    assert_eq!(notice.count, 3);
    assert_eq!(notice.tokens, 400_000);
    assert_eq!(notice.without_estimate, 1);
    assert!(
        (notice.cost - (0.12 + 0.72)).abs() < 1e-9,
        "{}",
        notice.cost
    );
    assert_eq!(notice.currency, "CNY");
    assert_eq!(notice.oldest_created_at, Some(old_silent.created_at));

    // Starting again leaves them waiting: nothing happens without the user.
    let again = within(b.runner.resume_all_with(&six_hours()))
        .await
        .unwrap();
    assert_eq!((again.restarted, again.not_sent), (0, 0));
    within(b.runner.wait_idle()).await;
    assert_eq!(b.sim.counts().create, 1);
}

/// Send all pressed twice (or from two windows): each job is sent once, and neither call reports as
/// "not sent" a job the other one sent.
#[tokio::test]
async fn send_all_twice_at_once_sends_each_job_once_and_counts_it_once() {
    let b = bench().await;
    for n in 0..3 {
        stored(&b, text_draft(&format!("held job {n}")), Some(108_900));
    }
    b.clock.advance(7 * HOUR_MS);
    within(b.runner.resume_all_with(&six_hours()))
        .await
        .unwrap();
    let (one, two) = tokio::join!(b.runner.send_all_unsent(), b.runner.send_all_unsent());
    let (one, two) = (one.unwrap(), two.unwrap());
    assert_eq!(one.done + two.done, 3, "{one:?} {two:?}");
    assert_eq!(one.kept + two.kept, 0, "{one:?} {two:?}");
    within(b.runner.wait_idle()).await;
    assert_eq!(b.sim.counts().create, 3);
}

#[tokio::test]
async fn sending_a_waiting_job_sends_its_create_once_and_discarding_keeps_the_record() {
    let b = bench().await;
    let sent = stored(&b, text_draft("send me"), Some(108_900));
    let dropped = stored(&b, text_draft("drop me"), Some(108_900));
    b.clock.advance(7 * HOUR_MS);
    within(b.runner.resume_all_with(&six_hours()))
        .await
        .unwrap();

    // Two presses at once: one run, one create.
    let (one, two) = tokio::join!(
        b.runner.send_unsent(&sent.id),
        b.runner.send_unsent(&sent.id)
    );
    let refused = if one.is_ok() { two } else { one };
    assert!(
        matches!(refused, Err(JobError::NotWaiting { .. })),
        "{refused:?}"
    );
    within(b.runner.wait_idle()).await;
    assert_eq!(status(&b, &sent), JobStatus::Done);
    assert_eq!(b.sim.counts().create, 1);

    let discarded = b.runner.discard_unsent(&dropped.id).unwrap();
    assert_eq!(discarded.status, JobStatus::Failed);
    let problem = discarded.problem.unwrap();
    assert_eq!(problem.kind, DISCARDED);
    assert!(problem.message.text("zh-CN").contains("没有计费"));
    assert!(matches!(
        b.runner.send_unsent(&dropped.id).await,
        Err(JobError::NotWaiting {
            status: JobStatus::Failed,
            ..
        })
    ));
    within(b.runner.wait_idle()).await;
    assert_eq!(b.sim.counts().create, 1);
    assert_eq!(
        b.runner
            .unsent_summary(&CostRates::default())
            .unwrap()
            .count,
        0
    );
}

#[tokio::test]
async fn a_waiting_job_whose_frame_is_gone_stays_waiting_and_all_at_once_sends_the_rest() {
    let b = bench().await;
    let pic = frame(b.dir.path(), "first.png", 640, 360, 10);
    let gone = frame(b.dir.path(), "gone.png", 640, 360, 90);
    let with = |prompt: &str, path: &std::path::Path| RequestDraft {
        first_frame: Some(path.display().to_string()),
        ..text_draft(prompt)
    };
    let ok = stored(&b, with("frame still here", &pic), None);
    let lost = stored(&b, with("frame deleted", &gone), None);
    let text = stored(&b, text_draft("no frame"), None);
    b.clock.advance(7 * HOUR_MS);
    within(b.runner.resume_all_with(&six_hours()))
        .await
        .unwrap();
    std::fs::remove_file(&gone).unwrap();

    let refused = b.runner.send_unsent(&lost.id).await.unwrap_err();
    assert_eq!(
        seedance_core::i18n::UserFacing::kind(&refused),
        "image_not_found",
        "{refused:?}"
    );
    assert_eq!(status(&b, &lost), JobStatus::NotSent);

    let outcome = within(b.runner.send_all_unsent()).await.unwrap();
    assert_eq!(outcome, UnsentOutcome { done: 2, kept: 1 });
    within(b.runner.wait_idle()).await;
    assert_eq!(status(&b, &ok), JobStatus::Done);
    assert_eq!(status(&b, &text), JobStatus::Done);
    assert_eq!(status(&b, &lost), JobStatus::NotSent);
    assert_eq!(b.sim.counts().create, 2);

    let outcome = b.runner.discard_all_unsent().unwrap();
    assert_eq!(outcome, UnsentOutcome { done: 1, kept: 0 });
    assert_eq!(status(&b, &lost), JobStatus::Failed);
    assert_eq!(b.sim.counts().create, 2);
}
