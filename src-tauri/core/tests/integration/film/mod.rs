//! The film joiner on clips made at test time by ffmpeg (the service's kind: H.264 + AAC in MP4), checked
//! with ffprobe and by decoding the joined file with ffmpeg. `./dev test` installs ffmpeg; without it
//! these tests say so and pass without checking anything.

mod checks;
mod frame_refusals;
mod frames;
mod join;
mod recipe;
mod refusals;
mod timeline;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether ffmpeg and ffprobe can run; prints why the test checks nothing when they cannot.
pub fn have_ffmpeg() -> bool {
    let runs = |tool: &str| {
        Command::new(tool)
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let ok = runs("ffmpeg") && runs("ffprobe");
    if !ok {
        skipped("ffmpeg/ffprobe are not installed (`./dev test` installs them)");
    }
    ok
}

/// Says that a check was skipped for want of a tool; under `./dev test` (which installs every tool and sets
/// `SEEDANCE_TEST_TOOLS_REQUIRED`) a missing tool fails the test instead, so a green run checked everything.
pub fn skipped(why: &str) {
    assert!(
        std::env::var_os("SEEDANCE_TEST_TOOLS_REQUIRED").is_none(),
        "a tool this test needs is missing: {why}"
    );
    eprintln!("SKIPPED: {why}");
}

/// A clip like the service's, small so tests stay quick.
#[derive(Clone, Copy)]
pub struct Spec {
    pub secs: f64,
    pub width: u32,
    pub height: u32,
    pub audio: bool,
    pub sample_rate: u32,
    pub channels: u32,
    /// B-frames between reference frames (`-bf`); 0 means none, and no `ctts`.
    pub bframes: u32,
    pub profile: &'static str,
}

pub const CLIP: Spec = Spec {
    secs: 2.0,
    width: 320,
    height: 180,
    audio: true,
    sample_rate: 48000,
    channels: 2,
    bframes: 2,
    profile: "high",
};

/// The same clip at twice the size: the same ratio, so only the resolution differs.
pub const BIGGER: Spec = Spec {
    width: 640,
    height: 360,
    ..CLIP
};

/// Runs ffmpeg with `args`, writing `out`; a failure fails the test with ffmpeg's message.
pub fn ffmpeg(args: &[&str], out: &Path) {
    let run = Command::new("ffmpeg")
        .args(["-v", "error", "-y"])
        .args(args)
        .arg(out)
        .output()
        .expect("ffmpeg runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Makes the clip `name` in `dir` with ffmpeg (a moving test pattern at 30 fps, a 440 Hz tone).
pub fn make_clip(dir: &Path, name: &str, spec: Spec) -> PathBuf {
    let path = dir.join(name);
    let secs = format!("{}", spec.secs);
    let size = format!("{}x{}", spec.width, spec.height);
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("testsrc2=size={size}:rate=30"));
    if spec.audio {
        cmd.args(["-f", "lavfi", "-i"]).arg(format!(
            "sine=frequency=440:sample_rate={}",
            spec.sample_rate
        ));
    }
    cmd.args([
        "-t", &secs, "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
    ])
    .args(["-profile:v", spec.profile, "-bf", &spec.bframes.to_string()]);
    if spec.audio {
        cmd.args([
            "-c:a",
            "aac",
            "-b:a",
            "96k",
            "-ac",
            &spec.channels.to_string(),
        ]);
    }
    let out = cmd.arg(&path).output().expect("ffmpeg runs");
    assert!(
        out.status.success(),
        "ffmpeg failed to make {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// What ffprobe says about a file.
#[derive(Debug)]
pub struct Probe {
    pub duration: f64,
    /// Per stream: codec type ("video"/"audio") and duration in seconds.
    pub streams: Vec<(String, f64)>,
    /// Per stream (by index): each shown packet's (pts, dts) in seconds, in the demuxer's order.
    /// Packets the demuxer marks "discard" are left out: AAC priming, and the second of audio that
    /// ffmpeg decodes again before each edit of a multi-edit track to warm its decoder up.
    pub packets: Vec<Vec<(f64, f64)>>,
}

pub fn probe(path: &Path) -> Probe {
    let run = |args: &[&str]| {
        let out = Command::new("ffprobe")
            .args(["-v", "error"])
            .args(args)
            .arg(path)
            .output()
            .expect("ffprobe runs");
        assert!(
            out.status.success(),
            "ffprobe failed on {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("ffprobe prints UTF-8")
    };
    let info: serde_json::Value = serde_json::from_str(&run(&[
        "-show_entries",
        "format=duration:stream=index,codec_type,duration",
        "-of",
        "json",
    ]))
    .expect("ffprobe prints JSON");
    let number = |v: &serde_json::Value| v.as_str().and_then(|s| s.parse::<f64>().ok());
    let streams: Vec<(String, f64)> = info["streams"]
        .as_array()
        .expect("streams")
        .iter()
        .map(|s| {
            (
                s["codec_type"].as_str().unwrap_or("?").to_owned(),
                number(&s["duration"]).unwrap_or(f64::NAN),
            )
        })
        .collect();
    let mut packets = vec![Vec::new(); streams.len()];
    let listing = run(&[
        "-show_entries",
        "packet=stream_index,pts_time,dts_time,flags",
        "-of",
        "csv=p=0",
    ]);
    // Audio lines end with an empty side-data field, and side data adds blank lines.
    for line in listing.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split(',').collect();
        let [stream, pts, dts, flags, ..] = fields[..] else {
            panic!("unexpected packet line {line:?}");
        };
        if flags.contains('D') {
            continue;
        }
        let stream: usize = stream.parse().expect("stream index");
        let time = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
        packets[stream].push((time(pts), time(dts)));
    }
    Probe {
        duration: number(&info["format"]["duration"]).expect("format duration"),
        streams,
        packets,
    }
}

/// Errors ffmpeg prints while decoding every frame of `path` (empty when it decodes cleanly).
pub fn decode_errors(path: &Path) -> String {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "null", "-"])
        .output()
        .expect("ffmpeg runs");
    let mut errors = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() {
        errors.push_str(&format!(" (exit {})", out.status));
    }
    errors
}

/// The files' bytes, to show that joining left them as they were.
pub fn contents(paths: &[PathBuf]) -> Vec<Vec<u8>> {
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("clip readable"))
        .collect()
}
