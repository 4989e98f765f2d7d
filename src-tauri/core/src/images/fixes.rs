//! One-click fixes. Each writes a NEW file next to nothing it could clobber (`create_new`, numbered
//! if the name is taken) and never touches the original. Outputs are upright pixels without EXIF,
//! so no orientation tag can rotate them a second time.
//!
//! Output format: JPEG (quality 92) for opaque images; PNG when the image has transparency, so a
//! geometric fix does not silently change how it looks. `reencode_under` is the exception: its job is
//! to get small, so it flattens transparency onto white and always writes JPEG (the video frame is
//! opaque anyway).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageEncoder, RgbImage};

use super::geometry::{crop_window, ratio_label};
use super::thumbnail::encode_failed;
use super::{load_upright, ImageError, MAX_FILE_BYTES, MAX_RATIO, MAX_SIDE, MIN_RATIO, MIN_SIDE};

const OUTPUT_JPEG_QUALITY: u8 = 92;
/// Qualities tried in turn by `reencode_under` before it starts shrinking the image.
const REENCODE_QUALITIES: [u8; 5] = [92, 85, 78, 70, 60];
/// Each shrink step keeps 85 % of each side; 12 steps reach ~14 %, enough for any sane target.
const REENCODE_SHRINK_STEP: f64 = 0.85;
const REENCODE_SHRINK_STEPS: u32 = 12;
const REENCODE_SHRINK_QUALITY: u8 = 80;

/// Scales the image down so its long side is at most `max_side` (Lanczos3). An image that already
/// fits is written upright at its size. `max_side` arrives from the webview, so it is held to the model's
/// limits ([`MIN_SIDE`]..=[`MAX_SIDE`]): a fix never makes a frame the model would refuse.
pub fn downscale_to_fit(path: &Path, out_dir: &Path, max_side: u32) -> Result<PathBuf, ImageError> {
    let max_side = max_side.clamp(MIN_SIDE, MAX_SIDE);
    let image = load_upright(path)?;
    let long = image.width().max(image.height());
    let image = if long > max_side {
        let scale = f64::from(max_side) / f64::from(long);
        let (w, h) = scaled(image.width(), image.height(), scale, f64::round);
        image.resize_exact(w, h, FilterType::Lanczos3)
    } else {
        image
    };
    write_new(out_dir, path, &format!("fixed-{max_side}"), &image)
}

/// Enlarges the image so its short side is at least `min_side` (CatmullRom).
///
/// `min_side` arrives from the webview: it is held to 1..=[`MIN_SIDE`] (enlarging is only ever a fix for a
/// frame below the model's minimum), and the long side never grows past [`MAX_SIDE`], so the output is at
/// most 6000 × 6000 whatever is asked (an unbounded request once asked for a 40 GB buffer and aborted).
pub fn upscale_to_min(path: &Path, out_dir: &Path, min_side: u32) -> Result<PathBuf, ImageError> {
    let min_side = min_side.clamp(1, MIN_SIDE);
    let image = load_upright(path)?;
    let short = image.width().min(image.height());
    let long = image.width().max(image.height());
    let image = if short < min_side && long < MAX_SIDE {
        let scale = (f64::from(min_side) / f64::from(short.max(1)))
            .min(f64::from(MAX_SIDE) / f64::from(long.max(1)));
        // Ceil so rounding never leaves the short side at min_side − 1.
        let (w, h) = scaled(image.width(), image.height(), scale, f64::ceil);
        image.resize_exact(w, h, FilterType::CatmullRom)
    } else {
        image
    };
    write_new(out_dir, path, &format!("upscale-{min_side}"), &image)
}

/// Crops to `target_ratio` (width / height); `offset` places the window as in [`crop_window`].
pub fn crop_to_ratio(
    path: &Path,
    out_dir: &Path,
    target_ratio: f64,
    offset: f64,
) -> Result<PathBuf, ImageError> {
    if !target_ratio.is_finite() || target_ratio <= 0.0 {
        return Err(ImageError::InvalidRatio(target_ratio));
    }
    // From the webview: a crop the model would refuse is no fix.
    let target_ratio = target_ratio.clamp(MIN_RATIO, MAX_RATIO);
    let image = load_upright(path)?;
    let (x, y, w, h) = crop_window(image.width(), image.height(), target_ratio, offset);
    let cropped = image.crop_imm(x, y, w, h);
    let label = ratio_label(target_ratio).replace(':', "x");
    write_new(out_dir, path, &format!("crop-{label}"), &cropped)
}

/// Writes a JPEG smaller than `max_bytes`: first lowering quality 92 → 60, then shrinking the image
/// in bounded steps. `max_bytes` is held to 1..=[`MAX_FILE_BYTES`] (the model's file limit).
pub fn reencode_under(path: &Path, out_dir: &Path, max_bytes: u64) -> Result<PathBuf, ImageError> {
    let max_bytes = max_bytes.clamp(1, MAX_FILE_BYTES);
    let image = load_upright(path)?;
    let rgb = flatten_onto_white(&image);
    drop(image);
    for quality in REENCODE_QUALITIES {
        let bytes = encode_jpeg(&rgb, quality)?;
        if (bytes.len() as u64) < max_bytes {
            return write_bytes_new(out_dir, path, "reencoded", "jpg", &bytes);
        }
    }
    let mut scale = 1.0;
    for _ in 0..REENCODE_SHRINK_STEPS {
        scale *= REENCODE_SHRINK_STEP;
        let (w, h) = scaled(rgb.width(), rgb.height(), scale, f64::round);
        let smaller = image::imageops::resize(&rgb, w, h, FilterType::CatmullRom);
        let bytes = encode_jpeg(&smaller, REENCODE_SHRINK_QUALITY)?;
        if (bytes.len() as u64) < max_bytes {
            return write_bytes_new(out_dir, path, "reencoded", "jpg", &bytes);
        }
    }
    Err(ImageError::CannotShrink { max_bytes })
}

fn scaled(width: u32, height: u32, scale: f64, round: fn(f64) -> f64) -> (u32, u32) {
    let side = |s: u32| (round(f64::from(s) * scale) as u32).max(1);
    (side(width), side(height))
}

fn flatten_onto_white(image: &DynamicImage) -> RgbImage {
    if !image.has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over =
            |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a)) + 127) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

fn encode_jpeg(rgb: &RgbImage, quality: u8) -> Result<Vec<u8>, ImageError> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, quality)
        .encode_image(rgb)
        .map_err(encode_failed)?;
    Ok(bytes)
}

fn write_new(
    out_dir: &Path,
    original: &Path,
    tag: &str,
    image: &DynamicImage,
) -> Result<PathBuf, ImageError> {
    if image.has_alpha() {
        let rgba = image.to_rgba8();
        let mut bytes = Vec::new();
        PngEncoder::new(&mut bytes)
            .write_image(
                rgba.as_raw(),
                rgba.width(),
                rgba.height(),
                image::ExtendedColorType::Rgba8,
            )
            .map_err(encode_failed)?;
        write_bytes_new(out_dir, original, tag, "png", &bytes)
    } else {
        let bytes = encode_jpeg(&image.to_rgb8(), OUTPUT_JPEG_QUALITY)?;
        write_bytes_new(out_dir, original, tag, "jpg", &bytes)
    }
}

/// `photo.jpg` + `fixed-6000` → `photo.fixed-6000.jpg`, then `photo.fixed-6000-2.jpg`, … if taken.
fn write_bytes_new(
    out_dir: &Path,
    original: &Path,
    tag: &str,
    ext: &str,
    bytes: &[u8],
) -> Result<PathBuf, ImageError> {
    let write_failed = |path: &Path, source| ImageError::WriteFailed {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(out_dir).map_err(|e| write_failed(out_dir, e))?;
    let stem = original
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "frame".to_string());
    const MAX_ATTEMPTS: u32 = 1000;
    for n in 1..=MAX_ATTEMPTS {
        let name = if n == 1 {
            format!("{stem}.{tag}.{ext}")
        } else {
            format!("{stem}.{tag}-{n}.{ext}")
        };
        let target = out_dir.join(name);
        let mut file = match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
        {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(write_failed(&target, e)),
        };
        if let Err(e) = file.write_all(bytes).and_then(|()| file.sync_all()) {
            drop(file);
            // A half-written copy must not be mistaken for a good one later.
            let _ = std::fs::remove_file(&target);
            return Err(write_failed(&target, e));
        }
        return Ok(target);
    }
    let target = out_dir.join(format!("{stem}.{tag}.{ext}"));
    Err(write_failed(
        &target,
        std::io::Error::from(std::io::ErrorKind::AlreadyExists),
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn names_derive_from_the_original_and_never_collide() {
        let dir = tempfile::tempdir().unwrap();
        let original = Path::new("/somewhere/photo.jpeg");
        let a = write_bytes_new(dir.path(), original, "fixed-6000", "jpg", b"a").unwrap();
        let b = write_bytes_new(dir.path(), original, "fixed-6000", "jpg", b"b").unwrap();
        assert_eq!(a.file_name().unwrap(), "photo.fixed-6000.jpg");
        assert_eq!(b.file_name().unwrap(), "photo.fixed-6000-2.jpg");
        assert_eq!(std::fs::read(&a).unwrap(), b"a");
        assert_eq!(std::fs::read(&b).unwrap(), b"b");
    }

    #[test]
    fn flattening_puts_transparency_on_white() {
        let mut rgba = image::RgbaImage::new(2, 1);
        rgba.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
        rgba.put_pixel(1, 0, image::Rgba([10, 20, 30, 255]));
        let flat = flatten_onto_white(&DynamicImage::from(rgba));
        assert_eq!(flat.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(flat.get_pixel(1, 0).0, [10, 20, 30]);
    }
}
