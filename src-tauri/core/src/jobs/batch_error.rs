//! Why a batch could not be started, paused, resumed or cancelled, in words the user can act on.

use super::JobError;
use crate::i18n::{Message, UserFacing};
use crate::store::{BatchRefusal, BatchState, StoreError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchAction {
    Pause,
    Resume,
    Cancel,
}

#[derive(Debug, thiserror::Error)]
pub enum BatchRunError {
    #[error("the batch has nothing that can be sent")]
    NothingToRun,
    #[error("no batch with id {id}")]
    NotFound { id: String },
    #[error("batch {id} is {}: cannot {action:?}", state.as_str())]
    WrongState {
        id: String,
        state: BatchState,
        action: BatchAction,
    },
    /// One job of the batch was refused; nothing was stored or sent.
    #[error("item {item} cannot be sent: {error}")]
    Item { item: u32, error: Box<JobError> },
    /// The same batch was stored moments ago; nothing was stored or sent.
    #[error("an identical batch ({batch_id}) was stored {seconds_ago} s ago")]
    Duplicate { batch_id: String, seconds_ago: u64 },
    /// A shot of a sequence cannot be sent as planned (`message` says which and why); nothing was stored.
    #[error("a shot of the sequence cannot be sent")]
    Shot { message: Message },
    #[error(transparent)]
    Job(#[from] JobError),
}

impl From<StoreError> for BatchRunError {
    fn from(error: StoreError) -> Self {
        Self::Job(error.into())
    }
}

impl UserFacing for BatchRunError {
    fn kind(&self) -> &'static str {
        match self {
            Self::NothingToRun => "batch_nothing_to_run",
            Self::NotFound { .. } => "batch_not_found",
            Self::WrongState { .. } => "batch_wrong_state",
            Self::Item { .. } => "batch_item_refused",
            Self::Duplicate { .. } => "batch_duplicate",
            Self::Shot { .. } => "sequence_shot_refused",
            Self::Job(e) => e.kind(),
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::NothingToRun => Message::new("msg.batch_run.nothing_to_run"),
            Self::NotFound { .. } => Message::new("msg.batch_run.not_found"),
            Self::WrongState { state, action, .. } => Message::new(match action {
                BatchAction::Pause => "msg.batch_run.cannot_pause",
                BatchAction::Resume => "msg.batch_run.cannot_resume",
                BatchAction::Cancel => "msg.batch_run.cannot_cancel",
            })
            .arg("state", state.label()),
            Self::Item { item, error } => Message::new("msg.batch_run.item_refused")
                .arg("item", *item)
                .arg("reason", error.msg()),
            Self::Duplicate { seconds_ago, .. } => {
                Message::new("msg.batch_run.duplicate").arg("seconds", *seconds_ago)
            }
            Self::Shot { message } => message.clone(),
            Self::Job(e) => e.msg(),
        }
    }

    fn details(&self) -> Option<String> {
        match self {
            Self::Job(e) => e.details(),
            _ => None,
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Item { error, .. } => error.raw_cause(),
            Self::Job(e) => e.raw_cause(),
            _ => None,
        }
    }
}

/// The message a job of a cancelled batch keeps: it was never sent, so nothing was paid.
pub(super) fn cancelled() -> Message {
    Message::new("msg.batch_run.cancelled")
}

pub(super) fn refused(id: &str, refusal: BatchRefusal, action: BatchAction) -> BatchRunError {
    match refusal {
        BatchRefusal::NotFound => BatchRunError::NotFound { id: id.to_owned() },
        BatchRefusal::State(state) => BatchRunError::WrongState {
            id: id.to_owned(),
            state,
            action,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_says_what_to_do_in_both_languages() {
        let all = [
            BatchRunError::NothingToRun,
            BatchRunError::NotFound { id: "b".into() },
            BatchRunError::WrongState {
                id: "b".into(),
                state: BatchState::Finished,
                action: BatchAction::Pause,
            },
            BatchRunError::WrongState {
                id: "b".into(),
                state: BatchState::Cancelled,
                action: BatchAction::Resume,
            },
            BatchRunError::WrongState {
                id: "b".into(),
                state: BatchState::Finished,
                action: BatchAction::Cancel,
            },
            BatchRunError::Item {
                item: 7,
                error: Box::new(JobError::HistoryNotSaved),
            },
            BatchRunError::Duplicate {
                batch_id: "b".into(),
                seconds_ago: 4,
            },
        ];
        for e in all {
            let m = e.msg();
            let (en, zh) = (m.text("en"), m.text("zh-CN"));
            assert!(!en.is_empty() && !en.contains("{{"), "{}: {en}", e.kind());
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) && !zh.contains("{{"),
                "{}: {zh}",
                e.kind()
            );
            assert!(e.kind().starts_with("batch_"), "{}", e.kind());
        }
        let cancelled = cancelled();
        assert!(cancelled.text("zh-CN").contains("未发送"));
    }
}
