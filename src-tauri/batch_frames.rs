//! The review's frame checks: the strict decode that runs before upload (size, format, aspect) over every
//! distinct frame of a draft, in the background, so the review table fills in as results arrive instead of
//! waiting for the slowest 24 MP photo.
//!
//! The checking itself is the core's batch check ([`seedance_core::batch::check_queue`]: bounded
//! parallelism, one decode per core). This file keeps only what the review adds: results by path, a queue
//! the screen can reorder (rows on screen first) and add to (a fixed copy), and stopping when the draft
//! closes.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use seedance_core::batch::{
    check_queue, default_in_flight, intake_work, CheckWork, FrameCheck, FrameVerdict,
};
use seedance_core::i18n::{Message, UserFacing};
use seedance_core::images::{FrameInfo, FrameProblem, ImageError, IntakeOptions};
use serde::Serialize;

/// Long side of the review table's thumbnails: small, so a thousand of them stay a few megabytes.
pub const REVIEW_THUMB_SIDE: u32 = 96;

/// What the check found for one frame file.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FrameFacts {
    /// Readable; `problems` are limit violations (each with its one-click fix, if any).
    Checked {
        width: u32,
        height: u32,
        aspect: f64,
        aspect_label: String,
        problems: Vec<FrameProblem>,
        #[serde(skip)]
        thumbnail: String,
    },
    /// Cannot be used at all (unreadable, not an image, a format the service refuses).
    Unusable { message: Message },
}

impl FrameFacts {
    pub fn aspect(&self) -> Option<f64> {
        match self {
            Self::Checked { aspect, .. } => Some(*aspect),
            Self::Unusable { .. } => None,
        }
    }

    /// Whether the frame can be uploaded as it is.
    pub fn acceptable(&self) -> bool {
        matches!(self, Self::Checked { problems, .. } if problems.is_empty())
    }

    /// What the review's rule for leaving items out needs of it.
    pub fn verdict(&self) -> FrameVerdict {
        match self {
            _ if self.acceptable() => FrameVerdict::Usable,
            Self::Checked { problems, .. } => FrameVerdict::Problems(problems.clone()),
            Self::Unusable { message } => FrameVerdict::Unusable(message.clone()),
        }
    }

    pub fn thumbnail(&self) -> Option<&str> {
        match self {
            Self::Checked { thumbnail, .. } => Some(thumbnail),
            Self::Unusable { .. } => None,
        }
    }

    /// What the review keeps of one file's check.
    pub fn of(result: Result<FrameInfo, ImageError>) -> Self {
        match result {
            Ok(info) => Self::Checked {
                width: info.width,
                height: info.height,
                aspect: info.aspect,
                aspect_label: info.aspect_label,
                problems: info.problems,
                thumbnail: info.thumbnail_data_url,
            },
            Err(e) => Self::Unusable { message: e.msg() },
        }
    }
}

/// The check the review runs on each file: the full, strict decode of upload, with a small thumbnail for
/// the table.
pub fn review_work() -> CheckWork {
    intake_work(&IntakeOptions {
        thumbnail_max_side: REVIEW_THUMB_SIDE,
        ..IntakeOptions::default()
    })
}

#[derive(Default)]
struct Inner {
    results: HashMap<PathBuf, FrameFacts>,
    queue: VecDeque<PathBuf>,
    /// Queued or being checked: a path is never checked twice.
    pending: HashSet<PathBuf>,
    /// A run is taking files from the queue (it stops taking once it finds the queue empty).
    running: bool,
}

/// Checks of one draft's frames: results by path, the queue, and the run draining it. The run holds only
/// a weak reference, so closing the draft stops it after the files in flight.
pub struct FrameChecks {
    inner: Mutex<Inner>,
    in_flight: usize,
    work: CheckWork,
}

impl FrameChecks {
    /// One decode per core.
    pub fn new() -> Arc<Self> {
        Self::with(default_in_flight(), review_work())
    }

    pub fn with(in_flight: usize, work: CheckWork) -> Arc<Self> {
        Arc::new(Self {
            inner: Mutex::new(Inner::default()),
            in_flight: in_flight.max(1),
            work,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A run that panicked left the maps consistent (each change is one insert or remove).
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues every path not yet checked or queued, and starts a run when none is taking files.
    pub fn enqueue(self: &Arc<Self>, paths: impl IntoIterator<Item = PathBuf>) {
        let start = {
            let mut inner = self.lock();
            for path in paths {
                if !inner.results.contains_key(&path) && inner.pending.insert(path.clone()) {
                    inner.queue.push_back(path);
                }
            }
            let start = !inner.running && !inner.queue.is_empty();
            inner.running |= start;
            start
        };
        if start {
            let weak = Arc::downgrade(self);
            let (in_flight, work) = (self.in_flight, Arc::clone(&self.work));
            std::thread::spawn(move || run(&weak, in_flight, work));
        }
    }

    /// Moves queued `paths` to the front (rows on screen are checked first).
    pub fn prioritize(&self, paths: &[PathBuf]) {
        let mut inner = self.lock();
        for path in paths.iter().rev() {
            if let Some(at) = inner.queue.iter().position(|p| p == path) {
                if let Some(p) = inner.queue.remove(at) {
                    inner.queue.push_front(p);
                }
            }
        }
    }

    pub fn get(&self, path: &Path) -> Option<FrameFacts> {
        self.lock().results.get(path).cloned()
    }

    /// Width / height of a checked frame.
    pub fn aspect(&self, path: &Path) -> Option<f64> {
        self.lock().results.get(path).and_then(FrameFacts::aspect)
    }

    /// Whether `path` is waiting or being checked.
    pub fn is_pending(&self, path: &Path) -> bool {
        self.lock().pending.contains(path)
    }

    /// How many of the queued paths are still waiting or being checked.
    pub fn pending(&self) -> usize {
        self.lock().pending.len()
    }

    /// Takes the next file for the run; the run ends (and the next enqueue starts another) when the
    /// queue is empty or the draft is gone.
    fn next(&self) -> Option<PathBuf> {
        let mut inner = self.lock();
        let next = inner.queue.pop_front();
        if next.is_none() {
            inner.running = false;
        }
        next
    }

    fn record(&self, check: FrameCheck) {
        let mut inner = self.lock();
        inner.pending.remove(&check.path);
        inner
            .results
            .insert(check.path, FrameFacts::of(check.result));
    }

    #[cfg(test)]
    fn running(&self) -> bool {
        self.lock().running
    }
}

/// One run over the queue, on its own thread with a small runtime (the decodes go to its blocking pool):
/// the review's commands never wait for it.
fn run(checks: &Weak<FrameChecks>, in_flight: usize, work: CheckWork) {
    let runtime = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!("frame checks not started: {e}");
            if let Some(this) = checks.upgrade() {
                this.lock().running = false;
            }
            return;
        }
    };
    // The draft may close while a big photo decodes: no new file is taken, and results go nowhere.
    let next = || checks.upgrade()?.next();
    runtime.block_on(check_queue(next, in_flight, work, |check| {
        match checks.upgrade() {
            Some(this) => {
                this.record(check);
                ControlFlow::Continue(())
            }
            None => ControlFlow::Break(()),
        }
    }));
}

/// A readable frame's facts without reading anything, for tests of the review.
#[cfg(test)]
pub fn fake_info(path: &Path, problems: Vec<FrameProblem>, thumbnail: String) -> FrameInfo {
    FrameInfo {
        path: path.to_path_buf(),
        handle: String::new(),
        format: "PNG".into(),
        width: 800,
        height: 600,
        file_bytes: 1.0,
        aspect: 4.0 / 3.0,
        aspect_label: "4:3".into(),
        thumbnail_data_url: thumbnail,
        content_sha256: String::new(),
        problems,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    fn wait_done(checks: &FrameChecks) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while checks.pending() > 0 {
            assert!(Instant::now() < deadline, "checks did not finish");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn every_path_is_checked_once_by_at_most_the_worker_limit() {
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let calls = Arc::new(AtomicUsize::new(0));
        let (r, p, c) = (Arc::clone(&running), Arc::clone(&peak), Arc::clone(&calls));
        let slow_check: CheckWork = Arc::new(move |path: &Path| {
            c.fetch_add(1, Ordering::SeqCst);
            let now = r.fetch_add(1, Ordering::SeqCst) + 1;
            p.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(20));
            r.fetch_sub(1, Ordering::SeqCst);
            Ok(fake_info(path, Vec::new(), String::new()))
        });
        let checks = FrameChecks::with(3, slow_check);
        let paths: Vec<PathBuf> = (0..12)
            .map(|i| PathBuf::from(format!("/f/{i}.png")))
            .collect();
        checks.enqueue(paths.clone());
        // The same paths again, while they are being checked: nothing is queued twice.
        checks.enqueue(paths.clone());
        wait_done(&checks);
        assert!(
            peak.load(Ordering::SeqCst) <= 3,
            "peak {}",
            peak.load(Ordering::SeqCst)
        );
        assert_eq!(calls.load(Ordering::SeqCst), 12);
        for p in &paths {
            assert_eq!(checks.aspect(p), Some(4.0 / 3.0), "{}", p.display());
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while checks.running() {
            assert!(Instant::now() < deadline, "the run did not stop");
            std::thread::sleep(Duration::from_millis(5));
        }
        // A path added after the run ended starts another.
        checks.enqueue([PathBuf::from("/f/late.png")]);
        wait_done(&checks);
        assert_eq!(checks.aspect(Path::new("/f/late.png")), Some(4.0 / 3.0));
    }

    #[test]
    fn a_broken_file_is_unusable_with_a_message_and_a_real_image_is_checked() {
        let dir =
            std::env::temp_dir().join(format!("seedance-batch-frames-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let broken = dir.join("broken.png");
        std::fs::write(&broken, b"not a png").unwrap();
        let icon = Path::new(env!("CARGO_MANIFEST_DIR")).join("icons/128x128.png");
        let checks = FrameChecks::new();
        checks.enqueue([broken.clone(), icon.clone()]);
        wait_done(&checks);
        assert!(matches!(
            checks.get(&broken),
            Some(FrameFacts::Unusable { .. })
        ));
        let facts = checks.get(&icon).unwrap();
        // 128 px is below the model's 300 px: readable, with a problem (and its fix).
        assert_eq!(facts.aspect(), Some(1.0));
        assert!(!facts.acceptable());
        assert!(facts
            .thumbnail()
            .is_some_and(|t| t.starts_with("data:image/")));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Closing the draft stops its run: files still queued are never read.
    #[test]
    fn a_closed_draft_takes_no_further_file() {
        let calls = Arc::new(AtomicUsize::new(0));
        let c = Arc::clone(&calls);
        let work: CheckWork = Arc::new(move |path: &Path| {
            c.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(100));
            Ok(fake_info(path, Vec::new(), String::new()))
        });
        let checks = FrameChecks::with(1, work);
        checks.enqueue((0..10).map(|i| PathBuf::from(format!("/f/{i}.png"))));
        std::thread::sleep(Duration::from_millis(30));
        drop(checks);
        std::thread::sleep(Duration::from_millis(400));
        assert!(
            calls.load(Ordering::SeqCst) <= 2,
            "{}",
            calls.load(Ordering::SeqCst)
        );
    }
}
