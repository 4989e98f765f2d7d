//! The job list: newest first, keyset pages, prompt search (English words, Chinese substrings), status filter.

use std::collections::HashSet;

use crate::support::store::{memory_store, ManualClock, JPEG};
use crate::support::text_draft;
use seedance_core::api::TaskId;
use seedance_core::store::{JobQuery, JobStatus, NewJob, Store};

const PROMPTS: [&str; 6] = [
    "A golden sunset over the ocean, slow dolly in",
    "海边的日落，镜头缓慢推进，金色的光",
    "City street at night, neon reflections, rain",
    "一只小猫在窗台上睡觉，阳光洒进来",
    "Sunset timelapse above mountains 山顶的日落",
    "Product shot: 100% cotton shirt, \"crisp\" white_background",
];

/// Six prompts over and over; every third job shares its creation time with the previous one, so page
/// boundaries fall between equal timestamps too.
fn seeded(n: usize) -> (Store, Vec<String>) {
    let (store, clock) = memory_store();
    let ids = (0..n)
        .map(|i| {
            if i % 3 != 0 {
                clock.advance(7);
            }
            let job = store
                .insert_job(NewJob {
                    request: text_draft(PROMPTS[i % PROMPTS.len()]),
                    first_thumb: Some(seedance_core::store::Thumbnail::new(JPEG.to_vec()).unwrap()),
                    ..NewJob::default()
                })
                .unwrap();
            job.id
        })
        .collect();
    (store, ids)
}

fn all_pages(store: &Store, mut query: JobQuery) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..1000 {
        let page = store.list_jobs(&query).unwrap();
        assert!(page.jobs.len() <= query.limit as usize);
        seen.extend(page.jobs.into_iter().map(|j| j.id));
        match page.next {
            Some(cursor) => query.before = Some(cursor),
            None => return seen,
        }
    }
    panic!("pagination did not end");
}

#[test]
fn pages_are_newest_first_without_gaps_or_repeats() {
    let (store, ids) = seeded(23);
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    for limit in [1, 5, 7, 23, 50] {
        let query = JobQuery {
            limit,
            ..JobQuery::default()
        };
        assert_eq!(all_pages(&store, query), newest_first, "limit {limit}");
    }

    let first = store
        .list_jobs(&JobQuery {
            limit: 5,
            ..JobQuery::default()
        })
        .unwrap();
    assert!(first
        .jobs
        .windows(2)
        .all(|w| w[0].created_at >= w[1].created_at));
    // List views carry no thumbnail bytes, only whether one exists.
    assert!(first
        .jobs
        .iter()
        .all(|j| j.has_first_thumb && j.first_thumb.is_none() && !j.has_last_thumb));

    // A job added while the user pages does not shift the pages already being read.
    let cursor = first.next.unwrap();
    store.insert_job(NewJob::default()).unwrap();
    let second = store
        .list_jobs(&JobQuery {
            limit: 5,
            before: Some(cursor),
            ..JobQuery::default()
        })
        .unwrap();
    let second_ids: Vec<&str> = second.jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(
        second_ids,
        newest_first[5..10]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );

    // The last page says so.
    let everything = store.list_jobs(&JobQuery::default()).unwrap();
    assert_eq!((everything.jobs.len(), everything.next), (24, None));
}

fn search(store: &Store, text: &str) -> Vec<String> {
    let query = JobQuery {
        search: Some(text.into()),
        limit: 500,
        ..JobQuery::default()
    };
    let prompts: Vec<String> = store
        .list_jobs(&query)
        .unwrap()
        .jobs
        .into_iter()
        .map(|j| j.prompt)
        .collect();
    assert_eq!(
        store.count_jobs(&query).unwrap() as usize,
        prompts.len(),
        "{text}"
    );
    prompts
}

fn distinct(prompts: &[String]) -> HashSet<&str> {
    prompts.iter().map(String::as_str).collect()
}

#[test]
fn search_finds_english_words_and_chinese_substrings() {
    let (store, _) = seeded(12);

    let sunset = search(&store, "SUNSET");
    assert_eq!(sunset.len(), 4, "case-insensitive English word");
    assert_eq!(distinct(&sunset), HashSet::from([PROMPTS[0], PROMPTS[4]]));

    // Chinese has no spaces: a substring in the middle of a sentence must match (3+ characters: the index).
    let by_index = search(&store, "镜头缓慢");
    assert_eq!(distinct(&by_index), HashSet::from([PROMPTS[1]]));
    // Two characters are below a trigram: found by the fallback.
    let short = search(&store, "日落");
    assert_eq!(distinct(&short), HashSet::from([PROMPTS[1], PROMPTS[4]]));
    assert_eq!(short.len(), 4);

    // Every term must occur, in any order; mixed languages work.
    assert_eq!(
        distinct(&search(&store, "日落 sunset")),
        HashSet::from([PROMPTS[4]])
    );
    assert_eq!(
        distinct(&search(&store, "rain neon")),
        HashSet::from([PROMPTS[2]])
    );
    assert!(search(&store, "sunset kitten").is_empty());

    // What the user types is text, never query syntax.
    for literal in ["100%", "%", "_b", "\"crisp\"", "\"", "t:"] {
        assert_eq!(
            distinct(&search(&store, literal)),
            HashSet::from([PROMPTS[5]]),
            "{literal}"
        );
    }
    assert!(search(&store, "sunset AND").is_empty());
    assert!(search(&store, "sunset*").is_empty());

    // Blank search is no search.
    assert_eq!(search(&store, "   ").len(), 12);
}

/// Control characters (a NUL pasted in, a tab) are not text anyone searches for: they separate terms,
/// and a term that still upsets the index finds nothing instead of failing the list.
#[test]
fn control_characters_in_a_search_never_fail_it() {
    let (store, _) = seeded(6);
    assert_eq!(
        distinct(&search(&store, "sun\0set")),
        HashSet::from([PROMPTS[0], PROMPTS[4]]),
        "two terms, `sun` and `set`, each found"
    );
    assert_eq!(
        distinct(&search(&store, "sunset\0")),
        HashSet::from([PROMPTS[0], PROMPTS[4]])
    );
    assert_eq!(
        distinct(&search(&store, "rain\u{1}neon\u{7f}")),
        HashSet::from([PROMPTS[2]])
    );
    for odd in ["\0", "\0\0\0", "a\0b\0c", "\u{1b}[31m", "\u{feff}\u{200b}"] {
        let query = JobQuery {
            search: Some(odd.into()),
            ..JobQuery::default()
        };
        store.list_jobs(&query).unwrap();
        store.count_jobs(&query).unwrap();
    }
}

#[test]
fn status_filter_alone_and_with_search() {
    let (store, ids) = seeded(12);
    for id in &ids[..4] {
        store.mark_create_sent(id).unwrap();
        store.set_task_id(id, &TaskId(format!("t-{id}"))).unwrap();
        store.set_status(id, JobStatus::Running).unwrap();
    }
    let running = JobQuery {
        status: Some(JobStatus::Running),
        ..JobQuery::default()
    };
    let page = store.list_jobs(&running).unwrap();
    let got: Vec<&str> = page.jobs.iter().map(|j| j.id.as_str()).collect();
    let expected: Vec<&str> = ids[..4].iter().rev().map(String::as_str).collect();
    assert_eq!(got, expected);
    assert_eq!(store.count_jobs(&running).unwrap(), 4);
    let paged = all_pages(
        &store,
        JobQuery {
            limit: 3,
            ..running.clone()
        },
    );
    assert_eq!(
        paged,
        expected.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    );

    // ids[0] and ids[4] hold PROMPTS[0] (sunset); only ids[0] is running.
    let both = JobQuery {
        search: Some("sunset".into()),
        ..running
    };
    let page = store.list_jobs(&both).unwrap();
    let got: Vec<&str> = page.jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(got, [ids[0].as_str()]);
    assert_eq!(store.count_jobs(&both).unwrap(), 1);
    assert_eq!(
        store
            .count_jobs(&JobQuery {
                status: Some(JobStatus::Uploading),
                ..JobQuery::default()
            })
            .unwrap(),
        8
    );
}

#[test]
fn list_queries_walk_an_index_instead_of_sorting() {
    let clock = ManualClock::at(0);
    let store = Store::open_in_memory_with_clock(clock).unwrap();
    let plan = store
        .explain_list(&JobQuery::default())
        .unwrap()
        .join(" | ");
    assert!(
        plan.contains("jobs_newest") && !plan.contains("TEMP B-TREE"),
        "{plan}"
    );
    let filtered = store
        .explain_list(&JobQuery {
            status: Some(JobStatus::Done),
            before: Some(seedance_core::store::JobCursor {
                created_at: 5,
                seq: 3,
            }),
            ..JobQuery::default()
        })
        .unwrap()
        .join(" | ");
    assert!(
        filtered.contains("jobs_status_newest") && !filtered.contains("TEMP B-TREE"),
        "{filtered}"
    );
    let searched = store
        .explain_list(&JobQuery {
            search: Some("sunset".into()),
            ..JobQuery::default()
        })
        .unwrap()
        .join(" | ");
    assert!(searched.contains("jobs_fts"), "{searched}");
}
