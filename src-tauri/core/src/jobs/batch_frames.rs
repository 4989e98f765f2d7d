//! The frame check before a batch starts: every local frame of the batch's jobs through
//! [`crate::batch::check_frames`] (all cores, a bounded number of decodes at once, each distinct file once),
//! then read back job by job in item order, so the refusal names the same item, with the same error, as
//! checking the jobs one after another would.
//!
//! The run stops early once a frame fails and every frame before it (in job order) has been checked:
//! nothing after it can change which item is refused.

use std::ops::ControlFlow;
use std::path::PathBuf;

use super::submit::{accept_frame, is_web_address};
use super::JobError;
use crate::batch::{check_frames, CheckOptions};
use crate::images::{FrameInfo, ImageError};
use crate::pipeline::PipelineError;
use crate::request::{FrameSlot, ValidRequest};

/// The checked frames of a batch's jobs, taken job by job with [`BatchFrames::of_job`].
pub(super) struct BatchFrames {
    /// Per job, its local frames in slot order: the slot and the frame's position in `checks`.
    jobs: Vec<Vec<(FrameSlot, usize)>>,
    /// Per frame (each job's local frames, in job order), which of `outcomes` is its file's check; `None`
    /// when the run stopped before it.
    checks: Vec<Option<usize>>,
    /// Per distinct file, its check.
    outcomes: Vec<Option<Result<FrameInfo, ImageError>>>,
}

impl BatchFrames {
    /// Checks the local frames (not web addresses) of `requests`, in parallel, except the first frames of
    /// the requests marked in `chained` (written later, from another job's clip).
    pub(super) async fn check(requests: &[ValidRequest], chained: &[bool]) -> Self {
        let mut jobs = Vec::with_capacity(requests.len());
        let mut paths = Vec::new();
        for (at, request) in requests.iter().enumerate() {
            let mut frames = Vec::new();
            let first = request
                .first_frame()
                .filter(|_| !chained.get(at).copied().unwrap_or(false));
            for (slot, frame) in [
                (FrameSlot::First, first),
                (FrameSlot::Last, request.last_frame()),
            ] {
                if let Some(frame) = frame.filter(|f| !is_web_address(f)) {
                    frames.push((slot, paths.len()));
                    paths.push(PathBuf::from(frame));
                }
            }
            jobs.push(frames);
        }
        let mut checks = vec![None; paths.len()];
        let mut outcomes = Vec::new();
        let mut first_failure = usize::MAX;
        let mut unresolved = 0;
        check_frames(&paths, &CheckOptions::default(), |check| {
            let fails = !matches!(&check.result, Ok(info) if info.is_acceptable());
            if fails {
                first_failure = first_failure.min(check.indices[0]);
            }
            for &i in &check.indices {
                checks[i] = Some(outcomes.len());
            }
            outcomes.push(Some(check.result));
            while checks.get(unresolved).is_some_and(Option::is_some) {
                unresolved += 1;
            }
            if unresolved >= first_failure {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .await;
        Self {
            jobs,
            checks,
            outcomes,
        }
    }

    /// The frames of job `job` (its position in the requests checked), or the refusal of its first frame
    /// that cannot be sent. A refusal is given once: the batch stops at it.
    pub(super) fn of_job(&mut self, job: usize) -> Result<Vec<(FrameSlot, FrameInfo)>, JobError> {
        let mut checked = Vec::new();
        for &(slot, at) in self.jobs.get(job).into_iter().flatten() {
            let Some(outcome) = self.checks.get(at).copied().flatten() else {
                // Only frames after the first refusal go unchecked, and that refusal comes first.
                return Err(PipelineError::Io(std::io::Error::other("frame not checked")).into());
            };
            let Some(result) = self.outcomes.get_mut(outcome).and_then(Option::take) else {
                return Err(PipelineError::Io(std::io::Error::other("frame refused")).into());
            };
            let info = accept_frame(slot, result)?;
            self.outcomes[outcome] = Some(Ok(info.clone()));
            checked.push((slot, info));
        }
        Ok(checked)
    }
}
