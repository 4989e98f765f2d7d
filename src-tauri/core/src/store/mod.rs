//! The local database (SQLite): jobs, the batches that group them, and the upload cache. No SQL lives outside this module except the
//! presets', which `crate::presets` keeps beside its own model through [`Store::conn`].
//!
//! Every method is synchronous and short; the connection sits behind a `std::sync::Mutex` that is never
//! held across an `.await` (async callers call straight in, or use `spawn_blocking` for bulk work).
//!
//! Money rule support: [`Store::mark_create_sent`] is written before the create request may leave the
//! machine and [`Store::set_task_id`] the moment the id arrives, so [`resume_action`] can tell a job
//! whose create request was never sent from one that may have created a paid task.

mod batch_members;
mod batch_model;
mod batches;
mod error;
mod jobs;
mod lease;
mod migrate;
mod model;
mod outputs;
mod query;
mod row;
mod run_end;
mod sequences;
mod spend;
mod status;
mod submission;
mod upload_cache;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::Connection;

use crate::api::{Clock, RealTime};

pub use batch_members::{BatchMember, RunTime};
pub use batch_model::{
    BatchCounts, BatchInserted, BatchRecord, BatchRefusal, BatchState, Cancelled, NewBatch,
    NewBatchJob, BATCH_CANCELLED,
};
pub use error::StoreError;
pub use lease::{batch_subject, Lease, LeaseHolder};
pub use migrate::SCHEMA_VERSION;
pub use model::{
    may_resubmit, resume_action, JobBatch, JobCursor, JobPage, JobProblem, JobQuery, JobRecord,
    NewJob, PollTrouble, ResumeAction, Thumbnail, DEFAULT_PAGE, MAX_PAGE, RESULT_GONE, TASK_FAILED,
};
pub use run_end::FinishError;
pub use sequences::{ChainLink, ChainSource, JobLinks};
pub use spend::{SpendGroup, SpendGroups, SpendRow, Unestimated};
pub use status::JobStatus;
pub use submission::Inserted;
pub use upload_cache::SqliteUploadCache;

/// How long a write waits for another connection (e.g. a second app instance starting) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The database. Cheap to share: wrap it in an `Arc`.
pub struct Store {
    conn: Mutex<Connection>,
    clock: Arc<dyn Clock>,
    /// On disk: what is written survives the app.
    persistent: bool,
    /// `(SET clause, PRAGMA synchronous)` in effect for each job step, as SQLite reports it.
    #[cfg(test)]
    synchronous_seen: Mutex<Vec<(String, i64)>>,
    /// Unit tests' stand-in for a failing disk: see [`Store::fail_job_steps`].
    #[cfg(test)]
    step_fault: Mutex<StepFault>,
}

/// Job steps whose SET clause starts with `prefix` fail with the SQLite result `code` (extended codes
/// allowed) until cleared; `refused` counts the writes turned away.
#[cfg(test)]
#[derive(Default)]
struct StepFault {
    armed: Option<(&'static str, std::ffi::c_int)>,
    /// Writes left to turn away before the fault clears itself (`None`: until cleared).
    left: Option<u32>,
    refused: u32,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_with_clock(path, Arc::new(RealTime))
    }

    pub fn open_with_clock(path: &Path, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        Self::setup(Connection::open(path)?, clock, true)
    }

    /// A private database that disappears with the `Store` (tests, demo mode).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::open_in_memory_with_clock(Arc::new(RealTime))
    }

    pub fn open_in_memory_with_clock(clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        Self::setup(Connection::open_in_memory()?, clock, false)
    }

    fn setup(
        mut conn: Connection,
        clock: Arc<dyn Clock>,
        on_disk: bool,
    ) -> Result<Self, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Before any write, WAL included: a newer app's database is left exactly as it was.
        migrate::refuse_newer(&conn)?;
        if on_disk {
            // WAL lets the UI read history while a job is being written; NORMAL is durable across app
            // crashes (only an OS crash can lose the last commits), at a fraction of FULL's fsyncs.
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!(mode, "database is not in WAL mode");
            }
        }
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        let now = now_ms(clock.as_ref());
        migrate::migrate(&mut conn, now)?;
        Ok(Self {
            conn: Mutex::new(conn),
            clock,
            persistent: on_disk,
            #[cfg(test)]
            synchronous_seen: Mutex::new(Vec::new()),
            #[cfg(test)]
            step_fault: Mutex::default(),
        })
    }

    /// From now on, job steps whose SET clause starts with `prefix` fail as if SQLite had returned
    /// `code` (e.g. `SQLITE_IOERR_WRITE`), through the same conversion a real failure takes; `None`
    /// lets them through again.
    #[cfg(test)]
    pub(crate) fn fail_job_steps(&self, fault: Option<(&'static str, std::ffi::c_int)>) {
        let mut state = self.step_fault.lock().unwrap_or_else(|p| p.into_inner());
        state.armed = fault;
        state.left = None;
    }

    /// As [`Store::fail_job_steps`], for the next `times` matching writes only.
    #[cfg(test)]
    pub(crate) fn fail_job_steps_times(
        &self,
        prefix: &'static str,
        code: std::ffi::c_int,
        times: u32,
    ) {
        let mut state = self.step_fault.lock().unwrap_or_else(|p| p.into_inner());
        state.armed = Some((prefix, code));
        state.left = Some(times);
    }

    /// How many job steps [`Store::fail_job_steps`] has turned away.
    #[cfg(test)]
    pub(crate) fn job_steps_refused(&self) -> u32 {
        self.step_fault
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .refused
    }

    #[cfg(test)]
    fn injected_step_failure(&self, set: &str) -> Result<(), StoreError> {
        let mut state = self.step_fault.lock().unwrap_or_else(|p| p.into_inner());
        match state.armed {
            Some((prefix, code)) if set.starts_with(prefix) => {
                state.refused += 1;
                if let Some(left) = state.left.as_mut() {
                    *left = left.saturating_sub(1);
                    if *left == 0 {
                        state.armed = None;
                    }
                }
                Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(code),
                    Some("injected by a test".to_owned()),
                )
                .into())
            }
            _ => Ok(()),
        }
    }

    #[cfg(test)]
    fn observe_synchronous(&self, conn: &Connection, set: &str) {
        let level: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap_or(-1);
        self.synchronous_seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((set.to_owned(), level));
    }

    /// False for an in-memory database: nothing written outlives the app.
    pub fn is_persistent(&self) -> bool {
        self.persistent
    }

    /// How long a write waits for another connection's lock before failing with
    /// [`StoreError::Locked`] (tests shorten it).
    pub fn set_busy_timeout(&self, timeout: Duration) -> Result<(), StoreError> {
        Ok(self.conn().busy_timeout(timeout)?)
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held cannot leave half a write: SQLite rolls back any transaction the
        // panicking code had open when its `Transaction` was dropped.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A lock file beside the database for `purpose` (`history.db` → `history.db.spend.lock`), shared by
    /// every process that opens the same history; `None` for a database in memory.
    pub fn lock_file_path(&self, purpose: &str) -> Option<PathBuf> {
        let conn = self.conn();
        let db = conn.path().filter(|p| !p.is_empty())?;
        let mut name = std::ffi::OsString::from(db);
        name.push(format!(".{purpose}.lock"));
        Some(PathBuf::from(name))
    }

    pub(crate) fn now_ms(&self) -> i64 {
        now_ms(self.clock.as_ref())
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        migrate::applied_version(&self.conn())
    }
}

fn now_ms(clock: &dyn Clock) -> i64 {
    let ms = clock.now().unix_timestamp_nanos() / 1_000_000;
    i64::try_from(ms).unwrap_or(i64::MAX)
}

/// A random (version 4) UUID.
pub(crate) fn new_id() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0F) | 0x40;
    b[8] = (b[8] & 0x3F) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn ids_are_v4_uuids() {
        let a = new_id();
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert!(matches!(a.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(a, new_id());
    }

    #[test]
    fn bundled_sqlite_has_fts5_and_trigrams() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        let options: Vec<String> = conn
            .prepare("PRAGMA compile_options")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(options.iter().any(|o| o == "ENABLE_FTS5"), "{options:?}");
        let tokenizer: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'jobs_fts'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(tokenizer.contains("trigram"));
    }
}
