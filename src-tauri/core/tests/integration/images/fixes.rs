//! Fixes write a conforming new file and leave the original byte-for-byte alone.

use std::path::{Path, PathBuf};

use crate::support::images::*;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use seedance_core::images::{
    aspect_mismatch, crop_to_ratio, downscale_to_fit, intake, reencode_under, upscale_to_min,
    FrameInfo, ImageError, IntakeOptions, MAX_FILE_BYTES,
};

fn info(path: &Path) -> FrameInfo {
    intake(path, &IntakeOptions::default()).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// Runs a fix and checks the original is untouched and the output is a new, different file.
fn fixed(original: &Path, fix: impl FnOnce(&Path) -> Result<PathBuf, ImageError>) -> PathBuf {
    let before = std::fs::read(original).unwrap();
    let out = fix(original).unwrap();
    assert_ne!(out, original);
    assert_eq!(std::fs::read(original).unwrap(), before, "original changed");
    out
}

#[test]
fn downscale_fits_6000_and_keeps_orientation_upright() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("fixed");
    // Stored 6400×3200, tagged "rotate 90° clockwise": upright it is 3200×6400.
    let bytes = with_exif_orientation(&jpeg(&photo(6400, 3200), 80), 6);
    let original = write(dir.path(), "tall.jpg", &bytes);
    assert_eq!(
        (info(&original).width, info(&original).height),
        (3200, 6400)
    );

    let out = fixed(&original, |p| downscale_to_fit(p, &out_dir, 6000));
    assert_eq!(out.file_name().unwrap(), "tall.fixed-6000.jpg");
    let result = info(&out);
    assert_eq!((result.width, result.height), (3000, 6000));
    assert!(result.problems.is_empty(), "{:?}", result.problems);
    // The copy carries no orientation tag: reading it raw gives the same upright size.
    let raw = image::load_from_memory(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!((raw.width(), raw.height()), (3000, 6000));
}

#[test]
fn upscale_reaches_the_minimum_side() {
    let dir = tempfile::tempdir().unwrap();
    let original = write(
        dir.path(),
        "icon.png",
        &encode(&photo(250, 400), ImageFormat::Png),
    );
    let out = fixed(&original, |p| upscale_to_min(p, dir.path(), 300));
    assert_eq!(out.file_name().unwrap(), "icon.upscale-300.jpg");
    let result = info(&out);
    assert_eq!((result.width, result.height), (300, 480));
    assert!(result.problems.is_empty(), "{:?}", result.problems);
}

/// The sizes come from the webview: they are held to the model's limits, so no request can ask for
/// an absurd buffer (min_side 100000 once asked for 40 GB and aborted the app).
#[test]
fn fix_sizes_are_held_to_the_model_limits() {
    let dir = tempfile::tempdir().unwrap();
    let small = write(
        dir.path(),
        "small.png",
        &encode(&photo(10, 20), ImageFormat::Png),
    );
    let out = fixed(&small, |p| upscale_to_min(p, dir.path(), 100_000));
    assert_eq!(out.file_name().unwrap(), "small.upscale-300.jpg");
    assert_eq!((info(&out).width, info(&out).height), (300, 600));

    let thin = write(
        dir.path(),
        "thin.png",
        &encode(&photo(2, 400), ImageFormat::Png),
    );
    let out = fixed(&thin, |p| upscale_to_min(p, dir.path(), 300));
    let result = info(&out);
    assert!(result.height <= 6000, "{}x{}", result.width, result.height);

    let wide = write(
        dir.path(),
        "wide.png",
        &encode(&photo(800, 400), ImageFormat::Png),
    );
    let out = fixed(&wide, |p| downscale_to_fit(p, dir.path(), 10));
    assert_eq!((info(&out).width, info(&out).height), (300, 150));
    let out = fixed(&wide, |p| crop_to_ratio(p, dir.path(), 1000.0, 0.0));
    assert_eq!((info(&out).width, info(&out).height), (800, 320));
}

#[test]
fn crop_to_ratio_follows_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    // 1600×1200: top third red, middle green, bottom third blue.
    let bands = DynamicImage::from(RgbImage::from_fn(1600, 1200, |_, y| match y {
        0..400 => Rgb([255, 0, 0]),
        400..800 => Rgb([0, 255, 0]),
        _ => Rgb([0, 0, 255]),
    }));
    let original = write(dir.path(), "last.png", &encode(&bands, ImageFormat::Png));

    let top = fixed(&original, |p| {
        crop_to_ratio(p, dir.path(), 16.0 / 9.0, -1.0)
    });
    assert_eq!(top.file_name().unwrap(), "last.crop-16x9.jpg");
    let top_img = image::open(&top).unwrap().to_rgb8();
    assert_eq!(top_img.dimensions(), (1600, 900));
    assert!(
        top_img.get_pixel(800, 5).0[0] > 200,
        "top band should be red"
    );
    assert!(
        top_img.get_pixel(800, 895).0[2] > 200,
        "window reaches into blue"
    );

    let bottom = fixed(&original, |p| crop_to_ratio(p, dir.path(), 16.0 / 9.0, 1.0));
    assert_eq!(bottom.file_name().unwrap(), "last.crop-16x9-2.jpg");
    let bottom_img = image::open(&bottom).unwrap().to_rgb8();
    assert!(bottom_img.get_pixel(800, 5).0[0] > 200 && bottom_img.get_pixel(800, 5).0[1] < 60);
    assert!(
        bottom_img.get_pixel(800, 105).0[1] > 200,
        "green starts 300 px lower than the image top"
    );

    let err = crop_to_ratio(&original, dir.path(), 0.0, 0.0).unwrap_err();
    assert!(matches!(err, ImageError::InvalidRatio(_)));
}

#[test]
fn crop_fix_cures_a_too_wide_image() {
    let dir = tempfile::tempdir().unwrap();
    let original = write(dir.path(), "pano.jpg", &jpeg(&photo(3000, 1000), 85));
    let out = fixed(&original, |p| crop_to_ratio(p, dir.path(), 2.5, 0.0));
    let result = info(&out);
    assert_eq!((result.width, result.height), (2500, 1000));
    assert!(result.problems.is_empty(), "{:?}", result.problems);
}

#[test]
fn reencode_gets_under_the_byte_limit() {
    let dir = tempfile::tempdir().unwrap();
    let original = write(
        dir.path(),
        "noise.png",
        &encode(&noise(1200, 1200), ImageFormat::Png),
    );
    let limit = 150_000;
    let out = fixed(&original, |p| reencode_under(p, dir.path(), limit));
    assert_eq!(out.file_name().unwrap(), "noise.reencoded.jpg");
    let size = std::fs::metadata(&out).unwrap().len();
    assert!(size < limit, "{size} ≥ {limit}");
    let result = info(&out);
    assert_eq!(result.format, "JPEG");
    assert!(
        result.width >= 300 && result.width < 1200,
        "shrunk to fit: {}",
        result.width
    );
}

#[test]
fn reencode_fixes_a_30_mb_file_and_flattens_transparency() {
    let dir = tempfile::tempdir().unwrap();
    let bmp = encode(&photo(3200, 3200), ImageFormat::Bmp);
    let original = write(dir.path(), "scan.bmp", &bmp);
    assert!(!info(&original).problems.is_empty());
    let out = fixed(&original, |p| reencode_under(p, dir.path(), MAX_FILE_BYTES));
    let result = info(&out);
    assert_eq!((result.width, result.height), (3200, 3200));
    assert!(result.problems.is_empty(), "{:?}", result.problems);

    let mut clear = image::RgbaImage::new(400, 400);
    clear.put_pixel(0, 0, image::Rgba([0, 0, 0, 255]));
    let original = write(
        dir.path(),
        "clear.png",
        &encode(&DynamicImage::from(clear), ImageFormat::Png),
    );
    let out = fixed(&original, |p| reencode_under(p, dir.path(), MAX_FILE_BYTES));
    let flat = image::open(&out).unwrap().to_rgb8();
    assert!(
        flat.get_pixel(200, 200).0.iter().all(|&c| c > 245),
        "transparent became white"
    );
}

#[test]
fn transparent_images_stay_png_in_geometric_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let original = write(
        dir.path(),
        "logo.png",
        &encode(&DynamicImage::new_rgba8(250, 300), ImageFormat::Png),
    );
    let out = fixed(&original, |p| upscale_to_min(p, dir.path(), 300));
    assert_eq!(out.extension().unwrap(), "png");
    assert!(image::open(&out).unwrap().has_alpha());
}

#[test]
fn fixes_refuse_a_bad_source_and_an_unwritable_target() {
    let dir = tempfile::tempdir().unwrap();
    let text = write(dir.path(), "readme.jpg", b"not an image at all");
    assert!(matches!(
        downscale_to_fit(&text, dir.path(), 6000),
        Err(ImageError::NotAnImage(_))
    ));

    let good = write(dir.path(), "ok.jpg", &jpeg(&photo(400, 400), 85));
    let blocker = write(dir.path(), "blocker", b"a file where a folder should be");
    let err = upscale_to_min(&good, &blocker.join("out"), 300).unwrap_err();
    assert!(matches!(err, ImageError::WriteFailed { .. }), "{err:?}");
}

#[test]
fn mismatch_between_first_and_last_frame_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let wide = info(&write(dir.path(), "a.jpg", &jpeg(&photo(1920, 1080), 85)));
    let almost = info(&write(dir.path(), "b.jpg", &jpeg(&photo(1918, 1080), 85)));
    let square_ish = info(&write(dir.path(), "c.jpg", &jpeg(&photo(1600, 1200), 85)));

    assert!(aspect_mismatch(&wide, &almost).is_none());
    let mismatch = aspect_mismatch(&wide, &square_ish).unwrap();
    assert_eq!(mismatch.first_label, "16:9");
    assert_eq!(mismatch.last_label, "4:3");
    assert!((mismatch.suggested_crop_ratio - 16.0 / 9.0).abs() < 1e-9);
    assert!(mismatch
        .message
        .text("en")
        .contains("Crop the last frame to 16:9"));
    assert!(mismatch.message.text("zh-CN").contains("16:9"));

    // Cropping the last frame to the suggested ratio clears the warning.
    let cropped = crop_to_ratio(
        &square_ish.path,
        dir.path(),
        mismatch.suggested_crop_ratio,
        0.0,
    )
    .unwrap();
    assert!(aspect_mismatch(&wide, &info(&cropped)).is_none());
}
