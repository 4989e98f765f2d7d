//! Why a request cannot be sent, in words a user can act on.

use serde::Serialize;

use super::prompt::PROMPT_MAX_CHARS;
use super::settings::ClipSeconds;
use crate::i18n::{Message, UserFacing};

/// Which frame of a request (and which drop zone of the Generate screen).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FrameSlot {
    First,
    Last,
}

impl FrameSlot {
    /// The frame's name inside a sentence ("the first frame", "首帧").
    pub fn word(self) -> Message {
        Message::new(match self {
            Self::First => "msg.frame.slot_first",
            Self::Last => "msg.frame.slot_last",
        })
    }
}

impl std::fmt::Display for FrameSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::First => "first",
            Self::Last => "last",
        })
    }
}

/// One broken rule of the create endpoint (or, for `FrameNotUploaded`, of this crate's own contract).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("the prompt is empty")]
    EmptyPrompt,
    #[error("the prompt has {chars} characters; at most {PROMPT_MAX_CHARS} are allowed")]
    PromptTooLong { chars: usize },
    #[error("a last frame needs a first frame")]
    LastFrameWithoutFirst,
    #[error("unknown resolution {value:?}")]
    UnknownResolution { value: String },
    #[error("unknown ratio {value:?}")]
    UnknownRatio { value: String },
    #[error("duration {value} is out of range (4..=12 seconds, or -1 for auto)")]
    DurationOutOfRange { value: i32 },
    #[error("draft mode needs 480p, not {resolution:?}")]
    DraftNeedsLowResolution { resolution: String },
    #[error("the {frame} frame has no uploaded URL")]
    FrameNotUploaded { frame: FrameSlot },
}

/// The form control a problem belongs to, so the UI can show the message beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Prompt,
    FirstFrame,
    LastFrame,
    Resolution,
    Ratio,
    Duration,
    Draft,
}

/// A [`RequestError`] ready for the UI: stable kind, the control it concerns, and the message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct Problem {
    pub kind: String,
    pub field: Field,
    pub msg: Message,
}

impl RequestError {
    /// The control the user should change to fix this.
    pub fn field(&self) -> Field {
        match self {
            Self::EmptyPrompt | Self::PromptTooLong { .. } => Field::Prompt,
            Self::LastFrameWithoutFirst => Field::LastFrame,
            Self::UnknownResolution { .. } | Self::DraftNeedsLowResolution { .. } => {
                Field::Resolution
            }
            Self::UnknownRatio { .. } => Field::Ratio,
            Self::DurationOutOfRange { .. } => Field::Duration,
            Self::FrameNotUploaded {
                frame: FrameSlot::First,
            } => Field::FirstFrame,
            Self::FrameNotUploaded {
                frame: FrameSlot::Last,
            } => Field::LastFrame,
        }
    }

    pub fn problem(&self) -> Problem {
        Problem {
            kind: self.kind().to_owned(),
            field: self.field(),
            msg: self.msg(),
        }
    }
}

/// The errors of one validation, in the same order, as the UI shows them.
pub fn describe(errors: &[RequestError]) -> Vec<Problem> {
    errors.iter().map(RequestError::problem).collect()
}

impl UserFacing for RequestError {
    fn kind(&self) -> &'static str {
        match self {
            Self::EmptyPrompt => "empty_prompt",
            Self::PromptTooLong { .. } => "prompt_too_long",
            Self::LastFrameWithoutFirst => "last_frame_without_first",
            Self::UnknownResolution { .. } => "unknown_resolution",
            Self::UnknownRatio { .. } => "unknown_ratio",
            Self::DurationOutOfRange { .. } => "duration_out_of_range",
            Self::DraftNeedsLowResolution { .. } => "draft_needs_low_resolution",
            Self::FrameNotUploaded { .. } => "frame_not_uploaded",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::EmptyPrompt => Message::new("msg.request.empty_prompt"),
            Self::PromptTooLong { chars } => Message::new("msg.request.prompt_too_long")
                .arg("chars", *chars)
                .arg("max", PROMPT_MAX_CHARS)
                .arg("over", chars.saturating_sub(PROMPT_MAX_CHARS)),
            Self::LastFrameWithoutFirst => Message::new("msg.request.last_frame_without_first"),
            Self::UnknownResolution { value } => {
                Message::new("msg.request.unknown_resolution").arg("value", value.as_str())
            }
            Self::UnknownRatio { value } => {
                Message::new("msg.request.unknown_ratio").arg("value", value.as_str())
            }
            Self::DurationOutOfRange { value } => Message::new("msg.request.duration_out_of_range")
                .arg("value", *value)
                .arg("min", ClipSeconds::MIN)
                .arg("max", ClipSeconds::MAX),
            Self::DraftNeedsLowResolution { resolution } => {
                Message::new("msg.request.draft_needs_low_resolution")
                    .arg("resolution", resolution.as_str())
            }
            Self::FrameNotUploaded { frame } => {
                Message::new("msg.request.frame_not_uploaded").arg("slot", frame.word())
            }
        }
    }
}
