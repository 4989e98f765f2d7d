//! Reading a batch's jobs with their place in it (item and take), and the run times of finished jobs that
//! the batch screen's ETA is learned from.

use super::row::{job_from_row, JOB_COLUMNS, THUMB_COLUMN};
use super::{JobRecord, Store, StoreError};

/// One job of a batch with its place: the item it came from and which take of that item it is.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchMember {
    pub item: u32,
    pub take: u32,
    pub job: JobRecord,
}

/// How long one finished job took, from its create request to its video on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunTime {
    pub resolution: String,
    pub duration: i32,
    pub millis: i64,
}

impl Store {
    /// Every job of the batch with its item and take, in item and take order.
    pub fn batch_members(&self, id: &str) -> Result<Vec<BatchMember>, StoreError> {
        let sql = format!(
            "SELECT {JOB_COLUMNS}, item, take FROM jobs JOIN batch_jobs ON job_id = jobs.id
             WHERE batch_id = ?1 ORDER BY item, take"
        );
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let members = stmt
            .query_map([id], |row| {
                let (_, job) = job_from_row(row)?;
                Ok(BatchMember {
                    item: row.get(THUMB_COLUMN)?,
                    take: row.get(THUMB_COLUMN + 1)?,
                    job,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(members)
    }

    /// The run times of the newest `limit` done jobs of one mode (demo or live), newest first. A job's run
    /// time is counted from its create request, not from when it was stored: a batch's jobs are all stored
    /// at once and wait for their turn, and that wait is not how long a video takes.
    pub fn run_times(&self, demo: bool, limit: u32) -> Result<Vec<RunTime>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT resolution, duration, finished_at - create_sent_at FROM jobs
             WHERE status = 'done' AND demo = ?1 AND create_sent_at IS NOT NULL
               AND finished_at IS NOT NULL AND finished_at >= create_sent_at
             ORDER BY finished_at DESC LIMIT ?2",
        )?;
        let times = stmt
            .query_map(rusqlite::params![demo, i64::from(limit)], |r| {
                Ok(RunTime {
                    resolution: r.get(0)?,
                    duration: r.get(1)?,
                    millis: r.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(times)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::request::RequestDraft;
    use crate::store::NewJob;

    /// A done job of `demo` mode whose create was sent at `sent` and that finished at `finished`.
    fn done_job(store: &Store, demo: bool, resolution: &str, sent: i64, finished: i64) -> String {
        let job = store
            .insert_job(NewJob {
                request: RequestDraft {
                    prompt: "a cat".into(),
                    ..Default::default()
                },
                demo,
                ..Default::default()
            })
            .unwrap();
        store
            .conn()
            .execute(
                "UPDATE jobs SET status = 'done', resolution = ?2, create_sent_at = ?3, finished_at = ?4,
                     created_at = 0 WHERE id = ?1",
                rusqlite::params![job.id, resolution, sent, finished],
            )
            .unwrap();
        job.id
    }

    #[test]
    fn run_times_count_from_the_create_request_and_keep_the_modes_apart() {
        let store = Store::open_in_memory().unwrap();
        done_job(&store, false, "720p", 1_000, 61_000);
        done_job(&store, false, "1080p", 5_000, 95_000);
        done_job(&store, true, "720p", 1_000, 3_000);
        // Not done: no run time.
        let failed = done_job(&store, false, "720p", 1_000, 2_000);
        store
            .conn()
            .execute("UPDATE jobs SET status = 'failed' WHERE id = ?1", [&failed])
            .unwrap();

        let live = store.run_times(false, 10).unwrap();
        assert_eq!(
            live,
            [
                RunTime {
                    resolution: "1080p".into(),
                    duration: live[0].duration,
                    millis: 90_000
                },
                RunTime {
                    resolution: "720p".into(),
                    duration: live[1].duration,
                    millis: 60_000
                },
            ]
        );
        assert_eq!(store.run_times(true, 10).unwrap().len(), 1);
        assert_eq!(store.run_times(true, 10).unwrap()[0].millis, 2_000);
        assert_eq!(store.run_times(false, 1).unwrap().len(), 1);
    }
}
