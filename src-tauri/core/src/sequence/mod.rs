//! Sequences: shots that follow each other, each made by one or more takes, the chosen takes joined into
//! one film ([`crate::film`]).
//!
//! A sequence is a document ([`SequenceDoc`]) the user edits; its takes are ordinary jobs, created by
//! ordinary batches ([`crate::jobs::JobRunner::start_sequence_run`]) so every money rule holds per shot
//! (stored before anything is sent, never sent twice, resumed after a crash). A shot that starts from the
//! previous shot's last frame is *chained*: its job is stored with the batch, waits while the job it
//! starts from is being made, and is sent only once that job's clip is on disk and its last frame has been
//! taken from it and written next to the history ([`plan`] decides the chains, the batch's feeder keeps
//! them).

mod model;
mod plan;

pub use model::{
    FirstFrame, SequenceDoc, SequenceRecord, SequenceSummary, SequenceView, Shot, ShotTakes, Take,
};
pub use plan::{plan_run, RunScope, SequencePlan};
