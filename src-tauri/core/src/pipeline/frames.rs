//! The request's frames: where each comes from, checking the local ones before anything is uploaded.

use std::path::PathBuf;

use url::Url;

use super::PipelineError;
use crate::images::{recheck, FrameInfo, IntakeOptions};
use crate::request::{FrameSlot, ValidRequest};

/// A frame as the request names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum FrameSource {
    Local(PathBuf),
    /// Already on the web (e.g. a frame reused from an earlier upload): sent as is, never fetched here.
    Remote(String),
}

impl FrameSource {
    /// Only an absolute http(s) URL with a host is remote; anything else is a path (`C:\a.png` parses
    /// as a URL with scheme `c`, so the scheme check matters).
    pub(super) fn classify(source: &str) -> Self {
        match Url::parse(source.trim()) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {
                Self::Remote(source.trim().to_owned())
            }
            _ => Self::Local(PathBuf::from(source)),
        }
    }
}

/// The request's frames in slot order (first, then last).
pub(super) fn sources(request: &ValidRequest) -> Vec<(FrameSlot, FrameSource)> {
    [
        (FrameSlot::First, request.first_frame()),
        (FrameSlot::Last, request.last_frame()),
    ]
    .into_iter()
    .filter_map(|(slot, source)| source.map(|s| (slot, FrameSource::classify(s))))
    .collect()
}

/// Reads and checks every local frame; the first one that is unreadable or out of limits stops the run.
/// Bytes a full check in this process already accepted (when the frame was chosen, or the batch's check)
/// are read and hashed but not decoded again ([`recheck`]). Decoding is CPU-bound, so it runs on a
/// blocking thread.
pub(super) async fn check_local(
    frames: &[(FrameSlot, FrameSource)],
    options: &IntakeOptions,
) -> Result<Vec<(FrameSlot, FrameInfo)>, PipelineError> {
    let mut checked = Vec::new();
    for (slot, source) in frames {
        let FrameSource::Local(path) = source else {
            continue;
        };
        let (path, options) = (path.clone(), options.clone());
        let info = tokio::task::spawn_blocking(move || recheck(&path, &options))
            .await
            .map_err(|e| PipelineError::Io(std::io::Error::other(e)))?
            .map_err(|source| PipelineError::Frame {
                slot: *slot,
                source,
            })?;
        if !info.is_acceptable() {
            return Err(PipelineError::FrameOutOfLimits {
                slot: *slot,
                problems: info.problems,
            });
        }
        checked.push((*slot, info));
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::images::{decoded, intake, ImageError};

    fn write_jpeg(path: &std::path::Path, width: u32, height: u32, tint: u8) {
        image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 251) as u8, (y % 241) as u8, tint])
        })
        .save_with_format(path, image::ImageFormat::Jpeg)
        .unwrap();
    }

    async fn check_one(path: &std::path::Path) -> Result<FrameInfo, PipelineError> {
        let frames = [(FrameSlot::First, FrameSource::Local(path.to_path_buf()))];
        let mut checked = check_local(&frames, &IntakeOptions::default()).await?;
        Ok(checked.remove(0).1)
    }

    /// A frame whose bytes a full check already accepted (when it was chosen, or a batch's check) is read
    /// and hashed again before upload, but not decoded again; a copy under another name neither.
    #[tokio::test]
    async fn a_frame_checked_before_is_not_decoded_again_before_upload() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("photo.jpg");
        write_jpeg(&path, 640, 480, 7);
        let chosen = intake(&path, &IntakeOptions::default()).unwrap();
        assert_eq!(decoded::count(&path), 1);

        let before_upload = check_one(&path).await.unwrap();
        assert_eq!(decoded::count(&path), 1, "decoded again before upload");
        assert_eq!(before_upload.path, path);
        assert_eq!(before_upload.content_sha256, chosen.content_sha256);
        assert_eq!(
            (
                before_upload.width,
                before_upload.height,
                &before_upload.format
            ),
            (640, 480, &chosen.format)
        );
        assert_eq!(before_upload.problems, chosen.problems);

        let copy = dir.path().join("copy.jpg");
        std::fs::copy(&path, &copy).unwrap();
        let of_copy = check_one(&copy).await.unwrap();
        assert_eq!(
            decoded::count(&copy),
            0,
            "the copy's bytes were checked already"
        );
        assert_eq!(of_copy.path, copy);
        assert_eq!(of_copy.content_sha256, chosen.content_sha256);
    }

    /// A frame whose file changed since its check is decoded in full again: another picture gives its own
    /// facts, and damaged bytes are refused as the first check would refuse them.
    #[tokio::test]
    async fn a_frame_changed_since_its_check_is_checked_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("photo.jpg");
        write_jpeg(&path, 640, 480, 9);
        let chosen = intake(&path, &IntakeOptions::default()).unwrap();

        write_jpeg(&path, 800, 400, 9);
        let changed = check_one(&path).await.unwrap();
        assert_eq!(decoded::count(&path), 2);
        assert_ne!(changed.content_sha256, chosen.content_sha256);
        assert_eq!((changed.width, changed.height), (800, 400));

        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
        let err = check_one(&path).await.unwrap_err();
        assert_eq!(decoded::count(&path), 3);
        assert!(
            matches!(
                err,
                PipelineError::Frame {
                    slot: FrameSlot::First,
                    source: ImageError::Truncated { .. }
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn only_web_addresses_are_remote() {
        assert_eq!(
            FrameSource::classify("https://cdn.example/a.png"),
            FrameSource::Remote("https://cdn.example/a.png".into())
        );
        for local in [
            "/home/me/a.png",
            "C:\\Users\\me\\a.png",
            "file:///home/me/a.png",
            "relative/a.jpg",
        ] {
            assert_eq!(
                FrameSource::classify(local),
                FrameSource::Local(PathBuf::from(local)),
                "{local}"
            );
        }
    }
}
