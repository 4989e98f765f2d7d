//! Spend at a glance and spend limits: tokens and estimated money for today, this week (from Monday),
//! this month and per batch, from the job history, and the check that asks before a job or batch passes
//! a limit set in Settings.
//!
//! What counts is read by the store (`store::SpendRow`): jobs whose paid create request was sent or may
//! have been (uncertain ones included), demo jobs never. The service reports no usage, so a job counts
//! its stored estimate at its highest (`tokens_max`: the longest clip an Auto duration may make); a job
//! stored without one is estimated again from its request. Money is always at the current rates in
//! Settings (with or without audio, per job), so changing a rate changes past figures too: it is an
//! estimate, not a bill. Periods are the user's local calendar ([`Periods`]).
//!
//! For a limit, the spend so far also includes jobs stored to be sent but not sent yet (a batch's waiting
//! items): starting a second batch right after a first must see the first.

mod check;
mod csv;
mod periods;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use check::{
    check_spend, money, SpendBreach, SpendDecision, SpendKind, SpendPeriod, SpendQuestion,
    SpentSoFar,
};
pub use csv::spend_csv;
pub use periods::{local_zone, Periods};

use crate::cost::{estimate, CostRates};
use crate::request::RequestDraft;
use crate::store::{SpendRow, Store, StoreError};

/// Allowed range of each limit in tokens (Settings shows the money next to it).
pub const SPEND_LIMIT_RANGE: std::ops::RangeInclusive<u32> = 1..=4_000_000_000;

/// How many of the newest batches the spend panel looks at.
pub const NEWEST_BATCHES: u32 = 50;

/// Optional limits in tokens; `None` is no limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct SpendLimits {
    /// A batch whose total is above this is refused.
    pub per_batch: Option<u32>,
    /// Passing this today asks first.
    pub per_day: Option<u32>,
    /// Passing this this month asks first.
    pub per_month: Option<u32>,
}

/// Tokens and their money at the current rates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, specta::Type)]
pub struct SpendTotal {
    #[specta(type = f64)]
    pub tokens: u64,
    pub cost: f64,
    pub jobs: u32,
}

impl SpendTotal {
    fn add(&mut self, tokens: u32, cost: f64) {
        self.tokens = self.tokens.saturating_add(u64::from(tokens));
        self.cost += cost;
        self.jobs = self.jobs.saturating_add(1);
    }

    /// An estimate of `jobs` jobs at its highest.
    pub fn of(tokens: u64, cost: f64, jobs: u32) -> Self {
        Self { tokens, cost, jobs }
    }
}

/// One batch's spend.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct BatchSpend {
    pub batch_id: String,
    pub name: String,
    #[specta(type = f64)]
    pub created_at: i64,
    pub total: SpendTotal,
}

/// What the Jobs screen's spend panel shows.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct SpendSummary {
    pub today: SpendTotal,
    pub week: SpendTotal,
    pub month: SpendTotal,
    /// Stored to be sent, not sent yet (counted against limits, not in the periods above).
    pub pending: SpendTotal,
    /// Batches with spend, newest first.
    pub batches: Vec<BatchSpend>,
    pub currency: String,
    pub periods: Periods,
    pub limits: SpendLimits,
}

/// The tokens a row counts and their money.
pub fn row_spend(row: &SpendRow, rates: &CostRates) -> (u32, f64) {
    let tokens = row.tokens_estimate.unwrap_or_else(|| {
        row.request_json
            .as_deref()
            .and_then(|json| serde_json::from_str::<RequestDraft>(json).ok())
            .and_then(|draft| draft.settings.known())
            .map_or(0, |settings| estimate(&settings, None, rates).tokens_max)
    });
    (tokens, rates.cost_of(tokens, row.generate_audio))
}

fn total<'a>(rows: impl IntoIterator<Item = &'a SpendRow>, rates: &CostRates) -> SpendTotal {
    let mut sum = SpendTotal::default();
    for row in rows {
        let (tokens, cost) = row_spend(row, rates);
        sum.add(tokens, cost);
    }
    sum
}

/// The figures for the spend panel at `now_ms`; `batches` caps the per-batch list.
pub fn summarize(
    store: &Store,
    now_ms: i64,
    zone: &jiff::tz::TimeZone,
    rates: &CostRates,
    limits: SpendLimits,
    batches: usize,
) -> Result<SpendSummary, StoreError> {
    let periods = Periods::at(now_ms, zone);
    let sent = store.spend_sent_since(periods.earliest())?;
    let since = |start: i64| sent.iter().filter(move |r| r.at >= start);
    let mut per_batch: HashMap<String, SpendTotal> = HashMap::new();
    for row in store.spend_of_newest_batches(NEWEST_BATCHES)? {
        if let Some(id) = &row.batch_id {
            let (tokens, cost) = row_spend(&row, rates);
            per_batch.entry(id.clone()).or_default().add(tokens, cost);
        }
    }
    let batches = store
        .batch_names_newest(NEWEST_BATCHES)?
        .into_iter()
        .filter_map(|(batch_id, name, created_at)| {
            let total = per_batch.remove(&batch_id)?;
            Some(BatchSpend {
                batch_id,
                name,
                created_at,
                total,
            })
        })
        .take(batches)
        .collect();
    Ok(SpendSummary {
        today: total(since(periods.day_start), rates),
        week: total(since(periods.week_start), rates),
        month: total(since(periods.month_start), rates),
        pending: total(&store.spend_pending()?, rates),
        batches,
        currency: rates.currency.clone(),
        periods,
        limits,
    })
}

/// Spend so far for the limits: sent today / this month, plus everything stored but not sent yet.
pub fn spent_so_far(
    store: &Store,
    now_ms: i64,
    zone: &jiff::tz::TimeZone,
    rates: &CostRates,
) -> Result<SpentSoFar, StoreError> {
    let periods = Periods::at(now_ms, zone);
    let sent = store.spend_sent_since(periods.day_start.min(periods.month_start))?;
    let pending = store.spend_pending()?;
    let with_pending = |start: i64| {
        total(
            sent.iter().filter(|r| r.at >= start).chain(pending.iter()),
            rates,
        )
    };
    Ok(SpentSoFar {
        day: with_pending(periods.day_start),
        month: with_pending(periods.month_start),
    })
}
