//! A run that stalls in its download while another process takes its job over (the lease lapsed), then
//! wakes: two runners on one database file, as two processes sharing a history. The stall is the
//! simulator holding the first runner's result request (`Fault::Hang`), and the first runner's heartbeat
//! and stall checks are set too slow to notice in time, as in a process starved of the CPU; the takeover
//! is the second runner's follower finding the lease unrenewed. The job must end with exactly one video
//! at its recorded path, and the run that lost must neither put a second one in place nor leave a `.part`.
//! Also a run killed right after putting its video in place, before recording it: the next run's
//! download is that same video, recorded where it is, not copied beside it.

use std::sync::Arc;
use std::time::Duration;

use crate::batch::run::until;
use crate::support::api::{client_for, create_body, token, within};
use crate::support::jobs::{harness, runner_for, Recorder};
use crate::support::text_draft;
use seedance_core::jobs::LeaseTiming;
use seedance_core::recipe::{write_recipe, Recipe};
use seedance_core::store::{JobStatus, NewJob, Store};
use seedance_sim::{Fault, Route, SimConfig, SAMPLE_MP4};

#[tokio::test]
async fn a_run_that_lost_its_job_during_its_download_puts_no_second_video_in_place() {
    let h = harness(
        SimConfig {
            hang_for: Duration::from_millis(2500),
            ..SimConfig::fast()
        },
        3,
    )
    .await;
    // This runner never beats nor checks its lease mid-transfer during the test: it is "stalled".
    h.runner.set_lease_timing(LeaseTiming {
        heartbeat: Duration::from_secs(3600),
        stale_after: Duration::from_secs(3600),
        watch_every: Duration::from_secs(3600),
    });
    h.sim.push_fault(Route::Result, Fault::Hang);
    let job = within(h.runner.submit(text_draft("a heron in the reeds"), None))
        .await
        .unwrap();
    // Its download request is out, and held.
    until(|| h.sim.counts().result == 1).await;

    // The other process sees the lease unrenewed for its bound, takes the job over and finishes it.
    let store = Arc::new(Store::open(&h.dir.path().join("jobs.db")).unwrap());
    let events = Arc::new(Recorder::default());
    let other = runner_for(&h.sim, &store, &events, h.dir.path(), false, 3);
    other.set_lease_timing(LeaseTiming {
        heartbeat: Duration::from_millis(50),
        stale_after: Duration::from_millis(400),
        watch_every: Duration::from_millis(50),
    });
    other.follow_shared_history();
    until(|| store.get_job(&job.id).unwrap().status == JobStatus::Done).await;
    within(other.wait_idle()).await;
    assert_eq!(h.sim.counts().result, 2, "the first download is still held");

    // The stalled run wakes: its download answers and completes.
    within(h.runner.wait_idle()).await;
    let done = h.store.get_job(&job.id).unwrap();
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    let path = std::path::PathBuf::from(done.output_path.unwrap());
    crate::support::assert_saved_video(&path, SAMPLE_MP4);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(h.output_files(), [name], "one video, and nothing else left");
    assert_eq!(h.sim.counts().create, 1);
}

#[tokio::test]
async fn a_video_put_in_place_by_a_killed_run_is_recorded_not_copied_again() {
    killed_after_putting_in_place(false).await;
}

/// As above, with the video the killed run left carrying its recipe, as every run now writes it: the
/// next run writes the same recipe (it comes from the job's record), so the file is recognised.
#[tokio::test]
async fn a_video_with_its_recipe_put_in_place_by_a_killed_run_is_recorded_not_copied_again() {
    killed_after_putting_in_place(true).await;
}

async fn killed_after_putting_in_place(with_recipe: bool) {
    let h = harness(SimConfig::fast(), 3).await;
    let task = client_for(&h.sim)
        .create_task(&token(&h.sim), &create_body())
        .await
        .unwrap();
    let job = h
        .store
        .insert_job(NewJob {
            request: text_draft("a kettle on the stove"),
            ..NewJob::default()
        })
        .unwrap();
    h.store.mark_create_sent(&job.id).unwrap();
    h.store.set_task_id(&job.id, &task).unwrap();
    // What the killed run left: its claimed name, and the whole video put in place under it.
    std::fs::create_dir_all(h.out_dir()).unwrap();
    let dest = h.out_dir().join("kettle.mp4");
    h.store.set_planned_output(&job.id, &dest).unwrap();
    std::fs::write(seedance_core::api::part_path(&dest).unwrap(), b"").unwrap();
    std::fs::write(&dest, SAMPLE_MP4).unwrap();
    if with_recipe {
        // Tagged elsewhere: writing beside `dest` would go through `kettle.mp4.part`, the claim.
        let elsewhere = tempfile::tempdir().unwrap();
        let tagged = elsewhere.path().join("tagged.mp4");
        let recipe = Recipe::from_job(&h.store.get_job(&job.id).unwrap(), [None, None]);
        write_recipe(&dest, &tagged, &recipe).unwrap();
        std::fs::copy(&tagged, &dest).unwrap();
    }
    let left = std::fs::read(&dest).unwrap();

    within(h.runner.resume_all()).await.unwrap();
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert_eq!(
        done.output_path.as_deref(),
        Some(dest.to_string_lossy().as_ref())
    );
    assert_eq!(h.output_files(), ["kettle.mp4"]);
    // Left as it was (a plain one: from before recipes, or a run whose recipe could not be written).
    assert_eq!(std::fs::read(&dest).unwrap(), left);
    if with_recipe {
        crate::support::assert_saved_video(&dest, SAMPLE_MP4);
    }
    assert_eq!(h.sim.counts().create, 1);
}
