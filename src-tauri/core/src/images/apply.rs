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
