//! Small properties over any string, chosen by the first byte: generated file names are safe and stay
//! in their folder; the job search never errors; base addresses allow plain http only to loopback; a
//! damaged preferences file never panics, loads as valid settings and is kept, not lost.

use std::net::IpAddr;
use std::path::Path;
use std::sync::OnceLock;

use seedance_core::api::validate_base_url;
use seedance_core::prefs::{render_file_name, unique_path, PrefsStore, PrefsWarning};
use seedance_core::store::{JobQuery, Store};
use time::macros::datetime;
use url::Host;

pub fn check_properties(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match which % 4 {
        0 => file_names(&text),
        1 => search(&text),
        2 => base_url(&text),
        _ => preferences_file(rest),
    }
}

/// Names Windows refuses for a file whatever its extension (superscript digits count as digits there).
fn is_reserved_on_windows(name: &str) -> bool {
    let stem = name
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_uppercase();
    let device = |prefix: &str| {
        stem.strip_prefix(prefix).is_some_and(|n| {
            let mut chars = n.chars();
            matches!(
                (chars.next(), chars.next()),
                (Some('0'..='9' | '¹' | '²' | '³'), None)
            )
        })
    };
    matches!(
        stem.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || device("COM")
        || device("LPT")
}

fn file_names(text: &str) {
    let (pattern, prompt) = text.split_once('\u{1}').unwrap_or((text, "a prompt"));
    let when = datetime!(2026-12-01 12:34:56 +08:00);
    let name = render_file_name(pattern, when, prompt, "a1b2c3d4");
    assert!(!name.is_empty());
    assert!(
        !name
            .chars()
            .any(|c| matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')),
        "separator or reserved character in {name:?}"
    );
    assert!(
        !name.chars().any(char::is_control),
        "control character in {name:?}"
    );
    assert!(
        !is_reserved_on_windows(&name),
        "Windows reserved name {name:?}"
    );
    assert!(name != "." && name != "..", "{name:?}");
    assert!(
        !name.ends_with('.') && !name.ends_with(' '),
        "Windows drops a trailing dot or space: {name:?}"
    );
    assert!(name.len() <= 255, "{} bytes", name.len());
    let dir = Path::new("/nonexistent-fuzz-folder");
    let path = unique_path(dir, &name, "mp4");
    assert_eq!(path.parent(), Some(dir), "{path:?} left its folder");
}

fn search(text: &str) {
    static STORE: OnceLock<Store> = OnceLock::new();
    let store = STORE.get_or_init(|| Store::open_in_memory().expect("an in-memory store opens"));
    let query = JobQuery {
        search: Some(text.to_owned()),
        ..JobQuery::default()
    };
    if let Err(e) = store.list_jobs(&query) {
        panic!("the search failed on {text:?}: {e}");
    }
}

fn base_url(text: &str) {
    let Ok(url) = validate_base_url(text) else {
        return;
    };
    match url.scheme() {
        "https" => {}
        "http" => {
            let loopback = match url.host() {
                Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
                Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
                None => false,
            };
            assert!(
                loopback,
                "plain http accepted for a non-loopback host: {url}"
            );
        }
        other => panic!("scheme {other} accepted: {url}"),
    }
    assert!(
        url.username().is_empty() && url.password().is_none(),
        "credentials in {url}"
    );
}

fn preferences_file(bytes: &[u8]) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("preferences.json");
    std::fs::write(&path, bytes).expect("the file is written");
    let outcome = PrefsStore::new(&path).load();
    assert!(
        outcome.prefs.validate().is_ok(),
        "loaded settings that fail their own validation"
    );
    if let Some(PrefsWarning::Damaged { backup, .. }) = &outcome.warning {
        let kept = std::fs::read(backup).expect("the damaged file was kept");
        assert_eq!(kept, bytes, "the damaged file was not kept as it was");
    }
}
