//! Which paths may be read as a frame. The webview names frames only by handle (`crate::frame_handles`),
//! but the files behind them still come from outside (a drop, the picker, a stored preset or job), so
//! before anything touches one, paths that are not a plain local file are refused:
//! on Windows even asking whether `\\server\share\x.png` exists opens an SMB connection (and hands the
//! user's credentials to that server); device paths (`\\.\`, `\\?\`, `/dev/…`, `CON`) and pseudo-files
//! (`/proc/…`) can block, never end, or hold secrets; a FIFO blocks its reader forever.

use std::path::Path;

use super::ImageError;

/// Why a path is not read as a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathRefusal {
    /// A network path (`\\server\share`, `//server/share`).
    NetworkShare,
    /// A device or system namespace (`\\.\`, `\\?\`, `\??\`, `/dev`, `/proc`, `/sys`, `NUL`, `COM1`…).
    Device,
    /// Not a full path.
    Relative,
    /// Something other than a file or a folder (a device node, FIFO or socket).
    NotRegularFile,
}

/// Refuses `path` unless it is a full local path to a regular file (or something [`super::read`] reports on
/// itself: a missing file, a folder). The text is judged first, before any file system call can reach a
/// network share; then the file's type, and on Unix where its links resolve to.
pub fn check_frame_path(path: &Path) -> Result<(), ImageError> {
    let refused = |reason| ImageError::PathRefused {
        path: path.to_path_buf(),
        reason,
    };
    if let Some(reason) = lexical_refusal(&path.to_string_lossy(), cfg!(windows)) {
        return Err(refused(reason));
    }
    if !path.is_absolute() {
        return Err(refused(PathRefusal::Relative));
    }
    let Ok(meta) = std::fs::metadata(path) else {
        // Missing or unreadable: the reader says which, in its own words.
        return Ok(());
    };
    let kind = meta.file_type();
    if !kind.is_file() && !kind.is_dir() {
        return Err(refused(PathRefusal::NotRegularFile));
    }
    if cfg!(unix) {
        // A link from an ordinary folder into /dev or /proc.
        if let Some(reason) = std::fs::canonicalize(path)
            .ok()
            .and_then(|real| lexical_refusal(&real.to_string_lossy(), false))
        {
            return Err(refused(reason));
        }
    }
    Ok(())
}

/// Judges the path's text alone. `windows`: also the names Windows maps to devices in any folder.
fn lexical_refusal(text: &str, windows: bool) -> Option<PathRefusal> {
    let is_sep = |c: char| c == '/' || c == '\\';
    let mut chars = text.chars();
    let (first, second, third, fourth) = (chars.next(), chars.next(), chars.next(), chars.next());
    if first.is_some_and(is_sep) && second.is_some_and(is_sep) {
        // `\\?\…`, `\\.\…` (and their `/` spellings) are namespaces; anything else is `\\server\share`.
        return Some(match (third, fourth) {
            (Some('?' | '.'), None) => PathRefusal::Device,
            (Some('?' | '.'), Some(c)) if is_sep(c) => PathRefusal::Device,
            _ => PathRefusal::NetworkShare,
        });
    }
    // `\??\C:\…`: the NT object namespace, which some Windows calls accept.
    if first.is_some_and(is_sep) && second == Some('?') && third == Some('?') {
        return Some(PathRefusal::Device);
    }
    for root in ["/dev", "/proc", "/sys"] {
        if text == root
            || text
                .strip_prefix(root)
                .is_some_and(|rest| rest.starts_with('/'))
        {
            return Some(PathRefusal::Device);
        }
    }
    if windows && text.split(is_sep).any(is_windows_device_name) {
        return Some(PathRefusal::Device);
    }
    None
}

/// `CON`, `nul.png`, `COM1.jpg `, `LPT²`: names Windows opens as a device whatever the folder or extension.
fn is_windows_device_name(component: &str) -> bool {
    let stem = component
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_end_matches([' ', '.'])
        .to_ascii_uppercase();
    if matches!(
        stem.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let Some(digit) = stem
        .strip_prefix("COM")
        .or_else(|| stem.strip_prefix("LPT"))
    else {
        return false;
    };
    let mut rest = digit.chars();
    matches!(
        (rest.next(), rest.next()),
        (Some('0'..='9' | '¹' | '²' | '³'), None)
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::i18n::UserFacing;

    #[test]
    fn network_and_device_paths_are_refused_by_their_text() {
        use PathRefusal::{Device, NetworkShare};
        let cases = [
            (r"\\server\share\photo.png", NetworkShare),
            ("//server/share/photo.png", NetworkShare),
            (r"\/server\share\photo.png", NetworkShare),
            (r"\\192.168.1.5\c$\photo.png", NetworkShare),
            (r"\\?\C:\photo.png", Device),
            (r"\\?\UNC\server\share\photo.png", Device),
            (r"\\.\PhysicalDrive0", Device),
            (r"\\.\pipe\x", Device),
            ("//?/C:/photo.png", Device),
            ("//./COM1", Device),
            (r"\??\C:\photo.png", Device),
            ("/dev/zero", Device),
            ("/dev", Device),
            ("/dev/fd/0", Device),
            ("/proc/self/environ", Device),
            ("/sys/kernel/notes", Device),
        ];
        for (text, reason) in cases {
            assert_eq!(lexical_refusal(text, true), Some(reason), "{text}");
            assert_eq!(lexical_refusal(text, false), Some(reason), "{text}");
        }
        for fine in [
            "/home/me/Pictures/photo.png",
            "/home/me/devices/photo.png",
            "/device/photo.png",
            "/home/me/proc/x.png",
            r"C:\Users\me\Pictures\photo.png",
            "C:/Users/me/photo.png",
            "/home/me/console.png",
            "/home/me/COM10.png",
        ] {
            assert_eq!(lexical_refusal(fine, true), None, "{fine}");
        }
    }

    #[test]
    fn windows_device_names_are_refused_in_any_folder_on_windows() {
        for name in [
            r"C:\Users\me\NUL",
            r"C:\Users\me\nul.png",
            r"C:\Users\me\CON.jpg",
            r"C:\Users\me\com1.png",
            r"C:\Users\me\LPT9.jpeg",
            r"C:\Users\me\COM¹.png",
            r"C:\Users\me\lpt².png",
            r"C:\Users\me\AUX .png",
            r"C:\Users\me\CONIN$",
        ] {
            assert_eq!(
                lexical_refusal(name, true),
                Some(PathRefusal::Device),
                "{name}"
            );
        }
        // Elsewhere they are ordinary names.
        assert_eq!(lexical_refusal("/home/me/nul.png", false), None);
    }

    #[test]
    fn relative_paths_and_non_regular_files_are_refused_before_reading() {
        let err = check_frame_path(Path::new("photo.png")).unwrap_err();
        assert!(
            matches!(
                err,
                ImageError::PathRefused {
                    reason: PathRefusal::Relative,
                    ..
                }
            ),
            "{err:?}"
        );
        let err = check_frame_path(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(err.kind(), "image_path_refused");
        let m = err.msg();
        assert!(
            m.text("en").contains("/dev/zero") && m.text("zh-CN").contains("/dev/zero"),
            "{m:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn fifos_and_links_into_devices_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("frame.png");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let err = check_frame_path(&fifo).unwrap_err();
        assert!(
            matches!(
                err,
                ImageError::PathRefused {
                    reason: PathRefusal::NotRegularFile,
                    ..
                }
            ),
            "{err:?}"
        );
        let link = dir.path().join("innocent.png");
        std::os::unix::fs::symlink("/proc/self/environ", &link).unwrap();
        let err = check_frame_path(&link).unwrap_err();
        assert!(
            matches!(
                err,
                ImageError::PathRefused {
                    reason: PathRefusal::Device,
                    ..
                }
            ),
            "{err:?}"
        );
        let zero = dir.path().join("zero.png");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(check_frame_path(&zero).is_err());
        let plain = dir.path().join("plain.png");
        std::fs::write(&plain, b"x").unwrap();
        assert!(check_frame_path(&plain).is_ok());
        assert!(
            check_frame_path(&dir.path().join("missing.png")).is_ok(),
            "the reader reports it"
        );
    }
}
