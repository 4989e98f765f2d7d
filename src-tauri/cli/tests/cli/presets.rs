//! `seedance presets …` on the app's library: list, show by name (in either language), export, import.

use crate::support::Env;

#[test]
fn show_finds_a_preset_by_name_in_any_case_or_language() {
    let env = Env::new();
    let run = env.run(&["--json", "presets", "show", "draft 480P"]);
    assert_eq!(run.code, 0, "{run:?}");
    let preset = run.json();
    assert_eq!(preset["settings"]["resolution"], "480p");
    assert_eq!(preset["settings"]["draft"], true);
    let zh = env.run(&["--json", "presets", "show", "草稿 480p"]);
    assert_eq!(zh.json()["id"], preset["id"]);
    let human = env.run(&["presets", "show", "Draft 480p"]);
    assert!(
        human.stdout.contains("480p adaptive 4 s audio draft"),
        "{human:?}"
    );
    let missing = env.run(&["--json", "presets", "show", "Nope"]);
    assert_eq!(missing.code, 2, "{missing:?}");
    assert_eq!(missing.json()["error"]["kind"], "preset_unknown_name");
}

#[test]
fn export_and_import_round_trip_through_a_preset_file() {
    let env = Env::new();
    let printed = env.run(&["presets", "export", "Silent loop"]);
    assert_eq!(printed.code, 0, "{printed:?}");
    let file: serde_json::Value = serde_json::from_str(&printed.stdout).unwrap();
    assert!(file.to_string().contains("Silent loop"), "{file}");

    let path = env.dir.path().join("loop.json");
    let run = env.run(&[
        "--json",
        "presets",
        "export",
        "Silent loop",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["exported"], 1);
    assert!(path.is_file());

    // Every data folder has the built-in starters: importing one again adds nothing.
    let run = env.run(&["--json", "presets", "import", path.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.json()["error"]["kind"], "preset_import_name_collision");

    // Under a name of its own it becomes a user preset, which exports and imports elsewhere.
    let mine = env.dir.path().join("mine.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&mine, text.replace("Silent loop", "My loop")).unwrap();
    let run = env.run(&["--json", "presets", "import", mine.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["imported"], 1);
    assert_eq!(run.json()["names"][0], "My loop");
    let shared = env.dir.path().join("shared.json");
    let run = env.run(&[
        "presets",
        "export",
        "my loop",
        "--out",
        shared.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("Wrote 1 preset to"), "{run:?}");

    let other = Env::new();
    let run = other.run(&["presets", "import", shared.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("Imported 1 preset: My loop."),
        "{run:?}"
    );
    let names: Vec<String> = other
        .run(&["--json", "presets", "list"])
        .json_lines()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 5, "{names:?}");
    let imported = other.run(&["--json", "presets", "show", "My loop"]).json();
    assert_eq!(imported["builtin"], false);
    assert_eq!(imported["settings"]["camera_fixed"], true);
}

#[test]
fn a_file_that_is_not_a_preset_file_is_refused_and_nothing_is_added() {
    let env = Env::new();
    let path = env.dir.path().join("junk.json");
    std::fs::write(&path, "not json at all").unwrap();
    let run = env.run(&["presets", "import", path.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(!run.stderr.is_empty());
    assert_eq!(
        env.run(&["--json", "presets", "list"]).json_lines().len(),
        4
    );
    let run = env.run(&[
        "presets",
        "export",
        "Silent loop",
        "--out",
        env.dir.path().join("x.txt").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "an export must be a .json file: {run:?}");
}
