//! A job runner in its own process, for the tests that kill it mid-job and start it again: `submit
//! [frame]` stores and runs one job, `resume` picks up every unfinished one; both return when idle.
//! `watch` resumes and follows the shared history until no job is unfinished (two of them share one
//! database in `jobs::two_processes`).
//! The process is this test binary again, running only the test that started it (see `rerun`), and
//! that test runs the worker instead of itself when it finds [`COMMAND`] set. A program of its own would
//! need a binary target in the shipped crate: cargo builds a package's binaries for its integration
//! tests, but not another package's. Everything comes from the environment: SEEDANCE_WORKER_COMMAND,
//! SEEDANCE_WORKER_FRAME, SEEDANCE_WORKER_DB, SEEDANCE_WORKER_API, SEEDANCE_WORKER_TOKEN,
//! SEEDANCE_WORKER_OUT. Time runs 100× fast, as in the in-process tests.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use seedance_core::api::{ApiConfig, ScaledTime, Timeouts};
use seedance_core::jobs::{
    Connection, FixedConnection, JobRunner, LeaseTiming, NoEvents, RunnerPrefs, RunnerTiming,
};
use seedance_core::prefs::{UploadRegion, DEFAULT_FILE_NAME_PATTERN};
use seedance_core::request::RequestDraft;
use seedance_core::secrets::ApiToken;
use seedance_core::store::Store;

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

/// `submit` or `resume`; unset in the test runner's own process.
pub const COMMAND: &str = "SEEDANCE_WORKER_COMMAND";
/// The first frame of the job `submit` stores (none when unset).
pub const FRAME: &str = "SEEDANCE_WORKER_FRAME";

/// Runs the worker to the end if this process was started as one, and says whether it was.
pub async fn run_if_started_as_one() -> bool {
    let Ok(command) = std::env::var(COMMAND) else {
        return false;
    };
    if let Err(problem) = run(&command, std::env::var(FRAME).ok()).await {
        panic!("the job worker failed: {problem}");
    }
    true
}

async fn run(command: &str, frame: Option<String>) -> Result<(), String> {
    let api_base = env("SEEDANCE_WORKER_API")?;
    let api = ApiConfig::new(&api_base, &api_base)
        .map_err(|e| e.to_string())?
        .with_timeouts(Timeouts {
            connect: Duration::from_secs(2),
            create: Duration::from_secs(20),
            get: Duration::from_secs(5),
            upload: Duration::from_secs(20),
            read_idle: Duration::from_secs(20),
            download_read_idle: Duration::from_secs(20),
        });
    let token = ApiToken::new(&env("SEEDANCE_WORKER_TOKEN")?).ok_or("blank token")?;
    let store = Arc::new(
        Store::open(&PathBuf::from(env("SEEDANCE_WORKER_DB")?)).map_err(|e| e.to_string())?,
    );
    let settings = RunnerPrefs {
        output_dir: PathBuf::from(env("SEEDANCE_WORKER_OUT")?),
        file_name_pattern: DEFAULT_FILE_NAME_PATTERN.to_owned(),
        upload_region: UploadRegion::Global,
        max_concurrent_jobs: 3,
    };
    let time = Arc::new(ScaledTime::new(100));
    let runner = JobRunner::new(
        store.clone(),
        Arc::new(NoEvents),
        Arc::new(FixedConnection(Connection {
            api,
            token,
            demo: false,
        })),
        Arc::new(move || settings.clone()),
        RunnerTiming {
            clock: time.clone(),
            sleeper: time,
            ..RunnerTiming::default()
        },
    );
    match command {
        "submit" => {
            let draft = RequestDraft {
                prompt: "a paper boat drifting down a rainy street".to_owned(),
                first_frame: frame,
                ..RequestDraft::default()
            };
            let job = runner
                .submit(draft, None)
                .await
                .map_err(|e| e.to_string())?;
            println!("{}", job.id);
        }
        "resume" => {
            let summary = runner.resume_all().await.map_err(|e| e.to_string())?;
            println!("{summary:?}");
        }
        "watch" => return watch(&runner).await,
        _ => return Err(format!("{COMMAND} is {command:?}, not submit or resume")),
    }
    runner.wait_idle().await;
    Ok(())
}

/// How long an unrenewed lease lasts in `watch` workers (milliseconds; the heartbeat is a fifth of it).
pub const LEASE_MS: &str = "SEEDANCE_WORKER_LEASE_MS";

/// Longest a `watch` worker runs.
const WATCH_BOUND: Duration = Duration::from_secs(60);

/// `watch`: what `seedance jobs watch` and the app do together. Resumes, follows the shared history
/// (adopting what another worker left) and returns once no job is unfinished and no batch running,
/// giving its leases back.
async fn watch(runner: &JobRunner) -> Result<(), String> {
    if let Ok(ms) = std::env::var(LEASE_MS) {
        let stale: u64 = ms.parse().map_err(|_| format!("{LEASE_MS} is {ms:?}"))?;
        runner.set_lease_timing(LeaseTiming {
            heartbeat: Duration::from_millis(stale / 5),
            stale_after: Duration::from_millis(stale),
            watch_every: Duration::from_millis(50),
        });
    }
    runner.resume_all().await.map_err(|e| e.to_string())?;
    runner.follow_shared_history();
    let started = std::time::Instant::now();
    loop {
        let store = runner.store();
        let left = store.unfinished_jobs().map_err(|e| e.to_string())?;
        let batches = store
            .batches_in_state(seedance_core::store::BatchState::Running)
            .map_err(|e| e.to_string())?;
        if left.is_empty() && batches.is_empty() {
            break;
        }
        if started.elapsed() > WATCH_BOUND {
            return Err(format!(
                "{} jobs unfinished, {} batches running",
                left.len(),
                batches.len()
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    runner.release_leases();
    Ok(())
}
