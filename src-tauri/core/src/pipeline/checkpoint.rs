//! The hooks a caller (the job store) gets at every step of a run, and the byte-progress callback.
//!
//! Hooks are awaited before the pipeline moves on, so whatever a hook persists is on disk before the next
//! step can happen: in particular `before_create` runs before the paid create request may leave the machine
//! and `task_created` runs the moment the task id arrives.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::api::{TaskId, TaskState, Uploaded};
use crate::images::FrameInfo;
use crate::request::{CreateBody, FrameSlot};

use super::PipelineError;

/// Why a hook refused to let the run go on (e.g. the job could not be written).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CheckpointError(pub String);

impl From<String> for CheckpointError {
    fn from(detail: String) -> Self {
        Self(detail)
    }
}

impl From<&str> for CheckpointError {
    fn from(detail: &str) -> Self {
        Self(detail.to_owned())
    }
}

pub type HookResult = Result<(), CheckpointError>;
/// Boxed so `dyn Checkpoint` works and the run stays `Send` when spawned.
pub type HookFuture<'a> = Pin<Box<dyn Future<Output = HookResult> + Send + 'a>>;
/// Where a finished download went, or why it did not go there.
pub type PlaceFuture<'a> =
    Pin<Box<dyn Future<Output = Result<PathBuf, PipelineError>> + Send + 'a>>;

fn proceed<'a>() -> HookFuture<'a> {
    Box::pin(std::future::ready(Ok(())))
}

/// Called in this order: `frames_checked` → `uploaded` per local frame → `before_create` → `task_created`
/// → `status` whenever the task's status changes → `downloading` → `download_file` → `put_in_place` →
/// `finished`. A resumed run starts at
/// `status`. Any `Err` stops the run with [`super::PipelineError::Checkpoint`].
///
/// `before_create` and `task_created` have no default: they are where a paid task is protected, so every
/// implementation decides about them deliberately.
pub trait Checkpoint: Send + Sync {
    /// Every local frame was read and is within the model's limits (first frame first); empty for text→video.
    fn frames_checked<'a>(&'a self, frames: &'a [FrameInfo]) -> HookFuture<'a> {
        let _ = frames;
        proceed()
    }

    /// One frame is uploaded (or was found in the upload cache).
    fn uploaded<'a>(&'a self, slot: FrameSlot, upload: &'a Uploaded) -> HookFuture<'a> {
        let _ = (slot, upload);
        proceed()
    }

    /// The create request may be sent once this returns `Ok`; on `Err` it is not sent.
    fn before_create<'a>(&'a self, body: &'a CreateBody) -> HookFuture<'a>;

    /// The service accepted the task: a paid task now exists under this id.
    fn task_created<'a>(&'a self, id: &'a TaskId) -> HookFuture<'a>;

    /// Queries of the task are failing (`Some`) and the poll loop keeps trying, or are answered again
    /// (`None`). Never stops a paid task's run by default.
    fn poll_trouble<'a>(&'a self, trouble: Option<&'a QueryTrouble>) -> HookFuture<'a> {
        let _ = trouble;
        proceed()
    }

    /// A poll saw a new status (including the final done or failed one).
    fn status<'a>(&'a self, state: &'a TaskState) -> HookFuture<'a> {
        let _ = state;
        proceed()
    }

    /// The task is done and its video is about to be downloaded; bytes are reported through [`ProgressFn`].
    fn downloading(&self) -> HookFuture<'_> {
        proceed()
    }

    /// The file the video is downloaded into before it is put in place: `<dest>.part` by default, resumed
    /// from what it holds. A caller whose runs of one job may overlap (two processes sharing a history)
    /// gives each run a file of its own, so no two runs ever write one file.
    fn download_file(&self, dest: &Path) -> Result<PathBuf, PipelineError> {
        Ok(crate::api::part_path(dest)?)
    }

    /// The download in `part` is complete: puts it in place as `dest` (or a free numbered name beside it,
    /// never replacing a file) and says where it went. A caller that may lose the right to finish the job
    /// meanwhile checks that right in the same step, so a run that lost it never puts a file in place.
    fn put_in_place<'a>(&'a self, part: &'a Path, dest: &'a Path) -> PlaceFuture<'a> {
        let (part, dest) = (part.to_path_buf(), dest.to_path_buf());
        Box::pin(async move {
            let placed =
                tokio::task::spawn_blocking(move || crate::api::place_download(&part, &dest))
                    .await
                    .map_err(std::io::Error::other)??;
            crate::api::sync_parent_dir(&placed).await;
            Ok(placed)
        })
    }

    /// The video is complete under its final name.
    fn finished<'a>(&'a self, path: &'a Path) -> HookFuture<'a> {
        let _ = path;
        proceed()
    }
}

/// Persists nothing: for runs whose state nobody keeps (demo clips, tools).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoCheckpoint;

impl Checkpoint for NoCheckpoint {
    fn before_create<'a>(&'a self, _body: &'a CreateBody) -> HookFuture<'a> {
        proceed()
    }

    fn task_created<'a>(&'a self, _id: &'a TaskId) -> HookFuture<'a> {
        proceed()
    }
}

/// A failed query of a task that the poll loop will repeat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryTrouble {
    /// The error's `UserFacing::kind`.
    pub error_kind: &'static str,
    /// No answer at all (network down, timeout), as opposed to an answer that was an error.
    pub unreachable: bool,
    /// The raw cause, for "Details" and logs.
    pub detail: String,
    /// When the loop asks again.
    pub retry_in: Duration,
}

/// Which transfer a progress report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TransferStage {
    UploadFirstFrame,
    UploadLastFrame,
    Download,
}

impl TransferStage {
    pub fn upload_of(slot: FrameSlot) -> Self {
        match slot {
            FrameSlot::First => Self::UploadFirstFrame,
            FrameSlot::Last => Self::UploadLastFrame,
        }
    }
}

/// Bytes moved so far. Byte counts are `f64` because the UI's bindings cannot carry 64-bit integers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct TransferProgress {
    pub stage: TransferStage,
    pub done_bytes: f64,
    /// `None` when the host does not say how big the file is.
    pub total_bytes: Option<f64>,
}

/// Called from transfer tasks, often; keep it cheap (e.g. forward to a channel).
pub type ProgressFn = Arc<dyn Fn(TransferProgress) + Send + Sync>;

/// A progress callback that ignores every report.
pub fn no_progress() -> ProgressFn {
    Arc::new(|_| {})
}
