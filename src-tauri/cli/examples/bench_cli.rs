//! How fast the `seedance` command starts and answers, start to exit, as a shell runs it.
//!
//! `cargo build --release -p seedance-cli && cargo run --release -p seedance-cli --example bench_cli`
//!
//! Targets (issue 17): `seedance --help` under 20 ms, `seedance jobs list` on a 10 000-job history under
//! 50 ms; the binary's size is printed beside them. Prints `RESULT key=value` lines for `bench/run.sh`.
//!
//! The history is made under the target folder (the project's disk, not a tmpfs that would flatter it)
//! with the app's own store, then the release binary is run [`RUNS`] times per figure, output piped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use seedance_core::api::TaskId;
use seedance_core::i18n::Message;
use seedance_core::request::RequestDraft;
use seedance_core::store::{JobStatus, NewJob, Store};

const JOBS: usize = 10_000;
const RUNS: usize = 21;

const SUBJECTS: [&str; 6] = [
    "A golden retriever",
    "An old fisherman",
    "一只橘猫",
    "A paper boat",
    "穿汉服的女孩",
    "A lighthouse",
];
const ACTIONS: [&str; 4] = [
    "walks along the beach at sunset",
    "turns slowly towards the camera",
    "在雨中慢慢走过石桥",
    "glows under neon lights at night",
];

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// 10 000 jobs in the mix a long-used history has: mostly done, some failed, a few running or uploading.
fn fill(store: &Store) {
    for i in 0..JOBS {
        let request = RequestDraft {
            prompt: format!(
                "{} {}, take {i}",
                SUBJECTS[i % SUBJECTS.len()],
                ACTIONS[i % ACTIONS.len()]
            ),
            first_frame: (i % 5 != 0).then(|| format!("/home/me/Pictures/shot_{i}.jpg")),
            ..RequestDraft::default()
        };
        let id = store
            .insert_job(NewJob {
                request,
                tokens_estimate: Some(108_900),
                ..NewJob::default()
            })
            .unwrap()
            .id;
        match i % 50 {
            0 => continue,
            1 => {
                store.mark_create_sent(&id).unwrap();
                store
                    .set_task_id(&id, &TaskId(format!("task-{i}")))
                    .unwrap();
                store.set_status(&id, JobStatus::Running).unwrap();
            }
            2..=7 => store
                .set_failed(
                    &id,
                    "task_failed",
                    &Message::new("msg.pipeline.task_failed").arg("reason", "refused"),
                )
                .unwrap(),
            _ => {
                store.mark_create_sent(&id).unwrap();
                store
                    .set_task_id(&id, &TaskId(format!("task-{i}")))
                    .unwrap();
                store
                    .set_done(
                        &id,
                        Path::new(&format!("/home/me/Videos/Seedance Studio/{i}.mp4")),
                    )
                    .unwrap();
            }
        }
    }
}

/// Median wall time of running `bin args`, start to exit, output read and thrown away.
fn median_ms(bin: &Path, data_dir: &Path, args: &[&str]) -> f64 {
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let out = Command::new(bin)
            .args(args)
            .env("SEEDANCE_DATA_DIR", data_dir)
            .env_remove("SEEDANCE_API_TOKEN")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .unwrap();
        times.push(started.elapsed());
        assert!(out.status.success(), "{args:?} failed");
        assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
    }
    times.sort();
    times[RUNS / 2].as_secs_f64() * 1000.0
}

fn main() {
    let target = target_dir();
    let bin = std::env::var_os("SEEDANCE_CLI_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("release/seedance"));
    assert!(
        bin.is_file(),
        "{} is missing: cargo build --release -p seedance-cli",
        bin.display()
    );
    std::fs::create_dir_all(&target).unwrap();
    let dir = tempfile::Builder::new()
        .prefix("bench-cli-")
        .tempdir_in(&target)
        .unwrap();
    let started = Instant::now();
    {
        let store = Store::open(&dir.path().join(seedance_core::config::DATABASE_FILE)).unwrap();
        fill(&store);
    }
    println!(
        "history of {JOBS} jobs made in {:.1} s; {RUNS} runs per figure",
        started.elapsed().as_secs_f64()
    );
    let help = median_ms(&bin, dir.path(), &["--help"]);
    let list = median_ms(&bin, dir.path(), &["jobs", "list"]);
    let list_json = median_ms(&bin, dir.path(), &["--json", "jobs", "list"]);
    let size = std::fs::metadata(&bin).unwrap().len() as f64 / (1024.0 * 1024.0);
    println!("seedance --help                      median {help:>7.2} ms");
    println!("seedance jobs list (50 of {JOBS})    median {list:>7.2} ms");
    println!("seedance --json jobs list            median {list_json:>7.2} ms");
    println!("binary {} {size:.1} MiB", bin.display());
    println!("RESULT cli_help_ms={help:.3} cli_jobs_list_ms={list:.3} cli_jobs_list_json_ms={list_json:.3} cli_size_mib={size:.1}");
}
