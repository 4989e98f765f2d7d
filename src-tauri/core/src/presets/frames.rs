//! The presets folder: frame copies named by their content, so the same image saved with several presets
//! (or a duplicated preset) is stored once, and an interrupted save can never leave half a file under a
//! name a preset points to.

use std::io::Cursor;
use std::path::Path;

use image::ImageFormat;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::{storage, PresetError};
use crate::images::{read_capped, ImageError, HARD_CAP_BYTES};
use crate::request::FrameSlot;

/// File extension and media type of a frame the model accepts, if `bytes` is one whose header reads.
/// The header is enough here: the frame was fully checked when it was picked, and is again when a job
/// uses it.
pub(super) fn image_kind(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let format = image::guess_format(bytes).ok()?;
    let kind = match format {
        ImageFormat::Jpeg => ("jpg", "image/jpeg"),
        ImageFormat::Png => ("png", "image/png"),
        ImageFormat::WebP => ("webp", "image/webp"),
        ImageFormat::Bmp => ("bmp", "image/bmp"),
        ImageFormat::Tiff => ("tiff", "image/tiff"),
        ImageFormat::Gif => ("gif", "image/gif"),
        _ => return None,
    };
    let reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    reader.into_dimensions().ok().map(|_| kind)
}

/// A frame copy ready to be stored: its bytes and extension.
pub(super) struct FrameBytes {
    pub bytes: Vec<u8>,
    pub ext: &'static str,
}

impl FrameBytes {
    pub fn file_name(&self) -> String {
        let digest = hex::encode(Sha256::digest(&self.bytes));
        format!("{}.{}", &digest[..32], self.ext)
    }
}

/// Reads a frame from the form for copying into a preset.
pub(super) fn read_source(path: &Path, slot: FrameSlot) -> Result<FrameBytes, PresetError> {
    let unusable = |source| PresetError::FrameUnusable { slot, source };
    // Only a regular file outside network shares and device folders, read with a cap: the path comes
    // from the webview, and `/dev/zero` or a pipe would otherwise be read until memory ran out.
    let bytes = read_capped(path, HARD_CAP_BYTES).map_err(unusable)?;
    let (ext, _) =
        image_kind(&bytes).ok_or_else(|| unusable(ImageError::NotAnImage(path.to_path_buf())))?;
    Ok(FrameBytes { bytes, ext })
}

/// Writes the frame into `dir` unless an identical copy is there; returns the file name and whether
/// this call created it (so a failed save can take back exactly what it added).
pub(super) fn store(dir: &Path, frame: &FrameBytes) -> Result<(String, bool), PresetError> {
    let name = frame.file_name();
    let path = dir.join(&name);
    if path.is_file() {
        return Ok((name, false));
    }
    let failed = |source| PresetError::WriteFailed {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    crate::durable::write_file(&path, &frame.bytes).map_err(failed)?;
    Ok((name, true))
}

/// Removes frame files no preset refers to any more. Best effort: a file left behind only costs space.
pub(super) fn remove_unreferenced(conn: &Connection, dir: &Path, files: &[String]) {
    for file in files {
        match storage::frame_referenced(conn, file) {
            Ok(false) => {
                if let Err(error) = std::fs::remove_file(dir.join(file)) {
                    if error.kind() != std::io::ErrorKind::NotFound {
                        tracing::warn!(%error, "could not remove an unused preset frame");
                    }
                }
            }
            Ok(true) => {}
            Err(error) => tracing::warn!(%error, "could not check preset frame use"),
        }
    }
}

/// Removes files this process just created for an operation that then failed.
pub(super) fn remove_created(dir: &Path, files: &[String]) {
    for file in files {
        let _ = std::fs::remove_file(dir.join(file));
    }
}

/// How a preset's stored frame looks when it is applied or exported.
pub(super) enum StoredFrame {
    Readable(FrameBytes),
    Missing,
    Damaged,
}

pub(super) fn read_stored(path: &Path) -> StoredFrame {
    match std::fs::read(path) {
        Ok(bytes) => match image_kind(&bytes) {
            Some((ext, _)) => StoredFrame::Readable(FrameBytes { bytes, ext }),
            None => StoredFrame::Damaged,
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => StoredFrame::Missing,
        Err(_) => StoredFrame::Damaged,
    }
}

pub(super) fn media_type(ext: &str) -> &'static str {
    match ext {
        "jpg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "bmp" => "image/bmp",
        "tiff" => "image/tiff",
        _ => "image/gif",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn png() -> Vec<u8> {
        let img = image::RgbImage::from_pixel(4, 4, image::Rgb([1, 2, 3]));
        let mut bytes = Vec::new();
        img.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn only_readable_accepted_images_count() {
        assert_eq!(image_kind(&png()), Some(("png", "image/png")));
        assert_eq!(image_kind(b"hello"), None);
        // The PNG signature alone, with no header behind it, is not an image.
        assert_eq!(image_kind(b"\x89PNG\r\n\x1a\n"), None);
    }

    #[test]
    fn the_same_content_is_stored_once() {
        let dir = tempfile::tempdir().unwrap();
        let frame = FrameBytes {
            bytes: png(),
            ext: "png",
        };
        let (a, created_a) = store(dir.path(), &frame).unwrap();
        let (b, created_b) = store(dir.path(), &frame).unwrap();
        assert_eq!(a, b);
        assert!(created_a && !created_b);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
