//! The film bench's inputs, made once with ffmpeg under `target/bench-inputs/film/` and reused (never
//! committed): 10 clips of 10 s 1080p at 24 fps like the service's results (H.264 High with B-frames at
//! about 6 Mbit/s, AAC stereo at 48 kHz; 7–8 MB each), each with its own picture (moving pattern, grain)
//! and tone so no two share bytes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::procs::{run_bounded, Error};

pub const CLIPS: usize = 10;
const SECS: u32 = 10;
/// Encoding one noisy 1080p clip on two busy cores takes well under this.
const MAKE_BOUND: Duration = Duration::from_secs(600);

pub fn dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("bench-inputs").join("film")
}

/// The clips, made where missing.
pub fn clips() -> Result<Vec<PathBuf>, Error> {
    let dir = dir();
    std::fs::create_dir_all(&dir)?;
    let mut clips = Vec::with_capacity(CLIPS);
    for i in 0..CLIPS {
        let path = dir.join(format!("clip-{i:02}.mp4"));
        if !path.exists() {
            println!("making {} (10 s 1080p, once)", path.display());
            let part = dir.join(format!("clip-{i:02}.part.mp4"));
            make_clip(&part, i)?;
            std::fs::rename(&part, &path)?;
        }
        clips.push(path);
    }
    Ok(clips)
}

fn make_clip(path: &Path, i: usize) -> Result<(), Error> {
    let picture = format!(
        "testsrc2=size=1920x1080:rate=24,hue=h={},noise=alls=12:allf=t",
        i * 36
    );
    let tone = format!("sine=frequency={}:sample_rate=48000", 220 + 55 * i);
    let secs = SECS.to_string();
    let out = path.to_string_lossy();
    let args = [
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        &picture,
        "-f",
        "lavfi",
        "-i",
        &tone,
        "-t",
        &secs,
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
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        "-ac",
        "2",
        &out,
    ];
    run_bounded("ffmpeg", &args, MAKE_BOUND)
}
