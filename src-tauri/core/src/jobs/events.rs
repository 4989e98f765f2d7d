//! What the runner tells the app (and through it the UI) as jobs move.

use crate::pipeline::TransferStage;
use crate::store::{BatchRecord, JobRecord};

/// Called after the change is in the store, never before: a UI that re-reads the store on an event sees
/// at least what the event says. Calls come from the jobs' tasks; keep them cheap (forward to a channel).
pub trait JobEvents: Send + Sync {
    /// The job's record changed (or was created).
    fn job_changed(&self, job: &JobRecord);

    /// Bytes moved by the job's current upload or download; throttled by the runner.
    fn progress(&self, id: &str, stage: TransferStage, done: f64, total: Option<f64>);

    /// The record was deleted by the user.
    fn job_removed(&self, id: &str) {
        let _ = id;
    }

    /// A batch was stored, or its state changed (its counts change with its jobs' `job_changed`).
    fn batch_changed(&self, batch: &BatchRecord) {
        let _ = batch;
    }
}

/// Tells nobody: tools and tests that read the store instead.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoEvents;

impl JobEvents for NoEvents {
    fn job_changed(&self, _job: &JobRecord) {}

    fn progress(&self, _id: &str, _stage: TransferStage, _done: f64, _total: Option<f64>) {}
}
