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
    pub(crate) fn wrap(&self, problem: Message) -> Message {
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

mod messages;

#[cfg(test)]
mod tests;
