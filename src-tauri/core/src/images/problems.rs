//! The model's frame limits (API notes §4) checked on a readable, upright image. Each violation is
//! reported with the one-click fix that would cure it, or with the reason there is none.
//!
//! Upscaling: the model accepts ≥ 300 px, so a slightly small image (up to 2× enlargement, e.g. a
//! 250 px side) is offered an upscale. Beyond 2× the result is mostly blur and the user is asked for
//! a larger image instead.

use serde::{Deserialize, Serialize};

use super::geometry::{crop_window, ratio_label};
use super::{MAX_FILE_BYTES, MAX_RATIO, MAX_SIDE, MAX_UPSCALE_FACTOR, MIN_RATIO, MIN_SIDE};
use crate::i18n::{megabytes, Message};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FrameProblemKind {
    /// A side is below 300 px.
    TooSmall,
    /// A side is above 6000 px.
    TooLarge,
    /// Width / height below 0.4.
    TooNarrow,
    /// Width / height above 2.5.
    TooWide,
    /// The file is 30 MB or more.
    FileTooBig,
}

/// A one-click fix that writes a conforming copy (the original is never changed).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FixKind {
    Downscale { max_side: u32 },
    Upscale { min_side: u32 },
    ReEncode { max_bytes: f64 },
    CropToRatio { ratio: f64 },
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct FrameProblem {
    pub kind: FrameProblemKind,
    /// What is wrong and what the fix does, or why there is no fix.
    pub message: Message,
    pub fix: Option<FixKind>,
}

pub(crate) fn find_problems(width: u32, height: u32, file_bytes: u64) -> Vec<FrameProblem> {
    let mut problems = Vec::new();
    if width == 0 || height == 0 {
        return problems;
    }
    let ratio = f64::from(width) / f64::from(height);
    let (short, long) = (width.min(height), width.max(height));

    if !(MIN_RATIO..=MAX_RATIO).contains(&ratio) {
        problems.push(ratio_problem(width, height, ratio));
    }
    if long > MAX_SIDE {
        let new_short = (f64::from(short) * f64::from(MAX_SIDE) / f64::from(long)).round() as u32;
        let fix = (new_short >= MIN_SIDE).then_some(FixKind::Downscale { max_side: MAX_SIDE });
        let key = match fix {
            Some(_) => "msg.image.too_large",
            None => "msg.image.too_large_no_fix",
        };
        let message = Message::new(key)
            .arg("width", width)
            .arg("height", height)
            .arg("max_side", MAX_SIDE)
            .arg("min_side", MIN_SIDE);
        problems.push(FrameProblem {
            kind: FrameProblemKind::TooLarge,
            message,
            fix,
        });
    }
    if short < MIN_SIDE {
        problems.push(small_problem(width, height, short, long));
    }
    if file_bytes >= MAX_FILE_BYTES {
        problems.push(FrameProblem {
            kind: FrameProblemKind::FileTooBig,
            message: Message::new("msg.image.file_too_big")
                .arg("size", megabytes(file_bytes))
                .arg("limit", megabytes(MAX_FILE_BYTES)),
            fix: Some(FixKind::ReEncode {
                max_bytes: MAX_FILE_BYTES as f64,
            }),
        });
    }
    problems
}

fn ratio_problem(width: u32, height: u32, ratio: f64) -> FrameProblem {
    let (kind, bound) = if ratio < MIN_RATIO {
        (FrameProblemKind::TooNarrow, MIN_RATIO)
    } else {
        (FrameProblemKind::TooWide, MAX_RATIO)
    };
    let (_, _, cw, ch) = crop_window(width, height, bound, 0.0);
    let fixable = cw.min(ch) >= MIN_SIDE;
    let key = if fixable {
        "msg.image.bad_ratio"
    } else {
        "msg.image.bad_ratio_no_fix"
    };
    let message = Message::new(key)
        .arg("width", width)
        .arg("height", height)
        .arg("have", ratio_label(ratio))
        .arg("want", ratio_label(bound))
        .arg("min_ratio", ratio_label(MIN_RATIO))
        .arg("max_ratio", ratio_label(MAX_RATIO))
        .arg("crop_width", cw)
        .arg("crop_height", ch)
        .arg("min_side", MIN_SIDE);
    FrameProblem {
        kind,
        message,
        fix: fixable.then_some(FixKind::CropToRatio { ratio: bound }),
    }
}

fn small_problem(width: u32, height: u32, short: u32, long: u32) -> FrameProblem {
    let factor = f64::from(MIN_SIDE) / f64::from(short);
    let new_long = (f64::from(long) * factor).ceil() as u32;
    if factor <= MAX_UPSCALE_FACTOR && new_long <= MAX_SIDE {
        let (new_w, new_h) = if width <= height {
            (MIN_SIDE, new_long)
        } else {
            (new_long, MIN_SIDE)
        };
        // Whole percent, rounded up: a 299 px side grows by 0.3 %, which must not read "0% larger".
        let percent = ((factor - 1.0) * 100.0).ceil().max(1.0);
        return FrameProblem {
            kind: FrameProblemKind::TooSmall,
            message: Message::new("msg.image.too_small")
                .arg("width", width)
                .arg("height", height)
                .arg("min_side", MIN_SIDE)
                .arg("new_width", new_w)
                .arg("new_height", new_h)
                .arg("percent", percent),
            fix: Some(FixKind::Upscale { min_side: MIN_SIDE }),
        };
    }
    FrameProblem {
        kind: FrameProblemKind::TooSmall,
        message: Message::new("msg.image.too_small_no_fix")
            .arg("width", width)
            .arg("height", height)
            .arg("min_side", MIN_SIDE)
            .arg("factor", format!("{factor:.1}")),
        fix: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(w: u32, h: u32, bytes: u64) -> Vec<(FrameProblemKind, Option<FixKind>)> {
        find_problems(w, h, bytes)
            .into_iter()
            .map(|p| (p.kind, p.fix))
            .collect()
    }

    #[test]
    fn conforming_sizes_have_no_problems() {
        assert!(kinds(300, 300, 1).is_empty());
        assert!(kinds(6000, 2400, 29_999_999).is_empty());
        assert!(kinds(2400, 6000, 1).is_empty());
    }

    #[test]
    fn each_limit_is_reported_with_its_fix() {
        use FixKind::*;
        use FrameProblemKind::*;
        assert_eq!(
            kinds(8000, 6000, 1),
            vec![(TooLarge, Some(Downscale { max_side: 6000 }))]
        );
        assert_eq!(
            kinds(250, 400, 1),
            vec![(TooSmall, Some(Upscale { min_side: 300 }))]
        );
        assert_eq!(kinds(100, 120, 1), vec![(TooSmall, None)]);
        assert_eq!(
            kinds(3000, 1000, 1),
            vec![(TooWide, Some(CropToRatio { ratio: 2.5 }))]
        );
        assert_eq!(
            kinds(1000, 3000, 1),
            vec![(TooNarrow, Some(CropToRatio { ratio: 0.4 }))]
        );
        assert_eq!(
            kinds(1000, 1000, 30_000_000),
            vec![(
                FileTooBig,
                Some(ReEncode {
                    max_bytes: 30_000_000.0
                })
            )]
        );
    }

    #[test]
    fn an_upscale_names_the_new_size_and_never_says_zero_percent() {
        let problems = find_problems(299, 400, 1);
        let msg = &problems[0].message;
        assert_eq!(msg.key, "msg.image.too_small");
        assert!(msg.text("en").contains("300×402 px"), "{}", msg.text("en"));
        assert!(
            msg.text("en").contains("up to 1% larger"),
            "{}",
            msg.text("en")
        );
        assert!(!msg.text("en").contains(" 0%"), "{}", msg.text("en"));
        assert!(
            msg.text("zh-CN").contains("300×402"),
            "{}",
            msg.text("zh-CN")
        );
        let wide = &find_problems(400, 200, 1)[0].message;
        assert!(
            wide.text("en").contains("600×300 px") && wide.text("en").contains("50% larger"),
            "{}",
            wide.text("en")
        );
    }

    #[test]
    fn the_size_in_a_problem_matches_the_facts_line() {
        let problems = find_problems(1000, 1000, 41_000_000);
        assert!(
            problems[0].message.text("en").contains("41.0 MB"),
            "{}",
            problems[0].message.text("en")
        );
        assert!(problems[0].message.text("en").contains("under 30.0 MB"));
    }

    #[test]
    fn a_thin_strip_has_no_fix_and_says_why() {
        let problems = find_problems(100, 5000, 1);
        let ratio = problems
            .iter()
            .find(|p| p.kind == FrameProblemKind::TooNarrow)
            .unwrap_or_else(|| panic!("{problems:?}"));
        assert_eq!(ratio.fix, None);
        assert!(
            ratio.message.text("en").contains("cannot be fixed"),
            "{}",
            ratio.message.text("en")
        );
        assert!(ratio.message.text("zh-CN").contains("无法自动修复"));
        let small = problems
            .iter()
            .find(|p| p.kind == FrameProblemKind::TooSmall)
            .unwrap_or_else(|| panic!("{problems:?}"));
        assert_eq!(small.fix, None);
    }
}
