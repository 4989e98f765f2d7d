//! Every way a file can fail intake gets its own error, with a message in both languages.

use std::time::{Duration, Instant};

use crate::support::images::*;
use image::ImageFormat;
use seedance_core::i18n::UserFacing;
use seedance_core::images::{intake, ImageError, IntakeOptions};

/// The error of a file, which a preview intake and a full one must agree on.
fn intake_err(path: &std::path::Path) -> ImageError {
    let refused = |options: &IntakeOptions| match intake(path, options) {
        Ok(info) => panic!(
            "{} was accepted as {}×{} {} ({:?})",
            path.display(),
            info.width,
            info.height,
            info.format,
            options.depth
        ),
        Err(e) => {
            let msg = e.msg();
            assert!(!msg.text("en").is_empty() && !msg.text("zh-CN").is_empty());
            e
        }
    };
    let full = refused(&IntakeOptions::default());
    let preview = refused(&IntakeOptions::preview());
    assert_eq!(full.kind(), preview.kind(), "{full:?} / {preview:?}");
    full
}

#[test]
fn zero_byte_file_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "empty.png", b"");
    assert!(matches!(intake_err(&path), ImageError::Empty(_)));
}

#[test]
fn text_named_jpg_is_not_an_image() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "notes.jpg",
        b"Shopping list: milk, eggs, bread.\n",
    );
    let err = intake_err(&path);
    assert!(matches!(err, ImageError::NotAnImage(_)), "{err:?}");
    assert_eq!(err.kind(), "not_an_image");
}

#[test]
fn truncated_jpeg_is_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = jpeg(&photo(640, 480), 90);
    for keep in [bytes.len() * 6 / 10, bytes.len() - 2] {
        let path = write(dir.path(), "cut.jpg", &bytes[..keep]);
        let err = intake_err(&path);
        assert!(
            matches!(err, ImageError::Truncated { .. }),
            "kept {keep}/{}: {err:?}",
            bytes.len()
        );
    }
}

#[test]
fn truncated_png_is_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = encode(&photo(640, 480), ImageFormat::Png);
    let path = write(dir.path(), "cut.png", &bytes[..bytes.len() * 6 / 10]);
    let err = intake_err(&path);
    assert!(matches!(err, ImageError::Truncated { .. }), "{err:?}");
}

#[test]
fn corrupt_bytes_in_the_middle_are_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let mut png = encode(&photo(640, 480), ImageFormat::Png);
    let mid = png.len() / 2;
    png[mid..mid + 64].iter_mut().for_each(|b| *b ^= 0x5A);
    let err = intake_err(&write(dir.path(), "bad.png", &png));
    assert!(matches!(err, ImageError::Corrupt { .. }), "{err:?}");

    // In a JPEG, garbage markers inside the scan data must not be painted over silently.
    let mut jpg = jpeg(&photo(640, 480), 90);
    let mid = jpg.len() / 2;
    for i in (mid..mid + 64).step_by(2) {
        jpg[i] = 0xFF;
        jpg[i + 1] = 0xC4;
    }
    let err = intake_err(&write(dir.path(), "bad.jpg", &jpg));
    assert!(matches!(err, ImageError::Corrupt { .. }), "{err:?}");
}

#[test]
fn heic_and_svg_are_unsupported_with_conversion_advice() {
    let dir = tempfile::tempdir().unwrap();
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend_from_slice(&[0u8; 256]);
    let err = intake_err(&write(dir.path(), "IMG_0001.HEIC", &heic));
    match &err {
        ImageError::UnsupportedFormat { format } => assert_eq!(format, "HEIC/HEIF"),
        other => panic!("{other:?}"),
    }
    assert!(
        err.msg().text("en").contains("JPEG or PNG"),
        "{}",
        err.msg().text("en")
    );
    assert!(
        err.msg().text("zh-CN").contains("JPEG 或 PNG"),
        "{}",
        err.msg().text("zh-CN")
    );

    let svg = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>";
    let err = intake_err(&write(dir.path(), "logo.png", svg));
    assert!(
        matches!(&err, ImageError::UnsupportedFormat { format } if format == "SVG"),
        "{err:?}"
    );
    let err = intake_err(&write(dir.path(), "scan.jpg", b"%PDF-1.4\n%..."));
    assert!(
        matches!(&err, ImageError::UnsupportedFormat { format } if format == "PDF"),
        "{err:?}"
    );
}

#[test]
fn missing_path_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let err = intake_err(&dir.path().join("nope.jpg"));
    assert!(matches!(err, ImageError::NotFound(_)), "{err:?}");
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "locked.png",
        &encode(&photo(320, 320), ImageFormat::Png),
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if !permissions_enforced(&path) {
        eprintln!("skipped: running with privileges that bypass file permissions (root)");
        return;
    }
    let err = intake_err(&path);
    assert!(matches!(err, ImageError::PermissionDenied(_)), "{err:?}");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn bomb_header_is_refused_fast() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bomb.png", &png_claiming(60_000, 60_000));
    let started = Instant::now();
    let err = intake_err(&path);
    let took = started.elapsed();
    assert!(
        matches!(
            err,
            ImageError::TooLargeToDecode {
                width: 60_000,
                height: 60_000
            }
        ),
        "{err:?}"
    );
    assert!(took < Duration::from_millis(50), "took {took:?}");

    // Sides under the cap but 400 megapixels in total.
    let path = write(dir.path(), "wide-bomb.png", &png_claiming(20_000, 20_000));
    let err = intake_err(&path);
    assert!(
        matches!(
            err,
            ImageError::TooLargeToDecode {
                width: 20_000,
                height: 20_000
            }
        ),
        "{err:?}"
    );
}

/// `bytes` with the size in its first frame header (SOF0/SOF2) replaced.
fn claiming_size(bytes: &[u8], width: u16, height: u16) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let sof = out
        .windows(2)
        .position(|w| w == [0xFF, 0xC0] || w == [0xFF, 0xC2])
        .expect("a frame header");
    // FF Cn, length (2), precision (1), height (2), width (2).
    out[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    out[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    out
}

/// A progressive JPEG keeps every DCT coefficient until its last scan: 90 megapixels pass the pixel
/// limit but need about 800 MB with the output, so the header alone refuses it. A baseline file of the
/// same size streams its blocks and is not refused for memory.
#[test]
fn progressive_jpeg_memory_is_checked_from_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/jpeg/progressive-420.jpg"
    ))
    .unwrap();
    let path = write(
        dir.path(),
        "big-progressive.jpg",
        &claiming_size(&fixture, 10_000, 9_000),
    );
    let started = Instant::now();
    let err = intake_err(&path);
    assert!(
        matches!(
            err,
            ImageError::TooLargeToDecode {
                width: 10_000,
                height: 9_000
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    // The real file still opens.
    let real = write(dir.path(), "progressive.jpg", &fixture);
    intake(&real, &IntakeOptions::default()).unwrap();
}

#[test]
fn file_above_hard_cap_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "big.png",
        &encode(&photo(320, 320), ImageFormat::Png),
    );
    let opts = IntakeOptions {
        hard_cap_bytes: 100,
        ..IntakeOptions::default()
    };
    let err = intake(&path, &opts).unwrap_err();
    assert!(
        matches!(err, ImageError::FileTooLarge { cap: 100, .. }),
        "{err:?}"
    );
}
