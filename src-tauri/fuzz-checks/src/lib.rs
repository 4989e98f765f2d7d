//! The properties the fuzz targets in `fuzz/` check. Each `check_*` takes the fuzzer's bytes and panics
//! when a property fails; returning means the input is fine (refusing bad input is fine, panicking or
//! answering inconsistently is not). The fuzz targets are one-line calls into these, and
//! `tests/replay.rs` runs every saved corpus and crash input through the same functions, so `./dev test`
//! keeps checking what fuzzing found without building the fuzzers.

// A check reports by panicking, so a setup step that fails (a temporary folder, the simulator) panics too.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod images;
mod jobs;
mod presets;
mod properties;
mod replies;

pub use images::{check_intake, check_jpeg_preview};
pub use jobs::check_job_states;
pub use presets::check_preset_import;
pub use properties::check_properties;
pub use replies::check_replies;

/// A property check over one input.
pub type Check = fn(&[u8]);

/// Every target by the name of its folder under `fuzz/corpus/` and `fuzz/regressions/`.
pub const TARGETS: &[(&str, Check)] = &[
    ("jpeg_preview", check_jpeg_preview),
    ("intake", check_intake),
    ("preset_import", check_preset_import),
    ("replies", check_replies),
    ("properties", check_properties),
    ("job_states", check_job_states),
];
