//! Where a batch job's video is saved: under its item's own output name when the source gave one, else
//! under the file-name pattern, which can name the batch and the item's place in it.

use std::sync::Arc;

use seedance_core::api::ScaledTime;
use seedance_core::jobs::{FixedConnection, JobRunner, RunnerPrefs, RunnerTiming};
use seedance_core::prefs::UploadRegion;
use seedance_core::store::{JobStatus, Store};
use seedance_sim::SimConfig;

use super::{jobs_of, start, takes_of};
use crate::support::api::{self, within};
use crate::support::jobs::{connection_to, Recorder};
use crate::support::text_draft;

#[tokio::test]
async fn a_batch_job_is_saved_under_its_own_output_name_or_the_pattern_with_its_place() {
    let sim = api::start(SimConfig::fast()).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("jobs.db")).unwrap());
    let videos = dir.path().join("videos");
    let settings = RunnerPrefs {
        output_dir: videos.clone(),
        file_name_pattern: "{batch}_{item}-{take}".into(),
        upload_region: UploadRegion::Global,
        max_concurrent_jobs: 2,
    };
    let time = Arc::new(ScaledTime::new(100));
    let runner = JobRunner::new(
        store.clone(),
        Arc::new(Recorder::default()),
        Arc::new(FixedConnection(connection_to(&sim, false))),
        Arc::new(move || settings.clone()),
        RunnerTiming {
            clock: time.clone(),
            sleeper: time,
            ..RunnerTiming::default()
        },
    );
    let mut plan = takes_of(&text_draft("a paper lantern drifts"), 3);
    // The first take's item named its output (a typed extension is not doubled); the others did not.
    plan.jobs[0].output = Some("lantern: hero shot.mp4".into());
    let batch = start(&runner, &plan).await;
    within(runner.wait_idle()).await;

    let jobs = jobs_of(&store, &batch);
    assert!(jobs.iter().all(|j| j.status == JobStatus::Done), "{jobs:?}");
    let names: Vec<String> = jobs
        .iter()
        .map(|j| {
            std::path::Path::new(j.output_path.as_deref().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        names,
        [
            "lantern- hero shot.mp4",
            "catalogue_1-2.mp4",
            "catalogue_1-3.mp4"
        ]
    );
    for job in &jobs {
        assert!(std::path::Path::new(job.output_path.as_deref().unwrap()).is_file());
    }
    // A single job renders the batch placeholders as nothing.
    let single = within(runner.submit(text_draft("a single lantern"), None))
        .await
        .unwrap();
    within(runner.wait_idle()).await;
    let single = store.get_job(&single.id).unwrap();
    assert_eq!(
        std::path::Path::new(single.output_path.as_deref().unwrap())
            .file_name()
            .unwrap(),
        "seedance-video.mp4",
        "{:?}",
        single.output_path
    );
}
