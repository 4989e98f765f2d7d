//! A fast, strict path for JPEG previews: every Huffman code of the file is decoded and checked,
//! but only the DC coefficient of each 8×8 block is kept, which is the 1/8-scale image that
//! libjpeg's DCT scaling (and Pillow's `draft`) produces. A 512 px preview needs no more.
//!
//! It handles sequential baseline JPEGs with one scan, the layout of nearly every camera and phone
//! photo. Everything else, and every file it cannot decode cleanly, goes to the general decoder,
//! which has the final say on damaged files: this path can only make a good file faster, never let
//! a bad one through that the general decoder would refuse (fuzzed against it: `fuzz/`, and
//! `images::scaled_check_tests`). The check before upload reads big baseline JPEGs this way too.

mod huffman;
mod markers;
mod scan;

use image::metadata::Orientation;
use image::{DynamicImage, GrayImage, RgbImage};

/// A JPEG decoded at 1/8 scale, as stored (orientation not yet applied).
pub(crate) struct DcPreview {
    pub image: DynamicImage,
    /// The full size the header declares.
    pub width: u32,
    pub height: u32,
    pub orientation: Orientation,
}

/// `None` when the file is not a layout this path handles, did not decode cleanly, or is too small
/// for a 1/8-scale image with a long side of `min_long_side`. `check_size` runs on the header's
/// size before anything is allocated for the pixels.
pub(crate) fn decode<E>(
    bytes: &[u8],
    min_long_side: usize,
    check_size: impl FnOnce(u32, u32) -> Result<(), E>,
) -> Result<Option<DcPreview>, E> {
    let Some(frame) = markers::parse(bytes) else {
        return Ok(None);
    };
    let (Ok(width), Ok(height)) = (u32::try_from(frame.width), u32::try_from(frame.height)) else {
        return Ok(None);
    };
    check_size(width, height)?;
    if frame.width.max(frame.height).div_ceil(8) < min_long_side {
        return Ok(None);
    }
    let planes = match scan::decode(bytes, &frame) {
        Ok(planes) => planes,
        Err(why) => {
            tracing::debug!(?why, "JPEG preview: handing over to the full decoder");
            return Ok(None);
        }
    };
    let Some(image) = to_image(&frame, &planes) else {
        return Ok(None);
    };
    let orientation = frame
        .exif
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    Ok(Some(DcPreview {
        image,
        width,
        height,
        orientation,
    }))
}

/// Planes to pixels: luma as is, or JFIF YCbCr to RGB. The planes cover whole MCUs; the image
/// is the part the frame's size covers.
fn to_image(frame: &markers::Frame<'_>, planes: &[scan::Plane]) -> Option<DynamicImage> {
    let out_w = frame.width.div_ceil(8);
    let out_h = frame.height.div_ceil(8);
    let (w32, h32) = (u32::try_from(out_w).ok()?, u32::try_from(out_h).ok()?);
    fn rows(plane: &scan::Plane, out_w: usize, out_h: usize) -> impl Iterator<Item = &[u8]> {
        plane
            .samples
            .chunks_exact(plane.width)
            .take(out_h)
            .map(move |row| &row[..out_w])
    }
    if let [luma] = planes {
        let samples: Vec<u8> = rows(luma, out_w, out_h).flatten().copied().collect();
        return GrayImage::from_raw(w32, h32, samples).map(DynamicImage::from);
    }
    let [y, cb, cr] = planes else { return None };
    let mut rgb = Vec::with_capacity(out_w * out_h * 3);
    for ((y_row, cb_row), cr_row) in rows(y, out_w, out_h)
        .zip(rows(cb, out_w, out_h))
        .zip(rows(cr, out_w, out_h))
    {
        for ((&luma, &b), &r) in y_row.iter().zip(cb_row).zip(cr_row) {
            // JFIF's conversion in 16-bit fixed point (1.402, 0.344136, 0.714136, 1.772).
            let luma = i32::from(luma);
            let (b, r) = (i32::from(b) - 128, i32::from(r) - 128);
            rgb.push(clamp_u8(luma + ((91_881 * r + 32_768) >> 16)));
            rgb.push(clamp_u8(luma + ((32_768 - 22_554 * b - 46_802 * r) >> 16)));
            rgb.push(clamp_u8(luma + ((116_130 * b + 32_768) >> 16)));
        }
    }
    RgbImage::from_raw(w32, h32, rgb).map(DynamicImage::from)
}

fn clamp_u8(value: i32) -> u8 {
    value.clamp(0, 255) as u8
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use image::GenericImageView;

    macro_rules! fixture {
        ($name:literal) => {
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/jpeg/",
                $name
            ))
            .as_slice()
        };
    }

    fn preview(bytes: &[u8]) -> Option<DcPreview> {
        decode(bytes, 1, |_, _| Ok::<(), ()>(())).unwrap()
    }

    /// Mean absolute difference between the preview and the full decode averaged over 8×8 blocks
    /// (what a DC coefficient is), over all channels.
    fn distance_from_block_means(bytes: &[u8], preview: &DynamicImage) -> f64 {
        let full = image::load_from_memory(bytes).unwrap().to_rgb8();
        let small = preview.to_rgb8();
        let (mut total, mut count) = (0.0, 0.0);
        for (x, y, pixel) in small.enumerate_pixels() {
            let mut sum = [0.0f64; 3];
            let mut n = 0.0;
            for fy in y * 8..((y + 1) * 8).min(full.height()) {
                for fx in x * 8..((x + 1) * 8).min(full.width()) {
                    let p = full.get_pixel(fx, fy);
                    for c in 0..3 {
                        sum[c] += f64::from(p[c]);
                    }
                    n += 1.0;
                }
            }
            for c in 0..3 {
                total += (sum[c] / n - f64::from(pixel[c])).abs();
                count += 1.0;
            }
        }
        total / count
    }

    #[test]
    fn baseline_layouts_decode_to_their_block_means() {
        // Measured: 0.3 to 1.1 levels (of 255) on average; libjpeg's own 1/8 scale gives 0.4 to 5.3.
        for (name, bytes) in [
            ("4:4:4", fixture!("baseline-444.jpg")),
            ("4:2:2", fixture!("baseline-422.jpg")),
            ("4:2:0", fixture!("baseline-420.jpg")),
            ("grey", fixture!("baseline-gray.jpg")),
            ("restarts", fixture!("restarts-420.jpg")),
        ] {
            let preview = preview(bytes).unwrap_or_else(|| panic!("{name}: fell back"));
            assert_eq!((preview.width, preview.height), (333, 250), "{name}");
            assert_eq!(preview.image.dimensions(), (42, 32), "{name}");
            let distance = distance_from_block_means(bytes, &preview.image);
            assert!(distance < 2.0, "{name}: {distance}");
        }
    }

    #[test]
    fn orientation_comes_from_exif() {
        let rotated = preview(fixture!("orientation-6.jpg")).unwrap();
        assert_eq!(rotated.orientation, Orientation::Rotate90);
        assert_eq!(
            preview(fixture!("baseline-420.jpg")).unwrap().orientation,
            Orientation::NoTransforms
        );
    }

    #[test]
    fn other_layouts_go_to_the_full_decoder() {
        assert!(preview(fixture!("progressive-420.jpg")).is_none());
        assert!(preview(b"\xFF\xD8\xFF\xD9").is_none());
        assert!(preview(b"not a jpeg").is_none());
    }

    #[test]
    fn damaged_scans_are_never_accepted() {
        let good = fixture!("restarts-420.jpg");
        // Cut anywhere in the scan, with or without an end marker put back.
        for keep in [good.len() / 2, good.len() * 9 / 10, good.len() - 3] {
            assert!(preview(&good[..keep]).is_none(), "cut at {keep}");
            let mut patched = good[..keep].to_vec();
            patched.extend_from_slice(&[0xFF, 0xD9]);
            assert!(preview(&patched).is_none(), "cut at {keep}, EOI added");
        }
        // Garbage markers in the middle of the scan.
        let mut marked = good.to_vec();
        let mid = marked.len() / 2;
        for i in (mid..mid + 64).step_by(2) {
            marked[i] = 0xFF;
            marked[i + 1] = 0xC4;
        }
        assert!(preview(&marked).is_none());
        // Restart markers out of sequence.
        let mut restarts = good.to_vec();
        let first = restarts
            .windows(2)
            .position(|w| w[0] == 0xFF && (0xD0..=0xD7).contains(&w[1]))
            .unwrap();
        restarts[first + 1] = 0xD5;
        assert!(preview(&restarts).is_none());
        // Extra data after the last block.
        let mut trailing = good[..good.len() - 2].to_vec();
        trailing.extend_from_slice(&[0x12, 0x34, 0xFF, 0xD9]);
        assert!(preview(&trailing).is_none());
    }

    /// Offset of the first `FF marker` segment's body (after its length).
    fn segment(bytes: &[u8], marker: u8) -> usize {
        bytes.windows(2).position(|w| w == [0xFF, marker]).unwrap() + 4
    }

    #[test]
    fn files_the_full_decoder_reads_differently_go_to_it() {
        let good = fixture!("baseline-444.jpg");
        assert!(preview(good).is_some());
        // Components named R, G, B are RGB, not YCbCr.
        let mut rgb = good.to_vec();
        let (sof, sos) = (segment(&rgb, 0xC0), segment(&rgb, 0xDA));
        for (i, id) in b"RGB".iter().enumerate() {
            rgb[sof + 6 + 3 * i] = *id;
            rgb[sos + 1 + 2 * i] = *id;
        }
        assert!(preview(&rgb).is_none());
        // A sampling factor of 3.
        let mut three = good.to_vec();
        three[sof + 7] = 0x31;
        assert!(preview(&three).is_none());
        // FF 00 among the header segments.
        let mut stuffed = good[..2].to_vec();
        stuffed.extend_from_slice(&[0xFF, 0x00]);
        stuffed.extend_from_slice(&good[2..]);
        assert!(preview(&stuffed).is_none());
    }

    /// `bytes` with one more symbol in the first DC table: `value`, under a 16-bit code no block uses.
    fn with_extra_dc_symbol(bytes: &[u8], value: u8) -> Vec<u8> {
        let at = bytes.windows(2).position(|w| w == [0xFF, 0xC4]).unwrap();
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let body = &bytes[at + 4..at + 2 + len];
        // Walk the tables of this segment to the first DC one.
        let mut pos = 0;
        loop {
            let counts = &body[pos + 1..pos + 17];
            let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
            if body[pos] >> 4 == 0 {
                let mut out = bytes[..at].to_vec();
                out.extend_from_slice(&[0xFF, 0xC4]);
                out.extend_from_slice(&u16::try_from(len + 1).unwrap().to_be_bytes());
                out.extend_from_slice(&body[..pos + 16]);
                out.push(body[pos + 16] + 1);
                out.extend_from_slice(&body[pos + 17..pos + 17 + total]);
                out.push(value);
                out.extend_from_slice(&body[pos + 17 + total..]);
                out.extend_from_slice(&bytes[at + 2 + len..]);
                return out;
            }
            pos += 17 + total;
        }
    }

    /// A preview must not say "fine" about a file the full decoder will refuse at submit.
    #[test]
    fn tables_the_full_decoder_refuses_go_to_it() {
        let good = fixture!("baseline-gray.jpg");
        let strict_ok = |bytes: &[u8]| {
            zune_jpeg::JpegDecoder::new(std::io::Cursor::new(bytes))
                .decode()
                .is_ok()
        };
        let harmless = with_extra_dc_symbol(good, 11);
        assert!(strict_ok(&harmless) && preview(&harmless).is_some());
        let refused = with_extra_dc_symbol(good, 16);
        assert!(!strict_ok(&refused));
        assert!(preview(&refused).is_none());
    }

    /// Found by fuzzing: after a stand-alone marker among the headers the general decoder found another
    /// frame header (with no components) and refused the file, while the preview passed it.
    #[test]
    fn stand_alone_markers_among_the_headers_go_to_the_full_decoder() {
        let good = fixture!("baseline-gray.jpg");
        assert!(preview(good).is_some());
        for marker in [0x01, 0xD0, 0xD7, 0xD8] {
            let mut bytes = good[..2].to_vec();
            bytes.extend([0xFF, marker]);
            bytes.extend(&good[2..]);
            assert!(preview(&bytes).is_none(), "FF {marker:02X}");
        }
        let found = include_bytes!(
            "../../../../../fuzz/regressions/jpeg_preview/tem-marker-in-headers.jpg"
        );
        assert!(preview(found).is_none());
    }

    #[test]
    fn the_size_check_runs_before_the_scan() {
        let refused = decode(fixture!("baseline-420.jpg"), 1, |w, h| Err((w, h)));
        assert_eq!(refused.err(), Some((333, 250)));
        // 333 px / 8 = 42 px: too small for a 43 px preview.
        let fine = |_, _| Ok::<(), ()>(());
        assert!(decode(fixture!("baseline-420.jpg"), 42, fine)
            .unwrap()
            .is_some());
        assert!(decode(fixture!("baseline-420.jpg"), 43, fine)
            .unwrap()
            .is_none());
    }
}
