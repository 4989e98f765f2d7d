//! The clips of a timeline named by job: each job's saved video, named for editors by its file name.

use std::path::Path;

use super::{TimelineClip, TimelineError};
use crate::store::Store;

/// The saved videos of `job_ids`, in that order. A job that is not done, has no video or whose video
/// is gone is refused by name: a timeline with a hole in it would cut the story short without a word.
pub fn clips_of_jobs(
    store: &Store,
    job_ids: &[String],
) -> Result<Vec<TimelineClip>, TimelineError> {
    job_ids
        .iter()
        .map(|id| {
            let path = store
                .finished_video(id)
                .map_err(|e| TimelineError::History {
                    detail: e.to_string(),
                })?
                .filter(|p| p.is_file())
                .ok_or_else(|| TimelineError::NoVideo { job: id.clone() })?;
            Ok(TimelineClip {
                name: name_of(&path),
                path,
            })
        })
        .collect()
}

fn name_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
