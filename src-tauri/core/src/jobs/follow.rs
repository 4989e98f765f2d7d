//! Another process's work, seen here: the app and the `seedance` CLI share one history, and the app's Jobs
//! screen shows jobs the CLI makes and moves as they happen. Once a second (see [`LeaseTiming::watch_every`])
//! the runner asks SQLite whether another connection committed (`PRAGMA data_version`, no table read); only
//! then does it read what changed since its last look (by `updated_at`, indexed) and raise the same events
//! its own runs raise. It also adopts what a process that is gone left unfinished: a job whose lease lapsed
//! (a CLI killed after sending a create leaves a task to poll and download) is picked up exactly as a
//! restart picks it up, and a running batch whose feeder is gone is fed here.

use std::collections::HashMap;
use std::sync::Weak;

use super::actions::FRESH_JOB_GRACE;
use super::{JobRunner, ResumeSummary};
use crate::i18n::UserFacing;
use crate::store::{BatchState, StoreError};

/// Writes are read again from this long before the last look: the other process's clock and commit order
/// may put a row's `updated_at` a little before the moment it became visible here.
const LOOK_BACK_MS: i64 = 5_000;

/// What the follower knows between looks.
#[derive(Default)]
pub(super) struct Seen {
    data_version: Option<i64>,
    /// When the last look started (store time).
    last_look: i64,
    /// Job and batch rows announced, with the `updated_at` announced (pruned to the look-back window).
    jobs: HashMap<String, i64>,
    batches: HashMap<String, i64>,
    /// The last deletion announced (see [`crate::store::Store::jobs_deleted_after`]).
    deletions: i64,
}

impl JobRunner {
    /// Starts following the shared history in the background, for as long as the runner lives: another
    /// process's changes are announced through [`super::JobEvents`], and what a process that is gone left
    /// unfinished is adopted. The app calls this once after its start-up resume; a tool that only drives
    /// its own jobs need not.
    pub fn follow_shared_history(&self) {
        let inner = std::sync::Arc::downgrade(&self.inner);
        let mut seen = self.start_seeing();
        tokio::spawn(async move {
            loop {
                let every = match Weak::upgrade(&inner) {
                    Some(inner) => JobRunner { inner }.lease_timing().watch_every,
                    None => return,
                };
                tokio::time::sleep(every).await;
                let Some(inner) = Weak::upgrade(&inner) else {
                    return;
                };
                JobRunner { inner }.look(&mut seen).await;
            }
        });
    }

    /// Where following starts: what is there now is known, only what changes from here on is announced.
    pub(super) fn start_seeing(&self) -> Seen {
        let store = &self.inner.store;
        Seen {
            data_version: store.data_version().ok(),
            last_look: store.now_ms(),
            deletions: store.last_job_deletion().unwrap_or(0),
            ..Seen::default()
        }
    }

    /// One look: changes first, then adoption.
    pub(super) async fn look(&self, seen: &mut Seen) {
        if let Err(e) = self.announce_foreign_changes(seen) {
            tracing::warn!(kind = e.kind(), error = %e, "other processes' changes not read");
        }
        if let Err(e) = self.adopt_abandoned().await {
            tracing::warn!(kind = e.kind(), error = %e, "abandoned jobs not adopted");
        }
    }

    /// Announces every job and batch another process wrote since the last look, and the jobs it deleted.
    fn announce_foreign_changes(&self, seen: &mut Seen) -> Result<(), StoreError> {
        let store = &self.inner.store;
        let version = store.data_version()?;
        let now = store.now_ms();
        if seen.data_version == Some(version) {
            return Ok(());
        }
        seen.data_version = Some(version);
        let since = seen.last_look.saturating_sub(LOOK_BACK_MS);
        seen.last_look = now;
        for (id, updated_at) in store.jobs_changed_since(since)? {
            if seen.jobs.insert(id.clone(), updated_at) == Some(updated_at) {
                continue;
            }
            // This process's own runs announce their jobs themselves.
            if !self.is_active(&id) {
                self.announce(&id);
            }
        }
        for (id, updated_at) in store.batches_changed_since(since)? {
            if seen.batches.insert(id.clone(), updated_at) == Some(updated_at) {
                continue;
            }
            let _ = self.announce_batch(&id);
        }
        let horizon = now.saturating_sub(2 * LOOK_BACK_MS);
        seen.jobs.retain(|_, at| *at >= horizon);
        seen.batches.retain(|_, at| *at >= horizon);
        let (deleted, last) = store.jobs_deleted_after(seen.deletions)?;
        seen.deletions = last;
        for gone in deleted {
            self.inner.events.job_removed(&gone);
        }
        Ok(())
    }

    /// Picks up the unfinished jobs whose holder is gone (its lease lapsed, or its process died on this
    /// machine), and the running batches nobody feeds. A job with no lease at all is adopted only once
    /// nothing wrote it for the lease bound: it was left by a run that stopped (e.g. for want of a token),
    /// not one about to start.
    pub(super) async fn adopt_abandoned(&self) -> Result<ResumeSummary, StoreError> {
        let store = &self.inner.store;
        let mut summary = ResumeSummary::default();
        let stale_before = self.stale_before();
        let policy = self
            .inner
            .resume_policy
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let hold_after = policy.hold_unsent_after.max(FRESH_JOB_GRACE);
        let hold_before = store
            .now_ms()
            .saturating_sub(i64::try_from(hold_after.as_millis()).unwrap_or(i64::MAX));
        for (id, lease) in store.unfinished_not_held_by(self.lease_owner())? {
            if self.is_active(&id) {
                continue;
            }
            let abandoned = match &lease {
                Some(lease) => self.abandoned(lease),
                None => store
                    .get_job(&id)
                    .is_ok_and(|job| job.updated_at < stale_before),
            };
            if abandoned {
                tracing::info!(job = id, "adopting a job whose process is gone");
                self.resume_one(&id, hold_before, &mut summary).await;
            }
        }
        for id in store.batches_in_state(BatchState::Running)? {
            // Read first: trying to take a batch another process feeds would be a write every look.
            let feeder = crate::store::batch_subject(&id);
            if self.is_active(&feeder) || self.held_elsewhere(&feeder) {
                continue;
            }
            if self.feed(&id) {
                tracing::info!(batch = id, "feeding a batch whose feeder is gone");
            }
        }
        Ok(summary)
    }
}
