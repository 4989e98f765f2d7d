//! Applies a [`FixKind`] that intake offered: one entry point for the UI's "Fix" button.

use std::path::{Path, PathBuf};

use super::{crop_to_ratio, downscale_to_fit, reencode_under, upscale_to_min, FixKind, ImageError};

/// Writes the fixed copy into `out_dir` and returns its path; the original is never touched.
pub fn apply_fix(path: &Path, fix: &FixKind, out_dir: &Path) -> Result<PathBuf, ImageError> {
    match *fix {
        FixKind::Downscale { max_side } => downscale_to_fit(path, out_dir, max_side),
        FixKind::Upscale { min_side } => upscale_to_min(path, out_dir, min_side),
        // The byte budget crosses IPC as a float; anything unusable falls back to the model's limit.
        FixKind::ReEncode { max_bytes } => {
            let budget = if max_bytes.is_finite() && max_bytes >= 1.0 {
                max_bytes as u64
            } else {
                super::MAX_FILE_BYTES
            };
            reencode_under(path, out_dir, budget)
        }
        FixKind::CropToRatio { ratio } => crop_to_ratio(path, out_dir, ratio, 0.0),
    }
}

/// The largest image a pasted or captured data URL may carry (decoded bytes).
pub const MAX_DATA_URL_BYTES: usize = 64 * 1024 * 1024;

/// Saves an image that exists only in the webview (a pasted clipboard image, a frame grabbed from a video) as
/// a file in `out_dir`, named by its content so the same image is stored once, and returns the path.
pub fn save_data_url(data_url: &str, out_dir: &Path) -> Result<PathBuf, ImageError> {
    use base64::Engine as _;
    use sha2::Digest as _;

    let not_image = || ImageError::NotAnImage(PathBuf::from("clipboard image"));
    let (header, payload) = data_url.split_once(',').ok_or_else(not_image)?;
    if !header.starts_with("data:image/") || !header.ends_with(";base64") {
        return Err(not_image());
    }
    if payload.len() / 4 * 3 > MAX_DATA_URL_BYTES {
        return Err(ImageError::FileTooLarge {
            bytes: (payload.len() / 4 * 3) as u64,
            cap: MAX_DATA_URL_BYTES as u64,
        });
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(payload.trim())
        .map_err(|_| not_image())?;
    let ext = match image::guess_format(&bytes).map_err(|_| not_image())? {
        image::ImageFormat::Png => "png",
        image::ImageFormat::Jpeg => "jpg",
        image::ImageFormat::WebP => "webp",
        image::ImageFormat::Gif => "gif",
        image::ImageFormat::Bmp => "bmp",
        image::ImageFormat::Tiff => "tiff",
        other => {
            return Err(ImageError::UnsupportedFormat {
                format: format!("{other:?}"),
            })
        }
    };
    let digest = hex::encode(sha2::Sha256::digest(&bytes));
    let path = out_dir.join(format!("image-{}.{ext}", &digest[..16]));
    let write_failed = |e: std::io::Error| ImageError::Io {
        path: path.clone(),
        source: e,
    };
    std::fs::create_dir_all(out_dir).map_err(write_failed)?;
    if !path.exists() {
        crate::durable::write_file(&path, &bytes).map_err(write_failed)?;
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use base64::Engine as _;

    fn png_data_url() -> String {
        let img = image::RgbImage::from_pixel(320, 320, image::Rgb([10, 120, 200]));
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap();
        format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }

    #[test]
    fn a_data_url_becomes_one_file_named_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let url = png_data_url();
        let a = save_data_url(&url, dir.path()).unwrap();
        let b = save_data_url(&url, dir.path()).unwrap();
        assert_eq!(a, b, "the same image is stored once");
        assert_eq!(a.extension().unwrap(), "png");
        let info = super::super::intake(&a, &super::super::IntakeOptions::default()).unwrap();
        assert_eq!((info.width, info.height), (320, 320));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn anything_but_a_base64_image_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for bad in [
            "hello",
            "data:text/plain;base64,aGVsbG8=",
            "data:image/png;base64,!!!",
            "data:image/png;base64,aGVsbG8=",
        ] {
            assert!(save_data_url(bad, dir.path()).is_err(), "{bad}");
        }
        assert_eq!(
            std::fs::read_dir(dir.path())
                .map(|d| d.count())
                .unwrap_or(0),
            0
        );
    }
}
