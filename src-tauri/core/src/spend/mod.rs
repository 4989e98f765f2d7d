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

use serde::{Deserialize, Serialize};

pub use check::{
    check_spend, money, SpendBreach, SpendDecision, SpendKind, SpendPeriod, SpendQuestion,
    SpentSoFar,
};
pub use csv::{spend_csv, write_spend_csv, SpendExportError};
pub use periods::{local_zone, Periods};

use crate::cost::{estimate, CostRates};
use crate::request::RequestDraft;
use crate::store::{SpendGroups, SpendRow, Store, StoreError};

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
    fn merge(&mut self, other: &Self) {
        self.tokens = self.tokens.saturating_add(other.tokens);
        self.cost += other.cost;
        self.jobs = self.jobs.saturating_add(other.jobs);
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

/// The highest estimate of a stored request (a job stored without one); 0 when it cannot be read.
fn estimate_stored(request_json: Option<&str>, rates: &CostRates) -> u32 {
    request_json
        .and_then(|json| serde_json::from_str::<RequestDraft>(json).ok())
        .and_then(|draft| draft.settings.known())
        .map_or(0, |settings| estimate(&settings, None, rates).tokens_max)
}

/// The tokens a row counts and their money.
pub fn row_spend(row: &SpendRow, rates: &CostRates) -> (u32, f64) {
    let tokens = row
        .tokens_estimate
        .unwrap_or_else(|| estimate_stored(row.request_json.as_deref(), rates));
    (tokens, rates.cost_of(tokens, row.generate_audio))
}

/// Each group's spend at `rates`, by key.
fn priced(groups: &SpendGroups, rates: &CostRates) -> Vec<(i64, SpendTotal)> {
    let summed = groups.summed.iter().map(|g| {
        #[allow(clippy::cast_precision_loss)]
        let cost = g.tokens as f64 / 1_000_000.0 * rates.per_million(g.generate_audio);
        (g.key, SpendTotal::of(g.tokens, cost, g.jobs))
    });
    let one_by_one = groups.unestimated.iter().map(|u| {
        let tokens = estimate_stored(Some(&u.request_json), rates);
        let cost = rates.cost_of(tokens, u.generate_audio);
        (u.key, SpendTotal::of(u64::from(tokens), cost, 1))
    });
    summed.chain(one_by_one).collect()
}

/// The sum of the groups whose key `keep` accepts.
fn sum_where(priced: &[(i64, SpendTotal)], keep: impl Fn(i64) -> bool) -> SpendTotal {
    let mut sum = SpendTotal::default();
    for (_, total) in priced.iter().filter(|(key, _)| keep(*key)) {
        sum.merge(total);
    }
    sum
}

/// Key bits of [`Store::spend_by_period`] for today, this week and this month.
const TODAY: i64 = 1;
const WEEK: i64 = 2;
const MONTH: i64 = 4;

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
    let sent = priced(
        &store.spend_by_period(
            periods.earliest(),
            &[periods.day_start, periods.week_start, periods.month_start],
        )?,
        rates,
    );
    let per_batch = priced(&store.spend_of_newest_batches(NEWEST_BATCHES)?, rates);
    let batches = store
        .newest_batches(NEWEST_BATCHES)?
        .into_iter()
        .filter_map(|(seq, batch_id, name, created_at)| {
            let total = sum_where(&per_batch, |key| key == seq);
            (total.jobs > 0).then_some(BatchSpend {
                batch_id,
                name,
                created_at,
                total,
            })
        })
        .take(batches)
        .collect();
    Ok(SpendSummary {
        today: sum_where(&sent, |key| key & TODAY != 0),
        week: sum_where(&sent, |key| key & WEEK != 0),
        month: sum_where(&sent, |key| key & MONTH != 0),
        pending: sum_where(&priced(&store.spend_pending()?, rates), |_| true),
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
    let sent = priced(
        &store.spend_by_period(
            periods.day_start.min(periods.month_start),
            &[periods.day_start, periods.month_start],
        )?,
        rates,
    );
    let pending = sum_where(&priced(&store.spend_pending()?, rates), |_| true);
    let with_pending = |bit: i64| {
        let mut total = sum_where(&sent, |key| key & bit != 0);
        total.merge(&pending);
        total
    };
    Ok(SpentSoFar {
        day: with_pending(1),
        month: with_pending(2),
    })
}
