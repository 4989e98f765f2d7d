//! Preset import: any file either imports whole or changes nothing (no preset, no frame file), and
//! never panics. Memory is bounded by the fuzzer's limit.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use seedance_core::presets::PresetLibrary;
use seedance_core::store::Store;

struct Library {
    _dir: tempfile::TempDir,
    presets: PresetLibrary,
}

fn files_in(dir: &Path) -> BTreeSet<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

pub fn check_preset_import(data: &[u8]) {
    static LIBRARY: OnceLock<Mutex<Library>> = OnceLock::new();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let library = LIBRARY.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = Arc::new(Store::open(&dir.path().join("jobs.db")).expect("the store opens"));
        let presets = PresetLibrary::new(store, dir.path().join("presets"));
        Mutex::new(Library { _dir: dir, presets })
    });
    let library = library.lock().unwrap_or_else(|p| p.into_inner());
    let presets = &library.presets;
    let before = presets.list().expect("presets list");
    let frames_before = files_in(presets.frames_dir());
    match presets.import_json(text) {
        Ok(summary) => {
            let after = presets.list().expect("presets list");
            assert_eq!(
                after.len(),
                before.len() + summary.imported as usize,
                "the summary does not match what was imported"
            );
            // Back to the starting point, so every input meets the same library.
            for added in after
                .iter()
                .filter(|p| !before.iter().any(|b| b.id == p.id))
            {
                presets
                    .delete(&added.id)
                    .expect("an imported preset can be deleted");
            }
        }
        Err(_) => {
            assert_eq!(
                presets.list().expect("presets list"),
                before,
                "a refused import changed the presets"
            );
            assert_eq!(
                files_in(presets.frames_dir()),
                frames_before,
                "a refused import left frame files behind"
            );
        }
    }
}
