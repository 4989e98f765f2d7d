//! What can go wrong with the local database, in words a user can act on.

use rusqlite::ErrorCode;

use super::JobStatus;
use crate::i18n::{Message, UserFacing};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another program (or a second copy of the app) holds the database longer than the busy timeout.
    #[error("the database is locked by another program")]
    Locked,
    #[error("the database file is damaged: {detail}")]
    Corrupt { detail: String },
    #[error("the disk is full")]
    DiskFull,
    #[error("the database cannot be opened or written: {detail}")]
    CannotOpen { detail: String },
    /// Written by a newer version of the app: left untouched so that version keeps working.
    #[error("the database has schema version {found}, this app knows up to {supported}")]
    NewerVersion { found: i64, supported: i64 },
    #[error("no job with id {id}")]
    NotFound { id: String },
    #[error("job {id} cannot go from {from} to {to}")]
    IllegalTransition {
        id: String,
        from: JobStatus,
        to: JobStatus,
    },
    /// A step that does not change the status but is only meaningful in some statuses.
    #[error("job {id} is {status}: cannot {action}")]
    WrongState {
        id: String,
        status: JobStatus,
        action: &'static str,
    },
    /// The status carries data (a create time, an output file, a message) that `set_status` cannot give.
    #[error("status {status} is set through its own method, not set_status")]
    StatusNeedsDetails { status: JobStatus },
    /// The job was already submitted again once: a second copy would pay a second time for the same job.
    #[error("job {id} was already submitted again as {again}")]
    AlreadyResubmitted { id: String, again: String },
    #[error("a thumbnail must be a JPEG or PNG image")]
    InvalidThumbnail,
    #[error("database error: {detail}")]
    Database { detail: String },
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        let detail = error.to_string();
        if matches!(
            error,
            rusqlite::Error::FromSqlConversionFailure(..) | rusqlite::Error::InvalidColumnType(..)
        ) {
            return Self::Corrupt { detail };
        }
        match error.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Self::Locked,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Self::Corrupt { detail },
            Some(ErrorCode::DiskFull) => Self::DiskFull,
            Some(
                ErrorCode::CannotOpen
                | ErrorCode::PermissionDenied
                | ErrorCode::ReadOnly
                | ErrorCode::SystemIoFailure,
            ) => Self::CannotOpen { detail },
            _ => Self::Database { detail },
        }
    }
}

impl UserFacing for StoreError {
    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Corrupt { detail } | Self::CannotOpen { detail } | Self::Database { detail } => {
                Some(detail.clone())
            }
            _ => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::Locked => "database_locked",
            Self::Corrupt { .. } => "database_corrupt",
            Self::DiskFull => "disk_full",
            Self::CannotOpen { .. } => "database_unavailable",
            Self::NewerVersion { .. } => "database_newer_version",
            Self::NotFound { .. } => "job_not_found",
            Self::IllegalTransition { .. } => "job_illegal_transition",
            Self::WrongState { .. } => "job_wrong_state",
            Self::StatusNeedsDetails { .. } => "job_status_needs_details",
            Self::AlreadyResubmitted { .. } => "job_already_resubmitted",
            Self::InvalidThumbnail => "invalid_thumbnail",
            Self::Database { .. } => "database_error",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::Locked => Message::verbatim(
                "The job history is in use by another program. Close any other copy of Seedance Studio, then try again.",
                "任务记录正被其他程序占用。请关闭其他正在运行的 Seedance Studio，然后重试。",
            ),
            Self::Corrupt { .. } => Message::verbatim(
                "The job history file is damaged. Quit the app, move the history database out of the app's data folder (a fresh, empty history is created on the next start), and restart. Your videos are not affected.",
                "任务记录文件已损坏。请退出应用，把应用数据文件夹中的任务记录数据库移走（下次启动时会新建空白记录），然后重启。已生成的视频不受影响。",
            ),
            Self::DiskFull => Message::verbatim(
                "The disk is full, so the job could not be saved. Free some space, then try again.",
                "磁盘已满，任务无法保存。请释放一些空间后重试。",
            ),
            Self::CannotOpen { .. } => Message::verbatim(
                "The job history could not be opened or written. Check that the app's data folder exists and that you may write to it, then restart the app.",
                "无法打开或写入任务记录。请确认应用数据文件夹存在且有写入权限，然后重启应用。",
            ),
            Self::NewerVersion { .. } => Message::verbatim(
                "The job history was written by a newer version of Seedance Studio and was left untouched. Install the newest version to open it.",
                "任务记录由更新版本的 Seedance Studio 写入，本版本未作任何改动。请安装最新版本后再打开。",
            ),
            Self::NotFound { .. } => Message::verbatim(
                "This job no longer exists; it may have been deleted. Refresh the job list.",
                "该任务已不存在，可能已被删除。请刷新任务列表。",
            ),
            Self::IllegalTransition { from, to, .. } => Message::verbatim(
                format!(
                    "This job is {} and cannot become {}. Refresh the job list to see its current state.",
                    from.label().text("en"),
                    to.label().text("en")
                ),
                format!(
                    "该任务当前为「{}」，不能变为「{}」。请刷新任务列表查看最新状态。",
                    from.label().text("zh-CN"),
                    to.label().text("zh-CN")
                ),
            ),
            Self::WrongState { status, .. } => Message::verbatim(
                format!(
                    "This action is not possible while the job is {}. Refresh the job list to see its current state.",
                    status.label().text("en")
                ),
                format!(
                    "任务处于「{}」状态时无法执行此操作。请刷新任务列表查看最新状态。",
                    status.label().text("zh-CN")
                ),
            ),
            Self::StatusNeedsDetails { .. } => Message::verbatim(
                "The job's status could not be changed because details were missing. Please report this problem.",
                "缺少必要信息，无法更改任务状态。请报告此问题。",
            ),
            Self::AlreadyResubmitted { .. } => Message::verbatim(
                "This job was already submitted again; follow \"Resubmitted as\" to the new job. Submitting it once more would pay for another video: use the new job instead (its own Submit again, if it fails).",
                "该任务已经重新提交过；请点击“已重新提交为”查看新任务。再次提交会为另一段视频付费：请改用新任务（如果它失败，可在新任务上重新提交）。",
            ),
            Self::InvalidThumbnail => Message::verbatim(
                "The preview image could not be saved with the job. Pick the frame again.",
                "预览图无法随任务保存。请重新选择该帧图片。",
            ),
            Self::Database { .. } => Message::verbatim(
                "The job history could not be read or saved. Restart the app; if this keeps happening, please report it.",
                "无法读取或保存任务记录。请重启应用；如果问题持续出现，请报告此问题。",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn sqlite(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn sqlite_codes_map_to_actionable_kinds() {
        assert_eq!(
            StoreError::from(sqlite(rusqlite::ffi::SQLITE_BUSY)).kind(),
            "database_locked"
        );
        assert_eq!(
            StoreError::from(sqlite(rusqlite::ffi::SQLITE_FULL)).kind(),
            "disk_full"
        );
        assert_eq!(
            StoreError::from(sqlite(rusqlite::ffi::SQLITE_NOTADB)).kind(),
            "database_corrupt"
        );
        assert_eq!(
            StoreError::from(sqlite(rusqlite::ffi::SQLITE_CANTOPEN)).kind(),
            "database_unavailable"
        );
    }

    #[test]
    fn every_message_is_bilingual() {
        let all = [
            StoreError::Locked,
            StoreError::Corrupt { detail: "x".into() },
            StoreError::DiskFull,
            StoreError::CannotOpen { detail: "x".into() },
            StoreError::NewerVersion {
                found: 9,
                supported: 2,
            },
            StoreError::NotFound { id: "j".into() },
            StoreError::IllegalTransition {
                id: "j".into(),
                from: JobStatus::Done,
                to: JobStatus::Running,
            },
            StoreError::WrongState {
                id: "j".into(),
                status: JobStatus::Done,
                action: "x",
            },
            StoreError::StatusNeedsDetails {
                status: JobStatus::Done,
            },
            StoreError::AlreadyResubmitted {
                id: "j".into(),
                again: "k".into(),
            },
            StoreError::InvalidThumbnail,
            StoreError::Database { detail: "x".into() },
        ];
        for e in all {
            let m = e.msg();
            assert!(
                !m.text("en").is_empty() && !m.text("zh-CN").is_empty(),
                "{}",
                e.kind()
            );
            assert!(
                !m.text("zh-CN").is_ascii(),
                "{} has no Chinese text",
                e.kind()
            );
        }
        let m = StoreError::IllegalTransition {
            id: "j".into(),
            from: JobStatus::Done,
            to: JobStatus::Running,
        }
        .msg();
        assert!(
            m.text("en").contains("done") && m.text("zh-CN").contains("已完成"),
            "{m:?}"
        );
    }
}
