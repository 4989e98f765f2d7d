//! Transfer and idle benchmark: `cargo run --release -p seedance-core --example bench_transfer` (after
//! `cargo build --release -p seedance-sim`; `bench/transfer.sh` does both).
//!
//! The simulator runs as a separate `seedance-sim` process on 127.0.0.1, so its memory and CPU are not
//! ours, and each measured case runs in a child process of this binary, so its peak RSS is its own:
//! - upload of a 29.9 MB image through what the pipeline calls (`upload_cached`: hash, then upload);
//! - download of a 200 MB result through the client's `download` (`.part`, fsync, rename), against
//!   `curl -s -o FILE URL && sync FILE` of a link of the same kind (and plain curl, for information);
//! - the real job runner with three jobs running, idle between polls for 30 s: its CPU, and how many
//!   task queries per job the simulator saw.
//!
//! "Peak above idle" is `VmHWM` at the end minus `VmRSS` just before the transfer starts (runtime and
//! HTTP client already built). Besides the human lines it prints `RESULT key=value` lines.

mod child;
mod inputs;
mod procs;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use seedance_core::api::{ApiConfig, SinanClient, TaskId};
use seedance_core::secrets::ApiToken;

use procs::{median, run_bounded, Error, Measured, SimProcess};

const TOKEN: &str = "bench-token";
const UPLOAD_RUNS: usize = 3;
const DOWNLOAD_RUNS: usize = 5;
const IDLE_WINDOW: Duration = Duration::from_secs(30);
/// Far above what one transfer takes on a loopback; past it the case is a failure, not a figure.
const CASE_BOUND: Duration = Duration::from_secs(120);
const MIB: f64 = 1024.0;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match words[..] {
        ["--child-upload", api, token, file] => child::upload(api, token, Path::new(file)),
        ["--child-download", url, dest, expected] => expected
            .parse()
            .map_err(Error::from)
            .and_then(|expected| child::download(url, Path::new(dest), expected)),
        ["--child-idle", api, token, secs] => secs
            .parse()
            .map_err(Error::from)
            .and_then(|secs| child::idle(api, token, Duration::from_secs_f64(secs))),
        [] => return parent(),
        _ => Err("usage: bench_transfer (the --child-* forms are internal)".into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parent() -> ExitCode {
    let mut results = Vec::new();
    let mut failed = false;
    match run_transfers(&mut results) {
        Ok(()) => {}
        Err(e) => {
            eprintln!("transfers: {e}");
            failed = true;
        }
    }
    match run_idle(&mut results) {
        Ok(()) => {}
        Err(e) => {
            eprintln!("idle with 3 running jobs: {e}");
            failed = true;
        }
    }
    for result in results {
        println!("RESULT {result}");
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `target/release/seedance-sim` beside this example's folder, unless `SEEDANCE_SIM_BIN` says otherwise.
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

/// `upload <secs> <peak KiB> <idle KiB>` and the like: (secs, peak above idle in MiB).
fn parse_case(line: &str) -> Result<(f64, f64), Error> {
    let numbers: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|w| w.parse().ok())
        .collect();
    match numbers[..] {
        [secs, peak, idle] => Ok((secs, (peak - idle).max(0.0) / MIB)),
        _ => Err(format!("unexpected child line {line:?}").into()),
    }
}

fn run_transfers(results: &mut Vec<String>) -> Result<(), Error> {
    let (upload_file, result_file) = inputs::make()?;
    let result_arg = result_file.to_string_lossy().into_owned();
    let sim = SimProcess::start(
        &sim_binary()?,
        TOKEN,
        &[
            "--queued-secs",
            "0",
            "--running-secs",
            "0",
            "--result-file",
            &result_arg,
        ],
    )?;

    let upload_mb = std::fs::metadata(&upload_file)?.len() as f64 / 1e6;
    let (mut times, mut peak) = (Vec::new(), 0.0f64);
    for _ in 0..UPLOAD_RUNS {
        let child = Measured::spawn(&[
            "--child-upload".into(),
            sim.api_base.clone(),
            TOKEN.into(),
            upload_file.to_string_lossy().into_owned(),
        ])?;
        let (secs, above) = parse_case(&child.expect("upload ", CASE_BOUND)?)?;
        times.push(secs);
        peak = peak.max(above);
    }
    let upload_ms = median(&mut times) * 1000.0;
    println!(
        "upload {upload_mb:.1} MB: median {upload_ms:.0} ms of {UPLOAD_RUNS} (hash + upload), peak RSS above idle {peak:.1} MiB (highest run)"
    );
    results.push(format!(
        "upload_peak_mib={peak:.1} upload_ms={upload_ms:.0}"
    ));

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = SinanClient::new(ApiConfig::new(&sim.api_base, &sim.api_base)?)?;
    let token = ApiToken::new(TOKEN).ok_or("blank token")?;
    let work = tempfile::tempdir_in(inputs::target_dir())?;
    let mb = inputs::RESULT_BYTES as f64 / 1e6;
    let (mut ours, mut curl, mut curl_nosync, mut peak) =
        (Vec::new(), Vec::new(), Vec::new(), 0.0f64);
    // Ours and curl take turns, so a change in the machine's load falls on both.
    for run in 0..DOWNLOAD_RUNS {
        let dest = work.path().join(format!("ours-{run}.mp4"));
        let child = Measured::spawn(&[
            "--child-download".into(),
            rt.block_on(fresh_link(&client, &token))?,
            dest.to_string_lossy().into_owned(),
            inputs::RESULT_BYTES.to_string(),
        ])?;
        let (secs, above) = parse_case(&child.expect("download ", CASE_BOUND)?)?;
        ours.push(mb / secs);
        peak = peak.max(above);
        std::fs::remove_file(&dest)?;

        let dest = work.path().join(format!("curl-{run}.mp4"));
        let dest_arg = dest.to_string_lossy().into_owned();
        let url = rt.block_on(fresh_link(&client, &token))?;
        let started = Instant::now();
        run_bounded("curl", &["-s", "-o", &dest_arg, &url], CASE_BOUND)?;
        let fetched = started.elapsed().as_secs_f64();
        run_bounded("sync", &[&dest_arg], CASE_BOUND)?;
        let synced = started.elapsed().as_secs_f64();
        let got = std::fs::metadata(&dest)?.len();
        if got != inputs::RESULT_BYTES {
            return Err(format!("curl fetched {got} bytes").into());
        }
        curl_nosync.push(mb / fetched);
        curl.push(mb / synced);
        std::fs::remove_file(&dest)?;
    }
    let (ours, curl, curl_nosync) = (
        median(&mut ours),
        median(&mut curl),
        median(&mut curl_nosync),
    );
    println!(
        "download {mb:.0} MB: ours {ours:.0} MB/s (fsync + rename), curl + sync {curl:.0} MB/s, plain curl {curl_nosync:.0} MB/s (medians of {DOWNLOAD_RUNS}); ours/curl+sync {:.2}",
        ours / curl
    );
    println!("download peak RSS above idle {peak:.1} MiB (highest run)");
    results.push(format!(
        "download_peak_mib={peak:.1} download_mbps={ours:.1} curl_mbps={curl:.1} curl_nosync_mbps={curl_nosync:.1}"
    ));
    Ok(())
}

/// A new finished task's signed result link: fresh for every run.
async fn fresh_link(client: &SinanClient, token: &ApiToken) -> Result<String, Error> {
    let body = serde_json::json!({
        "prompt": "benchmark", "duration": 5, "resolution": "720p", "ratio": "16:9"
    });
    let id: TaskId = client
        .create_task(token, &body)
        .await
        .map_err(|e| format!("create: {e}"))?;
    for _ in 0..50 {
        if let Some(url) = client.get_task(token, &id).await?.video_url {
            return Ok(url);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err("the task never finished".into())
}

fn run_idle(results: &mut Vec<String>) -> Result<(), Error> {
    let sim = SimProcess::start(
        &sim_binary()?,
        TOKEN,
        &[
            "--queued-secs",
            "1",
            "--running-secs",
            "60",
            "--log-requests",
        ],
    )?;
    let child = Measured::spawn(&[
        "--child-idle".into(),
        sim.api_base.clone(),
        TOKEN.into(),
        IDLE_WINDOW.as_secs_f64().to_string(),
    ])?;
    let running = child.expect("running ", Duration::from_secs(60))?;
    let paths: Vec<String> = running
        .split_whitespace()
        .skip(1)
        .map(|id| format!("/v1/tasks/{id}"))
        .collect();
    if paths.len() != 3 {
        return Err(format!("expected 3 task ids, got {running:?}").into());
    }
    // The simulator prints its log every 50 ms: wait it out at both ends of the window alike.
    let log_delay = Duration::from_millis(150);
    std::thread::sleep(log_delay);
    let before = sim.count_paths(&paths);
    let idle = child.expect("idle ", IDLE_WINDOW + Duration::from_secs(30))?;
    std::thread::sleep(log_delay);
    let after = sim.count_paths(&paths);
    let numbers: Vec<f64> = idle
        .split_whitespace()
        .skip(1)
        .filter_map(|w| w.parse().ok())
        .collect();
    let [cpu_secs, window, fine_secs] = numbers[..] else {
        return Err(format!("unexpected child line {idle:?}").into());
    };
    let polls: Vec<usize> = after.iter().zip(&before).map(|(a, b)| a - b).collect();
    let cpu_pct = cpu_secs / window * 100.0;
    let fine = if fine_secs < 0.0 {
        "unavailable".to_owned()
    } else {
        format!("{:.4} %", fine_secs / window * 100.0)
    };
    let worst = polls.iter().copied().max().unwrap_or(0) as f64 * 3.0 / window;
    println!(
        "idle with 3 running jobs, {window:.1} s: CPU (utime+stime, 10 ms ticks) {cpu_secs:.3} s = {cpu_pct:.3} % of one core (scheduler's ns count: {fine}); task queries per job {polls:?} = {worst:.2} per 3 s (most polled job)"
    );
    results.push(format!(
        "idle_cpu_pct={cpu_pct:.3} polls_per_job_per_3s={worst:.2}"
    ));
    Ok(())
}
