#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::*;
use crate::i18n::message::VERBATIM_KEY;

fn zh() -> Language {
    Language::from_tag("zh-CN")
}

/// `key` without an i18next plural suffix.
fn base(key: &str) -> &str {
    ["_zero", "_one", "_two", "_few", "_many", "_other"]
        .iter()
        .find_map(|s| key.strip_suffix(s))
        .unwrap_or(key)
}

/// Base key ⇒ every placeholder any of its plural forms uses.
fn shape(language: Language) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (key, template) in entries(language) {
        let names = placeholders(template).into_iter().map(str::to_owned);
        out.entry(base(&key).to_owned()).or_default().extend(names);
    }
    out
}

#[test]
fn every_shipped_catalog_is_valid_json_with_the_same_keys_and_placeholders_as_english() {
    for (tag, json) in SOURCES {
        serde_json::from_str::<Value>(json).unwrap_or_else(|e| panic!("{tag}.json: {e}"));
    }
    let english = shape(Language::ENGLISH);
    assert!(english.len() > 100, "the English catalog looks empty");
    for language in Language::all().skip(1) {
        let other = shape(language);
        let only_en: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        let only_other: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(
            only_en.is_empty() && only_other.is_empty(),
            "{}: missing {only_en:?}, extra {only_other:?}",
            language.tag()
        );
        // The one message whose arguments are the sentences themselves, one per language.
        for (key, names) in english.iter().filter(|(k, _)| *k != VERBATIM_KEY) {
            assert_eq!(
                &other[key],
                names,
                "{}: {key} has other placeholders than English",
                language.tag()
            );
        }
    }
}

/// Names i18next reads as options, not values: a message argument by one of these names would vanish.
const RESERVED: &[&str] = &[
    "lng",
    "lngs",
    "ns",
    "context",
    "defaultValue",
    "replace",
    "ordinal",
    "returnObjects",
    "postProcess",
    "interpolation",
];

#[test]
fn no_message_placeholder_is_a_name_i18next_keeps_for_itself() {
    for (key, template) in entries(Language::ENGLISH) {
        for name in placeholders(template) {
            assert!(
                !RESERVED.contains(&name),
                "{key} uses the reserved placeholder {name}"
            );
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `"msg.…"` key written in the Rust sources (core, shell, simulator), so a typo or a key left out of
/// a catalog fails here and not in front of a user.
fn keys_in_rust_sources() -> BTreeSet<String> {
    let src_tauri = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    rust_files(src_tauri, &mut files);
    assert!(
        files.len() > 50,
        "found only {} Rust files under {}",
        files.len(),
        src_tauri.display()
    );
    let mut keys = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("\"msg.") {
            let after = &rest[at + 1..];
            let end = after.find('"').unwrap_or(after.len());
            let key = &after[..end];
            let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
            if key.len() > 4 && !key.ends_with('.') && key.chars().all(word) {
                keys.insert(key.to_owned());
            }
            rest = &after[end..];
        }
    }
    keys
}

#[test]
fn every_message_key_the_rust_code_names_is_in_every_catalog() {
    let keys = keys_in_rust_sources();
    assert!(
        keys.contains(VERBATIM_KEY),
        "the scan found no keys: {keys:?}"
    );
    for language in Language::all() {
        let shape = shape(language);
        let missing: Vec<_> = keys
            .iter()
            .filter(|k| !shape.contains_key(k.as_str()))
            .collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", language.tag());
    }
}

/// The words of every UI source file outside tests (where the UI names a backend-style key itself).
fn ui_sources() -> String {
    fn walk(dir: &Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                walk(&path, out);
            } else if (name.ends_with(".ts") || name.ends_with(".tsx")) && !name.contains(".test.")
            {
                out.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = String::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src"),
        &mut out,
    );
    out
}

#[test]
fn every_message_in_the_catalogs_is_one_the_code_can_send() {
    let rust = keys_in_rust_sources();
    let ui = ui_sources();
    let unused: Vec<String> = shape(Language::ENGLISH)
        .into_keys()
        .filter(|key| key.starts_with("msg."))
        .filter(|key| !rust.contains(key) && !ui.contains(&format!("\"{key}\"")))
        .collect();
    assert!(
        unused.is_empty(),
        "no code sends {unused:?}: remove them from the catalogs"
    );
}

#[test]
fn every_catalog_file_the_ui_ships_is_one_rust_renders() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/i18n");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".json").map(str::to_owned))
        .collect();
    files.sort();
    let mut tags: Vec<String> = SOURCES.iter().map(|(tag, _)| (*tag).to_owned()).collect();
    tags.sort();
    assert_eq!(
        files, tags,
        "add the new catalog to SOURCES in i18n/catalog.rs"
    );
}

#[test]
fn tags_pick_the_closest_shipped_language() {
    assert_eq!(Language::from_tag("zh-CN"), zh());
    assert_eq!(Language::from_tag("zh"), zh());
    assert_eq!(Language::from_tag("zh_TW"), zh());
    assert_eq!(Language::from_tag("ZH-cn").tag(), "zh-CN");
    assert_eq!(Language::from_tag("en-GB"), Language::ENGLISH);
    assert_eq!(Language::from_tag("fr"), Language::ENGLISH);
    assert_eq!(Language::from_tag(""), Language::ENGLISH);
}

#[test]
fn placeholders_nested_messages_lists_and_numbers_are_filled_in_the_same_language() {
    let inner = Message::verbatim("Inner.", "内层。");
    let outer = Message::verbatim("Outer: ", "外层：");
    assert_eq!(outer.text("en"), "Outer: ");
    assert_eq!(inner.text("zh-CN"), "内层。");
    // A real catalog message with a nested one and a list.
    let list = Message::verbatim("{{x}}", "{{x}}").arg("x", 1);
    assert_eq!(
        list.text("en"),
        "{{x}}",
        "a value's own braces are not read as a placeholder"
    );
    let nested = Message::verbatim("A", "甲");
    let arg_list = Arg::List(vec![
        Message::verbatim("one", "一"),
        Message::verbatim("two", "二"),
    ]);
    assert_eq!(arg_text(&arg_list, zh()), "一\n二");
    assert_eq!(arg_text(&Arg::from(nested), Language::ENGLISH), "A");
    assert_eq!(arg_text(&Arg::from(3u32), Language::ENGLISH), "3");
    assert_eq!(arg_text(&Arg::from(2.5f64), Language::ENGLISH), "2.5");
    assert_eq!(
        arg_text(&Arg::from(Path::new("/tmp/a b.png")), Language::ENGLISH),
        "/tmp/a b.png"
    );
}

#[test]
fn a_count_picks_the_plural_form_each_language_uses() {
    let one = Message::new("generate.dropIgnored").arg("count", 1);
    let two = Message::new("generate.dropIgnored").arg("count", 2);
    assert!(
        one.text("en").starts_with("1 extra file was"),
        "{}",
        one.text("en")
    );
    assert!(
        two.text("en").starts_with("2 extra files were"),
        "{}",
        two.text("en")
    );
    assert_eq!(Language::ENGLISH.plural_suffix(1.0), "one");
    assert_eq!(zh().plural_suffix(1.0), "other");
    assert!(one.text("zh-CN").contains('1'));
}

#[test]
fn a_message_survives_the_trip_through_json_the_ui_and_the_database_use() {
    let m = Message::new("generate.dropIgnored")
        .arg("count", 4)
        .arg("nested", Message::verbatim("a", "甲"))
        .arg("list", vec![Message::verbatim("b", "乙")])
        .arg("path", "/x");
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(serde_json::from_str::<Message>(&json).unwrap(), m);
    assert!(
        json.contains(r#""count":4.0"#) || json.contains(r#""count":4"#),
        "{json}"
    );
}
