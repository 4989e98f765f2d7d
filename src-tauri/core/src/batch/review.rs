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
