//! A running batch's feeder: sends the batch's waiting jobs in item order as turns free up under the
//! runner's limit, through the store's guarded step that a committed pause or cancel refuses. It sends
//! nothing while no connection for the batch's mode is available (the token was removed, the mode
//! switched): it waits, saying so on the batch, and goes on when the service changes. A job whose
//! frame is being uploaded for another job of the batch (the same file, or a copy of it under another
//! name: frames are told apart by content) waits for that upload, then finds it in the upload cache, so
//! identical frames upload once.

use std::collections::{HashMap, HashSet};
use std::path::Path;
#[cfg(test)]
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::chain::{Chain, CHAIN_BROKEN};
use super::run::{ActiveSlot, Plan};
use super::submit::is_web_address;
use super::{clamp_limit, ConnectionError, JobRunner, SERVICE_RECHECK};
use crate::api::sha256_file;
use crate::i18n::{Message, UserFacing};
use crate::store::{BatchRecord, BatchState, JobRecord, StoreError};

/// A feeder looks again this often even when nothing woke it (a change made by another process).
pub const BATCH_RECHECK: Duration = Duration::from_secs(1);

/// What one look of a feeder found.
enum Fed {
    /// The batch is not running, or just finished: the feeder ends.
    Done,
    /// Jobs go on; look again when one changes.
    More,
    /// Jobs are waiting to be sent but no connection for the batch's mode is available.
    NoService,
}

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

/// What a feeder's entry among the runner's active ones starts with (then the batch's id): it is not a
/// job's run.
pub(super) const FEEDER_PREFIX: &str = "batch:";

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

/// What a frame file is known by while it is being uploaded: its content, as the upload cache knows it, so
/// two copies of one photo under different names count as one upload. Each file is read once per feeder
/// (again only when its size or modification time changed); a file that cannot be read is known by its
/// path (its run will say what is wrong with it).
#[derive(Default)]
struct FrameKeys(HashMap<String, (u64, Option<SystemTime>, String)>);

impl FrameKeys {
    async fn key(&mut self, path: &str) -> String {
        let stamp = tokio::fs::metadata(path)
            .await
            .ok()
            .map(|meta| (meta.len(), meta.modified().ok()));
        if let (Some(stamp), Some((len, modified, sha))) = (stamp, self.0.get(path)) {
            if stamp == (*len, *modified) {
                return sha.clone();
            }
        }
        match (stamp, sha256_file(Path::new(path)).await) {
            (Some((len, modified)), Ok(sha)) => {
                self.0.insert(path.to_owned(), (len, modified, sha.clone()));
                sha
            }
            _ => format!("path:{path}"),
        }
    }

    async fn of(&mut self, job: &JobRecord) -> Vec<String> {
        let mut keys = Vec::new();
        for frame in local_frames(job) {
            keys.push(self.key(frame).await);
        }
        keys
    }
}

impl JobRunner {
    /// Starts the batch's feeder unless one is going; returns whether it started. It counts as active
    /// (see [`JobRunner::wait_idle`]) until the batch is no longer running or has nothing left.
    pub(super) fn feed(&self, id: &str) -> bool {
        let key = format!("{FEEDER_PREFIX}{id}");
        if !self.claim(&key) {
            return false;
        }
        let slot = ActiveSlot {
            runner: self.clone(),
            id: key.clone(),
        };
        // One feeder per batch across every process sharing the history: two would each count the free
        // turns and together send more jobs at once than the limit allows.
        if !self.take_lease(&key) {
            tracing::debug!(batch = id, "fed by another process");
            return false;
        }
        let runner = self.clone();
        let id = id.to_owned();
        let feeder = tokio::spawn(async move {
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
        // A feeder whose batch lease was taken over stops; its place and lease go with its task.
        self.lease_driven_by(&key, feeder.abort_handle());
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
        let mut demo = None;
        let mut frames = FrameKeys::default();
        loop {
            let wake = self.inner.batch_wake.notified();
            tokio::pin!(wake);
            wake.as_mut().enable();
            let service = self.inner.service_changed.notified();
            tokio::pin!(service);
            service.as_mut().enable();
            let fed = match demo {
                Some(demo) => self.feed_once(id, demo, &mut frames).await,
                None => match self.inner.store.batch_demo(id) {
                    Ok(Some(mode)) => {
                        demo = Some(mode);
                        self.feed_once(id, mode, &mut frames).await
                    }
                    Ok(None) => Ok(Fed::Done),
                    Err(e) => Err(e),
                },
            };
            let recheck = match fed {
                Ok(Fed::Done) => {
                    self.set_batch_waiting(id, None);
                    return;
                }
                Ok(Fed::More) => BATCH_RECHECK,
                Ok(Fed::NoService) => SERVICE_RECHECK,
                Err(e) => {
                    tracing::warn!(batch = id, kind = e.kind(), error = %e, "batch not fed; trying again");
                    BATCH_RECHECK
                }
            };
            tokio::select! {
                () = &mut wake => {}
                () = &mut service => {}
                () = self.inner.timing.sleeper.sleep(recheck) => {}
            }
        }
    }

    /// Sends as many of the batch's waiting jobs as there are free turns, when the service for the batch's
    /// mode (`demo`) can be reached; otherwise nothing is released (a run would only fail its job for want
    /// of a token) and the batch says what it waits for.
    async fn feed_once(
        &self,
        id: &str,
        demo: bool,
        frames: &mut FrameKeys,
    ) -> Result<Fed, StoreError> {
        let store = &self.inner.store;
        if store.batch_state(id)? != Some(BatchState::Running) {
            return Ok(Fed::Done);
        }
        let preparing = store.preparing_batch_jobs(id)?;
        // Taken for sending here but with no run: its run stopped just as the batch was resumed (a
        // held-back run still ending when Resume took the job again). Only a job this process took:
        // another process's job is that process's to run (see `batch_taken`).
        let orphans: Vec<&JobRecord> = preparing
            .iter()
            .filter(|job| self.took_for_batch(&job.id) && !self.is_active(&job.id))
            .collect();
        let limit = clamp_limit(self.prefs().max_concurrent_jobs) as usize;
        // A turn is free only when fewer runs than the limit exist (single jobs and every batch's count,
        // sent or not) and fewer of this batch's jobs than the limit wait for their create (another
        // process's included). Counting only the unsent ones took jobs ahead of their turn: they waited
        // for a permit while showing as uploading, so a card with 3 at a time said "Running 6".
        let mut free = limit.saturating_sub(preparing.len().max(self.job_runs()));
        let queued = if free > 0 {
            store.queued_batch_jobs(id, LOOK_AHEAD)?
        } else {
            Vec::new()
        };
        if (!orphans.is_empty() || !queued.is_empty()) && !self.service_ready(id, demo).await {
            return Ok(Fed::NoService);
        }
        for job in orphans {
            if self.spawn(&job.id, Plan::Fresh) {
                tracing::info!(batch = id, job = %job.id, "batch job had no run; started again");
            }
        }
        let mut uploading: HashSet<String> = HashSet::new();
        if !queued.is_empty() {
            for job in &preparing {
                uploading.extend(frames.of(job).await);
            }
        }
        for job in queued {
            if free == 0 {
                break;
            }
            let keys = frames.of(&job).await;
            if keys.iter().any(|k| uploading.contains(k)) {
                continue;
            }
            match self.chain_ready(&job).await? {
                Chain::Ready => {}
                Chain::Waiting => continue,
                Chain::Broken(message) => {
                    tracing::info!(batch = id, job = %job.id, "chained job can never be sent; failed unsent");
                    match store.set_failed(&job.id, CHAIN_BROKEN, &message) {
                        Ok(()) | Err(StoreError::IllegalTransition { .. }) => {
                            self.announce(&job.id)
                        }
                        Err(e) => return Err(e),
                    }
                    continue;
                }
            }
            // The job's lease first: from the moment it is released, it is never unfinished and unheld.
            if !self.take_lease(&job.id) {
                continue;
            }
            match store.release_batch_job(&job.id) {
                Ok(()) => self.note_taken_for_batch(&job.id),
                // Sent or discarded meanwhile (by the user, or another process feeding this batch), or
                // the batch was paused or cancelled since it was read: the next look sees that.
                Err(StoreError::IllegalTransition { .. }) => {
                    self.drop_lease(&job.id);
                    continue;
                }
                Err(e) => {
                    self.drop_lease(&job.id);
                    return Err(e);
                }
            }
            self.announce(&job.id);
            self.spawn(&job.id, Plan::Fresh);
            uploading.extend(keys);
            free -= 1;
        }
        if store.finish_batch_if_done(id)? {
            tracing::info!(batch = id, "batch finished");
            self.set_batch_waiting(id, None);
            let _ = self.announce_batch(id);
            return Ok(Fed::Done);
        }
        Ok(Fed::More)
    }

    /// Whether a connection for the batch's mode is available now; when not, the batch's record says what
    /// it waits for (a token, live mode, demo mode, the service), until it is.
    async fn service_ready(&self, id: &str, demo: bool) -> bool {
        match self.inner.connections.for_job(demo).await {
            Ok(_) => {
                self.set_batch_waiting(id, None);
                true
            }
            Err(e) => {
                let waiting = match &e {
                    ConnectionError::NoToken => Message::new("msg.batch_run.waiting_token"),
                    ConnectionError::LiveNotInUse => {
                        Message::new("msg.batch_run.waiting_live_mode")
                    }
                    ConnectionError::DemoEnded => Message::new("msg.batch_run.waiting_demo_mode"),
                    ConnectionError::Unavailable { message, .. } => {
                        Message::new("msg.batch_run.waiting_service").arg("reason", message.clone())
                    }
                };
                if self.set_batch_waiting(id, Some(waiting)) {
                    tracing::info!(batch = id, kind = e.kind(), "batch waits for its service");
                }
                false
            }
        }
    }

    /// Sets (or clears) what the batch waits for and announces the batch when that changed; returns
    /// whether it did.
    fn set_batch_waiting(&self, id: &str, waiting: Option<Message>) -> bool {
        let changed = {
            let mut all = self
                .inner
                .batch_waiting
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            match waiting {
                Some(w) => all.insert(id.to_owned(), w.clone()) != Some(w),
                None => all.remove(id).is_some(),
            }
        };
        if changed {
            let _ = self.announce_batch(id);
        }
        changed
    }

    /// The record with what it waits for, if anything (kept by the runner, not the database).
    pub(super) fn with_waiting(&self, mut record: BatchRecord) -> BatchRecord {
        record.waiting = self
            .inner
            .batch_waiting
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&record.id)
            .cloned();
        record
    }

    /// Job runs in this process, running or waiting for a permit (the feeders' own entries left out).
    fn job_runs(&self) -> usize {
        self.active()
            .iter()
            .filter(|id| !id.starts_with(FEEDER_PREFIX))
            .count()
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
