//! Where dropped files go. The OS reports a drop as a list of paths and a position in *physical* pixels;
//! the UI reports its drop zones in *logical* (CSS) pixels. This module decides which frame slot each file
//! fills, so the rule lives in one tested place instead of in the webview.

use serde::{Deserialize, Serialize};

pub use crate::request::FrameSlot;

/// A drop zone's rectangle in logical pixels (as `getBoundingClientRect` gives it).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ZoneRect {
    pub slot: FrameSlot,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl ZoneRect {
    fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && y >= self.y && x < self.x + self.width && y < self.y + self.height
    }
}

/// Converts an OS drop position (physical pixels) to logical pixels. A missing or nonsensical scale
/// factor is treated as 1 so a bad report can never send a file to the wrong zone by a factor of infinity.
pub fn to_logical(physical_x: f64, physical_y: f64, scale_factor: f64) -> (f64, f64) {
    let s = if scale_factor.is_finite() && scale_factor > 0.0 {
        scale_factor
    } else {
        1.0
    };
    (physical_x / s, physical_y / s)
}

/// The zone under a logical point, if any.
pub fn zone_at(zones: &[ZoneRect], x: f64, y: f64) -> Option<FrameSlot> {
    zones.iter().find(|z| z.contains(x, y)).map(|z| z.slot)
}

/// Which slot each dropped path fills.
///
/// - Two or more files: first then last, in the order given (extra files are ignored and reported).
/// - One file on a zone: that zone (replacing what it held).
/// - One file elsewhere: the first empty zone, or the first zone when both are full.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct DropPlan {
    pub assignments: Vec<(FrameSlot, String)>,
    pub ignored: Vec<String>,
}

pub fn plan_drop(
    paths: &[String],
    target: Option<FrameSlot>,
    first_filled: bool,
    last_filled: bool,
) -> DropPlan {
    match paths {
        [] => DropPlan {
            assignments: vec![],
            ignored: vec![],
        },
        [only] => {
            let slot = target.unwrap_or(match (first_filled, last_filled) {
                (false, _) => FrameSlot::First,
                (true, false) => FrameSlot::Last,
                (true, true) => FrameSlot::First,
            });
            DropPlan {
                assignments: vec![(slot, only.clone())],
                ignored: vec![],
            }
        }
        [first, last, rest @ ..] => DropPlan {
            assignments: vec![
                (FrameSlot::First, first.clone()),
                (FrameSlot::Last, last.clone()),
            ],
            ignored: rest.to_vec(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones() -> Vec<ZoneRect> {
        vec![
            ZoneRect {
                slot: FrameSlot::First,
                x: 200.0,
                y: 60.0,
                width: 360.0,
                height: 200.0,
            },
            ZoneRect {
                slot: FrameSlot::Last,
                x: 620.0,
                y: 60.0,
                width: 360.0,
                height: 200.0,
            },
        ]
    }

    #[test]
    fn physical_positions_are_scaled_before_hit_testing() {
        // On a 2× display the OS says (1400, 300) for the logical point (700, 150): the last zone.
        let (x, y) = to_logical(1400.0, 300.0, 2.0);
        assert_eq!(zone_at(&zones(), x, y), Some(FrameSlot::Last));
        // Without scaling the same report would miss every zone.
        assert_eq!(zone_at(&zones(), 1400.0, 300.0), None);
        assert_eq!(to_logical(10.0, 20.0, 0.0), (10.0, 20.0));
        assert_eq!(to_logical(10.0, 20.0, f64::NAN), (10.0, 20.0));
        assert_eq!(to_logical(15.0, 30.0, 1.5), (10.0, 20.0));
    }

    #[test]
    fn zone_edges_and_gaps() {
        let z = zones();
        assert_eq!(
            zone_at(&z, 200.0, 60.0),
            Some(FrameSlot::First),
            "top-left edge is inside"
        );
        assert_eq!(zone_at(&z, 560.0, 100.0), None, "right edge is outside");
        assert_eq!(zone_at(&z, 590.0, 100.0), None, "the gap between zones");
        assert_eq!(zone_at(&z, 979.9, 259.9), Some(FrameSlot::Last));
    }

    #[test]
    fn two_files_fill_first_then_last_in_order() {
        let p = plan_drop(
            &["a.png".into(), "b.jpg".into(), "c.gif".into()],
            Some(FrameSlot::Last),
            false,
            false,
        );
        assert_eq!(
            p.assignments,
            vec![
                (FrameSlot::First, "a.png".into()),
                (FrameSlot::Last, "b.jpg".into())
            ]
        );
        assert_eq!(p.ignored, vec!["c.gif".to_string()]);
    }

    #[test]
    fn one_file_goes_to_its_zone_or_the_first_empty_one() {
        let one = ["x.png".to_string()];
        assert_eq!(
            plan_drop(&one, Some(FrameSlot::Last), false, false).assignments[0].0,
            FrameSlot::Last
        );
        assert_eq!(
            plan_drop(&one, None, false, false).assignments[0].0,
            FrameSlot::First
        );
        assert_eq!(
            plan_drop(&one, None, true, false).assignments[0].0,
            FrameSlot::Last
        );
        assert_eq!(
            plan_drop(&one, None, false, true).assignments[0].0,
            FrameSlot::First
        );
        assert_eq!(
            plan_drop(&one, None, true, true).assignments[0].0,
            FrameSlot::First
        );
        assert!(plan_drop(&[], None, false, false).assignments.is_empty());
    }
}
