//! Shared helpers of the preset tests: a library over a database file and real little images.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use seedance_core::presets::PresetLibrary;
use seedance_core::request::{DraftSettings, RequestDraft};
use seedance_core::store::Store;

/// A data folder with the database and the presets folder, as the app lays them out.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// Opens (again) the library: a fresh `Store` each time, as after an app restart.
    pub fn open(&self) -> PresetLibrary {
        let store = Store::open(&self.dir.path().join("seedance.db")).unwrap();
        PresetLibrary::new(Arc::new(store), self.dir.path().join("presets"))
    }

    pub fn presets_dir(&self) -> PathBuf {
        self.dir.path().join("presets")
    }

    pub fn preset_files(&self) -> usize {
        std::fs::read_dir(self.presets_dir())
            .map(|d| d.count())
            .unwrap_or(0)
    }
}

/// Writes a real PNG of this size and colour (so different colours make different files).
pub fn png_file(dir: &Path, name: &str, w: u32, h: u32, shade: u8) -> PathBuf {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([shade, 100, 200]));
    let path = dir.join(name);
    img.save_with_format(&path, image::ImageFormat::Png)
        .unwrap();
    path
}

pub fn form(prompt: &str) -> RequestDraft {
    RequestDraft {
        prompt: prompt.into(),
        settings: DraftSettings {
            ratio: "16:9".into(),
            duration: 8,
            generate_audio: false,
            ..DraftSettings::default()
        },
        ..RequestDraft::default()
    }
}
