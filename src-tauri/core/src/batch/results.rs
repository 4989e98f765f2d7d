//! A batch's results as a file the user keeps or hands on: one row per job (item, take, status, task id,
//! output path, estimated tokens, error in English), as CSV or JSON by the file's extension. The CSV is
//! what Excel opens without asking: UTF-8 with a byte-order mark (else Excel reads it in the system's
//! code page and Chinese text turns into noise), CRLF line ends, and every field with a comma, quote or
//! line break quoted with its quotes doubled. The app does not learn a job's actual token use from the
//! service, so only the estimate is written.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::i18n::{render, Language, Message, UserFacing};
use crate::store::{BatchMember, JobStatus, Store, StoreError, BATCH_CANCELLED};

/// Which kind of file to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultsFormat {
    Csv,
    Json,
}

impl ResultsFormat {
    /// JSON for a `.json` name (any case), CSV otherwise.
    pub fn for_path(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Self::Json,
            _ => Self::Csv,
        }
    }
}

/// One job of the batch in the results file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResultRow {
    pub item: u32,
    pub take: u32,
    /// The job's status word; `cancelled` for a job never sent because its batch was cancelled.
    pub status: String,
    pub task_id: Option<String>,
    pub output_path: Option<String>,
    pub tokens_estimate: Option<u32>,
    /// Why it failed or is uncertain, in English.
    pub error: Option<String>,
}

const COLUMNS: [&str; 7] = [
    "item",
    "take",
    "status",
    "task_id",
    "output_path",
    "tokens_estimate",
    "error",
];

pub fn result_rows(members: &[BatchMember]) -> Vec<ResultRow> {
    members
        .iter()
        .map(|m| {
            let job = &m.job;
            let cancelled = job.status == JobStatus::Failed
                && job
                    .problem
                    .as_ref()
                    .is_some_and(|p| p.kind == BATCH_CANCELLED);
            ResultRow {
                item: m.item,
                take: m.take,
                status: if cancelled {
                    "cancelled".to_owned()
                } else {
                    job.status.as_str().to_owned()
                },
                task_id: job.task_id.as_ref().map(|t| t.0.clone()),
                output_path: job.output_path.clone(),
                tokens_estimate: job.tokens_estimate,
                error: job
                    .problem
                    .as_ref()
                    .map(|p| render(&p.message, Language::ENGLISH)),
            }
        })
        .collect()
}

/// One CSV field: quoted when it holds a separator, a quote or a line break (its quotes doubled).
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

pub fn to_csv(rows: &[ResultRow]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&COLUMNS.join(","));
    out.push_str("\r\n");
    for row in rows {
        let fields = [
            row.item.to_string(),
            row.take.to_string(),
            row.status.clone(),
            row.task_id.clone().unwrap_or_default(),
            row.output_path.clone().unwrap_or_default(),
            row.tokens_estimate
                .map(|t| t.to_string())
                .unwrap_or_default(),
            row.error.clone().unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn to_json(rows: &[ResultRow]) -> String {
    // A Vec of plain rows always serializes.
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".to_owned()) + "\n"
}

/// What was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct ResultsExported {
    pub path: String,
    pub rows: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error("no batch with id {id}")]
    NotFound { id: String },
    #[error("could not write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl UserFacing for ResultsError {
    fn kind(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => "batch_not_found",
            Self::Write { .. } => "results_not_written",
            Self::Store(e) => e.kind(),
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::NotFound { .. } => Message::new("msg.batch_run.not_found"),
            Self::Write { path, .. } => Message::new("msg.batch_run.results_not_written")
                .arg("path", path.display().to_string()),
            Self::Store(e) => e.msg(),
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Write { source, .. } => Some(source.to_string()),
            Self::Store(e) => e.raw_cause(),
            Self::NotFound { .. } => None,
        }
    }
}

/// Writes the batch's results to `path` (CSV or JSON by its extension), whole or not at all.
pub fn export_results(
    store: &Store,
    id: &str,
    path: &Path,
) -> Result<ResultsExported, ResultsError> {
    if store.get_batch(id)?.is_none() {
        return Err(ResultsError::NotFound { id: id.to_owned() });
    }
    let rows = result_rows(&store.batch_members(id)?);
    let text = match ResultsFormat::for_path(path) {
        ResultsFormat::Csv => to_csv(&rows),
        ResultsFormat::Json => to_json(&rows),
    };
    crate::durable::write_file(path, text.as_bytes()).map_err(|source| ResultsError::Write {
        path: path.to_owned(),
        source,
    })?;
    Ok(ResultsExported {
        path: path.display().to_string(),
        rows: u32::try_from(rows.len()).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn row(item: u32, error: Option<&str>) -> ResultRow {
        ResultRow {
            item,
            take: 1,
            status: "failed".into(),
            task_id: Some("cgt-1".into()),
            output_path: Some("/videos/蓝色 花瓶.mp4".into()),
            tokens_estimate: Some(108_900),
            error: error.map(str::to_owned),
        }
    }

    #[test]
    fn csv_has_a_bom_a_header_and_quotes_what_needs_quoting() {
        let csv = to_csv(&[
            row(1, Some("It said \"no\", twice\nthen stopped")),
            row(2, None),
        ]);
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines[0],
            "item,take,status,task_id,output_path,tokens_estimate,error"
        );
        assert_eq!(
            lines[1],
            "1,1,failed,cgt-1,/videos/蓝色 花瓶.mp4,108900,\"It said \"\"no\"\", twice\nthen stopped\""
        );
        assert_eq!(lines[2], "2,1,failed,cgt-1,/videos/蓝色 花瓶.mp4,108900,");
        assert_eq!(lines[3], "");
        // Non-ASCII stays UTF-8 as it is.
        assert!(csv.as_bytes().windows(6).any(|w| w == "蓝色".as_bytes()));
    }

    #[test]
    fn a_semicolon_is_quoted_for_excel_in_locales_that_split_on_it() {
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("a\rb"), "\"a\rb\"");
    }

    #[test]
    fn json_is_an_array_of_rows_with_nulls_for_the_unknown() {
        let json: serde_json::Value = serde_json::from_str(&to_json(&[row(3, None)])).unwrap();
        assert_eq!(json[0]["item"], 3);
        assert_eq!(json[0]["output_path"], "/videos/蓝色 花瓶.mp4");
        assert!(json[0]["error"].is_null());
    }

    #[test]
    fn the_extension_chooses_the_format() {
        assert_eq!(
            ResultsFormat::for_path(Path::new("r.JSON")),
            ResultsFormat::Json
        );
        assert_eq!(
            ResultsFormat::for_path(Path::new("r.csv")),
            ResultsFormat::Csv
        );
        assert_eq!(
            ResultsFormat::for_path(Path::new("results")),
            ResultsFormat::Csv
        );
    }
}
