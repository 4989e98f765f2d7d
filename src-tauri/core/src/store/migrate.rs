//! Schema versions: each migration runs exactly once, in order, inside one transaction; a database from a
//! newer app is refused before anything is written to it.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::StoreError;

/// `(version, sql)` in ascending order. Never edit a shipped migration: add the next one.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_jobs.sql")),
    (2, include_str!("migrations/0002_upload_cache.sql")),
    (3, include_str!("migrations/0003_presets.sql")),
    (
        4,
        include_str!("migrations/0004_jobs_not_sent_and_fingerprint.sql"),
    ),
    (5, include_str!("migrations/0005_job_problem_messages.sql")),
    (6, include_str!("migrations/0006_batches.sql")),
    (
        7,
        include_str!("migrations/0007_batch_pause_reason_and_outputs.sql"),
    ),
    (8, include_str!("migrations/0008_spend_index.sql")),
    (9, include_str!("migrations/0009_leases.sql")),
    (10, include_str!("migrations/0010_sequences.sql")),
];

/// The newest schema this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The highest applied version, or 0 for a fresh database (read-only).
pub(crate) fn applied_version(conn: &Connection) -> Result<i64, StoreError> {
    let has_table: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
            [],
            |row| row.get(0),
        )
        .optional()?;
    if has_table.is_none() {
        return Ok(0);
    }
    let version: Option<i64> =
        conn.query_row("SELECT max(version) FROM schema_migrations", [], |row| {
            row.get(0)
        })?;
    Ok(version.unwrap_or(0))
}

pub(crate) fn refuse_newer(conn: &Connection) -> Result<(), StoreError> {
    let found = applied_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerVersion {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Applies every missing migration; returns how many ran.
pub(crate) fn migrate(conn: &mut Connection, now_ms: i64) -> Result<usize, StoreError> {
    // IMMEDIATE takes the write lock first, so two processes opening the same file cannot both decide
    // that a migration is missing.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             applied_at INTEGER NOT NULL
         )",
    )?;
    let current = applied_version(&tx)?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::NewerVersion {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    let mut ran = 0;
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            (version, now_ms),
        )?;
        tracing::info!(version, "database migrated");
        ran += 1;
    }
    tx.commit()?;
    Ok(ran)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn versions_ascend_without_gaps() {
        for (i, (version, sql)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version, i as i64 + 1);
            assert!(!sql.trim().is_empty());
        }
    }

    #[test]
    fn runs_each_migration_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(applied_version(&conn).unwrap(), 0);
        assert_eq!(migrate(&mut conn, 1).unwrap(), MIGRATIONS.len());
        assert_eq!(migrate(&mut conn, 2).unwrap(), 0);
        assert_eq!(applied_version(&conn).unwrap(), SCHEMA_VERSION);
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, MIGRATIONS.len() as i64);
    }

    #[test]
    fn a_failing_migration_leaves_nothing_behind() {
        let mut conn = Connection::open_in_memory().unwrap();
        // A table the first migration wants to create makes it fail half way.
        conn.execute_batch("CREATE TABLE jobs_fts (x)").unwrap();
        assert!(migrate(&mut conn, 1).is_err());
        assert_eq!(applied_version(&conn).unwrap(), 0);
        let jobs: Option<i64> = conn
            .query_row("SELECT 1 FROM sqlite_master WHERE name = 'jobs'", [], |r| {
                r.get(0)
            })
            .optional()
            .unwrap();
        assert_eq!(jobs, None, "the jobs table was rolled back");
    }

    /// A database as the previous version left it: migrations up to `version` only.
    fn at_version(version: i64) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
        )
        .unwrap();
        for (v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v <= version) {
            conn.execute_batch(sql).unwrap();
            conn.execute("INSERT INTO schema_migrations VALUES (?1, 0)", [v])
                .unwrap();
        }
        conn
    }

    fn search(conn: &Connection, term: &str) -> Vec<String> {
        conn.prepare(
            "SELECT id FROM jobs WHERE seq IN (SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ?1) ORDER BY seq",
        )
        .unwrap()
        .query_map([term], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    #[test]
    fn version_4_rebuilds_jobs_keeping_rows_links_search_and_indexes() {
        let mut conn = at_version(3);
        let insert = |id: &str, status: &str, prompt: &str, retry_of: Option<&str>| {
            conn.execute(
                "INSERT INTO jobs (id, created_at, updated_at, status, request_json, prompt, resolution, ratio,
                     duration, tokens_estimate, retry_of, first_thumb)
                 VALUES (?1, 1, 1, ?2, '{}', ?3, '720p', '16:9', 5, 108900, ?4, x'FFD8FF')",
                rusqlite::params![id, status, prompt, retry_of],
            )
            .unwrap();
        };
        insert("a", "done", "一只橘猫在雪中奔跑", None);
        insert(
            "b",
            "submission_uncertain",
            "a lighthouse at dusk",
            Some("a"),
        );
        insert("c", "uploading", "rain on a tin roof", None);
        let not_sent = conn.execute("UPDATE jobs SET status = 'not_sent' WHERE id = 'c'", []);
        assert!(not_sent.is_err(), "version 3 refuses the new status");

        // Every later migration runs too, and must keep all of this.
        assert_eq!(migrate(&mut conn, 9).unwrap(), MIGRATIONS.len() - 3);
        assert_eq!(applied_version(&conn).unwrap(), SCHEMA_VERSION);

        type Row = (i64, String, Option<String>, Option<i64>, Option<String>);
        let rows: Vec<Row> = conn
            .prepare(
                "SELECT seq, id, retry_of, tokens_estimate, fingerprint FROM jobs ORDER BY seq",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected: Vec<Row> = vec![
            (1, "a".into(), None, Some(108_900), None),
            (2, "b".into(), Some("a".into()), Some(108_900), None),
            (3, "c".into(), None, Some(108_900), None),
        ];
        assert_eq!(rows, expected);
        let thumb: Vec<u8> = conn
            .query_row("SELECT first_thumb FROM jobs WHERE id = 'a'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(thumb, [0xFF, 0xD8, 0xFF]);

        // The full-text index still finds the old prompts, and its triggers follow the new table.
        assert_eq!(search(&conn, "\"橘猫在\""), ["a"]);
        assert_eq!(search(&conn, "\"lighthouse\""), ["b"]);
        conn.execute(
            "UPDATE jobs SET prompt = 'a lighthouse at dawn' WHERE id = 'b'",
            [],
        )
        .unwrap();
        assert_eq!(search(&conn, "\"dawn\""), ["b"]);
        assert!(search(&conn, "\"dusk\"").is_empty());
        conn.execute("UPDATE jobs SET status = 'not_sent' WHERE id = 'c'", [])
            .unwrap();
        assert!(conn
            .execute("UPDATE jobs SET status = 'lost' WHERE id = 'c'", [])
            .is_err());

        // Deleting the original still unlinks its retry (the foreign key points at the new table).
        conn.execute("DELETE FROM jobs WHERE id = 'a'", []).unwrap();
        assert!(search(&conn, "\"橘猫在\"").is_empty());
        let link: Option<String> = conn
            .query_row("SELECT retry_of FROM jobs WHERE id = 'b'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(link, None);

        let mut names: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'jobs' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        names.sort();
        assert_eq!(
            names,
            [
                "jobs_deletion_logged",
                "jobs_fingerprint",
                "jobs_fts_after_delete",
                "jobs_fts_after_insert",
                "jobs_fts_after_update",
                "jobs_newest",
                "jobs_retry_of",
                "jobs_spend",
                "jobs_status_newest",
                "jobs_task_id",
                "jobs_updated",
            ]
        );
        let leftovers: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name LIKE '%before_0004%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(leftovers, 0);
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
        let broken_links = conn
            .prepare("PRAGMA foreign_key_check")
            .unwrap()
            .query_map([], |_| Ok(()))
            .unwrap()
            .count();
        assert_eq!(broken_links, 0);
        conn.execute(
            "INSERT INTO jobs_fts (jobs_fts) VALUES ('integrity-check')",
            [],
        )
        .unwrap();
    }

    /// A database written by schema 4, whose problems are finished sentences.
    fn version_4_database() -> Connection {
        let conn = at_version(4);
        let request = serde_json::to_string(&crate::request::RequestDraft::default()).unwrap();
        for (id, status, kind, en, zh) in [
            (
                "failed-1",
                "failed",
                Some("upload_failed"),
                Some("The upload failed. Try again."),
                Some("上传失败。请重试。"),
            ),
            ("done-1", "done", None, None, None),
        ] {
            conn.execute(
                "INSERT INTO jobs (id, created_at, updated_at, status, request_json, prompt, resolution, ratio,
                     duration, error_kind, error_en, error_zh, error_cause)
                 VALUES (?1, 1, 1, ?2, ?3, 'a prompt', '720p', '16:9', 5, ?4, ?5, ?6, 'os error 28')",
                rusqlite::params![id, status, request, kind, en, zh],
            )
            .unwrap();
        }
        conn
    }

    fn read(conn: &Connection, id: &str) -> crate::store::JobRecord {
        let sql = format!(
            "SELECT {} FROM jobs WHERE id = ?1",
            super::super::row::JOB_COLUMNS
        );
        conn.query_row(&sql, [id], super::super::row::job_from_row)
            .unwrap()
            .1
    }

    #[test]
    fn problems_stored_as_two_sentences_read_the_same_after_migration_5() {
        let mut conn = version_4_database();
        assert_eq!(applied_version(&conn).unwrap(), 4);
        assert_eq!(migrate(&mut conn, 9).unwrap(), MIGRATIONS.len() - 4);

        let failed = read(&conn, "failed-1");
        let problem = failed.problem.unwrap();
        assert_eq!(problem.kind, "upload_failed");
        assert_eq!(problem.message.text("en"), "The upload failed. Try again.");
        assert_eq!(problem.message.text("zh-CN"), "上传失败。请重试。");
        assert_eq!(problem.cause.as_deref(), Some("os error 28"));
        assert_eq!(failed.prompt, "a prompt");
        assert!(read(&conn, "done-1").problem.is_none());

        let old_columns: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_table_info('jobs') WHERE name IN ('error_en', 'error_zh')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(old_columns, 0, "the two sentence columns are gone");
        let last: String = conn
            .query_row(
                "SELECT name FROM pragma_table_info('jobs') ORDER BY cid DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(last, "last_thumb", "the thumbnails stay the last columns");
        let found: i64 = conn
            .query_row(
                "SELECT count(*) FROM jobs_fts WHERE jobs_fts MATCH '\"prompt\"'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, 2, "the search index still finds both rows");
    }
}
