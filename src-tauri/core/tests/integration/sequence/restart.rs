//! The app killed mid-sequence: a chained shot waiting for its source when the process died is sent once
//! after the restart, from the source's last frame, and nothing is sent twice.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use seedance_core::jobs::JobRunner;
use seedance_core::sequence::{FirstFrame, RunScope};
use seedance_core::store::{JobStatus, Store};
use seedance_sim::{Sim, SimConfig};
use tokio::runtime::Builder;

use super::{run, sequence, view};
use crate::batch::run::until;
use crate::support::api::{self, within};
use crate::support::jobs::{runner_for, Recorder};

fn open(sim: &Sim, dir: &Path) -> (Arc<Store>, JobRunner) {
    let store = Arc::new(Store::open(&dir.join("jobs.db")).unwrap());
    let events = Arc::new(Recorder::default());
    let runner = runner_for(sim, &store, &events, dir, false, 2);
    (store, runner)
}

#[test]
fn after_a_crash_mid_sequence_each_shot_is_sent_once_from_its_sources_last_frame() {
    let main = Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sim = main.block_on(api::start(SimConfig::fast()));
    let dir = tempfile::tempdir().unwrap();

    let first = Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let seq = first.block_on(async {
        let (store, runner) = open(&sim, dir.path());
        let seq = sequence(
            &store,
            vec![FirstFrame::None, FirstFrame::Previous, FirstFrame::Previous],
        );
        run(&runner, dir.path(), &seq, RunScope::Whole)
            .await
            .unwrap();
        // Killed once the first shot's task exists (its id stored), before it is done.
        until(|| {
            runner.sequence_view(&seq.id).is_ok_and(|v| {
                v.shots[0]
                    .takes
                    .first()
                    .is_some_and(|t| t.job.task_id.is_some())
            })
        })
        .await;
        seq
    });
    first.shutdown_timeout(Duration::from_secs(10));
    assert!(
        sim.counts().create < 3,
        "the crash came too late to test anything"
    );

    main.block_on(async {
        let (_store, runner) = open(&sim, dir.path());
        within(runner.resume_all()).await.unwrap();
        within(runner.wait_idle()).await;
        let v = view(&runner, &seq);
        let jobs: Vec<_> = v
            .shots
            .iter()
            .flat_map(|s| s.takes.iter().map(|t| &t.job))
            .collect();
        assert_eq!(jobs.len(), 3);
        assert!(jobs.iter().all(|j| j.status == JobStatus::Done), "{jobs:?}");
        assert_eq!(sim.counts().create, 3, "each shot sent once, none twice");
        for at in 1..3 {
            let source = &v.shots[at - 1].takes[0].job;
            assert_eq!(
                v.shots[at].takes[0].chained_from.as_deref(),
                Some(source.id.as_str())
            );
        }
        within(runner.resume_all()).await.unwrap();
        within(runner.wait_idle()).await;
        assert_eq!(sim.counts().create, 3);
    });
}
