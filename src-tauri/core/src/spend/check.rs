//! The one rule for spend limits, as a pure function: what a new job or batch would add to the spend
//! so far, against the limits in Settings. A batch above the per-batch limit is refused outright (the
//! limit says such a batch is never wanted); passing the day's or the month's limit asks first, because
//! the user may well want to go on today. Equal to a limit is within it.

use serde::Serialize;

use super::{SpendLimits, SpendTotal};
use crate::i18n::Message;

/// What is being sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpendKind {
    Job,
    Batch,
    /// A batch's failed jobs submitted again ("Retry failed"): not a new batch, so no per-batch limit.
    Retry,
}

/// The period a limit is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SpendPeriod {
    Day,
    Month,
}

impl SpendPeriod {
    fn label(self) -> Message {
        Message::new(match self {
            Self::Day => "msg.spend.period.day",
            Self::Month => "msg.spend.period.month",
        })
    }
}

/// Spend so far (sent, possibly sent, and stored to be sent) in the periods that have limits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpentSoFar {
    pub day: SpendTotal,
    pub month: SpendTotal,
}

/// One limit the new spend would pass.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct SpendBreach {
    pub period: SpendPeriod,
    #[specta(type = f64)]
    pub limit: u64,
    pub spent: SpendTotal,
    pub estimate: SpendTotal,
    /// States the limit, the spend so far and this estimate.
    pub message: Message,
}

/// The question "Generate anyway?": every limit that would be passed (the day's first).
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct SpendQuestion {
    pub breaches: Vec<SpendBreach>,
}

impl SpendQuestion {
    /// Every breach's sentence, one per line.
    pub fn message(&self) -> Message {
        Message::new("msg.spend.ask").arg(
            "reasons",
            self.breaches
                .iter()
                .map(|b| b.message.clone())
                .collect::<Vec<_>>(),
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum SpendDecision {
    /// Within every limit (or the user already said yes to passing one).
    Ok,
    /// Passes the day's or month's limit: send only after the user confirms.
    Ask(SpendQuestion),
    /// A batch above the per-batch limit: nothing may be sent.
    Refuse(Message),
}

/// Decides whether `estimate` (the job's or the batch's total, at its highest) may be sent on top of
/// `spent`. `confirmed` is the user's yes to the spend question: it answers a day or month limit, never
/// the per-batch limit.
pub fn check_spend(
    kind: SpendKind,
    estimate: &SpendTotal,
    spent: &SpentSoFar,
    limits: &SpendLimits,
    currency: &str,
    confirmed: bool,
) -> SpendDecision {
    if kind == SpendKind::Batch {
        if let Some(limit) = limits.per_batch {
            if estimate.tokens > u64::from(limit) {
                return SpendDecision::Refuse(
                    Message::new("msg.spend.batch_over_limit")
                        .arg("tokens", grouped(estimate.tokens))
                        .arg("cost", money(estimate.cost, currency))
                        .arg("limit", grouped(u64::from(limit))),
                );
            }
        }
    }
    if confirmed {
        return SpendDecision::Ok;
    }
    let what = Message::new(match kind {
        SpendKind::Job => "msg.spend.this_job",
        SpendKind::Batch => "msg.spend.this_batch",
        SpendKind::Retry => "msg.spend.these_retries",
    });
    let breaches: Vec<SpendBreach> = [
        (SpendPeriod::Day, limits.per_day, &spent.day),
        (SpendPeriod::Month, limits.per_month, &spent.month),
    ]
    .into_iter()
    .filter_map(|(period, limit, so_far)| {
        let limit = u64::from(limit?);
        (so_far.tokens.saturating_add(estimate.tokens) > limit).then(|| SpendBreach {
            period,
            limit,
            spent: so_far.clone(),
            estimate: estimate.clone(),
            message: Message::new("msg.spend.would_pass")
                .arg("period", period.label())
                .arg("limit", grouped(limit))
                .arg("spent", grouped(so_far.tokens))
                .arg("spent_cost", money(so_far.cost, currency))
                .arg("what", what.clone())
                .arg("estimate", grouped(estimate.tokens))
                .arg("cost", money(estimate.cost, currency)),
        })
    })
    .collect();
    if breaches.is_empty() {
        SpendDecision::Ok
    } else {
        SpendDecision::Ask(SpendQuestion { breaches })
    }
}

/// Money as the estimate line shows it: two decimals, after the currency's sign where it has a common one
/// ("¥0.26", "$1.20"), else before its code ("0.26 EUR").
pub fn money(amount: f64, currency: &str) -> String {
    let amount = if amount.is_finite() { amount } else { 0.0 };
    match currency.to_ascii_uppercase().as_str() {
        "CNY" | "RMB" => format!("¥{amount:.2}"),
        "USD" => format!("${amount:.2}"),
        _ => format!("{amount:.2} {currency}"),
    }
}

/// Whole tokens grouped by thousands with a no-break space ("108 900"), as the UI shows them in both
/// languages.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}
