//! Reading a `jobs` row into a [`JobRecord`].

use rusqlite::types::Type;
use rusqlite::Row;

use super::model::may_resubmit;
use super::{JobBatch, JobProblem, JobRecord, JobStatus, Thumbnail};
use crate::api::TaskId;
use crate::i18n::Message;
use crate::request::RequestDraft;

/// Every column a record needs except the thumbnail bytes, in the order [`job_from_row`] reads them.
pub(crate) const JOB_COLUMNS: &str = "seq, id, created_at, updated_at, status, request_json, prompt, \
    mode, resolution, ratio, duration, first_frame_path, last_frame_path, first_frame_url, last_frame_url, \
    uploads_expire_at, create_sent_at, task_id, task_status_raw, video_url, output_path, bytes_done, \
    bytes_total, tokens_estimate, error_kind, error_message, demo, retry_of, finished_at, \
    first_thumb IS NOT NULL, last_thumb IS NOT NULL, \
    (SELECT again.id FROM jobs AS again WHERE again.retry_of = jobs.id ORDER BY again.seq LIMIT 1), \
    error_cause, \
    (SELECT json_array(batches.id, batches.name, batch_jobs.item, batch_jobs.take) \
     FROM batch_jobs JOIN batches ON batches.id = batch_jobs.batch_id WHERE batch_jobs.job_id = jobs.id)";

/// Index of the first column after [`JOB_COLUMNS`], where a full read appends the two thumbnails.
pub(crate) const THUMB_COLUMN: usize = 34;

fn bad(index: usize, ty: Type, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, ty, what.into())
}

/// The row's `seq` (the keyset cursor's tie-breaker) and the record, without thumbnails.
pub(crate) fn job_from_row(row: &Row<'_>) -> rusqlite::Result<(i64, JobRecord)> {
    let status_word: String = row.get(4)?;
    let status = JobStatus::parse(&status_word)
        .ok_or_else(|| bad(4, Type::Text, format!("unknown status {status_word:?}")))?;
    let request_json: String = row.get(5)?;
    let request: RequestDraft = serde_json::from_str(&request_json)
        .map_err(|e| bad(5, Type::Text, format!("request_json: {e}")))?;
    let error_kind: Option<String> = row.get(24)?;
    let message: Option<String> = row.get(25)?;
    let problem = error_kind
        .clone()
        .map(|kind| -> rusqlite::Result<JobProblem> {
            Ok(JobProblem {
                kind,
                message: message_from_json(message.as_deref())
                    .map_err(|e| bad(25, Type::Text, format!("error_message: {e}")))?,
                cause: row.get(32)?,
            })
        });
    let tokens: Option<i64> = row.get(23)?;
    let task_id = row.get::<_, Option<String>>(17)?.map(TaskId);
    let resubmitted_as: Option<String> = row.get(31)?;
    let can_resubmit = may_resubmit(
        status,
        task_id.as_ref(),
        error_kind.as_deref(),
        resubmitted_as.as_deref(),
    );
    let record = JobRecord {
        id: row.get(1)?,
        created_at: row.get(2)?,
        updated_at: row.get(3)?,
        status,
        request,
        prompt: row.get(6)?,
        mode: row.get(7)?,
        resolution: row.get(8)?,
        ratio: row.get(9)?,
        duration: row.get(10)?,
        first_frame_path: row.get(11)?,
        last_frame_path: row.get(12)?,
        first_frame_url: row.get(13)?,
        last_frame_url: row.get(14)?,
        uploads_expire_at: row.get(15)?,
        create_sent_at: row.get(16)?,
        task_id,
        task_status_raw: row.get(18)?,
        video_url: row.get(19)?,
        output_path: row.get(20)?,
        bytes_done: row.get(21)?,
        bytes_total: row.get(22)?,
        tokens_estimate: tokens.map(|t| u32::try_from(t).unwrap_or(u32::MAX)),
        problem: problem.transpose()?,
        demo: row.get(26)?,
        retry_of: row.get(27)?,
        finished_at: row.get(28)?,
        has_first_thumb: row.get(29)?,
        has_last_thumb: row.get(30)?,
        first_thumb: None,
        last_thumb: None,
        resubmitted_as,
        can_resubmit,
        poll_trouble: None,
        batch: batch_from_json(row.get(33)?)
            .map_err(|e| bad(33, Type::Text, format!("batch: {e}")))?,
    };
    Ok((row.get(0)?, record))
}

/// The job's batch link, read as one `[id, name, item, take]` array: a lookup by the link's primary key,
/// so every read that returns jobs carries it without joining (and renaming) the tables of its `FROM`.
fn batch_from_json(json: Option<String>) -> Result<Option<JobBatch>, serde_json::Error> {
    json.map(|json| {
        let (id, name, item, take): (String, String, u32, u32) = serde_json::from_str(&json)?;
        Ok(JobBatch {
            id,
            name,
            item,
            take,
        })
    })
    .transpose()
}

/// A stored thumbnail as a data URL; bytes that are no longer an image are dropped, not fatal.
pub(crate) fn thumb_data_url(bytes: Option<Vec<u8>>) -> Option<String> {
    bytes
        .and_then(|b| Thumbnail::new(b).ok())
        .map(|t| t.to_data_url())
}

/// A problem's message as the `error_message` column stores it.
pub(crate) fn message_json(message: &Message) -> String {
    serde_json::to_string(message).unwrap_or_default()
}

/// The stored message; a problem written without one (never by this app) says that no reason was kept.
fn message_from_json(json: Option<&str>) -> Result<Message, serde_json::Error> {
    match json {
        Some(json) => serde_json::from_str(json),
        None => Ok(Message::new("msg.store.reason_not_recorded")),
    }
}
