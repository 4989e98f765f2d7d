//! Where finished videos go, and making sure that folder can take them before a paid job needs it.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Preferences, PrefsError};

/// The app's folder inside the user's Videos folder.
pub const OUTPUT_SUBFOLDER: &str = "Seedance Studio";

/// The folder chosen in Settings, or the default.
pub fn resolve_output_dir(prefs: &Preferences, data_dir: &Path) -> PathBuf {
    match prefs.output_dir_override() {
        Some(dir) => PathBuf::from(dir),
        None => default_output_dir(data_dir),
    }
}

/// The user's Videos folder / Seedance Studio; else `<home>/Videos/Seedance Studio`; else (no home at
/// all, e.g. a service account) `<data_dir>/videos`.
pub fn default_output_dir(data_dir: &Path) -> PathBuf {
    let user_dirs = directories::UserDirs::new();
    let video_dir = user_dirs
        .as_ref()
        .and_then(|u| u.video_dir())
        .map(Path::to_path_buf);
    let home = user_dirs.as_ref().map(|u| u.home_dir().to_path_buf());
    choose_default(video_dir, home, data_dir)
}

fn choose_default(video_dir: Option<PathBuf>, home: Option<PathBuf>, data_dir: &Path) -> PathBuf {
    match (video_dir, home) {
        (Some(videos), _) => videos.join(OUTPUT_SUBFOLDER),
        (None, Some(home)) => home.join("Videos").join(OUTPUT_SUBFOLDER),
        (None, None) => data_dir.join("videos"),
    }
}

/// Creates the folder if needed and proves it is writable by creating and removing a small file, so
/// the problem shows up before a download, not after.
pub fn ensure_output_dir(path: &Path) -> Result<(), PrefsError> {
    let unusable = |reason: String| PrefsError::OutputDirUnusable {
        path: path.to_path_buf(),
        reason,
    };
    std::fs::create_dir_all(path).map_err(|e| unusable(e.to_string()))?;
    let meta = std::fs::metadata(path).map_err(|e| unusable(e.to_string()))?;
    if !meta.is_dir() {
        return Err(unusable("it is a file, not a folder".to_owned()));
    }
    let probe = path.join(format!(
        ".seedance-write-check-{:08x}",
        rand::random::<u32>()
    ));
    let written = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .and_then(|mut f| f.write_all(b"ok"));
    let removed = std::fs::remove_file(&probe);
    written.map_err(|e| unusable(format!("it is not writable: {e}")))?;
    if let Err(e) = removed {
        tracing::warn!(error = %e, "could not remove the output folder's write check file");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn default_prefers_videos_then_home_then_data_dir() {
        let data = Path::new("/data");
        assert_eq!(
            choose_default(Some("/v".into()), Some("/h".into()), data),
            Path::new("/v/Seedance Studio")
        );
        assert_eq!(
            choose_default(None, Some("/h".into()), data),
            Path::new("/h/Videos/Seedance Studio")
        );
        assert_eq!(choose_default(None, None, data), Path::new("/data/videos"));
    }
}
