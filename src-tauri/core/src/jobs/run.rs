//! One run of a job: wait for a turn, connect, run or resume the pipeline, record how it ended.

use std::fs::OpenOptions;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::run_part;
use super::store_checkpoint::StoreCheckpoint;
use super::{trouble, ConnectionError, JobError, JobRunner, RunnerPrefs};
use crate::api::part_path;
use crate::api::{SinanClient, TaskId, UploadCache};
use crate::i18n::UserFacing;
use crate::pipeline::{Pipeline, PipelineError};
use crate::prefs::{
    ensure_output_dir, output_file_name, render_file_name_with, unique_path, BatchPlace,
    FileNameParts,
};
use crate::store::{JobRecord, JobStatus};

/// Names tried when other jobs keep taking the free one first.
const RESERVE_ATTEMPTS: u32 = 50;

/// A free `stem.mp4` (or `stem (n).mp4`) in `dir`, claimed by creating its empty `.part` file: jobs with
/// the same prompt finishing in the same second never share a file. The download resumes from the empty
/// `.part` (nothing to resume) and renames it when complete.
fn reserve(dir: &Path, stem: &str) -> Result<PathBuf, JobError> {
    for _ in 0..RESERVE_ATTEMPTS {
        let path = unique_path(dir, stem, "mp4");
        let part = part_path(&path)?;
        match OpenOptions::new().write(true).create_new(true).open(&part) {
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(PipelineError::Io(e).into()),
        }
    }
    Err(PipelineError::Io(std::io::Error::other("no free file name for the video")).into())
}

/// A job's (or a batch feeder's) place among the active ones, given back when the run ends in any way (a
/// panic included).
pub(super) struct ActiveSlot {
    pub(super) runner: JobRunner,
    pub(super) id: String,
}

impl Drop for ActiveSlot {
    fn drop(&mut self) {
        self.runner.release(&self.id);
    }
}

/// Where a run starts.
#[derive(Clone, Debug)]
pub(super) enum Plan {
    /// From the frames: the create request was never sent.
    Fresh,
    /// From a known task: poll it and download its video. Never creates a task.
    FromTask(TaskId),
}

impl JobRunner {
    /// Starts a run of the job unless one is already going; returns whether it started.
    pub(super) fn spawn(&self, id: &str, plan: Plan) -> bool {
        if !self.claim(id) {
            tracing::debug!(job = id, "already running");
            return false;
        }
        let slot = ActiveSlot {
            runner: self.clone(),
            id: id.to_owned(),
        };
        if !self.take_lease(id) {
            // Another process sharing the history drives it; it announces what it does through the store.
            tracing::info!(job = id, "driven by another process; not run here");
            return false;
        }
        let runner = self.clone();
        let id = id.to_owned();
        tokio::spawn(async move {
            // The run is its own task so a panic in it ends only it, and is seen here as a `JoinError`;
            // losing the job's lease aborts it (also seen here, as cancelled: nothing is recorded).
            let run = {
                let runner = runner.clone();
                let id = id.clone();
                tokio::spawn(async move { runner.drive(&id, plan).await })
            };
            runner.lease_driven_by(&id, run.abort_handle());
            if let Err(e) = run.await {
                if e.is_panic() && runner.holds_lease(&id) {
                    runner.record_crash(&id);
                }
            }
            runner.run_over(&id);
            drop(slot);
        });
        true
    }

    /// A run panicked: the job must not sit "active" with nobody working on it. It is settled the way
    /// the money rule allows: a known task stays reachable (failed, with "Retry download" asking the task
    /// again, never a resubmit), a create that may have gone out becomes uncertain, and a job that never
    /// sent its create fails plainly (submitting it again pays nothing twice).
    /// Every write checks the lease in its own statement (the run may have lost it unnoticed).
    pub(super) fn record_crash(&self, id: &str) {
        self.set_trouble(id, None);
        let store = &self.inner.store;
        let owner = self.lease_owner();
        let written = match store.get_job(id) {
            Ok(job) if job.status.is_settled() => return,
            Ok(job) if job.task_id.is_none() && job.create_sent_at.is_some() => store
                .uncertain_run(
                    id,
                    &JobError::RunCrashed { task_known: false }.msg(),
                    None,
                    owner,
                ),
            Ok(job) => store.fail_run(
                id,
                &JobError::RunCrashed {
                    task_known: job.task_id.is_some(),
                },
                owner,
                self.sent_create_here(id),
            ),
            Err(e) => Err(e),
        };
        match written {
            Ok(()) => {
                tracing::error!(job = id, "the job's run stopped on an internal error");
                self.announce(id);
            }
            Err(e) => tracing::error!(job = id, error = %e, "could not record a crashed run"),
        }
    }

    async fn drive(&self, id: &str, plan: Plan) {
        let mut plan = plan;
        // The batch take this run sends (see `Inner::batch_taken`).
        let take = self.batch_take(id);
        loop {
            self.sync_limit();
            // The semaphore is never closed, so this waits for a turn and does not fail.
            let permit = self.inner.permits.clone().acquire_owned().await;
            if !self.still_leased(id) {
                // Taken over by another process while this run waited: that process drives it now.
                return;
            }
            if matches!(plan, Plan::Fresh) && !self.still_to_send(id) {
                // Moved on while it waited for its turn: held back (its batch was paused), cancelled with its
                // batch, discarded, or sent by another process. Nothing to do, nothing to write.
                tracing::info!(
                    job = id,
                    "no longer to be sent when its turn came; the run stops"
                );
                return;
            }
            let mut known_task = match &plan {
                Plan::FromTask(task) => Some(task.clone()),
                Plan::Fresh => None,
            };
            let outcome = self.run_once(id, &plan, &mut known_task).await;
            // A run waiting for its service holds no turn: other jobs go meanwhile.
            drop(permit);
            let error = match outcome {
                Ok(()) => {
                    self.set_trouble(id, None);
                    return;
                }
                Err(error) => error,
            };
            if !self.holds_lease(id) {
                // The lease was lost during the step (another process took the job over after this one
                // stalled): that process drives the job from its stored state; nothing is recorded here
                // but a paid task's id the store does not have yet (allowed over uncertain or failed).
                if let Some(task) = &known_task {
                    if !self.task_id_on_record(id, task) {
                        tracing::error!(job = id, task = %task, "lease lost with the task id unsaved");
                    }
                }
                tracing::warn!(job = id, kind = error.kind(), "lease lost; the run stops");
                self.set_trouble(id, None);
                return;
            }
            if self.held_back(id) {
                // Its batch was paused before its create request was sent (a step refused, or the upload
                // failed meanwhile): it waits as not sent again, for its batch to send it.
                tracing::info!(
                    job = id,
                    kind = error.kind(),
                    "held back before its create; the run stops"
                );
                self.set_trouble(id, None);
                return;
            }
            if matches!(plan, Plan::Fresh) && self.taken_again(id, take) {
                // Its batch was paused (a step of this run refused) and resumed since: the job was taken
                // again, for a new run that sends it. Recording this run's end would fail that take.
                tracing::info!(
                    job = id,
                    kind = error.kind(),
                    "taken again while this run was ending; the run stops"
                );
                self.set_trouble(id, None);
                return;
            }
            if matches!(plan, Plan::Fresh)
                && matches!(error, JobError::Connection(_))
                && take.is_some()
                && self.back_to_its_batch(id)
            {
                // Released by its batch's feeder before the token went (or the mode changed), and nothing
                // was sent: it waits in its batch again, whose feeder waits for the service.
                tracing::info!(
                    job = id,
                    kind = error.kind(),
                    "no service for the batch job; back in its batch"
                );
                self.set_trouble(id, None);
                return;
            }
            if self.moved_on_elsewhere(id, &error) {
                // Another process sharing the history sent this job's create (or held it back) first: the
                // job is its now. Recording a failure here would hide that process's paid task.
                tracing::warn!(
                    job = id,
                    "another process took the job over; this run stops"
                );
                self.set_trouble(id, None);
                return;
            }
            match known_task {
                // A paid task that cannot be asked about now is waited for, never failed.
                Some(task) if trouble::waits_for_service(&error) => {
                    // While waiting, the task id is written again if an earlier write failed.
                    self.task_id_on_record(id, &task);
                    self.wait_for_service(id, &task, &error).await;
                    plan = Plan::FromTask(task);
                }
                Some(task) if !self.task_id_on_record(id, &task) => {
                    // Failing it now would store a paid job without its task. The id stays in memory (and
                    // in the log); the run asks the task again after a pause and keeps writing the id.
                    tracing::error!(job = id, task = %task, kind = error.kind(), "task id still unsaved; trying again");
                    self.inner
                        .timing
                        .sleeper
                        .sleep(trouble::SERVICE_RECHECK)
                        .await;
                    plan = Plan::FromTask(task);
                }
                _ => {
                    self.set_trouble(id, None);
                    self.settle(id, &plan, error);
                    return;
                }
            }
        }
    }

    /// The job waits as not sent: someone held it back (a paused batch, another process's start-up) before
    /// its create request was sent. Such a job is never failed by this run.
    fn held_back(&self, id: &str) -> bool {
        self.inner
            .store
            .get_job(id)
            .is_ok_and(|job| job.status == JobStatus::NotSent && job.create_sent_at.is_none())
    }

    /// The job is as a fresh run needs it: taken for sending (by the feeder, a submission, Send or a
    /// start-up restart), with no create mark and no task.
    fn still_to_send(&self, id: &str) -> bool {
        self.inner.store.get_job(id).is_ok_and(|job| {
            job.status == JobStatus::Uploading
                && job.create_sent_at.is_none()
                && job.task_id.is_none()
        })
    }

    /// Puts a batch job whose run could not start back in its batch's queue; false when the write failed.
    fn back_to_its_batch(&self, id: &str) -> bool {
        match self.inner.store.hold_unsent_run(id, self.lease_owner()) {
            Ok(()) => {
                self.announce(id);
                true
            }
            Err(e) => {
                tracing::warn!(job = id, error = %e, "batch job not put back in its batch");
                false
            }
        }
    }

    /// This process took the job for its batch again after this run started under `take`, and the job
    /// still waits for its create: the new take's run sends it.
    fn taken_again(&self, id: &str, take: Option<u64>) -> bool {
        take.is_some() && self.batch_take(id) != take && self.still_to_send(id)
    }

    /// This run's create step was refused because the job moved on without it: its create was sent, or it
    /// was held back, by another writer. (A refusal that leaves the job uploading and unsent, e.g. a full
    /// disk, is this run's own failure.)
    fn moved_on_elsewhere(&self, id: &str, error: &JobError) -> bool {
        let refused_create = matches!(
            error,
            JobError::Pipeline(PipelineError::Checkpoint {
                step: "before_create",
                ..
            })
        );
        refused_create
            && self
                .inner
                .store
                .get_job(id)
                .is_ok_and(|job| job.create_sent_at.is_some() || job.status != JobStatus::Uploading)
    }

    /// Whether the store has the job's task id, writing it once more if not.
    fn task_id_on_record(&self, id: &str, task: &TaskId) -> bool {
        let store = &self.inner.store;
        match store.get_job(id) {
            Ok(job) if job.task_id.is_some() => true,
            Ok(_) => store.set_task_id(id, task).is_ok(),
            Err(_) => false,
        }
    }

    /// One attempt at the job. `known_task` is updated with the task id as soon as the service gives
    /// one, saved or not.
    async fn run_once(
        &self,
        id: &str,
        plan: &Plan,
        known_task: &mut Option<TaskId>,
    ) -> Result<(), JobError> {
        let job = self.inner.store.get_job(id)?;
        let connection = self.inner.connections.for_job(job.demo).await?;
        let request = job.request.validate().map_err(JobError::Invalid)?;
        let prefs = self.prefs();
        let out = self.output_path(&job, &prefs).await?;

        let client =
            SinanClient::new(connection.api)?.with_sleeper(self.inner.timing.sleeper.clone());
        let cache: Arc<dyn UploadCache> = if connection.demo {
            self.inner.demo_cache.clone()
        } else {
            self.inner.live_cache.clone()
        };
        let timing = &self.inner.timing;
        let pipeline = Pipeline::new(client, cache)
            .with_time(timing.clock.clone(), timing.sleeper.clone())
            .with_poll_schedule(timing.poll_schedule.clone())
            .with_upload_region(prefs.upload_region);
        let checkpoint = StoreCheckpoint::new(self.clone(), id, job.status, prefs.upload_region);
        if let Plan::FromTask(task) = plan {
            checkpoint.follow_task(task, job.task_id.is_some());
        }
        let progress = checkpoint.progress_fn();
        let token = &connection.token;
        let outcome = match plan {
            Plan::Fresh => {
                pipeline
                    .run(token, &request, &out, &checkpoint, progress)
                    .await
            }
            Plan::FromTask(task) => {
                pipeline
                    .resume_from_task(token, task, &out, &checkpoint, progress)
                    .await
            }
        };
        // The create step is over either way (a task id is known, or the create failed).
        self.set_creating(id, false);
        self.leave_sending(id);
        if let Some(task) = checkpoint.known_task() {
            *known_task = Some(task);
        }
        if outcome.is_err() {
            // A download cut short keeps what arrived: "Download again" continues that `.part` (the
            // claimed name is stored). An empty reservation is released; the next run picks a name.
            // Only while the job is still this run's: once another process took it over, that process
            // drives the name and its files, and this run's own download goes.
            let held = self
                .inner
                .store
                .lease(id)
                .is_ok_and(|lease| lease.is_some_and(|l| l.owner == self.lease_owner()));
            if let Some(own) = checkpoint.take_own_part() {
                let out = out.clone();
                let _ = tokio::task::spawn_blocking(move || {
                    if held {
                        run_part::keep_for_later(&out, &own);
                    } else {
                        run_part::discard(&own);
                    }
                })
                .await;
            }
            if let Some(part) = part_path(&out).ok().filter(|_| held) {
                let started = tokio::fs::metadata(&part)
                    .await
                    .is_ok_and(|meta| meta.len() > 0);
                if !started {
                    // The job stops naming it first: once the `.part` is gone another job may claim the
                    // name, and a later run of this one must not take that job's file for its own.
                    if let Err(e) = self.inner.store.release_planned_output(id, &out) {
                        tracing::warn!(job = id, error = %e, "claimed file name not released");
                    } else {
                        let _ = crate::api::remove_part(&part).await;
                    }
                }
            }
        }
        outcome?;
        Ok(())
    }

    /// `<output dir>/<file name pattern>.mp4` (a batch job with its item's own output name: that name),
    /// never over an existing file; the folder is created (and
    /// checked writable) here, so a bad folder fails the job before a paid task is waited for. A job that
    /// already claimed a name whose `.part` is still there (a run cut short by a quit or crash) keeps it, so the
    /// download continues that file. The claim is stored before the download can start.
    async fn output_path(&self, job: &JobRecord, prefs: &RunnerPrefs) -> Result<PathBuf, JobError> {
        if let Some(planned) = job.output_path.as_deref() {
            let planned_path = PathBuf::from(planned);
            if part_path(&planned_path).is_ok_and(|part| part.exists())
                && !self
                    .inner
                    .store
                    .output_path_claimed_by_other(&job.id, planned)?
            {
                return Ok(planned_path);
            }
        }
        let dir = prefs.output_dir.clone();
        let short_id: String = job.id.chars().take(8).collect();
        let own_name = match &job.batch {
            Some(_) => self.inner.store.batch_job_output(&job.id)?,
            None => None,
        };
        let stem = match own_name {
            Some(output) => output_file_name(&output),
            None => render_file_name_with(
                &prefs.file_name_pattern,
                &FileNameParts {
                    when: self.inner.timing.clock.now(),
                    prompt: &job.prompt,
                    job_short_id: &short_id,
                    settings: None,
                    batch: job.batch.as_ref().map(|b| BatchPlace {
                        name: &b.name,
                        item: b.item,
                        take: b.take,
                    }),
                },
            ),
        };
        let path = tokio::task::spawn_blocking(move || {
            ensure_output_dir(&dir)?;
            reserve(&dir, &stem)
        })
        .await
        .map_err(|e| JobError::from(PipelineError::Io(std::io::Error::other(e))))??;
        self.inner.store.set_planned_output(&job.id, &path)?;
        Ok(path)
    }

    /// Records how a run that did not finish ended. A job with a paid task whose service is out of reach
    /// (no token, demo mode) is left as it is, to be resumed later. Every write checks the lease in its
    /// own statement, and a job whose create this run did not send is never failed while that create has
    /// no task id on record: it becomes uncertain instead (the money rule's answer to "maybe paid").
    pub(super) fn settle(&self, id: &str, plan: &Plan, error: JobError) {
        let store = &self.inner.store;
        let owner = self.lease_owner();
        let sent_here = self.sent_create_here(id);
        let fail = || match store.fail_run(id, &error, owner, sent_here) {
            Err(_) if !sent_here => {
                store.uncertain_run(id, &super::actions::interrupted_create(), None, owner)
            }
            written => written,
        };
        let written = match &error {
            JobError::Pipeline(e) if e.submission_uncertain() => {
                store.uncertain_run(id, &e.msg(), e.raw_cause().as_deref(), owner)
            }
            JobError::Connection(e)
                if matches!(plan, Plan::FromTask(_))
                    && !matches!(e, ConnectionError::DemoEnded) =>
            {
                tracing::warn!(
                    job = id,
                    kind = e.kind(),
                    "service out of reach; job left to resume later"
                );
                return;
            }
            _ => fail(),
        };
        match written {
            Ok(()) => {
                tracing::info!(job = id, kind = error.kind(), "job stopped");
                self.announce(id);
            }
            Err(e) => {
                tracing::error!(job = id, kind = error.kind(), error = %e, "could not record how the job stopped")
            }
        }
    }
}
