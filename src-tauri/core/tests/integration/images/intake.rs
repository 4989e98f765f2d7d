//! Intake of readable images: formats by content, orientation, facts, and limit problems.

use crate::support::images::*;
use base64::Engine;
use image::{DynamicImage, ImageFormat};
use seedance_core::images::{intake, FixKind, FrameInfo, FrameProblemKind, IntakeOptions};
use sha2::Digest;

/// The facts of a file, which a preview intake and a full one must agree on.
fn ok(path: &std::path::Path) -> FrameInfo {
    let accepted = |options: &IntakeOptions| {
        intake(path, options)
            .unwrap_or_else(|e| panic!("{} ({:?}): {e:?}", path.display(), options.depth))
    };
    let full = accepted(&IntakeOptions::default());
    let preview = accepted(&IntakeOptions::preview());
    assert_eq!(
        FrameInfo {
            thumbnail_data_url: String::new(),
            ..preview
        },
        FrameInfo {
            thumbnail_data_url: String::new(),
            ..full.clone()
        }
    );
    full
}

/// Mean absolute difference per channel of two same-size images.
fn distance(a: &DynamicImage, b: &DynamicImage) -> f64 {
    let (a, b) = (a.to_rgb8(), b.to_rgb8());
    assert_eq!(a.dimensions(), b.dimensions());
    let total: f64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| f64::from(x.abs_diff(*y)))
        .sum();
    total / a.as_raw().len() as f64
}

#[test]
fn large_jpeg_preview_matches_the_full_decode() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "big.jpg", &jpeg(&photo(4800, 3200), 90));
    let full = intake(&path, &IntakeOptions::default()).unwrap();
    let preview = intake(&path, &IntakeOptions::preview()).unwrap();
    assert_eq!((preview.width, preview.height), (4800, 3200));
    assert_eq!(preview.content_sha256, full.content_sha256);
    let (fast, slow) = (thumbnail(&preview), thumbnail(&full));
    assert_eq!((fast.width(), fast.height()), (512, 341));
    let d = distance(&fast, &slow);
    assert!(d < 4.0, "preview differs from the full decode by {d}");
}

fn problem_kinds(info: &FrameInfo) -> Vec<FrameProblemKind> {
    info.problems.iter().map(|p| p.kind).collect()
}

fn thumbnail(info: &FrameInfo) -> DynamicImage {
    let (_, b64) = info.thumbnail_data_url.split_once(";base64,").unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    image::load_from_memory(&bytes).unwrap()
}

#[test]
fn png_named_jpg_loads_as_png_with_facts() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = encode(&photo(1280, 720), ImageFormat::Png);
    let path = write(dir.path(), "holiday.jpg", &bytes);
    let info = ok(&path);
    assert_eq!(info.format, "PNG");
    assert_eq!((info.width, info.height), (1280, 720));
    assert_eq!(info.file_bytes, bytes.len() as f64);
    assert!((info.aspect - 16.0 / 9.0).abs() < 1e-9);
    assert_eq!(
        info.content_sha256,
        hex::encode(sha2::Sha256::digest(&bytes))
    );
    assert_eq!(info.path, path);
    assert!(info.problems.is_empty(), "{:?}", info.problems);
    assert!(info
        .thumbnail_data_url
        .starts_with("data:image/jpeg;base64,"));
    let thumb = thumbnail(&info);
    assert_eq!((thumb.width(), thumb.height()), (512, 288));
}

#[test]
fn webp_gif_bmp_tiff_and_jpeg_load() {
    let dir = tempfile::tempdir().unwrap();
    let image = photo(400, 320);
    let cases = [
        (ImageFormat::WebP, "WebP", "a.webp"),
        (ImageFormat::Gif, "GIF", "a.gif"),
        (ImageFormat::Bmp, "BMP", "a.bmp"),
        (ImageFormat::Tiff, "TIFF", "a.tif"),
        (ImageFormat::Jpeg, "JPEG", "a.png"),
    ];
    for (format, name, file) in cases {
        let path = write(dir.path(), file, &encode(&image, format));
        let info = ok(&path);
        assert_eq!(info.format, name);
        assert_eq!((info.width, info.height), (400, 320), "{name}");
        assert!(info.problems.is_empty(), "{name}: {:?}", info.problems);
    }
}

#[test]
fn jpeg_with_stray_bytes_between_headers_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = jpeg(&photo(640, 480), 90);
    // After SOI and the JFIF APP0 segment, before the next marker.
    assert_eq!(&bytes[2..4], &[0xFF, 0xE0]);
    let app0_end = 4 + usize::from(u16::from_be_bytes([bytes[4], bytes[5]]));
    bytes.splice(
        app0_end..app0_end,
        [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0x01],
    );
    let info = ok(&write(dir.path(), "quirky.jpg", &bytes));
    assert_eq!(
        (info.format.as_str(), info.width, info.height),
        ("JPEG", 640, 480)
    );
}

#[test]
fn exif_orientation_6_swaps_width_and_height() {
    let dir = tempfile::tempdir().unwrap();
    // Left half black, right half white, stored 800×600 and tagged "rotate 90° clockwise".
    let stored = DynamicImage::from(image::RgbImage::from_fn(800, 600, |x, _| {
        if x < 400 {
            image::Rgb([0, 0, 0])
        } else {
            image::Rgb([255, 255, 255])
        }
    }));
    let path = write(
        dir.path(),
        "portrait.jpg",
        &with_exif_orientation(&jpeg(&stored, 92), 6),
    );
    let info = ok(&path);
    assert_eq!((info.width, info.height), (600, 800));
    assert!(info.aspect < 1.0);
    // After a clockwise quarter turn the stored left half (black) is on top.
    let thumb = thumbnail(&info).to_luma8();
    assert_eq!((thumb.width(), thumb.height()), (384, 512));
    assert!(thumb.get_pixel(192, 20).0[0] < 40);
    assert!(thumb.get_pixel(192, 490).0[0] > 215);

    // Without the tag the same pixels stay landscape.
    let plain = write(dir.path(), "plain.jpg", &jpeg(&stored, 92));
    assert_eq!((ok(&plain).width, ok(&plain).height), (800, 600));
}

#[test]
fn each_limit_is_a_problem_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let small = ok(&write(
        dir.path(),
        "small.png",
        &encode(&photo(250, 400), ImageFormat::Png),
    ));
    assert_eq!(problem_kinds(&small), vec![FrameProblemKind::TooSmall]);
    assert_eq!(
        small.problems[0].fix,
        Some(FixKind::Upscale { min_side: 300 })
    );

    let tiny = ok(&write(
        dir.path(),
        "tiny.png",
        &encode(&photo(120, 100), ImageFormat::Png),
    ));
    assert_eq!(problem_kinds(&tiny), vec![FrameProblemKind::TooSmall]);
    assert_eq!(tiny.problems[0].fix, None);

    let strip = ok(&write(
        dir.path(),
        "strip.png",
        &encode(&photo(100, 5000), ImageFormat::Png),
    ));
    assert_eq!(
        problem_kinds(&strip),
        vec![FrameProblemKind::TooNarrow, FrameProblemKind::TooSmall]
    );
    assert!(strip.problems.iter().all(|p| p.fix.is_none()));
    assert!(strip.problems[0]
        .message
        .text("en")
        .contains("cannot be fixed"));

    let wide = ok(&write(
        dir.path(),
        "wide.png",
        &encode(&photo(3000, 1000), ImageFormat::Png),
    ));
    assert_eq!(problem_kinds(&wide), vec![FrameProblemKind::TooWide]);
    assert_eq!(
        wide.problems[0].fix,
        Some(FixKind::CropToRatio { ratio: 2.5 })
    );

    let huge = ok(&write(
        dir.path(),
        "huge.jpg",
        &jpeg(&photo(6001, 3000), 80),
    ));
    assert_eq!(problem_kinds(&huge), vec![FrameProblemKind::TooLarge]);
    assert_eq!(
        huge.problems[0].fix,
        Some(FixKind::Downscale { max_side: 6000 })
    );
}

#[test]
fn file_of_30_mb_or_more_is_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    // Uncompressed BMP: 3200×3200×3 = 30.72 MB with a readable, in-limits size.
    let bmp = encode(&DynamicImage::new_rgb8(3200, 3200), ImageFormat::Bmp);
    assert!(bmp.len() >= 30_000_000);
    let info = ok(&write(dir.path(), "scan.bmp", &bmp));
    assert_eq!(problem_kinds(&info), vec![FrameProblemKind::FileTooBig]);
    assert_eq!(
        info.problems[0].fix,
        Some(FixKind::ReEncode {
            max_bytes: 30_000_000.0
        })
    );
}

#[test]
fn two_frames_can_be_taken_in_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let first = write(dir.path(), "first.jpg", &jpeg(&photo(1920, 1080), 90));
    let last = write(
        dir.path(),
        "last.png",
        &encode(&photo(1080, 1080), ImageFormat::Png),
    );
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| intake(&first, &IntakeOptions::default()));
        let b = s.spawn(|| intake(&last, &IntakeOptions::default()));
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert_eq!((a.format.as_str(), a.width, a.height), ("JPEG", 1920, 1080));
    assert_eq!((b.format.as_str(), b.width, b.height), ("PNG", 1080, 1080));
}

#[test]
fn frame_info_serializes_for_the_ui() {
    let dir = tempfile::tempdir().unwrap();
    let info = ok(&write(
        dir.path(),
        "s.png",
        &encode(&photo(250, 400), ImageFormat::Png),
    ));
    let json = serde_json::to_value(&info).unwrap();
    assert_eq!(json["format"], "PNG");
    assert_eq!(json["problems"][0]["kind"], "too_small");
    assert_eq!(json["problems"][0]["fix"]["type"], "upscale");
    assert_eq!(json["problems"][0]["fix"]["min_side"], 300);
    let message: seedance_core::i18n::Message =
        serde_json::from_value(json["problems"][0]["message"].clone()).unwrap();
    assert!(message.text("zh-CN").contains("像素"));
}
