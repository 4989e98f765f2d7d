//! A job runner in its own process, for the tests that kill it mid-job and start it again: `submit
//! [frame]` stores and runs one job, `resume` picks up every unfinished one; both exit when idle.
//! Everything comes from the environment: SEEDANCE_WORKER_DB, SEEDANCE_WORKER_API, SEEDANCE_WORKER_TOKEN,
//! SEEDANCE_WORKER_OUT. Time runs 100× fast, as in the in-process tests.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use seedance_core::api::{ApiConfig, ScaledTime, Timeouts};
use seedance_core::jobs::{
    Connection, FixedConnection, JobRunner, NoEvents, RunnerPrefs, RunnerTiming,
};
use seedance_core::prefs::{UploadRegion, DEFAULT_FILE_NAME_PATTERN};
use seedance_core::request::RequestDraft;
use seedance_core::secrets::ApiToken;
use seedance_core::store::Store;

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
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
        store,
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
    match args.first().map(String::as_str) {
        Some("submit") => {
            let draft = RequestDraft {
                prompt: "a paper boat drifting down a rainy street".to_owned(),
                first_frame: args.get(1).cloned(),
                ..RequestDraft::default()
            };
            let job = runner
                .submit(draft, None)
                .await
                .map_err(|e| e.to_string())?;
            println!("{}", job.id);
        }
        Some("resume") => {
            let summary = runner.resume_all().await.map_err(|e| e.to_string())?;
            println!("{summary:?}");
        }
        _ => return Err("usage: seedance-job-worker submit [frame] | resume".to_owned()),
    }
    runner.wait_idle().await;
    Ok(())
}
