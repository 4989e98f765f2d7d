//! The Batch screen's draft: a source read once and kept here with the user's edits (the batch's prompt,
//! settings and takes, skipped items, fixed frames), so each edit re-plans with `batch::plan` without
//! reading anything again, and the plan that starts is the backend's own, never one the page sends back.
//!
//! Besides the plan's own problems, an item is left out when the user skipped it or when the frame check
//! (the core batch check, see [`crate::batch_frames`]) found a frame that cannot be sent as it is; the
//! total counts only the rest. That rule is core's ([`leave_out_frames`]), shared with `seedance batch`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use seedance_core::batch::{
    leave_out_frames, plan, BatchPlan, BatchProblem, BatchSource, BatchTotal, PairRule, PlanInput,
    PlannedItem, SourceColumn,
};
use seedance_core::cost::CostRates;
use seedance_core::i18n::{Message, UserFacing};
use seedance_core::images::{aspect_mismatch_of, check_frame_path, Mismatch};
use seedance_core::presets::Preset;
use seedance_core::request::{DraftSettings, FrameSlot, RequestDraft};
use serde::{Deserialize, Serialize};

use crate::batch_frames::{FrameChecks, FrameFacts};

/// Where a draft's items came from, so a folder can be read again with another pair rule.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceSpec {
    Paths { count: u32 },
    Folder { path: PathBuf, rule: PairRule },
    File { path: PathBuf },
    Form { takes: u32 },
}

impl SourceSpec {
    /// How the batch describes its source (kept with the batch; shown in the review), in each language.
    pub fn label(&self) -> Message {
        match self {
            Self::Paths { count } => Message::new("msg.batch_source.images").arg("count", *count),
            Self::Folder { path, .. } | Self::File { path } => {
                Message::new("msg.batch_source.path").arg("path", path.display().to_string())
            }
            Self::Form { takes } => Message::new("msg.batch_source.form").arg("takes", *takes),
        }
    }

    /// The batch name the review starts with: the folder's or file's name.
    pub fn default_name(&self) -> String {
        let stem = |p: &Path| p.file_stem().map(|s| s.to_string_lossy().into_owned());
        match self {
            Self::Folder { path, .. } => path.file_name().map(|s| s.to_string_lossy().into_owned()),
            Self::File { path } => stem(path),
            Self::Paths { .. } | Self::Form { .. } => None,
        }
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "batch".to_owned())
    }
}

/// The batch's own defaults: what an item that sets nothing is made with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct BatchDefaults {
    /// The prompt template (`{name}`, `{index}`, a column's name).
    pub prompt: String,
    /// The Generate form's settings as the user left them; used when `preset` is `None`.
    pub settings: DraftSettings,
    /// The id of a preset whose settings the batch uses instead.
    pub preset: Option<String>,
    pub takes: u32,
}

impl Default for BatchDefaults {
    fn default() -> Self {
        Self {
            prompt: String::new(),
            settings: DraftSettings::default(),
            preset: None,
            takes: 1,
        }
    }
}

/// One frame of a row: its file name and, once checked, what the check found.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct FrameReview {
    pub slot: FrameSlot,
    pub file_name: String,
    /// `None` while waiting for the check, or when the file is missing or refused (the item says so).
    pub facts: Option<FrameFacts>,
    /// Waiting for the check or being checked (a missing or refused file is never checked).
    pub pending: bool,
}

/// One row of the review table.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct ReviewItem {
    pub item: PlannedItem,
    pub skipped: bool,
    pub frames: Vec<FrameReview>,
    /// The first and last frame's shapes differ enough to warp the video (a warning; crop offered).
    pub mismatch: Option<Mismatch>,
}

/// Everything the review screen shows.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct BatchReview {
    pub id: String,
    pub source: SourceSpec,
    pub label: Message,
    pub name: String,
    pub defaults: BatchDefaults,
    pub columns: Vec<SourceColumn>,
    /// Every placeholder a template may use here: `{name}`, `{index}` and the file's columns.
    pub placeholders: Vec<String>,
    pub items: Vec<ReviewItem>,
    /// Problems of the batch as a whole and of lines that gave no item.
    pub problems: Vec<BatchProblem>,
    pub total: BatchTotal,
    pub can_start: bool,
    /// Frame files still being checked (the total may still change; starting waits for them).
    pub checks_pending: u32,
    /// Which review of this draft this is: a poll names it to get only what changed since
    /// ([`Draft::changes_since`]). 0 when it was not handed to the page.
    pub version: u32,
}

/// The review table's thumbnails of one item, as data URLs (`None`: not checked yet, or no such frame).
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct ItemThumbnails {
    pub index: u32,
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum BatchDraftError {
    #[error("no batch draft {id}")]
    NotFound { id: String },
    #[error("the batch is being started")]
    Starting,
    #[error("{count} frames are still being checked")]
    ChecksPending { count: u32 },
    #[error("no item {index}")]
    NoSuchItem { index: u32 },
    #[error("item {index} has no {slot} frame")]
    NoFrame { index: u32, slot: FrameSlot },
    #[error("the source is not a folder")]
    NotAFolder,
}

impl UserFacing for BatchDraftError {
    fn kind(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => "batch_draft_not_found",
            Self::Starting => "batch_draft_starting",
            Self::ChecksPending { .. } => "batch_checks_pending",
            Self::NoSuchItem { .. } => "batch_no_such_item",
            Self::NoFrame { .. } => "batch_no_frame",
            Self::NotAFolder => "batch_not_a_folder",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::NotFound { .. } => Message::new("msg.batch_review.not_found"),
            Self::Starting => Message::new("msg.batch_review.starting"),
            Self::ChecksPending { count } => {
                Message::new("msg.batch_review.checks_pending").arg("count", *count)
            }
            Self::NoSuchItem { index } | Self::NoFrame { index, .. } => {
                Message::new("msg.batch_review.no_such_frame").arg("index", *index)
            }
            Self::NotAFolder => Message::new("msg.batch_review.not_a_folder"),
        }
    }
}

/// A source as read, with the user's edits.
pub struct Draft {
    pub id: String,
    pub spec: SourceSpec,
    source: BatchSource,
    pub defaults: BatchDefaults,
    skipped: BTreeSet<u32>,
    pub checks: Arc<FrameChecks>,
    /// The items of the review last handed to the page, and its version (see [`poll`]).
    sent: poll::Sent,
}

impl Draft {
    /// A draft of `source`; its frames start being checked at once.
    pub fn open(
        id: String,
        spec: SourceSpec,
        source: BatchSource,
        checks: Arc<FrameChecks>,
    ) -> Self {
        let draft = Self {
            id,
            spec,
            source,
            defaults: BatchDefaults::default(),
            skipped: BTreeSet::new(),
            checks,
            sent: poll::Sent::default(),
        };
        draft.check_frames();
        draft
    }

    /// Another reading of the same place (a folder with a new pair rule): item numbers change, so skips go.
    pub fn replace_source(&mut self, spec: SourceSpec, source: BatchSource) {
        self.spec = spec;
        self.source = source;
        self.skipped.clear();
        self.check_frames();
    }

    /// Queues every frame file that exists and may be read (a refused path is never touched).
    fn check_frames(&self) {
        let paths: Vec<PathBuf> = self
            .source
            .items
            .iter()
            .flat_map(|i| [&i.first_frame, &i.last_frame])
            .flatten()
            .map(|f| f.path.clone())
            .filter(|p| check_frame_path(p).is_ok() && p.is_file())
            .collect();
        self.checks.enqueue(paths);
    }

    pub fn set_skipped(&mut self, index: u32, skipped: bool) -> Result<(), BatchDraftError> {
        self.item_at(index)?;
        if skipped {
            self.skipped.insert(index);
        } else {
            self.skipped.remove(&index);
        }
        Ok(())
    }

    fn item_at(&self, index: u32) -> Result<usize, BatchDraftError> {
        let at = usize::try_from(index).unwrap_or(usize::MAX).wrapping_sub(1);
        if at < self.source.items.len() {
            Ok(at)
        } else {
            Err(BatchDraftError::NoSuchItem { index })
        }
    }

    /// The file item `index` uses in `slot`.
    pub fn frame_path(&self, index: u32, slot: FrameSlot) -> Result<PathBuf, BatchDraftError> {
        let item = &self.source.items[self.item_at(index)?];
        let frame = match slot {
            FrameSlot::First => &item.first_frame,
            FrameSlot::Last => &item.last_frame,
        };
        frame
            .as_ref()
            .map(|f| f.path.clone())
            .ok_or(BatchDraftError::NoFrame { index, slot })
    }

    /// Item `index` uses the fixed copy at `fixed` in `slot` from now on (its name and `{name}` stay).
    pub fn replace_frame(
        &mut self,
        index: u32,
        slot: FrameSlot,
        fixed: PathBuf,
    ) -> Result<(), BatchDraftError> {
        let at = self.item_at(index)?;
        let item = &mut self.source.items[at];
        let frame = match slot {
            FrameSlot::First => &mut item.first_frame,
            FrameSlot::Last => &mut item.last_frame,
        };
        let frame = frame
            .as_mut()
            .ok_or(BatchDraftError::NoFrame { index, slot })?;
        frame.path = fixed.clone();
        self.checks.enqueue([fixed]);
        Ok(())
    }

    /// The plan with the user's skips and the frame check's verdicts applied.
    pub fn plan(&self, presets: &[Preset], rates: &CostRates) -> BatchPlan {
        let settings = self
            .defaults
            .preset
            .as_deref()
            .and_then(|id| presets.iter().find(|p| p.id == id))
            .map_or_else(
                || self.defaults.settings.clone(),
                |p| DraftSettings::from(&p.settings),
            );
        let form = RequestDraft {
            prompt: self.defaults.prompt.clone(),
            first_frame: None,
            last_frame: None,
            settings,
        };
        let aspect = |p: &Path| self.checks.aspect(p);
        let input = PlanInput {
            form: &form,
            takes: self.defaults.takes,
            presets,
            rates,
            frame_aspect: &aspect,
        };
        let mut planned = plan(&self.source, &input);
        let verdict = |p: &Path| self.checks.get(p).map(|f| f.verdict());
        let skipped = |index: u32| self.skipped.contains(&index);
        leave_out_frames(&mut planned, &verdict, &skipped, &aspect);
        planned
    }

    fn frames_of(&self, item: &PlannedItem) -> Vec<FrameReview> {
        [
            (FrameSlot::First, &item.draft.first_frame),
            (FrameSlot::Last, &item.draft.last_frame),
        ]
        .into_iter()
        .filter_map(|(slot, path)| {
            let path = Path::new(path.as_deref()?);
            Some(FrameReview {
                slot,
                file_name: path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                ),
                facts: self.checks.get(path),
                pending: self.checks.is_pending(path),
            })
        })
        .collect()
    }

    pub fn review(&self, presets: &[Preset], rates: &CostRates) -> BatchReview {
        let plan = self.plan(presets, rates);
        let can_start = plan.can_start();
        let items = plan
            .items
            .into_iter()
            .map(|item| {
                let frames = self.frames_of(&item);
                let aspect = |slot| {
                    frames
                        .iter()
                        .find(|f| f.slot == slot)
                        .and_then(|f| f.facts.as_ref())
                        .and_then(FrameFacts::aspect)
                };
                let mismatch = match (aspect(FrameSlot::First), aspect(FrameSlot::Last)) {
                    (Some(a), Some(b)) => aspect_mismatch_of(a, b),
                    _ => None,
                };
                ReviewItem {
                    skipped: self.skipped.contains(&item.index),
                    item,
                    frames,
                    mismatch,
                }
            })
            .collect();
        let mut placeholders = vec!["{name}".to_owned(), "{index}".to_owned()];
        placeholders.extend(
            self.source
                .columns
                .iter()
                .map(|c| format!("{{{}}}", c.key())),
        );
        BatchReview {
            id: self.id.clone(),
            label: self.spec.label(),
            name: self.spec.default_name(),
            source: self.spec.clone(),
            defaults: self.defaults.clone(),
            columns: self.source.columns.clone(),
            placeholders,
            items,
            problems: plan.problems,
            total: plan.total,
            can_start,
            checks_pending: u32::try_from(self.checks.pending()).unwrap_or(u32::MAX),
            version: 0,
        }
    }

    /// Thumbnails of the items on screen; their frames still waiting are checked next.
    pub fn thumbnails(&self, indexes: &[u32]) -> Vec<ItemThumbnails> {
        let mut waiting = Vec::new();
        let mut out = Vec::new();
        for &index in indexes {
            let Ok(at) = self.item_at(index) else {
                continue;
            };
            let item = &self.source.items[at];
            let mut thumb = |frame: &Option<seedance_core::batch::FrameRef>| {
                let path = &frame.as_ref()?.path;
                match self.checks.get(path) {
                    Some(facts) => facts.thumbnail().map(str::to_owned),
                    None => {
                        waiting.push(path.clone());
                        None
                    }
                }
            };
            let first = thumb(&item.first_frame);
            let last = thumb(&item.last_frame);
            out.push(ItemThumbnails { index, first, last });
        }
        self.checks.prioritize(&waiting);
        out
    }

    /// The plan to start: refused while frames are still being checked (their verdicts may leave items
    /// out, and the total the user confirmed must be the one that runs).
    pub fn plan_to_start(
        &self,
        presets: &[Preset],
        rates: &CostRates,
    ) -> Result<BatchPlan, BatchDraftError> {
        let pending = self.checks.pending();
        if pending > 0 {
            return Err(BatchDraftError::ChecksPending {
                count: u32::try_from(pending).unwrap_or(u32::MAX),
            });
        }
        Ok(self.plan(presets, rates))
    }
}

/// The Batch screen's one draft at a time (opening another source replaces it), and whether it is being
/// started: a start takes the draft out, so a second click finds nothing to start.
#[derive(Default)]
pub struct Drafts {
    current: Mutex<Option<Draft>>,
    next: std::sync::atomic::AtomicU64,
    starting: Mutex<Option<String>>,
}

impl Drafts {
    fn lock(&self) -> MutexGuard<'_, Option<Draft>> {
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn new_id(&self) -> String {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        format!("batch-draft-{n}")
    }

    /// Makes `draft` the current one (the previous one's checks stop).
    pub fn put(&self, draft: Draft) {
        *self.lock() = Some(draft);
    }

    /// Runs `f` on the draft `id`.
    pub fn with<T>(
        &self,
        id: &str,
        f: impl FnOnce(&mut Draft) -> Result<T, BatchDraftError>,
    ) -> Result<T, BatchDraftError> {
        let mut current = self.lock();
        match current.as_mut() {
            Some(draft) if draft.id == id => f(draft),
            _ if self.is_starting(id) => Err(BatchDraftError::Starting),
            _ => Err(BatchDraftError::NotFound { id: id.to_owned() }),
        }
    }

    fn is_starting(&self, id: &str) -> bool {
        self.starting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_deref()
            == Some(id)
    }

    /// Takes the draft `id` out to start it; while it is out, every call about it says it is starting.
    pub fn take_for_start(&self, id: &str) -> Result<Draft, BatchDraftError> {
        let mut current = self.lock();
        match current.take() {
            Some(draft) if draft.id == id => {
                *self
                    .starting
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(id.to_owned());
                Ok(draft)
            }
            other => {
                *current = other;
                drop(current);
                if self.is_starting(id) {
                    Err(BatchDraftError::Starting)
                } else {
                    Err(BatchDraftError::NotFound { id: id.to_owned() })
                }
            }
        }
    }

    /// After a start: a refused start puts the draft back (unless another source was opened meanwhile); a
    /// started one is gone.
    pub fn finish_start(&self, draft: Draft, started: bool) {
        let mut current = self.lock();
        *self
            .starting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        if !started && current.is_none() {
            *current = Some(draft);
        }
    }
}

#[path = "batch_review_poll.rs"]
pub mod poll;

#[cfg(test)]
#[path = "batch_review_tests.rs"]
mod tests;
