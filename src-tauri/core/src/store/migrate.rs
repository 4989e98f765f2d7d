//! Schema versions: each migration runs exactly once, in order, inside one transaction; a database from a
//! newer app is refused before anything is written to it.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::StoreError;

/// `(version, sql)` in ascending order. Never edit a shipped migration: add the next one.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_jobs.sql")),
    (2, include_str!("migrations/0002_upload_cache.sql")),
    (3, include_str!("migrations/0003_presets.sql")),
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
}
