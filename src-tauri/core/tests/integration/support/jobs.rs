//! Shared set-up for the job runner tests: a runner on a store in a temporary folder, pointed at the
//! simulator with time running 100× fast, and an event sink that records every announcement.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use seedance_core::api::ScaledTime;
use seedance_core::jobs::{
    Connection, ConnectionSource, FixedConnection, JobEvents, JobRunner, RunnerPrefs, RunnerTiming,
};
use seedance_core::pipeline::TransferStage;
use seedance_core::prefs::{UploadRegion, DEFAULT_FILE_NAME_PATTERN};
use seedance_core::store::{JobRecord, JobStatus, Store};
use seedance_sim::{Sim, SimConfig};
use tempfile::TempDir;

use crate::support::api::{config_for, start, token, within};

#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub id: String,
    pub stage: TransferStage,
    pub done: f64,
    pub total: Option<f64>,
}

/// Every announcement, in the order they were made.
#[derive(Default)]
pub struct Recorder {
    changes: Mutex<Vec<(String, JobStatus)>>,
    records: Mutex<Vec<JobRecord>>,
    progress: Mutex<Vec<Progress>>,
    removed: Mutex<Vec<String>>,
}

impl Recorder {
    pub fn changes(&self) -> Vec<(String, JobStatus)> {
        self.changes.lock().unwrap().clone()
    }

    /// The job's statuses as announced, repeats folded.
    pub fn statuses(&self, id: &str) -> Vec<JobStatus> {
        let mut out: Vec<JobStatus> = Vec::new();
        for (job, status) in self.changes() {
            if job == id && out.last() != Some(&status) {
                out.push(status);
            }
        }
        out
    }

    /// Every record announced for the job, in order.
    pub fn records(&self, id: &str) -> Vec<JobRecord> {
        self.records
            .lock()
            .unwrap()
            .iter()
            .filter(|job| job.id == id)
            .cloned()
            .collect()
    }

    pub fn progress(&self, id: &str) -> Vec<Progress> {
        self.progress
            .lock()
            .unwrap()
            .iter()
            .filter(|p| p.id == id)
            .cloned()
            .collect()
    }

    pub fn removed(&self) -> Vec<String> {
        self.removed.lock().unwrap().clone()
    }
}

impl JobEvents for Recorder {
    fn job_changed(&self, job: &JobRecord) {
        self.changes
            .lock()
            .unwrap()
            .push((job.id.clone(), job.status));
        self.records.lock().unwrap().push(job.clone());
    }

    fn progress(&self, id: &str, stage: TransferStage, done: f64, total: Option<f64>) {
        self.progress.lock().unwrap().push(Progress {
            id: id.to_owned(),
            stage,
            done,
            total,
        });
    }

    fn job_removed(&self, id: &str) {
        self.removed.lock().unwrap().push(id.to_owned());
    }
}

pub struct Harness {
    pub sim: Sim,
    pub dir: TempDir,
    pub store: Arc<Store>,
    pub runner: JobRunner,
    pub events: Arc<Recorder>,
}

pub async fn harness(config: SimConfig, max_concurrent_jobs: u32) -> Harness {
    let sim = start(config).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("jobs.db")).unwrap());
    let events = Arc::new(Recorder::default());
    let runner = runner_for(
        &sim,
        &store,
        &events,
        dir.path(),
        false,
        max_concurrent_jobs,
    );
    Harness {
        sim,
        dir,
        store,
        runner,
        events,
    }
}

/// A runner on `store`, talking to `sim` as the live service (`demo` false) or as the demo one.
pub fn runner_for(
    sim: &Sim,
    store: &Arc<Store>,
    events: &Arc<Recorder>,
    dir: &Path,
    demo: bool,
    max_concurrent_jobs: u32,
) -> JobRunner {
    let connections = Arc::new(FixedConnection(connection_to(sim, demo)));
    runner_with(connections, store, events, dir, max_concurrent_jobs)
}

/// How a runner made by [`runner_for`] reaches `sim`.
pub fn connection_to(sim: &Sim, demo: bool) -> Connection {
    Connection {
        api: config_for(sim),
        token: token(sim),
        demo,
    }
}

/// A runner on `store` with time 100× fast, asking `connections` for its service.
pub fn runner_with(
    connections: Arc<dyn ConnectionSource>,
    store: &Arc<Store>,
    events: &Arc<Recorder>,
    dir: &Path,
    max_concurrent_jobs: u32,
) -> JobRunner {
    let settings = RunnerPrefs {
        output_dir: dir.join("videos"),
        file_name_pattern: DEFAULT_FILE_NAME_PATTERN.to_owned(),
        upload_region: UploadRegion::Global,
        max_concurrent_jobs,
    };
    let time = Arc::new(ScaledTime::new(100));
    JobRunner::new(
        store.clone(),
        events.clone(),
        connections,
        Arc::new(move || settings.clone()),
        RunnerTiming {
            clock: time.clone(),
            sleeper: time,
            ..RunnerTiming::default()
        },
    )
}

impl Harness {
    pub fn out_dir(&self) -> PathBuf {
        self.dir.path().join("videos")
    }

    /// Waits (bounded) until no run is left, then reads the job.
    pub async fn settle(&self, id: &str) -> JobRecord {
        within(self.runner.wait_idle()).await;
        self.store.get_job(id).unwrap()
    }

    /// Files in the output folder, sorted.
    pub fn output_files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.out_dir())
            .map(|dir| {
                dir.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// A runner over the simulator whose store reads a hand-driven clock, so time windows (a repeat's, an unsent
/// job's age) can be crossed without waiting.
pub struct Bench {
    pub sim: Sim,
    pub dir: TempDir,
    pub store: Arc<Store>,
    pub runner: JobRunner,
    pub clock: Arc<crate::support::store::ManualClock>,
}

pub async fn bench() -> Bench {
    let sim = start(SimConfig::fast()).await;
    let dir = tempfile::tempdir().unwrap();
    let clock = crate::support::store::ManualClock::at(1_800_000_000_000);
    let store =
        Arc::new(Store::open_with_clock(&dir.path().join("jobs.db"), clock.clone()).unwrap());
    let events = Arc::new(Recorder::default());
    let runner = runner_for(&sim, &store, &events, dir.path(), false, 3);
    Bench {
        sim,
        dir,
        store,
        runner,
        clock,
    }
}
