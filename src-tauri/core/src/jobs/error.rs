//! Why the runner refused an action or a job stopped, in words the user can act on.

use std::path::PathBuf;

use super::ConnectionError;
use crate::api::ApiError;
use crate::i18n::{Message, UserFacing};
use crate::pipeline::PipelineError;
use crate::prefs::PrefsError;
use crate::request::RequestError;
use crate::spend::SpendQuestion;
use crate::store::{JobStatus, StoreError};

/// What the UI needs to ask "Generate the same video again?" (the `details` of a
/// `duplicate_submission` error, as JSON).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct DuplicateSubmission {
    /// The job already stored for this same request and frames.
    pub job_id: String,
    /// When it was stored (unix milliseconds).
    #[specta(type = f64)]
    pub stored_at: i64,
    #[specta(type = f64)]
    pub seconds_ago: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Every rule the request breaks; nothing was stored or sent.
    #[error("the request is not valid ({} problem(s))", .0.len())]
    Invalid(Vec<RequestError>),
    /// Includes frames refused at submit (unreadable or out of limits) before anything was stored.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error(transparent)]
    Connection(#[from] ConnectionError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    OutputDir(#[from] PrefsError),
    /// The runner is working on the job right now.
    #[error("job {id} is in progress")]
    Busy { id: String },
    #[error("job {id} is {status}, not submission uncertain")]
    NotUncertain { id: String, status: JobStatus },
    #[error("job {id} is {status}, not finished")]
    NotSettled { id: String, status: JobStatus },
    /// The history is only in memory (the database could not be opened): a live, paid job would not
    /// survive a quit or crash.
    #[error("the job history is not being saved; live jobs are refused")]
    HistoryNotSaved,
    /// A job with a live task (or its video) is never paid for again: see `store::may_resubmit`.
    #[error("job {id} has a task at the service; it is not submitted again")]
    NotResubmittable { id: String },
    /// The same request with the same frames was stored moments ago; nothing was stored or sent. Sending
    /// it again needs the caller to say the repeat is intended.
    #[error("an identical job ({}) was stored {} s ago", .0.job_id, .0.seconds_ago)]
    DuplicateSubmission(DuplicateSubmission),
    /// The job or batch would pass a day's or month's spend limit; nothing was stored or sent. Sending it
    /// needs the user's yes (`details`: the [`SpendQuestion`] as JSON).
    #[error("a spend limit would be passed")]
    SpendLimit(SpendQuestion),
    /// Above a spend limit that refuses rather than asks (a batch's total above the per-batch limit);
    /// nothing was stored or sent.
    #[error("above a spend limit")]
    OverSpendLimit { message: Message },
    /// Send and discard are for jobs waiting as not sent.
    #[error("job {id} is {status}, not waiting to be sent")]
    NotWaiting { id: String, status: JobStatus },
    /// Send and discard are not for a job waiting in its batch: the batch sends it, or is cancelled.
    #[error("job {id} waits in its batch {batch:?}")]
    InBatch { id: String, batch: String },
    /// Only a failed job whose task exists and did not fail itself can be fetched again.
    #[error("job {id} has no finished task to download again")]
    NothingToDownload { id: String },
    /// The run stopped on an internal error (a bug), not on anything the service or the disk did.
    #[error("the job's run stopped on an internal error")]
    RunCrashed { task_known: bool },
    /// Deleting the video was asked for a job that has none of its own: not finished, or the file under
    /// its name is no longer the one it saved. Nothing was deleted.
    #[error("job {id} has no video of its own to delete")]
    NotOwnVideo { id: String },
    #[error("the video {path} could not be deleted: {source}")]
    DeleteFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl From<ApiError> for JobError {
    fn from(error: ApiError) -> Self {
        Self::Pipeline(PipelineError::Api(error))
    }
}

impl UserFacing for JobError {
    fn kind(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "invalid_request",
            Self::Pipeline(e) => e.kind(),
            Self::Connection(e) => e.kind(),
            Self::Store(e) => e.kind(),
            Self::OutputDir(e) => e.kind(),
            Self::Busy { .. } => "job_busy",
            Self::NotUncertain { .. } => "job_not_uncertain",
            Self::NotSettled { .. } => "job_not_settled",
            Self::HistoryNotSaved => "history_not_saved",
            Self::NotResubmittable { .. } => "job_not_resubmittable",
            Self::DuplicateSubmission(_) => "duplicate_submission",
            Self::SpendLimit(_) => "spend_limit",
            Self::OverSpendLimit { .. } => "over_spend_limit",
            Self::NotWaiting { .. } => "job_not_waiting",
            Self::InBatch { .. } => "job_in_batch",
            Self::NothingToDownload { .. } => "job_nothing_to_download",
            Self::RunCrashed { .. } => "run_crashed",
            Self::DeleteFile { .. } => "file_not_deleted",
            Self::NotOwnVideo { .. } => "video_not_owned",
        }
    }

    fn details(&self) -> Option<String> {
        match self {
            Self::DuplicateSubmission(d) => serde_json::to_string(d).ok(),
            Self::SpendLimit(q) => serde_json::to_string(q).ok(),
            _ => None,
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Pipeline(e) => e.raw_cause(),
            Self::Connection(e) => e.raw_cause(),
            Self::Store(e) => e.raw_cause(),
            Self::OutputDir(e) => e.raw_cause(),
            Self::DeleteFile { source, .. } => Some(source.to_string()),
            _ => None,
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::Invalid(errors) => PipelineError::Invalid(errors.clone()).msg(),
            Self::Pipeline(e) => e.msg(),
            Self::Connection(e) => e.msg(),
            Self::Store(e) => e.msg(),
            Self::OutputDir(e) => e.msg(),
            Self::Busy { .. } => Message::new("msg.job.busy"),
            Self::NotUncertain { status, .. } => {
                Message::new("msg.job.not_uncertain").arg("status", status.label())
            }
            Self::NotSettled { status, .. } => {
                Message::new("msg.job.not_settled").arg("status", status.label())
            }
            Self::HistoryNotSaved => Message::new("msg.job.history_not_saved"),
            Self::NotResubmittable { .. } => Message::new("msg.job.not_resubmittable"),
            Self::DuplicateSubmission(d) => {
                Message::new("msg.job.duplicate_submission").arg("seconds", d.seconds_ago)
            }
            Self::SpendLimit(q) => q.message(),
            Self::OverSpendLimit { message } => message.clone(),
            Self::NotWaiting { status, .. } => {
                Message::new("msg.job.not_waiting").arg("status", status.label())
            }
            Self::InBatch { batch, .. } => {
                Message::new("msg.job.in_batch").arg("batch", batch.as_str())
            }
            Self::NothingToDownload { .. } => Message::new("msg.job.nothing_to_download"),
            Self::RunCrashed { task_known: true } => Message::new("msg.job.run_crashed_task_known"),
            Self::RunCrashed { task_known: false } => Message::new("msg.job.run_crashed"),
            Self::NotOwnVideo { .. } => Message::new("msg.job.not_own_video"),
            Self::DeleteFile { path, .. } => {
                Message::new("msg.job.video_not_deleted").arg("path", path)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// A status inside a sentence is the status's own label, rendered in the message's language.
    #[test]
    fn a_status_in_a_sentence_is_a_nested_label() {
        let e = JobError::NotSettled {
            id: "j".into(),
            status: JobStatus::Running,
        };
        let m = e.msg();
        assert_eq!(m.key, "msg.job.not_settled");
        assert_eq!(
            m.args.get("status"),
            Some(&crate::i18n::Arg::from(JobStatus::Running.label()))
        );
        assert!(
            m.text("en").starts_with("This job is still running."),
            "{}",
            m.text("en")
        );
        assert!(
            m.text("zh-CN").starts_with("该任务仍处于「生成中」状态。"),
            "{}",
            m.text("zh-CN")
        );
    }

    /// A day's limit passed by one job.
    fn question() -> SpendQuestion {
        use crate::spend::{
            check_spend, SpendDecision, SpendKind, SpendLimits, SpendTotal, SpentSoFar,
        };
        let limits = SpendLimits {
            per_day: Some(100),
            ..SpendLimits::default()
        };
        let decision = check_spend(
            SpendKind::Job,
            &SpendTotal::of(60, 0.1, 1),
            &SpentSoFar {
                day: SpendTotal::of(50, 0.1, 1),
                month: SpendTotal::default(),
            },
            &limits,
            "CNY",
            false,
        );
        let SpendDecision::Ask(q) = decision else {
            panic!("{decision:?}")
        };
        q
    }

    #[test]
    fn every_error_is_bilingual_with_a_snake_case_kind() {
        let all = [
            JobError::Invalid(vec![RequestError::EmptyPrompt]),
            JobError::from(ApiError::ResultLinkExpired),
            JobError::Connection(ConnectionError::NoToken),
            JobError::Store(StoreError::DiskFull),
            JobError::Busy { id: "j".into() },
            JobError::NotUncertain {
                id: "j".into(),
                status: JobStatus::Done,
            },
            JobError::NotSettled {
                id: "j".into(),
                status: JobStatus::Running,
            },
            JobError::NothingToDownload { id: "j".into() },
            JobError::NotResubmittable { id: "j".into() },
            JobError::HistoryNotSaved,
            JobError::RunCrashed { task_known: true },
            JobError::RunCrashed { task_known: false },
            JobError::DuplicateSubmission(DuplicateSubmission {
                job_id: "j".into(),
                stored_at: 1,
                seconds_ago: 3,
            }),
            JobError::NotWaiting {
                id: "j".into(),
                status: JobStatus::Done,
            },
            JobError::InBatch {
                id: "j".into(),
                batch: "shoes".into(),
            },
            JobError::SpendLimit(question()),
            JobError::OverSpendLimit {
                message: Message::new("msg.spend.batch_over_limit")
                    .arg("tokens", 3)
                    .arg("cost", "0.01 CNY")
                    .arg("limit", 2),
            },
            JobError::DeleteFile {
                path: "/v/a.mp4".into(),
                source: std::io::Error::other("busy"),
            },
        ];
        for e in all {
            let m = e.msg();
            assert!(!m.text("en").is_empty(), "{}", e.kind());
            assert!(
                m.text("zh-CN")
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}",
                e.kind()
            );
            assert!(e.kind().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        }
        assert_eq!(
            JobError::from(ApiError::ResultLinkExpired).kind(),
            "result_link_expired"
        );
    }
}
