//! A running batch's feeder: sends the batch's waiting jobs in item order as turns free up under the
//! runner's limit, through the store's guarded step that a committed pause or cancel refuses. A job whose
//! frame file is being uploaded for another job of the batch waits for that upload, then finds it in the
//! upload cache, so identical frames upload once.

use std::collections::HashSet;
#[cfg(test)]
use std::sync::Arc;
use std::time::Duration;

use super::run::{ActiveSlot, Plan};
use super::submit::is_web_address;
use super::{clamp_limit, JobRunner};
use crate::i18n::UserFacing;
use crate::store::{BatchState, JobRecord, StoreError};

/// A feeder looks again this often even when nothing woke it (a change made by another process).
pub const BATCH_RECHECK: Duration = Duration::from_secs(1);

/// Test seam: where exiting feeders wait (see [`JobRunner::hold_feeders_at_exit`]).
#[cfg(test)]
pub(super) struct ExitGate {
    /// Feeders that reached the gate.
    pub(super) arrived: std::sync::atomic::AtomicU32,
    /// Each feeder waits for a permit and gives it back as it passes.
    pub(super) open: tokio::sync::Semaphore,
}

#[cfg(test)]
impl Default for ExitGate {
    fn default() -> Self {
        Self {
            arrived: std::sync::atomic::AtomicU32::new(0),
            open: tokio::sync::Semaphore::new(0),
        }
    }
}

/// Queued jobs a feeder reads per look: enough to find ones whose frames are not being uploaded.
const LOOK_AHEAD: u32 = 64;

/// Local frame files of a job's request.
fn local_frames(job: &JobRecord) -> impl Iterator<Item = &str> {
    [&job.request.first_frame, &job.request.last_frame]
        .into_iter()
        .flatten()
        .map(|f| f.trim())
        .filter(|f| !f.is_empty() && !is_web_address(f))
}

impl JobRunner {
    /// Starts the batch's feeder unless one is going; returns whether it started. It counts as active
    /// (see [`JobRunner::wait_idle`]) until the batch is no longer running or has nothing left.
    pub(super) fn feed(&self, id: &str) -> bool {
        let key = format!("batch:{id}");
        if !self.claim(&key) {
            return false;
        }
        let slot = ActiveSlot {
            runner: self.clone(),
            id: key,
        };
        let runner = self.clone();
        let id = id.to_owned();
        tokio::spawn(async move {
            // Resumed while this feeder was ending: it goes on instead.
            loop {
                runner.feed_until_done(&id).await;
                if !runner.batch_running(&id) {
                    break;
                }
            }
            #[cfg(test)]
            runner.feeder_exit_gate().await;
            drop(slot);
            // A Resume that came between the look above and letting go found this feeder's place taken and
            // started none: the batch would run with nobody sending its jobs.
            if runner.batch_running(&id) && runner.feed(&id) {
                tracing::info!(batch = id, "batch resumed as its feeder ended; fed again");
            }
        });
        true
    }

    fn batch_running(&self, id: &str) -> bool {
        matches!(
            self.inner.store.batch_state(id),
            Ok(Some(BatchState::Running))
        )
    }

    #[cfg(test)]
    async fn feeder_exit_gate(&self) {
        let gate = self
            .inner
            .feeder_exit_gate
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some(gate) = gate {
            gate.arrived
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let _ = gate.open.acquire().await;
        }
    }

    /// Test seam: from now on an exiting feeder waits at `gate` before it lets go of its place.
    #[cfg(test)]
    pub(super) fn hold_feeders_at_exit(&self, gate: Arc<ExitGate>) {
        *self
            .inner
            .feeder_exit_gate
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(gate);
    }

    async fn feed_until_done(&self, id: &str) {
        loop {
            let wake = self.inner.batch_wake.notified();
            tokio::pin!(wake);
            wake.as_mut().enable();
            match self.feed_once(id) {
                Ok(true) => return,
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(batch = id, kind = e.kind(), error = %e, "batch not fed; trying again")
                }
            }
            tokio::select! {
                () = &mut wake => {}
                () = self.inner.timing.sleeper.sleep(BATCH_RECHECK) => {}
            }
        }
    }

    /// Sends as many of the batch's waiting jobs as there are free turns; true when the feeder is done
    /// (the batch is not running, or it just finished).
    fn feed_once(&self, id: &str) -> Result<bool, StoreError> {
        let store = &self.inner.store;
        if store.batch_state(id)? != Some(BatchState::Running) {
            return Ok(true);
        }
        let preparing = store.preparing_batch_jobs(id)?;
        for job in &preparing {
            // Taken for sending here but with no run: its run stopped just as the batch was resumed (a
            // held-back run still ending when Resume took the job again). Only a job this process took:
            // another process's job is that process's to run (see `batch_taken`).
            if self.took_for_batch(&job.id)
                && !self.is_active(&job.id)
                && self.spawn(&job.id, Plan::Fresh)
            {
                tracing::info!(batch = id, job = %job.id, "batch job had no run; started again");
            }
        }
        let limit = clamp_limit(self.prefs().max_concurrent_jobs) as usize;
        let mut free = limit.saturating_sub(preparing.len());
        if free > 0 {
            let mut uploading: HashSet<String> = preparing
                .iter()
                .flat_map(|j| local_frames(j).map(str::to_owned))
                .collect();
            for job in store.queued_batch_jobs(id, LOOK_AHEAD)? {
                if free == 0 {
                    break;
                }
                let frames: Vec<String> = local_frames(&job).map(str::to_owned).collect();
                if frames.iter().any(|f| uploading.contains(f)) {
                    continue;
                }
                match store.release_batch_job(&job.id) {
                    Ok(()) => self.note_taken_for_batch(&job.id),
                    // Sent or discarded meanwhile (by the user, or another process feeding this batch), or
                    // the batch was paused or cancelled since it was read: the next look sees that.
                    Err(StoreError::IllegalTransition { .. }) => continue,
                    Err(e) => return Err(e),
                }
                self.announce(&job.id);
                self.spawn(&job.id, Plan::Fresh);
                uploading.extend(frames);
                free -= 1;
            }
        }
        if store.finish_batch_if_done(id)? {
            tracing::info!(batch = id, "batch finished");
            if let Ok(Some(record)) = store.get_batch(id) {
                self.inner.events.batch_changed(&record);
            }
            return Ok(true);
        }
        Ok(false)
    }

    fn batch_taken(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, u64>> {
        self.inner
            .batch_taken
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn note_taken_for_batch(&self, id: &str) {
        *self.batch_taken().entry(id.to_owned()).or_default() += 1;
    }

    fn took_for_batch(&self, id: &str) -> bool {
        self.batch_taken().contains_key(id)
    }

    /// How many times this process took the job for sending (`None`: never; not a batch job, or another
    /// process's).
    pub(super) fn batch_take(&self, id: &str) -> Option<u64> {
        self.batch_taken().get(id).copied()
    }
}
