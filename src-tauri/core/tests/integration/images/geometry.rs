//! Properties of the crop window the UI previews and the crop fix applies.

use proptest::prelude::*;
use seedance_core::images::crop_window;

proptest! {
    #[test]
    fn images_crop_window_stays_inside_and_hits_the_ratio(
        width in 1u32..20_000,
        height in 1u32..20_000,
        ratio in 0.05f64..20.0,
        offset in -3.0f64..3.0,
    ) {
        let (x, y, w, h) = crop_window(width, height, ratio, offset);
        prop_assert!(w >= 1 && h >= 1);
        prop_assert!(x + w <= width && y + h <= height);
        // Only one axis is cut.
        prop_assert!(w == width || h == height);
        // The window is as close to the ratio as whole pixels allow (or pinned at 1 px).
        let got = f64::from(w) / f64::from(h);
        let tolerance = 1.0 / f64::from(h.min(w)) + 1e-9;
        prop_assert!(
            (got - ratio).abs() / ratio <= tolerance || w == 1 || h == 1,
            "{width}x{height} @ {ratio}: {w}x{h}"
        );
    }

    #[test]
    fn images_crop_window_offset_moves_monotonically(
        width in 2u32..5_000,
        height in 2u32..5_000,
        ratio in 0.2f64..5.0,
        a in -1.0f64..1.0,
        b in -1.0f64..1.0,
    ) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (x1, y1, ..) = crop_window(width, height, ratio, lo);
        let (x2, y2, ..) = crop_window(width, height, ratio, hi);
        prop_assert!(x1 <= x2 && y1 <= y2);
    }
}
