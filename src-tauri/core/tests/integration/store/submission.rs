//! The store's half of "never pay twice by accident": the duplicate check and the insert are one step,
//! even for two connections (two processes) on the same database.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::support::store::{file_store, ManualClock};
use crate::support::text_draft;
use seedance_core::store::{Inserted, JobStatus, NewJob, Store};

const WINDOW: Option<Duration> = Some(Duration::from_secs(600));

fn job(prompt: &str) -> NewJob {
    NewJob {
        request: text_draft(prompt),
        ..NewJob::default()
    }
}

#[test]
fn two_connections_inserting_the_same_fingerprint_at_once_store_one_job() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.db");
    drop(file_store(&path));
    for round in 0..20 {
        let fingerprint = format!("fp-{round}");
        let barrier = Arc::new(Barrier::new(2));
        let outcomes: Vec<Inserted> = (0..2)
            .map(|_| {
                let (path, barrier, fingerprint) =
                    (path.clone(), barrier.clone(), fingerprint.clone());
                std::thread::spawn(move || {
                    // Each thread its own connection, as a second process would have.
                    let store =
                        Store::open_with_clock(&path, ManualClock::at(1_700_000_000_000)).unwrap();
                    barrier.wait();
                    store
                        .insert_job_once(job("same"), &fingerprint, WINDOW)
                        .unwrap()
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        let new: Vec<_> = outcomes
            .iter()
            .filter_map(|o| match o {
                Inserted::New(j) => Some(j.id.clone()),
                Inserted::Duplicate(_) => None,
            })
            .collect();
        assert_eq!(new.len(), 1, "round {round}: {outcomes:?}");
        let dup = outcomes.iter().find_map(|o| match o {
            Inserted::Duplicate(j) => Some(j.id.clone()),
            Inserted::New(_) => None,
        });
        assert_eq!(dup.as_ref(), Some(&new[0]));
    }
}

#[test]
fn a_confirmed_repeat_is_stored_and_a_job_failed_before_sending_does_not_count() {
    let dir = tempfile::tempdir().unwrap();
    let (store, clock) = file_store(&dir.path().join("jobs.db"));
    let Inserted::New(first) = store.insert_job_once(job("a"), "fp", WINDOW).unwrap() else {
        panic!("the first is new");
    };
    assert!(matches!(
        store.insert_job_once(job("a"), "fp", WINDOW).unwrap(),
        Inserted::Duplicate(ref d) if d.id == first.id
    ));
    let Inserted::New(repeat) = store.insert_job_once(job("a"), "fp", None).unwrap() else {
        panic!("a confirmed repeat is stored");
    };
    clock.advance(1_000);
    // Both failed at upload: nothing left the machine.
    for id in [&first.id, &repeat.id] {
        store
            .set_failed(
                id,
                "upload_failed",
                &seedance_core::i18n::Message::verbatim("x", "x"),
            )
            .unwrap();
    }
    assert!(matches!(
        store.insert_job_once(job("a"), "fp", WINDOW).unwrap(),
        Inserted::New(ref j) if j.status == JobStatus::Uploading
    ));
}
