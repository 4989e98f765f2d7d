//! The measured cases, each run in a child process of its own so its peak RSS and CPU are its own.
//! Each prints one line the parent reads: `upload …`, `download …`, `running …` then `idle …`.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use seedance_core::api::{ApiConfig, MemoryUploadCache, RealTime, SinanClient};
use seedance_core::jobs::{
    Connection, FixedConnection, JobRunner, NoEvents, RunnerPrefs, RunnerTiming,
};
use seedance_core::prefs::{UploadRegion, DEFAULT_FILE_NAME_PATTERN};
use seedance_core::request::RequestDraft;
use seedance_core::secrets::{ApiToken, MemoryStore, SecretStore};
use seedance_core::store::{JobStatus, Store};

use crate::procs::{cpu_ns, cpu_ticks, idle_kib, status_kib, ticks_per_second, Error};

/// How long the three jobs may take to be running (queued 1 s, first poll after about 3 s).
const RUNNING_BOUND: Duration = Duration::from_secs(30);

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn client(api_base: &str) -> Result<SinanClient, Error> {
    Ok(SinanClient::new(ApiConfig::new(api_base, api_base)?)?)
}

fn token(text: &str) -> Result<ApiToken, Error> {
    // Through the secret store, as the app gets it (in memory here, never the system keychain).
    let store = MemoryStore::default();
    store.set(&ApiToken::new(text).ok_or("blank token")?)?;
    Ok(store.get()?.ok_or("no token in the store")?)
}

/// Prints `upload <secs> <peak KiB> <idle KiB>`.
pub fn upload(api_base: &str, token_text: &str, file: &Path) -> Result<(), Error> {
    let rt = runtime()?;
    let client = client(api_base)?;
    let token = token(token_text)?;
    // What the pipeline calls: hash, look in the cache (empty here), upload.
    let cache = MemoryUploadCache::default();
    let idle = idle_kib();
    let started = Instant::now();
    let uploaded = rt.block_on(client.upload_cached(&token, file, &cache, &RealTime, |_, _| {}))?;
    let secs = started.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:").unwrap_or(0.0);
    let sent = std::fs::metadata(file)?.len();
    if uploaded.size != Some(sent) {
        return Err(format!("the service stored {:?} bytes of {sent}", uploaded.size).into());
    }
    println!("upload {secs:.4} {peak} {idle}");
    Ok(())
}

/// Prints `download <secs> <peak KiB> <idle KiB>`.
pub fn download(url: &str, dest: &Path, expected: u64) -> Result<(), Error> {
    let rt = runtime()?;
    // The result host is not the API; the client is the same kind the pipeline builds.
    let client = client("http://127.0.0.1:9")?;
    let idle = idle_kib();
    let started = Instant::now();
    let path = rt.block_on(client.download(url, dest, |_, _| {}))?;
    let secs = started.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:").unwrap_or(0.0);
    let got = std::fs::metadata(&path)?.len();
    if got != expected {
        return Err(format!("downloaded {got} bytes, expected {expected}").into());
    }
    println!("download {secs:.4} {peak} {idle}");
    Ok(())
}

/// Submits three text-to-video jobs to the real runner, waits until all three are running, prints
/// `running <task id>…`, stays idle for `window`, and prints `idle <cpu secs> <window secs> <cpu secs
/// by scheduler>`.
pub fn idle(api_base: &str, token_text: &str, window: Duration) -> Result<(), Error> {
    let rt = runtime()?;
    let data = tempfile::tempdir()?;
    let store = Arc::new(Store::open(&data.path().join("jobs.db"))?);
    let settings = RunnerPrefs {
        output_dir: data.path().join("videos"),
        file_name_pattern: DEFAULT_FILE_NAME_PATTERN.to_owned(),
        upload_region: UploadRegion::Global,
        max_concurrent_jobs: 3,
    };
    let connection = Connection {
        api: ApiConfig::new(api_base, api_base)?,
        token: token(token_text)?,
        demo: false,
    };
    let tick = ticks_per_second();
    rt.block_on(async {
        let runner = JobRunner::new(
            store.clone(),
            Arc::new(NoEvents),
            Arc::new(FixedConnection(connection)),
            Arc::new(move || settings.clone()),
            RunnerTiming::default(),
        );
        let mut ids = Vec::new();
        for subject in [
            "a lighthouse at dusk",
            "一只橘猫在雪中",
            "a paper boat in rain",
        ] {
            let draft = RequestDraft {
                prompt: subject.to_owned(),
                ..RequestDraft::default()
            };
            ids.push(runner.submit(draft, None).await?.id);
        }
        let deadline = Instant::now() + RUNNING_BOUND;
        let tasks = loop {
            let jobs = ids
                .iter()
                .map(|id| store.get_job(id))
                .collect::<Result<Vec<_>, _>>()?;
            if jobs.iter().all(|job| job.status == JobStatus::Running) {
                break jobs
                    .into_iter()
                    .filter_map(|job| job.task_id.map(|t| t.0))
                    .collect::<Vec<_>>();
            }
            if let Some(ended) = jobs.iter().find(|job| past_running(job.status)) {
                return Err(format!("job {} ended early: {:?}", ended.id, ended.problem).into());
            }
            if Instant::now() > deadline {
                let statuses: Vec<_> = jobs.iter().map(|job| (job.status, &job.problem)).collect();
                return Err(
                    format!("the three jobs were not all running in time: {statuses:?}").into(),
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        println!("running {}", tasks.join(" "));
        let cpu_before = cpu_ticks().ok_or("cannot read /proc/self/stat")?;
        let ns_before = cpu_ns();
        let started = Instant::now();
        tokio::time::sleep(window).await;
        let cpu_after = cpu_ticks().ok_or("cannot read /proc/self/stat")?;
        let ns_after = cpu_ns();
        let elapsed = started.elapsed().as_secs_f64();
        let still_running = ids
            .iter()
            .filter_map(|id| store.get_job(id).ok())
            .filter(|job| job.status == JobStatus::Running)
            .count();
        if still_running != ids.len() {
            return Err(format!("only {still_running} of 3 jobs were still running").into());
        }
        let cpu_secs = (cpu_after - cpu_before) as f64 / tick;
        // -1 when the per-thread figures are unavailable (or a thread came or went).
        let fine_secs = match (ns_before, ns_after) {
            (Some(before), Some(after)) if after >= before => (after - before) as f64 / 1e9,
            _ => -1.0,
        };
        println!("idle {cpu_secs:.3} {elapsed:.3} {fine_secs:.6}");
        Ok::<(), Error>(())
    })
}

/// A job this far would leave the window measuring something other than idle polling.
fn past_running(status: JobStatus) -> bool {
    matches!(
        status,
        JobStatus::Downloading
            | JobStatus::Done
            | JobStatus::Failed
            | JobStatus::SubmissionUncertain
    )
}
