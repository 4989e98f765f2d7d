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
            Self::Locked => Message::new("msg.store.locked"),
            Self::Corrupt { .. } => Message::new("msg.store.corrupt"),
            Self::DiskFull => Message::new("msg.store.disk_full"),
            Self::CannotOpen { .. } => Message::new("msg.store.cannot_open"),
            Self::NewerVersion { .. } => Message::new("msg.store.newer_version"),
            Self::NotFound { .. } => Message::new("msg.store.not_found"),
            Self::IllegalTransition { from, to, .. } => {
                Message::new("msg.store.illegal_transition")
                    .arg("from", from.label())
                    .arg("to", to.label())
            }
            Self::WrongState { status, .. } => {
                Message::new("msg.store.wrong_state").arg("status", status.label())
            }
            Self::StatusNeedsDetails { .. } => Message::new("msg.store.status_needs_details"),
            Self::AlreadyResubmitted { .. } => Message::new("msg.store.already_resubmitted"),
            Self::InvalidThumbnail => Message::new("msg.store.invalid_thumbnail"),
            Self::Database { .. } => Message::new("msg.store.database_error"),
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
