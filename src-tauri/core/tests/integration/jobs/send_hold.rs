//! Holding new uploads and creates while the app installs an update (`JobRunner::hold_sending`): refused
//! while a run of this process uploads a frame or waits for its create's answer (installing then would cut
//! the paid request off), and once granted no run starts an upload or a create until the hold ends; polls
//! and downloads go on. The simulator holds the upload or the create (`Fault::Hang`) so the question is
//! asked while it is out.

use std::time::Duration;

use crate::batch::run::until;
use crate::support::api::within;
use crate::support::jobs::harness;
use crate::support::pipeline::frame;
use crate::support::text_draft;
use seedance_core::jobs::SendingNow;
use seedance_core::request::RequestDraft;
use seedance_core::store::JobStatus;
use seedance_sim::{Fault, Route, SimConfig};

fn hanging(ms: u64) -> SimConfig {
    SimConfig {
        hang_for: Duration::from_millis(ms),
        ..SimConfig::fast()
    }
}

#[tokio::test]
async fn a_hold_is_refused_while_a_create_is_out_and_granted_once_its_task_is_known() {
    let h = harness(hanging(800), 3).await;
    h.sim.push_fault(Route::Create, Fault::Hang);
    let job = within(h.runner.submit(text_draft("lanterns on a river"), None))
        .await
        .unwrap();
    until(|| h.sim.counts().create == 1).await;

    let refused = h.runner.hold_sending().expect_err("a create is out");
    assert_eq!(
        refused,
        SendingNow {
            uploading: 0,
            creating: 1
        }
    );
    assert_eq!(h.runner.sending_now(), refused);

    until(|| h.store.get_job(&job.id).is_ok_and(|j| j.task_id.is_some())).await;
    until(|| h.runner.sending_now().is_idle()).await;
    let hold = h.runner.hold_sending().expect("nothing is sent now");
    // A poll or download goes on under the hold: the job still finishes.
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    drop(hold);
    assert_eq!(h.sim.counts().create, 1);
}

#[tokio::test]
async fn a_hold_is_refused_while_a_frame_uploads() {
    let h = harness(hanging(800), 3).await;
    let first = frame(h.dir.path(), "first.png", 640, 360, 3);
    h.sim.push_fault(Route::UploadFile, Fault::Hang);
    let draft = RequestDraft {
        first_frame: Some(first.display().to_string()),
        ..text_draft("a paper boat")
    };
    let job = within(h.runner.submit(draft, None)).await.unwrap();
    until(|| h.sim.counts().upload == 1).await;

    let refused = h.runner.hold_sending().expect_err("an upload is out");
    assert_eq!(refused.uploading, 1, "{refused:?}");
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert!(
        h.runner.hold_sending().is_ok(),
        "granted once the run is over"
    );
}

#[tokio::test]
async fn while_held_a_new_job_waits_before_sending_anything_and_goes_on_after() {
    let h = harness(SimConfig::fast(), 3).await;
    let hold = h.runner.hold_sending().unwrap();
    assert!(
        h.runner.hold_sending().is_err(),
        "one hold at a time: a second install cannot start"
    );
    let job = within(h.runner.submit(text_draft("a kite over dunes"), None))
        .await
        .unwrap();
    // Real time: the wait is on the hold, not on the runner's (fast) clock.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let waiting = h.store.get_job(&job.id).unwrap();
    assert_eq!(waiting.status, JobStatus::Uploading);
    assert!(waiting.create_sent_at.is_none(), "{waiting:?}");
    assert_eq!(h.sim.counts().create, 0);
    assert_eq!(h.sim.counts().upload, 0);

    drop(hold);
    let done = h.settle(&job.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.problem);
    assert_eq!(h.sim.counts().create, 1);
}
