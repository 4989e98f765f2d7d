//! Contents already checked in this process, by the SHA-256 of their bytes: one decode per content serves
//! every check of it.
//!
//! A frame is checked several times on its way to the service: when it is picked or reviewed (a frame on
//! the Generate screen, a batch's review, `seedance generate` pricing its request), again when the job or
//! batch is stored (minutes later: the file may have changed), and once more just before its upload.
//! Decoding a 24 MP photo again only to learn what the first decode said costs as much as the first. Every
//! check still reads and hashes the whole file ([`super::intake`], [`super::recheck`]); when those bytes
//! are ones a decode already accepted here, their facts are taken from this memo instead of decoding again.
//! The verdict of the strict check depends on the bytes alone, so it is the same. Bytes that differ in any
//! way hash differently and are decoded in full, so a changed file is always checked again; a file the
//! decoder refused is not remembered and is decoded (and refused) again.
//!
//! Each entry holds the facts (a few hundred bytes) and, while [`THUMBNAIL_BUDGET`] allows, the
//! [`super::THUMBNAIL_MAX_SIDE`] preview a job stores with its record, so the check when a job or batch is
//! stored needs no decode either. The memo forgets the oldest facts past [`CAPACITY`] entries and the
//! oldest previews past the budget; a content forgotten, or asked for without its preview, is simply
//! decoded again.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use super::FrameInfo;

/// Far more distinct photos than one batch holds, in about a megabyte.
const CAPACITY: usize = 4096;
/// The previews kept (data URLs of 30–60 kB): those of a batch of several hundred photos.
const THUMBNAIL_BUDGET: usize = 32 * 1024 * 1024;

#[derive(Default)]
struct Memo {
    /// Facts without path, handle or preview, and the preview at [`super::THUMBNAIL_MAX_SIDE`] if kept.
    by_hash: HashMap<String, (FrameInfo, Option<String>)>,
    /// Hashes in the order they were first remembered, oldest first.
    order: VecDeque<String>,
    /// Hashes whose preview is kept, oldest first, and those previews' bytes together.
    with_thumbnail: VecDeque<String>,
    thumbnail_bytes: usize,
}

impl Memo {
    fn drop_thumbnail(&mut self, hash: &str) {
        if let Some((_, kept)) = self.by_hash.get_mut(hash) {
            if let Some(thumbnail) = kept.take() {
                self.thumbnail_bytes = self.thumbnail_bytes.saturating_sub(thumbnail.len());
            }
        }
    }
}

fn memo() -> &'static Mutex<Memo> {
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    MEMO.get_or_init(Mutex::default)
}

/// Remembers what the check of some bytes found (`info.content_sha256` names them), with their preview at
/// [`super::THUMBNAIL_MAX_SIDE`] when one was made.
pub(super) fn remember(info: &FrameInfo, thumbnail: Option<String>) {
    let facts = FrameInfo {
        path: Default::default(),
        handle: String::new(),
        thumbnail_data_url: String::new(),
        ..info.clone()
    };
    let hash = facts.content_sha256.clone();
    let mut memo = memo().lock().unwrap_or_else(|p| p.into_inner());
    let memo = &mut *memo;
    match memo.by_hash.get_mut(&hash) {
        Some((_, kept)) if kept.is_some() => return,
        Some((_, kept)) => *kept = thumbnail.clone(),
        None => {
            memo.by_hash
                .insert(hash.clone(), (facts, thumbnail.clone()));
            memo.order.push_back(hash.clone());
            while memo.order.len() > CAPACITY {
                if let Some(oldest) = memo.order.pop_front() {
                    if memo.by_hash.get(&oldest).is_some_and(|(_, t)| t.is_some()) {
                        memo.drop_thumbnail(&oldest);
                        memo.with_thumbnail.retain(|h| *h != oldest);
                    }
                    memo.by_hash.remove(&oldest);
                }
            }
        }
    }
    if let Some(thumbnail) = thumbnail {
        memo.thumbnail_bytes += thumbnail.len();
        memo.with_thumbnail.push_back(hash);
        while memo.thumbnail_bytes > THUMBNAIL_BUDGET {
            let Some(oldest) = memo.with_thumbnail.pop_front() else {
                break;
            };
            memo.drop_thumbnail(&oldest);
        }
    }
}

/// What the check found for bytes of this SHA-256 (hex), now read from `path` (without a preview), and
/// their preview at [`super::THUMBNAIL_MAX_SIDE`] if it is kept.
pub(super) fn recall(sha256: &str, path: &Path) -> Option<(FrameInfo, Option<String>)> {
    let memo = memo().lock().unwrap_or_else(|p| p.into_inner());
    let (facts, thumbnail) = memo.by_hash.get(sha256)?;
    Some((
        FrameInfo {
            path: path.to_path_buf(),
            ..facts.clone()
        },
        thumbnail.clone(),
    ))
}

/// Which files were decoded, for the tests that a frame is decoded once however often it is checked (each
/// test names files of its own, so tests running at once do not disturb each other). A build with the
/// `decode-log` feature, started with [`DECODE_LOG_ENV`] naming a file, also appends each decoded path to
/// that file, a line each: the command-line tests count a whole process's decodes that way.
#[cfg(any(test, feature = "decode-log"))]
pub(crate) mod decoded {
    use std::path::Path;

    /// The file a `decode-log` build appends each decoded path to.
    #[cfg(feature = "decode-log")]
    pub const DECODE_LOG_ENV: &str = "SEEDANCE_DECODE_LOG";

    #[cfg(test)]
    static PATHS: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

    pub(crate) fn note(path: &Path) {
        #[cfg(test)]
        PATHS
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(path.to_path_buf());
        #[cfg(feature = "decode-log")]
        if let Some(log) = std::env::var_os(DECODE_LOG_ENV) {
            use std::io::Write;
            let line = format!("{}\n", path.display());
            let appended = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .and_then(|mut f| f.write_all(line.as_bytes()));
            if let Err(e) = appended {
                tracing::warn!(error = %e, "could not write the decode log");
            }
        }
    }

    /// How many times `path` was decoded so far.
    #[cfg(test)]
    pub(crate) fn count(path: &Path) -> usize {
        let paths = PATHS.lock().unwrap_or_else(|p| p.into_inner());
        paths.iter().filter(|p| p.as_path() == path).count()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn facts(hash: &str) -> FrameInfo {
        FrameInfo {
            path: "/photos/a.jpg".into(),
            handle: "h1".into(),
            format: "JPEG".into(),
            width: 640,
            height: 480,
            file_bytes: 1000.0,
            aspect: 640.0 / 480.0,
            aspect_label: "4:3".into(),
            thumbnail_data_url: "data:image/jpeg;base64,AAAA".into(),
            content_sha256: hash.into(),
            problems: Vec::new(),
        }
    }

    #[test]
    fn recalled_facts_name_the_new_path_and_carry_the_kept_preview_apart() {
        let hash = "a1".repeat(32);
        remember(&facts(&hash), None);
        let (again, thumbnail) = recall(&hash, Path::new("/elsewhere/b.jpg")).unwrap();
        assert_eq!(again.path, Path::new("/elsewhere/b.jpg"));
        assert_eq!((again.width, again.height), (640, 480));
        assert_eq!(again.content_sha256, hash);
        assert!(again.thumbnail_data_url.is_empty() && again.handle.is_empty());
        assert_eq!(thumbnail, None);
        assert!(recall(&"b2".repeat(32), Path::new("/photos/a.jpg")).is_none());

        // A later check that made the preview adds it to the facts already kept.
        remember(&facts(&hash), Some("data:image/jpeg;base64,BBBB".into()));
        let (_, thumbnail) = recall(&hash, Path::new("/a.jpg")).unwrap();
        assert_eq!(thumbnail.as_deref(), Some("data:image/jpeg;base64,BBBB"));
    }

    #[test]
    fn the_oldest_are_forgotten_past_the_capacity() {
        let first = format!("{:064x}", u64::MAX);
        remember(&facts(&first), Some("data:x".into()));
        for i in 0..CAPACITY as u64 {
            remember(&facts(&format!("{:064x}", i + 1_000_000)), None);
        }
        assert!(recall(&first, Path::new("/a.jpg")).is_none());
        let newest = format!("{:064x}", CAPACITY as u64 - 1 + 1_000_000);
        assert!(recall(&newest, Path::new("/a.jpg")).is_some());
        let memo = memo().lock().unwrap();
        assert!(memo.by_hash.len() <= CAPACITY);
        assert!(!memo.with_thumbnail.contains(&first));
    }

    /// Past the budget the oldest previews go (their facts stay), so the kept ones never pass it.
    #[test]
    fn previews_are_kept_within_their_budget() {
        let preview = "p".repeat(THUMBNAIL_BUDGET / 8);
        let hashes: Vec<String> = (0..12u64)
            .map(|i| format!("{:064x}", i + 7_000_000))
            .collect();
        for hash in &hashes {
            remember(&facts(hash), Some(preview.clone()));
        }
        let (facts_kept, oldest) = recall(&hashes[0], Path::new("/a.jpg")).unwrap();
        assert_eq!(facts_kept.content_sha256, hashes[0]);
        assert_eq!(oldest, None, "the oldest preview is forgotten");
        let (_, newest) = recall(&hashes[11], Path::new("/a.jpg")).unwrap();
        assert_eq!(newest.as_deref(), Some(preview.as_str()));
        assert!(memo().lock().unwrap().thumbnail_bytes <= THUMBNAIL_BUDGET);
    }
}
