//! Decoding with hard limits, and EXIF orientation applied so every size we report is the upright one.
//!
//! JPEG goes straight to `zune-jpeg` with a strict scan: through `image` it runs lenient and paints
//! a truncated or damaged scan grey instead of failing, which would let a broken frame reach the
//! (paid) model. Headers stay lenient: stray bytes between header segments are common in files from
//! phones and editors and every viewer opens them. Other formats go through `image` with `Limits`.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use zune_jpeg::errors::DecodeErrors;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

use super::{ImageError, DECODE_MAX_ALLOC, DECODE_MAX_PIXELS, DECODE_MAX_SIDE};

/// Decodes `bytes` (already sniffed as `format`) into an upright image.
pub(crate) fn decode_upright(
    bytes: &[u8],
    format: ImageFormat,
) -> Result<DynamicImage, ImageError> {
    let (mut image, orientation) = match format {
        ImageFormat::Jpeg => decode_jpeg(bytes)?,
        _ => decode_other(bytes, format)?,
    };
    image.apply_orientation(orientation);
    Ok(image)
}

/// An upright image and the upright size of the file it came from (the image itself may be a
/// reduced-scale preview).
pub(crate) struct Upright {
    pub image: DynamicImage,
    pub width: u32,
    pub height: u32,
}

/// `preview_side`: the long side a reduced-scale preview must reach to be used.
///
/// A baseline JPEG big enough is read by `jpeg_dc` at either depth: it decodes and checks every Huffman
/// code of the scan (what the strict decoder refuses, it refuses or hands over: fuzzed against it), so
/// the check is as strict while the picture is rebuilt at 1/8 scale, all a thumbnail needs. Whatever it
/// does not decode cleanly goes to the strict decoder, which gives the verdict and its wording.
pub(crate) fn decode_for_intake(
    bytes: &[u8],
    format: ImageFormat,
    preview_side: u32,
) -> Result<Upright, ImageError> {
    if format == ImageFormat::Jpeg {
        let min_side = usize::try_from(preview_side).unwrap_or(usize::MAX);
        if let Some(preview) = super::jpeg_dc::decode(bytes, min_side, check_decode_size)? {
            let mut image = preview.image;
            image.apply_orientation(preview.orientation);
            let (width, height) = if swaps_sides(preview.orientation) {
                (preview.height, preview.width)
            } else {
                (preview.width, preview.height)
            };
            return Ok(Upright {
                image,
                width,
                height,
            });
        }
    }
    let image = decode_upright(bytes, format)?;
    Ok(Upright {
        width: image.width(),
        height: image.height(),
        image,
    })
}

fn swaps_sides(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// Refuses decompression bombs from the header's claim, before any pixel buffer exists.
pub(crate) fn check_decode_size(width: u32, height: u32) -> Result<(), ImageError> {
    let pixels = u64::from(width) * u64::from(height);
    if width > DECODE_MAX_SIDE || height > DECODE_MAX_SIDE || pixels > DECODE_MAX_PIXELS {
        return Err(ImageError::TooLargeToDecode { width, height });
    }
    Ok(())
}

/// What decoding a JPEG of this header will hold at once, against [`DECODE_MAX_ALLOC`]: the output pixels
/// (at most four bytes each) and, for a progressive file, every component's DCT coefficients, which stay in
/// memory until the last scan (two bytes per sample, with the image padded to whole blocks of the largest
/// sampling, 32 px). A 100-megapixel progressive file needs about 1 GB: refused here, from the header alone.
pub(crate) fn check_jpeg_memory(
    width: u32,
    height: u32,
    components: u8,
    progressive: bool,
) -> Result<(), ImageError> {
    let pad = |side: u32| u64::from(side).div_ceil(32) * 32;
    let output = u64::from(width) * u64::from(height) * 4;
    let coefficients = if progressive {
        pad(width) * pad(height) * u64::from(components.max(1)) * 2
    } else {
        0
    };
    if output.saturating_add(coefficients) > DECODE_MAX_ALLOC {
        return Err(ImageError::TooLargeToDecode { width, height });
    }
    Ok(())
}

fn decode_limits(strict_sides: bool) -> Limits {
    let mut limits = Limits::default();
    limits.max_alloc = Some(DECODE_MAX_ALLOC);
    if strict_sides {
        limits.max_image_width = Some(DECODE_MAX_SIDE);
        limits.max_image_height = Some(DECODE_MAX_SIDE);
    }
    limits
}

fn decode_other(
    bytes: &[u8],
    format: ImageFormat,
) -> Result<(DynamicImage, Orientation), ImageError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // Side limits come after the header is read so the error can say what size the file claims.
    reader.limits(decode_limits(false));
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| from_image_error(e, format))?;
    let (width, height) = decoder.dimensions();
    check_decode_size(width, height)?;
    decoder
        .set_limits(decode_limits(true))
        .map_err(|e| from_image_error(e, format))?;
    if decoder.total_bytes() > DECODE_MAX_ALLOC {
        return Err(ImageError::TooLargeToDecode { width, height });
    }
    // Broken EXIF must not make a good image unreadable: it just stays as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(|e| from_image_error(e, format))?;
    Ok((image, orientation))
}

pub(crate) fn decode_jpeg(bytes: &[u8]) -> Result<(DynamicImage, Orientation), ImageError> {
    #[cfg(test)]
    tests::STRICT_JPEG_DECODES.with(|n| n.set(n.get() + 1));
    let options = DecoderOptions::default()
        .set_strict_mode(false)
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX));
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options);
    decoder.decode_headers().map_err(from_jpeg_error)?;
    let (width, height) = decoder
        .dimensions()
        .ok_or_else(|| corrupt("JPEG header without a size"))?;
    let (width, height) = (dim_u32(width)?, dim_u32(height)?);
    check_decode_size(width, height)?;
    let info = decoder
        .info()
        .ok_or_else(|| corrupt("JPEG header without a frame"))?;
    check_jpeg_memory(width, height, info.components, info.sof.is_progressive())?;
    if !has_end_marker(bytes) {
        return Err(ImageError::Truncated {
            detail: "JPEG has no end-of-image marker".into(),
        });
    }
    let orientation = decoder
        .exif()
        .and_then(|exif| Orientation::from_exif_chunk(exif))
        .unwrap_or(Orientation::NoTransforms);
    let input = decoder
        .input_colorspace()
        .ok_or_else(|| corrupt("JPEG without a colour space"))?;
    let output = match input {
        ColorSpace::RGB | ColorSpace::RGBA | ColorSpace::Luma | ColorSpace::LumaA => input,
        _ => ColorSpace::RGB,
    };
    // Headers are parsed by now; strictness from here on applies to the entropy-coded scan.
    decoder.set_options(
        decoder
            .options()
            .set_strict_mode(true)
            .jpeg_set_out_colorspace(output),
    );
    let size = decoder
        .output_buffer_size()
        .ok_or_else(|| corrupt("JPEG header without a size"))?;
    let mut pixels = super::pixels::take(size);
    decoder.decode_into(&mut pixels).map_err(from_jpeg_error)?;
    let built = match output {
        ColorSpace::RGBA => {
            image::RgbaImage::from_raw(width, height, pixels).map(DynamicImage::from)
        }
        ColorSpace::Luma => {
            image::GrayImage::from_raw(width, height, pixels).map(DynamicImage::from)
        }
        ColorSpace::LumaA => {
            image::GrayAlphaImage::from_raw(width, height, pixels).map(DynamicImage::from)
        }
        _ => image::RgbImage::from_raw(width, height, pixels).map(DynamicImage::from),
    };
    let image = built.ok_or_else(|| corrupt("decoded JPEG size does not match its header"))?;
    Ok((image, orientation))
}

fn dim_u32(side: usize) -> Result<u32, ImageError> {
    u32::try_from(side).map_err(|_| corrupt("JPEG size out of range"))
}

/// A JPEG cut short loses its EOI marker (FF D9) after the scan data. Anything after a found EOI
/// (camera trailers, MPF previews) is allowed.
fn has_end_marker(bytes: &[u8]) -> bool {
    let scan_start = bytes
        .windows(2)
        .position(|w| w == [0xFF, 0xDA])
        .unwrap_or(0);
    // Looked for from the end, where it is in nearly every file, instead of through megabytes of scan.
    bytes[scan_start..]
        .windows(2)
        .rev()
        .any(|w| w == [0xFF, 0xD9])
}

fn corrupt(detail: &str) -> ImageError {
    ImageError::Corrupt {
        detail: detail.to_string(),
    }
}

fn from_jpeg_error(error: DecodeErrors) -> ImageError {
    let detail = error.to_string();
    let ran_out = matches!(
        error,
        DecodeErrors::ExhaustedData | DecodeErrors::IoErrors(_)
    ) || says_truncated(&detail);
    match error {
        DecodeErrors::LargeDimensions(_) => ImageError::TooLargeToDecode {
            width: 0,
            height: 0,
        },
        DecodeErrors::Unsupported(_) => ImageError::UnsupportedFormat {
            format: "This kind of JPEG".into(),
        },
        _ if ran_out => ImageError::Truncated { detail },
        _ => ImageError::Corrupt { detail },
    }
}

/// Decoders report running out of data in words rather than error kinds; these are the phrasings
/// of the decoders `image` uses (png, gif, tiff, image-webp, bmp, zune-jpeg).
fn says_truncated(detail: &str) -> bool {
    let detail = detail.to_ascii_lowercase();
    [
        "eof",
        "end of file",
        "unexpected end",
        "premature end",
        "no more data",
        "not enough data",
        "truncated",
        "incomplete",
        "exhausted",
        "fill whole buffer",
    ]
    .iter()
    .any(|phrase| detail.contains(phrase))
}

fn has_eof_source(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    // Error chains are short; the bound guards against a cyclic `source()`.
    for _ in 0..16 {
        let Some(e) = current else { return false };
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::UnexpectedEof {
                return true;
            }
        }
        current = e.source();
    }
    false
}

pub(crate) fn from_image_error(error: image::ImageError, format: ImageFormat) -> ImageError {
    use image::ImageError as E;
    let detail = error.to_string();
    match &error {
        E::Limits(_) => ImageError::TooLargeToDecode {
            width: 0,
            height: 0,
        },
        E::Unsupported(_) => ImageError::UnsupportedFormat {
            format: format!(
                "This kind of {}",
                super::sniff::accepted_name(format).unwrap_or("image")
            ),
        },
        E::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            ImageError::Truncated { detail }
        }
        _ if has_eof_source(&error) || says_truncated(&detail) => ImageError::Truncated { detail },
        _ => ImageError::Corrupt { detail },
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    thread_local! {
        /// Strict full JPEG decodes run on this thread (a check decodes on its caller's thread).
        pub(crate) static STRICT_JPEG_DECODES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    #[test]
    fn decode_size_cap() {
        assert!(check_decode_size(30_000, 3_000).is_ok());
        assert!(check_decode_size(10_000, 10_000).is_ok());
        assert!(matches!(
            check_decode_size(30_001, 10),
            Err(ImageError::TooLargeToDecode { .. })
        ));
        assert!(matches!(
            check_decode_size(10, 30_001),
            Err(ImageError::TooLargeToDecode { .. })
        ));
        assert!(matches!(
            check_decode_size(10_001, 10_000),
            Err(ImageError::TooLargeToDecode { .. })
        ));
    }

    #[test]
    fn end_marker_must_follow_the_scan() {
        assert!(has_end_marker(&[0xFF, 0xD8, 0xFF, 0xDA, 1, 2, 0xFF, 0xD9]));
        assert!(has_end_marker(&[
            0xFF, 0xD8, 0xFF, 0xDA, 1, 2, 0xFF, 0xD9, 0, 0, 9
        ]));
        assert!(!has_end_marker(&[0xFF, 0xD8, 0xFF, 0xD9, 0xFF, 0xDA, 1, 2]));
    }

    #[test]
    fn truncation_phrases() {
        assert!(says_truncated("Unexpected EOF"));
        assert!(says_truncated("premature end of buffer"));
        assert!(!says_truncated("invalid checksum"));
    }
}
