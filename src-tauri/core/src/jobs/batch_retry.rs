//! "Retry failed" for a batch, free ones first. A failed job whose task is known is asked again and its
//! video downloaded ([`JobRunner::retry_download`]): nothing is paid. A failed job that needs a new create
//! request (never sent because the batch was cancelled, refused before its task existed, or whose task
//! failed at the service) is paid again: only the jobs the user confirmed by id are resubmitted, each at
//! most once, through [`JobRunner::resubmit`] (which records `retry_of`). An uncertain job is never
//! resubmitted from here: it may already have been paid for, so it is left to its own confirmation on the
//! Jobs screen. The paid ones are asked about against the spend limits together, once, before anything is
//! retried (see `super::spend_gate`); a copy takes its original's place in the batch (item and take), so
//! the batch's counts, export and job list show each item's latest try.

use serde::Serialize;

use super::{JobError, JobRunner, SpendConsent};
use crate::i18n::{Message, UserFacing};
use crate::spend::{SpendDecision, SpendKind, SpendTotal};
use crate::store::{BatchMember, JobRecord, JobStatus, TASK_FAILED};

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
    /// again. When the paid ones would pass a day's or month's spend limit, nothing is retried and the
    /// question comes back ([`JobError::SpendLimit`]) unless `spend` is the user's yes to it.
    pub async fn retry_batch(
        &self,
        id: &str,
        confirmed_paid: &[String],
        spend: SpendConsent,
    ) -> Result<RetryOutcome, super::BatchRunError> {
        self.batch(id)?;
        let members = self.inner.store.batch_members(id)?;
        let paid: Vec<&BatchMember> = members
            .iter()
            .filter(|m| retry_of(&m.job) == Retry::Paid && confirmed_paid.contains(&m.job.id))
            .collect();
        self.check_retry_spend(&paid, spend)?;
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
        for member in paid {
            // Asked about together above.
            match self.resubmit(&member.job.id, SpendConsent::Given).await {
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

    /// The spend question for the paid retries, at their stored estimates (a job stored without one
    /// counts 0, as in [`RetryPlan`]). Demo jobs are free.
    fn check_retry_spend(
        &self,
        paid: &[&BatchMember],
        consent: SpendConsent,
    ) -> Result<(), super::BatchRunError> {
        let live: Vec<&JobRecord> = paid.iter().map(|m| &m.job).filter(|j| !j.demo).collect();
        if live.is_empty() {
            return Ok(());
        }
        let decision = self.check_spend_limits(
            SpendKind::Retry,
            |rates| {
                let (mut tokens, mut cost) = (0u64, 0.0);
                for job in &live {
                    let estimate = job.tokens_estimate.unwrap_or(0);
                    tokens += u64::from(estimate);
                    cost += rates.cost_of(estimate, job.request.settings.generate_audio);
                }
                SpendTotal::of(tokens, cost, u32::try_from(live.len()).unwrap_or(u32::MAX))
            },
            consent,
        )?;
        match decision {
            SpendDecision::Ok => Ok(()),
            SpendDecision::Ask(question) => Err(JobError::SpendLimit(question).into()),
            SpendDecision::Refuse(message) => Err(JobError::OverSpendLimit { message }.into()),
        }
    }
}
