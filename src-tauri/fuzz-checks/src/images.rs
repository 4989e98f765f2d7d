//! Frames: the fast JPEG preview never accepts a file the strict decoder refuses, and intake agrees
//! with itself at both depths.

use seedance_core::images::fuzz::{intake_bytes, jpeg_preview_and_strict};
use seedance_core::images::{IntakeOptions, DECODE_MAX_SIDE};

/// Differential: whenever the preview path returns an image, the strict decoder decodes the same file
/// with the same size and orientation.
pub fn check_jpeg_preview(data: &[u8]) {
    let (preview, strict) = jpeg_preview_and_strict(data);
    if let Ok(Some(preview)) = preview {
        match strict {
            Ok(strict) => assert_eq!(
                preview, strict,
                "the preview and the strict decoder read different sizes or orientations"
            ),
            Err(e) => panic!("the preview accepted a JPEG the strict decoder refuses: {e}"),
        }
    }
}

/// Intake at preview depth accepts only what full intake accepts, with the same upright size, hash and
/// problems; whatever it accepts has a sane size and a thumbnail.
pub fn check_intake(data: &[u8]) {
    let preview = intake_bytes(data, &IntakeOptions::preview());
    let full = intake_bytes(data, &IntakeOptions::default());
    if let Ok(info) = &full {
        assert!(info.width >= 1 && info.height >= 1, "{info:?}");
        assert!(info.width <= DECODE_MAX_SIDE && info.height <= DECODE_MAX_SIDE);
        assert!(info.aspect.is_finite() && info.aspect > 0.0);
        assert!(info.thumbnail_data_url.starts_with("data:image/"));
    }
    if let Ok(p) = &preview {
        let f = full
            .as_ref()
            .unwrap_or_else(|e| panic!("the preview accepted a file full intake refuses: {e}"));
        assert_eq!(
            (p.width, p.height),
            (f.width, f.height),
            "upright sizes differ"
        );
        assert_eq!(p.content_sha256, f.content_sha256);
        assert_eq!(p.problems, f.problems);
        assert_eq!(p.format, f.format);
    }
}
