//! Sequences against the simulator: chained shots wait for the shot before them and start from the last
//! frame of its finished clip; runs, re-rolls with and without re-chaining, takes; a double click and a
//! crash mid-sequence never pay twice.

mod chain;
mod film;
mod real_size;
mod reroll;
mod restart;

use std::path::{Path, PathBuf};

use seedance_core::cost::CostRates;
use seedance_core::jobs::{BatchRunError, Intent, JobRunner, SpendConsent};
use seedance_core::sequence::{
    FirstFrame, RunScope, SequenceDoc, SequenceRecord, SequenceView, Shot,
};
use seedance_core::store::{BatchRecord, Store};

use crate::support::api::within;

/// A sequence of shots with these first-frame sources and prompts "shot 1", "shot 2"…
pub fn sequence(store: &Store, firsts: Vec<FirstFrame>) -> SequenceRecord {
    let shots = firsts
        .into_iter()
        .enumerate()
        .map(|(i, first)| Shot::new(format!("shot {}", i + 1), first))
        .collect();
    let doc = SequenceDoc {
        defaults: Default::default(),
        shots,
    };
    store.create_sequence("harbour at dawn", &doc).unwrap()
}

pub fn frames_dir(dir: &Path) -> PathBuf {
    dir.join("chained-frames")
}

pub async fn run(
    runner: &JobRunner,
    dir: &Path,
    sequence: &SequenceRecord,
    scope: RunScope,
) -> Result<BatchRecord, BatchRunError> {
    within(runner.start_sequence_run(
        &sequence.id,
        &scope,
        &CostRates::default(),
        &frames_dir(dir),
        Intent::Once,
        SpendConsent::NotGiven,
    ))
    .await
}

pub fn view(runner: &JobRunner, sequence: &SequenceRecord) -> SequenceView {
    runner.sequence_view(&sequence.id).unwrap()
}

/// Take ids per shot, oldest first.
pub fn take_ids(view: &SequenceView) -> Vec<Vec<String>> {
    view.shots
        .iter()
        .map(|s| s.takes.iter().map(|t| t.job.id.clone()).collect())
        .collect()
}
