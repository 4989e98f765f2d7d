//! The preview the UI shows: the webview never reads the original file (CSP allows `data:` images).

use base64::Engine;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageEncoder};

use super::ImageError;

/// Good enough for a 512 px preview and keeps the data URL around 30–60 kB.
const THUMBNAIL_JPEG_QUALITY: u8 = 82;

pub(crate) fn data_url(image: &DynamicImage, max_side: u32) -> Result<String, ImageError> {
    let max_side = max_side.max(1);
    let small;
    let source = if image.width().max(image.height()) > max_side {
        small = super::reduce::thumbnail(image, max_side);
        &small
    } else {
        image
    };
    let mut bytes = Vec::new();
    let mime = if source.has_alpha() {
        let rgba = source.to_rgba8();
        PngEncoder::new(&mut bytes)
            .write_image(
                rgba.as_raw(),
                rgba.width(),
                rgba.height(),
                image::ExtendedColorType::Rgba8,
            )
            .map_err(encode_failed)?;
        "image/png"
    } else {
        let rgb = source.to_rgb8();
        JpegEncoder::new_with_quality(&mut bytes, THUMBNAIL_JPEG_QUALITY)
            .encode_image(&rgb)
            .map_err(encode_failed)?;
        "image/jpeg"
    };
    let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
    Ok(format!("data:{mime};base64,{encoded}"))
}

pub(crate) fn encode_failed(error: image::ImageError) -> ImageError {
    ImageError::Corrupt {
        detail: format!("could not encode: {error}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn decode_data_url(url: &str) -> DynamicImage {
        let (_, b64) = url.split_once(";base64,").unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        image::load_from_memory(&bytes).unwrap()
    }

    #[test]
    fn large_images_shrink_to_the_long_side() {
        let image = DynamicImage::new_rgb8(2000, 1000);
        let url = data_url(&image, 512).unwrap();
        assert!(url.starts_with("data:image/jpeg;base64,"));
        let thumb = decode_data_url(&url);
        assert_eq!((thumb.width(), thumb.height()), (512, 256));
    }

    #[test]
    fn small_and_transparent_images_stay_small_png() {
        let image = DynamicImage::new_rgba8(100, 300);
        let url = data_url(&image, 512).unwrap();
        assert!(url.starts_with("data:image/png;base64,"));
        let thumb = decode_data_url(&url);
        assert_eq!((thumb.width(), thumb.height()), (100, 300));
    }
}
