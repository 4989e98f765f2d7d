//! The review while its frames are checked: the page asks again every half second, and a 1 000-item
//! review is most of a megabyte of JSON that the webview parses each time, although only the few items
//! whose frames were checked since changed. So the draft remembers the items of the review it last handed
//! to the page, under a version; a poll that names that version gets only the items that differ from it
//! (and the small parts that always come: total, problems, whether it can start, checks pending). A poll
//! naming any other version (an edit's answer overtook it, or nothing was handed yet) gets every item.

use seedance_core::batch::{BatchProblem, BatchTotal};
use seedance_core::cost::CostRates;
use seedance_core::presets::Preset;
use serde::Serialize;

use super::{BatchReview, Draft, ReviewItem};

/// The items of the review last handed to the page.
#[derive(Default)]
pub(super) struct Sent {
    version: u32,
    items: Vec<ReviewItem>,
}

/// What a poll hands the page: the items that changed since the version it has, and the rest of the
/// review that frame checks can change.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct ReviewChanges {
    pub id: String,
    /// The version the page has once these are applied (name it in the next poll).
    pub version: u32,
    /// Every item, in order, instead of only the changed ones: the page's version was not the last one
    /// handed out.
    pub full: bool,
    /// The items that differ from the page's copy (matched by `item.index`), or every item when `full`.
    pub items: Vec<ReviewItem>,
    pub problems: Vec<BatchProblem>,
    pub total: BatchTotal,
    pub can_start: bool,
    pub checks_pending: u32,
}

impl Draft {
    /// The review, remembered as the one the page has now.
    pub fn review_for_page(&mut self, presets: &[Preset], rates: &CostRates) -> BatchReview {
        let mut review = self.review(presets, rates);
        review.version = self.remember(&review.items);
        review
    }

    /// What changed since the review `since` the page has (every item when that is not the last one
    /// handed out); remembered as the page's copy from now on.
    pub fn changes_since(
        &mut self,
        since: u32,
        presets: &[Preset],
        rates: &CostRates,
    ) -> ReviewChanges {
        let review = self.review(presets, rates);
        let known =
            since != 0 && since == self.sent.version && self.sent.items.len() == review.items.len();
        let items = if known {
            review
                .items
                .iter()
                .zip(&self.sent.items)
                .filter(|(now, before)| now != before)
                .map(|(now, _)| now.clone())
                .collect()
        } else {
            review.items.clone()
        };
        ReviewChanges {
            id: review.id,
            version: self.remember(&review.items),
            full: !known,
            items,
            problems: review.problems,
            total: review.total,
            can_start: review.can_start,
            checks_pending: review.checks_pending,
        }
    }

    fn remember(&mut self, items: &[ReviewItem]) -> u32 {
        self.sent.version = self.sent.version.wrapping_add(1).max(1);
        self.sent.items = items.to_vec();
        self.sent.version
    }
}
