//! Jobs stored but never sent, held back on start (see [`super::ResumePolicy`]): what they would cost,
//! and the user's two answers, send or discard, per job or all at once. A batch's jobs waiting for their
//! turn are not among them: their batch sends them (Resume) or gives them up (Cancel).

use serde::Serialize;

use super::run::Plan;
use super::submit::check_frames;
use super::{JobError, JobRunner};
use crate::cost::CostRates;
use crate::i18n::{Message, UserFacing};
use crate::store::{BatchState, JobRecord, JobStatus, StoreError};

/// Kind of the problem recorded when the user discards a job that was never sent.
pub const DISCARDED: &str = "discarded";

fn discarded() -> Message {
    Message::new("msg.job.discarded")
}

/// The jobs waiting as not sent, for the start-up notice.
#[derive(Clone, Debug, Default, PartialEq, Serialize, specta::Type)]
pub struct UnsentSummary {
    pub count: u32,
    /// Estimated tokens of those that carry an estimate.
    #[specta(type = f64)]
    pub tokens: u64,
    /// `tokens` at the user's rates.
    pub cost: f64,
    pub currency: String,
    /// Jobs stored without an estimate (not in `tokens` or `cost`).
    pub without_estimate: u32,
    /// When the oldest was stored (unix milliseconds).
    #[specta(type = Option<f64>)]
    pub oldest_created_at: Option<i64>,
}

/// What sending or discarding every not-sent job did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct UnsentOutcome {
    pub done: u32,
    /// Jobs refused (e.g. a frame is gone): they stay not sent, and Jobs shows why when sent one by one.
    pub kept: u32,
}

impl JobRunner {
    pub fn unsent_summary(&self, rates: &CostRates) -> Result<UnsentSummary, JobError> {
        let jobs = self.inner.store.not_sent_jobs()?;
        let mut summary = UnsentSummary {
            currency: rates.currency.clone(),
            oldest_created_at: jobs.first().map(|j| j.created_at),
            ..UnsentSummary::default()
        };
        for job in &jobs {
            summary.count += 1;
            match job.tokens_estimate {
                Some(tokens) => {
                    summary.tokens += u64::from(tokens);
                    summary.cost += rates.cost_of(tokens, job.request.settings.generate_audio);
                }
                None => summary.without_estimate += 1,
            }
        }
        Ok(summary)
    }

    /// Sends a not-sent job, under the rules of a fresh submission: the request is valid, the service
    /// reachable and every local frame readable and within limits, else nothing changes. Its create request
    /// is then sent at most once: only one caller moves it out of not sent.
    pub async fn send_unsent(&self, id: &str) -> Result<JobRecord, JobError> {
        let job = self.waiting(id)?;
        let request = job.request.validate().map_err(JobError::Invalid)?;
        self.inner.connections.for_job(job.demo).await?;
        check_frames(&request).await?;
        // The lease before the job leaves not sent, so no other process sees it unfinished and unheld.
        if !self.take_lease(id) {
            return Err(JobError::Busy { id: id.to_owned() });
        }
        if let Err(e) = self.inner.store.release_unsent(id) {
            self.give_back_unless_running(id);
            return Err(self.not_waiting(id, e));
        }
        self.announce(id);
        self.spawn(id, Plan::Fresh);
        Ok(self.inner.store.get_job(id)?)
    }

    /// Keeps the record as failed (kind [`DISCARDED`]); nothing is sent.
    pub fn discard_unsent(&self, id: &str) -> Result<JobRecord, JobError> {
        self.waiting(id)?;
        self.inner
            .store
            .discard_unsent(id, DISCARDED, &discarded())
            .map_err(|e| self.not_waiting(id, e))?;
        self.announce(id);
        Ok(self.inner.store.get_job(id)?)
    }

    pub async fn send_all_unsent(&self) -> Result<UnsentOutcome, JobError> {
        let mut outcome = UnsentOutcome::default();
        for job in self.inner.store.not_sent_jobs()? {
            match self.send_unsent(&job.id).await {
                Ok(_) => outcome.done += 1,
                // Sent or discarded meanwhile (a second press, another window): not this call's to count.
                Err(JobError::NotWaiting { .. }) => {}
                Err(e) => {
                    tracing::warn!(job = %job.id, kind = e.kind(), "not-sent job kept");
                    outcome.kept += 1;
                }
            }
        }
        Ok(outcome)
    }

    pub fn discard_all_unsent(&self) -> Result<UnsentOutcome, JobError> {
        let mut outcome = UnsentOutcome::default();
        for job in self.inner.store.not_sent_jobs()? {
            match self.discard_unsent(&job.id) {
                Ok(_) => outcome.done += 1,
                Err(JobError::NotWaiting { .. }) => {}
                Err(e) => {
                    tracing::warn!(job = %job.id, kind = e.kind(), "not-sent job kept");
                    outcome.kept += 1;
                }
            }
        }
        Ok(outcome)
    }

    fn waiting(&self, id: &str) -> Result<JobRecord, JobError> {
        let job = self.inner.store.get_job(id)?;
        if job.status != JobStatus::NotSent {
            return Err(JobError::NotWaiting {
                id: id.to_owned(),
                status: job.status,
            });
        }
        self.in_batch(&job)?;
        Ok(job)
    }

    /// Another caller moved the job on between the read and the write (or its batch took it back).
    fn not_waiting(&self, id: &str, error: StoreError) -> JobError {
        match error {
            StoreError::IllegalTransition { from, .. } => {
                match self.inner.store.get_job(id).map(|job| self.in_batch(&job)) {
                    Ok(Err(in_batch)) if from == JobStatus::NotSent => in_batch,
                    _ => JobError::NotWaiting {
                        id: id.to_owned(),
                        status: from,
                    },
                }
            }
            other => other.into(),
        }
    }

    /// A not-sent job of a running or paused batch waits for its batch to send it: only the batch's Resume
    /// or Cancel moves it, so Send cannot pay for it around a pause, and Discard or Delete cannot take it
    /// out of a batch whose counts and confirmed total include it.
    pub(super) fn in_batch(&self, job: &JobRecord) -> Result<(), JobError> {
        let Some(batch) = job
            .batch
            .as_ref()
            .filter(|_| job.status == JobStatus::NotSent)
        else {
            return Ok(());
        };
        match self.inner.store.batch_state(&batch.id)? {
            Some(BatchState::Running | BatchState::Paused) => Err(JobError::InBatch {
                id: job.id.clone(),
                batch: batch.name.clone(),
            }),
            _ => Ok(()),
        }
    }
}
