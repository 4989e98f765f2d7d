//! Running a batch through the job queue: no new path to the service. Starting a batch checks every job
//! the way a single submission is checked, then stores the batch and all its jobs in one transaction,
//! each waiting as not sent. A feeder per running batch ([`super::batch_feed`]) then moves them on in item
//! order, as turns free up under the runner's concurrency limit; from there each job is an ordinary run
//! (persist before create, never re-send, resume on start).
//!
//! Pause is a state of the batch row plus, in the same transaction, holding back its jobs that a run has
//! taken but whose create request is not sent; their runs see that and stop without failing them. Jobs
//! already sent go on and download. Cancel fails the never-sent ones instead. Both survive a restart:
//! on start, a batch's job caught before its create goes back to its batch's queue, and only running
//! batches are fed, except one left alone for longer than the never-sent hold allows (the app was closed
//! meanwhile): that one is paused, its record saying why, for the user to resume.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::batch_error::{cancelled, refused, BatchAction, BatchRunError};
use super::batch_feed::FEEDER_PREFIX;
use super::batch_frames::BatchFrames;
use super::submit::{fingerprint, fingerprint_chained};
use super::{Intent, JobError, JobRunner, SpendConsent, DUPLICATE_WINDOW};
use crate::batch::BatchPlan;
use crate::i18n::Message;
use crate::pipeline::PipelineError;
use crate::request::FrameSlot;
use crate::spend::{SpendDecision, SpendKind, SpendTotal};
use crate::store::{
    BatchInserted, BatchRecord, BatchRefusal, BatchState, ChainSource, JobLinks, NewBatch,
    NewBatchJob, NewJob, StoreError, Thumbnail,
};

/// What the user confirmed: the plan and how the batch is named and described.
#[derive(Clone, Copy, Debug)]
pub struct BatchStart<'a> {
    pub name: &'a str,
    /// Where the items came from, as the review showed it.
    pub source: &'a Message,
    pub plan: &'a BatchPlan,
    /// [`Intent::Repeat`] when the user confirmed starting the same batch again moments after the first.
    pub intent: Intent,
    /// [`SpendConsent::Given`] when the user already said yes to passing a day's or month's spend limit.
    pub spend: SpendConsent,
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

impl JobRunner {
    /// Checks every job of the plan as a single submission is checked (valid request, service reachable,
    /// history saved, every local frame readable and within limits; each distinct frame file read once, on
    /// every core: [`crate::batch::check_frames`]), then stores the batch and all its jobs in one
    /// transaction and starts sending them. Refused, with nothing stored, when any job is refused (naming
    /// the first such item) or when the same batch was stored within [`DUPLICATE_WINDOW`] and
    /// `start.intent` is not [`Intent::Repeat`].
    pub async fn start_batch(&self, start: BatchStart<'_>) -> Result<BatchRecord, BatchRunError> {
        self.start_batch_linked(start, &[]).await
    }

    /// [`JobRunner::start_batch`] for a sequence's run: `links[i]` ties `start.plan.jobs[i]` to its shot
    /// and, for a chained shot, to the job whose last frame it starts from. A chained job's first frame
    /// does not exist yet: it is not checked here (its feeder checks it once written), and the job's
    /// fingerprint names its source instead of the frame's content.
    pub(super) async fn start_batch_linked(
        &self,
        start: BatchStart<'_>,
        links: &[Option<JobLinks>],
    ) -> Result<BatchRecord, BatchRunError> {
        let plan = start.plan;
        let chain_key = |at: usize| -> Option<String> {
            let (source, _) = links.get(at)?.as_ref()?.chain.as_ref()?;
            Some(match source {
                ChainSource::Job(id) => format!("job:{id}"),
                ChainSource::Earlier(i) => format!("earlier:{i}"),
            })
        };
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
        if !connection.demo {
            self.check_batch_spend(plan, start.spend)?;
        }
        // Every request is validated first (cheap), up to the first invalid one; then the frames of the
        // jobs before it are checked together, and the jobs are read back in order, so the refusal names the
        // same item as checking them one by one would.
        let mut requests = Vec::with_capacity(plan.jobs.len());
        let mut invalid = None;
        for planned in &plan.jobs {
            match planned.draft.validate() {
                Ok(request) => requests.push(request),
                Err(e) => {
                    invalid = Some((planned.item, e));
                    break;
                }
            }
        }
        let chained: Vec<bool> = (0..requests.len())
            .map(|at| chain_key(at).is_some())
            .collect();
        let mut frames = BatchFrames::check(&requests, &chained).await;
        let mut jobs = Vec::with_capacity(plan.jobs.len());
        for (at, (planned, request)) in plan.jobs.iter().zip(&requests).enumerate() {
            let refused = |error: JobError| BatchRunError::Item {
                item: planned.item,
                error: Box::new(error),
            };
            let checked = frames.of_job(at).map_err(refused)?;
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
                fingerprint: match chain_key(at) {
                    Some(key) => fingerprint_chained(request, &checked, connection.demo, &key),
                    None => fingerprint(request, &checked, connection.demo),
                }
                .map_err(refused)?,
                item: planned.item,
                take: planned.take,
                output: planned.output.clone(),
            });
        }
        if let Some((item, e)) = invalid {
            return Err(BatchRunError::Item {
                item,
                error: Box::new(JobError::Invalid(e)),
            });
        }
        let mut whole = Sha256::new();
        for job in &jobs {
            whole.update(job.fingerprint.as_bytes());
            whole.update(b"\n");
        }
        let batch = NewBatch {
            name: start.name.to_owned(),
            source: serde_json::to_string(start.source)
                .map_err(|e| JobError::from(PipelineError::Io(std::io::Error::other(e))))?,
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
        // Asked again in one turn with the insert: another job or batch may have been stored while the
        // frames were checked (the early check above only spares that check a sure refusal).
        let inserted = {
            let _turn = self.spend_turn();
            if !connection.demo {
                self.check_batch_spend(plan, start.spend)?;
            }
            self.inner
                .store
                .insert_batch_linked(&batch, &jobs, window, links)?
        };
        let record = match inserted {
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

    /// Refuses a batch above the per-batch limit, and asks before one that passes the day's or month's
    /// (see `super::spend_gate`), at the plan's highest total.
    fn check_batch_spend(
        &self,
        plan: &BatchPlan,
        consent: SpendConsent,
    ) -> Result<(), BatchRunError> {
        let total = SpendTotal::of(plan.total.tokens_max, plan.total.cost_max, plan.total.jobs);
        match self.check_spend_limits(SpendKind::Batch, |_| total, consent)? {
            SpendDecision::Ok => Ok(()),
            SpendDecision::Ask(question) => Err(JobError::SpendLimit(question).into()),
            SpendDecision::Refuse(message) => Err(JobError::OverSpendLimit { message }.into()),
        }
    }

    pub fn batch(&self, id: &str) -> Result<BatchRecord, BatchRunError> {
        self.inner
            .store
            .get_batch(id)?
            .map(|record| self.with_waiting(record))
            .ok_or_else(|| BatchRunError::NotFound { id: id.to_owned() })
    }

    pub fn batches(&self) -> Result<Vec<BatchRecord>, BatchRunError> {
        Ok(self
            .inner
            .store
            .list_batches()?
            .into_iter()
            .map(|record| self.with_waiting(record))
            .collect())
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

    /// Running batches with no feeder here that nothing happened to since `before` (unix ms), with when
    /// they were last active: the app was closed (or never fed them) for that long.
    pub(super) fn idle_running_batches(
        &self,
        before: i64,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let store = &self.inner.store;
        let mut idle = Vec::new();
        for id in store.batches_in_state(BatchState::Running)? {
            let feeder = format!("{FEEDER_PREFIX}{id}");
            // Fed here, or by another process sharing the history: not left alone.
            if self.is_active(&feeder) || self.held_elsewhere(&feeder) {
                continue;
            }
            if let Some(last) = store.batch_last_active(&id)?.filter(|at| *at < before) {
                idle.push((id, last));
            }
        }
        Ok(idle)
    }

    /// Starts the feeders of every running batch (on start, after the jobs were picked up); returns how
    /// many started. A batch in `idle` (see [`JobRunner::idle_running_batches`]) that still has jobs to send
    /// is paused instead, its record saying why: like a single job never sent, it is not sent days later
    /// without asking. Counted in `summary`.
    pub(super) fn resume_batches(
        &self,
        idle: &[(String, i64)],
        summary: &mut super::ResumeSummary,
    ) -> Result<u32, StoreError> {
        let store = &self.inner.store;
        let now = store.now_ms();
        let mut started = 0;
        for id in store.batches_in_state(BatchState::Running)? {
            if let Some((_, last)) = idle.iter().find(|(idle, _)| *idle == id) {
                let queued = store.get_batch(&id)?.map_or(0, |b| b.counts.queued);
                if queued > 0 {
                    let hours = now.saturating_sub(*last) / 3_600_000;
                    let reason = Message::new("msg.batch_run.paused_while_closed")
                        .arg("hours", hours)
                        .arg("remaining", queued);
                    match store.pause_batch_because(&id, Some(&reason))? {
                        Ok(held) => {
                            tracing::info!(batch = id, hours, queued, "idle batch paused on start");
                            for job in &held {
                                self.announce(job);
                            }
                            summary.paused_batches += 1;
                            summary.paused_batch_jobs += queued;
                            let _ = self.announce_batch(&id);
                        }
                        // Paused, cancelled or finished meanwhile (another window): nothing to hold.
                        Err(refusal) => {
                            tracing::info!(batch = id, ?refusal, "idle batch not paused")
                        }
                    }
                    continue;
                }
            }
            if self.feed(&id) {
                started += 1;
            }
        }
        Ok(started)
    }

    pub(super) fn announce_batch(&self, id: &str) -> Result<BatchRecord, BatchRunError> {
        let record = self.batch(id)?;
        self.inner.events.batch_changed(&record);
        Ok(record)
    }
}
