//! Preset files: export and import round trips, and every kind of bad file refused with nothing changed.

use std::collections::BTreeSet;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::support::presets::{form, png_file, Home};
use seedance_core::i18n::UserFacing;
use seedance_core::presets::{
    BuiltinPreset, ExportSelection, Preset, PresetError, PresetLibrary, PresetParts, FILE_FORMAT,
    MAX_IMPORT_FILE_BYTES, MAX_IMPORT_FRAMES,
};
use seedance_core::request::{DraftSettings, RequestDraft};

const EVERYTHING: PresetParts = PresetParts {
    include_prompt: true,
    include_frames: true,
};

/// A library with two user presets, one with both frames.
fn stocked(home: &Home) -> (PresetLibrary, tempfile::TempDir) {
    let originals = tempfile::tempdir().unwrap();
    let lib = home.open();
    let framed = RequestDraft {
        first_frame: Some(
            png_file(originals.path(), "a.png", 400, 300, 9)
                .display()
                .to_string(),
        ),
        last_frame: Some(
            png_file(originals.path(), "b.png", 400, 300, 10)
                .display()
                .to_string(),
        ),
        ..form("镜头缓慢推进")
    };
    lib.create("Framed", &framed, EVERYTHING).unwrap();
    let plain = RequestDraft {
        settings: DraftSettings {
            resolution: "480p".into(),
            draft: true,
            ..DraftSettings::default()
        },
        ..form("")
    };
    lib.create("Plain", &plain, PresetParts::default()).unwrap();
    (lib, originals)
}

fn user_presets(lib: &PresetLibrary) -> Vec<Preset> {
    lib.list()
        .unwrap()
        .into_iter()
        .filter(|p| !p.is_builtin())
        .collect()
}

/// What a user sees of a preset, without ids, times and where its frames are kept.
fn essence(p: &Preset) -> (String, String, Option<String>, bool, bool) {
    (
        p.name.clone(),
        serde_json::to_string(&p.settings).unwrap(),
        p.prompt.clone(),
        p.first_frame.is_some(),
        p.last_frame.is_some(),
    )
}

fn frame_bytes(p: &Preset) -> Vec<Vec<u8>> {
    [&p.first_frame, &p.last_frame]
        .into_iter()
        .flatten()
        .map(|f| std::fs::read(f).unwrap())
        .collect()
}

#[test]
fn an_export_only_ever_writes_a_json_file() {
    let home = Home::new();
    let (lib, _originals) = stocked(&home);
    let victim = home.dir.path().join("notes.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let refused = lib.export_to_file(&ExportSelection::AllUserPresets, false, &victim);
    assert!(
        matches!(refused, Err(PresetError::ExportNotJson { .. })),
        "{refused:?}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    let upper = home.dir.path().join("ALL.JSON");
    lib.export_to_file(&ExportSelection::AllUserPresets, false, &upper)
        .unwrap();
    assert!(upper.exists());
}

#[test]
fn export_then_import_into_another_library_gives_the_same_presets_and_frames() {
    let home = Home::new();
    let (lib, _originals) = stocked(&home);
    let path = home.dir.path().join("mine.json");
    let summary = lib
        .export_to_file(&ExportSelection::AllUserPresets, true, &path)
        .unwrap();
    assert_eq!((summary.presets, summary.frames), (2, 2));
    assert!(summary.missing_frames.is_empty());

    let other = Home::new();
    let imported = other.open().import_file(&path).unwrap();
    assert_eq!(imported.imported, 2);
    assert_eq!(imported.names, ["Framed", "Plain"]);
    assert_eq!(imported.frames, 2);
    let before = user_presets(&lib);
    let after = user_presets(&other.open());
    assert_eq!(
        before.iter().map(essence).collect::<Vec<_>>(),
        after.iter().map(essence).collect::<Vec<_>>()
    );
    assert_eq!(frame_bytes(&before[0]), frame_bytes(&after[0]));
    assert!(after[0]
        .first_frame
        .as_ref()
        .unwrap()
        .starts_with(&other.presets_dir().display().to_string()));
    let applied = other.open().apply(&after[0].id).unwrap();
    assert!(applied.problems.is_empty());
}

#[test]
fn export_without_frames_imports_as_settings_and_prompt_only() {
    let home = Home::new();
    let (lib, _originals) = stocked(&home);
    let (text, summary) = lib
        .export_json(&ExportSelection::AllUserPresets, false)
        .unwrap();
    assert_eq!(summary.frames, 0);
    assert!(!text.contains("base64"));
    let other = Home::new();
    other.open().import_json(&text).unwrap();
    let after = user_presets(&other.open());
    assert_eq!(after[0].prompt.as_deref(), Some("镜头缓慢推进"));
    assert!(!after[0].has_frames());
    assert_eq!(other.preset_files(), 0);
}

#[test]
fn a_chosen_export_holds_exactly_those_presets_builtins_included() {
    let home = Home::new();
    let (lib, _originals) = stocked(&home);
    let ids = vec![BuiltinPreset::SilentLoop.id()];
    let (text, summary) = lib.export_json(&ExportSelection::Ids(ids), true).unwrap();
    assert_eq!(summary.presets, 1);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["presets"][0]["name"], "Silent loop");
    assert_eq!(v["presets"][0]["settings"]["generate_audio"], false);
    let err = lib
        .export_json(&ExportSelection::Ids(vec!["nope".into()]), true)
        .unwrap_err();
    assert_eq!(err.kind(), "preset_not_found");
}

#[test]
fn an_exported_file_has_only_the_documented_keys() {
    let home = Home::new();
    let (lib, _originals) = stocked(&home);
    let (text, _) = lib
        .export_json(&ExportSelection::AllUserPresets, true)
        .unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let keys = |v: &Value| {
        v.as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<BTreeSet<_>>()
    };
    let set = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(keys(&v), set(&["format", "version", "presets"]));
    assert_eq!(v["format"], FILE_FORMAT);
    assert_eq!(v["version"], 1);
    let presets = v["presets"].as_array().unwrap();
    assert_eq!(
        keys(&presets[0]),
        set(&["name", "settings", "prompt", "first_frame", "last_frame"])
    );
    assert_eq!(keys(&presets[1]), set(&["name", "settings"]));
    for p in presets {
        assert_eq!(
            keys(&p["settings"]),
            set(&[
                "resolution",
                "ratio",
                "duration",
                "generate_audio",
                "camera_fixed",
                "draft",
                "watermark"
            ])
        );
    }
    assert!(presets[0]["first_frame"]
        .as_str()
        .unwrap()
        .starts_with("data:image/png;base64,"));
}

fn png_data_url() -> String {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(png_file(dir.path(), "x.png", 320, 320, 5)).unwrap();
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

fn file_with(presets: Value) -> String {
    json!({"format": FILE_FORMAT, "version": 1, "presets": presets}).to_string()
}

fn good(name: &str) -> Value {
    json!({"name": name, "settings": {"resolution": "720p", "ratio": "1:1", "duration": 6}})
}

/// An import is bounded before anything is decoded or written: the file's size, the number of frames it
/// embeds, and what they would decode to.
#[test]
fn oversized_imports_are_refused_before_anything_is_decoded() {
    let home = Home::new();
    let lib = home.open();
    let before = lib.list().unwrap().len();

    let frame = png_data_url();
    let many: Vec<Value> = (0..=MAX_IMPORT_FRAMES)
        .map(|i| json!({"name": format!("P{i}"), "settings": {}, "first_frame": frame}))
        .collect();
    let err = lib.import_json(&file_with(Value::Array(many))).unwrap_err();
    assert!(
        matches!(err, PresetError::ImportTooManyFrames { count, limit }
            if count == MAX_IMPORT_FRAMES + 1 && limit == MAX_IMPORT_FRAMES),
        "{err:?}"
    );
    assert!(err.msg().text("zh-CN").contains("图片"));

    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.json");
    // Sparse: takes no disk space, but says it is just over the cap.
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(MAX_IMPORT_FILE_BYTES + 1)
        .unwrap();
    let err = lib.import_file(&huge).unwrap_err();
    assert_eq!(err.kind(), "preset_import_too_large", "{err:?}");

    assert_eq!(lib.list().unwrap().len(), before);
    assert_eq!(home.preset_files(), 0);
}

#[test]
fn every_bad_file_is_refused_with_its_own_error_and_changes_nothing() {
    let home = Home::new();
    let (lib, _originals) = stocked(&home);
    let snapshot = lib.list().unwrap();
    let files_before = home.preset_files();
    let not_image = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(b"just some text, not pixels")
    );
    let cases: Vec<(&str, String)> = vec![
        ("preset_import_not_json", "this is not json {".into()),
        ("preset_import_wrong_format", json!({"format": "other-app", "version": 1, "presets": []}).to_string()),
        ("preset_import_newer_version", json!({"format": FILE_FORMAT, "version": 2, "presets": []}).to_string()),
        ("preset_import_malformed", json!({"format": FILE_FORMAT, "version": 1, "presets": [{"name": "x", "settings": {"duration": "long"}}]}).to_string()),
        ("preset_import_invalid", file_with(json!([good("New 1"), {"name": "Odd", "settings": {"ratio": "5:4"}}]))),
        ("preset_import_invalid", file_with(json!([good("New 1"), {"name": "Short", "settings": {"duration": 3}}]))),
        ("preset_import_bad_name", file_with(json!([good("New 1"), {"name": "  ", "settings": {}}]))),
        ("preset_import_name_collision", file_with(json!([good("New 1"), good("framed")]))),
        ("preset_import_name_collision", file_with(json!([good("New 1"), good("new 1")]))),
        ("preset_import_name_collision", file_with(json!([good("Draft 480p")]))),
        ("preset_import_bad_frame_data", file_with(json!([good("New 1"), {"name": "F", "settings": {}, "first_frame": "data:image/png;base64,@@@"}]))),
        ("preset_import_frame_not_image", file_with(json!([
            {"name": "New 1", "settings": {}, "first_frame": png_data_url()},
            {"name": "F", "settings": {}, "first_frame": not_image},
        ]))),
    ];
    let mut seen = BTreeSet::new();
    for (expected, text) in &cases {
        let err = lib.import_json(text).unwrap_err();
        assert_eq!(err.kind(), *expected, "{text}");
        assert!(
            err.msg().text("en").contains("Nothing was imported"),
            "{:?}",
            err.msg()
        );
        assert!(
            err.msg().text("zh-CN").contains("没有导入"),
            "{:?}",
            err.msg()
        );
        seen.insert(err.kind());
        assert_eq!(lib.list().unwrap(), snapshot, "store changed by {expected}");
        assert_eq!(
            home.preset_files(),
            files_before,
            "files changed by {expected}"
        );
    }
    assert_eq!(seen.len(), 9);

    let missing = home.dir.path().join("nowhere.json");
    assert_eq!(
        lib.import_file(&missing).unwrap_err().kind(),
        "preset_import_unreadable"
    );
    // A good file still imports afterwards.
    let summary = lib.import_json(&file_with(json!([good("New 1")]))).unwrap();
    assert_eq!(summary.imported, 1);
}

#[test]
fn an_export_with_a_vanished_frame_still_exports_and_says_which() {
    let home = Home::new();
    let (lib, _originals) = stocked(&home);
    let framed = user_presets(&lib).remove(0);
    std::fs::remove_file(framed.first_frame.as_deref().unwrap()).unwrap();
    let (text, summary) = lib
        .export_json(&ExportSelection::AllUserPresets, true)
        .unwrap();
    assert_eq!(summary.missing_frames, ["Framed"]);
    // The last frame alone would be refused on import, so it is left out too.
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v["presets"][0].get("first_frame").is_none());
    assert!(v["presets"][0].get("last_frame").is_none());
    Home::new().open().import_json(&text).unwrap();
}
