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
            Self::NotFound(p) => Message::verbatim(
                format!("The file {} does not exist. Choose the image again.", p.display()),
                format!("文件 {} 不存在。请重新选择图片。", p.display()),
            ),
            Self::Vanished(p) => Message::verbatim(
                format!(
                    "The file {} was moved, deleted or changed while it was being read. Wait until it is \
                     fully saved, then add it again.",
                    p.display()
                ),
                format!("读取文件 {} 时它被移动、删除或修改了。请等文件完全保存后再重新添加。", p.display()),
            ),
            Self::PermissionDenied(p) => Message::verbatim(
                format!(
                    "Seedance Studio is not allowed to read {}. Copy the image to a folder you own (for \
                     example Pictures) or change its permissions, then add it again.",
                    p.display()
                ),
                format!(
                    "Seedance Studio 无权读取 {}。请把图片复制到你有权限的文件夹（例如“图片”），或修改文件权限后重新添加。",
                    p.display()
                ),
            ),
            Self::Empty(p) => Message::verbatim(
                format!("The file {} is empty (0 bytes). Export or download the image again.", p.display()),
                format!("文件 {} 是空的（0 字节）。请重新导出或下载这张图片。", p.display()),
            ),
            Self::NotAnImage(p) => Message::verbatim(
                format!(
                    "{} is not an image this app can read. Use a JPEG, PNG, WebP, BMP, TIFF or GIF file.",
                    p.display()
                ),
                format!("{} 不是可识别的图片。请使用 JPEG、PNG、WebP、BMP、TIFF 或 GIF 文件。", p.display()),
            ),
            Self::UnsupportedFormat { format } => Message::verbatim(
                format!(
                    "{format} images cannot be opened here. Convert it to JPEG or PNG (for example with \
                     Preview, Photos or Paint: “Export as JPEG”), then add the converted file."
                ),
                format!(
                    "无法在此打开 {format} 格式的图片。请先把它转换为 JPEG 或 PNG（例如用“预览”“照片”或“画图”导出为 JPEG），再添加转换后的文件。"
                ),
            ),
            Self::Corrupt { .. } => Message::verbatim(
                "The image data is damaged and cannot be read. Open it in an image editor and save it \
                 again, or use another copy of the file.",
                "图片数据已损坏，无法读取。请用图片编辑软件打开后重新保存，或换用该文件的其他副本。",
            ),
            Self::Truncated { .. } => Message::verbatim(
                "The image file is incomplete (it ends too early), probably from an unfinished download \
                 or copy. Download or copy it again.",
                "图片文件不完整（提前结束），可能是下载或复制未完成。请重新下载或复制该文件。",
            ),
            Self::TooLargeToDecode { width, height } => {
                // 0×0 means the decoder refused before telling us the size.
                let (size_en, size_zh) = if *width > 0 && *height > 0 {
                    (format!(" ({width}×{height} px)"), format!("（{width}×{height} 像素）"))
                } else {
                    (String::new(), String::new())
                };
                Message::verbatim(
                    format!(
                        "The image{size_en} is too large to open safely (limit: {} px per side, {} \
                         megapixels). Resize it in an image editor to at most 6000 px per side, then add \
                         it again.",
                        super::DECODE_MAX_SIDE,
                        super::DECODE_MAX_PIXELS / 1_000_000
                    ),
                    format!(
                        "图片{size_zh}过大，无法安全打开（上限：每边 {} 像素、{} 百万像素）。请先用图片编辑软件把每边缩小到 6000 像素以内，再重新添加。",
                        super::DECODE_MAX_SIDE,
                        super::DECODE_MAX_PIXELS / 1_000_000
                    ),
                )
            }
            Self::FileTooLarge { bytes, cap } => Message::verbatim(
                format!(
                    "The file is {}, more than the {} this app will open. Frames must be under 30 MB: \
                     resize or export it as JPEG in an image editor first.",
                    mb(*bytes),
                    mb(*cap)
                ),
                format!(
                    "文件大小为 {}，超过本应用可打开的上限 {}。视频帧必须小于 30 MB：请先用图片编辑软件缩小尺寸或导出为 JPEG。",
                    mb(*bytes),
                    mb(*cap)
                ),
            ),
            Self::WriteFailed { path, .. } => Message::verbatim(
                format!(
                    "Could not save the fixed copy to {}. Check that the folder exists, is writable and \
                     the disk is not full, then try again.",
                    path.display()
                ),
                format!(
                    "无法把修正后的副本保存到 {}。请确认文件夹存在且可写入、磁盘空间充足，然后重试。",
                    path.display()
                ),
            ),
            Self::CannotShrink { max_bytes } => Message::verbatim(
                format!(
                    "Could not make a copy smaller than {} without shrinking it too far. Export it as JPEG \
                     in an image editor instead.",
                    mb(*max_bytes)
                ),
                format!("无法在不过度缩小的前提下把副本压缩到 {} 以下。请改用图片编辑软件导出为 JPEG。", mb(*max_bytes)),
            ),
            Self::InvalidRatio(r) => Message::verbatim(
                format!("Cannot crop to the aspect ratio {r}. Choose the first frame again and retry."),
                format!("无法裁剪为宽高比 {r}。请重新选择首帧后再试。"),
            ),
            Self::PathRefused { path, reason } => path_refused_msg(path, *reason),
            Self::Io { path, .. } => Message::verbatim(
                format!("Could not read {}. Check the disk or network drive and try again.", path.display()),
                format!("无法读取 {}。请检查磁盘或网络驱动器后重试。", path.display()),
            ),
        }
    }
}

fn path_refused_msg(path: &std::path::Path, reason: super::PathRefusal) -> Message {
    use super::PathRefusal;
    let p = path.display();
    match reason {
        PathRefusal::NetworkShare => Message::verbatim(
            format!("{p} is on a network share, which Seedance Studio does not open. Copy the image to a folder on this computer, then add it from there."),
            format!("{p} 位于网络共享位置，Seedance Studio 不会打开。请先把图片复制到本机的文件夹，再从那里添加。"),
        ),
        PathRefusal::Device | PathRefusal::NotRegularFile => Message::verbatim(
            format!("{p} is a device or system file, not an image file. Choose an image file (JPEG, PNG, WebP…) from a folder on this computer."),
            format!("{p} 是设备或系统文件，不是图片文件。请从本机文件夹中选择图片文件（JPEG、PNG、WebP 等）。"),
        ),
        PathRefusal::Relative => Message::verbatim(
            format!("{p} is not a full path to a file. Choose the image again with the file picker or drop it onto the window."),
            format!("{p} 不是完整的文件路径。请用文件选择器重新选择图片，或将其拖放到窗口中。"),
        ),
    }
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
