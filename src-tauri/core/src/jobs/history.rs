//! Live jobs need a history that survives the app: a paid task that only lived in memory would be lost
//! (and paid again) after a quit or crash.

use super::{JobError, JobRunner};

impl JobRunner {
    /// Refuses a live submission while the history is not saved to disk (the database could not be
    /// opened and the app fell back to memory). Demo jobs cost nothing and may go on.
    pub(super) fn ensure_history_is_saved(&self, demo: bool) -> Result<(), JobError> {
        if demo || self.inner.store.is_persistent() {
            Ok(())
        } else {
            Err(JobError::HistoryNotSaved)
        }
    }
}
