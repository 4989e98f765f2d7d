//! Rows of a CSV or JSONL file to items: which column is which, each cell to the type its column wants,
//! and every cell problem placed at its line and column. The settings columns are the fields of
//! [`DraftSettings`] as the preset file writes them, read from that type itself, so a new setting is a new
//! column without a change here.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use serde_json::Value;

use super::item::{BatchItem, FrameFiles, FrameRef, Origin, SettingValue, SourceColumn, MAX_TAKES};
use super::problem::{BatchIssue, BatchProblem, Spot};
use crate::request::{DraftSettings, Duration, FrameSlot};

/// The type a setting's cells are read as: the JSON type of its default value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SettingKind {
    Text,
    Number,
    Flag,
}

/// Every setting a row may set, by the name the preset file uses.
static SETTINGS: LazyLock<Vec<(String, SettingKind)>> = LazyLock::new(|| {
    let Ok(Value::Object(fields)) = serde_json::to_value(DraftSettings::default()) else {
        return Vec::new();
    };
    fields
        .into_iter()
        .filter_map(|(name, value)| {
            let kind = match value {
                Value::String(_) => SettingKind::Text,
                Value::Number(_) => SettingKind::Number,
                Value::Bool(_) => SettingKind::Flag,
                _ => return None,
            };
            Some((name, kind))
        })
        .collect()
});

/// What a known column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Known {
    First,
    Last,
    Prompt,
    Takes,
    Preset,
    Output,
    Setting(usize),
}

/// Placeholders of templates that a column must not shadow.
pub(crate) const RESERVED: [&str; 2] = ["name", "index"];

fn known(key: &str) -> Option<Known> {
    Some(match key {
        "first" | "first_frame" => Known::First,
        "last" | "last_frame" => Known::Last,
        "prompt" => Known::Prompt,
        "takes" => Known::Takes,
        "preset" => Known::Preset,
        "output" => Known::Output,
        _ => {
            return SETTINGS
                .iter()
                .position(|(n, _)| n == key)
                .map(Known::Setting)
        }
    })
}

/// Every documented column: frames and prompt, the settings, then takes, preset and output (for messages
/// and suggestions).
pub fn known_columns() -> Vec<String> {
    let mut names: Vec<String> = ["first", "last", "prompt"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    names.extend(SETTINGS.iter().map(|(n, _)| n.clone()));
    names.extend(["takes", "preset", "output"].into_iter().map(str::to_owned));
    names
}

/// One data row: the line it starts on and its cells, one per column (`None`: no cell).
pub(crate) struct TableRow {
    pub line: u32,
    pub cells: Vec<Option<String>>,
    /// Cells that could not be read at all (a JSON array where text belongs).
    pub problems: Vec<BatchProblem>,
}

/// What a table gives: its columns, the items, and problems of the columns.
pub(crate) struct Table {
    pub columns: Vec<SourceColumn>,
    pub items: Vec<BatchItem>,
    pub problems: Vec<BatchProblem>,
}

/// `headers` as written with each one's cell number (CSV; none for JSONL) and the line that names it;
/// `folder` is the file's folder.
pub(crate) fn read_table(
    path: &Path,
    headers: Vec<(String, Option<u32>, u32)>,
    rows: Vec<TableRow>,
    folder: &Path,
) -> Result<Table, BatchIssue> {
    let mut problems = Vec::new();
    let mut columns: Vec<SourceColumn> = Vec::new();
    // For each header: what it holds; `None` for a repeated or reserved column (whose cells are not read).
    let mut roles: Vec<Option<Option<Known>>> = Vec::new();
    for (header, position, header_line) in &headers {
        let key = header.trim().to_lowercase();
        let at = Spot::line(*header_line).with_column(*position, header.clone());
        let repeated = columns.iter().any(|c| c.key() == key);
        if key.is_empty() && rows.iter().all(|r| blank(r.cells.get(roles.len()))) {
            roles.push(None);
            continue;
        }
        if repeated {
            problems.push(
                BatchIssue::DuplicateColumn {
                    header: header.clone(),
                }
                .at(at),
            );
            roles.push(None);
            continue;
        }
        if RESERVED.contains(&key.as_str()) {
            problems.push(
                BatchIssue::ReservedColumn {
                    header: header.clone(),
                }
                .at(at),
            );
            roles.push(None);
            continue;
        }
        let role = known(&key);
        columns.push(SourceColumn {
            header: header.clone(),
            position: *position,
            line: *header_line,
            known: role.is_some(),
        });
        roles.push(Some(role));
    }
    if columns.iter().all(|c| !c.known) && headers.iter().any(|(h, _, _)| looks_like_data(h)) {
        return Err(BatchIssue::NoHeader {
            path: path.to_path_buf(),
            known: known_columns().join(", "),
        });
    }

    let keys: Vec<String> = headers
        .iter()
        .map(|(h, _, _)| h.trim().to_lowercase())
        .collect();
    let mut files = FrameFiles::default();
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let mut item = BatchItem::new(Origin::Line { line: row.line });
        item.problems = row.problems;
        let line = Spot::line(row.line);
        let mut first_at = line.clone();
        let mut last_at = line.clone();
        let mut cells = row.cells;
        for (at, role) in roles.iter().enumerate() {
            let Some(role) = role else { continue };
            let (header, position, _) = &headers[at];
            let cell_at = || line.clone().with_column(*position, header.clone());
            let cell = cells.get_mut(at).and_then(Option::take).unwrap_or_default();
            let text = cell.trim();
            item.values.insert(keys[at].clone(), text.to_owned());
            if text.is_empty() {
                continue;
            }
            match role {
                None => {}
                Some(Known::First) => {
                    item.first_frame = Some(FrameRef::resolve(text, Some(folder)));
                    first_at = cell_at();
                }
                Some(Known::Last) => {
                    item.last_frame = Some(FrameRef::resolve(text, Some(folder)));
                    last_at = cell_at();
                }
                Some(Known::Prompt) => item.prompt = Some(text.to_owned()),
                Some(Known::Preset) => item.preset = Some(text.to_owned()),
                Some(Known::Output) => item.output = Some(text.to_owned()),
                Some(Known::Takes) => match parse_takes(text) {
                    Ok(takes) => item.takes = Some(takes),
                    Err(issue) => item.problems.push(issue.at(cell_at())),
                },
                Some(Known::Setting(i)) => {
                    let (name, kind) = &SETTINGS[*i];
                    match setting_value(name, *kind, text) {
                        Ok(value) => {
                            item.settings.insert(name.clone(), value);
                        }
                        Err(issue) => item.problems.push(issue.at(cell_at())),
                    }
                }
            }
        }
        item.name = item
            .first_frame
            .as_ref()
            .or(item.last_frame.as_ref())
            .and_then(FrameRef::stem);
        files.check(
            &mut item,
            |slot| match slot {
                FrameSlot::First => first_at.clone(),
                FrameSlot::Last => last_at.clone(),
            },
            Some(folder),
        );
        items.push(item);
    }
    Ok(Table {
        columns,
        items,
        problems,
    })
}

fn blank(cell: Option<&Option<String>>) -> bool {
    cell.and_then(Option::as_deref)
        .is_none_or(|c| c.trim().is_empty())
}

/// A header cell that is really data: a file name or a path (the file has no header line).
fn looks_like_data(header: &str) -> bool {
    let h = header.trim();
    h.contains('/') || h.contains('\\') || super::folder::is_image_name(Path::new(h))
}

/// A number of takes: 1 to [`MAX_TAKES`].
pub(crate) fn parse_takes(text: &str) -> Result<u32, BatchIssue> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|t| (1..=MAX_TAKES).contains(t))
        .ok_or_else(|| BatchIssue::BadTakes {
            value: text.to_owned(),
            max: MAX_TAKES,
        })
}

/// A cell read as its setting's type. Words (resolution, ratio) are kept as written: the request rules
/// judge them, with the same message as on the Generate screen.
fn setting_value(name: &str, kind: SettingKind, text: &str) -> Result<SettingValue, BatchIssue> {
    match kind {
        SettingKind::Text => Ok(SettingValue::Text(text.to_owned())),
        SettingKind::Number => {
            // `auto` is what a person writes for "the model chooses" (the wire's -1).
            if name == "duration" && text.eq_ignore_ascii_case("auto") {
                return Ok(SettingValue::Number(Duration::AUTO_WIRE));
            }
            text.parse::<i32>()
                .map(SettingValue::Number)
                .map_err(|_| BatchIssue::BadNumber {
                    value: text.to_owned(),
                })
        }
        SettingKind::Flag => {
            parse_flag(text)
                .map(SettingValue::Flag)
                .ok_or_else(|| BatchIssue::BadFlag {
                    value: text.to_owned(),
                })
        }
    }
}

/// Yes or no, as spreadsheets and people write it.
fn parse_flag(text: &str) -> Option<bool> {
    match text.to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "on" | "是" => Some(true),
        "false" | "no" | "n" | "0" | "off" | "否" => Some(false),
        _ => None,
    }
}

/// Every setting of `settings`, as a row that sets them all would hold them.
pub(crate) fn settings_of(settings: &DraftSettings) -> BTreeMap<String, SettingValue> {
    let Ok(Value::Object(fields)) = serde_json::to_value(settings) else {
        return BTreeMap::new();
    };
    fields
        .into_iter()
        .filter_map(|(name, value)| {
            let value = match value {
                Value::String(s) => SettingValue::Text(s),
                Value::Number(n) => SettingValue::Number(i32::try_from(n.as_i64()?).ok()?),
                Value::Bool(b) => SettingValue::Flag(b),
                _ => return None,
            };
            Some((name, value))
        })
        .collect()
}

/// `base` with the settings an item sets put over it.
pub(crate) fn apply_settings(
    base: &DraftSettings,
    set: &BTreeMap<String, SettingValue>,
) -> DraftSettings {
    if set.is_empty() {
        return base.clone();
    }
    let Ok(Value::Object(mut fields)) = serde_json::to_value(base) else {
        return base.clone();
    };
    for (name, value) in set {
        let value = match value {
            SettingValue::Text(t) => Value::from(t.as_str()),
            SettingValue::Number(n) => Value::from(*n),
            SettingValue::Flag(f) => Value::from(*f),
        };
        fields.insert(name.clone(), value);
    }
    // Every value was read as its field's type, so this cannot fail; if it did, nothing is changed.
    serde_json::from_value(Value::Object(fields)).unwrap_or_else(|_| base.clone())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn every_setting_of_the_preset_file_is_a_column_of_its_type() {
        let mut names: Vec<&str> = SETTINGS.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "camera_fixed",
                "draft",
                "duration",
                "generate_audio",
                "ratio",
                "resolution",
                "watermark"
            ]
        );
        let kind = |name: &str| match known(name) {
            Some(Known::Setting(i)) => SETTINGS[i].1,
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(kind("duration"), SettingKind::Number);
        assert_eq!(kind("draft"), SettingKind::Flag);
        assert_eq!(kind("ratio"), SettingKind::Text);
        assert_eq!(known("first_frame"), Some(Known::First));
        assert_eq!(known("colour"), None);
    }

    #[test]
    fn cells_become_their_settings_types() {
        let set = [
            ("ratio", setting_value("ratio", SettingKind::Text, "9:16")),
            (
                "duration",
                setting_value("duration", SettingKind::Number, "AUTO"),
            ),
            ("draft", setting_value("draft", SettingKind::Flag, "是")),
            (
                "watermark",
                setting_value("watermark", SettingKind::Flag, "No"),
            ),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v.unwrap()))
        .collect();
        let s = apply_settings(&DraftSettings::default(), &set);
        assert_eq!(s.ratio, "9:16");
        assert_eq!(s.duration, -1);
        assert!(s.draft);
        assert!(!s.watermark);
        assert_eq!(s.resolution, DraftSettings::default().resolution);
        assert!(matches!(
            setting_value("draft", SettingKind::Flag, "maybe"),
            Err(BatchIssue::BadFlag { .. })
        ));
        assert!(matches!(
            setting_value("duration", SettingKind::Number, "5s"),
            Err(BatchIssue::BadNumber { .. })
        ));
        assert!(parse_takes("0").is_err());
        assert!(parse_takes(&(MAX_TAKES + 1).to_string()).is_err());
        assert_eq!(parse_takes(" 3 ").unwrap(), 3);
    }
}
