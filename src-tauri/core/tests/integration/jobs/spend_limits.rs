//! Spend limits at the two doors against the simulator: a single job or a batch that would pass today's
//! or this month's limit is asked about and sends nothing (no upload, no create, nothing stored) until the
//! user says yes; a batch above the per-batch limit is refused even then.

use std::sync::Arc;

use seedance_core::batch::{from_form, BatchPlan};
use seedance_core::cost::{estimate, CostRates};
use seedance_core::i18n::UserFacing;
use seedance_core::jobs::{
    BatchRunError, BatchStart, Intent, JobError, JobRunner, SpendConsent, SpendPolicy,
};
use seedance_core::spend::{SpendLimits, SpendPeriod};
use seedance_core::store::JobQuery;
use seedance_sim::{Route, SimConfig};

use crate::support::api::within;
use crate::support::batch::plan_with;
use crate::support::jobs::{bench, harness};
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
    let start = |plan, spend| {
        h.runner.start_batch(BatchStart {
            name: "kites",
            source: "the form × 2",
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
    within(start(&two, SpendConsent::NotGiven)).await.unwrap();
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
