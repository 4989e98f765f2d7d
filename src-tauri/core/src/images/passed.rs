//! Contents that passed the strict full check in this process, by the SHA-256 of their bytes.
//!
//! A frame is checked when it is chosen (a batch's check before anything is paid for, a submission's check)
//! and again just before its upload, minutes later, in case the file changed in between. Decoding a 24 MP
//! photo a second time only to learn what the first decode said costs as much as the first. The check
//! before upload still reads and hashes the whole file ([`super::recheck`]); when those bytes are ones a full
//! decode already accepted here, their facts are taken from this memo instead of decoding again. Bytes that
//! differ in any way hash differently and are decoded in full, so a changed file is always checked again.
//!
//! The memo holds facts only (no pixels and no thumbnail, a few hundred bytes each) and forgets the oldest
//! past [`CAPACITY`] entries; a forgotten content is simply decoded again.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use super::FrameInfo;

/// Far more distinct photos than one batch holds, in about a megabyte.
const CAPACITY: usize = 4096;

#[derive(Default)]
struct Memo {
    by_hash: HashMap<String, FrameInfo>,
    /// Hashes in the order they were first remembered, oldest first.
    order: VecDeque<String>,
}

fn memo() -> &'static Mutex<Memo> {
    static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
    MEMO.get_or_init(Mutex::default)
}

/// Remembers what the full check of some bytes found (`info.content_sha256` names them).
pub(super) fn remember(info: &FrameInfo) {
    let facts = FrameInfo {
        path: Default::default(),
        handle: String::new(),
        thumbnail_data_url: String::new(),
        ..info.clone()
    };
    let mut memo = memo().lock().unwrap_or_else(|p| p.into_inner());
    let hash = facts.content_sha256.clone();
    if memo.by_hash.insert(hash.clone(), facts).is_none() {
        memo.order.push_back(hash);
        while memo.order.len() > CAPACITY {
            if let Some(oldest) = memo.order.pop_front() {
                memo.by_hash.remove(&oldest);
            }
        }
    }
}

/// What the full check found for bytes of this SHA-256 (hex), now read from `path`; no thumbnail.
pub(super) fn recall(sha256: &str, path: &Path) -> Option<FrameInfo> {
    let memo = memo().lock().unwrap_or_else(|p| p.into_inner());
    let facts = memo.by_hash.get(sha256)?;
    Some(FrameInfo {
        path: path.to_path_buf(),
        ..facts.clone()
    })
}

/// Which files were decoded in full or in part, for the tests that a check before upload does not decode
/// again (each test names files of its own, so tests running at once do not disturb each other).
#[cfg(test)]
pub(crate) mod decoded {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    static PATHS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    pub(crate) fn note(path: &Path) {
        PATHS
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(path.to_path_buf());
    }

    /// How many times `path` was decoded so far.
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
    fn recalled_facts_name_the_new_path_and_carry_no_thumbnail() {
        let hash = "a1".repeat(32);
        remember(&facts(&hash));
        let again = recall(&hash, Path::new("/elsewhere/b.jpg")).unwrap();
        assert_eq!(again.path, Path::new("/elsewhere/b.jpg"));
        assert_eq!((again.width, again.height), (640, 480));
        assert_eq!(again.content_sha256, hash);
        assert!(again.thumbnail_data_url.is_empty() && again.handle.is_empty());
        assert!(recall(&"b2".repeat(32), Path::new("/photos/a.jpg")).is_none());
    }

    #[test]
    fn the_oldest_are_forgotten_past_the_capacity() {
        let first = format!("{:064x}", u64::MAX);
        remember(&facts(&first));
        for i in 0..CAPACITY as u64 {
            remember(&facts(&format!("{:064x}", i + 1_000_000)));
        }
        assert!(recall(&first, Path::new("/a.jpg")).is_none());
        let newest = format!("{:064x}", CAPACITY as u64 - 1 + 1_000_000);
        assert!(recall(&newest, Path::new("/a.jpg")).is_some());
        assert!(memo().lock().unwrap().by_hash.len() <= CAPACITY);
    }
}
