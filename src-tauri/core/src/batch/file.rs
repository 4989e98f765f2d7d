//! A batch file (CSV or JSONL) to a [`BatchSource`]: decode it, split it into rows, and read the rows as
//! items. A broken line is reported and left out; every other line still gives its item.

use std::path::Path;

use serde_json::Value;

use super::csv;
use super::item::BatchSource;
use super::problem::{BatchIssue, BatchProblem, Spot};
use super::table::{read_table, TableRow};
use super::text::read_text;

/// How a file's rows are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    Jsonl,
}

/// By extension (`.jsonl`, `.ndjson`; `.csv`, `.tsv`, `.txt`), else by the first character: `{` is JSONL.
fn format_of(path: &Path, text: &str) -> Format {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "jsonl" | "ndjson" => Format::Jsonl,
        "csv" | "tsv" | "txt" => Format::Csv,
        _ if text.trim_start().starts_with('{') => Format::Jsonl,
        _ => Format::Csv,
    }
}

/// Reads the batch file at `path`. Relative frame paths in it are taken from its folder.
pub fn from_file(path: &Path) -> Result<BatchSource, BatchIssue> {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let decoded = read_text(&path)?;
    let mut problems = Vec::new();
    if decoded.gb18030 {
        problems.push(BatchIssue::DecodedGb18030 { path: path.clone() }.at(Spot::default()));
    }
    let (headers, rows) = match format_of(&path, &decoded.text) {
        Format::Csv => csv_rows(&decoded.text, &mut problems),
        Format::Jsonl => jsonl_rows(&decoded.text, &mut problems),
    };
    if rows.is_empty() && problems.iter().all(|p| p.at.line.is_none()) {
        return Err(BatchIssue::FileEmpty { path });
    }
    let folder = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    let table = read_table(&path, headers, rows, &folder)?;
    problems.extend(table.problems);
    // In file order (the notices, which have no line, first), as the review lists them.
    problems.sort_by_key(|p| p.at.line);
    let mut source = BatchSource {
        items: table.items,
        problems,
        columns: table.columns,
        folder: Some(folder),
    };
    source.flag_repeats();
    Ok(source)
}

/// Each column as written, its cell number (CSV) and the line that names it.
type Headers = Vec<(String, Option<u32>, u32)>;

/// The first record names the columns; each further record is a row.
fn csv_rows(text: &str, problems: &mut Vec<BatchProblem>) -> (Headers, Vec<TableRow>) {
    let (records, faults) = csv::read(text);
    problems.extend(faults.into_iter().map(|f| f.issue.at(Spot::line(f.line))));
    let mut records = records.into_iter();
    let Some(header) = records.next() else {
        return (Vec::new(), Vec::new());
    };
    let headers: Headers = header
        .cells
        .into_iter()
        .zip(1u32..)
        .map(|(h, i)| (h, Some(i), header.line))
        .collect();
    let columns = headers.len();
    let mut rows = Vec::new();
    for record in records {
        // Extra cells that hold something mean the columns slipped (a separator in an unquoted cell);
        // empty ones are a trailing separator, which spreadsheets write.
        let cells = record.cells.len();
        if record.cells[columns.min(cells)..]
            .iter()
            .any(|c| !c.trim().is_empty())
        {
            let issue = BatchIssue::CsvTooManyCells {
                cells: u32::try_from(cells).unwrap_or(u32::MAX),
                columns: u32::try_from(columns).unwrap_or(u32::MAX),
            };
            problems.push(issue.at(Spot::line(record.line)));
            continue;
        }
        rows.push(TableRow {
            line: record.line,
            cells: record.cells.into_iter().map(Some).collect(),
            problems: Vec::new(),
        });
    }
    (headers, rows)
}

/// Each non-blank line is one object; its keys are the columns, in the order they first appear.
fn jsonl_rows(text: &str, problems: &mut Vec<BatchProblem>) -> (Headers, Vec<TableRow>) {
    let mut headers: Headers = Vec::new();
    let mut rows = Vec::new();
    for (line_text, line) in text.split('\n').zip(1u32..) {
        let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
        if line_text.trim().is_empty() {
            continue;
        }
        let at = Spot::line(line);
        let object = match serde_json::from_str::<Value>(line_text) {
            Ok(Value::Object(object)) => object,
            Ok(_) => {
                problems.push(BatchIssue::JsonlNotObject.at(at));
                continue;
            }
            Err(e) => {
                let issue = BatchIssue::JsonlMalformed {
                    char: u32::try_from(e.column()).unwrap_or(u32::MAX),
                    detail: e.to_string(),
                };
                problems.push(issue.at(at));
                continue;
            }
        };
        let mut row = TableRow {
            line,
            cells: vec![None; headers.len()],
            problems: Vec::new(),
        };
        for (key, value) in object {
            let column = match headers.iter().position(|(h, _, _)| *h == key) {
                Some(i) => i,
                None => {
                    headers.push((key.clone(), None, line));
                    row.cells.push(None);
                    headers.len() - 1
                }
            };
            row.cells[column] = match value {
                Value::Null => None,
                Value::String(s) => Some(s),
                Value::Bool(b) => Some(b.to_string()),
                Value::Number(n) => Some(n.to_string()),
                other => {
                    let issue = BatchIssue::BadCellValue {
                        value: other.to_string(),
                    };
                    row.problems
                        .push(issue.at(Spot::line(line).with_column(None, key)));
                    None
                }
            };
        }
        rows.push(row);
    }
    (headers, rows)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_format_follows_the_extension_then_the_first_character() {
        assert_eq!(
            format_of(Path::new("a.JSONL"), "first,prompt"),
            Format::Jsonl
        );
        assert_eq!(format_of(Path::new("a.csv"), "{\"a\":1}"), Format::Csv);
        assert_eq!(format_of(Path::new("a.dat"), " {\"a\":1}"), Format::Jsonl);
        assert_eq!(format_of(Path::new("a"), "first"), Format::Csv);
    }
}
