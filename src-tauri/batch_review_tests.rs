#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use seedance_core::batch::from_paths;
use seedance_core::cost::CostRates;
use seedance_core::i18n::Message;
use seedance_core::images::{FixKind, FrameProblem, FrameProblemKind};

use super::*;
use crate::batch_frames::{fake_info, FrameChecks, FrameFacts};
use seedance_core::batch::CheckWork;
use seedance_core::images::{FrameInfo, ImageError};

/// A check that reads nothing: a file named `small*` is too small (with an upscale fix), `broken*` is
/// unusable, anything else is a 4:3 frame; `slow*` takes a moment.
fn fake_check(path: &Path) -> Result<FrameInfo, ImageError> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    if name.starts_with("slow") {
        std::thread::sleep(Duration::from_millis(300));
    }
    if name.starts_with("broken") {
        return Err(ImageError::NotAnImage(path.to_path_buf()));
    }
    let problems = if name.starts_with("small") {
        vec![FrameProblem {
            kind: FrameProblemKind::TooSmall,
            message: Message::new("msg.image.too_small"),
            fix: Some(FixKind::Upscale { min_side: 300 }),
        }]
    } else {
        Vec::new()
    };
    Ok(fake_info(
        path,
        problems,
        format!("data:image/jpeg;base64,{name}"),
    ))
}

fn fake_work() -> CheckWork {
    std::sync::Arc::new(fake_check)
}

struct Folder(PathBuf);

impl Folder {
    fn with(files: &[&str]) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "seedance-batch-review-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        for f in files {
            std::fs::write(dir.join(f), b"x").unwrap();
        }
        Self(dir)
    }

    fn paths(&self, files: &[&str]) -> Vec<PathBuf> {
        files.iter().map(|f| self.0.join(f)).collect()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn draft_of(folder: &Folder, files: &[&str]) -> Draft {
    let source = from_paths(&folder.paths(files)).unwrap();
    let spec = SourceSpec::Paths { count: 3 };
    let mut draft = Draft::open("d1".into(), spec, source, FrameChecks::with(2, fake_work()));
    draft.defaults.prompt = "{name} turns to the camera".into();
    draft.defaults.takes = 2;
    draft
}

fn wait_checked(draft: &Draft) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while draft.checks.pending() > 0 {
        assert!(Instant::now() < deadline, "checks did not finish");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn rates() -> CostRates {
    CostRates::default()
}

#[test]
fn a_skipped_item_leaves_the_jobs_and_the_total_and_comes_back() {
    let folder = Folder::with(&["a.png", "b.png", "c.png"]);
    let mut draft = draft_of(&folder, &["a.png", "b.png", "c.png"]);
    wait_checked(&draft);
    let all = draft.review(&[], &rates());
    assert_eq!(all.total.jobs, 6, "3 items × 2 takes");
    assert!(all.can_start);
    let one_item_tokens = all.total.tokens_max / 3;
    assert_eq!(all.items[0].item.draft.prompt, "a turns to the camera");

    draft.set_skipped(2, true).unwrap();
    let skipped = draft.review(&[], &rates());
    assert!(skipped.items[1].skipped && skipped.items[1].item.excluded);
    assert_eq!(skipped.total.jobs, 4);
    assert_eq!(skipped.total.excluded_items, 1);
    assert_eq!(skipped.total.tokens_max, one_item_tokens * 2);
    let plan = draft.plan(&[], &rates());
    assert!(plan.jobs.iter().all(|j| j.item != 2), "no job of item 2");

    draft.set_skipped(2, false).unwrap();
    assert_eq!(draft.review(&[], &rates()).total.jobs, 6);
    assert!(matches!(
        draft.set_skipped(9, true),
        Err(BatchDraftError::NoSuchItem { index: 9 })
    ));
}

#[test]
fn a_frame_the_check_refuses_keeps_its_item_out_until_a_fixed_copy_replaces_it() {
    let folder = Folder::with(&["a.png", "small.png", "broken.png", "fixed.png"]);
    let mut draft = draft_of(&folder, &["a.png", "small.png", "broken.png"]);
    wait_checked(&draft);
    let review = draft.review(&[], &rates());
    let excluded: Vec<bool> = review.items.iter().map(|i| i.item.excluded).collect();
    assert_eq!(excluded, [false, true, true]);
    assert_eq!(review.total.jobs, 2);
    let small = &review.items[1].frames[0];
    assert_eq!(small.file_name, "small.png");
    assert!(
        matches!(&small.facts, Some(FrameFacts::Checked { problems, .. }) if problems.len() == 1)
    );

    // The fix wrote a copy; the item uses it, is checked again and comes back, with its own name.
    draft
        .replace_frame(2, FrameSlot::First, folder.0.join("fixed.png"))
        .unwrap();
    wait_checked(&draft);
    let review = draft.review(&[], &rates());
    assert!(!review.items[1].item.excluded);
    assert_eq!(
        review.items[1].item.draft.prompt,
        "small turns to the camera"
    );
    assert_eq!(review.total.jobs, 4);
    assert!(draft
        .replace_frame(2, FrameSlot::Last, folder.0.join("fixed.png"))
        .is_err());
}

#[test]
fn thumbnails_come_from_the_checks_and_starting_waits_for_them() {
    let folder = Folder::with(&["slow1.png", "slow2.png", "slow3.png"]);
    let draft = draft_of(&folder, &["slow1.png", "slow2.png", "slow3.png"]);
    assert!(matches!(
        draft.plan_to_start(&[], &rates()),
        Err(BatchDraftError::ChecksPending { .. })
    ));
    let before = draft.thumbnails(&[3]);
    assert_eq!(before[0].index, 3);
    let waiting = draft.review(&[], &rates());
    assert!(waiting.items[2].frames[0].pending && waiting.items[2].frames[0].facts.is_none());
    wait_checked(&draft);
    let after = draft.thumbnails(&[1, 3, 99]);
    assert_eq!(after.len(), 2, "an item that does not exist has none");
    assert_eq!(
        after[1].first.as_deref(),
        Some("data:image/jpeg;base64,slow3.png")
    );
    assert_eq!(after[1].last, None);
    assert_eq!(draft.plan_to_start(&[], &rates()).unwrap().jobs.len(), 6);
}

#[test]
fn a_draft_taken_to_start_cannot_be_started_again() {
    let folder = Folder::with(&["a.png"]);
    let drafts = Drafts::default();
    drafts.put(draft_of(&folder, &["a.png"]));
    let taken = drafts.take_for_start("d1").unwrap();
    assert!(matches!(
        drafts.take_for_start("d1"),
        Err(BatchDraftError::Starting)
    ));
    assert!(matches!(
        drafts.with("d1", |_| Ok(())),
        Err(BatchDraftError::Starting)
    ));
    // Refused (a repeat question, say): it is back for the next try.
    drafts.finish_start(taken, false);
    let taken = drafts.take_for_start("d1").unwrap();
    // Started: gone.
    drafts.finish_start(taken, true);
    assert!(matches!(
        drafts.take_for_start("d1"),
        Err(BatchDraftError::NotFound { .. })
    ));
}

#[test]
fn the_estimate_uses_the_shapes_the_checks_found() {
    let folder = Folder::with(&["slow_a.png"]);
    let mut draft = draft_of(&folder, &["slow_a.png"]);
    draft.defaults.settings.ratio = "adaptive".into();
    // Before the check the adaptive ratio follows a shape nobody knows yet: the total says so.
    let guessed = draft.review(&[], &rates());
    assert!(guessed.total.approximate);
    wait_checked(&draft);
    let known = draft.review(&[], &rates());
    assert!(!known.total.approximate, "the 4:3 frame is known now");
    let size = known.items[0]
        .item
        .estimate
        .as_ref()
        .map(|e| (e.width, e.height));
    assert_ne!(
        size,
        guessed.items[0]
            .item
            .estimate
            .as_ref()
            .map(|e| (e.width, e.height))
    );
}

/// A poll while 10 of 1 000 frames were checked sends those 10 items (and the total), not the whole
/// review; a poll naming an old version gets every item. Prints the bytes of each answer.
#[test]
fn a_poll_sends_only_the_items_that_changed_since_the_pages_version() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let names: Vec<String> = (1..=1000).map(|i| format!("p{i:04}.png")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let folder = Folder::with(&refs);
    // Each check waits until the test lets that many through, so the test decides what finished.
    let allowed = std::sync::Arc::new(AtomicUsize::new(0));
    let started = std::sync::Arc::new(AtomicUsize::new(0));
    let (a, s) = (allowed.clone(), started.clone());
    let gated: CheckWork = std::sync::Arc::new(move |path: &Path| {
        let n = s.fetch_add(1, Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(20);
        while n >= a.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        fake_check(path)
    });
    let source = from_paths(&folder.paths(&refs)).unwrap();
    let spec = SourceSpec::Paths { count: 1000 };
    let mut draft = Draft::open("d1".into(), spec, source, FrameChecks::with(2, gated));
    draft.defaults.prompt = "{name} turns to the camera".into();

    let first = draft.review_for_page(&[], &rates());
    assert_eq!(first.checks_pending, 1000);
    let full_bytes = serde_json::to_vec(&first).unwrap().len();

    allowed.store(10, Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(20);
    while draft.checks.pending() > 990 {
        assert!(Instant::now() < deadline, "checks did not finish");
        std::thread::sleep(Duration::from_millis(2));
    }
    let changes = draft.changes_since(first.version, &[], &rates());
    assert!(!changes.full);
    assert_eq!(changes.checks_pending, 990);
    let changed: Vec<u32> = changes.items.iter().map(|i| i.item.index).collect();
    assert_eq!(changed, (1..=10).collect::<Vec<_>>());
    assert!(changes.items.iter().all(|i| i.frames[0].facts.is_some()));
    let poll_bytes = serde_json::to_vec(&changes).unwrap().len();

    // Nothing new: only the small parts.
    let quiet = draft.changes_since(changes.version, &[], &rates());
    assert!(quiet.items.is_empty() && !quiet.full);
    let quiet_bytes = serde_json::to_vec(&quiet).unwrap().len();
    // A page whose copy is older than the last one handed out gets every item.
    let stale = draft.changes_since(first.version, &[], &rates());
    assert!(stale.full);
    assert_eq!(stale.items.len(), 1000);

    eprintln!(
        "review poll, 1000 items: whole review {full_bytes} bytes; changes with 10 items checked {poll_bytes} bytes; with none {quiet_bytes} bytes"
    );
    assert!(poll_bytes * 20 < full_bytes, "{poll_bytes} vs {full_bytes}");
    allowed.store(usize::MAX, Ordering::SeqCst);
}
