//! Intake benchmark: `cargo run --release -p seedance-core --example bench_intake`.
//!
//! Inputs are generated once into `target/bench-inputs/`. Each case runs in a child process of this
//! binary so its peak RSS (`VmHWM`) belongs to that case alone. A last case drops the JPEG and the PNG
//! together (two threads, as when a first and a last frame arrive at once) and times the pair's wall clock.
//!
//! Besides the human table it prints `RESULT key=value` lines that `bench/run.sh` reads.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use image::{DynamicImage, Rgb, RgbImage};
use seedance_core::images::{intake, IntakeDepth, IntakeOptions};

struct Case {
    name: &'static str,
    key: &'static str,
    file: &'static str,
    runs: usize,
    /// "preview" is what showing a dropped frame runs; "full" is the strict decode before upload.
    depth: &'static str,
}

const PAIR_RUNS: usize = 11;

const CASES: [Case; 4] = [
    Case {
        name: "jpeg 6000x4000 q90",
        key: "jpeg",
        file: "photo-6000x4000.jpg",
        runs: 11,
        depth: "preview",
    },
    Case {
        name: "jpeg full (before upload)",
        key: "jpeg_full",
        file: "photo-6000x4000.jpg",
        runs: 11,
        depth: "full",
    },
    Case {
        name: "png 6000x6000",
        key: "png",
        file: "photo-6000x6000.png",
        runs: 11,
        depth: "preview",
    },
    Case {
        name: "png bomb 60000x60000",
        key: "bomb",
        file: "bomb-60000x60000.png",
        runs: 51,
        depth: "preview",
    },
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 5 && args[1] == "--child" {
        return run_child(Path::new(&args[2]), args[3].parse()?, depth(&args[4]));
    }
    if args.len() == 5 && args[1] == "--child-pair" {
        return run_child_pair(Path::new(&args[2]), Path::new(&args[3]), args[4].parse()?);
    }
    let dir = inputs_dir();
    std::fs::create_dir_all(&dir)?;
    make_inputs(&dir, 1)?;
    let exe = std::env::current_exe()?;
    let mut results = Vec::new();
    println!(
        "{:<24} {:>10} {:>10} {:>12} {:>14}",
        "case", "median ms", "min ms", "file MB", "peak RSS MB"
    );
    for case in CASES {
        let path = dir.join(case.file);
        let out = Command::new(&exe)
            .arg("--child")
            .arg(&path)
            .arg(case.runs.to_string())
            .arg(case.depth)
            .output()?;
        if !out.status.success() {
            eprintln!(
                "{}: child failed: {}",
                case.name,
                String::from_utf8_lossy(&out.stderr)
            );
            continue;
        }
        let line = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<f64> = line
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        if let [median, min, hwm_kb, baseline_kb] = fields[..] {
            let mb = std::fs::metadata(&path)?.len() as f64 / 1e6;
            println!(
                "{:<24} {:>10.3} {:>10.3} {:>12.2} {:>14.1}   (process baseline {:.1} MB)",
                case.name,
                median,
                min,
                mb,
                hwm_kb / 1024.0,
                baseline_kb / 1024.0
            );
            results.push(format!("{}_ms={median:.3}", case.key));
            results.push(format!("{}_peak_mib={:.1}", case.key, hwm_kb / 1024.0));
        } else {
            eprintln!("{}: unexpected child output {line:?}", case.name);
        }
    }
    let out = Command::new(&exe)
        .arg("--child-pair")
        .arg(dir.join(case("jpeg").file))
        .arg(dir.join(case("png").file))
        .arg(PAIR_RUNS.to_string())
        .output()?;
    let line = String::from_utf8_lossy(&out.stdout);
    match line.trim().parse::<f64>() {
        Ok(median) if out.status.success() => {
            println!("{:<24} {median:>10.3}", "jpeg + png together");
            results.push(format!("pair_ms={median:.3}"));
        }
        _ => eprintln!(
            "pair: child failed: {line:?} {}",
            String::from_utf8_lossy(&out.stderr)
        ),
    }
    for result in results {
        println!("RESULT {result}");
    }
    Ok(())
}

/// Prints the median wall time in ms of intaking both files at once, each on its own thread.
fn run_child_pair(
    first: &Path,
    last: &Path,
    runs: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let opts = IntakeOptions::preview();
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let (a, b) = std::thread::scope(|scope| {
            let a = scope.spawn(|| intake(first, &opts).is_ok());
            let b = scope.spawn(|| intake(last, &opts).is_ok());
            (a.join().unwrap_or(false), b.join().unwrap_or(false))
        });
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if !(a && b) {
            return Err("an intake of the pair failed".into());
        }
    }
    times.sort_by(f64::total_cmp);
    println!("{:.3}", times[times.len() / 2]);
    Ok(())
}

fn depth(name: &str) -> IntakeDepth {
    if name == "full" {
        IntakeDepth::Full
    } else {
        IntakeDepth::Preview
    }
}

/// Prints `median_ms min_ms peak_rss_kb baseline_rss_kb`.
fn run_child(
    path: &Path,
    runs: usize,
    depth: IntakeDepth,
) -> Result<(), Box<dyn std::error::Error>> {
    let baseline = status_kb("VmHWM:").unwrap_or(0.0);
    let opts = IntakeOptions {
        depth,
        ..IntakeOptions::default()
    };
    let mut times = Vec::with_capacity(runs);
    let mut outcome = String::new();
    for _ in 0..runs {
        let started = Instant::now();
        let result = intake(path, &opts);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        outcome = match result {
            Ok(info) => format!(
                "ok {}x{} problems={}",
                info.width,
                info.height,
                info.problems.len()
            ),
            Err(e) => format!("err {e}"),
        };
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let min = times[0];
    let hwm = status_kb("VmHWM:").unwrap_or(0.0);
    println!("{median:.3} {min:.3} {hwm} {baseline}");
    eprintln!("{outcome}");
    Ok(())
}

fn status_kb(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn inputs_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("bench-inputs")
}

/// Smooth gradients plus noise of ±`noise`, like a photo's sensor grain.
fn photo(width: u32, height: u32, noise: u32) -> DynamicImage {
    let mut state: u32 = 0x2545_F491;
    DynamicImage::from(RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state % (2 * noise + 1)) as i32 - noise as i32;
        let px = |v: f64| (v as i32 + n).clamp(0, 255) as u8;
        let (fx, fy) = (
            f64::from(x) / f64::from(width),
            f64::from(y) / f64::from(height),
        );
        Rgb([
            px(128.0 + 100.0 * (fx * 7.0).sin() * (fy * 3.0).cos()),
            px(255.0 * fy),
            px(128.0 + 90.0 * ((fx + fy) * 5.0).cos()),
        ])
    }))
}

/// What a case's input file holds. Chosen by the case's key, never by its place in [`CASES`], so adding a
/// case cannot hand one case another's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Input {
    /// A 6000×4000 photo-like JPEG, quality 90.
    Jpeg,
    /// A 6000×6000 photo-like PNG.
    Png,
    /// A tiny PNG whose header claims 60000×60000.
    Bomb,
}

impl Input {
    /// The picture's size in the bench (what the file's header says).
    fn full_size(self) -> (u32, u32) {
        match self {
            Self::Jpeg => (6000, 4000),
            Self::Png => (6000, 6000),
            Self::Bomb => (60_000, 60_000),
        }
    }

    /// The size made when photos are shrunk by `shrink` (tests make small versions of the same set). A
    /// bomb is a few bytes at any claimed size, so it keeps its own.
    fn size(self, shrink: u32) -> (u32, u32) {
        let (w, h) = self.full_size();
        match self {
            Self::Bomb => (w, h),
            Self::Jpeg | Self::Png => (w / shrink.max(1), h / shrink.max(1)),
        }
    }
}

fn input_of(key: &str) -> Option<Input> {
    match key {
        "jpeg" | "jpeg_full" => Some(Input::Jpeg),
        "png" => Some(Input::Png),
        "bomb" => Some(Input::Bomb),
        _ => None,
    }
}

fn case(key: &str) -> &'static Case {
    CASES
        .iter()
        .find(|c| c.key == key)
        .unwrap_or_else(|| panic!("no bench case {key:?}"))
}

/// Writes `input` at `path`, its photos shrunk by `shrink` (1 for the bench itself).
fn make_input(path: &Path, input: Input, shrink: u32) -> Result<(), Box<dyn std::error::Error>> {
    let (width, height) = input.size(shrink);
    match input {
        Input::Jpeg => {
            let mut bytes = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
                .encode_image(&photo(width, height, 6).to_rgb8())?;
            std::fs::write(path, bytes)?;
        }
        Input::Png => photo(width, height, 2).save_with_format(path, image::ImageFormat::Png)?,
        Input::Bomb => std::fs::write(path, png_claiming(width, height))?,
    }
    Ok(())
}

/// Makes every case's input that is not there yet (cases sharing a file share one input), its photos
/// shrunk by `shrink`.
fn make_inputs(dir: &Path, shrink: u32) -> Result<(), Box<dyn std::error::Error>> {
    for case in &CASES {
        let input =
            input_of(case.key).ok_or_else(|| format!("no input for case {:?}", case.key))?;
        let path = dir.join(case.file);
        if !path.exists() {
            make_input(&path, input, shrink)?;
        }
    }
    Ok(())
}

fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32fast::hash(&body).to_be_bytes());
    };
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01],
    );
    chunk(b"IEND", &[]);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Every case has an input, and cases that share a file agree on what it holds; the file's extension
    /// matches the input's format.
    #[test]
    fn each_case_gets_its_own_kind_of_input() {
        for c in &CASES {
            let input = input_of(c.key).expect("an input for every case");
            let ext = Path::new(c.file).extension().and_then(|e| e.to_str());
            let expected = match input {
                Input::Jpeg => "jpg",
                Input::Png | Input::Bomb => "png",
            };
            assert_eq!(ext, Some(expected), "{}", c.key);
            for other in CASES.iter().filter(|o| o.file == c.file) {
                assert_eq!(
                    input_of(other.key),
                    Some(input),
                    "{} and {}",
                    c.key,
                    other.key
                );
            }
        }
        assert_eq!(case("png").file, "photo-6000x6000.png");
        assert_eq!(case("bomb").file, "bomb-60000x60000.png");
    }

    /// The bomb input is what its case claims: a PNG header of 60000×60000 in a few bytes.
    #[test]
    fn the_bomb_input_is_a_bomb() {
        let dir = std::env::temp_dir().join(format!("bench-intake-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(case("bomb").file);
        make_input(&path, input_of("bomb").unwrap(), 1).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() < 200);
        assert_eq!(&bytes[16..24], &[0, 0, 0xEA, 0x60, 0, 0, 0xEA, 0x60]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// From an empty folder, every case's file is made, each holding its own kind of picture at its own
    /// size: the JPEG cases a JPEG, the PNG case a real 6000×6000-shaped PNG (not the bomb's bytes, which
    /// a positional pick once wrote there), the bomb a few bytes claiming 60000×60000. Photos are made
    /// 50× smaller so a debug build makes them in moments; the set and the file names are the bench's.
    #[test]
    fn inputs_made_from_nothing_are_each_cases_own() {
        const SHRINK: u32 = 50;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        assert_eq!(std::fs::read_dir(dir).unwrap().count(), 0, "starts empty");
        make_inputs(dir, SHRINK).unwrap();
        for c in &CASES {
            let path = dir.join(c.file);
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("{}: {} not made: {e}", c.key, c.file));
            let input = input_of(c.key).unwrap();
            let (magic, format): (&[u8], _) = match input {
                Input::Jpeg => (b"\xFF\xD8\xFF", image::ImageFormat::Jpeg),
                Input::Png | Input::Bomb => (b"\x89PNG\r\n\x1a\n", image::ImageFormat::Png),
            };
            assert!(
                bytes.starts_with(magic),
                "{}: {} is not a {format:?}",
                c.key,
                c.file
            );
            let size = image::ImageReader::with_format(std::io::Cursor::new(&bytes), format)
                .into_dimensions()
                .unwrap_or_else(|e| panic!("{}: {}: {e}", c.key, c.file));
            assert_eq!(size, input.size(SHRINK), "{}: {}", c.key, c.file);
            match input {
                Input::Bomb => assert!(bytes.len() < 200, "{}", bytes.len()),
                // A real picture: it decodes whole.
                Input::Jpeg | Input::Png => {
                    let picture = image::load_from_memory_with_format(&bytes, format).unwrap();
                    assert_eq!((picture.width(), picture.height()), size);
                }
            }
        }
    }
}
