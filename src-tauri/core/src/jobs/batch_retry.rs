//! "Retry failed" for a batch, free ones first. A failed job whose task is known is asked again and its
//! video downloaded ([`JobRunner::retry_download`]): nothing is paid. A failed job that needs a new create
//! request (never sent because the batch was cancelled, refused before its task existed, or whose task
//! failed at the service) is paid again: only the jobs the user confirmed by id are resubmitted, each at
//! most once, through [`JobRunner::resubmit`] (which records `retry_of`). An uncertain job is never
//! resubmitted from here: it may already have been paid for, so it is left to its own confirmation on the
//! Jobs screen.

use serde::Serialize;

use super::JobRunner;
use crate::i18n::{Message, UserFacing};
use crate::store::{JobRecord, JobStatus, TASK_FAILED};

/// What "Retry failed" would do now, for the question asked before paying.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct RetryPlan {
    /// Failed jobs whose task is known: asked again and downloaded, nothing is paid.
    pub free: u32,
    /// Failed jobs that need a new create request: each is paid again.
    pub paid_ids: Vec<String>,
    /// Estimated tokens of the paid ones that carry an estimate.
    #[specta(type = f64)]
    pub paid_tokens: u64,
    /// Paid ones stored without an estimate (not in `paid_tokens`).
    pub paid_without_estimate: u32,
    /// Uncertain jobs: never resubmitted from here (see the Jobs screen).
    pub uncertain: u32,
}

/// What "Retry failed" did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct RetryOutcome {
    /// Jobs whose video is being fetched again.
    pub downloading: u32,
    /// Jobs submitted again as new, linked jobs.
    pub resubmitted: u32,
    /// Jobs that could not be retried now (e.g. a frame is gone): they stay failed, and the Jobs screen says why.
    pub kept: u32,
    pub message: Message,
}

/// How a job of the batch can be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Retry {
    Free,
    Paid,
    Uncertain,
    No,
}

fn retry_of(job: &JobRecord) -> Retry {
    match job.status {
        JobStatus::SubmissionUncertain => Retry::Uncertain,
        JobStatus::Failed
            if job.task_id.is_some()
                && job.problem.as_ref().is_none_or(|p| p.kind != TASK_FAILED) =>
        {
            Retry::Free
        }
        JobStatus::Failed if job.can_resubmit => Retry::Paid,
        _ => Retry::No,
    }
}

impl JobRunner {
    /// What retrying the batch's failed jobs would do; nothing is changed.
    pub fn batch_retry_plan(&self, id: &str) -> Result<RetryPlan, super::BatchRunError> {
        self.batch(id)?;
        let mut plan = RetryPlan::default();
        for member in self.inner.store.batch_members(id)? {
            match retry_of(&member.job) {
                Retry::Free => plan.free += 1,
                Retry::Paid => {
                    match member.job.tokens_estimate {
                        Some(tokens) => plan.paid_tokens += u64::from(tokens),
                        None => plan.paid_without_estimate += 1,
                    }
                    plan.paid_ids.push(member.job.id);
                }
                Retry::Uncertain => plan.uncertain += 1,
                Retry::No => {}
            }
        }
        Ok(plan)
    }

    /// Retries the batch's failed jobs: every free one, and of the paid ones only those in `confirmed_paid`
    /// (the ids the user was asked about) that still need it. A job resubmitted before is never resubmitted
    /// again.
    pub async fn retry_batch(
        &self,
        id: &str,
        confirmed_paid: &[String],
    ) -> Result<RetryOutcome, super::BatchRunError> {
        self.batch(id)?;
        let members = self.inner.store.batch_members(id)?;
        let (mut downloading, mut resubmitted, mut kept) = (0u32, 0u32, 0u32);
        // Free ones first: they cost nothing and may be all the user needed.
        for member in members.iter().filter(|m| retry_of(&m.job) == Retry::Free) {
            match self.retry_download(&member.job.id) {
                Ok(_) => downloading += 1,
                Err(e) => {
                    tracing::warn!(job = %member.job.id, kind = e.kind(), "batch job not fetched again");
                    kept += 1;
                }
            }
        }
        for member in members
            .iter()
            .filter(|m| retry_of(&m.job) == Retry::Paid && confirmed_paid.contains(&m.job.id))
        {
            match self.resubmit(&member.job.id).await {
                Ok(_) => resubmitted += 1,
                Err(e) => {
                    tracing::warn!(job = %member.job.id, kind = e.kind(), "batch job not submitted again");
                    kept += 1;
                }
            }
        }
        tracing::info!(
            batch = id,
            downloading,
            resubmitted,
            kept,
            "batch failed jobs retried"
        );
        Ok(RetryOutcome {
            downloading,
            resubmitted,
            kept,
            message: Message::new("msg.batch_run.retry_outcome")
                .arg("downloading", downloading)
                .arg("resubmitted", resubmitted)
                .arg("kept", kept),
        })
    }
}
