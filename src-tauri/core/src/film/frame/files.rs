//! Frames put on disk for the app: a frame the user takes from a clip (to start the next shot with, or to
//! end one on) as a PNG in the frames folder, and a clip's poster, a small JPEG made once per clip and
//! kept in a cache folder, that the Jobs screen shows instead of the request's input frames.

use std::path::{Path, PathBuf};

use base64::Engine;
use image::codecs::jpeg::JpegEncoder;
use image::DynamicImage;

use super::{extract_frame, write_png, ExtractedFrame, FrameError, FramePick};

/// The poster's long side in pixels: sharp in a job row and in the results grid (up to ~240 CSS px
/// wide on a 2× screen), a 10–30 kB JPEG.
pub const POSTER_SIDE: u32 = 480;
const POSTER_QUALITY: u8 = 80;

/// Saves the frame `pick` of `clip` as `<clip name>.frame-<n>.png` in `dir` (n counted from 1; the same
/// frame taken twice is the same file, replaced whole) and returns the file with the frame.
pub fn save_frame(
    clip: &Path,
    pick: FramePick,
    dir: &Path,
) -> Result<(PathBuf, ExtractedFrame), FrameError> {
    let frame = extract_frame(clip, pick)?;
    let stem = clip
        .file_stem()
        .map_or_else(|| "clip".into(), |s| s.to_string_lossy());
    let path = dir.join(format!("{stem}.frame-{}.png", frame.index + 1));
    std::fs::create_dir_all(dir).map_err(|source| FrameError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    write_png(&frame.image, &path)?;
    Ok((path, frame))
}

/// The poster of `clip` as a `data:image/jpeg` URL: the frame at the middle of the clip, long side at most
/// [`POSTER_SIDE`]. Made once and kept as `<dir>/<key>.jpg`; made again only when the clip is newer than
/// the kept file (a download fetched again).
pub fn poster_data_url(clip: &Path, dir: &Path, key: &str) -> Result<String, FrameError> {
    let cached = dir.join(format!("{}.jpg", safe_name(key)));
    let bytes = match read_if_fresh(&cached, clip) {
        Some(bytes) => bytes,
        None => {
            let bytes = make_poster(clip)?;
            std::fs::create_dir_all(dir)
                .and_then(|()| crate::durable::write_file(&cached, &bytes))
                .map_err(|source| FrameError::Write {
                    path: cached.clone(),
                    source,
                })?;
            bytes
        }
    };
    let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
    Ok(format!("data:image/jpeg;base64,{encoded}"))
}

/// Removes the poster kept for `key` (its job was deleted); none kept is fine.
pub fn forget_poster(dir: &Path, key: &str) -> std::io::Result<()> {
    match std::fs::remove_file(dir.join(format!("{}.jpg", safe_name(key)))) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The kept poster, when it is at least as new as the clip.
fn read_if_fresh(cached: &Path, clip: &Path) -> Option<Vec<u8>> {
    let kept = std::fs::metadata(cached).ok()?.modified().ok()?;
    let made = std::fs::metadata(clip).ok()?.modified().ok()?;
    if kept < made {
        return None;
    }
    std::fs::read(cached).ok()
}

fn make_poster(clip: &Path) -> Result<Vec<u8>, FrameError> {
    let table = super::clip_frames(clip)?;
    let middle = u32::try_from(table.times.len() / 2).unwrap_or(0);
    let frame = extract_frame(clip, FramePick::Index(middle))?;
    let image = DynamicImage::ImageRgb8(frame.image);
    // Shrunk when larger, never enlarged.
    let small = if image.width().max(image.height()) > POSTER_SIDE {
        crate::images::preview_image(&image, POSTER_SIDE)
    } else {
        image
    };
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, POSTER_QUALITY)
        .encode_image(&small.to_rgb8())
        .map_err(|e| FrameError::Write {
            path: clip.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
    Ok(bytes)
}

/// A key as a file name: letters, digits, `-` and `_` kept, anything else `_` (job ids already are).
fn safe_name(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_leave_the_cache_folder() {
        assert_eq!(safe_name("01JF-abc_9"), "01JF-abc_9");
        assert_eq!(safe_name("../../etc/passwd"), "______etc_passwd");
    }
}
