//! The review's frame checks: the strict decode that runs before upload (size, format, aspect), run in the
//! background over every distinct frame of a batch with bounded parallelism (one worker per core), so the
//! review table fills in as results arrive instead of waiting for the slowest 24 MP photo.
//!
//! [`check_frame_file`] is the one place the per-frame check is called; a core function that checks many
//! frames at once can replace the workers here without the review noticing.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use seedance_core::i18n::{Message, UserFacing};
use seedance_core::images::{intake, FrameProblem, IntakeOptions};
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

    pub fn thumbnail(&self) -> Option<&str> {
        match self {
            Self::Checked { thumbnail, .. } => Some(thumbnail),
            Self::Unusable { .. } => None,
        }
    }
}

/// The per-frame check: the full, strict decode of [`intake`] (what runs before upload), with a small
/// thumbnail for the table.
pub fn check_frame_file(path: &Path) -> FrameFacts {
    let options = IntakeOptions {
        thumbnail_max_side: REVIEW_THUMB_SIDE,
        ..IntakeOptions::default()
    };
    match intake(path, &options) {
        Ok(info) => FrameFacts::Checked {
            width: info.width,
            height: info.height,
            aspect: info.aspect,
            aspect_label: info.aspect_label,
            problems: info.problems,
            thumbnail: info.thumbnail_data_url,
        },
        Err(e) => FrameFacts::Unusable { message: e.msg() },
    }
}

#[derive(Default)]
struct Inner {
    results: HashMap<PathBuf, FrameFacts>,
    queue: VecDeque<PathBuf>,
    /// Queued or being checked: a path is never checked twice.
    pending: std::collections::HashSet<PathBuf>,
    workers: usize,
}

/// Checks of one draft's frames: results by path, the queue, and the workers draining it. Workers hold only
/// a weak reference, so closing the draft stops them after the file each is reading.
pub struct FrameChecks {
    inner: Mutex<Inner>,
    max_workers: usize,
    check: fn(&Path) -> FrameFacts,
}

impl FrameChecks {
    /// One worker per core.
    pub fn new() -> Arc<Self> {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self::with(cores, check_frame_file)
    }

    pub fn with(max_workers: usize, check: fn(&Path) -> FrameFacts) -> Arc<Self> {
        Arc::new(Self {
            inner: Mutex::new(Inner::default()),
            max_workers: max_workers.max(1),
            check,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A worker that panicked left the maps consistent (each change is one insert or remove).
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues every path not yet checked or queued, and starts workers up to the limit.
    pub fn enqueue(self: &Arc<Self>, paths: impl IntoIterator<Item = PathBuf>) {
        let start = {
            let mut inner = self.lock();
            for path in paths {
                if !inner.results.contains_key(&path) && inner.pending.insert(path.clone()) {
                    inner.queue.push_back(path);
                }
            }
            let wanted = inner
                .queue
                .len()
                .min(self.max_workers.saturating_sub(inner.workers));
            inner.workers += wanted;
            wanted
        };
        for _ in 0..start {
            let weak = Arc::downgrade(self);
            std::thread::spawn(move || work(&weak));
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

    #[cfg(test)]
    fn workers(&self) -> usize {
        self.lock().workers
    }
}

fn work(checks: &Weak<FrameChecks>) {
    loop {
        let Some(this) = checks.upgrade() else { return };
        let next = {
            let mut inner = this.lock();
            match inner.queue.pop_front() {
                Some(path) => path,
                None => {
                    inner.workers -= 1;
                    return;
                }
            }
        };
        let check = this.check;
        // The draft may close while a big photo decodes; the result then goes nowhere.
        drop(this);
        let facts = check(&next);
        let Some(this) = checks.upgrade() else { return };
        let mut inner = this.lock();
        inner.pending.remove(&next);
        inner.results.insert(next, facts);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    static RUNNING: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);

    fn slow_check(path: &Path) -> FrameFacts {
        let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(20));
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        FrameFacts::Checked {
            width: 400,
            height: 300,
            aspect: 4.0 / 3.0,
            aspect_label: path.display().to_string(),
            problems: Vec::new(),
            thumbnail: String::new(),
        }
    }

    fn wait_done(checks: &FrameChecks) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while checks.pending() > 0 {
            assert!(Instant::now() < deadline, "checks did not finish");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn every_path_is_checked_once_by_at_most_the_worker_limit() {
        let checks = FrameChecks::with(3, slow_check);
        let paths: Vec<PathBuf> = (0..12)
            .map(|i| PathBuf::from(format!("/f/{i}.png")))
            .collect();
        checks.enqueue(paths.clone());
        // The same paths again, while they are being checked: nothing is queued twice.
        checks.enqueue(paths.clone());
        assert!(checks.workers() <= 3);
        wait_done(&checks);
        assert!(
            PEAK.load(Ordering::SeqCst) <= 3,
            "peak {}",
            PEAK.load(Ordering::SeqCst)
        );
        for p in &paths {
            assert_eq!(checks.aspect(p), Some(4.0 / 3.0), "{}", p.display());
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while checks.workers() > 0 {
            assert!(Instant::now() < deadline, "workers did not stop");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn a_broken_file_is_unusable_with_a_message_and_a_real_image_is_checked() {
        let dir =
            std::env::temp_dir().join(format!("seedance-batch-frames-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let broken = dir.join("broken.png");
        std::fs::write(&broken, b"not a png").unwrap();
        assert!(matches!(
            check_frame_file(&broken),
            FrameFacts::Unusable { .. }
        ));
        let icon = Path::new(env!("CARGO_MANIFEST_DIR")).join("icons/128x128.png");
        let facts = check_frame_file(&icon);
        // 128 px is below the model's 300 px: readable, with a problem (and its fix).
        assert_eq!(facts.aspect(), Some(1.0));
        assert!(!facts.acceptable());
        assert!(facts
            .thumbnail()
            .is_some_and(|t| t.starts_with("data:image/")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
