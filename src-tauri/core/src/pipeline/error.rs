//! Why a run stopped, for the job layer (which decides what state the job ends in) and for the user.

use crate::api::{ApiError, CreateError, TaskId};
use crate::i18n::{Message, UserFacing};
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

fn slot_names(slot: FrameSlot) -> (&'static str, &'static str) {
    match slot {
        FrameSlot::First => ("first frame", "首帧"),
        FrameSlot::Last => ("last frame", "尾帧"),
    }
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
            Self::Invalid(errors) => {
                Message::lines(errors.iter().map(UserFacing::msg).collect())
            }
            Self::Frame { slot, source } => {
                let (en, zh) = slot_names(*slot);
                let inner = source.msg();
                Message::verbatim(
                    format!("The {en} cannot be used. {}", inner.text("en")),
                    format!("{zh}无法使用。{}", inner.text("zh-CN")),
                )
            }
            Self::FrameChanged { slot } => {
                let (en, zh) = slot_names(*slot);
                Message::verbatim(
                    format!("The {en} image changed on disk after it was checked (it was edited, replaced or was still being saved), so it was not used and no task was created. Submit again to check and use the image as it is now."),
                    format!("{zh}图片在检查之后被修改了（被编辑、替换或仍在保存中），因此没有使用它，也没有创建任务。请重新提交，以检查并使用图片的当前版本。"),
                )
            }
            Self::FrameOutOfLimits { slot, problems } => {
                let (en, zh) = slot_names(*slot);
                let list_en: Vec<String> = problems.iter().map(|p| p.message.text("en")).collect();
                let list_zh: Vec<String> = problems.iter().map(|p| p.message.text("zh-CN")).collect();
                Message::verbatim(
                    format!(
                        "The {en} is outside what the model accepts, so nothing was uploaded. {} \
                         Use Fix on the frame or choose another image, then generate again.",
                        list_en.join(" ")
                    ),
                    format!(
                        "{zh}超出了模型的要求，因此没有上传任何内容。{}请在该帧上使用“修复”或换一张图片，然后重新生成。",
                        list_zh.join("")
                    ),
                )
            }
            Self::Api(e) => e.msg(),
            Self::SubmissionUncertain { reason } => CreateError::SubmissionUncertain {
                reason: reason.clone(),
            }
            .msg(),
            Self::TaskFailed { message, .. } => Message::verbatim(
                format!(
                    "SinanCode could not generate the video: {message}. If the message points at the \
                     prompt or the frames, change them; then generate again."
                ),
                format!("SinanCode 未能生成该视频：{message}。如果提示指出了提示词或图片的问题，请先修改，然后重新生成。"),
            ),
            Self::Checkpoint { task: None, .. } => Message::verbatim(
                "The job could not be saved, so it was stopped before anything was paid for. Check that \
                 the disk is not full and the app's data folder is writable, then generate again.",
                "无法保存该任务，因此在产生任何费用之前已停止。请确认磁盘未满且应用的数据文件夹可写，然后重新生成。",
            ),
            Self::Checkpoint { task: Some(id), .. } => Message::verbatim(
                format!(
                    "The job could not be saved. SinanCode already created the paid task {id}: note this \
                     id, free some disk space or fix the data folder, and check the task again instead of \
                     generating anew."
                ),
                format!("无法保存该任务。SinanCode 已经创建了计费任务 {id}：请记下该编号，清理磁盘空间或修复数据文件夹后重新查询该任务，而不要重新生成。"),
            ),
            Self::Io(_) => Message::verbatim(
                "A file could not be written. Check that the output folder exists, is writable and the \
                 disk is not full, then try again.",
                "无法写入文件。请确认输出文件夹存在且可写、磁盘未满，然后重试。",
            ),
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
