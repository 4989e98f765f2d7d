//! Races between a batch's Pause, Resume and the runs and feeder they stop and start, each pinned down
//! with a test seam at the one point the race needs (in the app, microseconds apart):
//! * a run that began under an old take ends on a write the pause turned away, after Resume has taken the
//!   job again: it must stop without recording anything, and the job is sent once, by the new take's run
//!   (the turned-away write is [`Store::fail_job_steps_times`]; the runner allows two runs, so the old
//!   run's place leaves the feeder a turn to take the job again while that run is still uploading);
//! * Resume comes while the old feeder is ending but still holds its place, so Resume starts none: the old
//!   feeder must see the batch running after letting go and start one (it is held at
//!   [`JobRunner::hold_feeders_at_exit`]);
//! * the batch is cancelled while a job its feeder took (a turn was free) waits for a permit that a job
//!   started just after took first: when the permit comes, the run must stop without uploading or writing
//!   anything (the test holds that permit itself).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use image::{DynamicImage, ImageFormat, RgbImage};
use rusqlite::ffi;
use seedance_sim::{Fault, Route, Sim, SimConfig};
use tempfile::TempDir;

use super::batch_feed::ExitGate;
use super::{Connection, FixedConnection, JobEvents, JobRunner, RunnerPrefs, RunnerTiming};
use crate::api::{ApiConfig, ScaledTime};
use crate::pipeline::TransferStage;
use crate::prefs::{UploadRegion, DEFAULT_FILE_NAME_PATTERN};
use crate::request::RequestDraft;
use crate::secrets::ApiToken;
use crate::store::{
    BatchInserted, BatchRecord, BatchState, JobRecord, JobStatus, NewBatch, NewBatchJob, NewJob,
    Store, BATCH_CANCELLED,
};

/// The write that records an uploaded first frame ([`Store::set_uploaded`]).
const FIRST_UPLOAD_STEP: &str = "first_frame_url";
/// Far above what a passing run needs.
const BOUND: Duration = Duration::from_secs(20);

#[derive(Default)]
struct Seen(Mutex<Vec<JobStatus>>);

impl JobEvents for Seen {
    fn job_changed(&self, job: &JobRecord) {
        self.0.lock().unwrap().push(job.status);
    }

    fn progress(&self, _id: &str, _stage: TransferStage, _done: f64, _total: Option<f64>) {}
}

async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < BOUND, "{what} never happened");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

struct Bench {
    sim: Sim,
    dir: TempDir,
    store: Arc<Store>,
    runner: JobRunner,
    seen: Arc<Seen>,
}

async fn bench(config: SimConfig, max_concurrent_jobs: u32) -> Bench {
    let sim = Sim::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("jobs.db")).unwrap());
    let seen = Arc::new(Seen::default());
    let connection = Connection {
        api: ApiConfig::new(&sim.api_base(), &sim.upload_base()).unwrap(),
        token: ApiToken::new(sim.token()).unwrap(),
        demo: false,
    };
    let settings = RunnerPrefs {
        output_dir: dir.path().join("videos"),
        file_name_pattern: DEFAULT_FILE_NAME_PATTERN.to_owned(),
        upload_region: UploadRegion::Global,
        max_concurrent_jobs,
    };
    let time = Arc::new(ScaledTime::new(100));
    let runner = JobRunner::new(
        store.clone(),
        seen.clone(),
        Arc::new(FixedConnection(connection)),
        Arc::new(move || settings.clone()),
        RunnerTiming {
            clock: time.clone(),
            sleeper: time,
            ..RunnerTiming::default()
        },
    );
    Bench {
        sim,
        dir,
        store,
        runner,
        seen,
    }
}

/// A running batch of `drafts`, one take each, stored (not fed yet).
fn stored_batch(store: &Store, drafts: Vec<RequestDraft>) -> BatchRecord {
    let batch = NewBatch {
        name: "races".into(),
        source: "test".into(),
        tokens_min: 0,
        tokens_max: 0,
        total_json: "{}".into(),
        demo: false,
        fingerprint: "races".into(),
    };
    let jobs: Vec<NewBatchJob> = drafts
        .into_iter()
        .zip(1..)
        .map(|(request, item)| NewBatchJob {
            job: NewJob {
                request,
                ..NewJob::default()
            },
            fingerprint: format!("item {item}"),
            item,
            take: 1,
            output: None,
        })
        .collect();
    let BatchInserted::New(batch) = store.insert_batch(&batch, &jobs, None).unwrap() else {
        panic!("a new batch")
    };
    batch
}

fn text(prompt: &str) -> RequestDraft {
    RequestDraft {
        prompt: prompt.into(),
        ..RequestDraft::default()
    }
}

#[tokio::test]
async fn a_run_of_an_old_take_stops_quietly_and_the_job_is_sent_once() {
    let Bench {
        sim,
        dir,
        store,
        runner,
        seen,
    } = bench(
        SimConfig {
            hang_for: Duration::from_millis(1000),
            ..SimConfig::fast()
        },
        2,
    )
    .await;
    let photo = dir.path().join("vase.png");
    DynamicImage::from(RgbImage::from_fn(640, 360, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 7])
    }))
    .save_with_format(&photo, ImageFormat::Png)
    .unwrap();
    let batch = stored_batch(
        &store,
        vec![RequestDraft {
            first_frame: Some(photo.display().to_string()),
            ..text("the vase in morning light")
        }],
    );
    let id = store.batch_jobs(&batch.id).unwrap()[0].id.clone();
    let feeder = format!("batch:{}", batch.id);

    // The first take's upload is held by the service.
    sim.push_fault(Route::UploadFile, Fault::Hang);
    runner.resume_batch(&batch.id).unwrap();
    until("the upload", || sim.counts().upload == 1).await;

    // Pause (the job waits again), the feeder lets go, Resume takes the job again (a turn is free beside
    // the old run): the old run is still uploading, so no second run starts. The take is counted, not
    // seen in the job's status: once the old run is gone the new one may pass through "uploading" in
    // less time than a look takes (its frame's bytes were checked already, its upload is cached).
    runner.pause_batch(&batch.id).unwrap();
    until("the feeder's end", || !runner.is_active(&feeder)).await;
    store.fail_job_steps_times(FIRST_UPLOAD_STEP, ffi::SQLITE_CONSTRAINT, 1);
    runner.resume_batch(&batch.id).unwrap();
    until("the new take", || runner.batch_take(&id) == Some(2)).await;
    assert_eq!(
        store.job_steps_refused(),
        0,
        "the old run ended before the job was taken again: the race was not set up"
    );
    assert!(runner.is_active(&id));

    // The old run's upload ends and its write is turned away; it must not fail the job.
    until("the refused write", || store.job_steps_refused() == 1).await;
    until("the job's end", || {
        store.get_job(&id).unwrap().status.is_settled()
    })
    .await;
    tokio::time::timeout(BOUND, runner.wait_idle())
        .await
        .expect("idle");
    let done = store.get_job(&id).unwrap();
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert_eq!(sim.counts().create, 1);
    assert!(
        !seen.0.lock().unwrap().contains(&JobStatus::Failed),
        "{:?}",
        seen.0.lock().unwrap()
    );
}

#[tokio::test]
async fn a_resume_while_the_old_feeder_is_ending_still_gets_the_batch_fed() {
    let b = bench(SimConfig::fast(), 1).await;
    let batch = stored_batch(
        &b.store,
        vec![text("gulls one"), text("gulls two"), text("gulls three")],
    );
    let feeder = format!("batch:{}", batch.id);
    let gate = Arc::new(ExitGate::default());
    b.runner.hold_feeders_at_exit(gate.clone());
    b.runner.resume_batch(&batch.id).unwrap();
    until("the first job taken", || {
        b.store.queued_batch_jobs(&batch.id, 9).unwrap().len() < 3
    })
    .await;

    // Pause: the feeder sees it and ends, but has not let go of its place when Resume comes.
    b.runner.pause_batch(&batch.id).unwrap();
    until("the feeder's end", || {
        gate.arrived.load(Ordering::SeqCst) == 1
    })
    .await;
    assert!(b.runner.is_active(&feeder));
    b.runner.resume_batch(&batch.id).unwrap();
    gate.open.add_permits(100);

    until("every job done", || {
        b.store
            .batch_jobs(&batch.id)
            .unwrap()
            .iter()
            .all(|j| j.status == JobStatus::Done)
    })
    .await;
    assert_eq!(b.sim.counts().create, 3);
    until("the batch finished", || {
        b.store.batch_state(&batch.id).unwrap() == Some(BatchState::Finished)
    })
    .await;
    assert!(!b.seen.0.lock().unwrap().contains(&JobStatus::Failed));
}

#[tokio::test]
async fn a_job_cancelled_while_waiting_for_its_permit_uploads_nothing() {
    let b = bench(SimConfig::fast(), 1).await;
    let photo = b.dir.path().join("kettle.png");
    DynamicImage::from(RgbImage::from_fn(640, 360, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 3])
    }))
    .save_with_format(&photo, ImageFormat::Png)
    .unwrap();
    let form = || RequestDraft {
        first_frame: Some(photo.display().to_string()),
        ..text("the kettle steams")
    };
    let batch = stored_batch(&b.store, vec![form(), form()]);
    let waiting = b.store.batch_jobs(&batch.id).unwrap()[0].id.clone();

    // No run exists, so the feeder finds its turn free and takes the first job; the only permit is
    // already taken (by what, in the app, is a single job submitted a moment later).
    let turn = b
        .runner
        .inner
        .permits
        .clone()
        .acquire_owned()
        .await
        .unwrap();
    assert!(b.runner.feed(&batch.id));
    until("the first job taken", || {
        b.store.get_job(&waiting).unwrap().status == JobStatus::Uploading
    })
    .await;
    assert!(b.runner.is_active(&waiting));

    let outcome = b.runner.cancel_batch(&batch.id).unwrap();
    assert_eq!((outcome.cancelled, outcome.still_running), (2, 0));
    let cancelled = b.store.get_job(&waiting).unwrap();
    assert_eq!(cancelled.problem.as_ref().unwrap().kind, BATCH_CANCELLED);
    drop(turn);
    tokio::time::timeout(BOUND, b.runner.wait_idle())
        .await
        .expect("idle");

    assert_eq!(b.sim.counts().upload, 0, "{:?}", b.sim.requests());
    assert_eq!(b.sim.counts().create, 0);
    assert_eq!(
        b.store.get_job(&waiting).unwrap(),
        cancelled,
        "the stopped run wrote nothing"
    );
}
