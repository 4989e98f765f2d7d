//! Spend limits at the two doors against the simulator: a single job or a batch that would pass today's
//! or this month's limit is asked about and sends nothing (no upload, no create, nothing stored) until the
//! user says yes; a batch above the per-batch limit is refused even then.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use seedance_core::api::Clock;
use seedance_core::batch::{from_form, BatchPlan};
use seedance_core::cost::{estimate, CostRates};
use seedance_core::i18n::Message;
use seedance_core::i18n::UserFacing;
use seedance_core::jobs::{
    BatchRunError, BatchStart, Intent, JobError, JobRunner, SpendConsent, SpendPolicy,
};
use seedance_core::spend::{SpendLimits, SpendPeriod};
use seedance_core::store::{JobQuery, Store};
use seedance_sim::{Route, SimConfig, TaskFailure, TaskScript};
use time::OffsetDateTime;

use crate::support::api::{start, within};
use crate::support::batch::plan_with;
use crate::support::jobs::{bench, harness, runner_for, Recorder};
use crate::support::text_draft;

fn limit(runner: &JobRunner, limits: SpendLimits) {
    runner.set_spend_policy(Arc::new(move || SpendPolicy {
        limits,
        rates: CostRates::default(),
        zone: jiff::tz::TimeZone::UTC,
    }));
}

fn takes_of(prompt: &str, takes: u32) -> BatchPlan {
    let plan = plan_with(&from_form(&text_draft(prompt), takes), "", &[]);
    assert!(plan.can_start(), "{:?}", plan.problems);
    plan
}

/// The backend's highest estimate of the test drafts (720p, no frame, 5 s).
fn one_job() -> u64 {
    let settings = text_draft("x").settings.known().unwrap();
    u64::from(estimate(&settings, None, &CostRates::default()).tokens_max)
}

#[tokio::test]
async fn a_job_past_the_days_limit_is_asked_about_and_sends_nothing_until_yes() {
    let b = bench().await;
    let per_job = one_job();
    assert_eq!(per_job, 108_900);
    limit(
        &b.runner,
        SpendLimits {
            per_day: Some(150_000),
            ..SpendLimits::default()
        },
    );
    // The first job fits.
    let first = b
        .runner
        .submit(text_draft("a fox in the snow"), Some(108_900))
        .await
        .unwrap();
    within(b.runner.wait_idle()).await;
    assert_eq!(b.sim.counts().create, 1);

    // The second would make 217 800 today: asked, nothing stored or sent.
    let asked = b
        .runner
        .submit(text_draft("an owl at dusk"), Some(108_900))
        .await
        .unwrap_err();
    let JobError::SpendLimit(question) = &asked else {
        panic!("{asked:?}");
    };
    assert_eq!(asked.kind(), "spend_limit");
    assert_eq!(question.breaches.len(), 1);
    let breach = &question.breaches[0];
    assert_eq!(breach.period, SpendPeriod::Day);
    assert_eq!(breach.limit, 150_000);
    assert_eq!(breach.spent.tokens, per_job, "the first job, sent");
    assert_eq!(breach.estimate.tokens, per_job);
    let details: serde_json::Value = serde_json::from_str(&asked.details().unwrap()).unwrap();
    assert_eq!(details["breaches"][0]["period"], "day");
    let en = asked.msg().text("en");
    assert!(
        en.contains("150\u{a0}000") && en.contains("108\u{a0}900"),
        "{en}"
    );
    assert!(asked.msg().text("zh-CN").contains("上限"));
    assert_eq!(b.store.count_jobs(&JobQuery::default()).unwrap(), 1);
    let creates = |sim: &seedance_sim::Sim| {
        sim.requests()
            .iter()
            .filter(|r| r.route == Route::Create)
            .count()
    };
    assert_eq!(creates(&b.sim), 1, "the request log has no second create");

    // A smaller figure from the form does not get past the backend's own estimate.
    let asked = b.runner.submit(text_draft("an owl at dusk"), Some(1)).await;
    assert!(matches!(asked, Err(JobError::SpendLimit(_))), "{asked:?}");

    // "Generate anyway": sent, with the intent recorded by the call.
    let second = b
        .runner
        .submit_checked(
            text_draft("an owl at dusk"),
            Some(108_900),
            Intent::Once,
            SpendConsent::Given,
        )
        .await
        .unwrap();
    assert_ne!(second.id, first.id);
    within(b.runner.wait_idle()).await;
    assert_eq!(b.sim.counts().create, 2);
}

#[tokio::test]
async fn the_months_limit_counts_this_months_jobs_and_no_limit_never_asks() {
    let b = bench().await;
    // No policy: nothing is checked.
    b.runner
        .submit(text_draft("waves"), Some(108_900))
        .await
        .unwrap();
    within(b.runner.wait_idle()).await;
    limit(
        &b.runner,
        SpendLimits {
            per_day: Some(10_000_000),
            per_month: Some(200_000),
            per_batch: Some(1),
        },
    );
    let asked = b
        .runner
        .submit(text_draft("rain"), Some(108_900))
        .await
        .unwrap_err();
    let JobError::SpendLimit(question) = &asked else {
        panic!("{asked:?}");
    };
    let periods: Vec<_> = question.breaches.iter().map(|b| b.period).collect();
    assert_eq!(
        periods,
        [SpendPeriod::Month],
        "the per-batch limit is not for single jobs"
    );
    assert_eq!(b.sim.counts().create, 1);
}

#[tokio::test]
async fn a_batch_above_its_limit_is_refused_and_one_past_the_day_is_asked() {
    let h = harness(SimConfig::fast(), 2).await;
    let per_job = one_job();
    let two = takes_of("a red kite", 2);
    assert_eq!(two.total.tokens_max, 2 * per_job);
    let source = Message::new("msg.batch_source.form").arg("takes", 2);
    let start = |plan, spend| {
        h.runner.start_batch(BatchStart {
            name: "kites",
            source: &source,
            plan,
            intent: Intent::Repeat,
            spend,
        })
    };

    limit(
        &h.runner,
        SpendLimits {
            per_batch: Some(200_000),
            ..SpendLimits::default()
        },
    );
    for consent in [SpendConsent::NotGiven, SpendConsent::Given] {
        let error = within(start(&two, consent)).await.unwrap_err();
        assert!(
            matches!(error, BatchRunError::Job(JobError::OverSpendLimit { .. })),
            "{error:?}"
        );
        assert_eq!(error.msg().key, "msg.spend.batch_over_limit");
        assert!(error.msg().text("en").contains("Settings"));
    }
    assert!(h.runner.batches().unwrap().is_empty());
    assert_eq!(h.store.count_jobs(&JobQuery::default()).unwrap(), 0);
    assert_eq!(h.sim.counts().create + h.sim.counts().upload, 0);

    // Per day 300 000: the first batch (217 800) fits; a second is asked about, counting the first
    // whether or not its jobs were sent yet.
    limit(
        &h.runner,
        SpendLimits {
            per_day: Some(300_000),
            ..SpendLimits::default()
        },
    );
    let first = within(start(&two, SpendConsent::NotGiven)).await.unwrap();
    // The source is kept as a message, rendered in the reader's language.
    assert_eq!(first.source.text("en"), "Generate form × 2");
    assert_eq!(first.source.text("zh-CN"), "生成表单 × 2");
    let other = takes_of("a blue kite", 2);
    let error = within(start(&other, SpendConsent::NotGiven))
        .await
        .unwrap_err();
    let BatchRunError::Job(JobError::SpendLimit(question)) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(error.kind(), "spend_limit");
    assert!(error.details().unwrap().contains("\"day\""));
    assert_eq!(question.breaches[0].spent.tokens, 2 * per_job);
    assert!(error.msg().text("en").contains("this batch"));
    assert_eq!(h.runner.batches().unwrap().len(), 1);
    assert_eq!(h.store.count_jobs(&JobQuery::default()).unwrap(), 2);

    within(start(&other, SpendConsent::Given)).await.unwrap();
    within(h.runner.wait_idle()).await;
    assert_eq!(h.sim.counts().create, 4);
}

/// "Submit again" pays for a new generation: past a limit it is asked about like a new job, nothing
/// stored or sent until the user says yes.
#[tokio::test]
async fn a_paid_resubmit_past_the_days_limit_is_asked_about_like_a_new_job() {
    let h = harness(SimConfig::fast(), 2).await;
    h.sim.script_next_task(TaskScript {
        fail: Some(TaskFailure {
            error_code: "content_policy".into(),
            error_msg: "refused".into(),
        }),
        ..TaskScript::default()
    });
    let job = h
        .runner
        .submit(text_draft("a heron in the reeds"), Some(108_900))
        .await
        .unwrap();
    let failed = h.settle(&job.id).await;
    assert!(failed.can_resubmit, "{:?}", failed.problem);
    limit(
        &h.runner,
        SpendLimits {
            per_day: Some(100_000),
            ..SpendLimits::default()
        },
    );
    let asked = h
        .runner
        .resubmit(&job.id, SpendConsent::NotGiven)
        .await
        .unwrap_err();
    assert!(matches!(asked, JobError::SpendLimit(_)), "{asked:?}");
    assert!(asked.msg().text("en").contains("this job"));
    assert_eq!(h.store.count_jobs(&JobQuery::default()).unwrap(), 1);
    assert!(h.store.get_job(&job.id).unwrap().resubmitted_as.is_none());
    assert_eq!(h.sim.counts().create, 1);

    let again = h
        .runner
        .resubmit(&job.id, SpendConsent::Given)
        .await
        .unwrap();
    assert_eq!(again.retry_of.as_deref(), Some(job.id.as_str()));
    h.settle(&again.id).await;
    assert_eq!(h.sim.counts().create, 2);
}

/// A clock that, once armed, takes a while to tell the time: the spend check reads it just before the
/// spend so far, and the insert just before its write, so each submission's read and write are far apart.
struct SlowClock(AtomicBool);

impl Clock for SlowClock {
    fn now(&self) -> OffsetDateTime {
        if self.0.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(150));
        }
        OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
    }
}

/// Two runners on `db` (one store each when `processes`, else one store shared), each with a day's limit that
/// fits one of the two jobs sent at once, on their own threads; the clock is slow while they run, so without a
/// shared turn both would read the spend from before either was stored. Then
/// checks that exactly one was stored and the other asked about.
async fn two_at_once(processes: bool) {
    let sim = start(SimConfig::fast()).await;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(SlowClock(AtomicBool::new(false)));
    let db = dir.path().join("jobs.db");
    let shared = Arc::new(Store::open_with_clock(&db, clock.clone()).unwrap());
    let runners: Vec<JobRunner> = (0..2)
        .map(|_| {
            let store = if processes {
                Arc::new(Store::open_with_clock(&db, clock.clone()).unwrap())
            } else {
                shared.clone()
            };
            let events = Arc::new(Recorder::default());
            let runner = runner_for(&sim, &store, &events, dir.path(), false, 3);
            limit(
                &runner,
                SpendLimits {
                    per_day: Some(150_000),
                    ..SpendLimits::default()
                },
            );
            runner
        })
        .collect();
    clock.0.store(true, Ordering::SeqCst);
    // Each on its own thread, so the two really run at the same time.
    let submit = |runner: &JobRunner, prompt: &'static str| {
        let runner = runner.clone();
        let runtime = tokio::runtime::Handle::current();
        std::thread::spawn(move || {
            runtime.block_on(runner.submit(text_draft(prompt), Some(108_900)))
        })
    };
    let one = submit(&runners[0], "a fox at dawn");
    let two = submit(&runners[usize::from(processes)], "an owl at dusk");
    let results = tokio::task::spawn_blocking(move || [one.join().unwrap(), two.join().unwrap()])
        .await
        .unwrap();
    clock.0.store(false, Ordering::SeqCst);
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(results
        .iter()
        .any(|r| matches!(r, Err(JobError::SpendLimit(_)))));
    assert_eq!(shared.count_jobs(&JobQuery::default()).unwrap(), 1);
    for runner in &runners {
        within(runner.wait_idle()).await;
    }
}

/// Two submissions at once in one process, each within the day's limit alone but not together: one is stored
/// and the other asked about, because each decision and the storing it allows take one turn.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_submissions_at_once_cannot_both_pass_a_limit_that_fits_one() {
    two_at_once(false).await;
}

/// The same as two processes (the app and the command line) on one history: two stores on one database
/// file, each with its own runner. Their turns are one turn (a lock file beside the database), so only one
/// of the two submissions is stored and the other is asked about.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_at_once_cannot_both_pass_a_limit_that_fits_one() {
    two_at_once(true).await;
}
