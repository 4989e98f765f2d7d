//! Holding new uploads and paid create requests while the app installs an update.
//!
//! Installing an update ends the process. A run that is uploading a frame or waiting for its create's answer
//! would lose that work, and a create cut off before its answer leaves the job uncertain (the user decides,
//! and may pay twice). So the app asks [`JobRunner::hold_sending`] first: it is refused while any run of this
//! runner is uploading or creating, and once granted no run starts an upload or a create until the
//! [`SendHold`] is dropped (a run that reaches that step waits there, and resumes with the next start if
//! the process ends). Polls and downloads go on: they resume after the relaunch from the stored task id.
//! The check and the hold are one step under one lock, so no create can slip in between them.

use std::collections::HashMap;

use serde::Serialize;

use super::JobRunner;

/// Which step of sending a run is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SendStep {
    /// From its frames' check to its create request (uploads, or the cache's earlier ones).
    Uploading,
    /// The create request is about to leave or on its way; ends once its task id is known.
    Creating,
}

/// The runs of this runner in a sending step, and whether new ones are held.
#[derive(Default)]
pub(super) struct Sending {
    steps: HashMap<String, SendStep>,
    held: bool,
}

/// How many runs of this process are sending now (the reason an update waits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct SendingNow {
    pub uploading: u32,
    pub creating: u32,
}

impl SendingNow {
    pub fn is_idle(&self) -> bool {
        self.uploading == 0 && self.creating == 0
    }
}

/// While this lives, no run of its runner starts an upload or a create request. Dropping it lets them go.
#[must_use = "the hold ends when this is dropped"]
pub struct SendHold {
    runner: JobRunner,
}

impl std::fmt::Debug for SendHold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendHold").finish_non_exhaustive()
    }
}

impl Drop for SendHold {
    fn drop(&mut self) {
        self.runner.sending().held = false;
        self.runner.inner.send_released.send_replace(());
        tracing::info!("sending may go on");
    }
}

impl JobRunner {
    fn sending(&self) -> std::sync::MutexGuard<'_, Sending> {
        self.inner.sending.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The runs of this process uploading or creating right now.
    pub fn sending_now(&self) -> SendingNow {
        count(&self.sending())
    }

    /// Holds every new upload and create request, unless a run is uploading or creating now: then returns
    /// how many are, and holds nothing. Only one hold at a time; a second is refused like a busy runner
    /// would be (nothing sending, so the counts are zero).
    pub fn hold_sending(&self) -> Result<SendHold, SendingNow> {
        let mut sending = self.sending();
        let now = count(&sending);
        if !now.is_idle() || sending.held {
            return Err(now);
        }
        sending.held = true;
        drop(sending);
        tracing::info!("new uploads and creates are held (an update is being installed)");
        Ok(SendHold {
            runner: self.clone(),
        })
    }

    /// The run of `id` enters `step`, waiting first while sending is held.
    pub(super) async fn enter_sending(&self, id: &str, step: SendStep) {
        let mut released = self.inner.send_released.subscribe();
        loop {
            {
                let mut sending = self.sending();
                if !sending.held {
                    sending.steps.insert(id.to_owned(), step);
                    return;
                }
                // Seen as of now: a release after this point wakes the wait below.
                released.borrow_and_update();
            }
            tracing::info!(job = id, "waiting: an update is being installed");
            if released.changed().await.is_err() {
                return;
            }
        }
    }

    /// The run of `id` is no longer sending (its task id is known, or its attempt is over).
    pub(super) fn leave_sending(&self, id: &str) {
        self.sending().steps.remove(id);
    }
}

fn count(sending: &Sending) -> SendingNow {
    let mut now = SendingNow::default();
    for step in sending.steps.values() {
        match step {
            SendStep::Uploading => now.uploading += 1,
            SendStep::Creating => now.creating += 1,
        }
    }
    now
}
