//! "Copy diagnostics" in Settings → About: what a bug report needs to know about this installation, as plain
//! text the user pastes. Versions (app, commit, OS, webview), which keychain backend the OS offers and whether
//! a token is set (never the token, nor its last characters), demo mode, the service addresses, and the app's
//! own folders with the home folder written `~`. Nothing else of the user's files is named.

use std::path::Path;

/// The facts the report is made of, gathered by [`gather`] (kept apart so the text is tested without an app).
pub struct Facts {
    pub version: String,
    pub commit: String,
    pub os: String,
    pub arch: String,
    pub webview: String,
    pub keychain: &'static str,
    /// "set (keychain)", "set (SEEDANCE_API_TOKEN)", "not set", or the keychain's trouble in a word.
    pub token: String,
    pub demo: bool,
    pub language: String,
    pub api_base: String,
    pub upload_base: String,
    pub data_dir: String,
    pub log_dir: String,
    pub history: String,
}

/// The OS's keychain as the `keyring` crate reaches it on this platform.
pub const fn keychain_backend() -> &'static str {
    if cfg!(target_os = "macos") {
        "macOS Keychain"
    } else if cfg!(windows) {
        "Windows Credential Manager"
    } else {
        "Secret Service (D-Bus)"
    }
}

/// `path` with the home folder written `~` (the report names only the app's own folders, never the user's).
pub fn tilde(path: &Path, home: Option<&Path>) -> String {
    match home.and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) if rest.as_os_str().is_empty() => "~".to_owned(),
        Some(rest) => format!("~{}{}", std::path::MAIN_SEPARATOR, rest.display()),
        None => path.display().to_string(),
    }
}

/// The report's text: one `name: value` line each, in English (support reads it), under a title line.
pub fn report(f: &Facts) -> String {
    let lines = [
        ("Seedance Studio", format!("{} ({})", f.version, f.commit)),
        ("OS", format!("{} ({})", f.os, f.arch)),
        ("Webview", f.webview.clone()),
        ("Keychain", f.keychain.to_owned()),
        ("API token", f.token.clone()),
        ("Demo mode", if f.demo { "on" } else { "off" }.to_owned()),
        ("Language", f.language.clone()),
        ("API base", f.api_base.clone()),
        ("Upload base", f.upload_base.clone()),
        ("Data folder", f.data_dir.clone()),
        ("Log folder", f.log_dir.clone()),
        ("History", f.history.clone()),
    ];
    let mut out = String::from("Seedance Studio diagnostics\n");
    for (name, value) in lines {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(&value);
        out.push('\n');
    }
    out
}

/// This OS and its version, e.g. "Debian GNU/Linux 12 (bookworm)", "Mac OS 15.1.0", "Windows 11 Pro".
pub fn os_description() -> String {
    let info = os_info::get();
    let edition = info.edition().map(|e| format!(" {e}")).unwrap_or_default();
    format!("{} {}{edition}", info.os_type(), info.version())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::path::PathBuf;

    fn facts() -> Facts {
        Facts {
            version: "0.1.0".into(),
            commit: "abc123def456".into(),
            os: "Debian GNU/Linux 12".into(),
            arch: "x86_64".into(),
            webview: "WebKitGTK 2.50.6".into(),
            keychain: keychain_backend(),
            token: "set (keychain)".into(),
            demo: false,
            language: "zh-CN".into(),
            api_base: "https://api.example.test/".into(),
            upload_base: "https://upload.example.test/".into(),
            data_dir: "~/.local/share/seedancestudio".into(),
            log_dir: "~/.local/share/com.seedance-studio.desktop/logs".into(),
            history: "12 jobs".into(),
        }
    }

    #[test]
    fn the_report_names_every_fact_on_its_own_line() {
        let text = report(&facts());
        assert!(text.starts_with("Seedance Studio diagnostics\n"));
        for line in [
            "Seedance Studio: 0.1.0 (abc123def456)",
            "OS: Debian GNU/Linux 12 (x86_64)",
            "Webview: WebKitGTK 2.50.6",
            "API token: set (keychain)",
            "Demo mode: off",
            "Language: zh-CN",
            "Data folder: ~/.local/share/seedancestudio",
            "History: 12 jobs",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{line:?} missing in\n{text}"
            );
        }
        assert_eq!(text.lines().count(), 13);
    }

    #[test]
    fn the_home_folder_is_written_as_a_tilde_and_other_paths_stay_as_they_are() {
        let home = PathBuf::from("/home/mei");
        assert_eq!(
            tilde(Path::new("/home/mei/.local/share/x"), Some(&home)),
            format!("~{0}.local{0}share{0}x", std::path::MAIN_SEPARATOR)
        );
        assert_eq!(tilde(&home, Some(&home)), "~");
        // A sibling whose name merely starts like home is not inside it.
        assert_eq!(
            tilde(Path::new("/home/meiling/data"), Some(&home)),
            "/home/meiling/data"
        );
        assert_eq!(tilde(Path::new("/srv/seedance"), None), "/srv/seedance");
    }

    #[test]
    fn this_machine_s_os_is_described() {
        let os = os_description();
        assert!(!os.trim().is_empty());
        assert!(!os.contains("Unknown"), "{os}");
    }
}
