//! Writing jobs: insert, the status-changing steps, and delete. Each step is one `UPDATE` whose `WHERE`
//! names the statuses it may follow, so a refused step writes nothing.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, ToSql};
use time::OffsetDateTime;

use super::row::{job_from_row, message_json, thumb_data_url, JOB_COLUMNS, THUMB_COLUMN};
use super::status::sql_list;
use super::{new_id, JobRecord, JobStatus, NewJob, Store, StoreError, Thumbnail};
use crate::api::TaskId;
use crate::i18n::{Message, UserFacing};
use crate::request::{FrameSlot, GenerationMode};

/// Statuses in which a job's task may be running or its create request in flight: deleting the record
/// then would lose track of a paid task.
const IN_FLIGHT: [JobStatus; 4] = [
    JobStatus::Submitting,
    JobStatus::Queued,
    JobStatus::Running,
    JobStatus::Downloading,
];

/// One guarded update: `SET {set}` (parameters from `?3` on) when the job's status is in `from` and the
/// extra condition `also` holds. `?1` is the time of the write, `?2` the job id.
pub(super) struct Step<'a> {
    pub(super) set: &'a str,
    pub(super) params: &'a [&'a dyn ToSql],
    pub(super) from: &'a [JobStatus],
    pub(super) also: &'a str,
    /// Committed with a full sync (`synchronous = FULL`): on disk before the call returns, even across
    /// a power loss or OS crash. For the two writes that protect money.
    pub(super) durable: bool,
}

/// A frame given as a web address needs no upload; anything else is a local path.
fn split_frame(frame: &Option<String>) -> (Option<String>, Option<String>) {
    match frame.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        None => (None, None),
        Some(f) if f.starts_with("https://") || f.starts_with("http://") => {
            (None, Some(f.to_owned()))
        }
        Some(f) => (Some(f.to_owned()), None),
    }
}

fn mode_word(mode: GenerationMode) -> &'static str {
    match mode {
        GenerationMode::TextToVideo => "text_to_video",
        GenerationMode::FirstFrame => "first_frame",
        GenerationMode::FirstLastFrame => "first_last_frame",
    }
}

pub(super) fn current_status(conn: &Connection, id: &str) -> Result<JobStatus, StoreError> {
    let word: Option<String> = conn
        .query_row("SELECT status FROM jobs WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    let word = word.ok_or_else(|| StoreError::NotFound { id: id.to_owned() })?;
    JobStatus::parse(&word).ok_or_else(|| StoreError::Corrupt {
        detail: format!("unknown status {word:?}"),
    })
}

/// Writes a new job as uploading. `retry_of` must name a stored job.
pub(super) fn insert_row(
    conn: &Connection,
    id: &str,
    now: i64,
    job: &NewJob,
    fingerprint: Option<&str>,
) -> Result<(), StoreError> {
    let request = &job.request;
    let request_json = serde_json::to_string(request).map_err(|e| StoreError::Database {
        detail: format!("request_json: {e}"),
    })?;
    let (first_path, first_url) = split_frame(&request.first_frame);
    let (last_path, last_url) = split_frame(&request.last_frame);
    if let Some(original) = &job.retry_of {
        current_status(conn, original)?;
        // Checked on the same connection, under the same lock, as the insert: two clicks cannot both pass.
        let again: Option<String> = conn
            .query_row(
                "SELECT id FROM jobs WHERE retry_of = ?1 LIMIT 1",
                [original],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(again) = again {
            return Err(StoreError::AlreadyResubmitted {
                id: original.clone(),
                again,
            });
        }
    }
    conn.execute(
        "INSERT INTO jobs (id, created_at, updated_at, status, request_json, prompt, mode, resolution,
             ratio, duration, first_frame_path, last_frame_path, first_frame_url, last_frame_url,
             tokens_estimate, demo, retry_of, first_thumb, last_thumb, fingerprint)
         VALUES (?1, ?2, ?2, 'uploading', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
             ?16, ?17, ?18)",
        rusqlite::params![
            id,
            now,
            request_json,
            request.prompt,
            request.mode().map(mode_word),
            request.settings.resolution,
            request.settings.ratio,
            request.settings.duration,
            first_path,
            last_path,
            first_url,
            last_url,
            job.tokens_estimate,
            job.demo,
            job.retry_of,
            job.first_thumb.as_ref().map(Thumbnail::bytes),
            job.last_thumb.as_ref().map(Thumbnail::bytes),
            fingerprint,
        ],
    )?;
    Ok(())
}

impl Store {
    pub fn insert_job(&self, job: NewJob) -> Result<JobRecord, StoreError> {
        let id = new_id();
        let now = self.now_ms();
        {
            let conn = self.conn();
            insert_row(&conn, &id, now, &job, None)?;
        }
        self.get_job(&id)
    }

    /// The full record, thumbnails included (as data URLs).
    pub fn get_job(&self, id: &str) -> Result<JobRecord, StoreError> {
        let conn = self.conn();
        let sql = format!("SELECT {JOB_COLUMNS}, first_thumb, last_thumb FROM jobs WHERE id = ?1");
        let found = conn
            .query_row(&sql, [id], |row| {
                let (_, mut job) = job_from_row(row)?;
                job.first_thumb = thumb_data_url(row.get(THUMB_COLUMN)?);
                job.last_thumb = thumb_data_url(row.get(THUMB_COLUMN + 1)?);
                Ok(job)
            })
            .optional()?;
        found.ok_or_else(|| StoreError::NotFound { id: id.to_owned() })
    }

    /// One frame's thumbnail, for list views that load them lazily.
    pub fn thumbnail(&self, id: &str, slot: FrameSlot) -> Result<Option<Thumbnail>, StoreError> {
        let column = match slot {
            FrameSlot::First => "first_thumb",
            FrameSlot::Last => "last_thumb",
        };
        let conn = self.conn();
        let sql = format!("SELECT {column} FROM jobs WHERE id = ?1");
        let bytes: Option<Option<Vec<u8>>> = conn.query_row(&sql, [id], |r| r.get(0)).optional()?;
        let bytes = bytes.ok_or_else(|| StoreError::NotFound { id: id.to_owned() })?;
        Ok(bytes.and_then(|b| Thumbnail::new(b).ok()))
    }

    /// Runs one guarded update; when it matches no row, `refused(current status)` says why.
    pub(super) fn step(
        &self,
        id: &str,
        step: Step<'_>,
        refused: impl FnOnce(JobStatus) -> StoreError,
    ) -> Result<(), StoreError> {
        let now = self.now_ms();
        let sql = format!(
            "UPDATE jobs SET {}, updated_at = ?1 WHERE id = ?2 AND status IN ({}) {}",
            step.set,
            sql_list(step.from),
            step.also
        );
        let mut params: Vec<&dyn ToSql> = vec![&now, &id];
        params.extend_from_slice(step.params);
        #[cfg(test)]
        self.injected_step_failure(step.set)?;
        let conn = self.conn();
        // WAL with NORMAL survives an app crash but an OS crash or power loss may lose the last commits;
        // for these writes that would mean a create sent twice, so they wait for the sync.
        let durable = step.durable && self.persistent;
        if durable {
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        #[cfg(test)]
        self.observe_synchronous(&conn, step.set);
        let updated = conn.execute(&sql, params.as_slice());
        if durable {
            if let Err(e) = conn.pragma_update(None, "synchronous", "NORMAL") {
                tracing::warn!(error = %e, "database left at synchronous = FULL");
            }
        }
        if updated? == 1 {
            return Ok(());
        }
        Err(refused(current_status(&conn, id)?))
    }

    pub(super) fn illegal(id: &str, to: JobStatus) -> impl FnOnce(JobStatus) -> StoreError + '_ {
        move |from| StoreError::IllegalTransition {
            id: id.to_owned(),
            from,
            to,
        }
    }

    fn wrong_state<'a>(
        id: &'a str,
        action: &'static str,
    ) -> impl FnOnce(JobStatus) -> StoreError + 'a {
        move |status| StoreError::WrongState {
            id: id.to_owned(),
            status,
            action,
        }
    }

    /// For the statuses that carry no data of their own: uploading, queued, running, downloading.
    /// The last three need a task id.
    pub fn set_status(&self, id: &str, to: JobStatus) -> Result<(), StoreError> {
        let also = match to {
            JobStatus::Uploading => "",
            JobStatus::Queued | JobStatus::Running | JobStatus::Downloading => {
                "AND task_id IS NOT NULL"
            }
            _ => return Err(StoreError::StatusNeedsDetails { status: to }),
        };
        let set = format!("status = '{}'", to.as_str());
        let step = Step {
            set: &set,
            params: &[],
            from: to.predecessors(),
            also,
            durable: false,
        };
        self.step(id, step, Self::illegal(id, to))
    }

    /// Moves the job to `submitting` and records when, in one write, BEFORE the create request may be
    /// sent. Refused once it has happened: a second create request could start a second paid task.
    pub fn mark_create_sent(&self, id: &str) -> Result<(), StoreError> {
        let step = Step {
            set: "status = 'submitting', create_sent_at = ?1",
            params: &[],
            from: JobStatus::Submitting.predecessors(),
            also: "AND create_sent_at IS NULL",
            durable: true,
        };
        self.step(id, step, Self::illegal(id, JobStatus::Submitting))
    }

    /// The service created the task: the job is queued under this id. Also accepted for a job marked
    /// uncertain (the user found out the task did start), and for one failed meanwhile after its create was
    /// sent (e.g. by another process sharing the history): a paid task's id always wins over a failure.
    pub fn set_task_id(&self, id: &str, task_id: &TaskId) -> Result<(), StoreError> {
        let step = Step {
            set: "status = 'queued', task_id = ?3, finished_at = NULL, error_kind = NULL, \
                  error_message = NULL, error_cause = NULL",
            params: &[&task_id.0],
            from: &[
                JobStatus::Submitting,
                JobStatus::SubmissionUncertain,
                JobStatus::Failed,
            ],
            also: "AND task_id IS NULL AND create_sent_at IS NOT NULL",
            durable: true,
        };
        self.step(id, step, Self::illegal(id, JobStatus::Queued))
    }

    /// The service's own status word, kept for diagnostics; any unsettled job with a task.
    pub fn set_task_status_raw(&self, id: &str, raw: &str) -> Result<(), StoreError> {
        let step = Step {
            set: "task_status_raw = ?3",
            params: &[&raw],
            from: &JobStatus::UNSETTLED,
            also: "AND task_id IS NOT NULL",
            durable: false,
        };
        self.step(id, step, Self::wrong_state(id, "record the task status"))
    }

    /// One frame is uploaded; `uploads_expire_at` keeps the earliest expiry of the job's uploads.
    pub fn set_uploaded(
        &self,
        id: &str,
        slot: FrameSlot,
        url: &str,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let expires_ms =
            i64::try_from(expires_at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX);
        let set = match slot {
            FrameSlot::First => {
                "first_frame_url = ?3, uploads_expire_at = min(coalesce(uploads_expire_at, ?4), ?4)"
            }
            FrameSlot::Last => {
                "last_frame_url = ?3, uploads_expire_at = min(coalesce(uploads_expire_at, ?4), ?4)"
            }
        };
        let step = Step {
            set,
            params: &[&url, &expires_ms],
            from: &[JobStatus::Uploading],
            also: "",
            durable: false,
        };
        self.step(id, step, Self::wrong_state(id, "record an upload"))
    }

    /// Bytes of the current upload or download.
    pub fn set_progress(&self, id: &str, done: u64, total: Option<u64>) -> Result<(), StoreError> {
        let done = i64::try_from(done).unwrap_or(i64::MAX);
        let total = total.map(|t| i64::try_from(t).unwrap_or(i64::MAX));
        let step = Step {
            set: "bytes_done = ?3, bytes_total = ?4",
            params: &[&done, &total],
            from: &[JobStatus::Uploading, JobStatus::Downloading],
            also: "",
            durable: false,
        };
        self.step(id, step, Self::wrong_state(id, "record progress"))
    }

    /// The finished task's result link (or a fresh one, for a download retried after it failed).
    pub fn set_video_url(&self, id: &str, url: &str) -> Result<(), StoreError> {
        let step = Step {
            set: "video_url = ?3",
            params: &[&url],
            from: &[
                JobStatus::Queued,
                JobStatus::Running,
                JobStatus::Downloading,
                JobStatus::Failed,
            ],
            also: "AND task_id IS NOT NULL",
            durable: false,
        };
        self.step(id, step, Self::wrong_state(id, "record the video link"))
    }

    /// Where the video will be saved, chosen (and its `.part` file claimed) before the download starts, so a
    /// run after a crash continues that same partial file instead of leaving it behind. Until the job is done
    /// this is a plan, not a file.
    pub fn set_planned_output(&self, id: &str, output_path: &Path) -> Result<(), StoreError> {
        let path = output_path.to_string_lossy();
        let step = Step {
            set: "output_path = ?3",
            params: &[&path],
            from: &[
                JobStatus::Uploading,
                JobStatus::Submitting,
                JobStatus::Queued,
                JobStatus::Running,
                JobStatus::Downloading,
                JobStatus::Failed,
            ],
            also: "",
            durable: false,
        };
        self.step(id, step, Self::wrong_state(id, "plan the video's file"))
    }

    /// A run gave back the name it had claimed (its `.part` was still empty): the job no longer names it, so
    /// a later run cannot take it back after another job has claimed it. Only while it is the job's plan.
    pub fn release_planned_output(&self, id: &str, output_path: &Path) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE jobs SET output_path = NULL WHERE id = ?1 AND output_path = ?2 AND status <> 'done'",
            rusqlite::params![id, output_path.to_string_lossy()],
        )?;
        Ok(())
    }

    /// The video is on disk under its final name.
    pub fn set_done(&self, id: &str, output_path: &Path) -> Result<(), StoreError> {
        let path = output_path.to_string_lossy();
        let step = Step {
            set: "status = 'done', output_path = ?3, finished_at = ?1, error_kind = NULL, \
                  error_message = NULL, error_cause = NULL",
            params: &[&path],
            from: JobStatus::Done.predecessors(),
            also: "",
            durable: false,
        };
        self.step(id, step, Self::illegal(id, JobStatus::Done))
    }

    /// `kind` is the error's stable `UserFacing::kind`; `message` what the user sees.
    pub fn set_failed(&self, id: &str, kind: &str, message: &Message) -> Result<(), StoreError> {
        self.record_failure(id, kind, message, None)
    }

    /// [`Store::set_failed`] with the error's own kind, message and technical cause.
    pub fn fail_with(&self, id: &str, error: &dyn UserFacing) -> Result<(), StoreError> {
        self.record_failure(id, error.kind(), &error.msg(), error.raw_cause().as_deref())
    }

    fn record_failure(
        &self,
        id: &str,
        kind: &str,
        message: &Message,
        cause: Option<&str>,
    ) -> Result<(), StoreError> {
        let step = Step {
            set: "status = 'failed', error_kind = ?3, error_message = ?4, error_cause = ?5, finished_at = ?1",
            params: &[&kind, &message_json(message), &cause],
            from: JobStatus::Failed.predecessors(),
            also: "",
            durable: false,
        };
        self.step(id, step, Self::illegal(id, JobStatus::Failed))
    }

    /// The create request may have reached the service and no task id came back.
    pub fn set_uncertain(&self, id: &str, reason: &Message) -> Result<(), StoreError> {
        self.record_uncertain(id, reason, None)
    }

    /// [`Store::set_uncertain`] with the error's own message and technical cause.
    pub fn uncertain_with(&self, id: &str, error: &dyn UserFacing) -> Result<(), StoreError> {
        self.record_uncertain(id, &error.msg(), error.raw_cause().as_deref())
    }

    fn record_uncertain(
        &self,
        id: &str,
        reason: &Message,
        cause: Option<&str>,
    ) -> Result<(), StoreError> {
        let step = Step {
            set: "status = 'submission_uncertain', error_kind = 'submission_uncertain', \
                  error_message = ?3, error_cause = ?4, finished_at = ?1",
            params: &[&message_json(reason), &cause],
            from: JobStatus::SubmissionUncertain.predecessors(),
            also: "",
            durable: false,
        };
        self.step(id, step, Self::illegal(id, JobStatus::SubmissionUncertain))
    }

    /// Removes the record (never the video file). Refused while a task may be running for it, and for a
    /// job waiting in a running or paused batch (in the same write, so a batch resumed meanwhile keeps it).
    pub fn delete_job(&self, id: &str) -> Result<(), StoreError> {
        let conn = self.conn();
        let sql = format!(
            "DELETE FROM jobs WHERE id = ?1 AND status NOT IN ({})
               AND NOT (status = 'not_sent' AND EXISTS (
                   SELECT 1 FROM batch_jobs JOIN batches ON batches.id = batch_id
                   WHERE job_id = jobs.id AND state IN ('running', 'paused')))",
            sql_list(&IN_FLIGHT)
        );
        if conn.execute(&sql, [id])? == 1 {
            return Ok(());
        }
        Err(Self::wrong_state(
            id,
            "delete the job while its task is in progress",
        )(current_status(&conn, id)?))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// `PRAGMA synchronous` levels: 1 NORMAL, 2 FULL.
    const NORMAL: i64 = 1;
    const FULL: i64 = 2;

    fn level_of(store: &Store, set_starts: &str) -> Vec<i64> {
        store
            .synchronous_seen
            .lock()
            .unwrap()
            .iter()
            .filter(|(set, _)| set.starts_with(set_starts))
            .map(|(_, level)| *level)
            .collect()
    }

    #[test]
    fn the_create_mark_and_the_task_id_are_synced_to_disk_before_returning() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("jobs.db")).unwrap();
        let job = store.insert_job(NewJob::default()).unwrap();
        store.mark_create_sent(&job.id).unwrap();
        store.set_task_id(&job.id, &TaskId("t-1".into())).unwrap();
        store.set_status(&job.id, JobStatus::Running).unwrap();
        assert_eq!(level_of(&store, "status = 'submitting'"), [FULL]);
        assert_eq!(level_of(&store, "status = 'queued', task_id"), [FULL]);
        // Everything else keeps the cheaper setting, and the connection goes back to it.
        assert_eq!(level_of(&store, "status = 'running'"), [NORMAL]);
        let now: i64 = store
            .conn()
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(now, NORMAL);
    }

    #[test]
    fn frames_split_into_paths_and_urls() {
        assert_eq!(
            split_frame(&Some(" /a/b.png ".into())),
            (Some("/a/b.png".into()), None)
        );
        assert_eq!(
            split_frame(&Some("https://x/y.png".into())),
            (None, Some("https://x/y.png".into()))
        );
        assert_eq!(split_frame(&Some("  ".into())), (None, None));
        assert_eq!(split_frame(&None), (None, None));
    }
}
