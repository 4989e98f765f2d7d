//! Every saved input of every fuzz target, run through the same check the fuzzer runs: the seed corpora
//! (`fuzz/corpus/<target>/`) and the inputs that once failed (`fuzz/regressions/<target>/`). The fuzzers
//! themselves are built and run by `./dev fuzz`; this keeps what they found checked in every test run.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use seedance_fuzz_checks::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn replay(target: &str) {
    let (_, check) = TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .unwrap_or_else(|| panic!("no target {target}"));
    let corpus = inputs(&fuzz_dir().join("corpus").join(target));
    assert!(!corpus.is_empty(), "{target} has no seed corpus");
    let regressions = inputs(&fuzz_dir().join("regressions").join(target));
    for path in corpus.iter().chain(&regressions) {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let outcome = std::panic::catch_unwind(|| check(&bytes));
        assert!(outcome.is_ok(), "{target} fails on {}", path.display());
    }
}

#[test]
fn every_target_has_a_replay_test() {
    let names: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "jpeg_preview",
            "intake",
            "preset_import",
            "replies",
            "properties",
            "job_states"
        ]
    );
    for name in names {
        let source = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        assert!(source.is_file(), "{} is missing", source.display());
    }
}

#[test]
fn jpeg_preview_inputs() {
    replay("jpeg_preview");
}

#[test]
fn intake_inputs() {
    replay("intake");
}

#[test]
fn preset_import_inputs() {
    replay("preset_import");
}

#[test]
fn replies_inputs() {
    replay("replies");
}

#[test]
fn properties_inputs() {
    replay("properties");
}

#[test]
fn job_states_inputs() {
    replay("job_states");
}
