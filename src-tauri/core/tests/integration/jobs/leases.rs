//! The job lease, with two runners on one database file in one test process (each with its own connection,
//! as two processes have): a live holder keeps its job, a stale or dead one is taken over, a run that loses
//! its lease stops before its next side effect, a job is never created twice, a batch is fed by one of them,
//! and another runner's changes reach this runner's events. A "ghost" holder is a lease row written by hand
//! for a process that does not exist here.

use std::sync::Arc;
use std::time::Duration;

use crate::batch::run::{start, takes_of, until};
use crate::support::api::{client_for, create_body, token, within};
use crate::support::jobs::{harness, runner_for, Harness, Recorder};
use crate::support::pipeline::frame;
use crate::support::text_draft;
use seedance_core::jobs::{JobRunner, LeaseTiming};
use seedance_core::request::RequestDraft;
use seedance_core::store::{JobStatus, LeaseHolder, NewJob, Store};
use seedance_sim::{Fault, Route, SimConfig};

/// Short bounds so takeovers happen within a test.
fn quick() -> LeaseTiming {
    LeaseTiming {
        heartbeat: Duration::from_millis(50),
        stale_after: Duration::from_millis(400),
        watch_every: Duration::from_millis(50),
    }
}

/// A holder that is not a process on this machine (no pid, no host): only its heartbeat says if it lives.
fn ghost() -> LeaseHolder {
    LeaseHolder {
        owner: "ghost".to_owned(),
        pid: 0,
        host: String::new(),
    }
}

/// A second runner ("the other process") on its own connection to the harness's database.
fn other(h: &Harness) -> (Arc<Store>, JobRunner, Arc<Recorder>) {
    let store = Arc::new(Store::open(&h.dir.path().join("jobs.db")).unwrap());
    let events = Arc::new(Recorder::default());
    let runner = runner_for(&h.sim, &store, &events, h.dir.path(), false, 3);
    runner.set_lease_timing(quick());
    (store, runner, events)
}

fn owner_of(store: &Store, id: &str) -> Option<String> {
    store.lease(id).unwrap().map(|l| l.owner)
}

#[tokio::test]
async fn a_live_holder_keeps_its_job_and_a_stale_one_is_taken_over() {
    let h = harness(SimConfig::fast(), 3).await;
    h.runner.set_lease_timing(quick());
    let job = h.store.insert_job(NewJob {
        request: text_draft("a kite over the dunes"),
        ..NewJob::default()
    });
    let job = job.unwrap();
    assert!(h.store.acquire_lease(&job.id, &ghost(), 0).unwrap());

    let summary = within(h.runner.resume_all()).await.unwrap();
    assert_eq!(summary.restarted, 0, "the ghost's heartbeat is fresh");
    within(h.runner.wait_idle()).await;
    assert_eq!(h.sim.counts().upload + h.sim.counts().create, 0);
    assert_eq!(
        h.store.get_job(&job.id).unwrap().status,
        JobStatus::Uploading
    );

    // The ghost stops beating: past the bound its job is this runner's.
    tokio::time::sleep(quick().stale_after + Duration::from_millis(100)).await;
    let summary = within(h.runner.resume_all()).await.unwrap();
    assert_eq!(summary.restarted, 1);
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert_eq!(h.sim.counts().create, 1);
    assert_eq!(
        owner_of(&h.store, &job.id),
        None,
        "released when the run ended"
    );
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_holder_whose_process_is_gone_is_taken_over_at_once() {
    let h = harness(SimConfig::fast(), 3).await;
    let job = h
        .store
        .insert_job(NewJob {
            request: text_draft("rain on a tin roof"),
            ..NewJob::default()
        })
        .unwrap();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = LeaseHolder {
        owner: "dead".to_owned(),
        pid: child.id(),
        host: LeaseHolder::for_this_process().host,
    };
    child.wait().unwrap();
    assert!(h.store.acquire_lease(&job.id, &dead, 0).unwrap());

    // Default bounds (10 s): only the dead pid lets it go now.
    let summary = within(h.runner.resume_all()).await.unwrap();
    assert_eq!(summary.restarted, 1);
    assert_eq!(h.settle(&job.id).await.status, JobStatus::Done);
    assert_eq!(h.sim.counts().create, 1);
}

#[tokio::test]
async fn a_run_whose_lease_is_taken_during_its_upload_never_sends_the_create() {
    let h = harness(
        SimConfig {
            hang_for: Duration::from_millis(600),
            ..SimConfig::fast()
        },
        3,
    )
    .await;
    h.sim.push_fault(Route::UploadFile, Fault::Hang);
    let image = frame(h.dir.path(), "first.png", 1280, 720, 7);
    let draft = RequestDraft {
        first_frame: Some(image.display().to_string()),
        ..text_draft("a fox in the snow")
    };
    let job = within(h.runner.submit(draft, None)).await.unwrap();
    until(|| h.sim.counts().upload == 1).await;
    // The runner stalls mid-upload; another process takes the job over meanwhile.
    assert!(h
        .store
        .take_over_lease(&job.id, &ghost(), h.runner.lease_owner())
        .unwrap());

    within(h.runner.wait_idle()).await;
    let after = h.store.get_job(&job.id).unwrap();
    assert_eq!(
        h.sim.counts().create,
        0,
        "no create after the lease was lost"
    );
    assert_eq!(
        after.status,
        JobStatus::Uploading,
        "nothing recorded: {after:?}"
    );
    assert!(after.create_sent_at.is_none());
    assert_eq!(owner_of(&h.store, &job.id).as_deref(), Some("ghost"));
    assert!(!h.events.statuses(&job.id).contains(&JobStatus::Failed));

    // The taker sends it, once.
    h.store.release_lease(&job.id, "ghost").unwrap();
    let (store, runner, _) = other(&h);
    assert_eq!(within(runner.resume_all()).await.unwrap().restarted, 1);
    within(runner.wait_idle()).await;
    assert_eq!(store.get_job(&job.id).unwrap().status, JobStatus::Done);
    assert_eq!(h.sim.counts().create, 1);
}

/// Losing the lease while the create request is out must not drop its answer: the task is paid for,
/// and its id is saved (then the run stops) instead of the job ending uncertain with a resubmit offered.
#[tokio::test]
async fn a_run_whose_lease_is_taken_during_its_create_saves_the_task_id() {
    let h = harness(
        SimConfig {
            hang_for: Duration::from_millis(600),
            ..SimConfig::fast()
        },
        3,
    )
    .await;
    h.runner.set_lease_timing(quick());
    h.sim.push_fault(Route::Create, Fault::Hang);
    let job = within(h.runner.submit(text_draft("a heron at dawn"), None))
        .await
        .unwrap();
    until(|| h.store.get_job(&job.id).unwrap().create_sent_at.is_some()).await;
    // The create is out (held by the service); another process takes the job over meanwhile, and the
    // heartbeat (every 50 ms) finds the lease lost long before the answer comes.
    assert!(h
        .store
        .take_over_lease(&job.id, &ghost(), h.runner.lease_owner())
        .unwrap());

    within(h.runner.wait_idle()).await;
    let after = h.store.get_job(&job.id).unwrap();
    assert_eq!(h.sim.counts().create, 1);
    assert!(after.task_id.is_some(), "paid task id kept: {after:?}");
    assert_eq!(after.status, JobStatus::Queued, "{after:?}");
    assert_eq!(owner_of(&h.store, &job.id).as_deref(), Some("ghost"));
}

#[tokio::test]
async fn a_run_whose_lease_is_taken_while_polling_stops_polling_at_once() {
    let h = harness(
        SimConfig {
            queued_for: Duration::from_secs(3),
            ..SimConfig::fast()
        },
        3,
    )
    .await;
    h.runner.set_lease_timing(quick());
    let job = within(h.runner.submit(text_draft("a lantern festival"), None))
        .await
        .unwrap();
    until(|| h.store.get_job(&job.id).unwrap().task_id.is_some()).await;
    assert!(h
        .store
        .take_over_lease(&job.id, &ghost(), h.runner.lease_owner())
        .unwrap());

    // The heartbeat finds the lease gone and stops the run, long before the task would finish.
    within(h.runner.wait_idle()).await;
    let polls = h.sim.counts().get_task;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        h.sim.counts().get_task,
        polls,
        "no poll after the run stopped"
    );
    let after = h.store.get_job(&job.id).unwrap();
    assert_eq!(after.status, JobStatus::Queued, "{after:?}");

    // The taker (gone quiet too) leaves it; the other runner, once it has seen the taker's heartbeat
    // unchanged for the bound on its own clock, polls the same task to the end.
    let (store, runner, _) = other(&h);
    assert_eq!(
        within(runner.resume_all()).await.unwrap().resumed,
        0,
        "first seen now"
    );
    tokio::time::sleep(quick().stale_after + Duration::from_millis(100)).await;
    assert_eq!(within(runner.resume_all()).await.unwrap().resumed, 1);
    within(runner.wait_idle()).await;
    let done = store.get_job(&job.id).unwrap();
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert_eq!(done.task_id, after.task_id);
    assert_eq!(h.sim.counts().create, 1);
}

#[tokio::test]
async fn two_runners_resuming_one_queued_job_poll_it_from_one() {
    let h = harness(
        SimConfig {
            queued_for: Duration::from_millis(500),
            ..SimConfig::fast()
        },
        3,
    )
    .await;
    let client = client_for(&h.sim);
    let task = client
        .create_task(&token(&h.sim), &create_body())
        .await
        .unwrap();
    let job = h
        .store
        .insert_job(NewJob {
            request: text_draft("a cat on a windowsill"),
            ..NewJob::default()
        })
        .unwrap();
    h.store.mark_create_sent(&job.id).unwrap();
    h.store.set_task_id(&job.id, &task).unwrap();
    let (_, other, _) = other(&h);

    let (a, b) = tokio::join!(h.runner.resume_all(), other.resume_all());
    assert_eq!(
        a.unwrap().resumed + b.unwrap().resumed,
        1,
        "one of them polls it"
    );
    within(h.runner.wait_idle()).await;
    within(other.wait_idle()).await;
    let done = h.store.get_job(&job.id).unwrap();
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert_eq!(h.sim.counts().result, 1, "downloaded once");
    assert_eq!(h.sim.counts().create, 1);
}

#[tokio::test]
async fn another_runners_jobs_are_announced_here_as_they_change() {
    let h = harness(SimConfig::fast(), 3).await;
    h.runner.set_lease_timing(quick());
    h.runner.follow_shared_history();
    let (_, other, _) = other(&h);

    let job = within(other.submit(text_draft("a tram in the fog"), None))
        .await
        .unwrap();
    within(other.wait_idle()).await;
    until(|| h.events.statuses(&job.id).contains(&JobStatus::Done)).await;
    let seen = h.events.statuses(&job.id);
    assert_eq!(seen.last(), Some(&JobStatus::Done), "{seen:?}");

    other.delete(&job.id, false).unwrap();
    until(|| h.events.removed().contains(&job.id)).await;
}

#[tokio::test]
async fn a_job_left_by_a_process_that_is_gone_is_adopted_and_finished() {
    let h = harness(SimConfig::fast(), 3).await;
    h.runner.set_lease_timing(quick());
    // A CLI sent the create, saved the task id, then was killed: its lease stays, unrenewed.
    let client = client_for(&h.sim);
    let task = client
        .create_task(&token(&h.sim), &create_body())
        .await
        .unwrap();
    let job = h
        .store
        .insert_job(NewJob {
            request: text_draft("a cat on a windowsill"),
            ..NewJob::default()
        })
        .unwrap();
    h.store.mark_create_sent(&job.id).unwrap();
    h.store.set_task_id(&job.id, &task).unwrap();
    assert!(h.store.acquire_lease(&job.id, &ghost(), 0).unwrap());

    h.runner.follow_shared_history();
    until(|| h.store.get_job(&job.id).unwrap().status == JobStatus::Done).await;
    // The event follows the stored change: waited for (bounded), not read the moment the store says done.
    until(|| h.events.statuses(&job.id).contains(&JobStatus::Done)).await;
    assert_eq!(
        h.sim.counts().create,
        1,
        "polled and downloaded, never created again"
    );
}

#[tokio::test]
async fn a_batch_is_fed_by_one_runner_and_each_job_created_once() {
    let h = harness(SimConfig::fast(), 2).await;
    let batch = start(&h.runner, &takes_of(&text_draft("paper lanterns"), 6)).await;
    let feeder = format!("batch:{}", batch.id);
    let (store, other, _) = other(&h);
    within(other.resume_all()).await.unwrap();
    assert!(h.runner.is_active(&feeder));
    assert!(
        !other.is_active(&feeder),
        "the batch is fed by the runner that started it"
    );

    within(h.runner.wait_idle()).await;
    within(other.wait_idle()).await;
    let jobs = store.batch_jobs(&batch.id).unwrap();
    assert!(jobs.iter().all(|j| j.status == JobStatus::Done), "{jobs:?}");
    assert_eq!(h.sim.counts().create, 6);
}

/// A process that started a batch is gone mid-batch (its runtime shut down, as in a crash); the other one,
/// following the shared history, feeds the batch on and finishes it, each job created once.
#[test]
fn a_batch_whose_process_is_gone_is_fed_on_by_the_follower() {
    let runtime = |threads| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()
            .unwrap()
    };
    let main = runtime(2);
    let sim = main.block_on(crate::support::api::start(SimConfig::fast()));
    let dir = tempfile::tempdir().unwrap();
    let open = || {
        let store = Arc::new(Store::open(&dir.path().join("jobs.db")).unwrap());
        let events = Arc::new(Recorder::default());
        let runner = runner_for(&sim, &store, &events, dir.path(), false, 2);
        runner.set_lease_timing(quick());
        (store, runner, events)
    };
    let first = runtime(1);
    let batch = first.block_on(async {
        let (_, runner, _) = open();
        let batch = start(&runner, &takes_of(&text_draft("moths around a lamp"), 6)).await;
        until(|| sim.counts().create >= 2).await;
        batch
    });
    first.shutdown_timeout(Duration::from_secs(10));
    let created_before = sim.counts().create;
    assert!(created_before < 6, "the first process finished too early");

    main.block_on(async {
        let (store, runner, events) = open();
        runner.follow_shared_history();
        until(|| {
            store
                .batch_jobs(&batch.id)
                .unwrap()
                .iter()
                .all(|j| j.status.is_settled())
        })
        .await;
        let jobs = store.batch_jobs(&batch.id).unwrap();
        let done = jobs.iter().filter(|j| j.status == JobStatus::Done).count();
        let uncertain = jobs
            .iter()
            .filter(|j| j.status == JobStatus::SubmissionUncertain)
            .count();
        assert_eq!(done + uncertain, 6, "{jobs:?}");
        let creates = sim.counts().create as usize;
        assert!(creates >= done && creates <= 6, "{creates} creates");
        // The page hears each job's final status: the event follows the stored change, so it may come a
        // moment after the store shows every job settled (bounded wait; never arriving fails the test).
        until(|| {
            jobs.iter()
                .all(|j| events.statuses(&j.id).last() == Some(&j.status))
        })
        .await;
    });
}

#[tokio::test]
async fn a_job_another_process_drives_cannot_be_deleted_here() {
    let h = harness(SimConfig::fast(), 3).await;
    let job = h
        .store
        .insert_job(NewJob {
            request: text_draft("a ferry at dawn"),
            ..NewJob::default()
        })
        .unwrap();
    assert!(h.store.acquire_lease(&job.id, &ghost(), 0).unwrap());
    let refused = h.runner.delete(&job.id, false).unwrap_err();
    assert!(
        matches!(refused, seedance_core::jobs::JobError::Busy { .. }),
        "{refused:?}"
    );
    assert!(h.store.get_job(&job.id).is_ok(), "still there");

    // Once its holder is gone, it may go.
    h.runner.set_lease_timing(quick());
    tokio::time::sleep(quick().stale_after + Duration::from_millis(100)).await;
    h.runner.delete(&job.id, false).unwrap();
}
