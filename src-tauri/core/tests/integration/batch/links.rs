//! A batch job read from the store names its batch and place (every read that returns jobs), and the
//! Jobs list can be narrowed to one batch.

use seedance_core::store::{
    BatchInserted, BatchRecord, JobBatch, JobQuery, NewBatch, NewBatchJob, NewJob, Store,
};

use crate::support::text_draft;

fn stored_batch(store: &Store, name: &str, items: u32) -> BatchRecord {
    let batch = NewBatch {
        name: name.into(),
        source: "test".into(),
        tokens_min: 0,
        tokens_max: 0,
        total_json: "{}".into(),
        demo: false,
        fingerprint: name.into(),
    };
    let jobs: Vec<NewBatchJob> = (1..=items)
        .flat_map(|item| {
            (1..=2).map(move |take| NewBatchJob {
                job: NewJob {
                    request: text_draft(&format!("{name} item {item}")),
                    ..NewJob::default()
                },
                fingerprint: format!("{name} {item} {take}"),
                item,
                take,
                output: None,
            })
        })
        .collect();
    match store.insert_batch(&batch, &jobs, None).unwrap() {
        BatchInserted::New(record) => record,
        BatchInserted::Duplicate(_) => panic!("a new batch"),
    }
}

#[test]
fn every_read_of_a_batch_job_names_its_batch_and_the_list_filters_by_batch() {
    let store = Store::open_in_memory().unwrap();
    let single = store
        .insert_job(NewJob {
            request: text_draft("a single job"),
            ..NewJob::default()
        })
        .unwrap();
    let shoes = stored_batch(&store, "shoes «夏»", 2);
    let hats = stored_batch(&store, "hats", 3);

    // One job: the full read, the list, the batch's jobs and the unfinished ones all carry the link.
    let second_take = store.batch_jobs(&shoes.id).unwrap()[3].clone();
    let expected = Some(JobBatch {
        id: shoes.id.clone(),
        name: "shoes «夏»".into(),
        item: 2,
        take: 2,
    });
    assert_eq!(second_take.batch, expected);
    assert_eq!(store.get_job(&second_take.id).unwrap().batch, expected);
    let listed = store.list_jobs(&JobQuery::default()).unwrap().jobs;
    assert_eq!(listed.len(), 1 + 4 + 6);
    let found = listed.iter().find(|j| j.id == second_take.id).unwrap();
    assert_eq!(found.batch, expected);
    // Taken for sending, it is among the jobs picked up on start.
    store.release_batch_job(&second_take.id).unwrap();
    assert!(store
        .unfinished_jobs()
        .unwrap()
        .iter()
        .any(|j| j.id == second_take.id && j.batch == expected));
    // A single job has none.
    assert_eq!(store.get_job(&single.id).unwrap().batch, None);
    assert_eq!(listed.iter().filter(|j| j.batch.is_none()).count(), 1);

    // The filter: only that batch's jobs, with the other filters and the pages as usual.
    let of = |batch: &BatchRecord| JobQuery {
        batch: Some(batch.id.clone()),
        ..JobQuery::default()
    };
    let hat_jobs = store.list_jobs(&of(&hats)).unwrap().jobs;
    assert_eq!(hat_jobs.len(), 6);
    assert!(hat_jobs
        .iter()
        .all(|j| j.batch.as_ref().is_some_and(|b| b.id == hats.id)));
    assert_eq!(store.count_jobs(&of(&shoes)).unwrap(), 4);
    let searched = JobQuery {
        search: Some("item 3".into()),
        ..of(&hats)
    };
    assert_eq!(store.count_jobs(&searched).unwrap(), 2);
    let paged = JobQuery {
        limit: 4,
        ..of(&hats)
    };
    let first = store.list_jobs(&paged).unwrap();
    let rest = store
        .list_jobs(&JobQuery {
            before: first.next,
            ..paged.clone()
        })
        .unwrap();
    assert_eq!((first.jobs.len(), rest.jobs.len()), (4, 2));
    assert_eq!(rest.next, None);
    let unknown = JobQuery {
        batch: Some("no such batch".into()),
        ..JobQuery::default()
    };
    assert_eq!(store.count_jobs(&unknown).unwrap(), 0);
    assert!(store.list_jobs(&unknown).unwrap().jobs.is_empty());
}
