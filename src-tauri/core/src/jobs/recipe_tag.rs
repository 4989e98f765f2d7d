//! The last step before a finished download is put in place: its recipe goes into its metadata (see
//! [`crate::recipe`]). The recipe is built from the job's stored record, so it says what the job asked
//! for, never anything the record does not hold (the token is never in it). The download file is
//! rewritten through a flushed `.part` of its own (`<video>.<runner>.part.part`, which no later run
//! continues and which goes with the run files once the video is in place) and renamed over itself, so
//! a crash leaves either the plain download or the tagged one, both whole; and a failure only costs the
//! recipe: the plain video is put in place as it came, and the failure is logged.

use std::path::{Path, PathBuf};

use crate::api::TaskId;
use crate::recipe::{write_recipe, Recipe};
use crate::request::FrameSlot;
use crate::store::Store;

/// Writes job `id`'s recipe into `download`, bound for `dest`. `checked` are the frames this run read
/// before uploading them, with the SHA-256 of their bytes; `task` the task id this run knows (the record
/// may not hold it yet). Never fails: see the module's doc.
///
/// When `dest` already holds exactly the plain download, an earlier run put it there and was stopped
/// before recording it (or before recipes were written): it is left untagged, so that putting in place
/// recognises it (see `run_part::place_once`) instead of saving the video a second time.
pub(super) fn tag_download(
    store: &Store,
    id: &str,
    download: &Path,
    dest: &Path,
    checked: &[(PathBuf, String)],
    task: Option<TaskId>,
) {
    if super::run_part::same_bytes(download, dest).unwrap_or(false) {
        tracing::info!(
            job = id,
            "the plain video is already in place; no recipe written"
        );
        return;
    }
    let mut job = match store.get_job(id) {
        Ok(job) => job,
        Err(e) => {
            tracing::warn!(job = id, error = %e, "recipe not written: the job could not be read");
            return;
        }
    };
    if job.task_id.is_none() {
        job.task_id = task;
    }
    let hash = |slot: FrameSlot| {
        let (given, url) = match slot {
            FrameSlot::First => (&job.request.first_frame, &job.first_frame_url),
            FrameSlot::Last => (&job.request.last_frame, &job.last_frame_url),
        };
        let given = given.as_deref()?;
        checked
            .iter()
            .find(|(path, _)| path == Path::new(given))
            .map(|(_, sha)| sha.clone())
            .or_else(|| {
                // A resumed run read no frames: the upload cache knows what was sent to that address.
                store
                    .uploaded_sha256(url.as_deref()?)
                    .inspect_err(|e| tracing::debug!(job = id, error = %e, "upload cache"))
                    .ok()
                    .flatten()
            })
    };
    let recipe = Recipe::from_job(&job, [hash(FrameSlot::First), hash(FrameSlot::Last)]);
    if let Err(e) = write_recipe(download, download, &recipe) {
        tracing::warn!(job = id, error = %e, "recipe not written; the video is kept without it");
    }
}
