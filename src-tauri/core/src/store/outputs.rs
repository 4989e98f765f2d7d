//! Finished videos, looked up by job id for whoever serves them (the inline player's loopback source).

use std::path::PathBuf;

use rusqlite::OptionalExtension;

use super::{JobStatus, Store, StoreError};

impl Store {
    /// The stored file of a job that is done; `None` for an unknown job, one not done yet, or one without a
    /// file. Reads two columns only: a player asks once per range request, and a full record carries thumbnails.
    pub fn finished_video(&self, id: &str) -> Result<Option<PathBuf>, StoreError> {
        let row: Option<(String, Option<String>)> = self
            .conn()
            .query_row(
                "SELECT status, output_path FROM jobs WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.and_then(|(status, path)| {
            (JobStatus::parse(&status) == Some(JobStatus::Done))
                .then_some(path)
                .flatten()
                .map(PathBuf::from)
        }))
    }
}
