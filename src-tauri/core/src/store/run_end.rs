//! The writes that end a run, guarded in their own statement: a run whose lease was taken over (and that
//! has not noticed yet) writes nothing, and a run that did not itself send the create never fails a job
//! whose create was sent without a task id on record. Such a job may have a paid task (sent by another
//! process, or by an earlier run that crashed); failing it would show a plain failure, leave it out of the
//! spend, and let "Retry failed" pay again.

use std::path::{Path, PathBuf};

use rusqlite::TransactionBehavior;

use super::jobs::Step;
use super::row::message_json;
use super::status::sql_list;
use super::{JobStatus, Store, StoreError};
use crate::i18n::{Message, UserFacing};

/// Why [`Store::finish_run`] put nothing in place.
#[derive(Debug, thiserror::Error)]
pub enum FinishError {
    /// `owner` no longer holds the job's lease (another process took it over), or the job is past its
    /// download: the file is not this run's to put in place.
    #[error("the job's lease was lost")]
    NotHeld,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
}

impl From<rusqlite::Error> for FinishError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Store(e.into())
    }
}

/// The lease check every run-ending write carries (`?2` is the job id).
const LEASED: &str = "AND EXISTS (SELECT 1 FROM leases WHERE subject = ?2 AND owner = ?6)";
/// [`LEASED`], and never over a create that was sent and has no task id.
const LEASED_NOT_SENT_ELSEWHERE: &str =
    "AND EXISTS (SELECT 1 FROM leases WHERE subject = ?2 AND owner = ?6)
     AND (create_sent_at IS NULL OR task_id IS NOT NULL)";

impl Store {
    /// [`Store::fail_with`], only while `owner` holds the job's lease; when `sent_create` is false (the
    /// run did not send the job's create itself), also only if no create was sent without a task id.
    pub fn fail_run(
        &self,
        id: &str,
        error: &dyn UserFacing,
        owner: &str,
        sent_create: bool,
    ) -> Result<(), StoreError> {
        let kind = error.kind();
        let message = message_json(&error.msg());
        let cause = error.raw_cause();
        let step = Step {
            set: "status = 'failed', error_kind = ?3, error_message = ?4, error_cause = ?5, finished_at = ?1",
            params: &[&kind, &message, &cause, &owner],
            from: JobStatus::Failed.predecessors(),
            also: if sent_create {
                LEASED
            } else {
                LEASED_NOT_SENT_ELSEWHERE
            },
            durable: false,
        };
        self.step(id, step, Self::illegal(id, JobStatus::Failed))
    }

    /// Puts a run's finished download in place (`put`, which says where the file went) and records the job
    /// done there, only while `owner` holds the job's lease. The check, the move and the record happen
    /// inside one write transaction: a lease is only ever taken over by a write, which waits for this one,
    /// so a run whose job another process took over (while this run stalled) can never put a second video
    /// in place, and a job is never done without its file. A record that cannot be committed after the
    /// move gives the file back (`take_back`). `put` is told whether another job records `dest` as its
    /// video (then a file there is that job's, never this one's).
    pub fn finish_run(
        &self,
        id: &str,
        owner: &str,
        dest: &Path,
        put: impl FnOnce(bool) -> std::io::Result<PathBuf>,
        take_back: impl FnOnce(&Path),
    ) -> Result<PathBuf, FinishError> {
        let from = sql_list(JobStatus::Done.predecessors());
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let holds: bool = tx.query_row(
            &format!(
                "SELECT EXISTS (SELECT 1 FROM jobs WHERE id = ?1 AND status IN ({from})
                    AND EXISTS (SELECT 1 FROM leases WHERE subject = ?1 AND owner = ?2))"
            ),
            rusqlite::params![id, owner],
            |r| r.get(0),
        )?;
        if !holds {
            return Err(FinishError::NotHeld);
        }
        let anothers: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM jobs WHERE output_path = ?1 AND id <> ?2)",
            rusqlite::params![dest.to_string_lossy(), id],
            |r| r.get(0),
        )?;
        let placed = put(anothers)?;
        let now = self.now_ms();
        let recorded = tx
            .execute(
                &format!(
                    "UPDATE jobs SET status = 'done', output_path = ?3, finished_at = ?1, \
                     error_kind = NULL, error_message = NULL, error_cause = NULL, updated_at = ?1
                     WHERE id = ?2 AND status IN ({from})"
                ),
                rusqlite::params![now, id, placed.to_string_lossy()],
            )
            .map_err(StoreError::from)
            .and_then(|_| tx.commit().map_err(StoreError::from));
        match recorded {
            Ok(()) => Ok(placed),
            Err(e) => {
                take_back(&placed);
                Err(e.into())
            }
        }
    }

    /// [`Store::set_uncertain`] (with an optional technical cause), only while `owner` holds the lease.
    pub fn uncertain_run(
        &self,
        id: &str,
        reason: &Message,
        cause: Option<&str>,
        owner: &str,
    ) -> Result<(), StoreError> {
        let message = message_json(reason);
        let step = Step {
            set: "status = 'submission_uncertain', error_kind = 'submission_uncertain', \
                  error_message = ?3, error_cause = ?4, finished_at = ?1",
            params: &[&message, &cause, &owner],
            from: JobStatus::SubmissionUncertain.predecessors(),
            also: "AND EXISTS (SELECT 1 FROM leases WHERE subject = ?2 AND owner = ?5)",
            durable: false,
        };
        self.step(id, step, Self::illegal(id, JobStatus::SubmissionUncertain))
    }

    /// [`Store::hold_unsent`], only while `owner` holds the lease.
    pub fn hold_unsent_run(&self, id: &str, owner: &str) -> Result<(), StoreError> {
        let step = Step {
            set: "status = 'not_sent'",
            params: &[&owner],
            from: JobStatus::NotSent.predecessors(),
            also: "AND create_sent_at IS NULL AND task_id IS NULL
                   AND EXISTS (SELECT 1 FROM leases WHERE subject = ?2 AND owner = ?3)",
            durable: false,
        };
        self.step(id, step, Self::illegal(id, JobStatus::NotSent))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::{LeaseHolder, NewJob};

    fn holder(owner: &str) -> LeaseHolder {
        LeaseHolder {
            owner: owner.into(),
            pid: 0,
            host: String::new(),
        }
    }

    #[test]
    fn run_ending_writes_need_the_lease_and_spare_a_create_sent_elsewhere() {
        let store = Store::open_in_memory().unwrap();
        let job = store.insert_job(NewJob::default()).unwrap();
        let crash = crate::jobs::JobError::RunCrashed { task_known: false };
        let reason = crash.msg();
        assert!(store.acquire_lease(&job.id, &holder("b"), 0).unwrap());
        store.mark_create_sent_leased(&job.id, "b").unwrap();
        // Not a's lease: nothing is written.
        assert!(store.uncertain_run(&job.id, &reason, None, "a").is_err());
        assert!(store
            .acquire_lease(&job.id, &holder("a"), i64::MAX)
            .unwrap());
        // a holds it now but did not send the create: never failed, may become uncertain.
        assert!(store.fail_run(&job.id, &crash, "a", false).is_err());
        assert_eq!(
            store.get_job(&job.id).unwrap().status,
            JobStatus::Submitting
        );
        store.uncertain_run(&job.id, &reason, None, "a").unwrap();
        assert_eq!(
            store.get_job(&job.id).unwrap().status,
            JobStatus::SubmissionUncertain
        );
    }
}
