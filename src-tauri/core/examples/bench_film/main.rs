//! Film bench: `cargo run --release -p seedance-core --example bench_film` (needs ffmpeg and ffprobe).
//!
//! Joins 10 clips of 10 s 1080p (made once by `inputs.rs`) into one film, ours (`film::join`, in a child
//! process so its peak memory is its own) and ffmpeg's `-f concat -safe 0 -i list.txt -c copy` on the
//! same files, taking turns, median of [`RUNS`]. Ours flushes the film to the disk before renaming it
//! into place (crash safety); ffmpeg does not, so its yardstick time includes an fsync of its output,
//! and its plain time is printed as well. "Peak above idle" is the child's `VmHWM` after the join minus
//! its `VmRSS` just before it.
//!
//! - `--join OUT IN…`: one join of ours, for looking at its output.
//!
//! Besides the human lines it prints `RESULT key=value` lines that `bench/run.sh` reads.

mod inputs;
// Measured children, bounded runs and `/proc` readings are the transfer bench's.
#[allow(dead_code)]
#[path = "../bench_transfer/procs.rs"]
mod procs;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use seedance_core::film::{join, JoinOptions};

use procs::{idle_kib, median, run_bounded, status_kib, Error, Measured};

const RUNS: usize = 5;
/// Copying ~75 MB takes about a second; past this bound the case is a failure, not a figure.
const JOIN_BOUND: Duration = Duration::from_secs(120);
const MIB: f64 = 1024.0;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        None => parent(),
        Some("--child-join") => child_join(&args[1..], false),
        Some("--join") => child_join(&args[1..], true),
        Some(_) => Err("usage: bench_film [--join OUT IN…] (--child-join is internal)".into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parent() -> Result<(), Error> {
    let clips = inputs::clips()?;
    let dir = inputs::dir();
    let bytes: u64 = clips
        .iter()
        .map(|c| std::fs::metadata(c).map(|m| m.len()))
        .sum::<Result<_, _>>()?;
    let list = dir.join("list.txt");
    let listing: String = clips
        .iter()
        .map(|c| format!("file '{}'\n", c.display()))
        .collect();
    std::fs::write(&list, listing)?;
    let ours_out = dir.join("film-ours.mp4");
    let ffmpeg_out = dir.join("film-ffmpeg.mp4");

    let (mut ours, mut yard, mut plain, mut peak) = (Vec::new(), Vec::new(), Vec::new(), 0.0f64);
    for run in 0..RUNS {
        let mut args = vec!["--child-join".to_owned(), ours_out.display().to_string()];
        args.extend(clips.iter().map(|c| c.display().to_string()));
        let child = Measured::spawn(&args)?;
        let line = child.expect("join ", JOIN_BOUND)?;
        let numbers: Vec<f64> = line
            .split_whitespace()
            .skip(1)
            .filter_map(|w| w.parse().ok())
            .collect();
        let [secs, hwm, idle] = numbers[..] else {
            return Err(format!("unexpected child line {line:?}").into());
        };
        ours.push(secs);
        peak = peak.max((hwm - idle).max(0.0) / MIB);

        let _ = std::fs::remove_file(&ffmpeg_out);
        let started = Instant::now();
        let list_arg = list.display().to_string();
        let out_arg = ffmpeg_out.display().to_string();
        run_bounded(
            "ffmpeg",
            &[
                "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", &list_arg, "-c", "copy",
                &out_arg,
            ],
            JOIN_BOUND,
        )?;
        let ffmpeg_secs = started.elapsed().as_secs_f64();
        std::fs::File::open(&ffmpeg_out)?.sync_all()?;
        let synced = started.elapsed().as_secs_f64();
        plain.push(ffmpeg_secs);
        yard.push(synced);
        println!(
            "run {}: ours {secs:.3} s, ffmpeg {ffmpeg_secs:.3} s (+ fsync {synced:.3} s)",
            run + 1
        );
    }
    let ours_len = probe_duration(&ours_out)?;
    let ffmpeg_len = probe_duration(&ffmpeg_out)?;
    let (ours, yard, plain) = (median(&mut ours), median(&mut yard), median(&mut plain));
    println!(
        "join {} clips of 10 s 1080p ({:.1} MB): ours median {ours:.3} s, ffmpeg -f concat -c copy + fsync {yard:.3} s \
         (plain {plain:.3} s), ratio {:.2}; peak RSS above idle {peak:.2} MiB; films last {ours_len:.3} s (ours) and \
         {ffmpeg_len:.3} s (ffmpeg)",
        clips.len(),
        bytes as f64 / 1e6,
        ours / yard
    );
    println!(
        "RESULT film_join_s={ours:.3} ffmpeg_join_s={yard:.3} ffmpeg_join_nosync_s={plain:.3} film_join_peak_mib={peak:.2}"
    );
    Ok(())
}

fn probe_duration(path: &Path) -> Result<f64, Error> {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
        ])
        .arg(path)
        .output()?;
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|e| format!("ffprobe on {}: {e}", path.display()).into())
}

/// Prints `join <secs> <peak KiB> <idle KiB>`.
fn child_join(args: &[String], verbose: bool) -> Result<(), Error> {
    let [out, inputs @ ..] = args else {
        return Err("--join OUT IN…".into());
    };
    let inputs: Vec<PathBuf> = inputs.iter().map(PathBuf::from).collect();
    let idle = idle_kib();
    let started = Instant::now();
    let report = join(&inputs, Path::new(out), &JoinOptions::default(), |_| {
        ControlFlow::Continue(())
    })?;
    let secs = started.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:").unwrap_or(0.0);
    if verbose {
        println!("{report:?}");
    }
    println!("join {secs:.4} {peak} {idle}");
    Ok(())
}
