//! Where a batch's videos are: the folder of its first video on disk, else the output folder the settings
//! name now (the batch has no video yet, and its jobs will save there).

use std::path::PathBuf;

use super::{BatchRunError, JobRunner};
use crate::store::JobStatus;

impl JobRunner {
    pub fn batch_output_folder(&self, id: &str) -> Result<PathBuf, BatchRunError> {
        self.batch(id)?;
        let first_video = self
            .inner
            .store
            .batch_members(id)?
            .into_iter()
            .filter(|m| m.job.status == JobStatus::Done)
            .find_map(|m| m.job.output_path)
            .and_then(|p| PathBuf::from(p).parent().map(PathBuf::from));
        Ok(first_video.unwrap_or_else(|| self.prefs().output_dir))
    }
}
