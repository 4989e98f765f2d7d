//! The token removed (or the mode switched) in the middle of a batch: the batch sends nothing more and
//! fails nothing, says what it waits for, and goes on once a token is saved. Jobs already sent keep
//! waiting for their own service as single jobs do.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use seedance_core::jobs::{Connection, ConnectionError, ConnectionFuture, ConnectionSource};
use seedance_core::store::{BatchState, JobStatus, Store};
use seedance_sim::SimConfig;

use super::{jobs_of, start, state_of, takes_of, until};
use crate::support::api::{self, within};
use crate::support::jobs::{connection_to, runner_with, Recorder};
use crate::support::text_draft;

/// The app's token: present, removed, or the app switched to demo mode.
struct Switch(Mutex<Result<Connection, ConnectionError>>);

impl ConnectionSource for Switch {
    fn current(&self) -> ConnectionFuture<'_> {
        let now = self.0.lock().unwrap().clone();
        Box::pin(std::future::ready(now))
    }
}

#[tokio::test]
async fn a_token_removed_mid_batch_holds_the_rest_without_failing_them() {
    let sim = api::start(SimConfig {
        queued_for: Duration::from_millis(200),
        ..SimConfig::fast()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("jobs.db")).unwrap());
    let events = Arc::new(Recorder::default());
    let live = connection_to(&sim, false);
    let switch = Arc::new(Switch(Mutex::new(Ok(live.clone()))));
    let runner = runner_with(switch.clone(), &store, &events, dir.path(), 1);

    let batch = start(&runner, &takes_of(&text_draft("cranes at dusk"), 4)).await;
    until(|| sim.counts().create == 1).await;
    // The token is removed while the first job is being made.
    *switch.0.lock().unwrap() = Err(ConnectionError::NoToken);
    until(|| runner.batch(&batch.id).unwrap().waiting.is_some()).await;
    let waiting = runner.batch(&batch.id).unwrap();
    assert_eq!(waiting.state, BatchState::Running);
    let note = waiting.waiting.unwrap();
    assert_eq!(note.key, "msg.batch_run.waiting_token");
    assert!(note.text("zh-CN").contains("令牌"));
    // Many feeder looks later, still nothing failed or sent.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sim.counts().create, 1);
    let jobs = jobs_of(&store, &batch);
    assert!(
        jobs.iter().all(|j| j.status != JobStatus::Failed),
        "{:?}",
        jobs.iter()
            .map(|j| (j.status, j.problem.clone()))
            .collect::<Vec<_>>()
    );
    assert!(jobs[1..].iter().all(|j| j.status == JobStatus::NotSent));

    // Demo mode instead: a live batch waits for live mode.
    *switch.0.lock().unwrap() = Ok(Connection {
        demo: true,
        ..live.clone()
    });
    runner.service_changed();
    until(|| {
        runner
            .batch(&batch.id)
            .unwrap()
            .waiting
            .is_some_and(|w| w.key == "msg.batch_run.waiting_live_mode")
    })
    .await;
    assert_eq!(sim.counts().create, 1);

    // A token is saved: the rest are sent, each once, and the note goes.
    *switch.0.lock().unwrap() = Ok(live);
    runner.service_changed();
    until(|| state_of(&store, &batch) == BatchState::Finished).await;
    within(runner.wait_idle()).await;
    let jobs = jobs_of(&store, &batch);
    assert!(jobs.iter().all(|j| j.status == JobStatus::Done), "{jobs:?}");
    assert_eq!(sim.counts().create, 4);
    assert_eq!(runner.batch(&batch.id).unwrap().waiting, None);
}
