//! Real sizes once: a 24 MP JPEG first frame (several MB, as a phone photo) goes up and a 6 MB video comes
//! back through `seedance generate --wait` against the simulator on 127.0.0.1, and the file on disk is the
//! served video byte for byte. Prints how long it took and, where `/usr/bin/time` exists, the command's
//! peak memory (run with `--no-capture` to see them).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use seedance_sim::{SimConfig, SAMPLE_MP4};

use crate::send::{out_dir, Service};
use crate::support::{Env, Run, BIN};

/// A little pseudo-random generator, so the pictures and the video differ in every byte and stay big.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A 6000×4000 JPEG of grey with noise over it: several MB, like a camera's photo.
fn photo(dir: &Path) -> PathBuf {
    let (width, height) = (6000u32, 4000u32);
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    // Mid grey with every byte moved by up to 15: eight bytes per step (no carry between them).
    let mut pixels = vec![0u8; (width * height * 3) as usize];
    for chunk in pixels.chunks_exact_mut(8) {
        let n = (noise.next() & 0x0f0f_0f0f_0f0f_0f0f) + 0x7878_7878_7878_7878;
        chunk.copy_from_slice(&n.to_le_bytes());
    }
    let path = dir.join("photo-24mp.jpg");
    let file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    JpegEncoder::new_with_quality(file, 90)
        .encode(&pixels, width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    path
}

/// The sample video with a 6 MB `free` box after it (an MP4 may carry one; players skip it).
fn video(dir: &Path) -> PathBuf {
    let payload = 6 * 1024 * 1024;
    let mut bytes = SAMPLE_MP4.to_vec();
    bytes.extend_from_slice(&u32::try_from(payload + 8).unwrap().to_be_bytes());
    bytes.extend_from_slice(b"free");
    let mut noise = Noise(0x2545_f491_4f6c_dd1d);
    while bytes.len() < SAMPLE_MP4.len() + 8 + payload {
        bytes.extend_from_slice(&noise.next().to_le_bytes());
    }
    bytes.truncate(SAMPLE_MP4.len() + 8 + payload);
    let path = dir.join("served.mp4");
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `env`'s command for `args`, under `/usr/bin/time -v` when that exists (for the peak memory).
fn timed(env: &Env, args: &[&str]) -> (Run, Option<String>) {
    let plain = env.command(args);
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.is_file() {
        let mut cmd = Command::new(time);
        cmd.arg("-v").arg(BIN).args(args);
        for (key, value) in plain.get_envs() {
            match value {
                Some(value) => cmd.env(key, value),
                None => cmd.env_remove(key),
            };
        }
        cmd
    } else {
        plain
    };
    let output = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let peak = stderr
        .lines()
        .find(|l| l.contains("Maximum resident set size"))
        .map(|l| l.trim().to_owned());
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr,
    };
    (run, peak)
}

#[test]
fn a_24_mp_photo_goes_up_and_a_6_mb_video_comes_back_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let made = Instant::now();
    let photo = photo(dir.path());
    let served = video(dir.path());
    let photo_bytes = std::fs::metadata(&photo).unwrap().len();
    eprintln!(
        "test files made in {:.1} s: photo {:.1} MB",
        made.elapsed().as_secs_f64(),
        photo_bytes as f64 / 1e6
    );
    assert!(
        (2_000_000..30_000_000).contains(&photo_bytes),
        "{photo_bytes} bytes"
    );
    let service = Service::start(SimConfig {
        queued_for: Duration::from_millis(50),
        running_for: Duration::from_millis(150),
        result_file: Some(served.clone()),
        ..SimConfig::default()
    });
    let env = service.env();
    let out = out_dir(&env);
    let started = Instant::now();
    let (run, peak) = timed(
        &env,
        &[
            "--json",
            "generate",
            "--yes",
            "--wait",
            "--prompt",
            "a long pan over the hills",
            "--first",
            photo.to_str().unwrap(),
            "--out",
            &out,
        ],
    );
    let took = started.elapsed();
    assert_eq!(run.code, 0, "{run:?}");
    let job = run
        .json_lines()
        .into_iter()
        .rfind(|l| l["event"] == "job")
        .unwrap();
    assert_eq!(job["status"], "done", "{run:?}");
    let saved = std::fs::read(job["output_path"].as_str().unwrap()).unwrap();
    let expected = std::fs::read(&served).unwrap();
    // The saved video is the served one with its recipe in the movie header (`ftyp`, then `moov`): the
    // `ftyp` and everything after the `moov` are byte for byte as served.
    let after_moov =
        |bytes: &[u8]| 32 + u32::from_be_bytes(bytes[32..36].try_into().unwrap()) as usize;
    assert_eq!(
        (&saved[36..40], &expected[36..40]),
        (&b"moov"[..], &b"moov"[..])
    );
    assert!(
        saved[..32] == expected[..32]
            && saved[after_moov(&saved)..] == expected[after_moov(&expected)..],
        "the video on disk differs from the one served"
    );
    seedance_core::recipe::read_recipe(std::path::Path::new(job["output_path"].as_str().unwrap()))
        .unwrap();
    assert_eq!(service.creates(), 1);
    eprintln!(
        "generate --wait with a {:.1} MB photo and a {:.1} MB video: {:.1} s; {}",
        photo_bytes as f64 / 1e6,
        expected.len() as f64 / 1e6,
        took.as_secs_f64(),
        peak.as_deref()
            .unwrap_or("peak memory not measured (no /usr/bin/time)")
    );
}
