//! Running a batch through the job queue against the simulator: every job stored before anything is sent,
//! each sent once within the concurrency limit, identical frames uploaded once; pause, resume and cancel;
//! and a batch cut off mid-way (the app killed) that picks up after a restart without paying twice.

mod control;
mod idle;
mod outputs;
mod restart;
mod retry;
mod sending;
mod service;

use std::time::Duration;

use seedance_core::batch::{from_form, BatchPlan};
use seedance_core::i18n::Message;
use seedance_core::jobs::{BatchStart, Intent, JobRunner, SpendConsent};
use seedance_core::request::RequestDraft;
use seedance_core::store::{BatchRecord, BatchState, JobRecord, Store};

use crate::support::api::within;
use crate::support::batch::plan_with;

/// The form as `takes` takes.
pub fn takes_of(form: &RequestDraft, takes: u32) -> BatchPlan {
    let plan = plan_with(&from_form(form, takes), "", &[]);
    assert!(plan.can_start(), "{:?}", plan.problems);
    assert_eq!(plan.jobs.len(), takes as usize);
    plan
}

pub async fn start(runner: &JobRunner, plan: &BatchPlan) -> BatchRecord {
    within(runner.start_batch(BatchStart {
        name: "catalogue",
        source: &Message::new("msg.batch_source.form").arg("takes", plan.jobs.len()),
        plan,
        intent: Intent::Once,
        spend: SpendConsent::NotGiven,
    }))
    .await
    .unwrap()
}

pub fn jobs_of(store: &Store, batch: &BatchRecord) -> Vec<JobRecord> {
    store.batch_jobs(&batch.id).unwrap()
}

pub fn state_of(store: &Store, batch: &BatchRecord) -> BatchState {
    store.get_batch(&batch.id).unwrap().unwrap().state
}

/// Waits (bounded) until `done` holds, looking every few milliseconds.
pub async fn until(mut done: impl FnMut() -> bool) {
    within(async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
}
