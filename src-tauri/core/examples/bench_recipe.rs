//! Recipe bench: `cargo run --release -p seedance-core --example bench_recipe` (needs ffmpeg).
//!
//! Writes a recipe into a 10 MB "fast start" MP4 (12 s of 720p made once with ffmpeg under
//! `target/bench-inputs/recipe/`; the movie header comes first, so every chunk offset moves), in a child
//! process so its peak memory is its own, median of [`RUNS`]; beside it, ffmpeg copying the same file
//! with a comment added (`-c copy -metadata comment=…`, then an fsync, since ours flushes before its
//! rename). "Peak above idle" is the child's `VmHWM` after the write minus its `VmRSS` just before it: a
//! streamed write stays far below the file's size.
//!
//! Besides the human lines it prints a `RESULT key=value` line.

// Measured children, bounded runs and `/proc` readings are the transfer bench's.
#[allow(dead_code)]
#[path = "bench_transfer/procs.rs"]
mod procs;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use seedance_core::recipe::{read_recipe, write_recipe, Recipe, RecipeFrame, RECIPE_FORMAT};
use seedance_core::request::DraftSettings;

use procs::{idle_kib, median, run_bounded, status_kib, Error, Measured};

const RUNS: usize = 5;
const BOUND: Duration = Duration::from_secs(300);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        None => parent(),
        Some("--child-tag") => child_tag(&args[1..]),
        Some(_) => Err("usage: bench_recipe (--child-tag is internal)".into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("bench-inputs").join("recipe")
}

/// A 12 s 720p clip of about 10 MB with its movie header first, made where missing.
fn input() -> Result<PathBuf, Error> {
    let dir = dir();
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("clip-10mb.mp4");
    if !path.exists() {
        println!("making {} (12 s 720p, once)", path.display());
        let part = dir.join("clip-10mb.part.mp4");
        let out = part.to_string_lossy();
        run_bounded(
            "ffmpeg",
            &[
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=1280x720:rate=24,noise=alls=12:allf=t",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=330:sample_rate=48000",
                "-t",
                "12",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-b:v",
                "6.5M",
                "-maxrate",
                "7M",
                "-bufsize",
                "8M",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-b:a",
                "128k",
                "-movflags",
                "+faststart",
                &out,
            ],
            BOUND,
        )?;
        std::fs::rename(&part, &path)?;
    }
    Ok(path)
}

fn recipe() -> Recipe {
    Recipe {
        format: RECIPE_FORMAT,
        app: "Seedance Studio".into(),
        app_version: env!("CARGO_PKG_VERSION").into(),
        created_at: "2026-12-02T10:00:00Z".into(),
        task_id: Some("cgt-20261202100000-bench".into()),
        mode: Some("first_frame".into()),
        prompt: "a slow dolly shot along a harbour at dawn, gulls, 海浪".into(),
        settings: DraftSettings::default(),
        first_frame: Some(RecipeFrame {
            file_name: Some("harbour.png".into()),
            sha256: Some("5e".repeat(32)),
            url: None,
        }),
        last_frame: None,
        demo: false,
    }
}

fn parent() -> Result<(), Error> {
    let input = input()?;
    let bytes = std::fs::metadata(&input)?.len();
    let (ours_out, ffmpeg_out) = (
        dir().join("tagged-ours.mp4"),
        dir().join("tagged-ffmpeg.mp4"),
    );
    let (mut ours, mut yard, mut peak) = (Vec::new(), Vec::new(), 0.0f64);
    for run in 0..RUNS {
        let args = [
            "--child-tag".to_owned(),
            input.display().to_string(),
            ours_out.display().to_string(),
        ];
        let line = Measured::spawn(&args)?.expect("tag ", BOUND)?;
        let numbers: Vec<f64> = line
            .split_whitespace()
            .skip(1)
            .filter_map(|w| w.parse().ok())
            .collect();
        let [secs, hwm, idle] = numbers[..] else {
            return Err(format!("unexpected child line {line:?}").into());
        };
        ours.push(secs);
        peak = peak.max((hwm - idle).max(0.0) / 1024.0);

        let _ = std::fs::remove_file(&ffmpeg_out);
        let started = Instant::now();
        let (i, o) = (
            input.display().to_string(),
            ffmpeg_out.display().to_string(),
        );
        let comment = format!("comment={}", recipe().summary());
        run_bounded(
            "ffmpeg",
            &[
                "-v",
                "error",
                "-y",
                "-i",
                &i,
                "-map",
                "0",
                "-c",
                "copy",
                "-metadata",
                &comment,
                &o,
            ],
            BOUND,
        )?;
        std::fs::File::open(&ffmpeg_out)?.sync_all()?;
        let theirs = started.elapsed().as_secs_f64();
        yard.push(theirs);
        println!(
            "run {}: ours {secs:.4} s, ffmpeg -c copy + fsync {theirs:.4} s",
            run + 1
        );
    }
    read_recipe(&ours_out)?;
    let (ours, yard) = (median(&mut ours), median(&mut yard));
    println!(
        "recipe into a {:.1} MB fast-start MP4: ours median {ours:.4} s, ffmpeg -c copy -metadata + fsync \
         {yard:.4} s; peak RSS above idle {peak:.2} MiB",
        bytes as f64 / 1e6
    );
    println!(
        "RESULT recipe_tag_s={ours:.4} ffmpeg_metadata_s={yard:.4} recipe_tag_peak_mib={peak:.2}"
    );
    Ok(())
}

/// Prints `tag <secs> <peak KiB> <idle KiB>`.
fn child_tag(args: &[String]) -> Result<(), Error> {
    let [input, output] = args else {
        return Err("--child-tag IN OUT".into());
    };
    let recipe = recipe();
    let idle = idle_kib();
    let started = Instant::now();
    write_recipe(Path::new(input), Path::new(output), &recipe)?;
    let secs = started.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:").unwrap_or(0.0);
    println!("tag {secs:.4} {peak} {idle}");
    Ok(())
}
