//! The spend limits at the doors a paid job comes in by: a single submission (a new job or one submitted
//! again), a batch start, and a batch's "Retry failed". Each asks [`crate::spend::check_spend`] with the
//! spend so far (sent, possibly sent, and stored to be sent) before anything is stored, so a refused or
//! unanswered question sends and stores nothing. Demo work is free and never asked about.
//!
//! A decision and the storing it allows happen in one [`JobRunner::spend_turn`]: two submissions at once
//! cannot both read the spend from before the other was stored and together pass a limit each alone keeps.
//! The turn is shared with every process on the same history (the app and the `seedance` command line):
//! besides this process's lock it holds an OS file lock beside the database.
//!
//! The limits and rates are read at each check from a source the app sets ([`JobRunner::set_spend_policy`]);
//! a runner without one has no limits.

use std::fs::{File, OpenOptions};
use std::sync::{Arc, MutexGuard};

use jiff::tz::TimeZone;

use super::JobRunner;
use crate::cost::CostRates;
use crate::spend::{check_spend, spent_so_far, SpendDecision, SpendKind, SpendLimits, SpendTotal};
use crate::store::StoreError;

/// What the check reads: the limits and rates in Settings and the user's time zone.
#[derive(Clone, Debug)]
pub struct SpendPolicy {
    pub limits: SpendLimits,
    pub rates: CostRates,
    pub zone: TimeZone,
}

/// Reads the current policy; called once per check.
pub type SpendPolicyFn = Arc<dyn Fn() -> SpendPolicy + Send + Sync>;

/// Whether the user already said yes to passing a day's or month's limit with this job or batch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SpendConsent {
    /// Passing a limit asks first.
    #[default]
    NotGiven,
    /// "Generate anyway": the question was asked and answered.
    Given,
}

impl SpendConsent {
    /// The consent a front end's "yes, go on" flag stands for.
    pub fn from_confirmed(confirmed: bool) -> Self {
        if confirmed {
            Self::Given
        } else {
            Self::NotGiven
        }
    }
}

impl JobRunner {
    /// Sets where the limits come from (the app: its preferences and the OS's time zone).
    pub fn set_spend_policy(&self, policy: SpendPolicyFn) {
        *self
            .inner
            .spend_policy
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(policy);
    }

    /// Held from a spend decision until the job or batch it allowed is stored. Never held across an
    /// `.await`: the decision and the write are both plain database calls. Another process's turn on the
    /// same history is waited for (it lasts a few milliseconds); when the lock file cannot be used (a
    /// read-only folder), the turn is this process's alone and a warning is logged.
    pub(super) fn spend_turn(&self) -> SpendTurn<'_> {
        let process = self
            .inner
            .spend_turn
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let shared = self
            .inner
            .store
            .lock_file_path("spend")
            .and_then(|path| match lock_file(&path) {
                Ok(file) => Some(file),
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "spend turn not shared with other processes");
                    None
                }
            });
        SpendTurn {
            _shared: shared,
            _process: process,
        }
    }

    /// The current policy; `None` when no limit is set (nothing to check).
    pub(super) fn spend_policy(&self) -> Option<SpendPolicy> {
        let source = self
            .inner
            .spend_policy
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()?;
        Some(source())
    }

    /// Decides whether `estimate_tokens` more (with or without audio) may be sent now.
    pub(super) fn check_spend_limits(
        &self,
        kind: SpendKind,
        estimate: impl FnOnce(&CostRates) -> SpendTotal,
        consent: SpendConsent,
    ) -> Result<SpendDecision, StoreError> {
        let Some(policy) = self.spend_policy() else {
            return Ok(SpendDecision::Ok);
        };
        if policy.limits == SpendLimits::default() {
            return Ok(SpendDecision::Ok);
        }
        let estimate = estimate(&policy.rates);
        let spent = spent_so_far(
            &self.inner.store,
            self.inner.store.now_ms(),
            &policy.zone,
            &policy.rates,
        )?;
        Ok(check_spend(
            kind,
            &estimate,
            &spent,
            &policy.limits,
            &policy.rates.currency,
            consent == SpendConsent::Given,
        ))
    }
}

/// One spend turn: this process's lock and, when it could be taken, the lock file every process on the
/// history shares. Dropping it ends the turn (closing the file releases its lock).
pub(super) struct SpendTurn<'a> {
    _shared: Option<File>,
    _process: MutexGuard<'a, ()>,
}

/// Opens (creating) `path` and waits for its exclusive lock.
fn lock_file(path: &std::path::Path) -> std::io::Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    file.lock()?;
    Ok(file)
}
