//! Taking a new job: every check that can refuse it happens before the row is written, and the row is
//! written before anything goes over the network.

use std::path::PathBuf;

use super::run::Plan;
use super::{JobError, JobRunner};
use crate::images::{intake, FrameInfo, IntakeOptions};
use crate::pipeline::PipelineError;
use crate::request::{FrameSlot, RequestDraft, ValidRequest};
use crate::store::{JobRecord, NewJob, Thumbnail};

impl JobRunner {
    /// Validates the request (refusing with every problem), checks its local frames, stores the job as
    /// uploading, announces it and starts its run. Returns as soon as the job is stored.
    pub async fn submit(
        &self,
        draft: RequestDraft,
        tokens_estimate: Option<u32>,
    ) -> Result<JobRecord, JobError> {
        self.submit_new(draft, tokens_estimate, None).await
    }

    pub(super) async fn submit_new(
        &self,
        draft: RequestDraft,
        tokens_estimate: Option<u32>,
        retry_of: Option<String>,
    ) -> Result<JobRecord, JobError> {
        let request = draft.validate().map_err(JobError::Invalid)?;
        let connection = self.inner.connections.current().await?;
        self.ensure_history_is_saved(connection.demo)?;
        let frames = check_frames(&request).await?;
        let thumb = |slot: FrameSlot| {
            frames
                .iter()
                .find(|(s, _)| *s == slot)
                .and_then(|(_, info)| Thumbnail::from_data_url(&info.thumbnail_data_url).ok())
        };
        let job = self.inner.store.insert_job(NewJob {
            request: request.to_draft(),
            first_thumb: thumb(FrameSlot::First),
            last_thumb: thumb(FrameSlot::Last),
            tokens_estimate,
            demo: connection.demo,
            retry_of,
        })?;
        tracing::info!(job = %job.id, demo = job.demo, "job submitted");
        self.inner.events.job_changed(&job);
        self.spawn(&job.id, Plan::Fresh);
        Ok(job)
    }
}

fn is_web_address(frame: &str) -> bool {
    let frame = frame.trim();
    frame.starts_with("https://") || frame.starts_with("http://")
}

/// Reads every local frame (decoding is CPU work: a blocking thread) and refuses the first one that is
/// unreadable or outside the model's limits. Frames given as web addresses are not fetched.
async fn check_frames(request: &ValidRequest) -> Result<Vec<(FrameSlot, FrameInfo)>, JobError> {
    let mut checked = Vec::new();
    for (slot, frame) in [
        (FrameSlot::First, request.first_frame()),
        (FrameSlot::Last, request.last_frame()),
    ] {
        let Some(frame) = frame.filter(|f| !is_web_address(f)) else {
            continue;
        };
        let path = PathBuf::from(frame);
        let info = tokio::task::spawn_blocking(move || intake(&path, &IntakeOptions::default()))
            .await
            .map_err(|e| PipelineError::Io(std::io::Error::other(e)))?
            .map_err(|source| PipelineError::Frame { slot, source })?;
        if !info.is_acceptable() {
            return Err(PipelineError::FrameOutOfLimits {
                slot,
                problems: info.problems,
            }
            .into());
        }
        checked.push((slot, info));
    }
    Ok(checked)
}
