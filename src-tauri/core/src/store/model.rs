//! The typed shapes of the job store: what goes in, what comes out, and what to do with an unfinished job.

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::{JobStatus, StoreError};
use crate::api::TaskId;
use crate::i18n::Message;
use crate::request::RequestDraft;

/// A small preview of a frame, kept with the job so history still shows it after the original moves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thumbnail(Vec<u8>);

impl Thumbnail {
    /// Only JPEG and PNG: the webview shows them as data URLs, and the MIME type is read back from the bytes.
    pub fn new(bytes: Vec<u8>) -> Result<Self, StoreError> {
        if mime_of(&bytes).is_some() {
            Ok(Self(bytes))
        } else {
            Err(StoreError::InvalidThumbnail)
        }
    }

    /// From a `data:image/…;base64,…` URL, as the image intake makes for previews.
    pub fn from_data_url(url: &str) -> Result<Self, StoreError> {
        let (_, b64) = url
            .strip_prefix("data:")
            .and_then(|rest| rest.split_once(";base64,"))
            .ok_or(StoreError::InvalidThumbnail)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|_| StoreError::InvalidThumbnail)?;
        Self::new(bytes)
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    pub fn mime(&self) -> &'static str {
        mime_of(&self.0).unwrap_or("application/octet-stream")
    }

    pub fn to_data_url(&self) -> String {
        let encoded = base64::engine::general_purpose::STANDARD.encode(&self.0);
        format!("data:{};base64,{encoded}", self.mime())
    }
}

fn mime_of(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

/// A job as it is saved before anything leaves the machine. Frames are taken from the request: a local
/// path is kept as `first_frame_path`, an `http(s)` URL as `first_frame_url` (nothing to upload).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewJob {
    pub request: RequestDraft,
    pub first_thumb: Option<Thumbnail>,
    pub last_thumb: Option<Thumbnail>,
    pub tokens_estimate: Option<u32>,
    /// Run against the built-in simulated service.
    pub demo: bool,
    /// The job this one repeats, when the user submits again knowingly.
    pub retry_of: Option<String>,
}

/// Why a job failed or became uncertain, as shown to the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct JobProblem {
    /// The `UserFacing::kind` of the error.
    pub kind: String,
    pub message: Message,
    /// The technical cause in its own words (e.g. an OS error), for a Details disclosure; never shown as the
    /// message.
    pub cause: Option<String>,
}

/// Why polling a job's task is not getting answers right now, while the job keeps waiting (it is never
/// failed for it): the service cannot be reached, or it refuses the token. Kept by the runner, not the
/// database: the next poll after a restart finds out again. Cleared by the next poll that is answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct PollTrouble {
    /// `service_unreachable`, `service_trouble`, `token_refused`, `no_token` or `service_unavailable`.
    pub kind: String,
    pub message: Message,
    /// The raw cause (transport or HTTP detail), shown only behind "Details".
    pub details: Option<String>,
    /// When the app asks the service again (unix ms).
    #[specta(type = Option<f64>)]
    pub next_try_at: Option<i64>,
}

/// Whether the user may knowingly submit a settled job again as a new (paid) job: never while a live
/// task exists for it (its video can still be had for free), never twice for the same job.
pub fn may_resubmit(
    status: JobStatus,
    task_id: Option<&TaskId>,
    problem_kind: Option<&str>,
    resubmitted_as: Option<&str>,
) -> bool {
    if resubmitted_as.is_some() {
        return false;
    }
    match status {
        JobStatus::SubmissionUncertain => true,
        JobStatus::Failed => match task_id {
            None => true,
            // The task itself failed at the service, or its video is confirmed gone.
            Some(_) => matches!(problem_kind, Some(TASK_FAILED | RESULT_GONE)),
        },
        _ => false,
    }
}

/// Problem kind of a task the service reports failed.
pub const TASK_FAILED: &str = "task_failed";
/// Problem kind of a video the service no longer serves, even after a fresh link was asked for.
pub const RESULT_GONE: &str = "result_link_expired";

/// One job. Times are unix milliseconds. Thumbnails are data URLs from [`super::Store::get_job`] only:
/// list views leave them out (a page of 50 jobs would otherwise carry megabytes) and say whether one
/// exists, for [`super::Store::thumbnail`] to fetch lazily.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct JobRecord {
    pub id: String,
    #[specta(type = f64)]
    pub created_at: i64,
    #[specta(type = f64)]
    pub updated_at: i64,
    pub status: JobStatus,
    pub request: RequestDraft,
    pub prompt: String,
    /// `text_to_video`, `first_frame` or `first_last_frame`.
    pub mode: Option<String>,
    pub resolution: String,
    pub ratio: String,
    pub duration: i32,
    pub first_frame_path: Option<String>,
    pub last_frame_path: Option<String>,
    pub first_frame_url: Option<String>,
    pub last_frame_url: Option<String>,
    /// When the earliest uploaded frame URL expires.
    #[specta(type = Option<f64>)]
    pub uploads_expire_at: Option<i64>,
    /// Set before the create request may leave the machine.
    #[specta(type = Option<f64>)]
    pub create_sent_at: Option<i64>,
    pub task_id: Option<TaskId>,
    /// The status word the service last used, for diagnostics.
    pub task_status_raw: Option<String>,
    pub video_url: Option<String>,
    pub output_path: Option<String>,
    #[specta(type = f64)]
    pub bytes_done: i64,
    #[specta(type = Option<f64>)]
    pub bytes_total: Option<i64>,
    pub tokens_estimate: Option<u32>,
    pub problem: Option<JobProblem>,
    pub demo: bool,
    pub retry_of: Option<String>,
    #[specta(type = Option<f64>)]
    pub finished_at: Option<i64>,
    pub has_first_thumb: bool,
    pub has_last_thumb: bool,
    pub first_thumb: Option<String>,
    pub last_thumb: Option<String>,
    /// The job submitted again from this one, if any.
    pub resubmitted_as: Option<String>,
    /// The one rule for offering "Submit again" ([`may_resubmit`]).
    pub can_resubmit: bool,
    /// Set while polls of its task are not being answered (see [`PollTrouble`]).
    pub poll_trouble: Option<PollTrouble>,
    /// The batch the job belongs to, if any.
    pub batch: Option<JobBatch>,
}

/// A batch job's batch and place in it, read with the job (the Jobs screen names and filters by it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct JobBatch {
    pub id: String,
    pub name: String,
    /// 1-based, as in the plan and the review table.
    pub item: u32,
    /// 1-based take of the item.
    pub take: u32,
}

impl JobRecord {
    pub fn resume_action(&self) -> ResumeAction {
        resume_action(self)
    }
}

/// Where a page of the newest-first list ends; pass it back as [`JobQuery::before`] for the next page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct JobCursor {
    #[specta(type = f64)]
    pub created_at: i64,
    #[specta(type = f64)]
    pub seq: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct JobQuery {
    /// Every whitespace-separated term must occur in the prompt (substring, case-insensitive).
    pub search: Option<String>,
    pub status: Option<JobStatus>,
    /// Page size; 0 means [`DEFAULT_PAGE`], larger than [`MAX_PAGE`] is capped.
    pub limit: u32,
    pub before: Option<JobCursor>,
    /// Only the jobs of this batch (its id).
    pub batch: Option<String>,
}

pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 500;

impl JobQuery {
    pub(crate) fn page_size(&self) -> u32 {
        match self.limit {
            0 => DEFAULT_PAGE,
            n => n.min(MAX_PAGE),
        }
    }
}

/// One page of the newest-first list; `next` is `None` on the last page.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct JobPage {
    pub jobs: Vec<JobRecord>,
    pub next: Option<JobCursor>,
}

/// What to do on start-up with a job that was not settled when the app last stopped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ResumeAction {
    /// The create request was never sent: run the job again from the upload.
    RestartUpload,
    /// A task exists: keep polling it.
    PollTask { task_id: TaskId },
    /// The task finished and its video was being downloaded.
    Download { task_id: TaskId, url: String },
    /// The create request may have reached the service but no task id came back: never re-send it
    /// automatically; the user decides.
    MarkUncertain,
    /// Done, failed or already uncertain.
    Nothing,
}

/// The money rule decides first: once `create_sent_at` is set, only a known task id lets the job go on.
pub fn resume_action(job: &JobRecord) -> ResumeAction {
    if job.status.is_settled() {
        return ResumeAction::Nothing;
    }
    match (&job.task_id, job.create_sent_at) {
        (Some(task_id), _) => match (&job.video_url, job.status) {
            (Some(url), JobStatus::Downloading) => ResumeAction::Download {
                task_id: task_id.clone(),
                url: url.clone(),
            },
            _ => ResumeAction::PollTask {
                task_id: task_id.clone(),
            },
        },
        (None, Some(_)) => ResumeAction::MarkUncertain,
        // A job never marked as sent did not send its create request (the mark is written before it).
        (None, None) => ResumeAction::RestartUpload,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn thumbnails_accept_jpeg_and_png_only() {
        let jpeg = Thumbnail::new(vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2]).unwrap();
        assert_eq!(jpeg.mime(), "image/jpeg");
        let url = jpeg.to_data_url();
        assert!(url.starts_with("data:image/jpeg;base64,"));
        assert_eq!(Thumbnail::from_data_url(&url).unwrap(), jpeg);
        let png = Thumbnail::new(b"\x89PNG\r\n\x1a\nrest".to_vec()).unwrap();
        assert_eq!(png.mime(), "image/png");
        for bad in [&b"GIF89a"[..], b"", b"\xFF\xD8"] {
            assert!(matches!(
                Thumbnail::new(bad.to_vec()),
                Err(StoreError::InvalidThumbnail)
            ));
        }
        assert!(Thumbnail::from_data_url("data:image/png;base64,!!").is_err());
        assert!(Thumbnail::from_data_url("https://x/a.png").is_err());
    }

    #[test]
    fn page_size_defaults_and_caps() {
        let q = |limit| JobQuery {
            limit,
            ..JobQuery::default()
        };
        assert_eq!(q(0).page_size(), DEFAULT_PAGE);
        assert_eq!(q(7).page_size(), 7);
        assert_eq!(q(100_000).page_size(), MAX_PAGE);
    }
}
