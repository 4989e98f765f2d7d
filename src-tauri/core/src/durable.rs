//! Putting a whole file into place so that a crash or power cut never leaves a name pointing at a short or
//! empty file: the bytes go to a `.part` file beside it, are flushed to the disk (`sync_all`), and only then
//! renamed over the name, and the folder is synced so the rename itself survives. Without the flush, a
//! journaling file system may commit the rename before the data, and after a crash the preset frame,
//! export or pasted image is there under its name but empty.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a flushed `.part` file, replacing what was there. The `.part` file is
/// removed when anything fails.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, |file| file.write_all(bytes), |e| e)
}

/// [`write_file`] for contents too large to hold in memory: `write` streams them into the `.part` file
/// (its errors come back as they are; `io_error` maps the errors of opening, flushing and renaming). When
/// anything fails, the `.part` file is removed and whatever was at `path` stays as it was.
pub fn write_with<E>(
    path: &Path,
    write: impl FnOnce(&mut File) -> Result<(), E>,
    io_error: impl Fn(std::io::Error) -> E,
) -> Result<(), E> {
    let tmp = part_beside(path);
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(&io_error)?;
        write(&mut file)?;
        file.sync_all().map_err(&io_error)?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(&io_error)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    sync_parent(path);
    Ok(())
}

/// The `.part` file [`write_file`] and [`write_with`] write before renaming it to `path`.
pub fn part_beside(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    path.with_file_name(name)
}

/// Makes a rename durable where the OS can sync a folder; failing that only weakens crash-safety.
fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn writes_whole_files_and_leaves_no_part_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("presets.json");
        write_file(&path, b"first").unwrap();
        write_file(&path, b"second, longer").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second, longer");
        assert!(!part_beside(&path).exists());

        // A name taken by a folder cannot be replaced: the error comes back and no `.part` stays.
        let taken = dir.path().join("folder");
        std::fs::create_dir(&taken).unwrap();
        std::fs::write(taken.join("inside"), b"x").unwrap();
        assert!(write_file(&taken, b"data").is_err());
        assert!(!part_beside(&taken).exists());
    }
}
