//! Each run downloads its video into a file of its own, `<video>.<runner>.part` beside the planned video
//! (the runner being the lease owner, one run of a job per runner at a time): when two processes both
//! came to drive one job (one stalled and lost the job's lease to the other), they never write one file,
//! so the run that lost can neither spoil the other's video nor leave its bytes under the name the other
//! finishes. The job's plain `<video>.part` claims the name (see `run::reserve`) and keeps what a run that
//! ended without its video had downloaded, for "Download again" to continue; the next run takes that over,
//! or else the largest file another run left behind (killed, or stalled and taken over), copied: a stalled
//! process still writing its own file never writes the new run's. Once the video is in place, every such
//! file of its name goes; a video an earlier, killed run put in place without recording it is recognised
//! by its bytes rather than copied a second time (see [`place_once`]).

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::api::{part_meta_path, part_path, ApiError};

/// `<video>.<owner>.part` beside `dest`.
pub(super) fn own_part(dest: &Path, owner: &str) -> Result<PathBuf, ApiError> {
    let plain = part_path(dest)?;
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{owner}.part"));
    Ok(plain.with_file_name(name))
}

/// The runs' own files of `dest` in its folder (not the plain `.part`).
fn run_files(dest: &Path) -> Vec<PathBuf> {
    files_of_runs(dest, ".part")
}

/// The files runs of `dest` were writing its recipe into when they stopped: `<own part>.part` (see
/// `recipe_tag`). Never a download to continue (half a rewrite), only removed once the video is in place.
fn recipe_files(dest: &Path) -> Vec<PathBuf> {
    files_of_runs(dest, ".part.part")
}

/// Files `<dest>.<owner><suffix>` beside `dest`.
fn files_of_runs(dest: &Path, suffix: &str) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (dest.parent(), dest.file_name()) else {
        return Vec::new();
    };
    let prefix = format!("{}.", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy())
                .and_then(|n| {
                    n.strip_prefix(&prefix)
                        .and_then(|rest| rest.strip_suffix(suffix))
                        .map(is_owner)
                })
                .unwrap_or(false)
        })
        .collect()
}

/// A lease owner as `LeaseHolder::for_this_process` makes it: `<pid>-<16 hex digits>`.
fn is_owner(tag: &str) -> bool {
    tag.split_once('-').is_some_and(|(pid, bits)| {
        !pid.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
            && bits.len() == 16
            && bits.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

fn len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Removes a part file and its notes; a missing one is fine.
pub(super) fn discard(part: &Path) {
    for path in [part.to_path_buf(), part_meta_path(part)] {
        if let Err(e) = std::fs::remove_file(&path) {
            if e.kind() != ErrorKind::NotFound {
                tracing::warn!(path = %path.display(), error = %e, "partial download not removed");
            }
        }
    }
}

/// Before the download (the lease held): `own` continues what an earlier run of this job kept, if it
/// does not hold anything yet: the plain `.part` (no run writes it) is copied, then emptied, so the name
/// stays claimed; else another run's file is copied and removed.
pub(super) fn adopt(dest: &Path, own: &Path) -> std::io::Result<()> {
    if len(own) > 0 {
        return Ok(());
    }
    let plain = part_path(dest).map_err(std::io::Error::other)?;
    if len(&plain) > 0 {
        // Copied, then emptied in place: the name stays claimed throughout.
        std::fs::copy(&plain, own)?;
        let _ = std::fs::rename(part_meta_path(&plain), part_meta_path(own));
        std::fs::OpenOptions::new()
            .write(true)
            .open(&plain)?
            .set_len(0)?;
        return Ok(());
    }
    let left: Vec<_> = run_files(dest).into_iter().filter(|p| p != own).collect();
    if let Some(largest) = left.iter().filter(|p| len(p) > 0).max_by_key(|p| len(p)) {
        std::fs::copy(largest, own)?;
        let _ = std::fs::copy(part_meta_path(largest), part_meta_path(own));
    }
    for other in &left {
        discard(other);
    }
    Ok(())
}

/// A run that ended without its video, still holding the lease: what it downloaded stays under the plain
/// `.part` (over the empty claim) for the next run to continue; an empty file just goes.
pub(super) fn keep_for_later(dest: &Path, own: &Path) {
    if len(own) == 0 {
        discard(own);
        return;
    }
    let Ok(plain) = part_path(dest) else {
        return;
    };
    match std::fs::rename(own, &plain) {
        Ok(()) => {
            let _ = std::fs::remove_file(part_meta_path(&plain));
            let _ = std::fs::rename(part_meta_path(own), part_meta_path(&plain));
        }
        Err(e) => tracing::warn!(error = %e, "partial download not kept for later"),
    }
}

/// Puts the finished `part` in place as `dest` (or a free numbered name: nothing is replaced), unless
/// `dest` already holds exactly these bytes: an earlier run of the job put its video there and was
/// stopped (killed) before it could record it, so that file is the job's video and no second copy is
/// made. Only when `dest` may be this job's (no other job records it). Blocking; called inside the step
/// that records the video.
pub(super) fn place_once(part: &Path, dest: &Path, may_be_ours: bool) -> std::io::Result<PathBuf> {
    if may_be_ours && same_bytes(part, dest)? {
        tracing::info!(path = %dest.display(), "the video was already in place; recorded as it is");
        discard(part);
        return Ok(dest.to_path_buf());
    }
    crate::api::place_download(part, dest)
}

/// Whether `b` is a regular file with exactly `a`'s bytes.
pub(super) fn same_bytes(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let Ok(meta) = std::fs::symlink_metadata(b) else {
        return Ok(false);
    };
    if !meta.is_file() || meta.len() != std::fs::metadata(a)?.len() {
        return Ok(false);
    }
    let (mut a, mut b) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    let (mut x, mut y) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = a.read(&mut x)?;
        if n == 0 {
            return Ok(true);
        }
        b.read_exact(&mut y[..n])?;
        if x[..n] != y[..n] {
            return Ok(false);
        }
    }
}

/// The video is in place, or the job is deleted: the name's claim and every run's file of it go.
pub(super) fn clear_leftovers(dest: &Path) {
    if let Ok(plain) = part_path(dest) {
        discard(&plain);
    }
    for file in run_files(dest).into_iter().chain(recipe_files(dest)) {
        discard(&file);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const A: &str = "12-00000000000000aa";
    const B: &str = "34-00000000000000bb";

    #[test]
    fn a_run_continues_the_plain_part_and_keeps_the_name_claimed() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("clip.mp4");
        let plain = part_path(&dest).unwrap();
        std::fs::write(&plain, b"half").unwrap();
        let own = own_part(&dest, A).unwrap();
        assert_eq!(own, dir.path().join(format!("clip.mp4.{A}.part")));
        adopt(&dest, &own).unwrap();
        assert_eq!(std::fs::read(&own).unwrap(), b"half");
        assert_eq!(len(&plain), 0);
        assert!(plain.exists(), "still claimed");

        keep_for_later(&dest, &own);
        assert_eq!(std::fs::read(&plain).unwrap(), b"half");
        assert!(!own.exists());
    }

    /// A run killed between putting its video in place and recording it left the file: the next run's
    /// identical download is recorded there instead of becoming `clip (2).mp4`; a different file stays.
    #[test]
    fn a_video_already_in_place_is_not_placed_twice() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("clip.mp4");
        std::fs::write(&dest, b"the video").unwrap();
        let own = own_part(&dest, A).unwrap();
        std::fs::write(&own, b"the video").unwrap();
        assert_eq!(place_once(&own, &dest, true).unwrap(), dest);
        assert!(!own.exists());

        // Another job's video, even with the same bytes, is never taken for this one's.
        std::fs::write(&own, b"the video").unwrap();
        let placed = place_once(&own, &dest, false).unwrap();
        assert_eq!(placed, dir.path().join("clip (2).mp4"));
        std::fs::remove_file(placed).unwrap();

        std::fs::write(&own, b"the other video").unwrap();
        let placed = place_once(&own, &dest, true).unwrap();
        assert_eq!(placed, dir.path().join("clip (2).mp4"));
        assert_eq!(std::fs::read(&dest).unwrap(), b"the video");
    }

    #[test]
    fn another_runs_file_is_copied_and_everything_goes_once_placed() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("clip.mp4");
        let theirs = own_part(&dest, B).unwrap();
        std::fs::write(&theirs, b"from a process that is gone").unwrap();
        // Another video's files are left alone.
        let unrelated = dir.path().join(format!("clip (2).mp4.{B}.part"));
        std::fs::write(&unrelated, b"x").unwrap();
        let own = own_part(&dest, A).unwrap();
        adopt(&dest, &own).unwrap();
        assert_eq!(std::fs::read(&own).unwrap(), b"from a process that is gone");
        assert!(!theirs.exists());

        std::fs::write(&theirs, b"written again by a stalled run").unwrap();
        std::fs::write(part_path(&dest).unwrap(), b"").unwrap();
        // A run stopped while writing the recipe into its download: never continued, removed at the end.
        let recipe_rewrite = crate::durable::part_beside(&theirs);
        std::fs::write(&recipe_rewrite, [7u8; 4096]).unwrap(); // larger than any download here
        let own_again = own_part(&dest, A).unwrap();
        std::fs::remove_file(&own).unwrap();
        adopt(&dest, &own_again).unwrap();
        assert_eq!(
            std::fs::read(&own_again).unwrap(),
            b"written again by a stalled run"
        );
        std::fs::write(&theirs, b"and again").unwrap();
        clear_leftovers(&dest);
        assert!(!theirs.exists() && !own.exists() && !part_path(&dest).unwrap().exists());
        assert!(!recipe_rewrite.exists());
        assert!(unrelated.exists());
    }
}
