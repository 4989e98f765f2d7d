//! Presets in the database: built-ins, saving from the form, the manager's actions across restarts, and
//! frames copied into the presets folder.

use crate::support::presets::{form, png_file, Home};
use seedance_core::i18n::UserFacing;
use seedance_core::presets::{BuiltinPreset, PresetError, PresetParts};
use seedance_core::request::{DraftSettings, Field, Ratio, RequestDraft, RequestError, Resolution};

const SETTINGS_ONLY: PresetParts = PresetParts {
    include_prompt: false,
    include_frames: false,
};
const EVERYTHING: PresetParts = PresetParts {
    include_prompt: true,
    include_frames: true,
};

#[test]
fn a_fresh_database_has_the_builtins_in_order_and_they_apply() {
    let home = Home::new();
    let lib = home.open();
    let all = lib.list().unwrap();
    let keys: Vec<_> = all.iter().map(|p| p.builtin).collect();
    assert_eq!(keys, BuiltinPreset::ALL.map(Some).to_vec());
    assert_eq!(all[0].name, "Draft 480p");
    assert!(all.iter().all(|p| !p.is_default && p.prompt.is_none()));

    let applied = lib.apply(&BuiltinPreset::Vertical9x16P720.id()).unwrap();
    assert_eq!(applied.draft.settings.ratio, "9:16");
    assert_eq!(applied.draft.settings.resolution, "720p");
    assert!(!applied.replaces_prompt && !applied.replaces_frames);
    assert!(applied.problems.is_empty());
    // Re-opening does not seed them twice.
    assert_eq!(home.open().list().unwrap().len(), BuiltinPreset::ALL.len());
}

#[test]
fn builtins_can_be_duplicated_but_not_renamed_changed_or_deleted() {
    let home = Home::new();
    let lib = home.open();
    let id = BuiltinPreset::Cinematic21x9P1080.id();
    for err in [
        lib.rename(&id, "Mine").unwrap_err(),
        lib.delete(&id).unwrap_err(),
        lib.update(&id, &form("x"), SETTINGS_ONLY).unwrap_err(),
    ] {
        assert_eq!(err.kind(), "preset_builtin_read_only");
        assert!(
            err.msg().text("en").contains("Duplicate"),
            "{:?}",
            err.msg()
        );
    }
    let copy = lib.duplicate(&id).unwrap();
    assert_eq!(copy.name, "Cinematic 21:9 1080p (copy)");
    assert_eq!(copy.builtin, None);
    assert_eq!(copy.settings.ratio, Ratio::R21x9);
    assert_eq!(copy.settings.resolution, Resolution::P1080);
    // The copy is the user's own.
    lib.rename(&copy.id, "Wide").unwrap();
    assert_eq!(lib.list().unwrap().len(), BuiltinPreset::ALL.len() + 1);
    let again = lib.duplicate(&id).unwrap();
    assert_eq!(again.name, "Cinematic 21:9 1080p (copy)");
    let third = lib.duplicate(&id).unwrap();
    assert_eq!(third.name, "Cinematic 21:9 1080p (copy 2)");
}

#[test]
fn a_saved_preset_round_trips_and_settings_only_keeps_the_prompt_box() {
    let home = Home::new();
    let lib = home.open();
    let saved = lib
        .create(" Product shot ", &form("一只猫 walks"), EVERYTHING)
        .unwrap();
    assert_eq!(saved.name, "Product shot");
    assert_eq!(saved.prompt.as_deref(), Some("一只猫 walks"));
    let reopened = home.open().get(&saved.id).unwrap();
    assert_eq!(reopened, saved);
    let applied = home.open().apply(&saved.id).unwrap();
    assert_eq!(applied.draft, form("一只猫 walks"));
    assert!(applied.replaces_prompt);

    let settings_only = lib
        .create("Settings", &form("ignored"), SETTINGS_ONLY)
        .unwrap();
    assert_eq!(settings_only.prompt, None);
    let applied = lib.apply(&settings_only.id).unwrap();
    assert!(!applied.replaces_prompt);
    assert_eq!(applied.draft.prompt, "");
    // An empty prompt is fine for a settings-only preset, even when "include prompt" was ticked.
    assert!(lib
        .create("Empty", &form(""), EVERYTHING)
        .unwrap()
        .prompt
        .is_none());
}

#[test]
fn invalid_forms_and_names_are_refused_with_the_request_rules() {
    let home = Home::new();
    let lib = home.open();
    let bad = RequestDraft {
        settings: DraftSettings {
            resolution: "720p".into(),
            draft: true,
            duration: 3,
            ..DraftSettings::default()
        },
        ..form("x")
    };
    match lib.create("Bad", &bad, SETTINGS_ONLY).unwrap_err() {
        PresetError::Invalid { errors } => assert_eq!(
            errors,
            vec![
                RequestError::DurationOutOfRange { value: 3 },
                RequestError::DraftNeedsLowResolution {
                    resolution: "720p".into()
                },
            ]
        ),
        other => panic!("{other:?}"),
    }
    let long = form(&"字".repeat(2001));
    assert_eq!(
        lib.create("Long", &long, EVERYTHING).unwrap_err().kind(),
        "preset_invalid"
    );
    assert_eq!(
        lib.create("  ", &form("x"), SETTINGS_ONLY)
            .unwrap_err()
            .kind(),
        "preset_name_empty"
    );
    lib.create("Mine", &form("x"), SETTINGS_ONLY).unwrap();
    let taken = lib.create(" mine", &form("x"), SETTINGS_ONLY).unwrap_err();
    assert_eq!(taken.kind(), "preset_name_taken");
    let taken = lib
        .create("draft 480P", &form("x"), SETTINGS_ONLY)
        .unwrap_err();
    assert_eq!(
        taken.kind(),
        "preset_name_taken",
        "built-in names are taken too"
    );
    assert_eq!(lib.list().unwrap().len(), BuiltinPreset::ALL.len() + 1);
}

#[test]
fn rename_duplicate_delete_default_and_order_persist_across_reopen() {
    let home = Home::new();
    let (a, b, c) = {
        let lib = home.open();
        let a = lib.create("A", &form("a"), EVERYTHING).unwrap();
        let b = lib.create("B", &form("b"), SETTINGS_ONLY).unwrap();
        let c = lib.duplicate(&a.id).unwrap();
        (a, b, c)
    };
    assert_eq!(c.name, "A (copy)");
    assert_eq!(c.prompt.as_deref(), Some("a"));
    {
        let lib = home.open();
        lib.rename(&a.id, "Alpha").unwrap();
        assert_eq!(
            lib.rename(&b.id, "alpha").unwrap_err().kind(),
            "preset_name_taken"
        );
        lib.rename(&b.id, "b").unwrap(); // changing only the case of its own name is fine
        lib.set_default(Some(&b.id)).unwrap();
        lib.set_default(Some(&c.id)).unwrap();
        lib.delete(&b.id).unwrap();
        lib.reorder(&[c.id.clone(), a.id.clone()]).unwrap();
    }
    let lib = home.open();
    let all = lib.list().unwrap();
    let names: Vec<_> = all.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "A (copy)",
            "Alpha",
            "Draft 480p",
            "Vertical 9:16 720p",
            "Cinematic 21:9 1080p",
            "Silent loop"
        ]
    );
    assert_eq!(all.iter().filter(|p| p.is_default).count(), 1);
    assert_eq!(lib.default_preset().unwrap().unwrap().id, c.id);
    assert_eq!(lib.get(&b.id).unwrap_err().kind(), "preset_not_found");
    assert_eq!(
        lib.reorder(&["nope".into()]).unwrap_err().kind(),
        "preset_not_found"
    );
    lib.set_default(None).unwrap();
    assert!(lib.default_preset().unwrap().is_none());
    // Deleting the default leaves no default.
    lib.set_default(Some(&a.id)).unwrap();
    lib.delete(&a.id).unwrap();
    assert!(home.open().default_preset().unwrap().is_none());
}

#[test]
fn frames_are_copied_and_still_apply_after_the_originals_are_gone() {
    let home = Home::new();
    let originals = tempfile::tempdir().unwrap();
    let first = png_file(originals.path(), "first.png", 640, 360, 1);
    let last = png_file(originals.path(), "last.png", 640, 360, 2);
    let lib = home.open();
    let draft = RequestDraft {
        first_frame: Some(first.display().to_string()),
        last_frame: Some(last.display().to_string()),
        ..form("shot")
    };
    let saved = lib.create("Framed", &draft, EVERYTHING).unwrap();
    let copy = saved.first_frame.clone().unwrap();
    assert!(
        copy.starts_with(&home.presets_dir().display().to_string()),
        "{copy}"
    );
    assert_eq!(home.preset_files(), 2);
    drop(originals);

    let applied = home.open().apply(&saved.id).unwrap();
    assert!(applied.problems.is_empty(), "{:?}", applied.problems);
    assert!(applied.replaces_frames);
    assert_eq!(applied.draft.first_frame, Some(copy));
    let info = seedance_core::images::intake(
        std::path::Path::new(applied.draft.last_frame.as_deref().unwrap()),
        &Default::default(),
    )
    .unwrap();
    assert_eq!((info.width, info.height), (640, 360));

    // Frames are not kept unless asked for.
    let without = lib.create("No frames", &draft, SETTINGS_ONLY).unwrap();
    assert!(!without.has_frames());
}

#[test]
fn a_vanished_frame_copy_is_reported_when_applied() {
    let home = Home::new();
    let originals = tempfile::tempdir().unwrap();
    let first = png_file(originals.path(), "first.png", 400, 400, 3);
    let lib = home.open();
    let draft = RequestDraft {
        first_frame: Some(first.display().to_string()),
        ..form("shot")
    };
    let saved = lib.create("Framed", &draft, EVERYTHING).unwrap();
    std::fs::remove_file(saved.first_frame.as_deref().unwrap()).unwrap();
    let applied = lib.apply(&saved.id).unwrap();
    assert_eq!(applied.draft.first_frame, None);
    assert_eq!(
        applied.draft.settings.ratio, "16:9",
        "the settings still apply"
    );
    assert_eq!(applied.problems.len(), 1);
    assert_eq!(applied.problems[0].kind, "preset_frame_missing");
    assert_eq!(applied.problems[0].field, Field::FirstFrame);
    assert!(!applied.problems[0].msg.text("zh-CN").is_ascii());
}

#[test]
fn a_frame_that_is_not_an_image_is_refused_and_nothing_is_saved() {
    let home = Home::new();
    let originals = tempfile::tempdir().unwrap();
    let text = originals.path().join("notes.png");
    std::fs::write(&text, "not a picture").unwrap();
    let lib = home.open();
    let draft = RequestDraft {
        first_frame: Some(text.display().to_string()),
        ..form("shot")
    };
    let err = lib.create("Broken", &draft, EVERYTHING).unwrap_err();
    assert_eq!(err.kind(), "preset_frame_unusable");
    let missing = RequestDraft {
        first_frame: Some(originals.path().join("gone.png").display().to_string()),
        ..form("shot")
    };
    assert_eq!(
        lib.create("Gone", &missing, EVERYTHING).unwrap_err().kind(),
        "preset_frame_unusable"
    );
    assert_eq!(lib.list().unwrap().len(), BuiltinPreset::ALL.len());
    assert_eq!(home.preset_files(), 0);
}

#[test]
fn shared_frame_copies_are_removed_only_when_no_preset_uses_them() {
    let home = Home::new();
    let originals = tempfile::tempdir().unwrap();
    let first = png_file(originals.path(), "first.png", 400, 400, 4);
    let lib = home.open();
    let draft = RequestDraft {
        first_frame: Some(first.display().to_string()),
        ..form("shot")
    };
    let a = lib.create("A", &draft, EVERYTHING).unwrap();
    let b = lib.duplicate(&a.id).unwrap();
    assert_eq!(home.preset_files(), 1, "the same image is stored once");
    lib.delete(&a.id).unwrap();
    assert_eq!(home.preset_files(), 1, "the duplicate still uses it");
    assert!(lib.apply(&b.id).unwrap().problems.is_empty());
    // Updating without frames drops the last use.
    lib.update(&b.id, &form("new"), SETTINGS_ONLY).unwrap();
    assert_eq!(home.preset_files(), 0);
    let updated = lib.get(&b.id).unwrap();
    assert_eq!(updated.prompt, None);
    assert!(!updated.has_frames());
}

/// A frame path is only ever read as a regular file: a pipe (like `/dev/zero`, which would be read
/// until memory ran out) is refused at once instead of blocking or filling memory.
#[cfg(unix)]
#[test]
fn a_frame_that_is_not_a_regular_file_is_refused_without_reading_it() {
    let home = Home::new();
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("frame.png");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let lib = home.open();
    let draft = RequestDraft {
        first_frame: Some(fifo.display().to_string()),
        ..form("shot")
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(lib.create("Pipe", &draft, EVERYTHING).map(|_| ()));
    });
    let outcome = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("refused without waiting on the pipe");
    let err = outcome.unwrap_err();
    assert_eq!(err.kind(), "preset_frame_unusable");
    assert_eq!(home.preset_files(), 0);
}
