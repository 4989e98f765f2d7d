//! The pipeline's checkpoint for a stored job: each step is written to the store, then announced. A write
//! that fails stops the run (before the create request, that means nothing is paid for).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::run_part;
use super::send_hold::SendStep;
use super::trouble::query_note;
use super::JobRunner;
use crate::api::{TaskId, TaskState, TaskStatus, Uploaded};
use crate::images::FrameInfo;
use crate::pipeline::{
    Checkpoint, CheckpointError, HookFuture, HookResult, PipelineError, PlaceFuture, ProgressFn,
    QueryTrouble, TransferProgress,
};
use crate::prefs::UploadRegion;
use crate::request::{CreateBody, FrameSlot};
use crate::store::{FinishError, JobStatus, Store, StoreError};

/// At most this often a transfer's progress is written and announced (the last report always is).
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

pub(super) struct StoreCheckpoint {
    runner: JobRunner,
    id: String,
    region: UploadRegion,
    /// The status last written, so polls never move the job backwards (e.g. a resumed download).
    status: Arc<Mutex<JobStatus>>,
    /// The task id the service gave this run, saved or not.
    known_task: Mutex<Option<TaskId>>,
    /// A task id whose write failed (database busy, I/O error): the run goes on with it in memory and
    /// writes it again until it is saved. Never a reason to fail the job or to offer paying again.
    unsaved_task: Arc<Mutex<Option<TaskId>>>,
    /// This run's own download file (see `run_part`) while it may hold bytes of this run's: the run's end
    /// decides what becomes of it, and a run stopped where it was (its lease lost) removes it on drop.
    own_part: Mutex<Option<PathBuf>>,
    /// The local frames this run read before uploading them, with the SHA-256 of their bytes, for the
    /// video's recipe.
    checked_frames: Mutex<Vec<(PathBuf, String)>>,
}

impl Drop for StoreCheckpoint {
    fn drop(&mut self) {
        if let Some(part) = self.take_own_part() {
            run_part::discard(&part);
        }
    }
}

/// Tries to write an unsaved task id; true when none is left unsaved.
fn save_task_id(
    runner: &JobRunner,
    id: &str,
    unsaved: &Mutex<Option<TaskId>>,
    status: &Mutex<JobStatus>,
) -> bool {
    let mut unsaved = unsaved.lock().unwrap_or_else(|p| p.into_inner());
    let Some(task) = unsaved.as_ref() else {
        return true;
    };
    match runner.inner.store.set_task_id(id, task) {
        Ok(()) => {
            tracing::info!(job = id, task = %task, "task id saved");
            *unsaved = None;
            *status.lock().unwrap_or_else(|p| p.into_inner()) = JobStatus::Queued;
            drop(unsaved);
            runner.announce(id);
            true
        }
        Err(e) => {
            tracing::warn!(job = id, task = %task, error = %e, "task id still not saved; kept in memory");
            false
        }
    }
}

/// First wait between writes of an unsaved task id; doubles up to [`SAVE_RETRY_MAX`].
const SAVE_RETRY_FIRST: Duration = Duration::from_millis(250);
const SAVE_RETRY_MAX: Duration = Duration::from_secs(30);
/// Writes tried before the download (which needs the id saved) gives up: about ten minutes.
const SAVE_ATTEMPTS_BEFORE_DOWNLOAD: u32 = 28;

/// Order of the working statuses; a status update only ever moves forward.
fn rank(status: JobStatus) -> u8 {
    match status {
        JobStatus::Uploading => 0,
        JobStatus::Submitting => 1,
        JobStatus::Queued => 2,
        JobStatus::Running => 3,
        JobStatus::Downloading => 4,
        JobStatus::Done
        | JobStatus::Failed
        | JobStatus::SubmissionUncertain
        | JobStatus::NotSent => 5,
    }
}

fn ready<'a>(result: HookResult) -> HookFuture<'a> {
    Box::pin(std::future::ready(result))
}

impl StoreCheckpoint {
    pub(super) fn new(
        runner: JobRunner,
        id: &str,
        status: JobStatus,
        region: UploadRegion,
    ) -> Self {
        Self {
            runner,
            id: id.to_owned(),
            region,
            status: Arc::new(Mutex::new(status)),
            known_task: Mutex::new(None),
            unsaved_task: Arc::new(Mutex::new(None)),
            own_part: Mutex::new(None),
            checked_frames: Mutex::new(Vec::new()),
        }
    }

    /// This run's download file, if it may still hold bytes; from now on the caller decides about it.
    pub(super) fn take_own_part(&self) -> Option<PathBuf> {
        self.own_part
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }

    fn set_own_part(&self, part: Option<PathBuf>) {
        *self.own_part.lock().unwrap_or_else(|p| p.into_inner()) = part;
    }

    /// The download is complete: put in place and the job recorded done there, in one step that holds
    /// the database's write lock and checks the lease (see [`Store::finish_run`]). A run that lost its
    /// lease removes its file instead.
    async fn place(&self, part: &Path, dest: &Path) -> Result<PathBuf, PipelineError> {
        let store = self.runner.inner.store.clone();
        let owner = self.runner.lease_owner().to_owned();
        let (id, from, to) = (self.id.clone(), part.to_path_buf(), dest.to_path_buf());
        let checked = self
            .checked_frames
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let task = self.known_task();
        let finished = tokio::task::spawn_blocking(move || {
            super::recipe_tag::tag_download(&store, &id, &from, &to, &checked, task);
            store.finish_run(
                &id,
                &owner,
                &to,
                |anothers| run_part::place_once(&from, &to, !anothers),
                |placed| {
                    if let Err(e) = std::fs::rename(placed, &from) {
                        tracing::error!(job = id, error = %e, "video put in place but not recorded");
                    }
                },
            )
        })
        .await
        .map_err(std::io::Error::other)?;
        let refused = |detail: String| PipelineError::Checkpoint {
            step: "finished",
            detail,
            task: self.known_task(),
        };
        match finished {
            Ok(placed) => {
                self.set_own_part(None);
                self.set_current(JobStatus::Done);
                self.runner.announce(&self.id);
                run_part::clear_leftovers(dest);
                crate::api::sync_parent_dir(&placed).await;
                Ok(placed)
            }
            Err(FinishError::NotHeld) => {
                tracing::warn!(job = %self.id, "lease lost before the video was put in place; this run's copy goes");
                self.set_own_part(None);
                run_part::discard(part);
                Err(refused("the job's lease was lost".to_owned()))
            }
            Err(FinishError::Store(e)) => {
                tracing::warn!(job = %self.id, error = %e, "finished video not recorded");
                Err(refused(e.to_string()))
            }
            Err(FinishError::Io(e)) => Err(PipelineError::Io(e)),
        }
    }

    /// A run that starts from a known task: when the store does not have its id yet (its write failed in
    /// an earlier run), it is kept and saved the way a newly created task's id is.
    pub(super) fn follow_task(&self, task: &TaskId, on_record: bool) {
        *self.known_task.lock().unwrap_or_else(|p| p.into_inner()) = Some(task.clone());
        if !on_record {
            *self.unsaved_task.lock().unwrap_or_else(|p| p.into_inner()) = Some(task.clone());
            if !self.task_id_saved() {
                self.keep_saving_task_id();
            }
        }
    }

    pub(super) fn known_task(&self) -> Option<TaskId> {
        self.known_task
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn task_id_saved(&self) -> bool {
        save_task_id(&self.runner, &self.id, &self.unsaved_task, &self.status)
    }

    /// Writes the unsaved task id again with backoff, in the background, until it is saved or the store
    /// has a task id for the job (the run itself also tries at each step). It holds the id itself, so a run
    /// that ends or is stopped (its lease lost) meanwhile never takes the paid task's id with it.
    fn keep_saving_task_id(&self) {
        let runner = self.runner.clone();
        let id = self.id.clone();
        let unsaved = self.unsaved_task.clone();
        let status = self.status.clone();
        tokio::spawn(async move {
            let mut wait = SAVE_RETRY_FIRST;
            loop {
                runner.inner.timing.sleeper.sleep(wait).await;
                if save_task_id(&runner, &id, &unsaved, &status) {
                    return;
                }
                if runner
                    .inner
                    .store
                    .get_job(&id)
                    .is_ok_and(|job| job.task_id.is_some())
                {
                    return;
                }
                wait = (wait * 2).min(SAVE_RETRY_MAX);
            }
        });
    }

    /// The download needs the task id in the store; waits (with backoff, bounded) until it is.
    async fn task_id_saved_before_download(&self) -> HookResult {
        let mut wait = SAVE_RETRY_FIRST;
        for _ in 0..SAVE_ATTEMPTS_BEFORE_DOWNLOAD {
            if self.task_id_saved() {
                return Ok(());
            }
            self.runner.inner.timing.sleeper.sleep(wait).await;
            wait = (wait * 2).min(SAVE_RETRY_MAX);
        }
        if self.task_id_saved() {
            return Ok(());
        }
        let task = self.known_task().map(|t| t.0).unwrap_or_default();
        tracing::error!(job = %self.id, task, "task id could not be saved; the download waits for the next run");
        Err(CheckpointError(format!(
            "task id {task} could not be saved"
        )))
    }

    fn store(&self) -> &Store {
        &self.runner.inner.store
    }

    fn current(&self) -> JobStatus {
        *self.status.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set_current(&self, status: JobStatus) {
        *self.status.lock().unwrap_or_else(|p| p.into_inner()) = status;
    }

    /// Refuses to go on when another process took the job over: the next step (an upload, a poll, the
    /// download, a write) would be a second process driving it.
    fn leased(&self, step: &str) -> HookResult {
        if self.runner.still_leased(&self.id) {
            Ok(())
        } else {
            Err(CheckpointError(format!("{step}: the job's lease was lost")))
        }
    }

    /// Runs one store write; announces it when it succeeded, refuses to go on when it did not.
    fn write(
        &self,
        step: &str,
        write: impl FnOnce(&Store, &str) -> Result<(), StoreError>,
    ) -> HookResult {
        self.leased(step)?;
        write(self.store(), &self.id).map_err(|e| {
            tracing::warn!(job = %self.id, step, error = %e, "job step not saved");
            CheckpointError(format!("{step}: {e}"))
        })?;
        self.runner.announce(&self.id);
        Ok(())
    }

    fn on_status(&self, state: &TaskState) -> HookResult {
        // The id first: a run that lost its lease still leaves the paid task's id on record.
        let saved = self.task_id_saved();
        self.leased("status")?;
        // An answered poll: whatever kept the task from being asked about is over.
        self.runner.set_trouble(&self.id, None);
        if !saved {
            // Status writes need the task id in the store; the poll goes on and the next one catches up.
            self.runner.announce(&self.id);
            return Ok(());
        }
        // Diagnostics only: losing the raw word must not stop a paid task.
        if let Err(e) = self
            .store()
            .set_task_status_raw(&self.id, &state.raw_status)
        {
            tracing::debug!(job = %self.id, error = %e, "raw task status not saved");
        }
        if state.status == TaskStatus::Done {
            if let Some(url) = &state.video_url {
                self.store()
                    .set_video_url(&self.id, url)
                    .map_err(|e| CheckpointError(format!("video link: {e}")))?;
            }
        }
        let target = match state.status {
            TaskStatus::Queued => JobStatus::Queued,
            TaskStatus::Running => JobStatus::Running,
            // Done becomes downloading, failed becomes failed: both through their own steps.
            TaskStatus::Done | TaskStatus::Failed => {
                self.runner.announce(&self.id);
                return Ok(());
            }
        };
        if rank(target) <= rank(self.current()) {
            self.runner.announce(&self.id);
            return Ok(());
        }
        self.write("status", |store, id| store.set_status(id, target))?;
        self.set_current(target);
        Ok(())
    }

    /// A progress callback that writes bytes to the store and announces them, at most every
    /// [`PROGRESS_EVERY`] (and always the final report).
    pub(super) fn progress_fn(&self) -> ProgressFn {
        let runner = self.runner.clone();
        let id = self.id.clone();
        let last: Arc<Mutex<Option<Instant>>> = Arc::new(Mutex::new(None));
        Arc::new(move |p: TransferProgress| {
            runner.check_lease_after_stall(&id);
            let complete = p.total_bytes.is_some_and(|t| p.done_bytes >= t);
            {
                let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
                if !complete && last.is_some_and(|at| at.elapsed() < PROGRESS_EVERY) {
                    return;
                }
                *last = Some(Instant::now());
            }
            let done = p.done_bytes.max(0.0) as u64;
            let total = p.total_bytes.map(|t| t.max(0.0) as u64);
            if let Err(e) = runner.inner.store.set_progress(&id, done, total) {
                tracing::debug!(job = %id, error = %e, "progress not saved");
                return;
            }
            runner
                .inner
                .events
                .progress(&id, p.stage, p.done_bytes, p.total_bytes);
        })
    }
}

impl Checkpoint for StoreCheckpoint {
    fn frames_checked<'a>(&'a self, frames: &'a [FrameInfo]) -> HookFuture<'a> {
        *self
            .checked_frames
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = frames
            .iter()
            .map(|f| (f.path.clone(), f.content_sha256.clone()))
            .collect();
        // Before the first upload; waits while an update is being installed (see `send_hold`).
        Box::pin(async move {
            self.runner
                .enter_sending(&self.id, SendStep::Uploading)
                .await;
            self.leased("frames_checked")
        })
    }

    fn uploaded<'a>(&'a self, slot: FrameSlot, upload: &'a Uploaded) -> HookFuture<'a> {
        // The address the create request will carry, so a resumed job shows what was sent.
        let url = match (self.region, &upload.cn_url) {
            (UploadRegion::China, Some(cn)) => cn,
            _ => &upload.url,
        };
        ready(self.write("uploaded", |store, id| {
            store.set_uploaded(id, slot, url, upload.expires_at)
        }))
    }

    fn before_create<'a>(&'a self, _body: &'a CreateBody) -> HookFuture<'a> {
        Box::pin(async move {
            // Counted as creating before the mark, so an update's install never starts between the two;
            // waits while one is being installed (see `send_hold`).
            self.runner
                .enter_sending(&self.id, SendStep::Creating)
                .await;
            // The lease is checked in the same statement as the mark: a run whose job was taken over can
            // never mark it, so never send its create.
            let owner = self.runner.lease_owner().to_owned();
            let result = self.write("before_create", |store, id| {
                store.mark_create_sent_leased(id, &owner)
            });
            if result.is_ok() {
                self.set_current(JobStatus::Submitting);
                // From here until the task id is safe, losing the lease lets the create's answer arrive.
                self.runner.set_creating(&self.id, true);
                self.runner.note_create_sent(&self.id);
            }
            result
        })
    }

    fn task_created<'a>(&'a self, task: &'a TaskId) -> HookFuture<'a> {
        *self.known_task.lock().unwrap_or_else(|p| p.into_inner()) = Some(task.clone());
        *self.unsaved_task.lock().unwrap_or_else(|p| p.into_inner()) = Some(task.clone());
        if !self.task_id_saved() {
            // The task exists and is paid for: keep following it with the id in memory.
            self.keep_saving_task_id();
        }
        // Saved, or held by a saver that outlives the run: the run may be stopped again.
        self.runner.set_creating(&self.id, false);
        self.runner.leave_sending(&self.id);
        ready(Ok(()))
    }

    fn poll_trouble<'a>(&'a self, trouble: Option<&'a QueryTrouble>) -> HookFuture<'a> {
        self.task_id_saved();
        if let Err(lost) = self.leased("poll_trouble") {
            return ready(Err(lost));
        }
        let note = trouble.map(|t| query_note(t, self.runner.next_try_at(t.retry_in)));
        self.runner.set_trouble(&self.id, note);
        ready(Ok(()))
    }

    fn status<'a>(&'a self, state: &'a TaskState) -> HookFuture<'a> {
        ready(self.on_status(state))
    }

    fn downloading(&self) -> HookFuture<'_> {
        Box::pin(async move {
            self.task_id_saved_before_download().await?;
            let result = self.write("downloading", |store, id| {
                store.set_status(id, JobStatus::Downloading)?;
                // The byte count so far belonged to the uploads.
                store.set_progress(id, 0, None)
            });
            if result.is_ok() {
                self.set_current(JobStatus::Downloading);
            }
            result
        })
    }

    fn download_file(&self, dest: &Path) -> Result<PathBuf, PipelineError> {
        let own = run_part::own_part(dest, self.runner.lease_owner())?;
        self.set_own_part(Some(own.clone()));
        run_part::adopt(dest, &own)?;
        Ok(own)
    }

    fn put_in_place<'a>(&'a self, part: &'a Path, dest: &'a Path) -> PlaceFuture<'a> {
        Box::pin(self.place(part, dest))
    }

    fn finished<'a>(&'a self, _path: &'a Path) -> HookFuture<'a> {
        // Recorded and announced with the move (see `place`).
        ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_rank_in_the_order_a_job_moves() {
        let order = [
            JobStatus::Uploading,
            JobStatus::Submitting,
            JobStatus::Queued,
            JobStatus::Running,
            JobStatus::Downloading,
            JobStatus::Done,
        ];
        assert!(order.windows(2).all(|w| rank(w[0]) < rank(w[1])));
    }
}
