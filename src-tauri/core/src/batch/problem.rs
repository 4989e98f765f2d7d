//! What can be wrong with a batch, where, and how bad: each [`BatchIssue`] is a stable kind and a catalog
//! message (`msg.batch.*`); a [`BatchProblem`] is one placed at a line, a cell or a file, ready for the review
//! table. A blocking problem keeps its item (or, at batch level, the whole batch) from running; the rest are
//! warnings the user should see before paying.

use std::path::PathBuf;

use serde::Serialize;

use crate::i18n::{Message, UserFacing};
use crate::request::{Field, FrameSlot};

/// Where a problem is, as precisely as the source allows. Lines are 1-based physical lines of the file
/// (a quoted cell spanning lines counts each); `column` is the 1-based cell of a CSV line; `header` names
/// the column (or JSONL key); `file` is a folder entry's name; `item` the 1-based item number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct Spot {
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub header: Option<String>,
    pub file: Option<String>,
    pub item: Option<u32>,
}

impl Spot {
    pub fn line(line: u32) -> Self {
        Self {
            line: Some(line),
            ..Self::default()
        }
    }

    pub fn file(name: impl Into<String>) -> Self {
        Self {
            file: Some(name.into()),
            ..Self::default()
        }
    }

    pub fn item(index: u32) -> Self {
        Self {
            item: Some(index),
            ..Self::default()
        }
    }

    /// The same place, narrowed to one column.
    #[must_use]
    pub fn with_column(mut self, column: Option<u32>, header: impl Into<String>) -> Self {
        self.column = column;
        self.header = Some(header.into());
        self
    }

    /// `problem` preceded by where it is, so the message alone (in a log, the CLI, a tooltip) says where.
    fn wrap(&self, problem: Message) -> Message {
        match (self.line, self.column, &self.header, &self.file, self.item) {
            (Some(line), Some(column), Some(header), _, _) => Message::new("msg.batch.at_cell")
                .arg("line", line)
                .arg("column", column)
                .arg("header", header.as_str()),
            (Some(line), None, Some(header), _, _) => Message::new("msg.batch.at_key")
                .arg("line", line)
                .arg("header", header.as_str()),
            (Some(line), _, _, _, _) => Message::new("msg.batch.at_line").arg("line", line),
            (None, _, _, Some(file), _) => {
                Message::new("msg.batch.at_file").arg("file", file.as_str())
            }
            (None, _, _, None, Some(item)) => Message::new("msg.batch.at_item").arg("index", item),
            _ => return problem,
        }
        .arg("problem", problem)
    }
}

/// One problem, placed. `kind` is stable (the UI may switch on it); `field` is the form control a request
/// rule concerns, so the review table can offer the Generate screen's fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct BatchProblem {
    pub kind: String,
    pub blocking: bool,
    pub at: Spot,
    pub field: Option<Field>,
    pub msg: Message,
}

impl BatchProblem {
    /// A rule of the request (the Generate form's own check), placed at the item it concerns.
    pub(crate) fn from_request(problem: crate::request::Problem, at: Spot) -> Self {
        Self {
            kind: problem.kind,
            blocking: true,
            msg: at.wrap(problem.msg),
            at,
            field: Some(problem.field),
        }
    }
}

/// Which part of an item a template belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplatePart {
    Prompt,
    Output,
}

/// Why a frame could not be paired in a folder (see [`super::PairRule`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unmatched {
    /// Ends in neither suffix of the rule.
    NoSuffix { first: String, last: String },
    /// A first frame with no `{name}{last}.*` beside it.
    NoLast { expected: String },
    /// A last frame with no `{name}{first}.*` beside it.
    NoFirst { expected: String },
    /// Two files would be the same frame of the same pair (`cat_first.jpg` and `cat_first.png`).
    Ambiguous { others: Vec<String> },
    /// The last of an odd number of images in sorted order.
    OddOneOut,
}

/// Every problem a batch source or plan can report.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum BatchIssue {
    // The source as a whole: nothing could be read from it.
    #[error("cannot read {path}: {cause}")]
    FileUnreadable { path: PathBuf, cause: String },
    #[error("{path} has {bytes} bytes, above the {limit}-byte limit")]
    FileTooLarge {
        path: PathBuf,
        bytes: u64,
        limit: u64,
    },
    #[error("{path} is not UTF-8, UTF-16 or GB18030 text")]
    NotText { path: PathBuf },
    #[error("{path} has no rows")]
    FileEmpty { path: PathBuf },
    #[error("the first line of {path} names no known column")]
    NoHeader { path: PathBuf, known: String },
    #[error("cannot open the folder {path}: {cause}")]
    FolderUnreadable { path: PathBuf, cause: String },
    #[error("the folder path {path} is refused")]
    FolderRefused { path: PathBuf, reason: Message },
    #[error("the folder {path} is empty")]
    FolderEmpty { path: PathBuf },
    #[error("the folder {path} has no images among {count} entries")]
    FolderNoImages { path: PathBuf, count: u32 },
    #[error("no image paths were given")]
    NoPaths,
    #[error("the pairing suffixes {first:?} and {last:?} are empty or equal")]
    BadPairRule { first: String, last: String },

    // Notices about the whole source.
    #[error("{path} was decoded as GB18030")]
    DecodedGb18030 { path: PathBuf },
    #[error("{count} folder entries are not images")]
    NonImagesIgnored { count: u32 },

    // A line of a file that gave no item.
    #[error("unclosed quote from character {char}")]
    CsvUnclosedQuote { char: u32 },
    #[error("text after a closing quote at character {char}")]
    CsvTextAfterQuote { char: u32 },
    #[error("{cells} cells for {columns} columns")]
    CsvTooManyCells { cells: u32, columns: u32 },
    #[error("not JSON at character {char}: {detail}")]
    JsonlMalformed { char: u32, detail: String },
    #[error("the line is JSON but not an object")]
    JsonlNotObject,

    // Columns (batch level, blocking).
    #[error("unknown column {header:?}")]
    UnknownColumn {
        header: String,
        suggestion: Option<String>,
        known: String,
    },
    #[error("the column {header:?} appears more than once")]
    DuplicateColumn { header: String },
    #[error("the column {header:?} has a reserved name")]
    ReservedColumn { header: String },

    // Folder entries that gave no item.
    #[error("{file} was not paired: {reason:?}")]
    Unmatched { file: String, reason: Unmatched },

    // One item.
    #[error("the {slot} frame {written} was not found at {path}")]
    FrameNotFound {
        slot: FrameSlot,
        written: String,
        path: PathBuf,
    },
    #[error("the {slot} frame {path} is refused")]
    FrameRefused {
        slot: FrameSlot,
        path: PathBuf,
        reason: Message,
    },
    #[error("the {slot} frame {written} is outside the file's folder")]
    FrameOutsideFolder {
        slot: FrameSlot,
        written: String,
        path: PathBuf,
        folder: PathBuf,
    },
    #[error("{path} is not an image file")]
    NotAnImage { path: PathBuf },
    #[error("{value:?} is not a cell value")]
    BadCellValue { value: String },
    #[error("{value:?} is not true or false")]
    BadFlag { value: String },
    #[error("{value:?} is not a whole number")]
    BadNumber { value: String },
    #[error("{value:?} is not a number of takes (1..={max})")]
    BadTakes { value: String, max: u32 },
    #[error("repeats line {line}")]
    DuplicateRow { line: u32 },
    #[error("repeats item {index}")]
    DuplicateItem { index: u32 },
    #[error("unclosed brace at character {char}")]
    TemplateUnclosed { part: TemplatePart, char: u32 },
    #[error("unknown placeholders {names}")]
    TemplateUnknown {
        part: TemplatePart,
        names: String,
        known: String,
    },
    #[error("{{name}} without an image")]
    TemplateNameWithoutImage { part: TemplatePart },
    #[error("no preset named {name:?}")]
    UnknownPreset { name: String },
}

fn slot_name(slot: FrameSlot) -> Message {
    Message::new(match slot {
        FrameSlot::First => "msg.batch.slot_first",
        FrameSlot::Last => "msg.batch.slot_last",
    })
}

fn part_name(part: TemplatePart) -> Message {
    Message::new(match part {
        TemplatePart::Prompt => "msg.batch.part_prompt",
        TemplatePart::Output => "msg.batch.part_output",
    })
}

impl BatchIssue {
    /// Whether this keeps its item (or the batch) from running. Notices, duplicates, paths outside the
    /// file's folder and unpaired folder entries (which are no item) do not.
    pub fn blocking(&self) -> bool {
        !matches!(
            self,
            Self::DecodedGb18030 { .. }
                | Self::NonImagesIgnored { .. }
                | Self::Unmatched { .. }
                | Self::FrameOutsideFolder { .. }
                | Self::DuplicateRow { .. }
                | Self::DuplicateItem { .. }
                | Self::CsvUnclosedQuote { .. }
                | Self::CsvTextAfterQuote { .. }
                | Self::CsvTooManyCells { .. }
                | Self::JsonlMalformed { .. }
                | Self::JsonlNotObject
        )
    }

    /// This issue at `at`. An unpaired folder entry's message already starts with its file name.
    pub fn at(&self, at: Spot) -> BatchProblem {
        let msg = match self {
            Self::Unmatched { .. } => self.msg(),
            _ => at.wrap(self.msg()),
        };
        BatchProblem {
            kind: self.kind().to_owned(),
            blocking: self.blocking(),
            msg,
            at,
            field: None,
        }
    }

    /// This issue at `at`, concerning a control of the Generate form.
    pub fn at_field(&self, at: Spot, field: Field) -> BatchProblem {
        BatchProblem {
            field: Some(field),
            ..self.at(at)
        }
    }
}

impl UserFacing for BatchIssue {
    fn kind(&self) -> &'static str {
        match self {
            Self::FileUnreadable { .. } => "batch_file_unreadable",
            Self::FileTooLarge { .. } => "batch_file_too_large",
            Self::NotText { .. } => "batch_not_text",
            Self::FileEmpty { .. } => "batch_file_empty",
            Self::NoHeader { .. } => "batch_no_header",
            Self::FolderUnreadable { .. } => "batch_folder_unreadable",
            Self::FolderRefused { .. } => "batch_folder_refused",
            Self::FolderEmpty { .. } => "batch_folder_empty",
            Self::FolderNoImages { .. } => "batch_folder_no_images",
            Self::NoPaths => "batch_no_paths",
            Self::BadPairRule { .. } => "batch_bad_pair_rule",
            Self::DecodedGb18030 { .. } => "batch_decoded_gb18030",
            Self::NonImagesIgnored { .. } => "batch_non_images_ignored",
            Self::CsvUnclosedQuote { .. } => "batch_csv_unclosed_quote",
            Self::CsvTextAfterQuote { .. } => "batch_csv_text_after_quote",
            Self::CsvTooManyCells { .. } => "batch_csv_too_many_cells",
            Self::JsonlMalformed { .. } => "batch_jsonl_malformed",
            Self::JsonlNotObject => "batch_jsonl_not_object",
            Self::UnknownColumn { .. } => "batch_unknown_column",
            Self::DuplicateColumn { .. } => "batch_duplicate_column",
            Self::ReservedColumn { .. } => "batch_reserved_column",
            Self::Unmatched { reason, .. } => match reason {
                Unmatched::NoSuffix { .. } => "batch_unmatched_no_suffix",
                Unmatched::NoLast { .. } => "batch_unmatched_no_last",
                Unmatched::NoFirst { .. } => "batch_unmatched_no_first",
                Unmatched::Ambiguous { .. } => "batch_unmatched_ambiguous",
                Unmatched::OddOneOut => "batch_unmatched_odd",
            },
            Self::FrameNotFound { .. } => "batch_frame_not_found",
            Self::FrameRefused { .. } => "batch_frame_refused",
            Self::FrameOutsideFolder { .. } => "batch_frame_outside_folder",
            Self::NotAnImage { .. } => "batch_not_an_image",
            Self::BadCellValue { .. } => "batch_bad_cell_value",
            Self::BadFlag { .. } => "batch_bad_flag",
            Self::BadNumber { .. } => "batch_bad_number",
            Self::BadTakes { .. } => "batch_bad_takes",
            Self::DuplicateRow { .. } => "batch_duplicate_row",
            Self::DuplicateItem { .. } => "batch_duplicate_item",
            Self::TemplateUnclosed { .. } => "batch_template_unclosed",
            Self::TemplateUnknown { .. } => "batch_template_unknown",
            Self::TemplateNameWithoutImage { .. } => "batch_template_name_without_image",
            Self::UnknownPreset { .. } => "batch_unknown_preset",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::FileUnreadable { path, .. } => {
                Message::new("msg.batch.file_unreadable").arg("path", path)
            }
            Self::FileTooLarge { path, bytes, limit } => Message::new("msg.batch.file_too_large")
                .arg("path", path)
                .arg("size", crate::i18n::megabytes(*bytes))
                .arg("limit", crate::i18n::megabytes(*limit)),
            Self::NotText { path } => Message::new("msg.batch.not_text").arg("path", path),
            Self::FileEmpty { path } => Message::new("msg.batch.file_empty").arg("path", path),
            Self::NoHeader { path, known } => Message::new("msg.batch.no_header")
                .arg("path", path)
                .arg("known", known.as_str()),
            Self::FolderUnreadable { path, .. } => {
                Message::new("msg.batch.folder_unreadable").arg("path", path)
            }
            Self::FolderRefused { path, reason } => Message::new("msg.batch.folder_refused")
                .arg("path", path)
                .arg("reason", reason.clone()),
            Self::FolderEmpty { path } => Message::new("msg.batch.folder_empty").arg("path", path),
            Self::FolderNoImages { path, count } => Message::new("msg.batch.folder_no_images")
                .arg("path", path)
                .arg("count", *count),
            Self::NoPaths => Message::new("msg.batch.no_paths"),
            Self::BadPairRule { first, last } => Message::new("msg.batch.bad_pair_rule")
                .arg("first", first.as_str())
                .arg("last", last.as_str()),
            Self::DecodedGb18030 { path } => {
                Message::new("msg.batch.decoded_gb18030").arg("path", path)
            }
            Self::NonImagesIgnored { count } => {
                Message::new("msg.batch.non_images_ignored").arg("count", *count)
            }
            Self::CsvUnclosedQuote { char } => Message::new("msg.batch.csv_unclosed_quote")
                .arg("char", *char)
                .arg("quote", "\"\""),
            Self::CsvTextAfterQuote { char } => Message::new("msg.batch.csv_text_after_quote")
                .arg("char", *char)
                .arg("quote", "\"\""),
            Self::CsvTooManyCells { cells, columns } => {
                Message::new("msg.batch.csv_too_many_cells")
                    .arg("cells", *cells)
                    .arg("columns", *columns)
            }
            Self::JsonlMalformed { char, .. } => Message::new("msg.batch.jsonl_malformed")
                .arg("char", *char)
                .arg(
                    "example",
                    r#"{"first": "cat.jpg", "prompt": "A cat turns its head"}"#,
                ),
            Self::JsonlNotObject => Message::new("msg.batch.jsonl_not_object").arg(
                "example",
                r#"{"first": "cat.jpg", "prompt": "A cat turns its head"}"#,
            ),
            Self::UnknownColumn {
                header,
                suggestion,
                known,
            } => match suggestion {
                Some(suggestion) => Message::new("msg.batch.unknown_column_suggest")
                    .arg("suggestion", suggestion.as_str()),
                None => Message::new("msg.batch.unknown_column"),
            }
            .arg("header", header.as_str())
            .arg("placeholder", format!("{{{header}}}"))
            .arg("known", known.as_str()),
            Self::DuplicateColumn { header } => {
                Message::new("msg.batch.duplicate_column").arg("header", header.as_str())
            }
            Self::ReservedColumn { header } => Message::new("msg.batch.reserved_column")
                .arg("header", header.as_str())
                .arg(
                    "placeholder",
                    format!("{{{}}}", header.trim().to_lowercase()),
                ),
            Self::Unmatched { file, reason } => match reason {
                Unmatched::NoSuffix { first, last } => {
                    Message::new("msg.batch.unmatched_no_suffix")
                        .arg("first", first.as_str())
                        .arg("last", last.as_str())
                }
                Unmatched::NoLast { expected } => {
                    Message::new("msg.batch.unmatched_no_last").arg("expected", expected.as_str())
                }
                Unmatched::NoFirst { expected } => {
                    Message::new("msg.batch.unmatched_no_first").arg("expected", expected.as_str())
                }
                Unmatched::Ambiguous { others } => {
                    Message::new("msg.batch.unmatched_ambiguous").arg("others", others.join(", "))
                }
                Unmatched::OddOneOut => Message::new("msg.batch.unmatched_odd"),
            }
            .arg("file", file.as_str()),
            Self::FrameNotFound {
                slot,
                written,
                path,
            } => Message::new("msg.batch.frame_not_found")
                .arg("slot", slot_name(*slot))
                .arg("written", written.as_str())
                .arg("path", path),
            Self::FrameRefused { slot, path, reason } => Message::new("msg.batch.frame_refused")
                .arg("slot", slot_name(*slot))
                .arg("path", path)
                .arg("reason", reason.clone()),
            Self::FrameOutsideFolder {
                slot,
                written,
                path,
                folder,
            } => Message::new("msg.batch.frame_outside_folder")
                .arg("slot", slot_name(*slot))
                .arg("written", written.as_str())
                .arg("path", path)
                .arg("folder", folder),
            Self::NotAnImage { path } => Message::new("msg.batch.not_an_image").arg("path", path),
            Self::BadCellValue { value } => {
                Message::new("msg.batch.bad_cell_value").arg("value", value.as_str())
            }
            Self::BadFlag { value } => {
                Message::new("msg.batch.bad_flag").arg("value", value.as_str())
            }
            Self::BadNumber { value } => {
                Message::new("msg.batch.bad_number").arg("value", value.as_str())
            }
            Self::BadTakes { value, max } => Message::new("msg.batch.bad_takes")
                .arg("value", value.as_str())
                .arg("max", *max),
            Self::DuplicateRow { line } => Message::new("msg.batch.duplicate_row").arg("of", *line),
            Self::DuplicateItem { index } => {
                Message::new("msg.batch.duplicate_item").arg("of", *index)
            }
            Self::TemplateUnclosed { part, char } => Message::new("msg.batch.template_unclosed")
                .arg("part", part_name(*part))
                .arg("char", *char)
                .arg("open", "{{")
                .arg("close", "}}"),
            Self::TemplateUnknown { part, names, known } => {
                Message::new("msg.batch.template_unknown")
                    .arg("part", part_name(*part))
                    .arg("names", names.as_str())
                    .arg("known", known.as_str())
                    .arg("open", "{{")
                    .arg("close", "}}")
            }
            Self::TemplateNameWithoutImage { part } => {
                Message::new("msg.batch.template_name_without_image")
                    .arg("part", part_name(*part))
                    .arg("placeholder", "{name}")
            }
            Self::UnknownPreset { name } => {
                Message::new("msg.batch.unknown_preset").arg("name", name.as_str())
            }
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::FileUnreadable { cause, .. } | Self::FolderUnreadable { cause, .. } => {
                Some(cause.clone())
            }
            Self::JsonlMalformed { detail, .. } => Some(detail.clone()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::collections::BTreeSet;

    use super::*;

    /// One of every issue, with every shape of argument.
    fn every_issue() -> Vec<BatchIssue> {
        let path = PathBuf::from("/data/shots.csv");
        let reason = Message::verbatim("Because.", "因为。");
        let unmatched = |reason| BatchIssue::Unmatched {
            file: "cat_first.jpg".into(),
            reason,
        };
        vec![
            BatchIssue::FileUnreadable {
                path: path.clone(),
                cause: "denied".into(),
            },
            BatchIssue::FileTooLarge {
                path: path.clone(),
                bytes: 40_000_000,
                limit: 33_554_432,
            },
            BatchIssue::NotText { path: path.clone() },
            BatchIssue::FileEmpty { path: path.clone() },
            BatchIssue::NoHeader {
                path: path.clone(),
                known: "first, last".into(),
            },
            BatchIssue::FolderUnreadable {
                path: path.clone(),
                cause: "gone".into(),
            },
            BatchIssue::FolderRefused {
                path: path.clone(),
                reason: reason.clone(),
            },
            BatchIssue::FolderEmpty { path: path.clone() },
            BatchIssue::FolderNoImages {
                path: path.clone(),
                count: 3,
            },
            BatchIssue::NoPaths,
            BatchIssue::BadPairRule {
                first: "_a".into(),
                last: "_a".into(),
            },
            BatchIssue::DecodedGb18030 { path: path.clone() },
            BatchIssue::NonImagesIgnored { count: 1 },
            BatchIssue::CsvUnclosedQuote { char: 7 },
            BatchIssue::CsvTextAfterQuote { char: 9 },
            BatchIssue::CsvTooManyCells {
                cells: 4,
                columns: 3,
            },
            BatchIssue::JsonlMalformed {
                char: 12,
                detail: "EOF".into(),
            },
            BatchIssue::JsonlNotObject,
            BatchIssue::UnknownColumn {
                header: "colour".into(),
                suggestion: None,
                known: "first".into(),
            },
            BatchIssue::UnknownColumn {
                header: "resolutoin".into(),
                suggestion: Some("resolution".into()),
                known: "first".into(),
            },
            BatchIssue::DuplicateColumn {
                header: "prompt".into(),
            },
            BatchIssue::ReservedColumn {
                header: "Name".into(),
            },
            unmatched(Unmatched::NoSuffix {
                first: "_first".into(),
                last: "_last".into(),
            }),
            unmatched(Unmatched::NoLast {
                expected: "cat_last".into(),
            }),
            unmatched(Unmatched::NoFirst {
                expected: "cat_first".into(),
            }),
            unmatched(Unmatched::Ambiguous {
                others: vec!["cat_first.png".into()],
            }),
            unmatched(Unmatched::OddOneOut),
            BatchIssue::FrameNotFound {
                slot: FrameSlot::First,
                written: "a.jpg".into(),
                path: "/data/a.jpg".into(),
            },
            BatchIssue::FrameRefused {
                slot: FrameSlot::Last,
                path: "//server/a.jpg".into(),
                reason,
            },
            BatchIssue::FrameOutsideFolder {
                slot: FrameSlot::First,
                written: "../a.jpg".into(),
                path: "/a.jpg".into(),
                folder: "/data".into(),
            },
            BatchIssue::NotAnImage {
                path: "/data/notes.txt".into(),
            },
            BatchIssue::BadCellValue {
                value: "[1]".into(),
            },
            BatchIssue::BadFlag {
                value: "maybe".into(),
            },
            BatchIssue::BadNumber { value: "5s".into() },
            BatchIssue::BadTakes {
                value: "0".into(),
                max: 50,
            },
            BatchIssue::DuplicateRow { line: 3 },
            BatchIssue::DuplicateItem { index: 2 },
            BatchIssue::TemplateUnclosed {
                part: TemplatePart::Prompt,
                char: 4,
            },
            BatchIssue::TemplateUnknown {
                part: TemplatePart::Output,
                names: "{size}".into(),
                known: "{name}, {index}".into(),
            },
            BatchIssue::TemplateNameWithoutImage {
                part: TemplatePart::Prompt,
            },
            BatchIssue::UnknownPreset {
                name: "Mine".into(),
            },
        ]
    }

    fn is_cjk(c: char) -> bool {
        ('\u{4E00}'..='\u{9FFF}').contains(&c)
    }

    #[test]
    fn every_issue_reads_in_english_and_chinese_with_every_placeholder_filled() {
        let issues = every_issue();
        let kinds: BTreeSet<&str> = issues.iter().map(UserFacing::kind).collect();
        // Two UnknownColumn shapes share a kind.
        assert_eq!(kinds.len(), issues.len() - 1, "kinds must be distinct");
        let places = [
            Spot::default(),
            Spot::line(4),
            Spot::line(4).with_column(Some(2), "prompt"),
            Spot::line(4).with_column(None, "prompt"),
            Spot::file("cat.jpg"),
            Spot::item(9),
        ];
        for issue in &issues {
            for at in &places {
                let problem = issue.at(at.clone());
                let en = problem.msg.text("en");
                let zh = problem.msg.text("zh-CN");
                // A placeholder without a value trips the renderer's debug assertion, failing here.
                assert!(en.len() > 20 && !en.chars().any(is_cjk), "{en}");
                assert!(
                    zh.chars().any(is_cjk),
                    "{} has no Chinese: {zh}",
                    issue.kind()
                );
                // An unpaired folder entry is named by its file, never placed at a line.
                let placed = !matches!(issue, BatchIssue::Unmatched { .. });
                if let (Some(line), true) = (at.line, placed) {
                    assert!(en.contains(&format!("Line {line}")), "{en}");
                    assert!(zh.contains(&format!("第 {line} 行")), "{zh}");
                }
            }
        }
        let csv = BatchIssue::CsvUnclosedQuote { char: 7 }.at(Spot::line(4));
        assert_eq!(
            csv.msg.text("en"),
            "Line 4: The quote at character 7 is never closed, so the rest of the file was read as one \
             cell and left out. Close the quote; a quote inside a quoted cell is written twice (\"\")."
        );
        let cell = BatchIssue::BadFlag {
            value: "maybe".into(),
        }
        .at(Spot::line(5).with_column(Some(3), "draft"));
        assert!(cell
            .msg
            .text("zh-CN")
            .starts_with("第 5 行，第 3 列（draft）：“maybe”"));
        let template = BatchIssue::TemplateUnclosed {
            part: TemplatePart::Prompt,
            char: 4,
        };
        assert!(
            template
                .msg()
                .text("en")
                .contains("write {{ for a literal brace (}} for"),
            "{}",
            template.msg().text("en")
        );
    }
}
