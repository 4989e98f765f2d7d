//! The shell's errors and the one error shape that crosses IPC: `{ kind, message, details?, cause? }`. The
//! UI switches on `kind` and renders `message` (a catalog key and its arguments) in the user's language.
//!
//! Every error a command can return, the core's and the shell's own ([`ShellError`]), is [`UserFacing`];
//! `From` turns any of them into an [`IpcError`], here and nowhere else.

use std::path::PathBuf;

use seedance_core::i18n::{Message, UserFacing};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    pub kind: String,
    pub message: Message,
    pub details: Option<String>,
    /// The technical cause in its own words (an OS or transport error), shown only behind "Details".
    pub cause: Option<String>,
}

impl IpcError {
    pub fn from_user_facing(e: &impl UserFacing) -> Self {
        Self {
            kind: e.kind().to_owned(),
            message: e.msg(),
            details: e.details(),
            cause: e.raw_cause(),
        }
    }
}

impl<E: UserFacing> From<E> for IpcError {
    fn from(e: E) -> Self {
        Self::from_user_facing(&e)
    }
}

/// What only the shell can get wrong: the webview, the OS's opener and dialogs, the app's own threads.
#[derive(Debug, thiserror::Error)]
pub enum ShellError {
    #[error("no API token was entered")]
    EmptyToken,
    #[error("the job has no video yet")]
    NoVideo,
    #[error("the video file is no longer at {}", path.display())]
    VideoMissing { path: PathBuf },
    #[error("the system could not open the file: {0}")]
    OpenFileFailed(String),
    #[error("the browser could not open {url}: {cause}")]
    OpenLinkFailed { url: String, cause: String },
    #[error("the system could not open the folder {}: {cause}", path.display())]
    OpenFolderFailed { path: PathBuf, cause: String },
    /// The name the save dialog returned gained `.json`, and a file by that name is already there.
    #[error("{} already exists", path.display())]
    ExportFileExists { path: PathBuf },
    #[error("test hooks are off in this build or launch")]
    TestHooksOff,
    /// A failure inside the app itself (e.g. a worker thread panicked); nothing the user did.
    #[error("internal error: {0}")]
    Internal(String),
}

impl UserFacing for ShellError {
    fn kind(&self) -> &'static str {
        match self {
            Self::EmptyToken => "empty_token",
            Self::NoVideo => "no_video",
            Self::VideoMissing { .. } => "video_missing",
            Self::OpenFileFailed(_)
            | Self::OpenLinkFailed { .. }
            | Self::OpenFolderFailed { .. } => "open_failed",
            Self::ExportFileExists { .. } => "export_file_exists",
            Self::TestHooksOff => "test_hooks_off",
            Self::Internal(_) => "internal",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::EmptyToken => Message::new("msg.shell.empty_token"),
            Self::NoVideo => Message::new("msg.shell.no_video"),
            Self::VideoMissing { path } => {
                Message::new("msg.shell.video_missing").arg("path", path)
            }
            Self::OpenFileFailed(_) => Message::new("msg.shell.open_file_failed"),
            Self::OpenLinkFailed { url, .. } => {
                Message::new("msg.shell.open_link_failed").arg("url", url.as_str())
            }
            Self::ExportFileExists { path } => {
                Message::new("msg.shell.export_file_exists").arg("path", path)
            }
            Self::OpenFolderFailed { path, .. } => {
                Message::new("msg.shell.open_folder_failed").arg("path", path)
            }
            Self::TestHooksOff => Message::new("msg.shell.test_hooks_off"),
            Self::Internal(_) => Message::new("msg.shell.internal"),
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::OpenFileFailed(cause)
            | Self::OpenLinkFailed { cause, .. }
            | Self::OpenFolderFailed { cause, .. }
            | Self::Internal(cause) => Some(cause.clone()),
            _ => None,
        }
    }
}

/// What every command returns.
pub type IpcResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_error_crosses_with_its_kind_and_both_languages() {
        let errors = [
            ShellError::EmptyToken,
            ShellError::NoVideo,
            ShellError::VideoMissing {
                path: "/v/a.mp4".into(),
            },
            ShellError::OpenFileFailed("no handler".into()),
            ShellError::OpenLinkFailed {
                url: "https://example.com".into(),
                cause: "no browser".into(),
            },
            ShellError::ExportFileExists {
                path: "/p/presets.json".into(),
            },
            ShellError::TestHooksOff,
            ShellError::Internal("worker panicked".into()),
        ];
        for e in errors {
            let ipc = IpcError::from(e);
            assert!(!ipc.kind.is_empty());
            assert_ne!(
                ipc.message.key, "msg.text",
                "{}: a catalog key, not fixed text",
                ipc.kind
            );
            assert!(
                !ipc.message.text("en").is_empty() && !ipc.message.text("zh-CN").is_ascii(),
                "{}",
                ipc.kind
            );
        }
        let ipc = IpcError::from(ShellError::Internal("worker panicked".into()));
        assert_eq!(ipc.kind, "internal");
        assert_eq!(ipc.cause.as_deref(), Some("worker panicked"));
    }
}

#[cfg(test)]
mod every_command {
    #![allow(clippy::unwrap_used)]

    /// Every command answers `Result<T, IpcError>`, so the UI handles all of them one way (`unwrap` in
    /// `ui/src/ipc.ts`); a command answering a bare value would need an adapter of its own.
    #[test]
    fn answers_a_result_with_the_ipc_error() {
        let bindings = crate::render_bindings().unwrap();
        let calls: Vec<&str> = bindings
            .lines()
            .filter(|l| l.contains("__TAURI_INVOKE") && !l.trim_start().starts_with("import"))
            .collect();
        assert!(calls.len() > 40, "the command list was found");
        let bare: Vec<&str> = calls
            .iter()
            .filter(|l| !l.contains("typedError<"))
            .map(|l| l.trim().split(':').next().unwrap_or(l))
            .collect();
        assert!(bare.is_empty(), "commands answering a bare value: {bare:?}");
    }
}
