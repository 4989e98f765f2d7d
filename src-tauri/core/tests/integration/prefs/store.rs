//! The preferences file: defaults, round trips, old files, damaged files, atomic saves.

use std::fs;
use std::path::Path;

use seedance_core::i18n::UserFacing;
use seedance_core::prefs::{
    Language, LoadOutcome, Preferences, PrefsError, PrefsStore, PrefsWarning, Theme, UploadRegion,
    PREFS_FILE_NAME,
};
use seedance_core::request::RequestDraft;

fn store_in(dir: &Path) -> PrefsStore {
    PrefsStore::in_dir(dir)
}

fn custom() -> Preferences {
    let mut p = Preferences {
        output_dir: Some(
            std::env::temp_dir()
                .join("out")
                .to_string_lossy()
                .into_owned(),
        ),
        file_name_pattern: "{id}-{prompt}".into(),
        upload_region: UploadRegion::China,
        api_base: Some("https://proxy.example.com/sinan".into()),
        language: Language::new("zh-CN"),
        theme: Theme::Dark,
        notifications: false,
        max_concurrent_jobs: 5,
        check_for_updates: false,
        last_request: Some(RequestDraft {
            prompt: "一只猫在月球上".into(),
            ..RequestDraft::default()
        }),
        ..Preferences::default()
    };
    p.cost_rates.per_million_with_audio = 3.5;
    p.cost_rates.currency = "USD".into();
    p
}

/// Files in `dir` other than the preferences file itself.
fn others(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != PREFS_FILE_NAME)
        .collect()
}

#[test]
fn defaults_are_the_documented_ones() {
    let p = Preferences::default();
    assert_eq!(p.output_dir, None);
    assert_eq!(p.file_name_pattern, "{date}_{time}_{prompt}");
    assert_eq!(p.upload_region, UploadRegion::Global);
    assert_eq!(p.api_base, None);
    assert_eq!(p.language, Language::system());
    assert_eq!(p.theme, Theme::System);
    assert!(p.notifications);
    assert_eq!(p.max_concurrent_jobs, 3);
    assert!(
        p.check_for_updates,
        "updates are looked for on start unless turned off"
    );
    assert_eq!(p.last_request, None);
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn missing_file_gives_defaults_without_warning() {
    let dir = tempfile::tempdir().unwrap();
    let out = store_in(&dir.path().join("not-yet")).load();
    assert_eq!(
        out,
        LoadOutcome {
            prefs: Preferences::default(),
            warning: None
        }
    );
}

#[test]
fn saved_preferences_load_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir.path().join("nested").join("data"));
    let prefs = custom();
    store.save(&prefs).unwrap();
    let out = store.load();
    assert_eq!(out.warning, None);
    assert_eq!(out.prefs, prefs);
    let text = fs::read_to_string(store.path()).unwrap();
    assert!(
        text.contains("\"zh-CN\"") && text.contains("\"china\""),
        "{text}"
    );
    assert!(!text.to_lowercase().contains("token\""), "{text}");
}

#[test]
fn an_older_file_with_fewer_fields_loads_with_defaults_for_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    fs::write(
        store.path(),
        r#"{"theme": "light", "cost_rates": {"currency": "EUR"}, "some_future_field": 1}"#,
    )
    .unwrap();
    let out = store.load();
    assert_eq!(out.warning, None);
    assert_eq!(out.prefs.theme, Theme::Light);
    assert_eq!(out.prefs.cost_rates.currency, "EUR");
    assert_eq!(out.prefs.cost_rates.per_million_with_audio, 2.4);
    assert_eq!(out.prefs.max_concurrent_jobs, 3);
    assert_eq!(out.prefs.file_name_pattern, "{date}_{time}_{prompt}");
    assert!(out.prefs.notifications);
    assert!(out.prefs.check_for_updates);
}

fn assert_set_aside(dir: &Path, bad: &[u8]) -> PrefsWarning {
    let store = store_in(dir);
    fs::write(store.path(), bad).unwrap();
    let out = store.load();
    assert_eq!(out.prefs, Preferences::default());
    let warning = out.warning.expect("a damaged file is reported");
    let PrefsWarning::Damaged { backup, .. } = &warning else {
        panic!("expected the file to be set aside: {warning:?}");
    };
    assert_eq!(
        fs::read(backup).unwrap(),
        bad,
        "the backup keeps the exact bytes"
    );
    assert_eq!(backup.parent(), Some(dir));
    let name = backup.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("preferences.corrupt-") && name.ends_with(".json"),
        "{name}"
    );
    let stamp = &name["preferences.corrupt-".len()..name.len() - ".json".len()];
    assert_eq!(stamp.len(), "YYYYMMDD-HHMMSS".len(), "{stamp}");
    assert!(
        !store.path().exists(),
        "the damaged file is moved, not copied"
    );
    warning
}

#[test]
fn a_corrupt_file_is_kept_aside_and_defaults_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let warning = assert_set_aside(dir.path(), b"{\"theme\": \"dark\", \x00\xff garbage");
    assert_eq!(warning.kind(), "prefs_file_damaged");
    let msg = warning.msg();
    assert!(msg.text("en").contains("damaged") && msg.text("en").contains("preferences.corrupt-"));
    assert!(
        msg.text("zh-CN").contains("损坏") && msg.text("zh-CN").contains("preferences.corrupt-")
    );
}

#[test]
fn valid_json_with_invalid_values_or_types_is_also_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    assert_set_aside(dir.path(), br#"{"max_concurrent_jobs": 99}"#);
    let dir = tempfile::tempdir().unwrap();
    assert_set_aside(dir.path(), br#"{"language": "klingon"}"#);
    let dir = tempfile::tempdir().unwrap();
    assert_set_aside(dir.path(), b"[1, 2, 3]");
}

#[test]
fn two_damaged_files_in_the_same_second_get_two_backups() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    fs::write(store.path(), b"first").unwrap();
    assert!(store.load().warning.is_some());
    fs::write(store.path(), b"second").unwrap();
    assert!(store.load().warning.is_some());
    let mut contents: Vec<Vec<u8>> = others(dir.path())
        .iter()
        .map(|n| fs::read(dir.path().join(n)).unwrap())
        .collect();
    contents.sort();
    assert_eq!(contents, vec![b"first".to_vec(), b"second".to_vec()]);
}

#[test]
fn saving_over_a_damaged_file_keeps_it_aside_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    fs::write(store.path(), b"not json").unwrap();
    store.save(&custom()).unwrap();
    assert_eq!(store.load().prefs, custom());
    let kept = others(dir.path());
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(fs::read(dir.path().join(&kept[0])).unwrap(), b"not json");
}

#[test]
fn saves_are_atomic_and_leave_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    for jobs in 1..=8 {
        let prefs = Preferences {
            max_concurrent_jobs: jobs,
            ..custom()
        };
        store.save(&prefs).unwrap();
        assert_eq!(store.load().prefs.max_concurrent_jobs, jobs);
    }
    assert_eq!(others(dir.path()), Vec::<String>::new());
}

#[test]
fn invalid_preferences_are_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    store.save(&custom()).unwrap();
    let before = fs::read(store.path()).unwrap();
    let bad = Preferences {
        max_concurrent_jobs: 0,
        file_name_pattern: "{nope}".into(),
        ..custom()
    };
    let err = store.save(&bad).unwrap_err();
    assert_eq!(err.kind(), "prefs_invalid");
    let kinds: Vec<_> = err.problems().iter().map(|p| p.kind()).collect();
    assert_eq!(
        kinds,
        vec![
            "prefs_unknown_placeholder",
            "prefs_concurrency_out_of_range"
        ]
    );
    assert!(err.msg().text("en").contains("{nope}") && err.msg().text("zh-CN").contains("{nope}"));
    assert_eq!(fs::read(store.path()).unwrap(), before);
    assert_eq!(others(dir.path()), Vec::<String>::new());
}

/// The file holds the language as its bare tag; every language the app ships a catalog for saves and
/// loads back by that tag, so a new catalog needs no change to the preferences.
#[test]
fn every_shipped_language_saves_and_loads_back_by_its_tag() {
    for shipped in seedance_core::i18n::Language::all() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_in(dir.path());
        let prefs = Preferences {
            language: Language::new(shipped.tag()),
            ..custom()
        };
        store.save(&prefs).unwrap();
        let text = fs::read_to_string(store.path()).unwrap();
        assert!(
            text.contains(&format!("\"language\": \"{}\"", shipped.tag())),
            "{text}"
        );
        let out = store.load();
        assert_eq!(out.warning, None, "{}", shipped.tag());
        assert_eq!(out.prefs, prefs);
    }
}

#[test]
fn a_file_naming_a_language_the_app_does_not_ship_loads_as_system() {
    let dir = tempfile::tempdir().unwrap();
    let warning = assert_set_aside(dir.path(), br#"{"language": "fr", "theme": "dark"}"#);
    assert_eq!(warning.kind(), "prefs_file_damaged");
    let store = store_in(dir.path());
    assert_eq!(store.load().prefs.language, Language::system());
}

#[test]
fn a_language_the_app_does_not_ship_is_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path());
    store.save(&custom()).unwrap();
    let before = fs::read(store.path()).unwrap();
    let err = store
        .save(&Preferences {
            language: Language::new("fr"),
            ..custom()
        })
        .unwrap_err();
    let kinds: Vec<_> = err.problems().iter().map(|p| p.kind()).collect();
    assert_eq!(kinds, vec!["prefs_unknown_language"]);
    let msg = err.msg();
    assert!(msg.text("en").contains("\"fr\"") && msg.text("en").contains("Language"));
    assert!(msg.text("zh-CN").contains("“fr”") && msg.text("zh-CN").contains("语言"));
    assert_eq!(fs::read(store.path()).unwrap(), before);
}

#[test]
fn a_save_that_cannot_write_says_so_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the folder should be: the folder cannot be created.
    let blocker = dir.path().join("blocker");
    fs::write(&blocker, b"x").unwrap();
    let store = store_in(&blocker.join("data"));
    let err = store.save(&Preferences::default()).unwrap_err();
    assert!(matches!(err, PrefsError::SaveFailed { .. }), "{err:?}");
    assert_eq!(err.kind(), "prefs_save_failed");
    assert!(!err.msg().text("zh-CN").is_empty());
    assert_eq!(fs::read(&blocker).unwrap(), b"x");
}
