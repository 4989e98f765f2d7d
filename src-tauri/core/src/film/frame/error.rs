//! Why a frame could not be taken from a clip, in the cases a user can tell apart and act on: the file
//! is not a video at all, it is a damaged or unfinished one, it has no picture, its picture is not
//! H.264, its picture data is damaged, the frame asked for is not in it, or the picture file cannot be
//! written.

use std::path::PathBuf;

use crate::i18n::{Message, UserFacing};

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("cannot read {path}: {source}")]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not an MP4 file")]
    NotMp4 { path: PathBuf },
    #[error("{path} is damaged: {detail}")]
    Damaged { path: PathBuf, detail: String },
    #[error("{path} has no video track")]
    NoVideo { path: PathBuf },
    #[error("the video of {path} is {codec}, not H.264")]
    NotH264 { path: PathBuf, codec: String },
    #[error("the picture data of {path} is damaged at frame {frame}: {detail}")]
    CorruptSample {
        path: PathBuf,
        /// The frame asked for (0-based, display order).
        frame: u32,
        detail: String,
    },
    #[error("{path} has {count} frames; frame {index} was asked for")]
    IndexOutOfRange {
        path: PathBuf,
        index: u64,
        count: u32,
    },
    #[error("{path} lasts {duration_secs} s; the frame at {secs} s was asked for")]
    TimeOutOfRange {
        path: PathBuf,
        secs: f64,
        duration_secs: f64,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl UserFacing for FrameError {
    fn kind(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "frame_unreadable",
            Self::NotMp4 { .. } => "frame_not_mp4",
            Self::Damaged { .. } => "frame_damaged",
            Self::NoVideo { .. } => "frame_no_video",
            Self::NotH264 { .. } => "frame_not_h264",
            Self::CorruptSample { .. } => "frame_corrupt_picture",
            Self::IndexOutOfRange { .. } => "frame_index_out_of_range",
            Self::TimeOutOfRange { .. } => "frame_time_out_of_range",
            Self::Write { .. } => "frame_write_failed",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::Unreadable { path, .. } => {
                Message::new("msg.frame.clip_unreadable").arg("path", path)
            }
            Self::NotMp4 { path } => Message::new("msg.frame.not_mp4").arg("path", path),
            Self::Damaged { path, .. } => Message::new("msg.frame.clip_damaged").arg("path", path),
            Self::NoVideo { path } => Message::new("msg.frame.no_video").arg("path", path),
            Self::NotH264 { path, codec } => Message::new("msg.frame.not_h264")
                .arg("path", path)
                .arg("codec", codec.as_str()),
            Self::CorruptSample { path, frame, .. } => Message::new("msg.frame.corrupt_picture")
                .arg("path", path)
                .arg("frame", *frame + 1),
            Self::IndexOutOfRange { path, index, count } => {
                Message::new("msg.frame.index_out_of_range")
                    .arg("path", path)
                    .arg("frame", index.saturating_add(1))
                    .arg("count", *count)
            }
            Self::TimeOutOfRange {
                path,
                secs,
                duration_secs,
            } => Message::new("msg.frame.time_out_of_range")
                .arg("path", path)
                .arg("seconds", format!("{secs:.3}"))
                .arg("duration", format!("{duration_secs:.3}")),
            Self::Write { path, .. } => Message::new("msg.frame.write_failed").arg("path", path),
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Unreadable { source, .. } | Self::Write { source, .. } => {
                Some(source.to_string())
            }
            Self::Damaged { detail, .. } | Self::CorruptSample { detail, .. } => {
                Some(detail.clone())
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_distinct_kind_and_both_languages() {
        let p = || PathBuf::from("/clips/shot.mp4");
        let errors = [
            FrameError::Unreadable {
                path: p(),
                source: std::io::Error::other("gone"),
            },
            FrameError::NotMp4 { path: p() },
            FrameError::Damaged {
                path: p(),
                detail: "x".into(),
            },
            FrameError::NoVideo { path: p() },
            FrameError::NotH264 {
                path: p(),
                codec: "hvc1".into(),
            },
            FrameError::CorruptSample {
                path: p(),
                frame: 4,
                detail: "x".into(),
            },
            FrameError::IndexOutOfRange {
                path: p(),
                index: 400,
                count: 361,
            },
            FrameError::TimeOutOfRange {
                path: p(),
                secs: 13.0,
                duration_secs: 12.0,
            },
            FrameError::Write {
                path: p(),
                source: std::io::Error::other("full"),
            },
        ];
        let mut kinds: Vec<_> = errors.iter().map(UserFacing::kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), errors.len());
        for e in &errors {
            let msg = e.msg();
            for language in ["en", "zh-CN"] {
                let text = msg.text(language);
                assert_ne!(text, msg.key, "{} is missing in {language}", msg.key);
                assert!(!text.contains("{{"), "{text}");
                assert!(text.contains("/clips/shot.mp4"), "{text}");
            }
            assert!(
                msg.text("zh-CN")
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}",
                msg.key
            );
        }
        let range = errors[6].msg().text("en");
        assert!(range.contains("401") && range.contains("361"), "{range}");
    }
}
