//! A frame is decoded once on its way from a batch's review to its upload: the review's check, the check
//! when the batch is stored and the one just before each upload all read and hash the file, and only the
//! first decodes it (the images module's memo of checked contents). A frame edited after its review is
//! decoded again, and its new verdict is the one the batch goes by.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use seedance_sim::{Sim, SimConfig};

use super::{
    sim_runner, BatchRunError, BatchStart, Intent, JobError, JobRunner, NoEvents, SpendConsent,
};
use crate::batch::{check_queue, from_paths, intake_work, plan, BatchPlan, PlanInput};
use crate::cost::CostRates;
use crate::i18n::Message;
use crate::images::{decoded, FrameInfo, ImageError, IntakeOptions};
use crate::pipeline::PipelineError;
use crate::request::{FrameSlot, RequestDraft};
use crate::store::{JobRecord, JobStatus, Store};

/// Far above what a passing run needs.
const BOUND: Duration = Duration::from_secs(30);

fn write_jpeg(path: &Path, width: u32, height: u32, tint: u8) {
    image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, tint])
    })
    .save_with_format(path, image::ImageFormat::Jpeg)
    .unwrap();
}

/// The review's check of every file, as the Batch screen and `seedance batch` run it (small previews).
async fn review(paths: &[PathBuf]) -> HashMap<PathBuf, Result<FrameInfo, ImageError>> {
    let mut queue = paths.to_vec();
    let mut checked = HashMap::new();
    let work = intake_work(&IntakeOptions {
        thumbnail_max_side: 96,
        ..IntakeOptions::default()
    });
    check_queue(
        || (!queue.is_empty()).then(|| queue.remove(0)),
        2,
        work,
        |check| {
            checked.insert(check.path, check.result);
            ControlFlow::Continue(())
        },
    )
    .await;
    checked
}

/// One job per file and take.
fn plan_of(paths: &[PathBuf], takes: u32) -> BatchPlan {
    let form = RequestDraft {
        prompt: "a kite over the dunes".into(),
        ..RequestDraft::default()
    };
    let planned = plan(
        &from_paths(paths).unwrap(),
        &PlanInput {
            form: &form,
            takes,
            presets: &[],
            rates: &CostRates::default(),
            frame_aspect: &|_| None,
        },
    );
    assert!(planned.can_start(), "{:?}", planned.problems);
    planned
}

async fn start(
    runner: &JobRunner,
    plan: &BatchPlan,
) -> Result<crate::store::BatchRecord, BatchRunError> {
    tokio::time::timeout(
        BOUND,
        runner.start_batch(BatchStart {
            name: "catalogue",
            source: &Message::new("msg.batch_source.form").arg("takes", plan.jobs.len()),
            plan,
            intent: Intent::Once,
            spend: SpendConsent::NotGiven,
        }),
    )
    .await
    .unwrap()
}

/// The size of the first frame's preview stored with the job.
fn stored_preview_size(store: &Store, job: &JobRecord) -> (u32, u32) {
    use base64::Engine;
    let url = store.get_job(&job.id).unwrap().first_thumb.unwrap();
    let (_, b64) = url.split_once(";base64,").unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let preview = image::load_from_memory(&bytes).unwrap();
    (preview.width(), preview.height())
}

/// Two photos, two takes each: the review decodes each photo once, and neither starting the batch (which
/// still stores each job's full-size preview) nor the four uploads' checks decode them again.
#[tokio::test]
async fn a_reviewed_batch_decodes_each_frame_once_up_to_its_uploads() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (store, runner) = sim_runner(&sim, dir.path(), Arc::new(NoEvents));
    let paths = [dir.path().join("dune.jpg"), dir.path().join("kite.jpg")];
    write_jpeg(&paths[0], 640, 480, 11);
    write_jpeg(&paths[1], 480, 640, 12);

    let reviewed = review(&paths).await;
    for path in &paths {
        let info = reviewed[path].as_ref().unwrap();
        assert!(info.is_acceptable());
        assert!(!info.thumbnail_data_url.is_empty());
        assert_eq!(decoded::count(path), 1, "{}", path.display());
    }

    let batch = start(&runner, &plan_of(&paths, 2)).await.unwrap();
    for path in &paths {
        assert_eq!(
            decoded::count(path),
            1,
            "decoded again at start: {}",
            path.display()
        );
    }
    let jobs = store.batch_jobs(&batch.id).unwrap();
    assert_eq!(jobs.len(), 4);
    // The jobs keep the full-size preview, not the review's small one.
    let sizes: Vec<_> = jobs
        .iter()
        .map(|j| stored_preview_size(&store, j))
        .collect();
    assert!(
        sizes.contains(&(512, 384)) && sizes.contains(&(384, 512)),
        "{sizes:?}"
    );

    tokio::time::timeout(BOUND, runner.wait_idle())
        .await
        .unwrap();
    let jobs = store.batch_jobs(&batch.id).unwrap();
    assert!(jobs.iter().all(|j| j.status == JobStatus::Done), "{jobs:?}");
    assert_eq!(sim.counts().create, 4);
    for path in &paths {
        assert_eq!(
            decoded::count(path),
            1,
            "decoded again before upload: {}",
            path.display()
        );
    }
}

/// A photo replaced by another one after the review is decoded again when the batch starts, and the
/// job goes by the new picture (its preview has the new shape).
#[tokio::test]
async fn a_frame_edited_after_its_review_is_decoded_again_at_start() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (store, runner) = sim_runner(&sim, dir.path(), Arc::new(NoEvents));
    let path = dir.path().join("dune.jpg");
    write_jpeg(&path, 640, 480, 21);
    let reviewed = review(std::slice::from_ref(&path)).await;
    assert_eq!(reviewed[&path].as_ref().unwrap().width, 640);

    write_jpeg(&path, 800, 400, 22);
    let batch = start(&runner, &plan_of(std::slice::from_ref(&path), 1))
        .await
        .unwrap();
    assert_eq!(decoded::count(&path), 2);
    let jobs = store.batch_jobs(&batch.id).unwrap();
    assert_eq!(stored_preview_size(&store, &jobs[0]), (512, 256));

    tokio::time::timeout(BOUND, runner.wait_idle())
        .await
        .unwrap();
    assert_eq!(store.get_job(&jobs[0].id).unwrap().status, JobStatus::Done);
    assert_eq!(decoded::count(&path), 2, "decoded again before upload");
}

/// A photo that passed its review but was replaced by one too small before the batch starts is decoded
/// again and refuses the batch, naming the item: nothing is stored or sent.
#[tokio::test]
async fn a_frame_spoiled_after_its_review_refuses_the_batch() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (store, runner) = sim_runner(&sim, dir.path(), Arc::new(NoEvents));
    let path = dir.path().join("dune.jpg");
    write_jpeg(&path, 640, 480, 31);
    let reviewed = review(std::slice::from_ref(&path)).await;
    assert!(reviewed[&path].as_ref().unwrap().is_acceptable());

    write_jpeg(&path, 200, 150, 31);
    let err = start(&runner, &plan_of(std::slice::from_ref(&path), 1))
        .await
        .unwrap_err();
    assert_eq!(decoded::count(&path), 2);
    match err {
        BatchRunError::Item { item: 1, error } => assert!(
            matches!(
                *error,
                JobError::Pipeline(PipelineError::FrameOutOfLimits {
                    slot: FrameSlot::First,
                    ..
                })
            ),
            "{error:?}"
        ),
        other => panic!("{other:?}"),
    }
    assert!(runner.batches().unwrap().is_empty());
    assert_eq!(sim.counts().create, 0);
    drop(store);
}

/// A frame picked on the Generate screen (or priced by `seedance generate`) is decoded once: the check
/// when the job is submitted and the one before its upload read and hash it, and the job still stores
/// its full-size preview.
#[tokio::test]
async fn a_picked_frame_is_decoded_once_up_to_its_upload() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (store, runner) = sim_runner(&sim, dir.path(), Arc::new(NoEvents));
    let path = dir.path().join("heron.jpg");
    write_jpeg(&path, 640, 480, 41);
    let picked = crate::images::intake(&path, &IntakeOptions::preview()).unwrap();
    assert_eq!(decoded::count(&path), 1);

    let draft = RequestDraft {
        prompt: "a heron takes off".into(),
        first_frame: Some(path.display().to_string()),
        ..RequestDraft::default()
    };
    let job = runner.submit(draft, None).await.unwrap();
    assert_eq!(decoded::count(&path), 1, "decoded again when submitted");
    assert_eq!(
        store.get_job(&job.id).unwrap().first_thumb.as_deref(),
        Some(picked.thumbnail_data_url.as_str())
    );
    tokio::time::timeout(BOUND, runner.wait_idle())
        .await
        .unwrap();
    assert_eq!(store.get_job(&job.id).unwrap().status, JobStatus::Done);
    assert_eq!(decoded::count(&path), 1, "decoded again before upload");
}
