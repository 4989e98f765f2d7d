//! Writes that keep a user from paying twice by accident: storing a job unless an identical one was just
//! stored, and holding back a job that was never sent until the user decides.

use std::time::Duration;

use rusqlite::{OptionalExtension, TransactionBehavior};

use super::jobs::{insert_row, Step};
use super::{new_id, JobRecord, JobStatus, LeaseHolder, NewJob, Store, StoreError};
use crate::i18n::Message;

/// What [`Store::insert_job_once`] did.
#[derive(Clone, Debug, PartialEq)]
pub enum Inserted {
    New(JobRecord),
    /// Nothing was stored: this job, with the same fingerprint, was stored within the window.
    Duplicate(JobRecord),
}

impl Store {
    /// Stores `job` with its `fingerprint` unless a job with the same fingerprint was stored within
    /// `window` (`None`: the user asked for a repeat, store it anyway). A job that failed before its create
    /// request left cost nothing and does not count: pressing Generate again is then the natural retry.
    ///
    /// The check and the insert are one IMMEDIATE transaction: two calls at once (threads, or two
    /// processes sharing the database) store one job. A job with `retry_of` takes its original's place in
    /// its batch, if the original was a batch's.
    pub fn insert_job_once(
        &self,
        job: NewJob,
        fingerprint: &str,
        window: Option<Duration>,
    ) -> Result<Inserted, StoreError> {
        self.insert_job_once_held(job, fingerprint, window, None)
    }

    /// [`Store::insert_job_once`], the new job's lease taken by `holder` in the same transaction: no other
    /// process sharing the history can see it unfinished and unheld before its run starts.
    pub fn insert_job_once_held(
        &self,
        job: NewJob,
        fingerprint: &str,
        window: Option<Duration>,
        holder: Option<&LeaseHolder>,
    ) -> Result<Inserted, StoreError> {
        let id = new_id();
        let now = self.now_ms();
        let existing = {
            let mut conn = self.conn();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let existing: Option<String> = match window {
                Some(window) => {
                    let since =
                        now.saturating_sub(i64::try_from(window.as_millis()).unwrap_or(i64::MAX));
                    tx.query_row(
                        "SELECT id FROM jobs WHERE fingerprint = ?1 AND created_at >= ?2
                             AND NOT (status = 'failed' AND create_sent_at IS NULL)
                         ORDER BY created_at DESC, seq DESC LIMIT 1",
                        rusqlite::params![fingerprint, since],
                        |r| r.get(0),
                    )
                    .optional()?
                }
                None => None,
            };
            if existing.is_none() {
                insert_row(&tx, &id, now, &job, Some(fingerprint))?;
                if let Some(me) = holder {
                    tx.execute(
                        "INSERT INTO leases (subject, owner, pid, host, heartbeat_at)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        rusqlite::params![id, me.owner, me.pid, me.host, now],
                    )?;
                }
                if let Some(original) = &job.retry_of {
                    // A batch job submitted again takes its original's place (item and take) in the
                    // batch, in the same write: the batch counts, exports and lists its latest try.
                    tx.execute(
                        "UPDATE batch_jobs SET job_id = ?1 WHERE job_id = ?2",
                        rusqlite::params![id, original],
                    )?;
                }
                tx.commit()?;
            }
            existing
        };
        match existing {
            Some(existing) => Ok(Inserted::Duplicate(self.get_job(&existing)?)),
            None => Ok(Inserted::New(self.get_job(&id)?)),
        }
    }

    /// An uploading job whose create request never left waits for the user as not sent.
    pub fn hold_unsent(&self, id: &str) -> Result<(), StoreError> {
        let step = Step {
            set: "status = 'not_sent'",
            params: &[],
            from: JobStatus::NotSent.predecessors(),
            also: "AND create_sent_at IS NULL AND task_id IS NULL",
            durable: false,
        };
        self.step(id, step, Self::illegal(id, JobStatus::NotSent))
    }

    /// The user sends a not-sent job: it starts again from its upload. Only one caller can win, so two
    /// clicks (or two processes) start one run and at most one create request. Never a job waiting in its
    /// running or paused batch: the batch sends it ([`Store::release_batch_job`]).
    pub fn release_unsent(&self, id: &str) -> Result<(), StoreError> {
        let step = Step {
            set: "status = 'uploading', bytes_done = 0, bytes_total = NULL",
            params: &[],
            from: &[JobStatus::NotSent],
            also: "AND create_sent_at IS NULL AND NOT EXISTS (
                       SELECT 1 FROM batch_jobs JOIN batches ON batches.id = batch_id
                       WHERE job_id = jobs.id AND state IN ('running', 'paused'))",
            durable: false,
        };
        self.step(id, step, Self::illegal(id, JobStatus::Uploading))
    }

    /// The user gives up on a not-sent job: it is kept as failed (`kind`, `message`), so history still
    /// shows what was asked for and Use settings still works. Never a job waiting in its running or
    /// paused batch: cancelling the batch does that.
    pub fn discard_unsent(
        &self,
        id: &str,
        kind: &str,
        message: &Message,
    ) -> Result<(), StoreError> {
        let step = Step {
            set: "status = 'failed', error_kind = ?3, error_message = ?4, finished_at = ?1",
            params: &[&kind, &super::row::message_json(message)],
            from: &[JobStatus::NotSent],
            also: "AND NOT EXISTS (
                       SELECT 1 FROM batch_jobs JOIN batches ON batches.id = batch_id
                       WHERE job_id = jobs.id AND state IN ('running', 'paused'))",
            durable: false,
        };
        self.step(id, step, Self::illegal(id, JobStatus::Failed))
    }

    /// Every job waiting as not sent, oldest first. A batch's jobs waiting for their turn are not among
    /// them: their batch sends them (or is paused or cancelled by the user), not the start-up notice.
    pub fn not_sent_jobs(&self) -> Result<Vec<JobRecord>, StoreError> {
        self.jobs_oldest_first(
            "status = 'not_sent' AND NOT EXISTS (
                 SELECT 1 FROM batch_jobs JOIN batches ON batches.id = batch_id
                 WHERE job_id = jobs.id AND state IN ('running', 'paused'))",
        )
    }
}
