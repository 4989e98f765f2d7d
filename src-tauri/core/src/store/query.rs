//! Reading jobs: the newest-first list with keyset pages, prompt search, status and batch filters, counts,
//! and the unfinished jobs to resume on start.

use rusqlite::types::Value;

use super::row::{job_from_row, JOB_COLUMNS};
use super::status::sql_list;
use super::{JobCursor, JobPage, JobQuery, JobRecord, JobStatus, Store, StoreError};

/// The full-text index holds trigrams, so it can only find terms of three characters or more.
const MIN_INDEXED_CHARS: usize = 3;

/// A `WHERE` clause and its parameters.
#[derive(Debug, Default, PartialEq)]
struct Filter {
    conditions: Vec<String>,
    params: Vec<Value>,
}

impl Filter {
    fn push(&mut self, condition: &str, params: impl IntoIterator<Item = Value>) {
        self.conditions.push(condition.to_owned());
        self.params.extend(params);
    }

    fn sql(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conditions.join(" AND "))
        }
    }
}

impl Store {
    /// The frame files recorded for the jobs of task `task_id` (a video's recipe names its task).
    pub fn frame_paths_of_task(
        &self,
        task_id: &str,
    ) -> Result<Vec<std::path::PathBuf>, StoreError> {
        let conn = self.conn();
        let mut query = conn.prepare_cached(
            "SELECT first_frame_path, last_frame_path FROM jobs WHERE task_id = ?1",
        )?;
        let rows = query.query_map([task_id], |r| {
            Ok([
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
            ])
        })?;
        let mut paths = Vec::new();
        for row in rows {
            paths.extend(row?.into_iter().flatten().map(std::path::PathBuf::from));
        }
        Ok(paths)
    }

    /// Whether a job other than `id` names `path` as its video (done or planned): the name then belongs to
    /// that job, e.g. after this job's file was removed and a newer download took the free name.
    pub fn output_path_claimed_by_other(&self, id: &str, path: &str) -> Result<bool, StoreError> {
        let conn = self.conn();
        let found: i64 = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM jobs WHERE output_path = ?1 AND id <> ?2)",
            [path, id],
            |row| row.get(0),
        )?;
        Ok(found == 1)
    }
}

/// `%term%` for LIKE, with the wildcards the user typed taken literally.
fn like_pattern(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 2);
    out.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Each term becomes a quoted FTS phrase (so `AND`, `*` or quotes typed by the user are just text).
fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// The words of a search. Control characters (a pasted NUL, a tab, an escape sequence) and invisible
/// format characters separate words like spaces do: no prompt is searched for by them, and a NUL cut the
/// full-text query short and made the whole list fail.
fn search_terms(search: &str) -> impl Iterator<Item = &str> {
    search
        .split(|c: char| c.is_whitespace() || c.is_control() || is_invisible(c))
        .filter(|t| !t.is_empty())
}

/// Zero-width and byte-order-mark characters.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// A search the full-text index cannot run finds nothing; only a database that cannot be read is an error.
fn no_match_on_query_error<T>(
    searched: bool,
    outcome: Result<T, rusqlite::Error>,
    nothing: T,
) -> Result<T, StoreError> {
    match outcome {
        Err(rusqlite::Error::SqliteFailure(e, detail))
            if searched && e.code == rusqlite::ErrorCode::Unknown =>
        {
            tracing::debug!(?detail, "search could not be run; no matches");
            Ok(nothing)
        }
        other => Ok(other?),
    }
}

fn filter_for(query: &JobQuery, with_cursor: bool) -> Filter {
    let mut filter = Filter::default();
    if let Some(status) = query.status {
        filter.push("status = ?", [Value::Text(status.as_str().to_owned())]);
    }
    if let Some(batch) = &query.batch {
        filter.push(
            "id IN (SELECT job_id FROM batch_jobs WHERE batch_id = ?)",
            [Value::Text(batch.clone())],
        );
    }
    if let Some(search) = &query.search {
        let (indexed, short): (Vec<&str>, Vec<&str>) =
            search_terms(search).partition(|t| t.chars().count() >= MIN_INDEXED_CHARS);
        if !indexed.is_empty() {
            let matches = indexed
                .iter()
                .map(|t| fts_phrase(t))
                .collect::<Vec<_>>()
                .join(" AND ");
            filter.push(
                "seq IN (SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ?)",
                [Value::Text(matches)],
            );
        }
        for term in short {
            filter.push(
                "prompt LIKE ? ESCAPE '\\'",
                [Value::Text(like_pattern(term))],
            );
        }
    }
    if let (true, Some(cursor)) = (with_cursor, query.before) {
        filter.push(
            "(created_at, seq) < (?, ?)",
            [
                Value::Integer(cursor.created_at),
                Value::Integer(cursor.seq),
            ],
        );
    }
    filter
}

impl Store {
    /// Newest first. Pass the returned `next` as `before` for the following page: pages never repeat or
    /// skip a job, even when jobs are added meanwhile. Thumbnails are left out (see [`JobRecord`]).
    pub fn list_jobs(&self, query: &JobQuery) -> Result<JobPage, StoreError> {
        let page = query.page_size();
        let filter = filter_for(query, true);
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs {} ORDER BY created_at DESC, seq DESC LIMIT {}",
            filter.sql(),
            // One more than the page, to know whether another page follows.
            page + 1
        );
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(filter.params), job_from_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        let mut rows = no_match_on_query_error(query.search.is_some(), rows, Vec::new())?;
        let more = rows.len() > page as usize;
        rows.truncate(page as usize);
        let next = match (more, rows.last()) {
            (true, Some((seq, job))) => Some(JobCursor {
                created_at: job.created_at,
                seq: *seq,
            }),
            _ => None,
        };
        Ok(JobPage {
            jobs: rows.into_iter().map(|(_, job)| job).collect(),
            next,
        })
    }

    /// How many jobs match the search, status and batch filters (the cursor and limit are ignored).
    pub fn count_jobs(&self, query: &JobQuery) -> Result<u32, StoreError> {
        let filter = filter_for(query, false);
        let sql = format!("SELECT count(*) FROM jobs {}", filter.sql());
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let count: i64 = no_match_on_query_error(
            query.search.is_some(),
            stmt.query_row(rusqlite::params_from_iter(filter.params), |r| r.get(0)),
            0,
        )?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// Every job the app should pick up again on start, oldest first (see [`super::resume_action`]).
    pub fn unfinished_jobs(&self) -> Result<Vec<JobRecord>, StoreError> {
        self.jobs_oldest_first(&format!("status IN ({})", sql_list(&JobStatus::UNSETTLED)))
    }

    /// Every job matching `condition` (fixed SQL only, never user input), oldest first.
    pub(super) fn jobs_oldest_first(&self, condition: &str) -> Result<Vec<JobRecord>, StoreError> {
        let sql =
            format!("SELECT {JOB_COLUMNS} FROM jobs WHERE {condition} ORDER BY created_at, seq");
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        let jobs = stmt
            .query_map([], job_from_row)?
            .map(|r| r.map(|(_, job)| job))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(jobs)
    }

    /// The plan SQLite picks for a list query, for tests and benchmarks that check an index is used.
    pub fn explain_list(&self, query: &JobQuery) -> Result<Vec<String>, StoreError> {
        let filter = filter_for(query, true);
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT {JOB_COLUMNS} FROM jobs {} ORDER BY created_at DESC, seq DESC LIMIT 51",
            filter.sql()
        );
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let plan = stmt
            .query_map(rusqlite::params_from_iter(filter.params), |r| {
                r.get::<_, String>(3)
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_search_the_index_cannot_run_finds_nothing() {
        let failure = |code| {
            Err::<u32, _>(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(code),
                Some("fts5: syntax error near \"\"".into()),
            ))
        };
        assert_eq!(
            no_match_on_query_error(true, failure(rusqlite::ffi::SQLITE_ERROR), 0).unwrap(),
            0
        );
        assert!(no_match_on_query_error(false, failure(rusqlite::ffi::SQLITE_ERROR), 0).is_err());
        assert!(no_match_on_query_error(true, failure(rusqlite::ffi::SQLITE_CORRUPT), 0).is_err());
        assert_eq!(
            search_terms("a\0b\tc\u{1b}d\u{feff}e").collect::<Vec<_>>(),
            ["a", "b", "c", "d", "e"]
        );
    }

    #[test]
    fn user_text_is_never_syntax() {
        assert_eq!(like_pattern("5%_\\"), "%5\\%\\_\\\\%");
        assert_eq!(fts_phrase("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn short_terms_use_like_and_long_ones_the_index() {
        let q = JobQuery {
            search: Some("  日落 sunset  ".into()),
            status: Some(JobStatus::Done),
            ..JobQuery::default()
        };
        let f = filter_for(&q, true);
        assert_eq!(
            f.conditions,
            [
                "status = ?",
                "seq IN (SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ?)",
                "prompt LIKE ? ESCAPE '\\'",
            ]
        );
        assert_eq!(
            f.params,
            [
                Value::Text("done".into()),
                Value::Text("\"sunset\"".into()),
                Value::Text("%日落%".into()),
            ]
        );
        assert_eq!(filter_for(&JobQuery::default(), true).sql(), "");
    }
}
