//! Batch benchmark: `cargo run --release -p seedance-core --example bench_batch` (after
//! `cargo build --release -p seedance-sim`; `bench/run.sh` does both).
//!
//! - **Checking 100 photos of 24 MP** (6000×4000 JPEGs, each its own content): `batch::check_frames` with
//!   its defaults (the strict check that runs before upload: every Huffman code decoded and checked, each
//!   photo rebuilt at 1/8 scale; as many at once as there are cores), wall time in a child process per run.
//!   With `BENCH_PYTHON` set (a Python with Pillow), each run of ours is followed by a run of
//!   `bench/pillow_batch.py`, the same work (libjpeg's DCT scaling to 1/8, `draft`) in a process pool of the
//!   same size, so a change in the machine's load falls on both.
//! - **A 500-item batch against the simulator** (a `seedance-sim` process on 127.0.0.1, so its memory is
//!   not ours): 500 items over the 100 photos as 500 hard links (five names per photo), so every item's
//!   frame is checked (500 checks) while the disk holds 100 files; uploads go through the upload
//!   cache, which keys on content, so each photo is uploaded once and the other four names reuse it. The
//!   real runner (time 100× fast for its polls, the app's default of jobs at once) starts the batch and
//!   runs every job to its downloaded result. "Peak above idle" is `VmHWM` at the end minus `VmRSS` just
//!   before the batch starts (runtime, store, runner and the reviewed plan already there).
//!
//! - `--parts FILE`: where one photo's check spends its time, step by step (see `parts.rs`).
//! - `--path full|preview FILE RUNS`: one photo's whole check at either depth (see `paths.rs`).
//!
//! Besides the human lines it prints `RESULT key=value` lines that `bench/run.sh` reads.

mod inputs;
mod parts;
mod paths;
// The simulator process, measured children and `/proc` readings are the transfer bench's.
#[allow(dead_code)]
#[path = "../bench_transfer/procs.rs"]
mod procs;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::time::{Duration, Instant};

use seedance_core::api::{ApiConfig, ScaledTime};
use seedance_core::batch::{check_frames, from_paths, plan, CheckOptions, PlanInput};
use seedance_core::cost::CostRates;
use seedance_core::i18n::Message;
use seedance_core::images::IntakeOptions;
use seedance_core::jobs::{
    BatchStart, Connection, FixedConnection, Intent, JobRunner, NoEvents, RunnerPrefs,
    RunnerTiming, SpendConsent,
};
use seedance_core::prefs::{UploadRegion, DEFAULT_FILE_NAME_PATTERN, DEFAULT_MAX_CONCURRENT_JOBS};
use seedance_core::request::RequestDraft;
use seedance_core::secrets::ApiToken;
use seedance_core::store::Store;

use procs::{idle_kib, median, status_kib, Error, Measured, SimProcess};

const TOKEN: &str = "bench-token";
const CHECK_RUNS: usize = 3;
/// Far above what checking 100 photos takes on two cores; past it the case is a failure, not a figure.
const CHECK_BOUND: Duration = Duration::from_secs(600);
const BATCH_BOUND: Duration = Duration::from_secs(1800);
const MIB: f64 = 1024.0;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match words[..] {
        ["--child-check"] => child_check(IntakeOptions::default()),
        // The same at the depth a picked frame is shown at, to compare the paths' costs (see `paths.rs`).
        ["--child-check", "preview"] => child_check(IntakeOptions::preview()),
        ["--child-batch", api, token] => child_batch(api, token),
        ["--parts", file] => parts::run(Path::new(file)),
        ["--path", mode, file, runs] => paths::run(mode, Path::new(file), runs),
        [] => parent(true, true),
        ["check"] => parent(true, false),
        ["batch"] => parent(false, true),
        _ => Err(
            "usage: bench_batch [check | batch | --parts FILE | --path full|preview FILE RUNS] (the --child-* forms are internal)"
                .into(),
        ),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Both cases, or only one (`bench_batch check`, `bench_batch batch`).
fn parent(check: bool, batch: bool) -> Result<(), Error> {
    let photos = inputs::photos()?;
    inputs::item_links(&photos)?;
    let mut results = Vec::new();
    let failed_check = check.then(|| run_check(&mut results).err()).flatten();
    let failed_batch = batch.then(|| run_batch(&mut results).err()).flatten();
    for result in results {
        println!("RESULT {result}");
    }
    match (failed_check, failed_batch) {
        (None, None) => Ok(()),
        (check, batch) => Err(format!("check: {check:?}; batch: {batch:?}").into()),
    }
}

/// The numbers of a child's `PREFIX a b c…` line.
fn numbers(line: &str) -> Vec<f64> {
    line.split_whitespace()
        .skip(1)
        .filter_map(|w| w.parse().ok())
        .collect()
}

fn run_check(results: &mut Vec<String>) -> Result<(), Error> {
    let python = std::env::var_os("BENCH_PYTHON");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/pillow_batch.py");
    let (mut ours, mut pillow, mut peak, mut in_flight) = (Vec::new(), Vec::new(), 0.0f64, 0.0);
    for run in 0..CHECK_RUNS {
        let child = Measured::spawn(&["--child-check".into()])?;
        let line = child.expect("check ", CHECK_BOUND)?;
        let [secs, hwm, idle, flight] = numbers(&line)[..] else {
            return Err(format!("unexpected child line {line:?}").into());
        };
        ours.push(secs);
        peak = peak.max((hwm - idle).max(0.0) / MIB);
        in_flight = flight;
        let mut said = format!("run {}: ours {secs:.2} s", run + 1);
        if let Some(python) = &python {
            let out = Command::new(python)
                .arg(&script)
                .arg(inputs::dir())
                .arg(inputs::PHOTOS.to_string())
                .output()?;
            let text = String::from_utf8_lossy(&out.stdout);
            let secs = text
                .lines()
                .find_map(|l| l.strip_prefix("pillow_check "))
                .and_then(|v| v.trim().parse::<f64>().ok());
            match secs {
                Some(secs) if out.status.success() => {
                    pillow.push(secs);
                    said.push_str(&format!(", Pillow {secs:.2} s"));
                }
                _ => {
                    return Err(format!(
                        "the Pillow yardstick failed: {text} {}",
                        String::from_utf8_lossy(&out.stderr)
                    )
                    .into())
                }
            }
        }
        println!("{said}");
    }
    let runs_ours = ours.clone();
    let ours = median(&mut ours);
    println!(
        "check {} photos of 24 MP: median {ours:.2} s of {CHECK_RUNS} ({in_flight} at once), peak RSS above idle {peak:.1} MiB",
        inputs::PHOTOS
    );
    results.push(format!(
        "batch_check_s={ours:.3} batch_check_peak_mib={peak:.1}"
    ));
    if !pillow.is_empty() {
        // Ours and Pillow take turns, so each run's ratio is the least touched by a change in load.
        let mut ratios: Vec<f64> = runs_ours.iter().zip(&pillow).map(|(o, p)| o / p).collect();
        let said: Vec<String> = ratios.iter().map(|r| format!("{r:.2}")).collect();
        let paired = median(&mut ratios);
        println!(
            "ratio of each run (ours / Pillow): {} (median {paired:.2})",
            said.join(" ")
        );
        results.push(format!("batch_check_pair_ratio={paired:.2}"));
        let pillow = median(&mut pillow);
        println!("Pillow, process pool of the same size: median {pillow:.2} s");
        results.push(format!("pillow_batch_check_s={pillow:.3}"));
    }
    Ok(())
}

/// Prints `check <secs> <peak KiB> <idle KiB> <in flight>`.
fn child_check(intake: IntakeOptions) -> Result<(), Error> {
    let photos = inputs::photos()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let options = CheckOptions {
        intake,
        ..CheckOptions::default()
    };
    let idle = idle_kib();
    let started = Instant::now();
    let mut refused = Vec::new();
    let mut checked = 0;
    rt.block_on(check_frames(&photos, &options, |check| {
        checked += 1;
        match &check.result {
            Ok(info) if info.is_acceptable() => {}
            other => refused.push(format!("{}: {other:?}", check.path.display())),
        }
        ControlFlow::Continue(())
    }));
    let secs = started.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:").unwrap_or(0.0);
    if checked != photos.len() || !refused.is_empty() {
        return Err(format!("{checked} checked, refused: {refused:?}").into());
    }
    println!("check {secs:.4} {peak} {idle} {}", options.in_flight);
    Ok(())
}

fn sim_binary() -> Result<PathBuf, Error> {
    let bin = match std::env::var_os("SEEDANCE_SIM_BIN") {
        Some(bin) => PathBuf::from(bin),
        None => std::env::current_exe()?
            .parent()
            .and_then(Path::parent)
            .ok_or("cannot locate the build folder")?
            .join("seedance-sim"),
    };
    if !bin.is_file() {
        return Err(format!(
            "{} is missing: run `cargo build --release -p seedance-sim` first",
            bin.display()
        )
        .into());
    }
    Ok(bin)
}

fn run_batch(results: &mut Vec<String>) -> Result<(), Error> {
    let sim = SimProcess::start(
        &sim_binary()?,
        TOKEN,
        &[
            "--queued-secs",
            "0",
            "--running-secs",
            "0",
            "--log-requests",
        ],
    )?;
    let child = Measured::spawn(&["--child-batch".into(), sim.api_base.clone(), TOKEN.into()])?;
    let line = child.expect("batch ", BATCH_BOUND)?;
    let [check_secs, total_secs, check_hwm, hwm, idle, done] = numbers(&line)[..] else {
        return Err(format!("unexpected child line {line:?}").into());
    };
    let uploads = sim
        .requests
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .filter(|l| l.starts_with("request POST /api/upload"))
        .count();
    let check_peak = (check_hwm - idle).max(0.0) / MIB;
    let peak = (hwm - idle).max(0.0) / MIB;
    println!(
        "batch of {} items over {} photos: checked in {check_secs:.1} s, {done} of {} done in {total_secs:.1} s, {uploads} uploads; peak RSS above idle {check_peak:.1} MiB while checking, {peak:.1} MiB over the whole run (idle {:.1} MiB)",
        inputs::ITEMS,
        inputs::PHOTOS,
        inputs::ITEMS,
        idle / MIB
    );
    if done as usize != inputs::ITEMS {
        return Err(format!("only {done} of {} jobs finished", inputs::ITEMS).into());
    }
    results.push(format!(
        "batch_peak_mib={peak:.1} batch_check_phase_peak_mib={check_peak:.1} batch_secs={total_secs:.1} batch_uploads={uploads}"
    ));
    Ok(())
}

/// Starts the 500-item batch and waits for every job to settle; prints
/// `batch <check secs> <total secs> <peak KiB after checking> <peak KiB> <idle KiB> <jobs done>`.
fn child_batch(api_base: &str, token: &str) -> Result<(), Error> {
    let photos = inputs::photos()?;
    let links = inputs::item_links(&photos)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let data = tempfile::tempdir_in(inputs::dir())?;
    let store = Arc::new(Store::open(&data.path().join("jobs.db"))?);
    let settings = RunnerPrefs {
        output_dir: data.path().join("videos"),
        file_name_pattern: DEFAULT_FILE_NAME_PATTERN.to_owned(),
        upload_region: UploadRegion::Global,
        max_concurrent_jobs: DEFAULT_MAX_CONCURRENT_JOBS,
    };
    let connection = Connection {
        api: ApiConfig::new(api_base, api_base)?,
        token: ApiToken::new(token).ok_or("blank token")?,
        demo: false,
    };
    let source = from_paths(&links)?;
    let form = RequestDraft {
        prompt: "the product turns slowly on a white table".into(),
        ..RequestDraft::default()
    };
    let plan = plan(
        &source,
        &PlanInput {
            form: &form,
            takes: 1,
            presets: &[],
            rates: &CostRates::default(),
            frame_aspect: &|_| Some(1.5),
        },
    );
    if !plan.can_start() || plan.jobs.len() != inputs::ITEMS {
        return Err(format!("the plan has {} jobs: {:?}", plan.jobs.len(), plan.problems).into());
    }
    rt.block_on(async {
        let time = Arc::new(ScaledTime::new(100));
        let runner = JobRunner::new(
            store.clone(),
            Arc::new(NoEvents),
            Arc::new(FixedConnection(connection)),
            Arc::new(move || settings.clone()),
            RunnerTiming {
                clock: time.clone(),
                sleeper: time,
                ..RunnerTiming::default()
            },
        );
        let idle = idle_kib();
        let started = Instant::now();
        let batch = runner
            .start_batch(BatchStart {
                name: "catalogue",
                source: &Message::new("msg.batch_source.images").arg("count", 500),
                plan: &plan,
                intent: Intent::Once,
                spend: SpendConsent::NotGiven,
            })
            .await?;
        let check_secs = started.elapsed().as_secs_f64();
        let check_peak = status_kib("VmHWM:").unwrap_or(0.0);
        let deadline = Instant::now() + BATCH_BOUND;
        let counts = loop {
            let counts = runner.batch(&batch.id)?.counts;
            if counts.queued == 0 && counts.running == 0 {
                break counts;
            }
            if Instant::now() > deadline {
                return Err(format!("the batch did not finish in time: {counts:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        let total_secs = started.elapsed().as_secs_f64();
        let peak = status_kib("VmHWM:").unwrap_or(0.0);
        if counts.done as usize != inputs::ITEMS {
            eprintln!("not every job was done: {counts:?}");
        }
        println!(
            "batch {check_secs:.3} {total_secs:.3} {check_peak} {peak} {idle} {}",
            counts.done
        );
        Ok::<(), Error>(())
    })
}
