//! Opening the database file: migrations, WAL, a newer app's file, a damaged file, and the upload cache
//! surviving a restart.

use std::sync::Arc;

use crate::support::store::file_store;
use crate::support::text_draft;
use seedance_core::api::{UploadCache, Uploaded};
use seedance_core::i18n::UserFacing;
use seedance_core::store::{
    JobQuery, NewJob, SqliteUploadCache, Store, StoreError, SCHEMA_VERSION,
};
use time::macros::datetime;

#[test]
fn opening_twice_applies_each_migration_once_and_keeps_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seedance.db");
    let id = {
        let (store, _) = file_store(&path);
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        store
            .insert_job(NewJob {
                request: text_draft("kept across restarts"),
                ..NewJob::default()
            })
            .unwrap()
            .id
    };
    let (store, _) = file_store(&path);
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.get_job(&id).unwrap().prompt, "kept across restarts");
    drop(store);

    let conn = rusqlite::Connection::open(&path).unwrap();
    let (rows, distinct): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(DISTINCT version) FROM schema_migrations",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((rows, distinct), (SCHEMA_VERSION, SCHEMA_VERSION));
    let fts_rows: i64 = conn
        .query_row(
            "SELECT count(*) FROM jobs_fts WHERE jobs_fts MATCH '\"restarts\"'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(fts_rows, 1);
}

#[test]
fn on_disk_the_database_uses_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seedance.db");
    let (store, _) = file_store(&path);
    store.insert_job(NewJob::default()).unwrap();
    assert!(dir.path().join("seedance.db-wal").exists());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // A second connection (e.g. a second window's reader) sees committed jobs while the store is open.
    let jobs: i64 = conn
        .query_row("SELECT count(*) FROM jobs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(jobs, 1);
}

#[test]
fn a_newer_apps_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seedance.db");
    {
        let (store, _) = file_store(&path);
        store.insert_job(NewJob::default()).unwrap();
    }
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, 0)",
            [SCHEMA_VERSION + 1],
        )
        .unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerVersion { found, supported } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
        "{err:?}"
    );
    assert_eq!(err.kind(), "database_newer_version");
    assert!(err.msg().text("en").contains("newer version"));
    assert_eq!(std::fs::read(&path).unwrap(), before, "file changed");
}

#[test]
fn a_damaged_file_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seedance.db");
    std::fs::write(&path, vec![0x5Au8; 8192]).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.kind(), "database_corrupt", "{err:?}");
}

fn uploaded(url: &str, expires_at: time::OffsetDateTime) -> Uploaded {
    Uploaded {
        url: url.into(),
        cn_url: Some(format!("{url}?cn")),
        key: Some("uploads/u/a.png".into()),
        md5: Some("d41d8cd98f00b204e9800998ecf8427e".into()),
        size: Some(12_345),
        content_type: Some("image/png".into()),
        expires_at,
    }
}

#[test]
fn upload_cache_round_trips_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seedance.db");
    // The manual clock stands at 2023-11-14; these expire later.
    let a = uploaded("https://u/a.png", datetime!(2030-01-01 00:00 UTC));
    let b = uploaded("https://u/b.png", datetime!(2030-06-01 12:30:15.250 UTC));
    {
        let (store, _) = file_store(&path);
        let cache = SqliteUploadCache::new(Arc::new(store));
        assert_eq!(cache.get("aa"), None);
        cache.put(
            "aa".into(),
            uploaded("https://u/old.png", datetime!(2029-01-01 00:00 UTC)),
        );
        cache.put("aa".into(), a.clone());
        cache.put("bb".into(), b.clone());
        assert_eq!(
            cache.get("aa"),
            Some(a.clone()),
            "a second put replaces the first"
        );
    }
    let (store, _) = file_store(&path);
    let cache = SqliteUploadCache::new(Arc::new(store));
    assert_eq!(cache.get("aa"), Some(a));
    assert_eq!(cache.get("bb"), Some(b));
    assert_eq!(cache.get("cc"), None);
}

#[test]
fn expired_uploads_are_dropped_from_the_cache() {
    let (store, _) = crate::support::store::memory_store();
    let store = Arc::new(store);
    let cache = SqliteUploadCache::new(store.clone());
    // The clock stands at 2023-11-14.
    cache.put(
        "old".into(),
        uploaded("https://u/old.png", datetime!(2020-01-01 00:00 UTC)),
    );
    cache.put(
        "new".into(),
        uploaded("https://u/new.png", datetime!(2030-01-01 00:00 UTC)),
    );
    assert_eq!(cache.get("old"), None);
    assert!(cache.get("new").is_some());
    // Jobs and the cache share one database without stepping on each other.
    assert_eq!(store.count_jobs(&JobQuery::default()).unwrap(), 0);
}
