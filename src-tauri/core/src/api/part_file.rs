//! The bookkeeping around a download's `.part` file. Beside it, `<name>.part.meta` keeps what the result
//! host said about the file when the download began (its ETag, Last-Modified and length), so a resume,
//! even after a restart, asks for the rest of *that* file (`If-Range`) and starts over when the host now
//! has a different one instead of splicing two files together. And the finished file is put into place
//! without ever replacing a file already there.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_RANGE, ETAG, LAST_MODIFIED};
use serde::{Deserialize, Serialize};

/// Names tried beside the planned one when it is taken (`clip (2).mp4`, …).
const FREE_NAME_ATTEMPTS: u32 = 100;

/// What the result host said about the whole file when the download began.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct PartInfo {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub length: Option<u64>,
}

impl PartInfo {
    /// From the headers of a `200` answer whose body is `length` bytes.
    pub fn from_full(headers: &HeaderMap, length: Option<u64>) -> Self {
        let text = |name| {
            headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Self {
            etag: text(ETAG),
            last_modified: text(LAST_MODIFIED),
            length,
        }
    }

    /// The `If-Range` value: a strong ETag, else the date (a weak ETag may not be used there).
    pub fn validator(&self) -> Option<&str> {
        self.etag
            .as_deref()
            .filter(|e| !e.starts_with("W/"))
            .or(self.last_modified.as_deref())
    }

    /// Whether a `206` answer is a piece of the same file: same ETag and same total length wherever both
    /// sides say.
    pub fn same_file(&self, headers: &HeaderMap) -> bool {
        let etag = headers.get(ETAG).and_then(|v| v.to_str().ok());
        let etag_ok = match (self.etag.as_deref(), etag) {
            (Some(ours), Some(theirs)) => ours == theirs.trim(),
            _ => true,
        };
        let length_ok = match (self.length, range_total(headers)) {
            (Some(ours), Some(theirs)) => ours == theirs,
            _ => true,
        };
        etag_ok && length_ok
    }

    pub async fn read(part: &Path) -> Option<Self> {
        let bytes = tokio::fs::read(meta_path(part)).await.ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub async fn write(&self, part: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        tokio::fs::write(meta_path(part), json).await
    }
}

/// `<name>.part.meta` beside the `.part` file.
pub fn meta_path(part: &Path) -> PathBuf {
    let mut name = part.as_os_str().to_os_string();
    name.push(".meta");
    PathBuf::from(name)
}

/// The `<size>` in `Content-Range: bytes <start>-<end>/<size>` (`None` for `*` or anything unreadable).
pub(super) fn range_total(headers: &HeaderMap) -> Option<u64> {
    let value = headers.get(CONTENT_RANGE)?.to_str().ok()?;
    value.rsplit_once('/')?.1.trim().parse().ok()
}

/// Removes the `.part` file and its notes; a missing file is fine.
pub async fn remove_part(part: &Path) -> std::io::Result<()> {
    for path in [part.to_path_buf(), meta_path(part)] {
        match tokio::fs::remove_file(&path).await {
            Err(e) if e.kind() != ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// Moves the finished `part` to `dest`, or to `dest (2)`, `dest (3)`, … when a file already has that name
/// (the user's, or one that appeared while downloading): nothing already on disk is ever replaced.
/// Returns where the file went.
pub(super) fn place(part: &Path, dest: &Path) -> std::io::Result<PathBuf> {
    for n in 1..=FREE_NAME_ATTEMPTS {
        let candidate = if n == 1 {
            dest.to_path_buf()
        } else {
            numbered(dest, n)
        };
        if n > 1 && super::part_path(&candidate).is_ok_and(|p| p.symlink_metadata().is_ok()) {
            continue; // another download has claimed this name
        }
        // A hard link fails when the name is taken, with no window in which a file there could be lost.
        match std::fs::hard_link(part, &candidate) {
            Ok(()) => {
                std::fs::remove_file(part)?;
                return Ok(candidate);
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            // No hard links on this file system (FAT, some network shares): check, then rename.
            Err(_) if candidate.symlink_metadata().is_ok() => continue,
            Err(_) => {
                std::fs::rename(part, &candidate)?;
                return Ok(candidate);
            }
        }
    }
    Err(std::io::Error::new(
        ErrorKind::AlreadyExists,
        "no free name for the finished video",
    ))
}

/// `dir/stem (n).ext`.
fn numbered(dest: &Path, n: u32) -> PathBuf {
    let stem = dest
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match dest.extension() {
        Some(ext) => format!("{stem} ({n}).{}", ext.to_string_lossy()),
        None => format!("{stem} ({n})"),
    };
    dest.with_file_name(name)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn placing_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("clip.mp4");
        std::fs::write(&dest, b"the user's own file").unwrap();
        let part = dir.path().join("clip.mp4.part");
        std::fs::write(&part, b"video").unwrap();

        let placed = place(&part, &dest).unwrap();

        assert_eq!(placed, dir.path().join("clip (2).mp4"));
        assert_eq!(std::fs::read(&dest).unwrap(), b"the user's own file");
        assert_eq!(std::fs::read(&placed).unwrap(), b"video");
        assert!(!part.exists());
    }

    #[test]
    fn resume_checks_compare_etag_and_length() {
        let mut full = HeaderMap::new();
        full.insert(ETAG, HeaderValue::from_static("\"v1\""));
        let info = PartInfo::from_full(&full, Some(100));
        assert_eq!(info.validator(), Some("\"v1\""));

        let mut piece = HeaderMap::new();
        piece.insert(ETAG, HeaderValue::from_static("\"v1\""));
        piece.insert(CONTENT_RANGE, HeaderValue::from_static("bytes 40-99/100"));
        assert!(info.same_file(&piece));
        piece.insert(CONTENT_RANGE, HeaderValue::from_static("bytes 40-119/120"));
        assert!(!info.same_file(&piece), "another length");
        piece.insert(CONTENT_RANGE, HeaderValue::from_static("bytes 40-99/100"));
        piece.insert(ETAG, HeaderValue::from_static("\"v2\""));
        assert!(!info.same_file(&piece), "another ETag");

        let weak = PartInfo {
            etag: Some("W/\"v1\"".into()),
            last_modified: Some("Tue, 01 Dec 2026 10:00:00 GMT".into()),
            length: None,
        };
        assert_eq!(weak.validator(), Some("Tue, 01 Dec 2026 10:00:00 GMT"));
    }
}
