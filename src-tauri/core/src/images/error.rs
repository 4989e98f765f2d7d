//! Why an image could not be taken in or fixed. Limit violations of a readable image are not errors:
//! they are [`super::FrameProblem`]s, because the user can still see the image and fix it.

use std::path::PathBuf;

use crate::i18n::{Message, UserFacing};

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("no file at {0}")]
    NotFound(PathBuf),
    #[error("{0} disappeared or changed while it was being read")]
    Vanished(PathBuf),
    #[error("no permission to read {0}")]
    PermissionDenied(PathBuf),
    #[error("{0} is empty (0 bytes)")]
    Empty(PathBuf),
    #[error("{0} is not an image")]
    NotAnImage(PathBuf),
    #[error("{format} images are not supported")]
    UnsupportedFormat { format: String },
    #[error("the image data is damaged: {detail}")]
    Corrupt { detail: String },
    #[error("the image file ends too early: {detail}")]
    Truncated { detail: String },
    #[error("the image is too large to open safely ({width}×{height} px)")]
    TooLargeToDecode { width: u32, height: u32 },
    #[error("the file is {bytes} bytes, above the {cap}-byte cap")]
    FileTooLarge { bytes: u64, cap: u64 },
    #[error("cannot write the fixed copy to {path}: {source}")]
    WriteFailed {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not get the image under {max_bytes} bytes")]
    CannotShrink { max_bytes: u64 },
    #[error("the requested crop ratio {0} is not a positive number")]
    InvalidRatio(f64),
    /// Not a plain local file: a network share, a device, a relative path (see [`super::check_frame_path`]).
    #[error("{path} is not read as a frame: {reason:?}")]
    PathRefused {
        path: PathBuf,
        reason: super::PathRefusal,
    },
    #[error("i/o error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl ImageError {
    /// Maps an `open`/`read`/`metadata` failure, keeping the cases the user can act on apart.
    pub(crate) fn from_io(path: &std::path::Path, source: std::io::Error) -> Self {
        match source.kind() {
            std::io::ErrorKind::NotFound => Self::NotFound(path.to_path_buf()),
            std::io::ErrorKind::PermissionDenied => Self::PermissionDenied(path.to_path_buf()),
            _ => Self::Io {
                path: path.to_path_buf(),
                source,
            },
        }
    }
}

fn mb(bytes: u64) -> String {
    crate::i18n::megabytes(bytes)
}

impl UserFacing for ImageError {
    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Io { source, .. } => Some(source.to_string()),
            _ => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "image_not_found",
            Self::Vanished(_) => "image_vanished",
            Self::PermissionDenied(_) => "image_permission_denied",
            Self::Empty(_) => "image_empty",
            Self::NotAnImage(_) => "not_an_image",
            Self::UnsupportedFormat { .. } => "image_unsupported_format",
            Self::Corrupt { .. } => "image_corrupt",
            Self::Truncated { .. } => "image_truncated",
            Self::TooLargeToDecode { .. } => "image_too_large_to_decode",
            Self::FileTooLarge { .. } => "image_file_too_large",
            Self::WriteFailed { .. } => "image_write_failed",
            Self::CannotShrink { .. } => "image_cannot_shrink",
            Self::InvalidRatio(_) => "image_invalid_ratio",
            Self::PathRefused { .. } => "image_path_refused",
            Self::Io { .. } => "image_io",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::NotFound(p) => Message::new("msg.image.not_found").arg("path", p),
            Self::Vanished(p) => Message::new("msg.image.vanished").arg("path", p),
            Self::PermissionDenied(p) => Message::new("msg.image.permission_denied").arg("path", p),
            Self::Empty(p) => Message::new("msg.image.empty").arg("path", p),
            Self::NotAnImage(p) => Message::new("msg.image.not_an_image").arg("path", p),
            Self::UnsupportedFormat { format } => {
                Message::new("msg.image.unsupported_format").arg("format", format.as_str())
            }
            Self::Corrupt { .. } => Message::new("msg.image.corrupt"),
            Self::Truncated { .. } => Message::new("msg.image.truncated"),
            Self::TooLargeToDecode { width, height } => {
                // 0×0 means the decoder refused before telling us the size.
                let message = if *width > 0 && *height > 0 {
                    Message::new("msg.image.too_large_to_decode_sized")
                        .arg("width", *width)
                        .arg("height", *height)
                } else {
                    Message::new("msg.image.too_large_to_decode")
                };
                message
                    .arg("max_side", super::DECODE_MAX_SIDE)
                    .arg("max_megapixels", super::DECODE_MAX_PIXELS / 1_000_000)
                    .arg("target_side", super::MAX_SIDE)
            }
            Self::FileTooLarge { bytes, cap } => Message::new("msg.image.file_too_large")
                .arg("size", mb(*bytes))
                .arg("cap", mb(*cap)),
            Self::WriteFailed { path, .. } => {
                Message::new("msg.image.write_failed").arg("path", path)
            }
            Self::CannotShrink { max_bytes } => {
                Message::new("msg.image.cannot_shrink").arg("size", mb(*max_bytes))
            }
            // As text: the ratio may be NaN (the reason it is refused), and a number argument never is.
            Self::InvalidRatio(r) => {
                Message::new("msg.image.invalid_ratio").arg("ratio", r.to_string())
            }
            Self::PathRefused { path, reason } => path_refused_msg(path, *reason),
            Self::Io { path, .. } => Message::new("msg.image.io").arg("path", path),
        }
    }
}

fn path_refused_msg(path: &std::path::Path, reason: super::PathRefusal) -> Message {
    use super::PathRefusal;
    let key = match reason {
        PathRefusal::NetworkShare => "msg.image.network_share",
        PathRefusal::Device | PathRefusal::NotRegularFile => "msg.image.device",
        PathRefusal::Relative => "msg.image.relative",
    };
    Message::new(key).arg("path", path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn every_variant() -> Vec<ImageError> {
        let p = || PathBuf::from("/x/photo.jpg");
        let io = || std::io::Error::other("disk on fire");
        vec![
            ImageError::NotFound(p()),
            ImageError::Vanished(p()),
            ImageError::PermissionDenied(p()),
            ImageError::Empty(p()),
            ImageError::NotAnImage(p()),
            ImageError::UnsupportedFormat {
                format: "HEIC/HEIF".into(),
            },
            ImageError::Corrupt { detail: "x".into() },
            ImageError::Truncated { detail: "x".into() },
            ImageError::TooLargeToDecode {
                width: 60_000,
                height: 60_000,
            },
            ImageError::FileTooLarge {
                bytes: 300_000_000,
                cap: 200_000_000,
            },
            ImageError::WriteFailed {
                path: p(),
                source: io(),
            },
            ImageError::CannotShrink {
                max_bytes: 30_000_000,
            },
            ImageError::InvalidRatio(f64::NAN),
            ImageError::PathRefused {
                path: p(),
                reason: crate::images::PathRefusal::NetworkShare,
            },
            ImageError::Io {
                path: p(),
                source: io(),
            },
        ]
    }

    #[test]
    fn every_error_has_a_distinct_kind_and_both_languages() {
        let errors = every_variant();
        let mut kinds: Vec<_> = errors.iter().map(|e| e.kind()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), errors.len());
        for e in &errors {
            let msg = e.msg();
            assert_ne!(
                msg.key,
                "msg.text",
                "{}: a catalog key, not fixed text",
                e.kind()
            );
            assert!(
                msg.text("en").len() > 20,
                "{}: {}",
                e.kind(),
                msg.text("en")
            );
            // The Chinese text must really be Chinese, not a copy of the English.
            assert!(
                msg.text("zh-CN")
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: {}",
                e.kind(),
                msg.text("zh-CN")
            );
        }
    }

    #[test]
    fn io_errors_map_to_what_the_user_can_act_on() {
        let path = Path::new("/x/a.png");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(matches!(
            ImageError::from_io(path, denied),
            ImageError::PermissionDenied(_)
        ));
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert!(matches!(
            ImageError::from_io(path, missing),
            ImageError::NotFound(_)
        ));
        let other = std::io::Error::other("bad sector");
        assert!(matches!(
            ImageError::from_io(path, other),
            ImageError::Io { .. }
        ));
    }

    #[test]
    fn too_large_message_names_the_size_only_when_known() {
        let known = ImageError::TooLargeToDecode {
            width: 60_000,
            height: 60_000,
        }
        .msg();
        assert!(known.text("en").contains("60000×60000"));
        let unknown = ImageError::TooLargeToDecode {
            width: 0,
            height: 0,
        }
        .msg();
        assert!(!unknown.text("en").contains("0×0"));
    }
}
