//! The preferences file: loaded without ever failing or losing the old file, saved atomically.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::error::{FileDamage, SaveProblem};
use super::{Preferences, PrefsError, PrefsWarning};

/// The file's name inside the app's data folder.
pub const PREFS_FILE_NAME: &str = "preferences.json";
/// A settings file is a few kilobytes; anything far bigger is not one, and is not read into memory.
const MAX_PREFS_BYTES: u64 = 4 * 1024 * 1024;
/// Bound on the search for a free backup name.
const MAX_BACKUP_TRIES: u32 = 1000;

/// What loading produced: always usable preferences, plus a warning when the file had to be set aside.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadOutcome {
    pub prefs: Preferences,
    pub warning: Option<PrefsWarning>,
}

#[derive(Clone, Debug)]
pub struct PrefsStore {
    path: PathBuf,
}

/// Why the file on disk cannot be used: what to tell the user, and what the OS or parser said.
enum Damage {
    Missing,
    Damaged(FileDamage, String),
}

impl PrefsStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The store for [`PREFS_FILE_NAME`] inside `data_dir`.
    pub fn in_dir(data_dir: &Path) -> Self {
        Self::new(data_dir.join(PREFS_FILE_NAME))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Never fails: a missing file gives defaults; an unreadable, corrupt or invalid one is renamed to
    /// `<name>.corrupt-<YYYYMMDD-HHMMSS>.json` (UTC) beside it and defaults are used, with a warning.
    pub fn load(&self) -> LoadOutcome {
        match self.read_valid() {
            Ok(prefs) => LoadOutcome {
                prefs,
                warning: None,
            },
            Err(Damage::Missing) => LoadOutcome {
                prefs: Preferences::default(),
                warning: None,
            },
            Err(Damage::Damaged(damage, cause)) => {
                tracing::warn!(?damage, %cause, "the settings file is damaged; using defaults");
                let warning = match self.set_aside() {
                    Ok(backup) => PrefsWarning::Damaged {
                        path: self.path.clone(),
                        backup,
                        damage,
                        cause,
                    },
                    Err(e) => {
                        tracing::warn!(error = %e, "the damaged settings file could not be renamed");
                        PrefsWarning::DamagedInPlace {
                            path: self.path.clone(),
                            damage,
                            cause,
                        }
                    }
                };
                LoadOutcome {
                    prefs: Preferences::default(),
                    warning: Some(warning),
                }
            }
        }
    }

    /// Validates, then replaces the file atomically (temporary file in the same folder, flushed to disk,
    /// renamed over the old one). A damaged file still in place is set aside first, never overwritten.
    pub fn save(&self, prefs: &Preferences) -> Result<(), PrefsError> {
        prefs
            .validate()
            .map_err(|problems| PrefsError::Invalid { problems })?;
        let failed = |problem: SaveProblem, cause: &dyn std::fmt::Display| PrefsError::SaveFailed {
            path: self.path.clone(),
            problem,
            cause: cause.to_string(),
        };
        let cannot_write = |cause: &dyn std::fmt::Display| failed(SaveProblem::CannotWrite, cause);
        // Only a file that is there can be damaged (an unreachable folder is a write problem below).
        let present = self.path.symlink_metadata().is_ok();
        if present && matches!(self.read_valid(), Err(Damage::Damaged(..))) {
            self.set_aside()
                .map_err(|e| failed(SaveProblem::DamagedFileInTheWay, &e))?;
        }
        let json = serde_json::to_vec_pretty(prefs).map_err(|e| cannot_write(&e))?;
        let dir = self.dir();
        fs::create_dir_all(&dir).map_err(|e| cannot_write(&e))?;
        let temp = dir.join(self.sibling_name(&format!(".tmp-{:08x}", rand::random::<u32>())));
        let written = write_synced(&temp, &json).and_then(|()| fs::rename(&temp, &self.path));
        if let Err(e) = written {
            if let Err(cleanup) = fs::remove_file(&temp) {
                if cleanup.kind() != ErrorKind::NotFound {
                    tracing::warn!(error = %cleanup, "could not remove a temporary settings file");
                }
            }
            return Err(cannot_write(&e));
        }
        sync_dir(&dir);
        Ok(())
    }

    fn dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// `.<file name><suffix>`: hidden, beside the real file, so a rename between them is atomic.
    fn sibling_name(&self, suffix: &str) -> OsString {
        let mut name = OsString::from(".");
        name.push(
            self.path
                .file_name()
                .unwrap_or_else(|| PREFS_FILE_NAME.as_ref()),
        );
        name.push(suffix);
        name
    }

    fn read_valid(&self) -> Result<Preferences, Damage> {
        let bytes = match read_capped(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == ErrorKind::NotFound => return Err(Damage::Missing),
            Err(e) => return Err(Damage::Damaged(FileDamage::Unreadable, e.to_string())),
        };
        let prefs: Preferences = serde_json::from_slice(&bytes)
            .map_err(|e| Damage::Damaged(FileDamage::NotSettings, e.to_string()))?;
        prefs.validate().map_err(|problems| {
            let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
            Damage::Damaged(FileDamage::InvalidValues, list.join("; "))
        })?;
        Ok(prefs)
    }

    /// Renames the file to a free `<stem>.corrupt-<timestamp>[-n].json` beside it.
    fn set_aside(&self) -> std::io::Result<PathBuf> {
        let stem = self
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "preferences".to_owned());
        let now = OffsetDateTime::now_utc();
        let stamp = format!(
            "{:04}{:02}{:02}-{:02}{:02}{:02}",
            now.year(),
            u8::from(now.month()),
            now.day(),
            now.hour(),
            now.minute(),
            now.second()
        );
        let dir = self.dir();
        let backup = (1..=MAX_BACKUP_TRIES)
            .map(|n| match n {
                1 => dir.join(format!("{stem}.corrupt-{stamp}.json")),
                n => dir.join(format!("{stem}.corrupt-{stamp}-{n}.json")),
            })
            .find(|p| p.symlink_metadata().is_err())
            .ok_or_else(|| std::io::Error::new(ErrorKind::AlreadyExists, "no free backup name"))?;
        fs::rename(&self.path, &backup)?;
        Ok(backup)
    }
}

fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_PREFS_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_PREFS_BYTES {
        return Err(std::io::Error::new(
            ErrorKind::InvalidData,
            format!("it is larger than {MAX_PREFS_BYTES} bytes"),
        ));
    }
    Ok(bytes)
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes the rename itself durable. Only possible (and needed) on Unix; failure is not worth failing
/// the save over, since the data file itself is already on disk.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Err(e) = File::open(dir).and_then(|d| d.sync_all()) {
        tracing::debug!(error = %e, "could not sync the settings folder");
    }
    #[cfg(not(unix))]
    let _ = dir;
}
