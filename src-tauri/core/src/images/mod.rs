//! Image intake for first/last frames: read, sniff, decode with limits, apply EXIF orientation, check
//! the model's limits (API notes §4), make a preview, and write fixed copies on request.
//!
//! Everything here is synchronous `std::fs` code without shared state: callers run it on a blocking
//! thread, and two frames may be taken in at the same time.

mod apply;
mod decode;
mod error;
mod fixes;
mod frame_path;
#[cfg(feature = "fuzzing")]
pub mod fuzz;
mod gate;
mod geometry;
mod jpeg_dc;
mod passed;
mod pixels;
mod problems;
mod read;
mod reduce;
#[cfg(test)]
mod scaled_check_tests;
mod sniff;
mod thumbnail;

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use apply::{apply_fix, save_data_url, MAX_DATA_URL_BYTES};
pub use error::ImageError;
pub use fixes::{crop_to_ratio, downscale_to_fit, reencode_under, upscale_to_min};
pub use frame_path::{check_frame_path, PathRefusal};
pub use geometry::{
    aspect_mismatch, aspect_mismatch_of, crop_window, ratio_label, Mismatch,
    ASPECT_MISMATCH_TOLERANCE,
};
#[cfg(test)]
pub(crate) use passed::decoded;
pub use problems::{FixKind, FrameProblem, FrameProblemKind};
pub(crate) use read::read_capped;
pub use reduce::thumbnail as preview_image;

/// Model limits (API notes §4): each side 300..=6000 px.
pub const MIN_SIDE: u32 = 300;
pub const MAX_SIDE: u32 = 6000;
/// Model limits: width / height within 0.4..=2.5.
pub const MIN_RATIO: f64 = 0.4;
pub const MAX_RATIO: f64 = 2.5;
/// The model wants files "< 30 MB". Decimal megabytes are the stricter reading, so a file that passes
/// here passes under either meaning.
pub const MAX_FILE_BYTES: u64 = 30_000_000;
/// How far a too-small image may be enlarged by the one-click fix before it is mostly blur.
pub const MAX_UPSCALE_FACTOR: f64 = 2.0;

/// Files above this are refused before reading: no real frame is this big, and intake holds the
/// whole file in memory.
pub const HARD_CAP_BYTES: u64 = 200_000_000;
/// Decompression-bomb guards, checked on the header's claim before any pixel buffer is allocated.
pub const DECODE_MAX_SIDE: u32 = 30_000;
pub const DECODE_MAX_PIXELS: u64 = 100_000_000;
pub const DECODE_MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// Long side of the preview the UI shows.
pub const THUMBNAIL_MAX_SIDE: u32 = 512;

/// Which check intake is. Both read the whole file and refuse truncated or damaged data exactly as the
/// strict decoder does, and decode alike: a baseline JPEG big enough has every Huffman code of its scan
/// decoded and checked but is rebuilt at 1/8 scale (its DC coefficients), which is all a 512 px
/// thumbnail needs; whatever that reading does not take cleanly, and every other file, is decoded in full
/// by the strict decoder, which gives the verdict (see `decode::decode_for_intake`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IntakeDepth {
    /// What runs before a frame is uploaded (and a batch's check).
    #[default]
    Full,
    /// For showing a frame just picked: the same check (and remembered alike, see [`intake`]), without
    /// keeping its pixel buffer for the next decode.
    Preview,
}

#[derive(Clone, Debug)]
pub struct IntakeOptions {
    pub thumbnail_max_side: u32,
    pub hard_cap_bytes: u64,
    pub depth: IntakeDepth,
}

impl Default for IntakeOptions {
    fn default() -> Self {
        Self {
            thumbnail_max_side: THUMBNAIL_MAX_SIDE,
            hard_cap_bytes: HARD_CAP_BYTES,
            depth: IntakeDepth::Full,
        }
    }
}

impl IntakeOptions {
    /// For a frame the user just picked: fast, still reading and checking the whole file.
    pub fn preview() -> Self {
        Self {
            depth: IntakeDepth::Preview,
            ..Self::default()
        }
    }
}

/// Facts about a readable image, sizes as the viewer sees it (EXIF orientation applied).
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct FrameInfo {
    /// The file read. Never sent to the webview, which names frames only by `handle`.
    #[serde(skip)]
    pub path: PathBuf,
    /// The opaque id the webview passes back for this file (see `crate::frame_handles`); empty until the
    /// shell issues one.
    pub handle: String,
    /// "JPEG", "PNG", "WebP", "BMP", "TIFF" or "GIF", from the content, not the extension.
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub file_bytes: f64,
    /// width / height.
    pub aspect: f64,
    /// The aspect as people name it ("16:9", or "1.43:1"): see [`geometry::ratio_label`].
    pub aspect_label: String,
    /// `data:image/jpeg;base64,…` (or PNG when the image has transparency), long side ≤ 512 px.
    pub thumbnail_data_url: String,
    /// Hex SHA-256 of the file's bytes; the upload cache keys on it.
    pub content_sha256: String,
    /// Limit violations; empty means the file can be uploaded as it is.
    pub problems: Vec<FrameProblem>,
}

impl FrameInfo {
    pub fn is_acceptable(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Reads and checks one frame. Errors mean the file cannot be used at all; limit violations of a
/// readable image are returned as `problems` instead.
/// The whole file is read and hashed every time; bytes a check in this process already decoded and
/// accepted are not decoded again (see `passed`): their facts are the same, and the preview is the one
/// kept (made smaller when a smaller one is asked for). Other bytes are decoded with every check.
/// At most one frame per core is read and decoded at once in the whole process (see `gate`); others wait.
pub fn intake(path: &Path, opts: &IntakeOptions) -> Result<FrameInfo, ImageError> {
    let _pass = gate::enter();
    #[cfg(test)]
    let _counted = DecodingNow::enter();
    let bytes = read::read_capped(path, opts.hard_cap_bytes)?;
    let content_sha256 = hex::encode(Sha256::digest(&bytes));
    if let Some((mut info, Some(kept))) = passed::recall(&content_sha256, path) {
        if let Some(thumbnail) = thumbnail::smaller(&kept, opts.thumbnail_max_side) {
            info.thumbnail_data_url = thumbnail;
            return Ok(info);
        }
    }
    intake_hashed(path, &bytes, opts, Some(content_sha256), true)
}

/// Counts the frames between reading and the end of their decode, for the gate's test.
#[cfg(test)]
struct DecodingNow;

#[cfg(test)]
impl DecodingNow {
    fn enter() -> Self {
        use std::sync::atomic::Ordering;
        let now = gate::tests::DECODING.fetch_add(1, Ordering::SeqCst) + 1;
        gate::tests::MOST_DECODING.fetch_max(now, Ordering::SeqCst);
        Self
    }
}

#[cfg(test)]
impl Drop for DecodingNow {
    fn drop(&mut self) {
        gate::tests::DECODING.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The check just before a frame is uploaded: [`intake`] without a preview. When the file's bytes (read
/// and hashed in full now) are ones a check in this process already accepted, their facts are given again
/// without decoding, even when their preview is no longer kept. Bytes that differ in any way are decoded
/// in full, with every check [`intake`] makes.
pub fn recheck(path: &Path, opts: &IntakeOptions) -> Result<FrameInfo, ImageError> {
    let _pass = gate::enter();
    #[cfg(test)]
    let _counted = DecodingNow::enter();
    let bytes = read::read_capped(path, opts.hard_cap_bytes)?;
    let content_sha256 = hex::encode(Sha256::digest(&bytes));
    if let Some((info, _)) = passed::recall(&content_sha256, path) {
        return Ok(info);
    }
    intake_hashed(path, &bytes, opts, Some(content_sha256), true)
}

/// [`intake`] of bytes already read from `path` (the path is only named in the result and messages),
/// for the fuzz targets and the decoding tests: always decoded, read at the scale `opts`' preview alone
/// needs, and not remembered.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn intake_bytes(
    path: &Path,
    bytes: &[u8],
    opts: &IntakeOptions,
) -> Result<FrameInfo, ImageError> {
    intake_hashed(path, bytes, opts, None, false)
}

/// Decodes and checks `bytes`, given their hex SHA-256 when it is known already. With `remember`, the
/// result is remembered with the preview a job stores ([`THUMBNAIL_MAX_SIDE`], made too when another
/// size was asked for), so a later check of the same bytes needs no decode (see `passed`); the picture is
/// then read at a scale that preview needs, whatever size `opts` asks for.
fn intake_hashed(
    path: &Path,
    bytes: &[u8],
    opts: &IntakeOptions,
    known_sha256: Option<String>,
    remember: bool,
) -> Result<FrameInfo, ImageError> {
    let format = sniff_format(path, bytes)?;
    #[cfg(any(test, feature = "decode-log"))]
    passed::decoded::note(path);
    // Hashing a 30 MB file takes a noticeable moment; it runs beside the decode.
    let (decoded, content_sha256) = std::thread::scope(|scope| {
        let hashing =
            known_sha256.ok_or_else(|| scope.spawn(|| hex::encode(Sha256::digest(bytes))));
        // A 1/8-scale preview a little under the thumbnail size (a 12 MP photo gives 504 px) looks
        // the same; smaller photos decode fully, which is quick at their size.
        let largest_preview = if remember {
            opts.thumbnail_max_side.max(THUMBNAIL_MAX_SIDE)
        } else {
            opts.thumbnail_max_side
        };
        let preview_side = largest_preview.saturating_mul(3) / 4;
        let decoded = decode::decode_for_intake(bytes, format, preview_side);
        let hash = hashing.or_else(|thread| thread.join());
        (decoded, hash)
    });
    let decode::Upright {
        image,
        width,
        height,
    } = decoded?;
    let content_sha256 = content_sha256.map_err(|_| ImageError::Corrupt {
        detail: "hashing the file failed".into(),
    })?;
    let thumbnail_data_url = thumbnail::data_url(&image, opts.thumbnail_max_side);
    // The preview a job stores with its record, for the check when the job is stored.
    let kept_thumbnail = if remember && opts.thumbnail_max_side != THUMBNAIL_MAX_SIDE {
        thumbnail::data_url(&image, THUMBNAIL_MAX_SIDE).ok()
    } else {
        None
    };
    if opts.depth == IntakeDepth::Full {
        // Done with the pixels: the next frame's decode may reuse their buffer (see `pixels`).
        if let Some(buffer) = eight_bit_buffer(image) {
            pixels::give_back(buffer, gate::limit());
        }
    }
    let thumbnail_data_url = thumbnail_data_url?;
    let file_bytes = bytes.len() as u64;
    let aspect = f64::from(width) / f64::from(height.max(1));
    let info = FrameInfo {
        path: path.to_path_buf(),
        handle: String::new(),
        format: sniff::accepted_name(format).unwrap_or("image").to_string(),
        width,
        height,
        file_bytes: file_bytes as f64,
        aspect,
        aspect_label: geometry::ratio_label(aspect),
        thumbnail_data_url,
        content_sha256,
        problems: problems::find_problems(width, height, file_bytes),
    };
    if remember {
        let kept = match kept_thumbnail {
            Some(kept) => Some(kept),
            None if opts.thumbnail_max_side == THUMBNAIL_MAX_SIDE => {
                Some(info.thumbnail_data_url.clone())
            }
            None => None,
        };
        passed::remember(&info, kept);
    }
    Ok(info)
}

/// The pixel buffer of an 8-bit image (what a JPEG decodes to), without copying it.
fn eight_bit_buffer(image: image::DynamicImage) -> Option<Vec<u8>> {
    use image::DynamicImage as D;
    match image {
        D::ImageLuma8(b) => Some(b.into_raw()),
        D::ImageLumaA8(b) => Some(b.into_raw()),
        D::ImageRgb8(b) => Some(b.into_raw()),
        D::ImageRgba8(b) => Some(b.into_raw()),
        _ => None,
    }
}

fn sniff_format(path: &Path, bytes: &[u8]) -> Result<image::ImageFormat, ImageError> {
    match sniff::sniff(bytes) {
        sniff::Sniffed::Accepted(format) => Ok(format),
        sniff::Sniffed::Refused(name) => Err(ImageError::UnsupportedFormat {
            format: name.to_string(),
        }),
        sniff::Sniffed::Unknown => Err(ImageError::NotAnImage(path.to_path_buf())),
    }
}

/// Reads, sniffs and fully decodes a file with the same checks as [`intake`], for the fixes.
fn load_upright(path: &Path) -> Result<image::DynamicImage, ImageError> {
    let bytes = read::read_capped(path, HARD_CAP_BYTES)?;
    let format = sniff_format(path, &bytes)?;
    decode::decode_upright(&bytes, format)
}
