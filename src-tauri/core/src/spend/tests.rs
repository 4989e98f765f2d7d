#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::tz::TimeZone;

use super::*;
use crate::i18n::Message;
use crate::request::{Duration, Ratio, Resolution, Settings};
use crate::store::{NewBatch, NewBatchJob, NewJob};

/// Berlin's rules as a POSIX string (no time zone database needed): CET, CEST from the last Sunday of
/// March 02:00 to the last Sunday of October 03:00. In 2026 summer time starts on Sunday 29 March.
fn berlin() -> TimeZone {
    TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap()
}

fn ms(rfc3339: &str) -> i64 {
    rfc3339.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

#[test]
fn periods_are_local_midnights_each_in_its_own_offset() {
    // Wednesday 1 April 2026, 10:00 summer time: the week began on Monday 30 March (summer time), the
    // month today.
    let p = Periods::at(ms("2026-04-01T08:00:00Z"), &berlin());
    assert_eq!(p.day_start, ms("2026-03-31T22:00:00Z"));
    assert_eq!(p.week_start, ms("2026-03-29T22:00:00Z"));
    assert_eq!(p.month_start, ms("2026-03-31T22:00:00Z"));
    assert_eq!(p.earliest(), p.week_start);

    // Sunday 29 March 2026, noon summer time: the day began at midnight winter time (the clocks went
    // forward at 02:00), so a fixed "current offset" would put it an hour early. The week and the month
    // began in winter time too.
    let p = Periods::at(ms("2026-03-29T10:00:00Z"), &berlin());
    assert_eq!(p.day_start, ms("2026-03-28T23:00:00Z"));
    assert_eq!(p.week_start, ms("2026-03-22T23:00:00Z"));
    assert_eq!(p.month_start, ms("2026-02-28T23:00:00Z"));

    // A Monday is its own week's start; late in the day in UTC is already tomorrow further east.
    let p = Periods::at(ms("2026-03-30T23:30:00Z"), &berlin());
    assert_eq!(
        p.day_start,
        ms("2026-03-30T22:00:00Z"),
        "Tuesday 00:00 CEST"
    );
    assert_eq!(p.week_start, ms("2026-03-29T22:00:00Z"));
    let p = Periods::at(ms("2026-03-30T23:30:00Z"), &TimeZone::UTC);
    assert_eq!(p.day_start, ms("2026-03-30T00:00:00Z"));
    assert_eq!(p.week_start, ms("2026-03-30T00:00:00Z"));
    assert_eq!(p.month_start, ms("2026-03-01T00:00:00Z"));
}

#[test]
fn a_day_without_a_midnight_starts_after_the_gap() {
    // Santiago de Chile style: clocks go from 00:00 to 01:00 on the first Sunday of September.
    let zone = TimeZone::posix("<-04>4<-03>,M9.1.0/0,M4.1.0/0").unwrap();
    let p = Periods::at(ms("2026-09-06T15:00:00Z"), &zone);
    // 01:00 at -03:00 is the first instant of the day.
    assert_eq!(p.day_start, ms("2026-09-06T04:00:00Z"));
}

fn settings(audio: bool) -> Settings {
    Settings {
        ratio: Ratio::R16x9,
        resolution: Resolution::P720,
        duration: Duration::seconds(5).unwrap(),
        generate_audio: audio,
        ..Settings::default()
    }
}

fn new_job(tokens: Option<u32>, audio: bool, demo: bool) -> NewJob {
    NewJob {
        request: crate::request::RequestDraft::from_settings(
            "a fox".into(),
            None,
            None,
            &settings(audio),
        ),
        tokens_estimate: tokens,
        demo,
        ..NewJob::default()
    }
}

/// Sets what the history says about a job, as the runner would have left it.
fn settle(store: &Store, id: &str, status: &str, sent_at: Option<i64>, task: bool) {
    store
        .conn()
        .execute(
            "UPDATE jobs SET status = ?2, create_sent_at = ?3, task_id = ?4 WHERE id = ?1",
            rusqlite::params![id, status, sent_at, task.then(|| format!("task-{id}"))],
        )
        .unwrap();
}

fn job(
    store: &Store,
    tokens: Option<u32>,
    status: &str,
    sent_at: Option<i64>,
    task: bool,
) -> String {
    let id = store.insert_job(new_job(tokens, true, false)).unwrap().id;
    settle(store, &id, status, sent_at, task);
    id
}

fn rates() -> CostRates {
    CostRates {
        per_million_with_audio: 2.0,
        per_million_without_audio: 1.0,
        currency: "CNY".into(),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn history_across_day_week_and_month_boundaries() {
    let store = Store::open_in_memory().unwrap();
    // Now: Wednesday 1 April 2026 10:00 in Berlin (summer time).
    let now = ms("2026-04-01T08:00:00Z");
    // Sunday 23:59:59.999, the week before: in nothing.
    job(
        &store,
        Some(1),
        "done",
        Some(ms("2026-03-29T21:59:59.999Z")),
        true,
    );
    // Monday 00:00: this week, last month.
    job(
        &store,
        Some(10),
        "done",
        Some(ms("2026-03-29T22:00:00Z")),
        true,
    );
    // Tuesday 23:59: this week, last month, not today.
    job(
        &store,
        Some(100),
        "done",
        Some(ms("2026-03-31T21:59:00Z")),
        true,
    );
    // Wednesday 00:00: today, this week, this month.
    job(
        &store,
        Some(1_000),
        "done",
        Some(ms("2026-03-31T22:00:00Z")),
        true,
    );
    // Today, may have been sent (uncertain): counts.
    job(
        &store,
        Some(10_000),
        "submission_uncertain",
        Some(now - 1),
        false,
    );
    // Today, task failed at the service: it was created, counts.
    job(&store, Some(100_000), "failed", Some(now - 2), true);
    // Today, create refused (failed, no task): nothing billed, does not count.
    job(&store, Some(1_000_000), "failed", Some(now - 3), false);
    // Today, in flight (marked sent, no answer yet): counts.
    job(&store, Some(2_000_000), "submitting", Some(now - 4), false);
    // Demo: never counts.
    let demo = store
        .insert_job(new_job(Some(40_000_000), true, true))
        .unwrap()
        .id;
    settle(&store, &demo, "done", Some(now - 5), true);
    // Stored, not sent yet: pending only.
    job(&store, Some(20_000_000), "uploading", None, false);
    // Failed before it was ever sent: nothing at all.
    job(&store, Some(80_000_000), "failed", None, false);
    // Today, without audio and without a stored estimate: estimated again from its request
    // (720p 16:9 5 s = 108 900 tokens), at the silent rate.
    let silent = store.insert_job(new_job(None, false, false)).unwrap().id;
    settle(&store, &silent, "done", Some(now - 6), true);

    let s = summarize(&store, now, &berlin(), &rates(), SpendLimits::default(), 5).unwrap();
    let today_tokens: u32 = 1_000 + 10_000 + 100_000 + 2_000_000;
    assert_eq!(s.today.tokens, u64::from(today_tokens) + 108_900);
    assert_eq!(s.today.jobs, 5);
    assert!(
        close(
            s.today.cost,
            f64::from(today_tokens) * 2.0 / 1e6 + 108_900.0 / 1e6
        ),
        "{}",
        s.today.cost
    );
    assert_eq!(s.month.tokens, s.today.tokens, "the month began today");
    assert_eq!(s.week.tokens, s.today.tokens + 10 + 100);
    assert_eq!(s.week.jobs, 7);
    assert_eq!(s.pending.tokens, 20_000_000);
    assert_eq!(s.currency, "CNY");

    // For a limit, what is on its way counts too.
    let so_far = spent_so_far(&store, now, &berlin(), &rates()).unwrap();
    assert_eq!(so_far.day.tokens, s.today.tokens + 20_000_000);
    assert_eq!(so_far.month.tokens, s.month.tokens + 20_000_000);

    // A day later (Thursday) only that day's jobs (none) count for today; the week goes on.
    let s = summarize(
        &store,
        now + 86_400_000,
        &berlin(),
        &rates(),
        SpendLimits::default(),
        5,
    )
    .unwrap();
    assert_eq!(s.today.tokens, 0);
    assert_eq!(s.week.tokens, 10 + 100 + u64::from(today_tokens) + 108_900);
}

fn batch(store: &Store, name: &str, demo: bool, tokens: &[u32]) -> String {
    let jobs: Vec<NewBatchJob> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| NewBatchJob {
            job: new_job(Some(*t), true, demo),
            fingerprint: format!("{name}-{i}"),
            item: u32::try_from(i).unwrap() + 1,
            take: 1,
            output: None,
        })
        .collect();
    let new = NewBatch {
        name: name.into(),
        source: "folder".into(),
        tokens_min: 0,
        tokens_max: 0,
        total_json: "{}".into(),
        demo,
        fingerprint: format!("batch-{name}"),
    };
    match store.insert_batch(&new, &jobs, None).unwrap() {
        crate::store::BatchInserted::New(b) => b.id,
        crate::store::BatchInserted::Duplicate(_) => unreachable!(),
    }
}

#[test]
fn per_batch_spend_newest_first_without_demo_or_unsent() {
    let store = Store::open_in_memory().unwrap();
    let now = store.now_ms();
    let old = batch(&store, "catalogue", false, &[100, 200, 400]);
    let quiet = batch(&store, "nothing sent", false, &[7]);
    let demo = batch(&store, "demo", true, &[5_000]);
    let new = batch(&store, "storyboard", false, &[1_000, 2_000]);
    let ids = |b: &str| -> Vec<String> {
        store
            .batch_jobs(b)
            .unwrap()
            .into_iter()
            .map(|j| j.id)
            .collect()
    };
    let (o, n, d) = (ids(&old), ids(&new), ids(&demo));
    settle(&store, &o[0], "done", Some(now), true);
    settle(&store, &o[1], "running", Some(now), true);
    // o[2] is still waiting (not sent): pending, not the batch's spend.
    settle(&store, &n[0], "submission_uncertain", Some(now), false);
    settle(&store, &n[1], "failed", None, false);
    settle(&store, &d[0], "done", Some(now), true);
    let _ = quiet;

    let s = summarize(
        &store,
        now,
        &TimeZone::UTC,
        &rates(),
        SpendLimits::default(),
        5,
    )
    .unwrap();
    let names: Vec<(&str, u64, u32)> = s
        .batches
        .iter()
        .map(|b| (b.name.as_str(), b.total.tokens, b.total.jobs))
        .collect();
    assert_eq!(names, [("storyboard", 1_000, 1), ("catalogue", 300, 2)]);
    assert!(close(s.batches[1].total.cost, 300.0 * 2.0 / 1e6));
    assert_eq!(
        s.pending.tokens,
        400 + 7,
        "the waiting items of both batches"
    );

    // The list is capped, keeping the newest.
    let s = summarize(
        &store,
        now,
        &TimeZone::UTC,
        &rates(),
        SpendLimits::default(),
        1,
    )
    .unwrap();
    assert_eq!(s.batches.len(), 1);
    assert_eq!(s.batches[0].name, "storyboard");
}

#[test]
fn csv_has_a_bom_quotes_and_only_counted_jobs() {
    let store = Store::open_in_memory().unwrap();
    let now = ms("2026-04-01T08:00:00Z");
    let b = batch(&store, "=Fox, \"red\"\nshots", false, &[1_000, 2_000]);
    let jobs = store.batch_jobs(&b).unwrap();
    settle(&store, &jobs[0].id, "done", Some(now), true);
    let demo = store.insert_job(new_job(Some(5), true, true)).unwrap().id;
    settle(&store, &demo, "done", Some(now), true);
    let single = job(
        &store,
        Some(108_900),
        "submission_uncertain",
        Some(now + 1_000),
        false,
    );

    let csv = spend_csv(&store, &berlin(), &rates()).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(
        lines[0],
        "date,job_id,batch,item,status,audio,tokens,estimated_cost,currency"
    );
    assert_eq!(
        lines[1],
        format!(
            "2026-04-01 10:00:00,{},\"'=Fox, \"\"red\"\"\nshots\",1,done,yes,1000,0.0020,CNY",
            jobs[0].id
        )
    );
    assert_eq!(
        lines[2],
        format!("2026-04-01 10:00:01,{single},,,submission_uncertain,yes,108900,0.2178,CNY")
    );
    assert_eq!(lines[3], "", "ends with a line break");
    assert_eq!(
        lines.len(),
        4,
        "the demo job and the unsent item are not in it"
    );
}

fn total(tokens: u64) -> SpendTotal {
    SpendTotal::of(tokens, tokens as f64 * 2.0 / 1e6, 1)
}

fn spent(day: u64, month: u64) -> SpentSoFar {
    SpentSoFar {
        day: total(day),
        month: total(month),
    }
}

fn limits(batch: Option<u32>, day: Option<u32>, month: Option<u32>) -> SpendLimits {
    SpendLimits {
        per_batch: batch,
        per_day: day,
        per_month: month,
    }
}

fn rendered(m: &Message) -> (String, String) {
    let (en, zh) = (m.text("en"), m.text("zh-CN"));
    assert!(!en.contains("{{") && !zh.contains("{{"), "{en} / {zh}");
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{zh}"
    );
    (en, zh)
}

#[test]
fn no_limits_never_stop_anything() {
    for kind in [SpendKind::Job, SpendKind::Batch] {
        let d = check_spend(
            kind,
            &total(u64::from(u32::MAX) * 4),
            &spent(u64::MAX / 2, u64::MAX / 2),
            &SpendLimits::default(),
            "CNY",
            false,
        );
        assert_eq!(d, SpendDecision::Ok);
    }
}

#[test]
fn reaching_a_limit_is_within_it_passing_it_asks() {
    let l = limits(None, Some(1_000), None);
    let ok = check_spend(
        SpendKind::Job,
        &total(400),
        &spent(600, 600),
        &l,
        "CNY",
        false,
    );
    assert_eq!(ok, SpendDecision::Ok, "600 + 400 = the limit");
    let SpendDecision::Ask(q) = check_spend(
        SpendKind::Job,
        &total(401),
        &spent(600, 600),
        &l,
        "CNY",
        false,
    ) else {
        panic!("one token over asks");
    };
    assert_eq!(q.breaches.len(), 1);
    let b = &q.breaches[0];
    assert_eq!(
        (b.period, b.limit, b.spent.tokens, b.estimate.tokens),
        (SpendPeriod::Day, 1_000, 600, 401)
    );
    let (en, zh) = rendered(&b.message);
    for needle in ["1\u{a0}000", "600", "401", "¥0.00"] {
        assert!(
            en.contains(needle) && zh.contains(needle),
            "{needle}: {en} / {zh}"
        );
    }
    assert!(en.contains("today") && en.contains("this job"), "{en}");
    assert!(zh.contains("今天") || zh.contains("今日"), "{zh}");
    rendered(&q.message());
    // The user's yes lets it through.
    assert_eq!(
        check_spend(
            SpendKind::Job,
            &total(401),
            &spent(600, 600),
            &l,
            "CNY",
            true
        ),
        SpendDecision::Ok
    );
}

#[test]
fn day_and_month_are_asked_together() {
    let l = limits(None, Some(1_000), Some(5_000));
    let SpendDecision::Ask(q) = check_spend(
        SpendKind::Job,
        &total(900),
        &spent(200, 4_200),
        &l,
        "USD",
        false,
    ) else {
        panic!("both passed");
    };
    let periods: Vec<SpendPeriod> = q.breaches.iter().map(|b| b.period).collect();
    assert_eq!(periods, [SpendPeriod::Day, SpendPeriod::Month]);
    assert!(rendered(&q.breaches[1].message).0.contains("this month"));
    // Only the month: the day has room.
    let SpendDecision::Ask(q) = check_spend(
        SpendKind::Job,
        &total(900),
        &spent(0, 4_200),
        &l,
        "USD",
        false,
    ) else {
        panic!("month passed");
    };
    assert_eq!(q.breaches.len(), 1);
    assert_eq!(q.breaches[0].period, SpendPeriod::Month);
}

#[test]
fn a_batch_above_its_limit_is_refused_even_after_a_yes() {
    let l = limits(Some(10_000), Some(1_000_000), None);
    for confirmed in [false, true] {
        let SpendDecision::Refuse(m) = check_spend(
            SpendKind::Batch,
            &total(10_001),
            &spent(0, 0),
            &l,
            "CNY",
            confirmed,
        ) else {
            panic!("refused");
        };
        let (en, _) = rendered(&m);
        assert!(
            en.contains("10\u{a0}001") && en.contains("10\u{a0}000") && en.contains("Settings"),
            "{en}"
        );
    }
    assert_eq!(
        check_spend(
            SpendKind::Batch,
            &total(10_000),
            &spent(0, 0),
            &l,
            "CNY",
            false
        ),
        SpendDecision::Ok
    );
    // A single job is not a batch: the per-batch limit does not apply.
    assert_eq!(
        check_spend(
            SpendKind::Job,
            &total(50_000),
            &spent(0, 0),
            &l,
            "CNY",
            false
        ),
        SpendDecision::Ok
    );
    // Within the batch limit but past the day's: asks, naming the batch.
    let SpendDecision::Ask(q) = check_spend(
        SpendKind::Batch,
        &total(9_000),
        &spent(999_000, 0),
        &l,
        "CNY",
        false,
    ) else {
        panic!("asks");
    };
    assert!(rendered(&q.breaches[0].message).0.contains("this batch"));
}

#[test]
fn numbers_and_money_read_as_the_ui_shows_them() {
    assert_eq!(check::grouped(0), "0");
    assert_eq!(check::grouped(999), "999");
    assert_eq!(check::grouped(1_000), "1\u{a0}000");
    assert_eq!(check::grouped(108_900), "108\u{a0}900");
    assert_eq!(
        check::grouped(4_000_000_000),
        "4\u{a0}000\u{a0}000\u{a0}000"
    );
    assert_eq!(money(0.26136, "CNY"), "¥0.26");
    assert_eq!(money(1.2, "usd"), "$1.20");
    assert_eq!(money(3.0, "EUR"), "3.00 EUR");
    assert_eq!(money(f64::NAN, "CNY"), "¥0.00");
}
