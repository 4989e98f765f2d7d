//! The generation engine: a validated request in, an MP4 on disk out. Stateless; the caller persists each
//! step through a [`Checkpoint`] and resumes a job whose task id it knows with
//! [`Pipeline::resume_from_task`]. A job that never reached `before_create` is simply run again.
//!
//! Money rule: the create request is sent at most once per [`Pipeline::run`], only after `before_create`
//! said yes, and never retried here; an uncertain outcome surfaces as
//! [`PipelineError::SubmissionUncertain`] for the user to decide.

mod checkpoint;
mod error;
mod frames;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::api::{
    poll_until_finished_reporting, ApiError, Clock, PollEvent, PollSchedule, RealTime, SinanClient,
    Sleeper, TaskId, TaskState, TaskStatus, UploadCache, Uploaded, MIN_POLL_INTERVAL,
};
use crate::i18n::UserFacing;
use crate::images::IntakeOptions;
use crate::request::{FrameSlot, ValidRequest};
use crate::secrets::ApiToken;

pub use checkpoint::{
    no_progress, Checkpoint, CheckpointError, HookFuture, HookResult, NoCheckpoint, PlaceFuture,
    ProgressFn, QueryTrouble, TransferProgress, TransferStage,
};
pub use error::PipelineError;

use frames::FrameSource;

/// Which of an upload's URLs goes into the create request: the one preference decides.
pub use crate::prefs::UploadRegion;

impl UploadRegion {
    fn pick(self, upload: &Uploaded) -> &str {
        match (self, &upload.cn_url) {
            (Self::China, Some(cn)) => cn,
            _ => &upload.url,
        }
    }
}

pub struct Pipeline {
    client: SinanClient,
    cache: Arc<dyn UploadCache>,
    clock: Arc<dyn Clock>,
    sleeper: Arc<dyn Sleeper>,
    schedule: PollSchedule,
    intake: IntakeOptions,
    region: UploadRegion,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("client", &self.client)
            .field("schedule", &self.schedule)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl Pipeline {
    /// Real time and the default poll schedule.
    pub fn new(client: SinanClient, cache: Arc<dyn UploadCache>) -> Self {
        Self {
            client,
            cache,
            clock: Arc::new(RealTime),
            sleeper: Arc::new(RealTime),
            schedule: PollSchedule::default(),
            intake: IntakeOptions::default(),
            region: UploadRegion::default(),
        }
    }

    /// The clock that decides upload-cache freshness and the poll bound, and the sleeper between polls.
    pub fn with_time(mut self, clock: Arc<dyn Clock>, sleeper: Arc<dyn Sleeper>) -> Self {
        self.clock = clock;
        self.sleeper = sleeper;
        self
    }

    pub fn with_poll_schedule(mut self, schedule: PollSchedule) -> Self {
        self.schedule = schedule;
        self
    }

    pub fn with_upload_region(mut self, region: UploadRegion) -> Self {
        self.region = region;
        self
    }

    pub fn client(&self) -> &SinanClient {
        &self.client
    }

    /// Checks the frames, uploads them (reusing cached uploads), creates the task, waits for it and
    /// downloads the video to `out_path` (through `out_path.part`, so a half file never has the final name).
    /// Every frame is checked before the first upload, so a bad last frame costs no upload of the first.
    pub async fn run(
        &self,
        token: &ApiToken,
        request: &ValidRequest,
        out_path: &Path,
        checkpoint: &dyn Checkpoint,
        progress: ProgressFn,
    ) -> Result<PathBuf, PipelineError> {
        let sources = frames::sources(request);
        let checked = frames::check_local(&sources, &self.intake).await?;
        let infos: Vec<_> = checked.iter().map(|(_, info)| info.clone()).collect();
        hook("frames_checked", None, checkpoint.frames_checked(&infos)).await?;

        let mut urls: [Option<String>; 2] = [None, None];
        for (slot, source) in &sources {
            let url = match source {
                FrameSource::Remote(url) => url.clone(),
                FrameSource::Local(path) => {
                    // What is uploaded must be what was checked: the hash the check took goes along.
                    let checked_sha256 = checked
                        .iter()
                        .find(|(s, _)| s == slot)
                        .map(|(_, info)| info.content_sha256.as_str())
                        .ok_or(PipelineError::FrameChanged { slot: *slot })?;
                    let upload = self
                        .upload(token, *slot, path, checked_sha256, &progress)
                        .await?;
                    hook("uploaded", None, checkpoint.uploaded(*slot, &upload)).await?;
                    self.region.pick(&upload).to_owned()
                }
            };
            urls[slot_index(*slot)] = Some(url);
        }

        let body = request
            .to_create_body(urls[0].as_deref(), urls[1].as_deref())
            .map_err(|e| PipelineError::Invalid(vec![e]))?;
        hook("before_create", None, checkpoint.before_create(&body)).await?;
        let id = self.client.create_task(token, &body).await?;
        tracing::info!(task = %id, "task created");
        hook("task_created", Some(&id), checkpoint.task_created(&id)).await?;

        self.finish(token, &id, out_path, checkpoint, progress)
            .await
    }

    /// Picks up a job whose task id is known (after a restart or crash): polls it to the end and downloads
    /// the video. Never creates a task. A done task whose link has expired fails with
    /// [`ApiError::ResultLinkExpired`].
    pub async fn resume_from_task(
        &self,
        token: &ApiToken,
        task_id: &TaskId,
        out_path: &Path,
        checkpoint: &dyn Checkpoint,
        progress: ProgressFn,
    ) -> Result<PathBuf, PipelineError> {
        tracing::info!(task = %task_id, "resuming task");
        self.finish(token, task_id, out_path, checkpoint, progress)
            .await
    }

    async fn upload(
        &self,
        token: &ApiToken,
        slot: FrameSlot,
        path: &Path,
        checked_sha256: &str,
        progress: &ProgressFn,
    ) -> Result<Uploaded, PipelineError> {
        let progress = progress.clone();
        let stage = TransferStage::upload_of(slot);
        let upload = self
            .client
            .upload_verified(
                token,
                path,
                checked_sha256,
                &*self.cache,
                &*self.clock,
                move |done, total| {
                    progress(TransferProgress {
                        stage,
                        done_bytes: done as f64,
                        total_bytes: Some(total as f64),
                    })
                },
            )
            .await
            .map_err(|e| match e {
                ApiError::FileChanged => PipelineError::FrameChanged { slot },
                other => other.into(),
            })?;
        Ok(upload)
    }

    /// From a known task id to the video on disk.
    async fn finish(
        &self,
        token: &ApiToken,
        id: &TaskId,
        out_path: &Path,
        checkpoint: &dyn Checkpoint,
        progress: ProgressFn,
    ) -> Result<PathBuf, PipelineError> {
        let state = self.wait(token, id, checkpoint).await?;
        if state.status == TaskStatus::Failed {
            return Err(PipelineError::TaskFailed {
                code: state.error_code.clone(),
                message: state
                    .failure_message()
                    .unwrap_or("no reason was given")
                    .to_owned(),
            });
        }
        let url = state.video_url.as_deref().ok_or_else(|| {
            PipelineError::Api(ApiError::MalformedReply {
                detail: "the finished task has no video link".to_owned(),
            })
        })?;

        if let Some(dir) = out_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir).await?;
        }
        hook("downloading", Some(id), checkpoint.downloading()).await?;
        let part = checkpoint.download_file(out_path)?;
        match self.download(url, &part, &progress).await {
            Err(ApiError::ResultLinkExpired) => {
                // Links expire, tasks keep their video longer: ask the task again for a fresh link (free)
                // before calling the video gone. A failed query is not "gone": it is reported as itself.
                tracing::info!(task = %id, "result link refused; asking the task for a fresh one");
                // The last poll may have been a moment ago: the service's spacing applies to this query too.
                self.sleeper.sleep(MIN_POLL_INTERVAL).await;
                let fresh = self.client.get_task(token, id).await?;
                let url = fresh
                    .video_url
                    .as_deref()
                    .filter(|_| fresh.status == TaskStatus::Done)
                    .ok_or(ApiError::ResultLinkExpired)?;
                hook("status", Some(id), checkpoint.status(&fresh)).await?;
                self.download(url, &part, &progress).await?
            }
            other => other?,
        }
        let path = checkpoint.put_in_place(&part, out_path).await?;
        hook("finished", Some(id), checkpoint.finished(&path)).await?;
        Ok(path)
    }

    async fn download(
        &self,
        url: &str,
        part: &Path,
        progress: &ProgressFn,
    ) -> Result<(), ApiError> {
        let progress = progress.clone();
        self.client
            .download_part(url, part, move |done, total| {
                progress(TransferProgress {
                    stage: TransferStage::Download,
                    done_bytes: done as f64,
                    total_bytes: total.map(|t| t as f64),
                })
            })
            .await
    }

    /// Polls until the task is done or failed, handing each new status to the checkpoint before the next
    /// poll. The poll loop reports through a plain callback, so statuses travel over a channel to be
    /// awaited here; a failing hook drops the loop.
    async fn wait(
        &self,
        token: &ApiToken,
        id: &TaskId,
        checkpoint: &dyn Checkpoint,
    ) -> Result<TaskState, PipelineError> {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Polled>();
        let poll = poll_until_finished_reporting(
            &self.client,
            token,
            id,
            &self.schedule,
            &*self.clock,
            &*self.sleeper,
            move |event| {
                let polled = match event {
                    PollEvent::Changed(state) => Polled::Changed(state.clone()),
                    PollEvent::Trouble { error, retry_in } => Polled::Trouble(QueryTrouble {
                        error_kind: error.kind(),
                        unreachable: matches!(
                            error,
                            ApiError::NetworkDown { .. } | ApiError::Timeout
                        ),
                        detail: error.to_string(),
                        retry_in,
                    }),
                    PollEvent::Recovered => Polled::Recovered,
                };
                // The receiver lives until the loop ends, so a send cannot fail while it matters.
                let _ = tx.send(polled);
            },
        );
        tokio::pin!(poll);
        let mut last_status = None;
        let outcome = loop {
            tokio::select! {
                biased;
                Some(polled) = rx.recv() => pass_on(&mut last_status, polled, id, checkpoint).await?,
                outcome = &mut poll => break outcome,
            }
        };
        // The final state is sent in the same step that ends the loop.
        while let Ok(polled) = rx.try_recv() {
            pass_on(&mut last_status, polled, id, checkpoint).await?;
        }
        Ok(outcome?)
    }
}

/// What the poll loop reported, carried from its callback to the checkpoint.
enum Polled {
    Changed(TaskState),
    Trouble(QueryTrouble),
    Recovered,
}

async fn pass_on(
    last_status: &mut Option<TaskStatus>,
    polled: Polled,
    id: &TaskId,
    checkpoint: &dyn Checkpoint,
) -> Result<(), PipelineError> {
    match polled {
        Polled::Changed(state) => announce(last_status, &state, id, checkpoint).await,
        Polled::Trouble(trouble) => {
            hook(
                "poll_trouble",
                Some(id),
                checkpoint.poll_trouble(Some(&trouble)),
            )
            .await
        }
        Polled::Recovered => hook("poll_trouble", Some(id), checkpoint.poll_trouble(None)).await,
    }
}

/// Passes a state to the checkpoint only when its status differs from the last one passed.
async fn announce(
    last_status: &mut Option<TaskStatus>,
    state: &TaskState,
    id: &TaskId,
    checkpoint: &dyn Checkpoint,
) -> Result<(), PipelineError> {
    if *last_status == Some(state.status) {
        return Ok(());
    }
    tracing::debug!(task = %id, status = ?state.status, "task status changed");
    hook("status", Some(id), checkpoint.status(state)).await?;
    *last_status = Some(state.status);
    Ok(())
}

/// Awaits a hook, naming the step (and the task, once one exists) if it refuses.
async fn hook(
    step: &'static str,
    task: Option<&TaskId>,
    future: HookFuture<'_>,
) -> Result<(), PipelineError> {
    future.await.map_err(|e| {
        tracing::warn!(step, "checkpoint refused to continue");
        PipelineError::Checkpoint {
            step,
            detail: e.0,
            task: task.cloned(),
        }
    })
}

fn slot_index(slot: FrameSlot) -> usize {
    match slot {
        FrameSlot::First => 0,
        FrameSlot::Last => 1,
    }
}
