//! Start-up resume and what the user can do with a job: mark it failed, submit it again, delete it,
//! fetch its video again.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::run::Plan;
use super::{ConnectionError, Intent, JobError, JobRunner, SpendConsent};

use crate::i18n::{Message, UserFacing};
use crate::store::{JobRecord, JobStatus, ResumeAction, StoreError, TASK_FAILED};

/// Jobs stored this recently are never held back as not sent: see [`JobRunner::resume_all_with`].
pub const FRESH_JOB_GRACE: std::time::Duration = std::time::Duration::from_secs(60);

/// What [`JobRunner::resume_all`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct ResumeSummary {
    /// Runs started again from the upload (the create request had not been sent, and recently stored).
    pub restarted: u32,
    /// Jobs never sent and stored too long ago to send without asking: now waiting as not sent.
    pub not_sent: u32,
    /// Their estimated tokens (jobs without an estimate count 0).
    #[specta(type = f64)]
    pub not_sent_tokens: u64,
    /// Runs picking up a known task.
    pub resumed: u32,
    /// Jobs whose create request may have been sent without a task id coming back.
    pub uncertain: u32,
    /// Demo jobs failed because the demo service is gone.
    pub demo_ended: u32,
    /// Batches left running while the app was closed for longer than the policy allows: paused instead
    /// of sending their waiting jobs without asking.
    pub paused_batches: u32,
    /// The jobs those batches still have to send.
    pub paused_batch_jobs: u32,
}

/// How long a job that was stored but never sent may wait and still be sent on start without asking.
/// A job from the last few hours is one the user just made (the app was closed or crashed during its
/// upload) and still wants; after a night or a weekend, prompts, frames, prices and plans may have changed,
/// so the user decides. Six hours spans a stretch of work with a break, not an overnight gap.
pub const DEFAULT_HOLD_UNSENT_AFTER: std::time::Duration = std::time::Duration::from_secs(6 * 3600);

/// What [`JobRunner::resume_all_with`] may do without asking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResumePolicy {
    /// Never-sent jobs stored longer ago than this wait as not sent.
    pub hold_unsent_after: std::time::Duration,
}

impl Default for ResumePolicy {
    fn default() -> Self {
        Self {
            hold_unsent_after: DEFAULT_HOLD_UNSENT_AFTER,
        }
    }
}

impl ResumePolicy {
    pub fn from_prefs(prefs: &crate::prefs::Preferences) -> Self {
        Self {
            hold_unsent_after: std::time::Duration::from_secs(
                u64::from(prefs.hold_unsent_after_hours) * 3600,
            ),
        }
    }
}

/// Kind of the problem recorded when the user gives up on an uncertain job.
pub const MARKED_FAILED: &str = "marked_failed";

pub(super) fn interrupted_create() -> Message {
    Message::new("msg.job.interrupted_create")
}

fn marked_failed() -> Message {
    Message::new("msg.job.marked_failed")
}

impl JobRunner {
    /// [`JobRunner::resume_all_with`] the default policy.
    pub async fn resume_all(&self) -> Result<ResumeSummary, JobError> {
        self.resume_all_with(&ResumePolicy::default()).await
    }

    /// Picks up every unfinished job, e.g. on start. A create request whose outcome is unknown is never
    /// sent again: such a job becomes submission uncertain. A job never sent that was stored longer ago
    /// than the policy allows is not sent either: it waits as not sent for the user. A batch's job never
    /// sent goes back to its batch, and running batches are fed again, except one left alone (nothing of it
    /// changed) for longer than the policy allows: that one is paused, saying why, for the user to resume. Safe to call again later (e.g. once
    /// a token is set): jobs and batches already running are left alone.
    pub async fn resume_all_with(&self, policy: &ResumePolicy) -> Result<ResumeSummary, JobError> {
        let mut summary = ResumeSummary::default();
        // A job stored moments ago is this launch's own, its run about to start (a resume can run between a
        // submission's insert and its spawn): it is never held back, even when the preference says always ask.
        let hold_after = policy.hold_unsent_after.max(FRESH_JOB_GRACE);
        let hold_before = self
            .inner
            .store
            .now_ms()
            .saturating_sub(i64::try_from(hold_after.as_millis()).unwrap_or(i64::MAX));
        // Read before the jobs below are touched (put back in their batch, polled).
        let idle_batches = self.idle_running_batches(hold_before)?;
        *self
            .inner
            .resume_policy
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = policy.clone();
        for job in self.inner.store.unfinished_jobs()? {
            self.resume_one(&job.id, hold_before, &mut summary).await;
        }
        let batches = self.resume_batches(&idle_batches, &mut summary)?;
        tracing::info!(?summary, batches, "unfinished jobs picked up");
        Ok(summary)
    }

    /// Picks one unfinished job up, under its lease: a job another live process drives is left to it, and
    /// the job is read again once held (the other process may have moved it on meanwhile).
    pub(super) async fn resume_one(&self, id: &str, hold_before: i64, summary: &mut ResumeSummary) {
        if self.is_active(id) || !self.take_lease(id) {
            return;
        }
        let job = match self.inner.store.get_job(id) {
            Ok(job) if !job.status.is_settled() => job,
            Ok(_) => return self.drop_lease(id),
            Err(e) => {
                tracing::warn!(job = id, kind = e.kind(), "job not read again");
                return self.drop_lease(id);
            }
        };
        let spawned = self.resume_held(job, hold_before, summary).await;
        if !spawned && !self.is_active(id) {
            self.drop_lease(id);
        }
    }

    /// What [`JobRunner::resume_one`] does with a held job; true when a run took it (and its lease).
    async fn resume_held(
        &self,
        job: JobRecord,
        hold_before: i64,
        summary: &mut ResumeSummary,
    ) -> bool {
        if job.demo {
            if let Err(ConnectionError::DemoEnded) = self.inner.connections.for_job(true).await {
                self.record(&job.id, |store, id| {
                    store.fail_with(id, &ConnectionError::DemoEnded)
                });
                summary.demo_ended += 1;
                return false;
            }
        }
        let action = job.resume_action();
        if matches!(action, ResumeAction::RestartUpload) && self.back_to_batch(&job.id) {
            return false;
        }
        match action {
            ResumeAction::RestartUpload if job.created_at < hold_before => {
                match self.inner.store.hold_unsent(&job.id) {
                    Ok(()) => {
                        self.announce(&job.id);
                        summary.not_sent += 1;
                        summary.not_sent_tokens +=
                            u64::from(job.tokens_estimate.unwrap_or_default());
                    }
                    Err(e) => {
                        tracing::error!(job = %job.id, kind = e.kind(), error = %e, "job not held back")
                    }
                }
            }
            ResumeAction::RestartUpload => {
                if self.spawn(&job.id, Plan::Fresh) {
                    summary.restarted += 1;
                    return true;
                }
            }
            ResumeAction::PollTask { task_id } | ResumeAction::Download { task_id, .. } => {
                if self.spawn(&job.id, Plan::FromTask(task_id)) {
                    summary.resumed += 1;
                    return true;
                }
            }
            ResumeAction::MarkUncertain => {
                self.record(&job.id, |store, id| {
                    store.set_uncertain(id, &interrupted_create())
                });
                summary.uncertain += 1;
            }
            ResumeAction::Nothing => {}
        }
        false
    }

    /// A batch's job caught before its create request goes back to its batch's queue: the batch sends it
    /// (or does not, when paused or cancelled). True when the job is a batch's (even when the write failed:
    /// it is then left for the next start, never sent around its batch).
    fn back_to_batch(&self, id: &str) -> bool {
        match self.inner.store.batch_of(id) {
            Ok(None) => false,
            Ok(Some(batch)) => {
                match self.inner.store.hold_unsent(id) {
                    Ok(()) => self.announce(id),
                    Err(e) => {
                        tracing::error!(job = id, batch, kind = e.kind(), error = %e, "batch job not put back")
                    }
                }
                true
            }
            Err(e) => {
                tracing::error!(job = id, kind = e.kind(), error = %e, "batch of the job not read");
                true
            }
        }
    }

    /// Writes and announces; a failed write is logged (the job stays as it was and is retried next start).
    pub(super) fn record(
        &self,
        id: &str,
        write: impl FnOnce(&crate::store::Store, &str) -> Result<(), crate::store::StoreError>,
    ) {
        match write(&self.inner.store, id) {
            Ok(()) => self.announce(id),
            Err(e) => tracing::error!(job = id, kind = e.kind(), error = %e, "job not updated"),
        }
    }

    /// The user decided an uncertain job did not start a task.
    pub fn mark_failed(&self, id: &str) -> Result<JobRecord, JobError> {
        let job = self.inner.store.get_job(id)?;
        if job.status != JobStatus::SubmissionUncertain {
            return Err(JobError::NotUncertain {
                id: id.to_owned(),
                status: job.status,
            });
        }
        self.inner
            .store
            .set_failed(id, MARKED_FAILED, &marked_failed())?;
        self.announce(id);
        Ok(self.inner.store.get_job(id)?)
    }

    /// Submits a settled job's request again as a NEW job (`retry_of` = `id`; a batch job's copy takes its
    /// place in the batch). Only on the user's explicit, confirmed request: for an uncertain job this may
    /// pay for a second task. Refused for a job with a live task and for one already submitted again (the
    /// rule is `store::may_resubmit`). Like a new job, one that would pass a day's or month's spend limit
    /// is asked about first ([`JobError::SpendLimit`]) unless `spend` is the user's yes to that.
    pub async fn resubmit(&self, id: &str, spend: SpendConsent) -> Result<JobRecord, JobError> {
        let job = self.inner.store.get_job(id)?;
        if !job.status.is_settled() {
            return Err(JobError::NotSettled {
                id: id.to_owned(),
                status: job.status,
            });
        }
        if let Some(again) = job.resubmitted_as {
            return Err(StoreError::AlreadyResubmitted {
                id: id.to_owned(),
                again,
            }
            .into());
        }
        if !job.can_resubmit {
            return Err(JobError::NotResubmittable { id: id.to_owned() });
        }
        // The user confirmed this repeat: it is not refused as a duplicate. It pays for a new generation,
        // so the spend limits are asked like any new job's.
        let again = self
            .submit_new(
                job.request,
                job.tokens_estimate,
                Some(job.id),
                Intent::Repeat,
                Some(spend),
            )
            .await?;
        // The original changed too: it now names its copy and may not be submitted again. Views that
        // show it learn that now, not at their next reload (a stale row still offered Submit again).
        self.announce(id);
        self.reopen_batch_of(&again.id);
        Ok(again)
    }

    /// Deletes the record; the video file only when `delete_file` (the file is the user's either way).
    ///
    /// The file is deleted only for a finished job and only while it is still that job's video (see
    /// [`JobRunner::own_video`]); otherwise nothing is deleted, the record included, and the error says why.
    /// A job waiting in a running or paused batch is refused like Send and Discard: its batch sends it, or
    /// the batch's Cancel gives it up.
    pub fn delete(&self, id: &str, delete_file: bool) -> Result<(), JobError> {
        if self.is_active(id) || self.held_elsewhere(id) {
            return Err(JobError::Busy { id: id.to_owned() });
        }
        let job = self.inner.store.get_job(id)?;
        self.in_batch(&job)?;
        let video = if delete_file {
            match self.own_video(&job)? {
                Some(path) => Some(path),
                None => return Err(JobError::NotOwnVideo { id: id.to_owned() }),
            }
        } else {
            None
        };
        self.inner.store.delete_job(id)?;
        self.inner.events.job_removed(id);
        // A partial download kept for resuming is ours, not the user's: it goes with the record. (A
        // finished job has none; its name may since belong to a newer job's download.)
        if job.status != JobStatus::Done {
            if let Some(planned) = job.output_path.as_deref() {
                super::run_part::clear_leftovers(Path::new(planned));
            }
        }
        if let Some(path) = video {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(JobError::DeleteFile { path, source }),
            }
        }
        Ok(())
    }

    /// The job's video file, if it is still the one the job saved: the job is done, no other job names
    /// that path (after this video was removed by hand, a newer download may have taken the free name),
    /// and what is there is a regular file, not a link or a folder. A missing file is `Some`: there is
    /// nothing to delete, and nothing of anyone else's either.
    fn own_video(&self, job: &JobRecord) -> Result<Option<PathBuf>, JobError> {
        let (JobStatus::Done, Some(path)) = (job.status, job.output_path.as_deref()) else {
            return Ok(None);
        };
        if self
            .inner
            .store
            .output_path_claimed_by_other(&job.id, path)?
        {
            return Ok(None);
        }
        let path = PathBuf::from(path);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) => Ok(meta.is_file().then_some(path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Some(path)),
            Err(source) => Err(JobError::DeleteFile { path, source }),
        }
    }

    /// Asks a failed job's task again and downloads its video (a fresh link comes with the answer): for
    /// downloads that failed or whose link expired. Never creates a task.
    pub fn retry_download(&self, id: &str) -> Result<JobRecord, JobError> {
        if self.is_active(id) {
            return Err(JobError::Busy { id: id.to_owned() });
        }
        let job = self.inner.store.get_job(id)?;
        let task_failed = job.problem.as_ref().is_some_and(|p| p.kind == TASK_FAILED);
        let task_id = match (&job.task_id, job.status) {
            (Some(task_id), JobStatus::Failed) if !task_failed => task_id.clone(),
            _ => return Err(JobError::NothingToDownload { id: id.to_owned() }),
        };
        // Held before the job is unfinished again: another process pressing the same button waits.
        if !self.take_lease(id) {
            return Err(JobError::Busy { id: id.to_owned() });
        }
        if let Err(e) = self.inner.store.set_status(id, JobStatus::Downloading) {
            self.give_back_unless_running(id);
            return Err(e.into());
        }
        self.announce(id);
        self.spawn(id, Plan::FromTask(task_id));
        self.reopen_batch_of(id);
        Ok(self.inner.store.get_job(id)?)
    }

    /// A job of a finished batch runs again: the batch shows as running until it ends, then finishes
    /// again (its feeder watches it), instead of saying "finished" over a running job.
    fn reopen_batch_of(&self, job_id: &str) {
        match self.inner.store.reopen_finished_batch_of(job_id) {
            Ok(Some(batch)) => {
                tracing::info!(batch = %batch, job = job_id, "finished batch runs again for a retried job");
                let _ = self.announce_batch(&batch);
                self.feed(&batch);
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(job = job_id, error = %e, "batch of a retried job not reopened")
            }
        }
    }
}
