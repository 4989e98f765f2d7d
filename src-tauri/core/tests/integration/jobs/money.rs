//! A paid task is never called lost: polls that meet a refused token or an outage wait instead of
//! failing, an expired link is refreshed before the video is called gone, a task id that cannot be saved
//! at once is kept and saved later, and a run that panics gives its job back.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::api::within;
use crate::support::jobs::{connection_to, harness, runner_for, runner_with};
use crate::support::text_draft;
use seedance_core::i18n::UserFacing;
use seedance_core::jobs::{Connection, ConnectionFuture, ConnectionSource, JobError, SpendConsent};
use seedance_core::store::{JobQuery, JobStatus, Store, StoreError};
use seedance_sim::{Fault, Route, SimConfig, TaskFailure, TaskScript, SAMPLE_MP4};

/// Lets jobs be submitted, then panics inside their runs (a stand-in for any bug in a run).
struct PanicsInRuns(Connection);

impl ConnectionSource for PanicsInRuns {
    fn current(&self) -> ConnectionFuture<'_> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }

    fn for_job(&self, _demo: bool) -> ConnectionFuture<'_> {
        panic!("a bug inside the run");
    }
}

#[tokio::test]
async fn a_run_that_panics_gives_its_job_back() {
    let h = harness(SimConfig::fast(), 3).await;
    let runner = runner_with(
        Arc::new(PanicsInRuns(connection_to(&h.sim, false))),
        &h.store,
        &h.events,
        h.dir.path(),
        3,
    );
    let job = runner.submit(text_draft("a cat"), None).await.unwrap();
    within(runner.wait_idle()).await;
    assert!(!runner.is_active(&job.id));
    let failed = h.store.get_job(&job.id).unwrap();
    assert_eq!(failed.status, JobStatus::Failed);
    let problem = failed.problem.unwrap();
    assert_eq!(problem.kind, "run_crashed");
    assert!(problem.message.text("en").contains("internal error"));
    assert_eq!(h.sim.counts().create, 0);
}

#[tokio::test]
async fn a_refused_token_while_polling_waits_and_the_job_continues_by_itself() {
    let h = harness(SimConfig::fast(), 3).await;
    h.sim.push_fault(Route::GetTask, Fault::Unauthorized);
    h.sim.push_fault(Route::GetTask, Fault::Unauthorized);
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert_eq!(h.sim.counts().create, 1);
    assert_eq!(h.sim.counts().unauthorized, 2);

    let records = h.events.records(&job.id);
    let waiting: Vec<_> = records
        .iter()
        .filter(|r| {
            r.poll_trouble
                .as_ref()
                .is_some_and(|t| t.kind == "token_refused")
        })
        .collect();
    assert!(!waiting.is_empty(), "the wait was shown");
    for r in &waiting {
        assert!(!r.status.is_settled(), "{:?}", r.status);
        assert!(!r.can_resubmit);
        assert!(r.task_id.is_some());
        let note = r.poll_trouble.as_ref().unwrap();
        assert!(
            note.message.text("en").contains("paid for"),
            "{}",
            note.message.text("en")
        );
        assert!(note.next_try_at.is_some());
    }
    assert!(!records.iter().any(|r| r.status == JobStatus::Failed));
    assert!(records.last().unwrap().poll_trouble.is_none());
}

/// Time 100× fast, except that the one-minute recheck of a job waiting for its service never comes:
/// only a wake-up can resume such a job.
struct NoRecheck(seedance_core::api::ScaledTime);

impl seedance_core::api::Sleeper for NoRecheck {
    fn sleep(&self, duration: Duration) -> seedance_core::api::SleepFuture<'_> {
        if duration >= seedance_core::jobs::SERVICE_RECHECK {
            Box::pin(std::future::pending())
        } else {
            self.0.sleep(duration)
        }
    }
}

/// A paid job waiting because its queries were refused polls again as soon as a new token is saved
/// (the shell's `save_token` and `save_prefs` call `service_changed`), not a minute later, and
/// finishes on the task it has: no second create.
#[tokio::test]
async fn saving_a_token_wakes_a_job_waiting_on_a_refused_one() {
    use seedance_core::jobs::{FixedConnection, JobRunner, RunnerPrefs, RunnerTiming};

    let h = harness(SimConfig::fast(), 3).await;
    let time = Arc::new(seedance_core::api::ScaledTime::new(100));
    let settings = RunnerPrefs {
        output_dir: h.out_dir(),
        file_name_pattern: seedance_core::prefs::DEFAULT_FILE_NAME_PATTERN.to_owned(),
        upload_region: seedance_core::prefs::UploadRegion::Global,
        max_concurrent_jobs: 3,
    };
    let runner = JobRunner::new(
        h.store.clone(),
        h.events.clone(),
        Arc::new(FixedConnection(connection_to(&h.sim, false))),
        Arc::new(move || settings.clone()),
        RunnerTiming {
            clock: time.clone(),
            sleeper: Arc::new(NoRecheck(seedance_core::api::ScaledTime::new(100))),
            ..RunnerTiming::default()
        },
    );
    // Every query is refused until the user saves a token the service accepts.
    for _ in 0..50 {
        h.sim.push_fault(Route::GetTask, Fault::Unauthorized);
    }
    let job = runner.submit(text_draft("a cat"), None).await.unwrap();
    let started = Instant::now();
    let refused = |r: &seedance_core::store::JobRecord| {
        r.poll_trouble
            .as_ref()
            .is_some_and(|t| t.kind == "token_refused")
    };
    while !refused(&runner.get_job(&job.id).unwrap()) {
        assert!(started.elapsed() < Duration::from_secs(10), "never waited");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Left alone (many poll intervals at this speed), the job keeps waiting and asks nothing.
    let asked = h.sim.counts().get_task;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let waiting = runner.get_job(&job.id).unwrap();
    assert!(
        refused(&waiting) && !waiting.status.is_settled(),
        "{waiting:?}"
    );
    assert!(waiting.task_id.is_some());
    assert_eq!(
        h.sim.counts().get_task,
        asked,
        "no query before the wake-up"
    );

    // A valid token is saved: the service answers again and the runner is told.
    h.sim.clear_faults();
    let woken = Instant::now();
    runner.service_changed();
    within(runner.wait_idle()).await;
    assert!(
        woken.elapsed() < Duration::from_secs(5),
        "{:?}",
        woken.elapsed()
    );
    let done = h.store.get_job(&job.id).unwrap();
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert_eq!(h.sim.counts().create, 1);
    assert!(h.sim.counts().get_task > asked);
    let records = h.events.records(&job.id);
    assert!(!records
        .iter()
        .any(|r| r.status == JobStatus::Failed || r.can_resubmit));
    assert!(runner.get_job(&job.id).unwrap().poll_trouble.is_none());
}

#[tokio::test]
async fn an_outage_while_polling_shows_when_the_next_check_is() {
    let h = harness(SimConfig::fast(), 3).await;
    // Two rounds of a query and its retries, every connection reset.
    for _ in 0..8 {
        h.sim.push_fault(Route::GetTask, Fault::DropAfterRead);
    }
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);

    let records = h.events.records(&job.id);
    let notes: Vec<_> = records
        .iter()
        .filter_map(|r| r.poll_trouble.clone().map(|t| (r.status, r.updated_at, t)))
        .collect();
    assert!(!notes.is_empty(), "the outage was shown");
    for (status, updated_at, note) in &notes {
        assert!(!status.is_settled());
        assert_eq!(note.kind, "service_unreachable");
        assert!(note.message.text("en").starts_with("Can't reach SinanCode"));
        assert!(note.message.text("zh-CN").contains("无法连接"));
        // Words for the user; the transport's own words only behind "Details".
        assert!(
            !note.message.text("en").contains("error"),
            "{}",
            note.message.text("en")
        );
        assert!(note
            .details
            .as_deref()
            .is_some_and(|d| d.contains("network_down")));
        assert!(note.next_try_at.unwrap() > *updated_at);
    }
    // Cleared by the poll that was answered.
    assert!(records.last().unwrap().poll_trouble.is_none());
    assert!(h.runner.get_job(&job.id).unwrap().poll_trouble.is_none());
}

#[tokio::test]
async fn an_expired_link_is_refreshed_before_the_video_is_called_gone() {
    let h = harness(SimConfig::fast(), 3).await;
    h.sim
        .push_fault(Route::Result, Fault::HtmlError { status: 403 });
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    crate::support::assert_saved_video(done.output_path.unwrap(), SAMPLE_MP4);
    assert_eq!(h.sim.counts().create, 1);
    // The refused download, a fresh query of the task, the download that worked.
    let tail: Vec<(Route, u16)> = h
        .sim
        .requests()
        .iter()
        .filter(|r| matches!(r.route, Route::Result | Route::GetTask))
        .map(|r| (r.route, r.status))
        .rev()
        .take(3)
        .collect();
    assert_eq!(
        tail,
        [
            (Route::Result, 200),
            (Route::GetTask, 200),
            (Route::Result, 403)
        ]
    );
}

#[tokio::test]
async fn a_video_still_gone_after_a_fresh_link_may_be_generated_again() {
    let h = harness(SimConfig::fast(), 3).await;
    h.sim.script_next_task(TaskScript {
        expired_link: true,
        ..TaskScript::default()
    });
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    let gone = h.settle(&job.id).await;
    assert_eq!(gone.status, JobStatus::Failed);
    let problem = gone.problem.clone().unwrap();
    assert_eq!(problem.kind, "result_link_expired");
    assert!(
        problem.message.text("en").contains("fresh link"),
        "{}",
        problem.message.text("en")
    );
    assert!(gone.can_resubmit);
    assert_eq!(h.sim.counts().create, 1);
}

#[tokio::test]
async fn a_job_with_a_live_task_is_never_offered_or_allowed_a_resubmit() {
    let h = harness(SimConfig::fast(), 3).await;
    for _ in 0..30 {
        h.sim
            .push_fault(Route::Result, Fault::CutBody { after_bytes: 1000 });
    }
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    let failed = h.settle(&job.id).await;
    assert_eq!(failed.status, JobStatus::Failed);
    assert!(failed.task_id.is_some());
    assert!(!failed.can_resubmit);
    let refused = h
        .runner
        .resubmit(&job.id, SpendConsent::NotGiven)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, JobError::NotResubmittable { .. }),
        "{refused:?}"
    );
    assert_eq!(refused.kind(), "job_not_resubmittable");
    assert!(!refused.msg().text("zh-CN").is_ascii());
    assert_eq!(h.sim.counts().create, 1);

    // A task that failed at the service may be paid for again, knowingly.
    h.sim.clear_faults();
    h.sim.script_next_task(TaskScript {
        fail: Some(TaskFailure {
            error_code: "content_policy".into(),
            error_msg: "refused".into(),
        }),
        ..TaskScript::default()
    });
    let refused_task = h.runner.submit(text_draft("a dog"), None).await.unwrap();
    let failed = h.settle(&refused_task.id).await;
    assert_eq!(failed.problem.unwrap().kind, "task_failed");
    assert!(failed.can_resubmit);
}

#[tokio::test]
async fn a_job_is_resubmitted_once_and_points_at_its_copy() {
    let h = harness(SimConfig::fast(), 3).await;
    h.sim.push_fault(Route::Create, Fault::DropAfterRead);
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    let uncertain = h.settle(&job.id).await;
    assert_eq!(uncertain.status, JobStatus::SubmissionUncertain);
    assert!(uncertain.can_resubmit && uncertain.resubmitted_as.is_none());

    let again = h
        .runner
        .resubmit(&job.id, SpendConsent::NotGiven)
        .await
        .unwrap();
    let original = h.store.get_job(&job.id).unwrap();
    assert_eq!(original.resubmitted_as.as_deref(), Some(again.id.as_str()));
    assert!(!original.can_resubmit);
    // Every view hears of the original's change at once (else its row still offers Submit again).
    let announced = h.events.records(&job.id).pop().unwrap();
    assert_eq!(announced.resubmitted_as.as_deref(), Some(again.id.as_str()));
    assert!(!announced.can_resubmit);
    let listed = h.store.list_jobs(&JobQuery::default()).unwrap();
    let listed = listed.jobs.iter().find(|j| j.id == job.id).unwrap();
    assert_eq!(listed.resubmitted_as.as_deref(), Some(again.id.as_str()));

    let second = h
        .runner
        .resubmit(&job.id, SpendConsent::NotGiven)
        .await
        .unwrap_err();
    assert!(
        matches!(second, JobError::Store(StoreError::AlreadyResubmitted { again: ref copy, .. }) if *copy == again.id),
        "{second:?}"
    );
    assert_eq!(second.kind(), "job_already_resubmitted");
    assert!(!second.msg().text("zh-CN").is_ascii());
    h.settle(&again.id).await;
    assert_eq!(h.sim.counts().create, 2);
}

#[tokio::test]
async fn a_task_id_that_cannot_be_saved_at_once_is_kept_and_saved_later() {
    let h = harness(
        SimConfig {
            hang_for: Duration::from_millis(400),
            ..SimConfig::fast()
        },
        3,
    )
    .await;
    h.store.set_busy_timeout(Duration::from_millis(20)).unwrap();
    // The create answer is held back so the database can be locked in between.
    h.sim.push_fault(Route::Create, Fault::Hang);
    let job = h.runner.submit(text_draft("a cat"), None).await.unwrap();
    let started = Instant::now();
    while h.store.get_job(&job.id).unwrap().create_sent_at.is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "create never sent"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    // Another connection holds the write lock across the moment the task id arrives, and long
    // past it (the task finishes meanwhile).
    let other = rusqlite::Connection::open(h.dir.path().join("jobs.db")).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let during = h.store.get_job(&job.id).unwrap();
    assert_eq!(during.task_id, None, "the lock really kept the write out");
    other.execute_batch("COMMIT").unwrap();

    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert!(done.task_id.is_some());
    assert_eq!(h.sim.counts().create, 1);
    let records = h.events.records(&job.id);
    assert!(!records
        .iter()
        .any(|r| r.status == JobStatus::Failed || r.can_resubmit));
}

#[tokio::test]
async fn live_jobs_are_refused_while_the_history_is_only_in_memory() {
    let h = harness(SimConfig::fast(), 3).await;
    let memory = Arc::new(Store::open_in_memory().unwrap());
    let live = runner_for(&h.sim, &memory, &h.events, h.dir.path(), false, 3);
    let refused = live.submit(text_draft("a cat"), None).await.unwrap_err();
    assert!(matches!(refused, JobError::HistoryNotSaved), "{refused:?}");
    assert_eq!(refused.kind(), "history_not_saved");
    assert!(refused.msg().text("en").contains("Demo mode still works"));
    assert!(!refused.msg().text("zh-CN").is_ascii());
    assert_eq!(memory.count_jobs(&JobQuery::default()).unwrap(), 0);
    assert_eq!(h.sim.counts().upload + h.sim.counts().create, 0);

    let demo = runner_for(&h.sim, &memory, &h.events, h.dir.path(), true, 3);
    let job = demo.submit(text_draft("a cat"), None).await.unwrap();
    within(demo.wait_idle()).await;
    assert_eq!(memory.get_job(&job.id).unwrap().status, JobStatus::Done);
}
