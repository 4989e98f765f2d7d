//! Taking a new job: every check that can refuse it happens before the row is written, and the row is
//! written before anything goes over the network. An accidental repeat (a double click, a held key, two
//! front ends) of a job stored moments ago is refused, atomically, unless the caller says it is intended.

use std::path::PathBuf;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::error::DuplicateSubmission;
use super::run::Plan;
use super::{JobError, JobRunner, SpendConsent};
use crate::cost::estimate;
use crate::images::{intake, FrameInfo, ImageError, IntakeOptions};
use crate::pipeline::PipelineError;
use crate::request::{FrameSlot, RequestDraft, ValidRequest};
use crate::spend::{SpendDecision, SpendKind, SpendTotal};
use crate::store::{Inserted, JobRecord, NewJob, Thumbnail};

/// How long after a job is stored an identical submission counts as an accidental repeat. Double clicks,
/// held keys and "did it take?" presses come within seconds; someone who wants a second take of the same
/// request usually waits for the first video, which takes a minute or two to make and fetch. Ten minutes
/// covers a slow upload plus that wait, and a deliberate repeat inside it costs one confirmation, while a
/// wrong guess the other way costs a paid task.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(10 * 60);

/// Whether a repeat of a recent identical job is what the user wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// A plain submission: refused as a duplicate within [`DUPLICATE_WINDOW`].
    Once,
    /// The user confirmed they want another video from the same request.
    Repeat,
}

impl JobRunner {
    /// [`JobRunner::submit_with`] a plain submission: a repeat of a recent identical job is refused.
    pub async fn submit(
        &self,
        draft: RequestDraft,
        tokens_estimate: Option<u32>,
    ) -> Result<JobRecord, JobError> {
        self.submit_with(draft, tokens_estimate, Intent::Once).await
    }

    /// Validates the request (refusing with every problem), checks its local frames, stores the job as
    /// uploading (unless an identical job was stored within [`DUPLICATE_WINDOW`] and `intent` is not
    /// [`Intent::Repeat`]), announces it and starts its run. Returns as soon as the job is stored.
    pub async fn submit_with(
        &self,
        draft: RequestDraft,
        tokens_estimate: Option<u32>,
        intent: Intent,
    ) -> Result<JobRecord, JobError> {
        self.submit_checked(draft, tokens_estimate, intent, SpendConsent::NotGiven)
            .await
    }

    /// [`JobRunner::submit_with`], after the spend limits: a job that would take today's or this month's
    /// spend past its limit is refused with the question ([`JobError::SpendLimit`]), nothing stored or
    /// sent, unless `spend` is the user's yes to it. Checked against the job's highest estimate: the
    /// larger of `tokens_estimate` (what the form showed) and the backend's own for this request.
    pub async fn submit_checked(
        &self,
        draft: RequestDraft,
        tokens_estimate: Option<u32>,
        intent: Intent,
        spend: SpendConsent,
    ) -> Result<JobRecord, JobError> {
        self.submit_new(draft, tokens_estimate, None, intent, Some(spend))
            .await
    }

    pub(super) async fn submit_new(
        &self,
        draft: RequestDraft,
        tokens_estimate: Option<u32>,
        retry_of: Option<String>,
        intent: Intent,
        spend: Option<SpendConsent>,
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
        let fingerprint = fingerprint(&request, &frames, connection.demo)?;
        let window = match intent {
            Intent::Once => Some(DUPLICATE_WINDOW),
            Intent::Repeat => None,
        };
        let new_job = NewJob {
            request: request.to_draft(),
            first_thumb: thumb(FrameSlot::First),
            last_thumb: thumb(FrameSlot::Last),
            tokens_estimate,
            demo: connection.demo,
            retry_of,
        };
        // The spend decision and the insert it allows, in one turn (see `spend_gate`).
        let inserted = {
            let _turn = self.spend_turn();
            if let (Some(consent), false) = (spend, connection.demo) {
                let aspect = frames
                    .iter()
                    .find(|(slot, _)| *slot == FrameSlot::First)
                    .map(|(_, info)| info.aspect);
                let settings = request.settings();
                let decision = self.check_spend_limits(
                    SpendKind::Job,
                    |rates| {
                        let tokens = estimate(settings, aspect, rates)
                            .tokens_max
                            .max(tokens_estimate.unwrap_or(0));
                        SpendTotal::of(
                            u64::from(tokens),
                            rates.cost_of(tokens, settings.generate_audio),
                            1,
                        )
                    },
                    consent,
                )?;
                match decision {
                    SpendDecision::Ok => {}
                    SpendDecision::Ask(question) => {
                        tracing::info!("submission waits for a yes to passing a spend limit");
                        return Err(JobError::SpendLimit(question));
                    }
                    SpendDecision::Refuse(message) => {
                        return Err(JobError::OverSpendLimit { message });
                    }
                }
            }
            self.inner.store.insert_job_once_held(
                new_job,
                &fingerprint,
                window,
                Some(&self.inner.holder),
            )?
        };
        let job = match inserted {
            Inserted::New(job) => job,
            Inserted::Duplicate(existing) => {
                let now = self.inner.store.now_ms();
                let seconds_ago = u64::try_from(now.saturating_sub(existing.created_at) / 1000)
                    .unwrap_or_default();
                tracing::info!(existing = %existing.id, seconds_ago, "identical submission refused");
                return Err(JobError::DuplicateSubmission(DuplicateSubmission {
                    job_id: existing.id,
                    stored_at: existing.created_at,
                    seconds_ago,
                }));
            }
        };
        tracing::info!(job = %job.id, demo = job.demo, "job submitted");
        self.inner.events.job_changed(&job);
        if !self.spawn(&job.id, Plan::Fresh) {
            self.not_started_after_submit(&job.id);
        }
        Ok(job)
    }

    /// The new job's run could not start (its lease could not be taken: the database could not be asked).
    /// Unless another process drives it, it waits as not sent, for the user to send it, instead of sitting
    /// "uploading" with nobody working on it. Nothing was sent, so nothing is paid twice.
    fn not_started_after_submit(&self, id: &str) {
        if self.held_elsewhere(id) && self.inner.store.lease(id).is_ok() {
            return;
        }
        match self.inner.store.hold_unsent(id) {
            Ok(()) => {
                tracing::warn!(job = id, "run could not start; the job waits as not sent");
                self.announce(id);
            }
            Err(e) => {
                tracing::error!(job = id, error = %e, "run could not start; job not held back")
            }
        }
    }
}

/// SHA-256 of the request as it would be sent, with each local frame replaced by the SHA-256 of its
/// bytes (the same path may hold another picture, and a copy elsewhere the same one), and whether it runs
/// in demo mode (a free demo job must not hold back a paid one).
pub(super) fn fingerprint(
    request: &ValidRequest,
    frames: &[(FrameSlot, FrameInfo)],
    demo: bool,
) -> Result<String, JobError> {
    fingerprint_of(request.to_draft(), frames, demo)
}

/// [`fingerprint`] of a job whose first frame will be another job's last frame: the frame is named by
/// `chain` (where it comes from), as its content does not exist yet. The same sequence run planned twice
/// has the same fingerprints, so a double click is refused like any other repeat.
pub(super) fn fingerprint_chained(
    request: &ValidRequest,
    frames: &[(FrameSlot, FrameInfo)],
    demo: bool,
    chain: &str,
) -> Result<String, JobError> {
    let mut draft = request.to_draft();
    draft.first_frame = Some(format!("chain:{chain}"));
    fingerprint_of(draft, frames, demo)
}

fn fingerprint_of(
    mut draft: crate::request::RequestDraft,
    frames: &[(FrameSlot, FrameInfo)],
    demo: bool,
) -> Result<String, JobError> {
    for (slot, info) in frames {
        let content = Some(format!("sha256:{}", info.content_sha256));
        match slot {
            FrameSlot::First => draft.first_frame = content,
            FrameSlot::Last => draft.last_frame = content,
        }
    }
    let bytes = serde_json::to_vec(&(draft, demo))
        .map_err(|e| PipelineError::Io(std::io::Error::other(e)))?;
    Ok(hex::encode(Sha256::digest(bytes)))
}

pub(super) fn is_web_address(frame: &str) -> bool {
    let frame = frame.trim();
    frame.starts_with("https://") || frame.starts_with("http://")
}

/// Reads every local frame (decoding is CPU work: a blocking thread) and refuses the first one that is
/// unreadable or outside the model's limits. Frames given as web addresses are not fetched.
pub(super) async fn check_frames(
    request: &ValidRequest,
) -> Result<Vec<(FrameSlot, FrameInfo)>, JobError> {
    let mut checked = Vec::new();
    for (slot, frame) in [
        (FrameSlot::First, request.first_frame()),
        (FrameSlot::Last, request.last_frame()),
    ] {
        let Some(frame) = frame.filter(|f| !is_web_address(f)) else {
            continue;
        };
        checked.push((slot, check_frame(slot, PathBuf::from(frame)).await?));
    }
    Ok(checked)
}

/// Reads one local frame on a blocking thread and refuses it when unreadable or outside the model's limits.
/// Bytes checked earlier in this process (the frame picked, `seedance generate` pricing it) are read and
/// hashed but not decoded again ([`intake`]).
pub(super) async fn check_frame(slot: FrameSlot, path: PathBuf) -> Result<FrameInfo, JobError> {
    let checked = tokio::task::spawn_blocking(move || intake(&path, &IntakeOptions::default()))
        .await
        .map_err(|e| PipelineError::Io(std::io::Error::other(e)))?;
    accept_frame(slot, checked)
}

/// A frame's check as a job sees it: refused when unreadable or outside the model's limits.
pub(super) fn accept_frame(
    slot: FrameSlot,
    checked: Result<FrameInfo, ImageError>,
) -> Result<FrameInfo, JobError> {
    let info = checked.map_err(|source| PipelineError::Frame { slot, source })?;
    if !info.is_acceptable() {
        return Err(PipelineError::FrameOutOfLimits {
            slot,
            problems: info.problems,
        }
        .into());
    }
    Ok(info)
}
