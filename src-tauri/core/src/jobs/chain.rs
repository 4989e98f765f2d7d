//! Chained jobs: a job whose first frame is the last frame of another job's clip waits, not sent, in its
//! batch until that job is done; then its feeder takes the frame from the clip on disk (the picture the
//! viewer saw last, not the frame that was requested), writes it where the job's request expects it
//! (atomically: a crash leaves either no file or the whole picture), checks it like any picked frame, and
//! only then lets the job be sent. Nothing is sent while its first frame does not exist.
//!
//! A job whose source can never finish (failed, or deleted from history), or whose source clip gives no
//! frame, is failed without being sent (nothing was paid) with a message saying what to do.

use std::path::{Path, PathBuf};

use super::submit::check_frame;
use super::JobRunner;
use crate::i18n::{Message, UserFacing};
use crate::request::FrameSlot;
use crate::store::{JobRecord, JobStatus, StoreError, Thumbnail};

/// Where a waiting job stands with its chain.
pub(super) enum Chain {
    /// Not chained, or its first frame is on disk and checked: it may be sent.
    Ready,
    /// Its source is still being made.
    Waiting,
    /// It can never be sent: failed with this message.
    Broken(Message),
}

/// What a job fails with when its chain is broken.
pub const CHAIN_BROKEN: &str = "sequence_chain_broken";

impl JobRunner {
    /// Whether `job` may be sent now as far as its chain goes, writing its first frame when its source
    /// has just finished.
    pub(super) async fn chain_ready(&self, job: &JobRecord) -> Result<Chain, StoreError> {
        let store = &self.inner.store;
        let Some(link) = store.chain_of(&job.id)? else {
            return Ok(Chain::Ready);
        };
        let source = match store.get_job(&link.source_job) {
            Ok(source) => source,
            Err(StoreError::NotFound { .. }) => {
                return Ok(Chain::Broken(Message::new("msg.sequence.source_deleted")))
            }
            Err(e) => return Err(e),
        };
        let clip = match (source.status, source.output_path) {
            (JobStatus::Done, Some(clip)) => PathBuf::from(clip),
            (JobStatus::Failed | JobStatus::Done, _) => {
                return Ok(Chain::Broken(Message::new("msg.sequence.source_failed")))
            }
            _ => return Ok(Chain::Waiting),
        };
        let frame = PathBuf::from(&link.frame_path);
        if !frame.exists() {
            let (from, to) = (clip.clone(), frame.clone());
            let written = tokio::task::spawn_blocking(move || write_last_frame(&from, &to))
                .await
                .unwrap_or_else(|e| {
                    Err(Message::new("msg.sequence.frame_failed").arg("reason", e.to_string()))
                });
            if let Err(message) = written {
                tracing::warn!(job = %job.id, source = %link.source_job, "last frame not taken from the clip");
                return Ok(Chain::Broken(message));
            }
            tracing::info!(job = %job.id, source = %link.source_job, "chained first frame written");
        }
        match check_frame(FrameSlot::First, frame).await {
            Ok(info) => {
                if !job.has_first_thumb {
                    if let Ok(thumb) = Thumbnail::from_data_url(&info.thumbnail_data_url) {
                        store.set_first_thumb(&job.id, &thumb)?;
                    }
                }
                Ok(Chain::Ready)
            }
            Err(e) => Ok(Chain::Broken(e.msg())),
        }
    }
}

/// The clip's last shown frame as a PNG at `to`.
fn write_last_frame(clip: &Path, to: &Path) -> Result<(), Message> {
    let frame = crate::film::frame::extract_frame(clip, crate::film::frame::FramePick::Last)
        .map_err(|e| e.msg())?;
    crate::film::frame::write_png(&frame.image, to).map_err(|e| e.msg())
}
