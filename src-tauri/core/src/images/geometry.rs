//! Pure geometry: crop windows, ratio names, first/last frame shape comparison.

use serde::Serialize;

use super::FrameInfo;
use crate::i18n::Message;

/// Above this relative difference the first and last frame count as different shapes. Below it the
/// difference is rounding (e.g. 1920×1080 vs 1918×1080), which the model absorbs.
pub const ASPECT_MISMATCH_TOLERANCE: f64 = 0.01;

/// The largest window of `target_ratio` (width / height) inside a `width`×`height` image, as
/// `(x, y, w, h)`. `offset` in -1.0..=1.0 slides the window along the axis being cut: -1 = left/top,
/// 0 = centre, 1 = right/bottom. Out-of-range offsets are clamped; a ratio that is not a positive
/// number gives the whole image.
pub fn crop_window(
    width: u32,
    height: u32,
    target_ratio: f64,
    offset: f64,
) -> (u32, u32, u32, u32) {
    if width == 0 || height == 0 || !target_ratio.is_finite() || target_ratio <= 0.0 {
        return (0, 0, width, height);
    }
    let offset = if offset.is_nan() {
        0.0
    } else {
        offset.clamp(-1.0, 1.0)
    };
    let place = |slack: u32| -> u32 {
        let x = (f64::from(slack) * (offset + 1.0) / 2.0).round();
        (x as u32).min(slack)
    };
    let current = f64::from(width) / f64::from(height);
    if current > target_ratio {
        let w = round_side(f64::from(height) * target_ratio, width);
        (place(width - w), 0, w, height)
    } else {
        let h = round_side(f64::from(width) / target_ratio, height);
        (0, place(height - h), width, h)
    }
}

fn round_side(side: f64, max: u32) -> u32 {
    (side.round() as u32).clamp(1, max)
}

/// A short human name for a ratio: `16:9`, `4:3`, `2:5`; otherwise `1.43:1`.
pub fn ratio_label(ratio: f64) -> String {
    if !ratio.is_finite() || ratio <= 0.0 {
        return "?".to_string();
    }
    const NAMED: [(u32, u32); 16] = [
        (1, 1),
        (16, 9),
        (9, 16),
        (4, 3),
        (3, 4),
        (3, 2),
        (2, 3),
        (21, 9),
        (9, 21),
        (5, 4),
        (4, 5),
        (2, 1),
        (1, 2),
        (5, 2),
        (2, 5),
        (16, 10),
    ];
    for (w, h) in NAMED {
        let named = f64::from(w) / f64::from(h);
        if ((ratio - named) / named).abs() <= 0.005 {
            return format!("{w}:{h}");
        }
    }
    if ratio >= 1.0 {
        format!("{:.2}:1", ratio)
    } else {
        format!("1:{:.2}", 1.0 / ratio)
    }
}

/// First and last frame have visibly different shapes.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct Mismatch {
    pub first_aspect: f64,
    pub last_aspect: f64,
    /// |last − first| / first.
    pub relative_difference: f64,
    pub first_label: String,
    pub last_label: String,
    /// Crop the last frame to this ratio to match (the first frame's, named by `first_label`).
    pub suggested_crop_ratio: f64,
    pub message: Message,
}

pub fn aspect_mismatch(first: &FrameInfo, last: &FrameInfo) -> Option<Mismatch> {
    aspect_mismatch_of(first.aspect, last.aspect)
}

/// [`aspect_mismatch`] from the two aspects (width / height) alone.
pub fn aspect_mismatch_of(a: f64, b: f64) -> Option<Mismatch> {
    if !(a.is_finite() && b.is_finite() && a > 0.0 && b > 0.0) {
        return None;
    }
    let relative_difference = (b - a).abs() / a;
    if relative_difference <= ASPECT_MISMATCH_TOLERANCE {
        return None;
    }
    let (first_label, last_label) = (ratio_label(a), ratio_label(b));
    let message = Message::new("msg.image.aspect_mismatch")
        .arg("first", first_label.as_str())
        .arg("last", last_label.as_str());
    Some(Mismatch {
        first_aspect: a,
        last_aspect: b,
        relative_difference,
        first_label,
        last_label,
        suggested_crop_ratio: a,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crop_window_cuts_the_long_axis() {
        // 4:3 to 16:9 keeps the width and cuts height.
        assert_eq!(
            crop_window(1600, 1200, 16.0 / 9.0, 0.0),
            (0, 150, 1600, 900)
        );
        assert_eq!(crop_window(1600, 1200, 16.0 / 9.0, -1.0), (0, 0, 1600, 900));
        assert_eq!(
            crop_window(1600, 1200, 16.0 / 9.0, 1.0),
            (0, 300, 1600, 900)
        );
        // 16:9 to 1:1 keeps the height and cuts width.
        assert_eq!(crop_window(1920, 1080, 1.0, 0.0), (420, 0, 1080, 1080));
        assert_eq!(crop_window(1920, 1080, 1.0, 0.5), (630, 0, 1080, 1080));
        assert_eq!(crop_window(1920, 1080, 1.0, 9.0), (840, 0, 1080, 1080));
    }

    #[test]
    fn crop_window_degenerate_inputs() {
        assert_eq!(crop_window(1920, 1080, 16.0 / 9.0, 0.0), (0, 0, 1920, 1080));
        assert_eq!(crop_window(800, 600, f64::NAN, 0.0), (0, 0, 800, 600));
        assert_eq!(crop_window(800, 600, -2.0, 0.0), (0, 0, 800, 600));
        assert_eq!(crop_window(800, 600, 1.0, f64::NAN), (100, 0, 600, 600));
        // An extreme ratio never yields an empty window.
        assert_eq!(crop_window(100, 100, 1e-9, 0.0), (50, 0, 1, 100));
        let (_, _, w, h) = crop_window(100, 100, 1e9, 0.0);
        assert_eq!((w, h), (100, 1));
    }

    #[test]
    fn labels() {
        assert_eq!(ratio_label(1920.0 / 1080.0), "16:9");
        assert_eq!(ratio_label(0.75), "3:4");
        assert_eq!(ratio_label(0.4), "2:5");
        assert_eq!(ratio_label(1.43), "1.43:1");
        assert_eq!(ratio_label(0.3), "1:3.33");
        // As the UI labelled frames before it took this label from the backend.
        assert_eq!(ratio_label(1080.0 / 1920.0), "9:16");
        assert_eq!(ratio_label(0.7), "1:1.43");
        assert_eq!(ratio_label(f64::NAN), "?");
        assert_eq!(ratio_label(0.0), "?");
    }
}
