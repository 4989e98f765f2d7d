//! Reading what the history spent, for the spend figures and limits (`crate::spend`).
//!
//! A job counts once its paid create request was sent or may have been: `create_sent_at` is written
//! before the request may leave. A job that failed without a task id is left out: its create was
//! answered with a refusal (nothing billed), or the user decided an uncertain one never started a task.
//! Jobs stored but not sent yet (uploading, not yet marked sent, or waiting in a batch) are read
//! separately as pending: a limit must see what is already on its way. Demo jobs never count.
//!
//! The queries read a few narrow columns; the thumbnails (the rows' last columns) are never touched.

use rusqlite::types::Value;
use rusqlite::Row;

use super::{JobStatus, Store, StoreError};

/// One job's part of the spend. Tokens are the stored estimate (the highest the job could cost); the
/// service does not report usage, so there is nothing more exact to read.
#[derive(Clone, Debug, PartialEq)]
pub struct SpendRow {
    pub job_id: String,
    /// When its create was marked sent; for a pending job, when it was stored.
    pub at: i64,
    pub status: JobStatus,
    pub tokens_estimate: Option<u32>,
    pub generate_audio: bool,
    /// The stored request, only when there is no stored estimate to count (the caller estimates it).
    pub request_json: Option<String>,
    pub batch_id: Option<String>,
    pub batch_name: Option<String>,
    /// 1-based item of its batch.
    pub item: Option<u32>,
}

/// The rule above, on `jobs AS j`.
const COUNTED: &str = "j.demo = 0 AND j.create_sent_at IS NOT NULL \
    AND NOT (j.status = 'failed' AND j.task_id IS NULL)";

const PENDING: &str = "j.demo = 0 AND j.create_sent_at IS NULL \
    AND j.status IN ('uploading', 'submitting', 'not_sent')";

const COLUMNS: &str =
    "j.id, coalesce(j.create_sent_at, j.created_at), j.status, j.tokens_estimate, \
    coalesce(json_extract(j.request_json, '$.generate_audio'), 1), \
    CASE WHEN j.tokens_estimate IS NULL THEN j.request_json END, bj.batch_id, b.name, bj.item";

const FROM: &str = "FROM jobs AS j LEFT JOIN batch_jobs AS bj ON bj.job_id = j.id \
    LEFT JOIN batches AS b ON b.id = bj.batch_id";

fn spend_row(row: &Row<'_>) -> rusqlite::Result<SpendRow> {
    let status: String = row.get(2)?;
    Ok(SpendRow {
        job_id: row.get(0)?,
        at: row.get(1)?,
        status: JobStatus::parse(&status).unwrap_or(JobStatus::SubmissionUncertain),
        tokens_estimate: row.get(3)?,
        generate_audio: row.get::<_, i64>(4)? != 0,
        request_json: row.get(5)?,
        batch_id: row.get(6)?,
        batch_name: row.get(7)?,
        item: row.get(8)?,
    })
}

impl Store {
    fn spend_rows(&self, condition: &str, params: &[Value]) -> Result<Vec<SpendRow>, StoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {COLUMNS} {FROM} WHERE {condition}"))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), spend_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Jobs that count whose create was marked sent at or after `since_ms`.
    pub fn spend_sent_since(&self, since_ms: i64) -> Result<Vec<SpendRow>, StoreError> {
        self.spend_rows(
            &format!("{COUNTED} AND j.create_sent_at >= ?1"),
            &[Value::Integer(since_ms)],
        )
    }

    /// Jobs stored to be sent whose create is not sent yet.
    pub fn spend_pending(&self) -> Result<Vec<SpendRow>, StoreError> {
        self.spend_rows(PENDING, &[])
    }

    /// Jobs that count, of the newest `batches` batches (not demo).
    pub fn spend_of_newest_batches(&self, batches: u32) -> Result<Vec<SpendRow>, StoreError> {
        self.spend_rows(
            &format!(
                "{COUNTED} AND bj.batch_id IN (SELECT id FROM batches WHERE demo = 0 \
                 ORDER BY created_at DESC, seq DESC LIMIT ?1)"
            ),
            &[Value::Integer(i64::from(batches))],
        )
    }

    /// Every job that counts, oldest sent first (the CSV export).
    pub fn spend_all(&self) -> Result<Vec<SpendRow>, StoreError> {
        self.spend_rows(&format!("{COUNTED} ORDER BY j.create_sent_at, j.seq"), &[])
    }

    /// Name and creation time of each batch, newest first, for the given ids.
    pub fn batch_names_newest(&self, limit: u32) -> Result<Vec<(String, String, i64)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, name, created_at FROM batches WHERE demo = 0 \
             ORDER BY created_at DESC, seq DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([i64::from(limit)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
