//! Intake and the JPEG preview on raw bytes, reachable from fuzz targets and corpus replays (feature
//! `fuzzing`).

use std::path::Path;

use image::metadata::Orientation;

use super::{decode, jpeg_dc, FrameInfo, ImageError, IntakeOptions};

/// [`super::intake`] of bytes instead of a file.
pub fn intake_bytes(bytes: &[u8], opts: &IntakeOptions) -> Result<FrameInfo, ImageError> {
    super::intake_bytes(Path::new("fuzz-input"), bytes, opts)
}

/// A JPEG as the fast preview path and the strict decoder each read it: size as stored and EXIF
/// orientation.
#[derive(Debug, PartialEq, Eq)]
pub struct JpegReading {
    pub width: u32,
    pub height: u32,
    pub orientation: Orientation,
}

/// The preview's reading (`None` when it hands the file over to the general decoder) and the strict
/// decoder's.
pub fn jpeg_preview_and_strict(
    bytes: &[u8],
) -> (
    Result<Option<JpegReading>, ImageError>,
    Result<JpegReading, ImageError>,
) {
    let preview = jpeg_dc::decode(bytes, 0, decode::check_decode_size).map(|found| {
        found.map(|p| JpegReading {
            width: p.width,
            height: p.height,
            orientation: p.orientation,
        })
    });
    let strict = decode::decode_jpeg(bytes).map(|(image, orientation)| JpegReading {
        width: image.width(),
        height: image.height(),
        orientation,
    });
    (preview, strict)
}
