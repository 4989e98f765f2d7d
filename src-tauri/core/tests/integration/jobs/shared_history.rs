//! Two processes sharing one history (the app and a tool on the same database): a job is driven by one of
//! them, and the other never records a failure over the first one's paid task. The job lease itself (takeover,
//! a lost lease, events, adoption) is tested in `leases`.

use std::sync::Arc;

use crate::support::api::within;
use crate::support::jobs::{harness, runner_for, Recorder};
use crate::support::text_draft;
use seedance_core::api::TaskId;
use seedance_core::store::{JobStatus, NewJob, Store};
use seedance_sim::SimConfig;

#[tokio::test]
async fn two_processes_resuming_one_unsent_job_send_one_create_and_neither_fails_it() {
    for round in 0..5 {
        let h = harness(SimConfig::fast(), 3).await;
        // The second "process": its own connection to the same database file, its own runner.
        let other_store = Arc::new(Store::open(&h.dir.path().join("jobs.db")).unwrap());
        let other_events = Arc::new(Recorder::default());
        let other = runner_for(&h.sim, &other_store, &other_events, h.dir.path(), false, 3);
        let job = h
            .store
            .insert_job(NewJob {
                request: text_draft(&format!("a lighthouse at dusk, round {round}")),
                ..NewJob::default()
            })
            .unwrap();

        let (a, b) = tokio::join!(h.runner.resume_all(), other.resume_all());
        // Before the job lease both picked it up (two runs, two uploads, one create refused late).
        assert_eq!(
            a.unwrap().restarted + b.unwrap().restarted,
            1,
            "round {round}: exactly one process drives it"
        );
        within(h.runner.wait_idle()).await;
        within(other.wait_idle()).await;

        let job = h.store.get_job(&job.id).unwrap();
        assert_eq!(h.sim.counts().create, 1, "round {round}: one paid create");
        assert_eq!(
            job.status,
            JobStatus::Done,
            "round {round}: {:?}",
            job.problem
        );
        assert!(job.task_id.is_some());
    }
}

#[test]
fn a_paid_task_id_wins_over_a_failure_recorded_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("jobs.db")).unwrap();
    let job = store.insert_job(NewJob::default()).unwrap();
    store.mark_create_sent(&job.id).unwrap();
    store
        .set_failed(
            &job.id,
            "x",
            &seedance_core::i18n::Message::verbatim("x", "x"),
        )
        .unwrap();
    store.set_task_id(&job.id, &TaskId("t-1".into())).unwrap();
    let job = store.get_job(&job.id).unwrap();
    assert_eq!((job.status, job.problem), (JobStatus::Queued, None));

    // A job that never sent its create cannot get a task id.
    let unsent = store.insert_job(NewJob::default()).unwrap();
    store
        .set_failed(
            &unsent.id,
            "x",
            &seedance_core::i18n::Message::verbatim("x", "x"),
        )
        .unwrap();
    assert!(store
        .set_task_id(&unsent.id, &TaskId("t-2".into()))
        .is_err());
}
