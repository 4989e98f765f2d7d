//! The one error shape that crosses IPC: `{ kind, message, message_zh, details?, cause? }`. The UI switches on `kind`
//! and shows the message in the user's language.

use seedance_core::i18n::UserFacing;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    pub kind: String,
    pub message: String,
    pub message_zh: String,
    pub details: Option<String>,
    /// The technical cause in its own words (an OS or transport error), shown only behind "Details".
    pub cause: Option<String>,
}

impl IpcError {
    pub fn from_user_facing(e: &impl UserFacing) -> Self {
        let msg = e.msg();
        Self {
            kind: e.kind().to_owned(),
            message: msg.en,
            message_zh: msg.zh,
            details: e.details(),
            cause: e.raw_cause(),
        }
    }
}

impl IpcError {
    /// Several problems at once (e.g. every invalid field of a form), one per line.
    pub fn from_many<E: UserFacing>(kind: &str, errors: &[E]) -> Self {
        let msgs: Vec<_> = errors.iter().map(UserFacing::msg).collect();
        Self {
            kind: kind.to_owned(),
            message: msgs
                .iter()
                .map(|m| m.en.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            message_zh: msgs
                .iter()
                .map(|m| m.zh.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            details: Some(
                errors
                    .iter()
                    .map(UserFacing::kind)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            cause: None,
        }
    }

    /// A failure inside the app itself (e.g. a worker thread panicked); nothing the user did.
    pub fn internal(cause: impl Into<String>) -> Self {
        Self {
            kind: "internal".into(),
            message: "Something went wrong inside Seedance Studio. Try again; if it keeps happening, restart the app."
                .into(),
            message_zh: "Seedance Studio 内部出错。请重试；如果反复出现，请重启应用。".into(),
            details: None,
            cause: Some(cause.into()),
        }
    }
}

impl<E: UserFacing> From<E> for IpcError {
    fn from(e: E) -> Self {
        Self::from_user_facing(&e)
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
