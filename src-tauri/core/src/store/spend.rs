//! Reading what the history spent, for the spend figures and limits (`crate::spend`).
//!
//! A job counts once its paid create request was sent or may have been: `create_sent_at` is written
//! before the request may leave. A job that failed without a task id is left out: its create was
//! answered with a refusal (nothing billed), or the user decided an uncertain one never started a task.
//! Jobs stored but not sent yet (uploading, not yet marked sent, or waiting in a batch) are read
//! separately as pending: a limit must see what is already on its way. Demo jobs never count.
//!
//! The period queries are answered from the `jobs_spend` index alone (migration 0007): the rows, which carry
//! the thumbnails, are never read for them.

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

/// Tokens of the jobs with a stored estimate that share a key and an audio setting, summed by SQLite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpendGroup {
    pub key: i64,
    pub generate_audio: bool,
    pub tokens: u64,
    pub jobs: u32,
}

/// A job without a stored estimate (the caller estimates it from the request), with its group's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unestimated {
    pub key: i64,
    pub generate_audio: bool,
    pub request_json: String,
}

/// Jobs of each group: the estimated ones summed, the rest one by one (rare: jobs stored without an
/// estimate).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpendGroups {
    pub summed: Vec<SpendGroup>,
    pub unestimated: Vec<Unestimated>,
}

/// Whether the job makes audio, written exactly as the `jobs_spend` index has it, so the index answers it.
const AUDIO: &str = "(coalesce(json_extract(j.request_json, '$.generate_audio'), 1) <> 0)";

impl Store {
    /// Groups the jobs of `from_where` (on `jobs AS j`) by `key` (an integer SQL expression) and audio.
    fn spend_groups(
        &self,
        key: &str,
        from_where: &str,
        params: &[Value],
    ) -> Result<SpendGroups, StoreError> {
        let conn = self.conn();
        let mut summed = conn.prepare_cached(&format!(
            "SELECT {key} AS k, {AUDIO} AS a, sum(j.tokens_estimate), count(*) {from_where} \
             AND j.tokens_estimate IS NOT NULL GROUP BY k, a"
        ))?;
        let summed = summed
            .query_map(rusqlite::params_from_iter(params), |r| {
                Ok(SpendGroup {
                    key: r.get(0)?,
                    generate_audio: r.get(1)?,
                    tokens: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                    jobs: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut rest = conn.prepare_cached(&format!(
            "SELECT {key}, {AUDIO}, j.request_json {from_where} AND j.tokens_estimate IS NULL"
        ))?;
        let unestimated = rest
            .query_map(rusqlite::params_from_iter(params), |r| {
                Ok(Unestimated {
                    key: r.get(0)?,
                    generate_audio: r.get(1)?,
                    request_json: r.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SpendGroups {
            summed,
            unestimated,
        })
    }

    /// Jobs that count sent at or after `since_ms`, keyed by which of `starts` (at most 8) they were sent
    /// at or after: bit `i` of the key is set for `starts[i]`.
    pub fn spend_by_period(
        &self,
        since_ms: i64,
        starts: &[i64],
    ) -> Result<SpendGroups, StoreError> {
        let key = (0..starts.len().min(8))
            .map(|i| format!("((j.create_sent_at >= ?{}) << {i})", i + 2))
            .collect::<Vec<_>>()
            .join(" | ");
        let key = if key.is_empty() { "0".to_owned() } else { key };
        let mut params = vec![Value::Integer(since_ms)];
        params.extend(starts.iter().take(8).map(|s| Value::Integer(*s)));
        self.spend_groups(
            &key,
            &format!("FROM jobs AS j WHERE {COUNTED} AND j.create_sent_at >= ?1"),
            &params,
        )
    }

    /// Jobs stored to be sent whose create is not sent yet (key 0).
    pub fn spend_pending(&self) -> Result<SpendGroups, StoreError> {
        self.spend_groups("0", &format!("FROM jobs AS j WHERE {PENDING}"), &[])
    }

    /// Jobs that count of the newest `batches` batches (not demo), keyed by their batch's `seq`.
    pub fn spend_of_newest_batches(&self, batches: u32) -> Result<SpendGroups, StoreError> {
        self.spend_groups(
            "b.seq",
            &format!(
                "FROM batches AS b JOIN batch_jobs AS bj ON bj.batch_id = b.id \
                 JOIN jobs AS j ON j.id = bj.job_id \
                 WHERE b.seq IN (SELECT seq FROM batches WHERE demo = 0 \
                                 ORDER BY created_at DESC, seq DESC LIMIT ?1) AND {COUNTED}"
            ),
            &[Value::Integer(i64::from(batches))],
        )
    }

    /// Every job that counts, oldest sent first (the CSV export).
    pub fn spend_all(&self) -> Result<Vec<SpendRow>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} {FROM} WHERE {COUNTED} ORDER BY j.create_sent_at, j.seq"
        ))?;
        let rows = stmt
            .query_map([], spend_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// `(seq, id, name, created_at)` of the newest `limit` batches (not demo), newest first.
    pub fn newest_batches(
        &self,
        limit: u32,
    ) -> Result<Vec<(i64, String, String, i64)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT seq, id, name, created_at FROM batches WHERE demo = 0 \
             ORDER BY created_at DESC, seq DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([i64::from(limit)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// The period query searches the spend index (whose columns, the audio expression included, are all it
    /// reads, so the row is never sought) instead of scanning the rows with their thumbnails.
    #[test]
    fn the_period_query_searches_the_spend_index() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let plan: Vec<String> = conn
            .prepare(&format!(
                "EXPLAIN QUERY PLAN SELECT ((j.create_sent_at >= 2) << 0) AS k, {AUDIO} AS a, \
                 sum(j.tokens_estimate), count(*) FROM jobs AS j WHERE {COUNTED} \
                 AND j.create_sent_at >= 1 AND j.tokens_estimate IS NOT NULL GROUP BY k, a"
            ))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|step| step.starts_with("SEARCH j USING") && step.contains("INDEX jobs_spend")),
            "{plan:?}"
        );
    }
}
