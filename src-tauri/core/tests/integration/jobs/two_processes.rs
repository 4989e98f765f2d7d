//! Two real processes on one database, the way the app and `seedance jobs watch` share a history, each
//! killed (SIGKILL) and started again at random moments while a queue of jobs runs against the simulator
//! (which lives in this test process and counts every request). Every job must settle exactly once: done
//! with one video, or submission uncertain when a kill caught its create in flight; never failed, never two
//! creates for one job, never two videos. The workers are this test again (`support::job_worker`, `watch`).
//! The seed is printed so a failing interleaving can be replayed with `SEEDANCE_KILL_SEED`.

use std::collections::HashSet;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};

use crate::batch::run::{start as batch_start, takes_of};
use crate::support::api::start;
use crate::support::job_worker;
use crate::support::jobs::{runner_for, Recorder};
use crate::support::rerun::this_test_again;
use crate::support::text_draft;
use seedance_core::store::{BatchState, JobQuery, JobStatus, NewJob, Store};
use seedance_sim::{Sim, SimConfig, SAMPLE_MP4};

const TEST: &str = "two_workers_killed_at_random_settle_every_job_once";
const BATCH_TEST: &str = "two_workers_killed_at_random_finish_a_batch_once";
const JOBS: usize = 10;
const KILLS: usize = 8;
/// Far above what the whole queue needs.
const BOUND: Duration = Duration::from_secs(90);

struct Worker(Child);

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn worker(test: &str, sim: &Sim, dir: &std::path::Path) -> Worker {
    let child = this_test_again(module_path!(), test)
        .env(job_worker::COMMAND, "watch")
        .env(job_worker::LEASE_MS, "1000")
        .env("SEEDANCE_WORKER_DB", dir.join("jobs.db"))
        .env("SEEDANCE_WORKER_API", sim.api_base())
        .env("SEEDANCE_WORKER_TOKEN", sim.token())
        .env("SEEDANCE_WORKER_OUT", dir.join("videos"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("the worker starts");
    Worker(child)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_killed_at_random_settle_every_job_once() {
    kill_at_random(TEST, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_killed_at_random_finish_a_batch_once() {
    kill_at_random(BATCH_TEST, true).await;
}

/// The queue: [`JOBS`] single jobs, or a batch of [`JOBS`] takes whose first process let go of it at once
/// (its runs stopped where they were, as in a crash, its leases given back).
async fn kill_at_random(test: &'static str, batch: bool) {
    if job_worker::run_if_started_as_one().await {
        return;
    }
    let seed = std::env::var("SEEDANCE_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random::<u64>);
    println!("SEEDANCE_KILL_SEED={seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let sim = start(SimConfig {
        queued_for: Duration::from_millis(300),
        running_for: Duration::from_millis(500),
        ..SimConfig::fast()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("jobs.db")).unwrap());
    let batch = if batch {
        let events = Arc::new(Recorder::default());
        let first = runner_for(&sim, &store, &events, dir.path(), false, 3);
        let plan = takes_of(&text_draft("shared history, a batch"), JOBS as u32);
        let batch = batch_start(&first, &plan).await;
        first.release_leases();
        Some(batch)
    } else {
        for n in 0..JOBS {
            store
                .insert_job(NewJob {
                    request: text_draft(&format!("shared history, job {n}")),
                    ..NewJob::default()
                })
                .unwrap();
        }
        None
    };

    let started = Instant::now();
    let mut workers = [
        worker(test, &sim, dir.path()),
        worker(test, &sim, dir.path()),
    ];
    for _ in 0..KILLS {
        tokio::time::sleep(Duration::from_millis(rng.gen_range(50..700))).await;
        let which = rng.gen_range(0..2);
        // Dropping the old one kills and reaps it (SIGKILL, wherever it was).
        workers[which] = worker(test, &sim, dir.path());
    }
    // Both run to the end now: each exits once no job is unfinished.
    for mut w in workers {
        loop {
            if let Some(status) = w.0.try_wait().unwrap() {
                assert!(status.success(), "seed {seed}: worker exited with {status}");
                break;
            }
            assert!(
                started.elapsed() < BOUND,
                "seed {seed}: the queue never settled"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    let jobs = store
        .list_jobs(&JobQuery {
            limit: 100,
            ..JobQuery::default()
        })
        .unwrap()
        .jobs;
    assert_eq!(jobs.len(), JOBS);
    let done: Vec<_> = jobs
        .iter()
        .filter(|j| j.status == JobStatus::Done)
        .collect();
    let uncertain = jobs
        .iter()
        .filter(|j| j.status == JobStatus::SubmissionUncertain)
        .count();
    assert_eq!(
        done.len() + uncertain,
        JOBS,
        "seed {seed}: {:?}",
        jobs.iter()
            .map(|j| (j.status, &j.problem))
            .collect::<Vec<_>>()
    );
    let tasks: HashSet<_> = done.iter().map(|j| j.task_id.clone().unwrap()).collect();
    assert_eq!(tasks.len(), done.len(), "seed {seed}: one task per job");
    // Every create reached the service for a job that kept its task; one caught in flight may or may not
    // have reached it before the kill (then its job is uncertain, and the user decides).
    let creates = sim.counts().create as usize;
    println!(
        "{} done, {uncertain} uncertain, {creates} creates, {} polls, {} downloads in {:?}",
        done.len(),
        sim.counts().get_task,
        sim.counts().result,
        started.elapsed()
    );
    assert!(
        creates >= done.len() && creates <= done.len() + uncertain,
        "seed {seed}: {creates} creates for {} done and {uncertain} uncertain jobs",
        done.len()
    );
    for job in &done {
        let path = job.output_path.clone().unwrap();
        eprintln!("seed {seed}: {path}");
        crate::support::assert_saved_video(&path, SAMPLE_MP4);
    }
    let files: Vec<String> = std::fs::read_dir(dir.path().join("videos"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        files.iter().filter(|n| n.ends_with(".mp4")).count(),
        done.len(),
        "seed {seed}: one video per job: {files:?}"
    );
    // A kill between claiming a free name (its empty `.part`) and storing the claim leaves that empty
    // file behind, as any crash there does; a `.part` with bytes in it would be a download left half-done.
    for part in files.iter().filter(|n| n.ends_with(".part")) {
        let len = std::fs::metadata(dir.path().join("videos").join(part))
            .unwrap()
            .len();
        assert_eq!(len, 0, "seed {seed}: {part} left with bytes: {files:?}");
    }
    if let Some(batch) = batch {
        assert_eq!(
            store.get_batch(&batch.id).unwrap().unwrap().state,
            BatchState::Finished,
            "seed {seed}"
        );
    }
}
