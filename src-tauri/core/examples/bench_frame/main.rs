//! Frame bench: `cargo run --release -p seedance-core --example bench_frame` (needs ffmpeg).
//!
//! Takes the last frame of a 12 s 1080p clip (made once under `target/bench-inputs/frame/`, encoded like
//! the film bench's clips: H.264 High with B-frames, a keyframe every 2 s, about 6 Mbit/s) into a PNG:
//! ours (`film::frame::extract_frame` + `write_png`, in a child process of this example) against
//! `ffmpeg -sseof -0.1 -i clip -frames:v 1 out.png`, taking turns, median of [`RUNS`] wall times from
//! spawn to exit (both pay a process start). "Peak" is the child's `VmHWM` at the end. CPU time is printed
//! beside wall time because this machine is often shared: ours from the child's own threads
//! (`/proc/self/task/*/schedstat`), ffmpeg's from its `-benchmark` line (user + system).
//!
//! - `--frame CLIP OUT.png`: one extraction of ours, printing its own timings.
//!
//! Besides the human lines it prints `RESULT key=value` lines that `bench/run.sh` reads.

// Bounded runs and `/proc` readings are the transfer bench's.
#[allow(dead_code)]
#[path = "../bench_transfer/procs.rs"]
mod procs;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use seedance_core::film::frame::{extract_frame, write_png, FramePick};

use procs::{cpu_ns, median, run_bounded, status_kib, Error};

const RUNS: usize = 9;
const BOUND: Duration = Duration::from_secs(60);
const MAKE_BOUND: Duration = Duration::from_secs(600);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        None => parent(),
        Some("--frame") => child(&args[1..]),
        Some(_) => Err("usage: bench_frame [--frame CLIP OUT.png]".into()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn inputs_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("bench-inputs").join("frame")
}

/// The 12 s 1080p clip, made where missing.
fn clip() -> Result<PathBuf, Error> {
    let dir = inputs_dir();
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("clip-12s-1080p.mp4");
    if !path.exists() {
        println!("making {} (12 s 1080p, once)", path.display());
        let part = dir.join("clip.part.mp4");
        let part_arg = part.display().to_string();
        run_bounded(
            "ffmpeg",
            &[
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=1920x1080:rate=24,noise=alls=12:allf=t",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=330:sample_rate=48000",
                "-t",
                "12",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-profile:v",
                "high",
                "-bf",
                "2",
                "-g",
                "48",
                "-b:v",
                "6M",
                "-maxrate",
                "8M",
                "-bufsize",
                "12M",
                "-pix_fmt",
                "yuv420p",
                "-colorspace",
                "bt709",
                "-color_primaries",
                "bt709",
                "-color_trc",
                "bt709",
                "-c:a",
                "aac",
                "-b:a",
                "128k",
                &part_arg,
            ],
            MAKE_BOUND,
        )?;
        std::fs::rename(&part, &path)?;
    }
    Ok(path)
}

/// Runs `program` to its end: wall seconds, standard output, standard error.
fn wall(program: &Path, args: &[String]) -> Result<(f64, String, String), Error> {
    let started = Instant::now();
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()?;
    let secs = started.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!(
            "{} failed: {}",
            program.display(),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    if secs > BOUND.as_secs_f64() {
        return Err(format!("{} took {secs:.1} s", program.display()).into());
    }
    Ok((
        secs,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

fn parent() -> Result<(), Error> {
    let clip = clip()?;
    let dir = inputs_dir();
    let ours_png = dir.join("last-ours.png");
    let ffmpeg_png = dir.join("last-ffmpeg.png");
    let me = std::env::current_exe()?;
    let ffmpeg = PathBuf::from("ffmpeg");
    let ours_args = [
        "--frame".to_owned(),
        clip.display().to_string(),
        ours_png.display().to_string(),
    ];
    let ffmpeg_args: Vec<String> = [
        "-hide_banner",
        "-nostats",
        "-v",
        "info",
        "-benchmark",
        "-y",
        "-sseof",
        "-0.1",
        "-i",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .chain([clip.display().to_string()])
    .chain([
        "-frames:v".to_owned(),
        "1".to_owned(),
        ffmpeg_png.display().to_string(),
    ])
    .collect();

    let (mut ours, mut yard, mut inside, mut peak) = (Vec::new(), Vec::new(), Vec::new(), 0.0f64);
    let (mut ours_cpu, mut yard_cpu) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        let (secs, out, _) = wall(&me, &ours_args)?;
        let numbers: Vec<f64> = out
            .lines()
            .find(|l| l.starts_with("frame "))
            .ok_or("no frame line")?
            .split_whitespace()
            .skip(1)
            .filter_map(|w| w.parse().ok())
            .collect();
        let [extract, png, hwm, cpu] = numbers[..] else {
            return Err(format!("unexpected child output {out:?}").into());
        };
        let (ffmpeg_secs, _, err) = wall(&ffmpeg, &ffmpeg_args)?;
        let ffmpeg_cpu = benchmark_cpu(&err).ok_or("no -benchmark line from ffmpeg")?;
        ours.push(secs);
        yard.push(ffmpeg_secs);
        inside.push(extract);
        ours_cpu.push(cpu);
        yard_cpu.push(ffmpeg_cpu);
        peak = peak.max(hwm / 1024.0);
        println!(
            "run {}: ours {secs:.3} s (decode {extract:.3} s, png {png:.3} s; cpu {cpu:.3} s), ffmpeg {ffmpeg_secs:.3} s (cpu {ffmpeg_cpu:.3} s)",
            run + 1
        );
    }
    let (ours, yard, inside) = (median(&mut ours), median(&mut yard), median(&mut inside));
    let (ours_cpu, yard_cpu) = (median(&mut ours_cpu), median(&mut yard_cpu));
    println!(
        "last frame of a 12 s 1080p clip to PNG: ours median {ours:.3} s (extraction alone {inside:.3} s, cpu {ours_cpu:.3} s), \
         ffmpeg -sseof -0.1 {yard:.3} s (cpu {yard_cpu:.3} s), ratio {:.2} (cpu {:.2}); our peak RSS {peak:.1} MiB",
        ours / yard,
        ours_cpu / yard_cpu
    );
    println!(
        "RESULT frame_last_s={ours:.3} ffmpeg_frame_last_s={yard:.3} frame_last_cpu_s={ours_cpu:.3} \
         ffmpeg_frame_last_cpu_s={yard_cpu:.3} frame_last_peak_mib={peak:.1}"
    );
    Ok(())
}

/// User + system seconds from ffmpeg's `bench: utime=0.652s stime=0.048s rtime=0.401s` line.
fn benchmark_cpu(stderr: &str) -> Option<f64> {
    let line = stderr.lines().find(|l| l.starts_with("bench: utime="))?;
    let field = |name: &str| -> Option<f64> {
        let rest = &line[line.find(name)? + name.len()..];
        rest.split('s').next()?.parse().ok()
    };
    Some(field("utime=")? + field("stime=")?)
}

/// Prints `frame <extract secs> <png secs> <peak KiB> <cpu secs>`.
fn child(args: &[String]) -> Result<(), Error> {
    let [clip, out] = args else {
        return Err("--frame CLIP OUT.png".into());
    };
    let started = Instant::now();
    let frame = extract_frame(Path::new(clip), FramePick::Last)?;
    let extract = started.elapsed().as_secs_f64();
    let started = Instant::now();
    write_png(&frame.image, Path::new(out))?;
    let png = started.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:").unwrap_or(0.0);
    let cpu = cpu_ns().unwrap_or(0) as f64 / 1e9;
    println!("frame {extract:.4} {png:.4} {peak} {cpu:.4}");
    Ok(())
}
