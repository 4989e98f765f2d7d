//! The one error shape that crosses IPC: `{ kind, message, message_zh, details? }`. The UI switches on `kind`
//! and shows the message in the user's language.

use seedance_core::i18n::UserFacing;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    pub kind: String,
    pub message: String,
    pub message_zh: String,
    pub details: Option<String>,
}

impl IpcError {
    pub fn from_user_facing(e: &impl UserFacing) -> Self {
        let msg = e.msg();
        Self {
            kind: e.kind().to_owned(),
            message: msg.en,
            message_zh: msg.zh,
            details: None,
        }
    }
}

impl<E: UserFacing> From<E> for IpcError {
    fn from(e: E) -> Self {
        Self::from_user_facing(&e)
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
