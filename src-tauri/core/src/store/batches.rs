//! Batches: rows that group jobs. A batch and all its jobs are written in one transaction before any
//! create request is sent; its jobs wait as `not_sent` until the batch's feeder takes them, one guarded
//! write each that also requires the batch to be running (so each is taken at most once, and none after
//! a pause or cancel has committed). Pausing and cancelling are single transactions over the batch row and
//! its jobs that have not sent their create: a create mark that commits first wins and that job goes on;
//! every later one is refused because its job is no longer uploading.

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::batch_model::{
    BatchCounts, BatchInserted, BatchRecord, BatchRefusal, BatchState, Cancelled, NewBatch,
    NewBatchJob, BATCH_CANCELLED,
};
use super::jobs::{insert_row, Step};
use super::row::{job_from_row, message_json, JOB_COLUMNS};
use super::{new_id, JobRecord, JobStatus, Store, StoreError};
use crate::i18n::Message;

const BATCH_COLUMNS: &str =
    "id, name, created_at, source, state, tokens_min, tokens_max, demo, paused_reason";

/// A job that a run has taken but whose create request is not sent (nor waiting as not sent).
const PREPARING: &str = "status = 'uploading' AND create_sent_at IS NULL AND task_id IS NULL";

fn counts(conn: &Connection, id: &str) -> Result<BatchCounts, StoreError> {
    let sql = format!(
        "SELECT coalesce(sum(status = 'not_sent'), 0),
                coalesce(sum(status IN ('uploading', 'submitting', 'queued', 'running', 'downloading')), 0),
                coalesce(sum(status = 'done'), 0),
                coalesce(sum(status = 'failed' AND coalesce(error_kind, '') <> '{BATCH_CANCELLED}'), 0),
                coalesce(sum(status = 'submission_uncertain'), 0),
                coalesce(sum(status = 'failed' AND error_kind = '{BATCH_CANCELLED}'), 0)
         FROM jobs JOIN batch_jobs ON job_id = jobs.id WHERE batch_id = ?1"
    );
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    Ok(conn.query_row(&sql, [id], |r| {
        Ok(BatchCounts {
            queued: n(r.get(0)?),
            running: n(r.get(1)?),
            done: n(r.get(2)?),
            failed: n(r.get(3)?),
            uncertain: n(r.get(4)?),
            not_sent: n(r.get(5)?),
        })
    })?)
}

fn read_batch(conn: &Connection, id: &str) -> Result<Option<BatchRecord>, StoreError> {
    let sql = format!("SELECT {BATCH_COLUMNS} FROM batches WHERE id = ?1");
    let row = conn
        .query_row(&sql, [id], |r| {
            let tokens = |i: usize| -> rusqlite::Result<u64> {
                Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or_default())
            };
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                tokens(5)?,
                tokens(6)?,
                r.get::<_, bool>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })
        .optional()?;
    let Some((id, name, created_at, source, state, tokens_min, tokens_max, demo, paused_reason)) =
        row
    else {
        return Ok(None);
    };
    let paused_reason = paused_reason
        .map(|json| serde_json::from_str::<Message>(&json))
        .transpose()
        .map_err(|e| StoreError::Corrupt {
            detail: format!("batch paused_reason: {e}"),
        })?;
    // A label stored as plain text (batches from before labels were messages) is shown as it is.
    let source = serde_json::from_str::<Message>(&source)
        .unwrap_or_else(|_| Message::new("msg.batch_source.text").arg("text", source));
    let state = BatchState::parse(&state).ok_or_else(|| StoreError::Corrupt {
        detail: format!("unknown batch state {state:?}"),
    })?;
    let counts = counts(conn, &id)?;
    Ok(Some(BatchRecord {
        id,
        name,
        created_at,
        source,
        state,
        tokens_min,
        tokens_max,
        demo,
        counts,
        paused_reason,
        waiting: None,
    }))
}

fn state_of(conn: &Connection, id: &str) -> Result<BatchRefusal, StoreError> {
    let word: Option<String> = conn
        .query_row("SELECT state FROM batches WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(match word.as_deref().and_then(BatchState::parse) {
        Some(state) => BatchRefusal::State(state),
        None => BatchRefusal::NotFound,
    })
}

/// `UPDATE batches` to `to` when its state is in `from`; the refusal says why not.
fn set_state(
    conn: &Connection,
    id: &str,
    now: i64,
    from: &[BatchState],
    to: BatchState,
) -> Result<Result<(), BatchRefusal>, StoreError> {
    let from = from
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE batches SET state = ?3, updated_at = ?2, paused_reason = NULL
         WHERE id = ?1 AND state IN ({from})"
    );
    if conn.execute(&sql, rusqlite::params![id, now, to.as_str()])? == 1 {
        return Ok(Ok(()));
    }
    Ok(Err(state_of(conn, id)?))
}

/// The body of [`Store::insert_batch`], inside the caller's transaction (which also writes a sequence's
/// links with it: [`Store::insert_batch_linked`]).
pub(super) fn insert_batch_in(
    tx: &rusqlite::Transaction<'_>,
    now: i64,
    batch: &NewBatch,
    jobs: &[NewBatchJob],
    window: Option<Duration>,
) -> Result<BatchInserted, StoreError> {
    let id = new_id();
    if let Some(window) = window {
        let since = now.saturating_sub(i64::try_from(window.as_millis()).unwrap_or(i64::MAX));
        let existing: Option<String> = tx
            .query_row(
                "SELECT id FROM batches WHERE fingerprint = ?1 AND created_at >= ?2
                 ORDER BY created_at DESC, seq DESC LIMIT 1",
                rusqlite::params![batch.fingerprint, since],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(existing) = existing {
            let record = read_batch(tx, &existing)?.ok_or(StoreError::NotFound { id: existing })?;
            return Ok(BatchInserted::Duplicate(record));
        }
    }
    let tokens = |t: u64| i64::try_from(t).unwrap_or(i64::MAX);
    tx.execute(
        "INSERT INTO batches (id, name, created_at, updated_at, source, state, tokens_min, tokens_max,
             total_json, demo, fingerprint)
         VALUES (?1, ?2, ?3, ?3, ?4, 'running', ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![
            id,
            batch.name,
            now,
            batch.source,
            tokens(batch.tokens_min),
            tokens(batch.tokens_max),
            batch.total_json,
            batch.demo,
            batch.fingerprint,
        ],
    )?;
    for job in jobs {
        let job_id = new_id();
        insert_row(tx, &job_id, now, &job.job, Some(&job.fingerprint))?;
        tx.execute(
            "UPDATE jobs SET status = 'not_sent' WHERE id = ?1",
            [&job_id],
        )?;
        tx.execute(
            "INSERT INTO batch_jobs (job_id, batch_id, item, take, output) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![job_id, id, job.item, job.take, job.output],
        )?;
    }
    let record = read_batch(tx, &id)?.ok_or(StoreError::NotFound { id: id.clone() })?;
    Ok(BatchInserted::New(record))
}

impl Store {
    /// Stores the batch and every one of its jobs (waiting as not sent) in one transaction, so either all
    /// of it is stored before anything is sent or nothing is. Refused as [`BatchInserted::Duplicate`] when
    /// a batch with the same fingerprint was stored within `window` (`None`: the user asked for it again).
    pub fn insert_batch(
        &self,
        batch: &NewBatch,
        jobs: &[NewBatchJob],
        window: Option<Duration>,
    ) -> Result<BatchInserted, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let inserted = insert_batch_in(&tx, self.now_ms(), batch, jobs, window)?;
        tx.commit()?;
        Ok(inserted)
    }

    pub fn get_batch(&self, id: &str) -> Result<Option<BatchRecord>, StoreError> {
        read_batch(&self.conn(), id)
    }

    /// The batch's state alone (no counts): what a feeder reads on every look.
    pub fn batch_state(&self, id: &str) -> Result<Option<BatchState>, StoreError> {
        Ok(match state_of(&self.conn(), id)? {
            BatchRefusal::State(state) => Some(state),
            BatchRefusal::NotFound => None,
        })
    }

    /// Whether the batch runs against the demo service (`None`: no such batch).
    pub fn batch_demo(&self, id: &str) -> Result<Option<bool>, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT demo FROM batches WHERE id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    /// Every batch, newest first, with its counts.
    pub fn list_batches(&self) -> Result<Vec<BatchRecord>, StoreError> {
        let conn = self.conn();
        let ids: Vec<String> = conn
            .prepare_cached("SELECT id FROM batches ORDER BY created_at DESC, seq DESC")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.iter()
            .filter_map(|id| read_batch(&conn, id).transpose())
            .collect()
    }

    /// Ids of the batches in `state`, oldest first.
    pub fn batches_in_state(&self, state: BatchState) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let ids = conn
            .prepare_cached("SELECT id FROM batches WHERE state = ?1 ORDER BY created_at, seq")?
            .query_map([state.as_str()], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// The batch a job belongs to, if any.
    pub fn batch_of(&self, job_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT batch_id FROM batch_jobs WHERE job_id = ?1",
                [job_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The batch job's own output name (its item's, rendered), if it has one.
    pub fn batch_job_output(&self, job_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT output FROM batch_jobs WHERE job_id = ?1",
                [job_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Up to `limit` of the batch's jobs waiting for their turn, in item and take order.
    pub fn queued_batch_jobs(&self, id: &str, limit: u32) -> Result<Vec<JobRecord>, StoreError> {
        self.batch_jobs_where(id, "status = 'not_sent'", limit)
    }

    /// The batch's jobs that a run has taken but whose create request is not sent yet.
    pub fn preparing_batch_jobs(&self, id: &str) -> Result<Vec<JobRecord>, StoreError> {
        // Few jobs are uploading at any time, and a batch may hold thousands: `+batch_id` keeps SQLite
        // from walking the batch's links, so it starts from the jobs' status index instead.
        self.batch_jobs_where_by(id, PREPARING, u32::MAX, "+batch_id")
    }

    /// Every job of the batch, in item and take order.
    pub fn batch_jobs(&self, id: &str) -> Result<Vec<JobRecord>, StoreError> {
        self.batch_jobs_where(id, "1", u32::MAX)
    }

    /// `condition` is fixed SQL, never user input.
    fn batch_jobs_where(
        &self,
        id: &str,
        condition: &str,
        limit: u32,
    ) -> Result<Vec<JobRecord>, StoreError> {
        self.batch_jobs_where_by(id, condition, limit, "batch_id")
    }

    /// `batch` is how the batch column is named in the query (`+batch_id` keeps its index out of the plan).
    fn batch_jobs_where_by(
        &self,
        id: &str,
        condition: &str,
        limit: u32,
        batch: &str,
    ) -> Result<Vec<JobRecord>, StoreError> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs JOIN batch_jobs ON job_id = jobs.id
             WHERE {batch} = ?1 AND {condition} ORDER BY item, take LIMIT ?2"
        );
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let jobs = stmt
            .query_map(rusqlite::params![id, i64::from(limit)], job_from_row)?
            .map(|r| r.map(|(_, job)| job))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(jobs)
    }

    /// Takes a waiting job of a running batch for sending (not sent → uploading), in one guarded write: a
    /// pause or cancel committed first refuses it, and one committed after it finds the job uploading
    /// without its create sent and holds it back. Only one caller can take a job.
    pub fn release_batch_job(&self, job_id: &str) -> Result<(), StoreError> {
        let step = Step {
            set: "status = 'uploading', bytes_done = 0, bytes_total = NULL",
            params: &[],
            from: &[JobStatus::NotSent],
            also: "AND create_sent_at IS NULL AND EXISTS (
                       SELECT 1 FROM batch_jobs JOIN batches ON batches.id = batch_id
                       WHERE job_id = jobs.id AND state = 'running')",
            durable: false,
        };
        self.step(job_id, step, Self::illegal(job_id, JobStatus::Uploading))
    }

    /// Stops sending the batch's jobs: the batch is paused and every job of it that a run has taken but
    /// that has not sent its create request waits again as not sent (its run sees that and stops). Returns
    /// those jobs' ids.
    pub fn pause_batch(&self, id: &str) -> Result<Result<Vec<String>, BatchRefusal>, StoreError> {
        self.pause_batch_because(id, None)
    }

    /// [`Store::pause_batch`], by the app itself for `reason` (shown with the batch until its state changes).
    pub fn pause_batch_because(
        &self,
        id: &str,
        reason: Option<&Message>,
    ) -> Result<Result<Vec<String>, BatchRefusal>, StoreError> {
        let now = self.now_ms();
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Err(refusal) = set_state(&tx, id, now, &[BatchState::Running], BatchState::Paused)? {
            return Ok(Err(refusal));
        }
        if let Some(reason) = reason {
            tx.execute(
                "UPDATE batches SET paused_reason = ?2 WHERE id = ?1",
                rusqlite::params![id, message_json(reason)],
            )?;
        }
        let held = {
            let sql = format!(
                "UPDATE jobs SET status = 'not_sent', bytes_done = 0, bytes_total = NULL, updated_at = ?2
                 WHERE {PREPARING} AND id IN (SELECT job_id FROM batch_jobs WHERE batch_id = ?1)
                 RETURNING id"
            );
            let mut stmt = tx.prepare(&sql)?;
            let ids = stmt
                .query_map(rusqlite::params![id, now], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            ids
        };
        tx.commit()?;
        Ok(Ok(held))
    }

    /// A paused batch runs again.
    pub fn resume_batch(&self, id: &str) -> Result<Result<(), BatchRefusal>, StoreError> {
        let now = self.now_ms();
        set_state(
            &self.conn(),
            id,
            now,
            &[BatchState::Paused],
            BatchState::Running,
        )
    }

    /// Cancels the batch: every job of it whose create request was never sent is failed with `message`
    /// (kind [`BATCH_CANCELLED`]), in the same transaction as the batch's new state. Jobs already sent
    /// cannot be cancelled at the service; they go on and are counted.
    pub fn cancel_batch(
        &self,
        id: &str,
        message: &Message,
    ) -> Result<Result<Cancelled, BatchRefusal>, StoreError> {
        let now = self.now_ms();
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let from = [BatchState::Running, BatchState::Paused];
        if let Err(refusal) = set_state(&tx, id, now, &from, BatchState::Cancelled)? {
            return Ok(Err(refusal));
        }
        let jobs = {
            let sql = format!(
                "UPDATE jobs SET status = 'failed', error_kind = '{BATCH_CANCELLED}', error_message = ?3,
                     error_cause = NULL, finished_at = ?2, updated_at = ?2
                 WHERE (status = 'not_sent' OR ({PREPARING}))
                   AND id IN (SELECT job_id FROM batch_jobs WHERE batch_id = ?1)
                 RETURNING id"
            );
            let mut stmt = tx.prepare(&sql)?;
            let ids = stmt
                .query_map(rusqlite::params![id, now, message_json(message)], |r| {
                    r.get(0)
                })?
                .collect::<Result<Vec<String>, _>>()?;
            ids
        };
        let still_running = counts(&tx, id)?.running;
        tx.commit()?;
        Ok(Ok(Cancelled {
            jobs,
            still_running,
        }))
    }

    /// When the batch or one of its jobs last changed (unix ms): how long it has been left alone.
    pub fn batch_last_active(&self, id: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT max(updated_at, coalesce((
                     SELECT max(jobs.updated_at) FROM batch_jobs JOIN jobs ON jobs.id = job_id
                     WHERE batch_id = ?1), 0))
                 FROM batches WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The finished batch that holds job `job_id` runs again (a failed job of it was fetched or submitted
    /// again): it finishes once more when that job ends. Returns the batch's id when it was reopened; a
    /// running, paused or cancelled batch keeps its state.
    pub fn reopen_finished_batch_of(&self, job_id: &str) -> Result<Option<String>, StoreError> {
        let now = self.now_ms();
        Ok(self
            .conn()
            .query_row(
                "UPDATE batches SET state = 'running', updated_at = ?2, paused_reason = NULL
                 WHERE state = 'finished'
                   AND id = (SELECT batch_id FROM batch_jobs WHERE job_id = ?1)
                 RETURNING id",
                rusqlite::params![job_id, now],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// A running batch with nothing left to send or wait for becomes finished; returns whether it did.
    pub fn finish_batch_if_done(&self, id: &str) -> Result<bool, StoreError> {
        let now = self.now_ms();
        let changed = self.conn().execute(
            "UPDATE batches SET state = 'finished', updated_at = ?2
             WHERE id = ?1 AND state = 'running' AND NOT EXISTS (
                 SELECT 1 FROM batch_jobs JOIN jobs ON jobs.id = job_id
                 WHERE batch_id = ?1 AND jobs.status IN
                     ('not_sent', 'uploading', 'submitting', 'queued', 'running', 'downloading'))",
            rusqlite::params![id, now],
        )?;
        Ok(changed == 1)
    }
}
