//! Sequences, their takes and chained frames (see migration 0010). A sequence's shots are one JSON
//! document; takes and chains are rows written in the same transaction as the batch whose jobs they are
//! ([`Store::insert_batch_linked`]), so no job of a sequence ever exists without its link.

use rusqlite::{OptionalExtension, TransactionBehavior};

use super::batch_model::{BatchInserted, NewBatch, NewBatchJob};
use super::row::{job_from_row, JOB_COLUMNS};
use super::{new_id, Store, StoreError, Thumbnail};
use crate::sequence::{SequenceDoc, SequenceRecord, SequenceSummary};

/// Where a chained job's first frame comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainSource {
    /// A job already in history.
    Job(String),
    /// An earlier job of the same new batch (its index in the batch's job list).
    Earlier(usize),
}

/// What ties one job of a new batch to a sequence: the shot it is a take of, and for a chained shot where
/// its first frame comes from and the file it will be written to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobLinks {
    pub sequence_id: String,
    pub shot_id: String,
    pub chain: Option<(ChainSource, String)>,
}

/// A job whose first frame is another job's last frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainLink {
    pub source_job: String,
    pub frame_path: String,
}

fn doc_json(doc: &SequenceDoc) -> Result<String, StoreError> {
    serde_json::to_string(doc).map_err(|e| StoreError::Corrupt {
        detail: format!("sequence: {e}"),
    })
}

fn read_sequence(conn: &rusqlite::Connection, id: &str) -> Result<SequenceRecord, StoreError> {
    let row = conn
        .query_row(
            "SELECT id, name, created_at, updated_at, shots_json FROM sequences WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound { id: id.to_owned() })?;
    let doc = serde_json::from_str(&row.4).map_err(|e| StoreError::Corrupt {
        detail: format!("sequence {}: {e}", row.0),
    })?;
    Ok(SequenceRecord {
        id: row.0,
        name: row.1,
        created_at: row.2,
        updated_at: row.3,
        doc,
    })
}

impl Store {
    pub fn create_sequence(
        &self,
        name: &str,
        doc: &SequenceDoc,
    ) -> Result<SequenceRecord, StoreError> {
        let id = new_id();
        let now = self.now_ms();
        let conn = self.conn();
        conn.execute(
            "INSERT INTO sequences (id, name, created_at, updated_at, shots_json) VALUES (?1, ?2, ?3, ?3, ?4)",
            rusqlite::params![id, name, now, doc_json(doc)?],
        )?;
        read_sequence(&conn, &id)
    }

    /// Replaces the sequence's name and shots.
    pub fn save_sequence(
        &self,
        id: &str,
        name: &str,
        doc: &SequenceDoc,
    ) -> Result<SequenceRecord, StoreError> {
        let now = self.now_ms();
        let conn = self.conn();
        let changed = conn.execute(
            "UPDATE sequences SET name = ?2, shots_json = ?3, updated_at = max(updated_at + 1, ?4) WHERE id = ?1",
            rusqlite::params![id, name, doc_json(doc)?, now],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound { id: id.to_owned() });
        }
        read_sequence(&conn, id)
    }

    pub fn get_sequence(&self, id: &str) -> Result<SequenceRecord, StoreError> {
        read_sequence(&self.conn(), id)
    }

    /// Every sequence, most recently changed first.
    pub fn list_sequences(&self) -> Result<Vec<SequenceSummary>, StoreError> {
        let conn = self.conn();
        let ids: Vec<String> = conn
            .prepare_cached("SELECT id FROM sequences ORDER BY updated_at DESC, seq DESC")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.iter()
            .map(|id| {
                let record = read_sequence(&conn, id)?;
                Ok(SequenceSummary {
                    id: record.id,
                    name: record.name,
                    updated_at: record.updated_at,
                    shots: u32::try_from(record.doc.shots.len()).unwrap_or(u32::MAX),
                })
            })
            .collect()
    }

    /// Deletes the sequence and its take links; the jobs and their videos stay in history.
    pub fn delete_sequence(&self, id: &str) -> Result<(), StoreError> {
        let conn = self.conn();
        if conn.execute("DELETE FROM sequences WHERE id = ?1", [id])? == 0 {
            return Err(StoreError::NotFound { id: id.to_owned() });
        }
        Ok(())
    }

    /// Every take of the sequence's shots as `(shot id, job, chained from)`, oldest first.
    pub fn sequence_takes(
        &self,
        id: &str,
    ) -> Result<Vec<(String, super::JobRecord, Option<String>)>, StoreError> {
        let sql = format!(
            "SELECT {JOB_COLUMNS}, shot_id, source_job FROM jobs
             JOIN shot_takes ON shot_takes.job_id = jobs.id
             LEFT JOIN chained_frames ON chained_frames.job_id = jobs.id
             WHERE sequence_id = ?1 ORDER BY jobs.created_at, jobs.rowid"
        );
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([id], |row| {
                let (_, job) = job_from_row(row)?;
                Ok((row.get(columns - 2)?, job, row.get(columns - 1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The job's chain, if its first frame is another job's last frame.
    pub fn chain_of(&self, job_id: &str) -> Result<Option<ChainLink>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT source_job, frame_path FROM chained_frames WHERE job_id = ?1",
                [job_id],
                |r| {
                    Ok(ChainLink {
                        source_job: r.get(0)?,
                        frame_path: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Sets a job's first-frame thumbnail (a chained job's, once its frame exists).
    pub fn set_first_thumb(&self, job_id: &str, thumb: &Thumbnail) -> Result<(), StoreError> {
        let now = self.now_ms();
        self.conn().execute(
            "UPDATE jobs SET first_thumb = ?2, updated_at = max(updated_at + 1, ?3) WHERE id = ?1",
            rusqlite::params![job_id, thumb.bytes(), now],
        )?;
        Ok(())
    }

    /// [`Store::insert_batch`] with each job's sequence links (`links[i]` for `jobs[i]`), all in one
    /// transaction.
    pub fn insert_batch_linked(
        &self,
        batch: &NewBatch,
        jobs: &[NewBatchJob],
        window: Option<std::time::Duration>,
        links: &[Option<JobLinks>],
    ) -> Result<BatchInserted, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let inserted = super::batches::insert_batch_in(&tx, self.now_ms(), batch, jobs, window)?;
        if let BatchInserted::New(record) = &inserted {
            let ids: Vec<String> = tx
                .prepare("SELECT job_id FROM batch_jobs WHERE batch_id = ?1 ORDER BY rowid")?
                .query_map([&record.id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for (at, link) in links.iter().enumerate() {
                let (Some(link), Some(job_id)) = (link, ids.get(at)) else {
                    continue;
                };
                tx.execute(
                    "INSERT INTO shot_takes (job_id, sequence_id, shot_id) VALUES (?1, ?2, ?3)",
                    rusqlite::params![job_id, link.sequence_id, link.shot_id],
                )?;
                if let Some((source, frame_path)) = &link.chain {
                    let source = match source {
                        ChainSource::Job(id) => id.clone(),
                        ChainSource::Earlier(i) => {
                            ids.get(*i).filter(|_| *i < at).cloned().ok_or_else(|| {
                                StoreError::Corrupt {
                                    detail: format!("chain of job {at} names job {i}"),
                                }
                            })?
                        }
                    };
                    tx.execute(
                        "INSERT INTO chained_frames (job_id, source_job, frame_path) VALUES (?1, ?2, ?3)",
                        rusqlite::params![job_id, source, frame_path],
                    )?;
                }
            }
        }
        tx.commit()?;
        Ok(inserted)
    }
}
