//! Running a batch through the job queue: no new path to the service. Starting a batch checks every job
//! the way a single submission is checked, then stores the batch and all its jobs in one transaction,
//! each waiting as not sent. A feeder per running batch then moves them on in item order, as turns free
//! up under the runner's concurrency limit, with the same guarded step a user's "Send" takes; from there
//! each job is an ordinary run (persist before create, never re-send, resume on start).
//!
//! Pause is a state of the batch row plus, in the same transaction, holding back its jobs that a run has
//! taken but whose create request is not sent; their runs see that and stop without failing them. Jobs
//! already sent go on and download. Cancel fails the never-sent ones instead. Both survive a restart:
//! on start, a batch's job caught before its create goes back to its batch's queue, and only running
//! batches are fed.
//!
//! Identical frames upload once: a job whose frame file is being uploaded for another job of the batch
//! waits for that upload, then finds it in the upload cache.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::run::{ActiveSlot, Plan};
use super::submit::{check_frame, fingerprint, is_web_address};
use super::{clamp_limit, Intent, JobError, JobRunner, DUPLICATE_WINDOW};
use crate::batch::BatchPlan;
use crate::i18n::{Message, UserFacing};
use crate::images::FrameInfo;
use crate::pipeline::PipelineError;
use crate::request::FrameSlot;
use crate::store::{
    BatchInserted, BatchRecord, BatchRefusal, BatchState, JobRecord, NewBatch, NewBatchJob, NewJob,
    StoreError, Thumbnail,
};

/// A feeder looks again this often even when nothing woke it (a change made by another process).
pub const BATCH_RECHECK: Duration = Duration::from_secs(1);

/// Queued jobs a feeder reads per look: enough to find ones whose frames are not being uploaded.
const LOOK_AHEAD: u32 = 64;

/// What the user confirmed: the plan and how the batch is named and described.
#[derive(Clone, Copy, Debug)]
pub struct BatchStart<'a> {
    pub name: &'a str,
    /// Where the items came from, as the review showed it.
    pub source: &'a str,
    pub plan: &'a BatchPlan,
    /// [`Intent::Repeat`] when the user confirmed starting the same batch again moments after the first.
    pub intent: Intent,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchAction {
    Pause,
    Resume,
    Cancel,
}

/// What cancelling did, and the sentence that says it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct CancelOutcome {
    /// Jobs never sent, now failed as cancelled: nothing was paid for them.
    pub cancelled: u32,
    /// Jobs already sent: a task at the service cannot be cancelled, so they finish and download.
    pub still_running: u32,
    pub message: Message,
}

#[derive(Debug, thiserror::Error)]
pub enum BatchRunError {
    #[error("the batch has nothing that can be sent")]
    NothingToRun,
    #[error("no batch with id {id}")]
    NotFound { id: String },
    #[error("batch {id} is {}: cannot {action:?}", state.as_str())]
    WrongState {
        id: String,
        state: BatchState,
        action: BatchAction,
    },
    /// One job of the batch was refused; nothing was stored or sent.
    #[error("item {item} cannot be sent: {error}")]
    Item { item: u32, error: Box<JobError> },
    /// The same batch was stored moments ago; nothing was stored or sent.
    #[error("an identical batch ({batch_id}) was stored {seconds_ago} s ago")]
    Duplicate { batch_id: String, seconds_ago: u64 },
    #[error(transparent)]
    Job(#[from] JobError),
}

impl From<StoreError> for BatchRunError {
    fn from(error: StoreError) -> Self {
        Self::Job(error.into())
    }
}

impl UserFacing for BatchRunError {
    fn kind(&self) -> &'static str {
        match self {
            Self::NothingToRun => "batch_nothing_to_run",
            Self::NotFound { .. } => "batch_not_found",
            Self::WrongState { .. } => "batch_wrong_state",
            Self::Item { .. } => "batch_item_refused",
            Self::Duplicate { .. } => "batch_duplicate",
            Self::Job(e) => e.kind(),
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::NothingToRun => Message::new("msg.batch_run.nothing_to_run"),
            Self::NotFound { .. } => Message::new("msg.batch_run.not_found"),
            Self::WrongState { state, action, .. } => Message::new(match action {
                BatchAction::Pause => "msg.batch_run.cannot_pause",
                BatchAction::Resume => "msg.batch_run.cannot_resume",
                BatchAction::Cancel => "msg.batch_run.cannot_cancel",
            })
            .arg("state", state.label()),
            Self::Item { item, error } => Message::new("msg.batch_run.item_refused")
                .arg("item", *item)
                .arg("reason", error.msg()),
            Self::Duplicate { seconds_ago, .. } => {
                Message::new("msg.batch_run.duplicate").arg("seconds", *seconds_ago)
            }
            Self::Job(e) => e.msg(),
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Item { error, .. } => error.raw_cause(),
            Self::Job(e) => e.raw_cause(),
            _ => None,
        }
    }
}

/// The message a job of a cancelled batch keeps: it was never sent, so nothing was paid.
fn cancelled() -> Message {
    Message::new("msg.batch_run.cancelled")
}

/// Local frame files of a job's request.
fn local_frames(job: &JobRecord) -> impl Iterator<Item = &str> {
    [&job.request.first_frame, &job.request.last_frame]
        .into_iter()
        .flatten()
        .map(|f| f.trim())
        .filter(|f| !f.is_empty() && !is_web_address(f))
}

impl JobRunner {
    /// Checks every job of the plan as a single submission is checked (valid request, service reachable,
    /// history saved, every local frame readable and within limits; each distinct frame file read once),
    /// then stores the batch and all its jobs in one transaction and starts sending them. Refused, with
    /// nothing stored, when any job is refused (naming its item) or when the same batch was stored within
    /// [`DUPLICATE_WINDOW`] and `start.intent` is not [`Intent::Repeat`].
    pub async fn start_batch(&self, start: BatchStart<'_>) -> Result<BatchRecord, BatchRunError> {
        let plan = start.plan;
        if !plan.can_start() {
            return Err(BatchRunError::NothingToRun);
        }
        let connection = self
            .inner
            .connections
            .current()
            .await
            .map_err(JobError::from)?;
        self.ensure_history_is_saved(connection.demo)?;
        let mut frames: HashMap<(FrameSlot, String), FrameInfo> = HashMap::new();
        let mut jobs = Vec::with_capacity(plan.jobs.len());
        for planned in &plan.jobs {
            let refused = |error: JobError| BatchRunError::Item {
                item: planned.item,
                error: Box::new(error),
            };
            let request = planned
                .draft
                .validate()
                .map_err(|e| refused(JobError::Invalid(e)))?;
            let mut checked = Vec::new();
            for (slot, frame) in [
                (FrameSlot::First, request.first_frame()),
                (FrameSlot::Last, request.last_frame()),
            ] {
                let Some(frame) = frame.filter(|f| !is_web_address(f)) else {
                    continue;
                };
                let key = (slot, frame.to_owned());
                let info = match frames.get(&key) {
                    Some(info) => info.clone(),
                    None => {
                        let info = check_frame(slot, PathBuf::from(frame))
                            .await
                            .map_err(refused)?;
                        frames.insert(key, info.clone());
                        info
                    }
                };
                checked.push((slot, info));
            }
            let thumb = |slot: FrameSlot| {
                checked
                    .iter()
                    .find(|(s, _)| *s == slot)
                    .and_then(|(_, info)| Thumbnail::from_data_url(&info.thumbnail_data_url).ok())
            };
            let tokens_estimate = plan
                .items
                .iter()
                .find(|i| i.index == planned.item)
                .and_then(|i| i.estimate.as_ref())
                .map(|e| e.tokens_max);
            jobs.push(NewBatchJob {
                job: NewJob {
                    request: request.to_draft(),
                    first_thumb: thumb(FrameSlot::First),
                    last_thumb: thumb(FrameSlot::Last),
                    tokens_estimate,
                    demo: connection.demo,
                    retry_of: None,
                },
                fingerprint: fingerprint(&request, &checked, connection.demo).map_err(refused)?,
                item: planned.item,
                take: planned.take,
            });
        }
        let mut whole = Sha256::new();
        for job in &jobs {
            whole.update(job.fingerprint.as_bytes());
            whole.update(b"\n");
        }
        let batch = NewBatch {
            name: start.name.to_owned(),
            source: start.source.to_owned(),
            tokens_min: plan.total.tokens_min,
            tokens_max: plan.total.tokens_max,
            total_json: serde_json::to_string(&plan.total)
                .map_err(|e| JobError::from(PipelineError::Io(std::io::Error::other(e))))?,
            demo: connection.demo,
            fingerprint: hex::encode(whole.finalize()),
        };
        let window = match start.intent {
            Intent::Once => Some(DUPLICATE_WINDOW),
            Intent::Repeat => None,
        };
        let record = match self.inner.store.insert_batch(&batch, &jobs, window)? {
            BatchInserted::New(record) => record,
            BatchInserted::Duplicate(existing) => {
                let seconds_ago = u64::try_from(
                    self.inner
                        .store
                        .now_ms()
                        .saturating_sub(existing.created_at)
                        / 1000,
                )
                .unwrap_or_default();
                return Err(BatchRunError::Duplicate {
                    batch_id: existing.id,
                    seconds_ago,
                });
            }
        };
        tracing::info!(batch = %record.id, jobs = jobs.len(), demo = record.demo, "batch stored");
        for job in self.inner.store.batch_jobs(&record.id)? {
            self.inner.events.job_changed(&job);
        }
        self.inner.events.batch_changed(&record);
        self.feed(&record.id);
        Ok(record)
    }

    pub fn batch(&self, id: &str) -> Result<BatchRecord, BatchRunError> {
        self.inner
            .store
            .get_batch(id)?
            .ok_or_else(|| BatchRunError::NotFound { id: id.to_owned() })
    }

    pub fn batches(&self) -> Result<Vec<BatchRecord>, BatchRunError> {
        Ok(self.inner.store.list_batches()?)
    }

    /// Sends no new create request for the batch (a pause that comes after a job's create was marked
    /// sent lets that one go on). Pausing a paused batch changes nothing.
    pub fn pause_batch(&self, id: &str) -> Result<BatchRecord, BatchRunError> {
        match self.inner.store.pause_batch(id)? {
            Ok(held) => {
                tracing::info!(batch = id, held = held.len(), "batch paused");
                for job in &held {
                    self.announce(job);
                }
            }
            Err(BatchRefusal::State(BatchState::Paused)) => {}
            Err(refusal) => return Err(refused(id, refusal, BatchAction::Pause)),
        }
        self.announce_batch(id)
    }

    /// A paused batch sends its waiting jobs again. Resuming a running batch changes nothing.
    pub fn resume_batch(&self, id: &str) -> Result<BatchRecord, BatchRunError> {
        match self.inner.store.resume_batch(id)? {
            Ok(()) => tracing::info!(batch = id, "batch resumed"),
            Err(BatchRefusal::State(BatchState::Running)) => {}
            Err(refusal) => return Err(refused(id, refusal, BatchAction::Resume)),
        }
        self.feed(id);
        self.announce_batch(id)
    }

    /// Fails every job of the batch whose create request was never sent; jobs already sent cannot be
    /// cancelled at the service and go on (counted in the outcome).
    pub fn cancel_batch(&self, id: &str) -> Result<CancelOutcome, BatchRunError> {
        let done = self
            .inner
            .store
            .cancel_batch(id, &cancelled())?
            .map_err(|refusal| refused(id, refusal, BatchAction::Cancel))?;
        for job in &done.jobs {
            self.announce(job);
        }
        self.announce_batch(id)?;
        let cancelled = u32::try_from(done.jobs.len()).unwrap_or(u32::MAX);
        tracing::info!(
            batch = id,
            cancelled,
            still_running = done.still_running,
            "batch cancelled"
        );
        Ok(CancelOutcome {
            cancelled,
            still_running: done.still_running,
            message: Message::new("msg.batch_run.cancel_outcome")
                .arg("cancelled", cancelled)
                .arg("running", done.still_running),
        })
    }

    /// Starts the feeders of every running batch (on start, after the jobs were picked up); returns how
    /// many started.
    pub(super) fn resume_batches(&self) -> Result<u32, StoreError> {
        let mut started = 0;
        for id in self.inner.store.batches_in_state(BatchState::Running)? {
            if self.feed(&id) {
                started += 1;
            }
        }
        Ok(started)
    }

    fn announce_batch(&self, id: &str) -> Result<BatchRecord, BatchRunError> {
        let record = self.batch(id)?;
        self.inner.events.batch_changed(&record);
        Ok(record)
    }

    /// Starts the batch's feeder unless one is going; returns whether it started. It counts as active
    /// (see [`JobRunner::wait_idle`]) until the batch is no longer running or has nothing left.
    fn feed(&self, id: &str) -> bool {
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
            runner.feed_until_done(&id).await;
            drop(slot);
        });
        true
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
                    Ok(()) => {}
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
}

fn refused(id: &str, refusal: BatchRefusal, action: BatchAction) -> BatchRunError {
    match refusal {
        BatchRefusal::NotFound => BatchRunError::NotFound { id: id.to_owned() },
        BatchRefusal::State(state) => BatchRunError::WrongState {
            id: id.to_owned(),
            state,
            action,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_says_what_to_do_in_both_languages() {
        let all = [
            BatchRunError::NothingToRun,
            BatchRunError::NotFound { id: "b".into() },
            BatchRunError::WrongState {
                id: "b".into(),
                state: BatchState::Finished,
                action: BatchAction::Pause,
            },
            BatchRunError::WrongState {
                id: "b".into(),
                state: BatchState::Cancelled,
                action: BatchAction::Resume,
            },
            BatchRunError::WrongState {
                id: "b".into(),
                state: BatchState::Finished,
                action: BatchAction::Cancel,
            },
            BatchRunError::Item {
                item: 7,
                error: Box::new(JobError::HistoryNotSaved),
            },
            BatchRunError::Duplicate {
                batch_id: "b".into(),
                seconds_ago: 4,
            },
        ];
        for e in all {
            let m = e.msg();
            let (en, zh) = (m.text("en"), m.text("zh-CN"));
            assert!(!en.is_empty() && !en.contains("{{"), "{}: {en}", e.kind());
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) && !zh.contains("{{"),
                "{}: {zh}",
                e.kind()
            );
            assert!(e.kind().starts_with("batch_"), "{}", e.kind());
        }
        let cancelled = cancelled();
        assert!(cancelled.text("zh-CN").contains("未发送"));
    }
}
