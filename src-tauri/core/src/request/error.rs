//! Why a request cannot be sent, in words a user can act on.

use serde::Serialize;

use super::prompt::PROMPT_MAX_CHARS;
use crate::i18n::{Message, UserFacing};

/// Which frame of a request (and which drop zone of the Generate screen).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FrameSlot {
    First,
    Last,
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
            Self::EmptyPrompt => Message::verbatim(
                "The prompt is empty. Describe the video you want before generating.",
                "提示词为空。请先描述你想要的视频，再开始生成。",
            ),
            Self::PromptTooLong { chars } => {
                let over = chars.saturating_sub(PROMPT_MAX_CHARS);
                Message::verbatim(
                    format!(
                        "The prompt has {chars} characters, but at most {PROMPT_MAX_CHARS} are allowed. \
                         Shorten it by {over}."
                    ),
                    format!(
                        "提示词有 {chars} 个字符，最多允许 {PROMPT_MAX_CHARS} 个。请删减 {over} 个字符。"
                    ),
                )
            }
            Self::LastFrameWithoutFirst => Message::verbatim(
                "A last frame only works together with a first frame. Add a first frame, or remove the last frame.",
                "尾帧必须与首帧一起使用。请添加首帧，或移除尾帧。",
            ),
            Self::UnknownResolution { value } => Message::verbatim(
                format!("\"{value}\" is not a resolution the service knows. Choose 480p, 720p or 1080p."),
                format!("“{value}”不是服务支持的分辨率。请选择 480p、720p 或 1080p。"),
            ),
            Self::UnknownRatio { value } => Message::verbatim(
                format!(
                    "\"{value}\" is not an aspect ratio the service knows. \
                     Choose adaptive, 16:9, 4:3, 1:1, 3:4, 9:16 or 21:9."
                ),
                format!(
                    "“{value}”不是服务支持的画面比例。请选择自适应、16:9、4:3、1:1、3:4、9:16 或 21:9。"
                ),
            ),
            Self::DurationOutOfRange { value } => Message::verbatim(
                format!(
                    "A duration of {value} seconds is not allowed. \
                     Choose 4 to 12 seconds, or Auto to let the model decide."
                ),
                format!("时长 {value} 秒不可用。请选择 4 到 12 秒，或选择“自动”由模型决定。"),
            ),
            Self::DraftNeedsLowResolution { resolution } => Message::verbatim(
                format!(
                    "Draft mode only works at 480p, but the resolution is {resolution}. \
                     Switch to 480p, or turn off Draft."
                ),
                format!("草稿模式仅支持 480p，当前分辨率为 {resolution}。请切换到 480p，或关闭草稿模式。"),
            ),
            Self::FrameNotUploaded { frame } => {
                let (en, zh) = match frame {
                    FrameSlot::First => ("first", "首帧"),
                    FrameSlot::Last => ("last", "尾帧"),
                };
                Message::verbatim(
                    format!(
                        "The {en} frame image was not uploaded, so nothing was sent and nothing was charged. \
                         Try again; if it keeps happening, remove the image and add it again."
                    ),
                    format!(
                        "{zh}图片尚未上传，因此请求没有发送，也不会产生费用。请重试；如果问题持续，请移除该图片后重新添加。"
                    ),
                )
            }
        }
    }
}
