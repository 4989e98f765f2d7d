//! Why the runner refused an action or a job stopped, in words the user can act on.

use std::path::PathBuf;

use super::ConnectionError;
use crate::api::ApiError;
use crate::i18n::{Message, UserFacing};
use crate::pipeline::PipelineError;
use crate::prefs::PrefsError;
use crate::request::RequestError;
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
    /// Send and discard are for jobs waiting as not sent.
    #[error("job {id} is {status}, not waiting to be sent")]
    NotWaiting { id: String, status: JobStatus },
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
            Self::NotWaiting { .. } => "job_not_waiting",
            Self::NothingToDownload { .. } => "job_nothing_to_download",
            Self::RunCrashed { .. } => "run_crashed",
            Self::DeleteFile { .. } => "file_not_deleted",
            Self::NotOwnVideo { .. } => "video_not_owned",
        }
    }

    fn details(&self) -> Option<String> {
        match self {
            Self::DuplicateSubmission(d) => serde_json::to_string(d).ok(),
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
            Self::Busy { .. } => Message::verbatim(
                "This job is still being worked on. Wait until it is done or has failed, then try again.",
                "该任务仍在进行中。请等它完成或失败后再试。",
            ),
            Self::NotUncertain { status, .. } => Message::verbatim(
                format!(
                    "Only a job whose submission is uncertain can be marked as failed; this one is {}. Refresh the job list.",
                    status.label().text("en")
                ),
                format!(
                    "只有“提交结果不确定”的任务才能标记为失败；该任务当前为「{}」。请刷新任务列表。",
                    status.label().text("zh-CN")
                ),
            ),
            Self::NotSettled { status, .. } => Message::verbatim(
                format!(
                    "This job is still {}. Submit it again only once it is done, has failed or its submission is uncertain.",
                    status.label().text("en")
                ),
                format!(
                    "该任务仍处于「{}」状态。请在它完成、失败或提交结果不确定之后再重新提交。",
                    status.label().text("zh-CN")
                ),
            ),
            Self::HistoryNotSaved => Message::verbatim(
                "The job history could not be opened, so this app cannot keep track of a paid video if it stops or crashes. Live jobs are refused until it can: fix the problem named in the notice about the history (free disk space, folder permissions, or a damaged file), then restart the app. Demo mode still works.",
                "无法打开任务记录，应用一旦停止或崩溃就无法继续跟踪付费视频。在能够保存记录之前，将拒绝提交真实任务：请先解决关于任务记录的提示中指出的问题（释放磁盘空间、检查文件夹权限或处理损坏的文件），然后重启应用。演示模式仍可使用。",
            ),
            Self::NotResubmittable { .. } => Message::verbatim(
                "This job's task exists at SinanCode and is paid for, so it is not submitted again: its video can still be had without paying twice (let it finish, or choose Retry download). To make a different video, use \"Use settings\" and generate.",
                "该任务在 SinanCode 上已存在且已计费，因此不会重新提交：无需再次付费即可获得其视频（等待其完成，或选择“重新下载”）。如需生成另一段视频，请使用“使用此设置”后再生成。",
            ),
            Self::DuplicateSubmission(d) => Message::verbatim(
                format!(
                    "You sent this same request with the same frames {} s ago, so it was not sent again (each one is paid). To make another video from it, confirm that you want it.",
                    d.seconds_ago
                ),
                format!(
                    "您在 {} 秒前已发送过相同的请求和相同的帧，因此这次没有再次发送（每次生成都要付费）。如需再生成一段视频，请确认。",
                    d.seconds_ago
                ),
            ),
            Self::NotWaiting { status, .. } => Message::verbatim(
                format!(
                    "Only a job that is not sent yet can be sent or discarded; this one is {}. Refresh the job list.",
                    status.label().text("en")
                ),
                format!(
                    "只有“尚未发送”的任务才能发送或放弃；该任务当前为「{}」。请刷新任务列表。",
                    status.label().text("zh-CN")
                ),
            ),
            Self::NothingToDownload { .. } => Message::verbatim(
                "There is no finished video to download for this job: SinanCode never created its task, or the task itself failed. Submit the job again instead.",
                "该任务没有可下载的视频：SinanCode 未创建其任务，或任务本身已失败。请改为重新提交该任务。",
            ),
            Self::RunCrashed { task_known: true } => Message::verbatim(
                "The app hit an internal error while following this job and stopped it. Its SinanCode task still exists and is paid for: choose Retry download to check it again (nothing is charged).",
                "应用在跟踪该任务时遇到内部错误并停止了它。其 SinanCode 任务仍然存在且已计费：请选择“重新下载”再次查询（不会再次计费）。",
            ),
            Self::RunCrashed { task_known: false } => Message::verbatim(
                "The app hit an internal error while working on this job and stopped it. If its request had already gone out, check your SinanCode account before submitting again; otherwise submit it again.",
                "应用在处理该任务时遇到内部错误并停止了它。如果请求已经发出，请先在 SinanCode 账户中核实再重新提交；否则直接重新提交即可。",
            ),
            Self::NotOwnVideo { .. } => Message::verbatim(
                "Nothing was deleted: this job has no video of its own to delete (it did not finish, or the file under its name now belongs to another job or is not the video it saved). Delete the job without its video, and remove any file yourself in your file manager.",
                "未删除任何内容：此任务没有属于自己的视频可删除（任务未完成，或该文件名下的文件现在属于另一个任务，或已不是它保存的视频）。请只删除任务记录，如需删除文件请在文件管理器中手动删除。",
            ),
            Self::DeleteFile { path, .. } => Message::verbatim(
                format!(
                    "The job was removed, but its video {} could not be deleted. Delete it in your file manager.",
                    path.display()
                ),
                format!(
                    "任务记录已删除，但视频 {} 无法删除。请在文件管理器中手动删除。",
                    path.display()
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

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
