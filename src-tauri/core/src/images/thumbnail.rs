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
        encode_jpeg(source, &mut bytes)?;
        "image/jpeg"
    };
    let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
    Ok(format!("data:{mime};base64,{encoded}"))
}

/// `image` as a JPEG of [`THUMBNAIL_JPEG_QUALITY`] (4:2:0, as Pillow and libjpeg write it at this quality)
/// by `jpeg-encoder`; `image`'s own encoder for a picture wider or taller than that one takes.
fn encode_jpeg(image: &DynamicImage, bytes: &mut Vec<u8>) -> Result<(), ImageError> {
    let (Ok(width), Ok(height)) = (u16::try_from(image.width()), u16::try_from(image.height()))
    else {
        let rgb = image.to_rgb8();
        return JpegEncoder::new_with_quality(bytes, THUMBNAIL_JPEG_QUALITY)
            .encode_image(&rgb)
            .map_err(encode_failed);
    };
    let encoder = jpeg_encoder::Encoder::new(bytes, THUMBNAIL_JPEG_QUALITY);
    let written = match image {
        DynamicImage::ImageLuma8(gray) => {
            encoder.encode(gray.as_raw(), width, height, jpeg_encoder::ColorType::Luma)
        }
        DynamicImage::ImageRgb8(rgb) => {
            encoder.encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        }
        other => {
            let rgb = other.to_rgb8();
            encoder.encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        }
    };
    written.map_err(|error| ImageError::Corrupt {
        detail: format!("could not encode: {error}"),
    })
}

/// A preview of at most `max_side` made from `kept`, a [`super::THUMBNAIL_MAX_SIDE`] preview of the same
/// picture (the one a check remembered): `kept` itself when it is no larger, else the smaller one made
/// from it. `None` when a larger one is asked for, or `kept` cannot be read back: the frame is then
/// decoded again.
pub(crate) fn smaller(kept: &str, max_side: u32) -> Option<String> {
    if max_side > super::THUMBNAIL_MAX_SIDE {
        return None;
    }
    let image = from_data_url(kept)?;
    if image.width().max(image.height()) <= max_side.max(1) {
        return Some(kept.to_owned());
    }
    data_url(&image, max_side).ok()
}

/// The picture of a preview made by [`data_url`].
fn from_data_url(url: &str) -> Option<DynamicImage> {
    let (_, b64) = url.strip_prefix("data:")?.split_once(";base64,")?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    image::load_from_memory(&bytes).ok()
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

    /// A smaller preview made from the kept one has the size (and kind) a preview made from the picture
    /// would have; the kept one serves as is when no smaller one is needed.
    #[test]
    fn smaller_previews_come_from_the_kept_one() {
        let kept = data_url(&DynamicImage::new_rgb8(2000, 1000), 512).unwrap();
        let small = smaller(&kept, 96).unwrap();
        assert!(small.starts_with("data:image/jpeg;base64,"));
        let thumb = decode_data_url(&small);
        assert_eq!((thumb.width(), thumb.height()), (96, 48));
        assert_eq!(smaller(&kept, 512).as_deref(), Some(kept.as_str()));
        assert_eq!(smaller(&kept, 1024), None);
        assert_eq!(smaller("data:image/jpeg;base64,AAAA", 96), None);

        let clear = data_url(&DynamicImage::new_rgba8(300, 600), 512).unwrap();
        let small = smaller(&clear, 16).unwrap();
        assert!(small.starts_with("data:image/png;base64,"));
        let thumb = decode_data_url(&small);
        assert_eq!((thumb.width(), thumb.height()), (8, 16));
    }

    /// The preview's JPEG shows the picture (grey and colour, sides of any length within a preview),
    /// not only something of the right size.
    #[test]
    fn jpeg_previews_keep_the_picture() {
        let rgb = image::RgbImage::from_fn(509, 333, |x, y| {
            let edge = if (x / 40 + y / 40) % 2 == 0 { 60 } else { 0 };
            image::Rgb([(x / 2) as u8, (y * 3 / 4) as u8, (150 + edge) as u8])
        });
        for image in [
            DynamicImage::ImageRgb8(rgb.clone()),
            DynamicImage::ImageLuma8(DynamicImage::ImageRgb8(rgb).to_luma8()),
        ] {
            let thumb = decode_data_url(&data_url(&image, 512).unwrap());
            assert_eq!((thumb.width(), thumb.height()), (509, 333));
            let expected = image.to_rgb8();
            let got = thumb.to_rgb8();
            let total: u64 = expected
                .as_raw()
                .iter()
                .zip(got.as_raw())
                .map(|(&a, &b)| u64::from(a.abs_diff(b)))
                .sum();
            let mean = total as f64 / expected.as_raw().len() as f64;
            assert!(mean < 3.0, "{:?}: mean abs diff {mean:.2}", image.color());
        }
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
