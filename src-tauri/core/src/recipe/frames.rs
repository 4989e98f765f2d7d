//! Finding a recipe's frames again on this machine. The recipe keeps each frame's SHA-256, not its path
//! (the video travels, paths do not). A frame is found where the app itself keeps pictures, named by
//! their content: pasted images and fixed copies (`image-<first 16 hex digits>.<ext>` in the frames
//! folder) and preset frames (`<first 32 hex digits>.<ext>` in the presets folder); or at the path the
//! job that made the video recorded, when that job is still in the history. Every candidate is hashed
//! in full before it is used: a name is only a hint.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Hex SHA-256 of a file's bytes, read in pieces.
pub fn sha256_of_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hex::encode(hasher.finalize()));
        }
        hasher.update(&buf[..n]);
    }
}

/// The first of `known` paths, then of the files in `dirs` named after the hash, whose bytes hash to
/// `sha256`.
pub fn find_frame(sha256: &str, known: &[PathBuf], dirs: &[PathBuf]) -> Option<PathBuf> {
    let sha256 = sha256.to_ascii_lowercase();
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let hint = &sha256[..16];
    let named = dirs.iter().flat_map(|dir| {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().to_ascii_lowercase().contains(hint))
            })
            .collect::<Vec<_>>()
    });
    known
        .iter()
        .cloned()
        .chain(named)
        .filter(|p| p.is_file())
        .find(|p| sha256_of_file(p).is_ok_and(|h| h == sha256))
}
