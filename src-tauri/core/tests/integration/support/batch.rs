//! Shared helpers of the batch tests: a folder of stand-in frame files and batch files written in any
//! encoding, and a plan with the app's defaults.

use std::path::{Path, PathBuf};

use seedance_core::batch::{plan, BatchPlan, BatchProblem, BatchSource, PlanInput};
use seedance_core::cost::CostRates;
use seedance_core::presets::Preset;
use seedance_core::request::RequestDraft;

/// A temporary folder the sources read from. Frames are only looked up by name while a batch is read
/// (their content is checked before upload), so a few bytes stand in for each image.
pub struct Folder {
    pub dir: tempfile::TempDir,
}

impl Folder {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Creates each file (and its folders) under the folder.
    pub fn touch(&self, names: &[&str]) -> &Self {
        for name in names {
            let path = self.dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, b"stand-in image").unwrap();
        }
        self
    }

    /// Writes `bytes` as `name` and returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

/// Text as Excel's "Unicode text" saves it: UTF-16 little endian with its byte order mark.
pub fn utf16le_with_mark(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// A plan with the form's prompt `prompt`, default settings, one take, default prices, no presets and no
/// known frame shapes.
pub fn plan_with(source: &BatchSource, prompt: &str, presets: &[Preset]) -> BatchPlan {
    let form = RequestDraft {
        prompt: prompt.into(),
        ..RequestDraft::default()
    };
    plan(
        source,
        &PlanInput {
            form: &form,
            takes: 1,
            presets,
            rates: &CostRates::default(),
            frame_aspect: &|_| None,
        },
    )
}

/// `(kind, line, column)` of each problem, for compact assertions.
pub fn places(problems: &[BatchProblem]) -> Vec<(&str, Option<u32>, Option<u32>)> {
    problems
        .iter()
        .map(|p| (p.kind.as_str(), p.at.line, p.at.column))
        .collect()
}

/// The kinds of the problems.
pub fn kinds(problems: &[BatchProblem]) -> Vec<&str> {
    problems.iter().map(|p| p.kind.as_str()).collect()
}
