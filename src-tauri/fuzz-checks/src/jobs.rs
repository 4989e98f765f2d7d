//! The job state machine under random service faults, crashes and restarts: however a sequence goes,
//! the service never sees more create requests than there are jobs with a create on record (a job pays
//! at most once; paying again is only ever a new job the user asked for), and once the faults stop
//! every job reaches a settled state.
//!
//! A crash is the whole runtime dropped at once, which stops every run at whatever await it was in,
//! like a killed process; the next "launch" opens the same history and resumes it as the app does.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use seedance_core::api::{ApiConfig, ScaledTime, Timeouts};
use seedance_core::jobs::{
    Connection, FixedConnection, JobEvents, JobRunner, RunnerPrefs, RunnerTiming, SpendConsent,
};
use seedance_core::pipeline::TransferStage;
use seedance_core::prefs::{UploadRegion, DEFAULT_FILE_NAME_PATTERN};
use seedance_core::request::RequestDraft;
use seedance_core::secrets::ApiToken;
use seedance_core::store::{JobQuery, JobRecord, Store};
use seedance_sim::{Fault, Route, Sim, SimConfig};
use tokio::runtime::Runtime;

/// Operations read from one input, at most; keeps every run short.
const MAX_OPS: usize = 24;
/// How long the last launch may take to finish every run once the faults stop.
const SETTLE_WITHIN: Duration = Duration::from_secs(30);

/// The runtime the simulators run on, for the whole process, so "crashes" never touch them.
fn service_runtime() -> &'static Mutex<Runtime> {
    static RUNTIME: OnceLock<Mutex<Runtime>> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        Mutex::new(
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a runtime for the simulator"),
        )
    })
}

/// A simulator of its own for each input: a request a crashed launch had already written to its socket
/// is read by the service later, and with one simulator for every input it was counted against the next
/// input (found by fuzzing as "4 creates for 2 jobs").
fn start_service(runtime: &Runtime) -> Sim {
    let config = SimConfig {
        queued_for: Duration::from_millis(30),
        running_for: Duration::from_millis(60),
        hang_for: Duration::from_millis(300),
        ..SimConfig::default()
    };
    runtime
        .block_on(Sim::start(config))
        .expect("the simulator starts on 127.0.0.1")
}

struct Quiet;

impl JobEvents for Quiet {
    fn job_changed(&self, _job: &JobRecord) {}
    fn progress(&self, _id: &str, _stage: TransferStage, _done: f64, _total: Option<f64>) {}
    fn job_removed(&self, _id: &str) {}
}

/// One launch of the app: a runtime, the history and a runner that resumes what the last launch left.
struct Launch {
    runtime: Runtime,
    store: Arc<Store>,
    runner: JobRunner,
}

impl Launch {
    fn start(sim: &Sim, dir: &std::path::Path) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let store = Arc::new(Store::open(&dir.join("jobs.db")).expect("the history opens"));
        let api = ApiConfig::new(&sim.api_base(), &sim.upload_base())
            .expect("loopback addresses are valid")
            .with_timeouts(Timeouts {
                connect: Duration::from_secs(2),
                create: Duration::from_secs(3),
                get: Duration::from_secs(3),
                upload: Duration::from_secs(5),
                read_idle: Duration::from_secs(3),
                download_read_idle: Duration::from_secs(3),
            });
        let connection = Connection {
            api,
            token: ApiToken::new(sim.token()).expect("the simulator's token is not blank"),
            demo: false,
        };
        let settings = RunnerPrefs {
            output_dir: dir.join("videos"),
            file_name_pattern: DEFAULT_FILE_NAME_PATTERN.to_owned(),
            upload_region: UploadRegion::Global,
            max_concurrent_jobs: 2,
        };
        let time = Arc::new(ScaledTime::new(100));
        let runner = runtime.block_on(async {
            JobRunner::new(
                store.clone(),
                Arc::new(Quiet),
                Arc::new(FixedConnection(connection)),
                Arc::new(move || settings.clone()),
                RunnerTiming {
                    clock: time.clone(),
                    sleeper: time,
                    ..RunnerTiming::default()
                },
            )
        });
        let launch = Self {
            runtime,
            store,
            runner,
        };
        let runner = launch.runner.clone();
        launch.runtime.block_on(async move {
            let _ = runner.resume_all().await;
        });
        launch
    }

    /// Every run stops at the await it is in, as in `kill -9`. The runtime's threads are waited for, so
    /// nothing of this launch goes on writing once the next one starts (fuzzing found that a poll still
    /// under way after an instant shutdown wrote a create mark behind the next launch's back: a second
    /// live process, not a crash).
    fn crash(self) {
        self.runtime.shutdown_timeout(Duration::from_secs(10));
    }

    fn jobs(&self) -> Vec<JobRecord> {
        let query = JobQuery {
            limit: 500,
            ..JobQuery::default()
        };
        self.store
            .list_jobs(&query)
            .expect("the history lists")
            .jobs
    }
}

fn fault(kind: u8) -> Fault {
    match kind % 8 {
        0 => Fault::ServerError,
        1 => Fault::Unauthorized,
        2 => Fault::DropAfterRead,
        3 => Fault::MalformedJson,
        4 => Fault::HtmlError { status: 502 },
        5 => Fault::CutBody { after_bytes: 64 },
        6 => Fault::RateLimited {
            retry_after_secs: 1,
        },
        _ => Fault::Hang,
    }
}

fn route(kind: u8) -> Route {
    match kind % 4 {
        0 => Route::Create,
        1 => Route::GetTask,
        2 => Route::Result,
        _ => Route::UploadFile,
    }
}

pub fn check_job_states(data: &[u8]) {
    let service = service_runtime().lock().unwrap_or_else(|p| p.into_inner());
    let own_sim = start_service(&service);
    let sim = &own_sim;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut launch = Launch::start(sim, dir.path());
    for pair in data.chunks(2).take(MAX_OPS) {
        let (op, arg) = (pair[0], pair.get(1).copied().unwrap_or(0));
        match op % 6 {
            0 | 1 => {
                // A few distinct prompts, so repeats also meet the duplicate guard.
                let draft = RequestDraft {
                    prompt: format!("shot {}", arg % 4),
                    ..RequestDraft::default()
                };
                let runner = launch.runner.clone();
                let _ = launch.runtime.block_on(runner.submit(draft, None));
            }
            2 => sim.push_fault(route(arg), fault(arg / 4)),
            3 => {
                let pause = Duration::from_millis(u64::from(arg % 16) * 15);
                launch
                    .runtime
                    .block_on(async move { tokio::time::sleep(pause).await });
            }
            4 => {
                launch.crash();
                launch = Launch::start(sim, dir.path());
            }
            _ => {
                // The user asks for a settled job again (this may pay again, as a new job).
                let jobs = launch.jobs();
                if let Some(job) = jobs.get(usize::from(arg) % jobs.len().max(1)) {
                    let runner = launch.runner.clone();
                    let id = job.id.clone();
                    let _ = launch
                        .runtime
                        .block_on(async move { runner.resubmit(&id, SpendConsent::Given).await });
                }
            }
        }
    }
    sim.clear_faults();
    // A last launch after a quit resumes everything and, with the service healthy again, finishes it.
    launch.crash();
    let launch = Launch::start(sim, dir.path());
    let runner = launch.runner.clone();
    let settled = launch
        .runtime
        .block_on(async move { tokio::time::timeout(SETTLE_WITHIN, runner.wait_idle()).await });
    let jobs = launch.jobs();
    let creates = sim.counts().create;
    let with_create = jobs.iter().filter(|j| j.create_sent_at.is_some()).count();
    launch.crash();
    service.block_on(own_sim.shutdown());
    assert!(
        creates as usize <= with_create,
        "{creates} creates reached the service for {with_create} jobs with a create on record: {jobs:#?}"
    );
    assert!(
        settled.is_ok(),
        "runs still going {SETTLE_WITHIN:?} after the faults stopped: {jobs:#?}"
    );
    for job in &jobs {
        assert!(
            job.status.is_settled(),
            "job left {:?} after every run ended: {job:#?}",
            job.status
        );
    }
}
