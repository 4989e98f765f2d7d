//! Which items a batch review leaves out for their frames, and the total over the rest: one rule for the
//! app's Batch screen and `seedance batch`, so both send the same jobs for the same file and state the
//! same total.
//!
//! [`super::plan`] leaves out items whose rows are wrong. The frame check ([`super::check_queue`]) then
//! says of each frame file whether the service would take it; an item with a frame that is unreadable or
//! outside the model's limits is left out too, with the reasons and the fixes that would cure them (the
//! review's one click, `seedance frames check --fix`), and the total is counted again over the items that
//! remain. A frame not checked (yet) leaves its item in: starting waits for the checks, and the batch's own
//! check before storing refuses a bad frame anyway.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use super::plan::{BatchPlan, PlannedItem};
use crate::i18n::{Message, UserFacing};
use crate::images::{FixKind, FrameInfo, FrameProblem, ImageError};
use crate::request::{FrameSlot, Ratio};

/// What the frame check said of one file, as far as leaving items out goes.
#[derive(Clone, Debug, PartialEq)]
pub enum FrameVerdict {
    /// The service takes it as it is.
    Usable,
    /// Readable, outside the model's limits: each problem says what is wrong and what its fix does.
    Problems(Vec<FrameProblem>),
    /// Cannot be used at all (unreadable, not an image, a format the service refuses).
    Unusable(Message),
}

impl FrameVerdict {
    pub fn of(result: &Result<FrameInfo, ImageError>) -> Self {
        match result {
            Ok(info) if info.problems.is_empty() => Self::Usable,
            Ok(info) => Self::Problems(info.problems.clone()),
            Err(e) => Self::Unusable(e.msg()),
        }
    }

    pub fn usable(&self) -> bool {
        matches!(self, Self::Usable)
    }
}

/// One frame that keeps its item out of the batch.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct LeftOut {
    /// The item's number, from 1.
    pub item: u32,
    pub slot: FrameSlot,
    /// The frame file, as the item would send it.
    pub path: String,
    /// Why the service would refuse it (each limit problem also says what its fix does).
    pub reasons: Vec<Message>,
    /// The fixes that would make a conforming copy, in the order they are applied (empty: none can).
    pub fixes: Vec<FixKind>,
}

impl LeftOut {
    /// A copy could be fixed to pass: every problem has a fix.
    pub fn fixable(&self) -> bool {
        !self.fixes.is_empty()
    }
}

/// Leaves out every item `skipped` names or that has a frame `verdict` says the service would refuse
/// (items the plan already left out stay as they are), then counts the total again over the rest
/// (`aspect` as the plan had it). Returns the frames that left their items out, in item order.
pub fn leave_out_frames(
    plan: &mut BatchPlan,
    verdict: &dyn Fn(&Path) -> Option<FrameVerdict>,
    skipped: &dyn Fn(u32) -> bool,
    aspect: &dyn Fn(&Path) -> Option<f64>,
) -> Vec<LeftOut> {
    let mut left_out = Vec::new();
    for item in plan.items.iter_mut().filter(|i| !i.excluded) {
        let bad = bad_frames(item, verdict);
        if skipped(item.index) || !bad.is_empty() {
            item.excluded = true;
        }
        left_out.extend(bad);
    }
    retotal(plan, aspect);
    left_out
}

/// The frames of `item` the service would refuse.
fn bad_frames(item: &PlannedItem, verdict: &dyn Fn(&Path) -> Option<FrameVerdict>) -> Vec<LeftOut> {
    [
        (FrameSlot::First, &item.draft.first_frame),
        (FrameSlot::Last, &item.draft.last_frame),
    ]
    .into_iter()
    .filter_map(|(slot, path)| {
        let path = path.as_deref()?;
        let (reasons, fixes) = match verdict(Path::new(path))? {
            FrameVerdict::Usable => return None,
            FrameVerdict::Unusable(message) => (vec![message], Vec::new()),
            FrameVerdict::Problems(problems) => {
                let fixes = problems
                    .iter()
                    .map(|p| p.fix)
                    .collect::<Option<Vec<_>>>()
                    .unwrap_or_default();
                (problems.into_iter().map(|p| p.message).collect(), fixes)
            }
        };
        Some(LeftOut {
            item: item.index,
            slot,
            path: path.to_owned(),
            reasons,
            fixes,
        })
    })
    .collect()
}

/// The jobs of left-out items removed and the total counted again over the items that remain.
fn retotal(plan: &mut BatchPlan, aspect: &dyn Fn(&Path) -> Option<f64>) {
    let excluded: BTreeSet<u32> = plan.excluded().map(|i| i.index).collect();
    plan.jobs.retain(|j| !excluded.contains(&j.item));
    let total = &mut plan.total;
    total.items = u32::try_from(plan.items.len()).unwrap_or(u32::MAX);
    total.excluded_items = u32::try_from(excluded.len()).unwrap_or(u32::MAX);
    total.jobs = 0;
    total.tokens_min = 0;
    total.tokens_max = 0;
    total.cost_min = 0.0;
    total.cost_max = 0.0;
    total.draft_lower = false;
    total.approximate = false;
    for item in plan.items.iter().filter(|i| !i.excluded) {
        let Some(e) = &item.estimate else { continue };
        let takes = item.takes;
        total.jobs += takes;
        total.tokens_min += u64::from(e.tokens_min) * u64::from(takes);
        total.tokens_max += u64::from(e.tokens_max) * u64::from(takes);
        total.cost_min += e.cost_min * f64::from(takes);
        total.cost_max += e.cost_max * f64::from(takes);
        total.draft_lower |= e.draft_lower;
        let guessed = item.draft.settings.ratio == Ratio::Adaptive.as_str()
            && item
                .draft
                .first_frame
                .as_deref()
                .is_some_and(|f| aspect(Path::new(f)).is_none());
        total.approximate |= e.approximate || guessed;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::path::PathBuf;

    use super::*;
    use crate::batch::{from_paths, plan, PlanInput};
    use crate::cost::CostRates;
    use crate::images::FrameProblemKind;
    use crate::request::RequestDraft;

    fn too_small(fix: Option<FixKind>) -> FrameProblem {
        FrameProblem {
            kind: FrameProblemKind::TooSmall,
            message: Message::new("msg.image.too_small"),
            fix,
        }
    }

    /// Four items: a good frame, one an upscale fixes, one no fix can cure, one unreadable; the second is
    /// also skipped.
    #[test]
    fn refused_frames_leave_their_items_out_with_reasons_and_fixes_and_the_total_counts_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = ["good", "small", "tiny", "broken"]
            .iter()
            .map(|n| {
                let p = dir.path().join(format!("{n}.png"));
                std::fs::write(&p, b"png").unwrap();
                p
            })
            .collect();
        let source = from_paths(&paths).unwrap();
        let form = RequestDraft {
            prompt: "a red fox".into(),
            ..RequestDraft::default()
        };
        let rates = CostRates::default();
        let aspect = |_: &Path| Some(1.0);
        let mut planned = plan(
            &source,
            &PlanInput {
                form: &form,
                takes: 2,
                presets: &[],
                rates: &rates,
                frame_aspect: &aspect,
            },
        );
        assert_eq!(planned.total.jobs, 8);
        let one_job_cost = planned.total.cost_max / 8.0;
        let verdict = |p: &Path| {
            let name = p.file_stem()?.to_str()?;
            Some(match name {
                "good" => FrameVerdict::Usable,
                "small" => FrameVerdict::Problems(vec![too_small(Some(FixKind::Upscale {
                    min_side: 300,
                }))]),
                "tiny" => FrameVerdict::Problems(vec![too_small(None)]),
                _ => FrameVerdict::Unusable(Message::new("msg.image.corrupt")),
            })
        };
        let left_out = leave_out_frames(&mut planned, &verdict, &|i| i == 2, &aspect);
        let excluded: Vec<u32> = planned.excluded().map(|i| i.index).collect();
        assert_eq!(excluded, [2, 3, 4]);
        assert_eq!(
            left_out.iter().map(|l| l.item).collect::<Vec<_>>(),
            [2, 3, 4]
        );
        assert!(left_out[0].fixable());
        assert_eq!(left_out[0].fixes, [FixKind::Upscale { min_side: 300 }]);
        assert!(!left_out[1].fixable(), "a problem without a fix");
        assert_eq!(left_out[2].reasons, [Message::new("msg.image.corrupt")]);
        assert!(planned.jobs.iter().all(|j| j.item == 1));
        assert_eq!(planned.jobs.len(), 2);
        assert_eq!(planned.total.jobs, 2);
        assert_eq!(planned.total.excluded_items, 3);
        assert!((planned.total.cost_max - 2.0 * one_job_cost).abs() < 1e-9);
    }

    #[test]
    fn a_frame_not_checked_yet_keeps_its_item_in() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("later.png");
        std::fs::write(&path, b"png").unwrap();
        let source = from_paths(&[path]).unwrap();
        let form = RequestDraft {
            prompt: "a red fox".into(),
            ..RequestDraft::default()
        };
        let rates = CostRates::default();
        let mut planned = plan(
            &source,
            &PlanInput {
                form: &form,
                takes: 1,
                presets: &[],
                rates: &rates,
                frame_aspect: &|_| None,
            },
        );
        let left_out = leave_out_frames(&mut planned, &|_| None, &|_| false, &|_| None);
        assert!(left_out.is_empty());
        assert_eq!(planned.total.jobs, 1);
        assert_eq!(planned.total.excluded_items, 0);
    }
}
