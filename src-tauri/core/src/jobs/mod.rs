//! The job runner: turns a submitted request into a job that survives quitting, crashing and restarts.
//!
//! Every step is written to the store before it is announced and before the next step may happen (see
//! [`crate::pipeline::Checkpoint`]): the job row exists before any network call, `create_sent_at` before
//! the paid create request may leave, the task id the moment it arrives. [`JobRunner::resume_all`] picks
//! every unfinished job up again on start and never re-sends a create request whose outcome is unknown;
//! a job never sent and stored long ago waits as not sent for the user instead. A submission identical to
//! a job stored moments ago is refused unless the caller says the repeat is intended.
//!
//! Waiting, retries and backoff live in the client and the pipeline; the runner only starts runs, limits
//! how many go at once, and records how they end.
//!
//! The app and the `seedance` CLI may share one history at once: a run holds its job's lease (see
//! `lease.rs` and [`crate::store::LeaseHolder`]) for as long as it drives it, so exactly one process
//! drives a job, and [`JobRunner::follow_shared_history`] shows the other process's work here and picks
//! up what a process that is gone left unfinished.

mod actions;
mod batch_error;
mod batch_feed;
mod batch_folder;
mod batch_frames;
#[cfg(test)]
mod batch_race_tests;
mod batch_retry;
mod batch_run;
mod chain;
mod connection;
#[cfg(test)]
mod decode_once_tests;
mod error;
mod eta;
mod events;
mod follow;
mod history;
mod lease;
mod recipe_tag;
mod run;
#[cfg(test)]
mod run_end_tests;
mod run_part;
mod send_hold;
mod sequence_film;
mod sequence_run;
mod spend_gate;
mod store_checkpoint;
mod submit;
mod trouble;
#[cfg(test)]
mod unsaved_task_tests;
mod unsent;
#[cfg(test)]
mod unsent_lease_tests;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{watch, Notify, Semaphore};

use crate::api::{Clock, MemoryUploadCache, PollSchedule, RealTime, Sleeper};
use crate::prefs::{
    resolve_output_dir, Preferences, UploadRegion, CONCURRENT_JOBS_RANGE,
    DEFAULT_MAX_CONCURRENT_JOBS,
};
use crate::store::{LeaseHolder, PollTrouble, SqliteUploadCache, Store};

pub use actions::{ResumePolicy, ResumeSummary, DEFAULT_HOLD_UNSENT_AFTER};
pub use batch_error::{BatchAction, BatchRunError};
pub use batch_feed::BATCH_RECHECK;
pub use batch_retry::{RetryOutcome, RetryPlan};
pub use batch_run::{BatchStart, CancelOutcome};
pub use chain::CHAIN_BROKEN;
pub use connection::{
    Connection, ConnectionError, ConnectionFuture, ConnectionSource, FixedConnection,
};
pub use error::{DuplicateSubmission, JobError};
pub use eta::{eta, BatchEta, JobLeft, RunHistory, HISTORY_SAMPLES, MIN_GROUP_SAMPLES};
pub use events::{JobEvents, NoEvents};
pub use lease::LeaseTiming;
pub use send_hold::{SendHold, SendingNow};
pub use sequence_film::{FilmError, JoinedFilm};
pub use spend_gate::{SpendConsent, SpendPolicy, SpendPolicyFn};
pub use submit::{Intent, DUPLICATE_WINDOW};
pub use trouble::SERVICE_RECHECK;
pub use unsent::{UnsentOutcome, UnsentSummary, DISCARDED};

/// The preferences a run reads when it starts (the user may change them between jobs).
#[derive(Clone, Debug, PartialEq)]
pub struct RunnerPrefs {
    pub output_dir: PathBuf,
    pub file_name_pattern: String,
    pub upload_region: UploadRegion,
    pub max_concurrent_jobs: u32,
}

impl RunnerPrefs {
    pub fn from_prefs(prefs: &Preferences, data_dir: &Path) -> Self {
        Self {
            output_dir: resolve_output_dir(prefs, data_dir),
            file_name_pattern: prefs.file_name_pattern.clone(),
            upload_region: prefs.upload_region,
            max_concurrent_jobs: prefs.max_concurrent_jobs,
        }
    }
}

/// Reads the current preferences; called once per run and per resume.
pub type RunnerPrefsFn = Arc<dyn Fn() -> RunnerPrefs + Send + Sync>;

/// Time as the runs see it: tests speed it up.
#[derive(Clone)]
pub struct RunnerTiming {
    pub clock: Arc<dyn Clock>,
    pub sleeper: Arc<dyn Sleeper>,
    pub poll_schedule: PollSchedule,
}

impl Default for RunnerTiming {
    fn default() -> Self {
        Self {
            clock: Arc::new(RealTime),
            sleeper: Arc::new(RealTime),
            poll_schedule: PollSchedule::default(),
        }
    }
}

impl std::fmt::Debug for RunnerTiming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunnerTiming")
            .field("poll_schedule", &self.poll_schedule)
            .finish_non_exhaustive()
    }
}

/// Cheap to clone: clones share everything.
#[derive(Clone)]
pub struct JobRunner {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<Store>,
    events: Arc<dyn JobEvents>,
    connections: Arc<dyn ConnectionSource>,
    prefs: RunnerPrefsFn,
    timing: RunnerTiming,
    permits: Arc<Semaphore>,
    /// How many permits the semaphore stands for now.
    limit: Mutex<u32>,
    /// Jobs with a run started (running or waiting for a permit): never two runs of one job.
    active: Mutex<HashSet<String>>,
    active_count: watch::Sender<usize>,
    /// Demo uploads live on the simulator: they must never be offered to the real service.
    demo_cache: Arc<MemoryUploadCache>,
    live_cache: Arc<SqliteUploadCache>,
    /// Jobs whose task queries are not being answered right now, and why (shown with the job).
    troubles: Mutex<HashMap<String, PollTrouble>>,
    /// Wakes runs waiting for a usable token or service (a token was saved, the mode changed).
    service_changed: Notify,
    /// Wakes batch feeders: a job changed or a run ended, so a turn may be free.
    batch_wake: Notify,
    /// Batch jobs this process took for sending, each with how many times it was taken. Only these are run
    /// again when their run is gone: a job another process sharing the history took is that process's to
    /// run (a second run here could fail it while the other's paid create is on its way); a process that is
    /// gone leaves its jobs to the next start, which puts them back in their batch. A run remembers the take
    /// it started under: when its batch was paused and resumed while it was still ending, the job was taken
    /// again, and that run stops without recording anything (the new take's run sends the job).
    batch_taken: Mutex<HashMap<String, u64>>,
    /// Running batches whose feeder waits for a connection for their mode, and what it waits for.
    batch_waiting: Mutex<HashMap<String, crate::i18n::Message>>,
    /// Test seam: an exiting feeder waits here, still holding its place, before it lets go.
    #[cfg(test)]
    feeder_exit_gate: Mutex<Option<Arc<batch_feed::ExitGate>>>,
    /// Where the spend limits are read from; none set means no limits.
    spend_policy: Mutex<Option<SpendPolicyFn>>,
    /// Who this runner is in the leases it takes (see [`lease`]).
    holder: LeaseHolder,
    lease_timing: Mutex<LeaseTiming>,
    /// Other holders' leases as last seen here (see [`lease::Seen`]).
    lease_seen: Mutex<lease::Seen>,
    /// The leases held now, and the tasks they let run.
    held: Mutex<lease::Held>,
    /// The policy of the last start-up resume, which jobs adopted from a process that is gone follow too.
    resume_policy: Mutex<ResumePolicy>,
    /// One spend decision and the storing it allowed at a time (see `spend_gate`).
    spend_turn: Mutex<()>,
    /// Runs uploading or creating, and whether new ones wait for an update's install (see `send_hold`).
    sending: Mutex<send_hold::Sending>,
    /// Wakes runs waiting at a sending step when the hold ends.
    send_released: watch::Sender<()>,
}

impl std::fmt::Debug for JobRunner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobRunner")
            .field("active", &self.active_jobs())
            .finish_non_exhaustive()
    }
}

impl JobRunner {
    pub fn new(
        store: Arc<Store>,
        events: Arc<dyn JobEvents>,
        connections: Arc<dyn ConnectionSource>,
        prefs: RunnerPrefsFn,
        timing: RunnerTiming,
    ) -> Self {
        let limit = clamp_limit(prefs().max_concurrent_jobs);
        Self {
            inner: Arc::new(Inner {
                live_cache: Arc::new(SqliteUploadCache::new(store.clone())),
                store,
                events,
                connections,
                prefs,
                timing,
                permits: Arc::new(Semaphore::new(limit as usize)),
                limit: Mutex::new(limit),
                active: Mutex::new(HashSet::new()),
                active_count: watch::channel(0).0,
                demo_cache: Arc::new(MemoryUploadCache::default()),
                troubles: Mutex::new(HashMap::new()),
                service_changed: Notify::new(),
                batch_wake: Notify::new(),
                batch_taken: Mutex::new(HashMap::new()),
                batch_waiting: Mutex::new(HashMap::new()),
                #[cfg(test)]
                feeder_exit_gate: Mutex::new(None),
                spend_policy: Mutex::new(None),
                holder: LeaseHolder::for_this_process(),
                lease_timing: Mutex::new(LeaseTiming::default()),
                lease_seen: Mutex::new(lease::Seen::new()),
                held: Mutex::new(lease::Held::default()),
                resume_policy: Mutex::new(ResumePolicy::default()),
                spend_turn: Mutex::new(()),
                sending: Mutex::new(send_hold::Sending::default()),
                send_released: watch::channel(()).0,
            }),
        }
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.inner.store
    }

    /// Jobs with a run in progress or waiting for its turn.
    pub fn active_jobs(&self) -> usize {
        self.active().len()
    }

    pub fn is_active(&self, id: &str) -> bool {
        self.active().contains(id)
    }

    /// Returns once no run is in progress or waiting (e.g. before quitting a tool; the app itself never
    /// needs to wait: unfinished jobs resume on the next start). A run whose paid task waits for its service
    /// (a refused or missing token) counts as in progress, so a caller that must end regardless bounds this
    /// with a timeout.
    pub async fn wait_idle(&self) {
        let mut rx = self.inner.active_count.subscribe();
        // The sender lives as long as `self`, so this only ends when the count reaches zero.
        let _ = rx.wait_for(|n| *n == 0).await;
    }

    fn active(&self) -> MutexGuard<'_, HashSet<String>> {
        self.inner.active.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Marks the job as having a run; false when it already has one.
    fn claim(&self, id: &str) -> bool {
        let mut active = self.active();
        let claimed = active.insert(id.to_owned());
        self.inner.active_count.send_replace(active.len());
        claimed
    }

    fn release(&self, id: &str) {
        self.drop_lease(id);
        let mut active = self.active();
        active.remove(id);
        self.inner.active_count.send_replace(active.len());
        drop(active);
        self.inner.batch_wake.notify_waiters();
    }

    fn prefs(&self) -> RunnerPrefs {
        (self.inner.prefs)()
    }

    /// Follows the setting for how many jobs may run at once. Lowering it lets running jobs finish and
    /// retires their permits as they come back.
    fn sync_limit(&self) {
        let wanted = clamp_limit(self.prefs().max_concurrent_jobs);
        let mut limit = self.inner.limit.lock().unwrap_or_else(|p| p.into_inner());
        if wanted > *limit {
            self.inner.permits.add_permits((wanted - *limit) as usize);
        } else if wanted < *limit {
            let permits = self.inner.permits.clone();
            let surplus = *limit - wanted;
            tokio::spawn(async move {
                if let Ok(taken) = permits.acquire_many_owned(surplus).await {
                    taken.forget();
                }
            });
        }
        *limit = wanted;
    }

    /// Re-reads the job and tells the app. A failed read is only logged: the write it follows succeeded.
    fn announce(&self, id: &str) {
        self.inner.batch_wake.notify_waiters();
        match self.inner.store.get_job(id) {
            Ok(job) => self.inner.events.job_changed(&self.with_trouble(job)),
            Err(e) => {
                tracing::warn!(job = id, error = %e, "could not re-read the job to announce it")
            }
        }
    }
}

fn clamp_limit(wanted: u32) -> u32 {
    if wanted == 0 {
        DEFAULT_MAX_CONCURRENT_JOBS
    } else {
        wanted.clamp(*CONCURRENT_JOBS_RANGE.start(), *CONCURRENT_JOBS_RANGE.end())
    }
}

/// A runner on `store` whose service is a closed loopback port, for unit tests that never reach one.
#[cfg(test)]
pub(crate) fn offline_runner(store: std::sync::Arc<crate::store::Store>) -> JobRunner {
    let settings = RunnerPrefs {
        output_dir: std::env::temp_dir(),
        file_name_pattern: crate::prefs::DEFAULT_FILE_NAME_PATTERN.to_owned(),
        upload_region: crate::prefs::UploadRegion::Global,
        max_concurrent_jobs: 3,
    };
    #[allow(clippy::unwrap_used)]
    let connection = Connection {
        api: crate::api::ApiConfig::new("http://127.0.0.1:9", "http://127.0.0.1:9").unwrap(),
        token: crate::secrets::ApiToken::new("t").unwrap(),
        demo: false,
    };
    JobRunner::new(
        store,
        std::sync::Arc::new(NoEvents),
        std::sync::Arc::new(FixedConnection(connection)),
        std::sync::Arc::new(move || settings.clone()),
        RunnerTiming::default(),
    )
}

/// A runner on a fresh database in `dir`, talking to the simulator `sim`, telling `events`, on time sped up
/// a hundredfold, for unit tests that run jobs end to end.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) fn sim_runner(
    sim: &seedance_sim::Sim,
    dir: &std::path::Path,
    events: std::sync::Arc<dyn JobEvents>,
) -> (std::sync::Arc<crate::store::Store>, JobRunner) {
    use std::sync::Arc;
    let store = Arc::new(crate::store::Store::open(&dir.join("jobs.db")).unwrap());
    let connection = Connection {
        api: crate::api::ApiConfig::new(&sim.api_base(), &sim.upload_base()).unwrap(),
        token: crate::secrets::ApiToken::new(sim.token()).unwrap(),
        demo: false,
    };
    let settings = RunnerPrefs {
        output_dir: dir.join("videos"),
        file_name_pattern: crate::prefs::DEFAULT_FILE_NAME_PATTERN.to_owned(),
        upload_region: crate::prefs::UploadRegion::Global,
        max_concurrent_jobs: 3,
    };
    let time = Arc::new(crate::api::ScaledTime::new(100));
    let runner = JobRunner::new(
        store.clone(),
        events,
        Arc::new(FixedConnection(connection)),
        Arc::new(move || settings.clone()),
        RunnerTiming {
            clock: time.clone(),
            sleeper: time,
            ..RunnerTiming::default()
        },
    );
    (store, runner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_stays_in_range() {
        assert_eq!(clamp_limit(0), DEFAULT_MAX_CONCURRENT_JOBS);
        assert_eq!(clamp_limit(2), 2);
        assert_eq!(clamp_limit(100), *CONCURRENT_JOBS_RANGE.end());
    }
}
