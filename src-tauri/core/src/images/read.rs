//! Reads a whole image file into memory, refusing what is empty or absurdly large before reading.
//!
//! The whole file is read once and everything (sniffing, hashing, decoding) works on those bytes, so
//! the hash the upload cache keys on is the hash of exactly the bytes that were validated.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::ImageError;

pub(crate) fn read_capped(path: &Path, hard_cap: u64) -> Result<Vec<u8>, ImageError> {
    super::check_frame_path(path)?;
    let meta = std::fs::metadata(path).map_err(|e| ImageError::from_io(path, e))?;
    if !meta.is_file() {
        return Err(ImageError::NotAnImage(path.to_path_buf()));
    }
    let len = meta.len();
    if len == 0 {
        return Err(ImageError::Empty(path.to_path_buf()));
    }
    if len > hard_cap {
        return Err(ImageError::FileTooLarge {
            bytes: len,
            cap: hard_cap,
        });
    }
    read_expecting(path, len, hard_cap)
}

/// Reads a file whose length was just taken from its metadata. A missing file or a different length
/// now means it was deleted, replaced or still being written in between.
pub(crate) fn read_expecting(
    path: &Path,
    expected_len: u64,
    hard_cap: u64,
) -> Result<Vec<u8>, ImageError> {
    let file = File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ImageError::Vanished(path.to_path_buf()),
        _ => ImageError::from_io(path, e),
    })?;
    let capacity = usize::try_from(expected_len).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    // Reading one byte past the cap is enough to notice a file that grew; never read unbounded.
    file.take(hard_cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ImageError::from_io(path, e))?;
    if bytes.len() as u64 != expected_len {
        return Err(ImageError::Vanished(path.to_path_buf()));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn deleted_between_stat_and_read_is_vanished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.png");
        std::fs::write(&path, b"0123456789").unwrap();
        let len = std::fs::metadata(&path).unwrap().len();
        std::fs::remove_file(&path).unwrap();
        let err = read_expecting(&path, len, 1000).unwrap_err();
        assert!(matches!(err, ImageError::Vanished(_)), "{err:?}");
    }

    #[test]
    fn changed_length_between_stat_and_read_is_vanished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.png");
        std::fs::write(&path, b"0123456789").unwrap();
        let len = std::fs::metadata(&path).unwrap().len();
        std::fs::write(&path, b"01234").unwrap();
        let err = read_expecting(&path, len, 1000).unwrap_err();
        assert!(matches!(err, ImageError::Vanished(_)), "{err:?}");
        // Growing beyond the cap is noticed without reading it all.
        std::fs::write(&path, vec![0u8; 5000]).unwrap();
        let err = read_expecting(&path, 10, 100).unwrap_err();
        assert!(matches!(err, ImageError::Vanished(_)), "{err:?}");
    }

    #[test]
    fn directory_is_not_an_image() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_capped(dir.path(), 1000).unwrap_err();
        assert!(matches!(err, ImageError::NotAnImage(_)), "{err:?}");
    }
}
