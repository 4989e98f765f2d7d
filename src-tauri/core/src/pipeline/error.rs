//! Why a run stopped, for the job layer (which decides what state the job ends in) and for the user.

use crate::api::{ApiError, CreateError, TaskId};
use crate::i18n::{Arg, Message, UserFacing};
use crate::images::{FrameProblem, ImageError};
use crate::request::{FrameSlot, RequestError};

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The request cannot be turned into a create body.
    #[error("the request is not valid: {}", join_errors(.0))]
    Invalid(Vec<RequestError>),
    /// A frame could not be read at all; nothing was uploaded.
    #[error("the {slot} frame cannot be used: {source}")]
    Frame {
        slot: FrameSlot,
        #[source]
        source: ImageError,
    },
    /// A frame is readable but breaks the model's limits; nothing was uploaded.
    #[error("the {slot} frame breaks the model's limits ({} problem(s))", problems.len())]
    FrameOutOfLimits {
        slot: FrameSlot,
        problems: Vec<FrameProblem>,
    },
    /// A frame's file changed between its check and its upload; no task was created.
    #[error("the {slot} frame changed after it was checked")]
    FrameChanged { slot: FrameSlot },
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The create request may have reached the service: a paid task may exist. Never retried here.
    #[error("the task may or may not have been created: {reason}")]
    SubmissionUncertain { reason: String },
    /// The service reports the task failed.
    #[error("the task failed: {message}")]
    TaskFailed {
        code: Option<String>,
        message: String,
    },
    /// A hook refused to go on. `task` is set when a paid task already exists, so it is never lost from view.
    #[error("the job could not be saved at {step}: {detail}")]
    Checkpoint {
        step: &'static str,
        detail: String,
        task: Option<TaskId>,
    },
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
}

impl From<CreateError> for PipelineError {
    fn from(e: CreateError) -> Self {
        match e {
            CreateError::NotSubmitted(api) => Self::Api(api),
            CreateError::SubmissionUncertain { reason } => Self::SubmissionUncertain { reason },
        }
    }
}

impl PipelineError {
    /// True when a paid task may exist although no task id is known: resubmitting could pay twice.
    pub fn submission_uncertain(&self) -> bool {
        matches!(self, Self::SubmissionUncertain { .. })
    }
}

fn join_errors(errors: &[RequestError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The frame's name inside a sentence ("first frame", "首帧").
fn slot_name(slot: FrameSlot) -> Message {
    match slot {
        FrameSlot::First => Message::new("msg.pipeline.first_frame"),
        FrameSlot::Last => Message::new("msg.pipeline.last_frame"),
    }
}

/// Sentences run together the way each language writes them (a space in English, none in Chinese). No
/// sentences is an empty text.
fn sentences(messages: &[Message]) -> Arg {
    let mut rest = messages.iter().rev();
    let Some(last) = rest.next() else {
        return Arg::from("");
    };
    let joined = rest.fold(last.clone(), |tail, head| {
        Message::new("msg.pipeline.sentences")
            .arg("first", head.clone())
            .arg("rest", tail)
    });
    Arg::from(joined)
}

impl UserFacing for PipelineError {
    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Frame { source, .. } => source.raw_cause(),
            Self::Api(e) => e.raw_cause(),
            Self::SubmissionUncertain { reason } => Some(reason.clone()),
            Self::Checkpoint { detail, .. } => Some(detail.clone()),
            Self::Io(e) => Some(e.to_string()),
            Self::Invalid(_)
            | Self::FrameOutOfLimits { .. }
            | Self::FrameChanged { .. }
            | Self::TaskFailed { .. } => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "invalid_request",
            Self::Frame { source, .. } => source.kind(),
            Self::FrameOutOfLimits { .. } => "frame_out_of_limits",
            Self::FrameChanged { .. } => "frame_changed",
            Self::Api(e) => e.kind(),
            Self::SubmissionUncertain { .. } => "submission_uncertain",
            Self::TaskFailed { .. } => "task_failed",
            Self::Checkpoint { .. } => "job_not_saved",
            Self::Io(_) => "file_error",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::Invalid(errors) => Message::lines(errors.iter().map(UserFacing::msg).collect()),
            Self::Frame { slot, source } => Message::new("msg.pipeline.frame_unusable")
                .arg("frame", slot_name(*slot))
                .arg("reason", source.msg()),
            Self::FrameChanged { slot } => {
                Message::new("msg.pipeline.frame_changed").arg("frame", slot_name(*slot))
            }
            Self::FrameOutOfLimits { slot, problems } => {
                let messages: Vec<Message> = problems.iter().map(|p| p.message.clone()).collect();
                Message::new("msg.pipeline.frame_out_of_limits")
                    .arg("frame", slot_name(*slot))
                    .arg("problems", sentences(&messages))
            }
            Self::Api(e) => e.msg(),
            Self::SubmissionUncertain { reason } => CreateError::SubmissionUncertain {
                reason: reason.clone(),
            }
            .msg(),
            Self::TaskFailed { message, .. } => {
                Message::new("msg.pipeline.task_failed").arg("reason", message.as_str())
            }
            Self::Checkpoint { task: None, .. } => Message::new("msg.pipeline.not_saved"),
            Self::Checkpoint { task: Some(id), .. } => {
                Message::new("msg.pipeline.not_saved_task_created").arg("task", id.0.as_str())
            }
            Self::Io(_) => Message::new("msg.pipeline.file_error"),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::images::FrameProblemKind;

    fn all() -> Vec<PipelineError> {
        vec![
            PipelineError::Invalid(vec![
                RequestError::EmptyPrompt,
                RequestError::FrameNotUploaded {
                    frame: FrameSlot::Last,
                },
            ]),
            PipelineError::Frame {
                slot: FrameSlot::Last,
                source: ImageError::NotFound("/x/a.png".into()),
            },
            PipelineError::FrameOutOfLimits {
                slot: FrameSlot::First,
                problems: vec![FrameProblem {
                    kind: FrameProblemKind::TooSmall,
                    message: Message::verbatim("Too small.", "太小。"),
                    fix: None,
                }],
            },
            PipelineError::Api(ApiError::ResultLinkExpired),
            PipelineError::SubmissionUncertain {
                reason: "connection reset".into(),
            },
            PipelineError::TaskFailed {
                code: Some("content_policy".into()),
                message: "the prompt was refused".into(),
            },
            PipelineError::Checkpoint {
                step: "before_create",
                detail: "disk full".into(),
                task: None,
            },
            PipelineError::Checkpoint {
                step: "task_created",
                detail: "disk full".into(),
                task: Some(TaskId("t-42".into())),
            },
            PipelineError::Io(std::io::Error::other("read-only")),
            PipelineError::FrameChanged {
                slot: FrameSlot::First,
            },
        ]
    }

    #[test]
    fn every_error_is_bilingual_with_a_snake_case_kind() {
        for e in all() {
            let m = e.msg();
            assert!(
                !m.text("en").is_empty() && !m.text("zh-CN").is_empty(),
                "{e:?}"
            );
            assert!(
                m.text("zh-CN")
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{e:?}"
            );
            assert!(
                e.kind().chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                e.kind()
            );
        }
    }

    #[test]
    fn messages_carry_what_the_user_needs() {
        let errors = all();
        assert_eq!(errors[0].kind(), "invalid_request");
        assert!(errors[0].msg().text("en").contains("prompt is empty"));
        assert_eq!(errors[1].kind(), "image_not_found");
        assert!(errors[1].msg().text("en").starts_with("The last frame"));
        assert!(errors[2].msg().text("en").contains("Too small."));
        assert!(errors[2].msg().text("zh-CN").contains("太小。"));
        assert_eq!(errors[3].kind(), "result_link_expired");
        assert!(errors[4].submission_uncertain());
        assert!(!errors[4].msg().text("en").contains("connection reset"));
        assert!(errors[4]
            .raw_cause()
            .is_some_and(|c| c.contains("connection reset")));
        assert!(errors[5]
            .msg()
            .text("en")
            .contains("the prompt was refused"));
        assert!(!errors[6].msg().text("en").contains("t-42"));
        assert!(
            errors[7].msg().text("en").contains("t-42")
                && errors[7].msg().text("zh-CN").contains("t-42")
        );
    }

    /// The problems stay messages of their own, run together with a space in English and none in Chinese.
    #[test]
    fn a_frame_out_of_limits_nests_its_problems_and_joins_them_as_each_language_writes() {
        let problem = |en: &str, zh: &str| FrameProblem {
            kind: FrameProblemKind::TooSmall,
            message: Message::verbatim(en, zh),
            fix: None,
        };
        let e = PipelineError::FrameOutOfLimits {
            slot: FrameSlot::Last,
            problems: vec![
                problem("Too small.", "太小。"),
                problem("Too big.", "太大。"),
            ],
        };
        let m = e.msg();
        assert_eq!(m.key, "msg.pipeline.frame_out_of_limits");
        assert_eq!(
            m.args.get("frame"),
            Some(&Arg::from(Message::new("msg.pipeline.last_frame")))
        );
        assert_eq!(
            m.text("en"),
            "The last frame is outside what the model accepts, so nothing was uploaded. Too small. Too big. \
             Use Fix on the frame or choose another image, then generate again."
        );
        assert_eq!(
            m.text("zh-CN"),
            "尾帧超出了模型的要求，因此没有上传任何内容。太小。太大。请在该帧上使用“修复”或换一张图片，然后重新生成。"
        );
    }

    #[test]
    fn create_errors_keep_the_money_distinction() {
        let uncertain: PipelineError = CreateError::SubmissionUncertain {
            reason: "timeout".into(),
        }
        .into();
        assert!(uncertain.submission_uncertain());
        let refused: PipelineError = CreateError::NotSubmitted(ApiError::OutOfCredit).into();
        assert!(matches!(refused, PipelineError::Api(ApiError::OutOfCredit)));
        assert!(!refused.submission_uncertain());
    }
}
