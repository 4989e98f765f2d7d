//! Start-up resume and what the user can do with a job: mark it failed, submit it again, delete it,
//! fetch its video again.

use std::path::Path;

use serde::Serialize;

use super::run::Plan;
use super::{ConnectionError, JobError, JobRunner};
use crate::api::part_path;
use crate::i18n::{Msg, UserFacing};
use crate::store::{JobRecord, JobStatus, ResumeAction, StoreError, TASK_FAILED};

/// What [`JobRunner::resume_all`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct ResumeSummary {
    /// Runs started again from the upload (the create request had not been sent).
    pub restarted: u32,
    /// Runs picking up a known task.
    pub resumed: u32,
    /// Jobs whose create request may have been sent without a task id coming back.
    pub uncertain: u32,
    /// Demo jobs failed because the demo service is gone.
    pub demo_ended: u32,
}

/// Kind of the problem recorded when the user gives up on an uncertain job.
pub const MARKED_FAILED: &str = "marked_failed";

fn interrupted_create() -> Msg {
    Msg::new(
        "The app stopped while the request to start this video was on its way, so it is unknown whether SinanCode started (and charged for) it. Check the task list or bill in your SinanCode account; if no task was started, choose Submit again.",
        "应用在发送生成请求的过程中停止了，因此无法确定 SinanCode 是否已开始（并计费）该任务。请在 SinanCode 账户的任务列表或账单中核实；如果没有开始任务，请选择“重新提交”。",
    )
}

fn marked_failed() -> Msg {
    Msg::new(
        "You marked this job as failed. If SinanCode did start its task, it is not tracked here; submit the job again only if you want another video.",
        "您已将该任务标记为失败。如果 SinanCode 实际上已开始该任务，本应用不会再跟踪它；只有在需要另一段视频时才重新提交。",
    )
}

impl JobRunner {
    /// Picks up every unfinished job, e.g. on start. A create request whose outcome is unknown is never
    /// sent again: such a job becomes submission uncertain. Safe to call again later (e.g. once a token
    /// is set): jobs already running are left alone.
    pub async fn resume_all(&self) -> Result<ResumeSummary, JobError> {
        let mut summary = ResumeSummary::default();
        for job in self.inner.store.unfinished_jobs()? {
            if self.is_active(&job.id) {
                continue;
            }
            if job.demo {
                if let Err(ConnectionError::DemoEnded) = self.inner.connections.for_job(true).await
                {
                    self.record(&job.id, |store, id| {
                        store.fail_with(id, &ConnectionError::DemoEnded)
                    });
                    summary.demo_ended += 1;
                    continue;
                }
            }
            match job.resume_action() {
                ResumeAction::RestartUpload => {
                    if self.spawn(&job.id, Plan::Fresh) {
                        summary.restarted += 1;
                    }
                }
                ResumeAction::PollTask { task_id } | ResumeAction::Download { task_id, .. } => {
                    if self.spawn(&job.id, Plan::FromTask(task_id)) {
                        summary.resumed += 1;
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
        }
        tracing::info!(?summary, "unfinished jobs picked up");
        Ok(summary)
    }

    /// Writes and announces; a failed write is logged (the job stays as it was and is retried next start).
    fn record(
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

    /// Submits a settled job's request again as a NEW job (`retry_of` = `id`). Only on the user's
    /// explicit, confirmed request: for an uncertain job this may pay for a second task. Refused for a
    /// job with a live task and for one already submitted again (the rule is `store::may_resubmit`).
    pub async fn resubmit(&self, id: &str) -> Result<JobRecord, JobError> {
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
        self.submit_new(job.request, job.tokens_estimate, Some(job.id))
            .await
    }

    /// Deletes the record; the video file only when `delete_file` (the file is the user's either way).
    pub fn delete(&self, id: &str, delete_file: bool) -> Result<(), JobError> {
        if self.is_active(id) {
            return Err(JobError::Busy { id: id.to_owned() });
        }
        let job = self.inner.store.get_job(id)?;
        self.inner.store.delete_job(id)?;
        self.inner.events.job_removed(id);
        // A partial download kept for resuming is ours, not the user's: it goes with the record. (A
        // finished job has none; its name may since belong to a newer job's download.)
        if job.status != JobStatus::Done {
            if let Some(part) = job
                .output_path
                .as_deref()
                .and_then(|p| part_path(Path::new(p)).ok())
            {
                let _ = std::fs::remove_file(part);
            }
        }
        if let (true, Some(path)) = (delete_file, job.output_path) {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(JobError::DeleteFile {
                        path: path.into(),
                        source,
                    })
                }
            }
        }
        Ok(())
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
        self.inner.store.set_status(id, JobStatus::Downloading)?;
        self.announce(id);
        self.spawn(id, Plan::FromTask(task_id));
        Ok(self.inner.store.get_job(id)?)
    }
}
