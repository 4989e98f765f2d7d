//! Where finished videos go, and making sure that folder can take them before a paid job needs it.
//!
//! A new folder comes only from the native folder picker the backend opens ([`with_chosen_output_dir`]):
//! saving the settings from the UI may keep the folder or go back to the default, never name another
//! ([`check_output_dir_kept`]), so a page cannot point where the app writes, and what the user later
//! opens from there, at a folder the user never picked.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::FolderProblem;
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

/// Refuses preferences sent by the UI that name an output folder other than the current one. Going back to
/// the default is allowed.
pub fn check_output_dir_kept(
    incoming: &Preferences,
    current: &Preferences,
) -> Result<(), PrefsError> {
    match incoming.output_dir_override() {
        None => Ok(()),
        Some(dir) if current.output_dir_override() == Some(dir) => Ok(()),
        Some(dir) => Err(PrefsError::OutputDirNotChosen {
            path: dir.to_owned(),
        }),
    }
}

/// `current` with the folder the user picked in the folder picker, once it is known to take videos.
pub fn with_chosen_output_dir(
    current: &Preferences,
    chosen: &Path,
) -> Result<Preferences, PrefsError> {
    let Some(text) = chosen.to_str().filter(|_| chosen.is_absolute()) else {
        return Err(PrefsError::OutputDirUnusable {
            path: chosen.to_path_buf(),
            problem: FolderProblem::NotStorable,
            cause: None,
        });
    };
    ensure_output_dir(chosen)?;
    Ok(Preferences {
        output_dir: Some(text.to_owned()),
        ..current.clone()
    })
}

/// Creates the folder if needed and proves it is writable by creating and removing a small file, so
/// the problem shows up before a download, not after.
pub fn ensure_output_dir(path: &Path) -> Result<(), PrefsError> {
    let unusable =
        |problem: FolderProblem, cause: Option<&std::io::Error>| PrefsError::OutputDirUnusable {
            path: path.to_path_buf(),
            problem,
            cause: cause.map(ToString::to_string),
        };
    // A file in the folder's place makes `create_dir_all` fail too; say so rather than "cannot create".
    if std::fs::metadata(path).is_ok_and(|m| !m.is_dir()) {
        return Err(unusable(FolderProblem::NotAFolder, None));
    }
    std::fs::create_dir_all(path).map_err(|e| unusable(FolderProblem::CannotCreate, Some(&e)))?;
    let meta =
        std::fs::metadata(path).map_err(|e| unusable(FolderProblem::CannotRead, Some(&e)))?;
    if !meta.is_dir() {
        return Err(unusable(FolderProblem::NotAFolder, None));
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
    written.map_err(|e| unusable(FolderProblem::NotWritable, Some(&e)))?;
    if let Err(e) = removed {
        tracing::warn!(error = %e, "could not remove the output folder's write check file");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::i18n::UserFacing;

    fn with_dir(dir: Option<&str>) -> Preferences {
        Preferences {
            output_dir: dir.map(str::to_owned),
            ..Preferences::default()
        }
    }

    #[test]
    fn saving_from_the_ui_never_names_a_new_output_folder() {
        let current = with_dir(Some("/home/me/Videos/Picked"));
        assert_eq!(check_output_dir_kept(&current, &current), Ok(()));
        assert_eq!(check_output_dir_kept(&with_dir(None), &current), Ok(()));
        assert_eq!(
            check_output_dir_kept(&with_dir(Some(" ")), &current),
            Ok(())
        );
        for other in ["/etc", "/home/me/.ssh", "C:\\", "/home/me/Videos/Picked/.."] {
            let err = check_output_dir_kept(&with_dir(Some(other)), &current).unwrap_err();
            assert_eq!(err.kind(), "prefs_output_dir_not_chosen");
            assert!(
                err.msg().text("en").contains(other) && err.msg().text("zh-CN").contains(other)
            );
        }
        let err = check_output_dir_kept(&with_dir(Some("/tmp/x")), &with_dir(None)).unwrap_err();
        assert_eq!(
            err,
            PrefsError::OutputDirNotChosen {
                path: "/tmp/x".into()
            }
        );
    }

    #[test]
    fn a_picked_folder_is_stored_once_it_can_take_videos() {
        let tmp = tempfile::tempdir().unwrap();
        let current = with_dir(None);
        let picked = tmp.path().join("clips");
        let prefs = with_chosen_output_dir(&current, &picked).unwrap();
        assert_eq!(prefs.output_dir.as_deref(), picked.to_str());
        assert!(
            picked.is_dir(),
            "created, so the first download does not fail"
        );
        let file = tmp.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let err = with_chosen_output_dir(&current, &file).unwrap_err();
        assert_eq!(err.kind(), "output_dir_unusable");
        let err = with_chosen_output_dir(&current, Path::new("relative/dir")).unwrap_err();
        assert_eq!(err.kind(), "output_dir_unusable");
    }

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
