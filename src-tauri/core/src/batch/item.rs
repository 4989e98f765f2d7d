//! What a batch is made of before it is planned: items (one video each, times its takes) and where each came
//! from, plus the problems of the source as a whole.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::problem::{BatchIssue, BatchProblem, Spot};
use crate::i18n::{Message, UserFacing};
use crate::request::FrameSlot;

/// Most takes of one item: enough to pick the best of many, few enough that a typo (`100` for `10`) in a
/// file cannot multiply a bill unnoticed.
pub const MAX_TAKES: u32 = 50;

/// A frame as the source named it, and where that leads.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, specta::Type)]
pub struct FrameRef {
    /// As written in the file, the list or the form (`../shots/a.png` stays `../shots/a.png`).
    pub written: String,
    /// The full path: a relative one taken from the file's folder with `.` and `..` resolved by name; an
    /// absolute one exactly as written (so that `//server/share` stays a network path, which is refused).
    pub path: PathBuf,
    /// The path leads outside the folder of the file that named it (allowed; shown).
    pub outside_folder: bool,
}

impl FrameRef {
    /// `written` taken from `folder` when it is relative.
    pub(crate) fn resolve(written: &str, folder: Option<&Path>) -> Self {
        let given = Path::new(written);
        let path = match folder {
            Some(folder) if given.is_relative() => normalize(&folder.join(given)),
            _ => given.to_path_buf(),
        };
        let outside_folder = folder.is_some_and(|f| !normalize(&path).starts_with(normalize(f)));
        Self {
            written: written.to_owned(),
            path,
            outside_folder,
        }
    }

    /// The file stem, for `{name}`.
    pub fn stem(&self) -> Option<String> {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
    }
}

/// `.` and `..` resolved by name, without asking the file system (a missing file is reported by name).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// One value of a setting as a file wrote it, already of the setting's type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, specta::Type)]
#[serde(untagged)]
pub enum SettingValue {
    Text(String),
    Number(i32),
    Flag(bool),
}

/// Where an item came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// The nth path (1-based) of a list of images.
    Path { position: u32 },
    /// One or two entries of a folder, by file name.
    Folder { first: String, last: Option<String> },
    /// The line of a CSV or JSONL file where the row starts.
    Line { line: u32 },
    /// The Generate form.
    Form,
    /// The nth shot (1-based) of a sequence.
    Shot { position: u32 },
}

impl Origin {
    /// Where problems of this item are shown.
    pub(crate) fn spot(&self, index: u32) -> Spot {
        match self {
            Self::Line { line } => Spot::line(*line),
            Self::Folder { first, .. } => Spot::file(first.clone()),
            Self::Path { .. } | Self::Form | Self::Shot { .. } => Spot::item(index),
        }
    }
}

/// One video to make (times `takes`), before presets, templates and the request rules are applied.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct BatchItem {
    pub origin: Origin,
    /// What `{name}` stands for: the first frame's file stem (a folder pair's shared name).
    pub name: Option<String>,
    pub first_frame: Option<FrameRef>,
    pub last_frame: Option<FrameRef>,
    /// The prompt template; `None` takes the batch's.
    pub prompt: Option<String>,
    /// Settings this item sets, by the name the preset file uses (`resolution`, `duration`…); the rest come
    /// from its preset, else from the batch.
    pub settings: BTreeMap<String, SettingValue>,
    /// `None` takes the batch's.
    pub takes: Option<u32>,
    pub preset: Option<String>,
    /// The output name template, if the source gave one.
    pub output: Option<String>,
    /// Every cell of the row by its column's name in lower case, for `{column}` in templates.
    pub values: BTreeMap<String, String>,
    /// What is wrong with this item as read (missing frames, bad cells, repeats).
    pub problems: Vec<BatchProblem>,
}

impl BatchItem {
    pub(crate) fn new(origin: Origin) -> Self {
        Self {
            origin,
            name: None,
            first_frame: None,
            last_frame: None,
            prompt: None,
            settings: BTreeMap::new(),
            takes: None,
            preset: None,
            output: None,
            values: BTreeMap::new(),
            problems: Vec::new(),
        }
    }

    /// What makes two items the same videos (origin and problems aside).
    fn content(&self) -> impl std::hash::Hash + Eq + '_ {
        (
            self.first_frame.as_ref().map(|f| &f.path),
            self.last_frame.as_ref().map(|f| &f.path),
            &self.prompt,
            &self.settings,
            (self.takes, &self.preset, &self.output),
            &self.values,
        )
    }
}

/// A column of a CSV or JSONL file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct SourceColumn {
    /// As written in the header (or the JSONL key).
    pub header: String,
    /// 1-based cell number of a CSV column; `None` for a JSONL key.
    pub position: Option<u32>,
    /// The line that names it: the CSV header line, or the first JSONL row with the key.
    pub line: u32,
    /// One of the documented columns (not a template value).
    pub known: bool,
}

impl SourceColumn {
    /// The lower-case name templates and lookups use.
    pub fn key(&self) -> String {
        self.header.trim().to_lowercase()
    }
}

/// Everything read from one source: the items in order, the problems that belong to no item (broken
/// lines, unpaired folder entries, notices) and, for files, the columns.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct BatchSource {
    pub items: Vec<BatchItem>,
    pub problems: Vec<BatchProblem>,
    pub columns: Vec<SourceColumn>,
    /// The folder relative paths were taken from (a file's or a folder's).
    pub folder: Option<PathBuf>,
}

impl BatchSource {
    /// Flags each item whose content repeats an earlier item's: a warning, as it would make the same video
    /// again (takes are the way to ask for several).
    pub(crate) fn flag_repeats(&mut self) {
        use std::collections::hash_map::{Entry, HashMap};
        let mut first_seen = HashMap::new();
        let mut repeats = Vec::new();
        for (at, item) in self.items.iter().enumerate() {
            match first_seen.entry(item.content()) {
                Entry::Occupied(earlier) => repeats.push((at, *earlier.get())),
                Entry::Vacant(slot) => {
                    slot.insert(at);
                }
            }
        }
        drop(first_seen);
        for (at, earlier) in repeats {
            let issue = match self.items[earlier].origin {
                Origin::Line { line } => BatchIssue::DuplicateRow { line },
                _ => BatchIssue::DuplicateItem {
                    index: index_of(earlier),
                },
            };
            let spot = self.items[at].origin.spot(index_of(at));
            self.items[at].problems.push(issue.at(spot));
        }
    }
}

/// The 1-based item number of the item at `at` (what `{index}` and the review table show).
pub(crate) fn index_of(at: usize) -> u32 {
    u32::try_from(at + 1).unwrap_or(u32::MAX)
}

/// Checks the frames a source names, each distinct path once (a 10 000-row file names a few hundred
/// images). A path that is not a plain local file (a network share, a device) is refused by its text before
/// anything asks the file system about it, as for any frame ([`crate::images::check_frame_path`]).
#[derive(Default)]
pub(crate) struct FrameFiles {
    seen: HashMap<PathBuf, Result<bool, Message>>,
}

impl FrameFiles {
    /// What is wrong with `frame` in `slot`, if anything.
    pub fn problem(&mut self, frame: &FrameRef, slot: FrameSlot) -> Option<BatchIssue> {
        let state = self.seen.entry(frame.path.clone()).or_insert_with(|| {
            match crate::images::check_frame_path(&frame.path) {
                Err(refused) => Err(refused.msg()),
                Ok(()) => Ok(frame.path.is_file()),
            }
        });
        match state {
            Ok(true) => None,
            Ok(false) => Some(BatchIssue::FrameNotFound {
                slot,
                written: frame.written.clone(),
                path: frame.path.clone(),
            }),
            Err(reason) => Some(BatchIssue::FrameRefused {
                slot,
                path: frame.path.clone(),
                reason: reason.clone(),
            }),
        }
    }

    /// Puts the problems of the item's frames on it, and notes a relative path that leaves `folder`.
    /// `at` places a problem of each slot (a CSV's `first` or `last` cell, or the item).
    pub fn check(
        &mut self,
        item: &mut BatchItem,
        at: impl Fn(FrameSlot) -> Spot,
        folder: Option<&Path>,
    ) {
        for (slot, frame) in [
            (FrameSlot::First, &item.first_frame),
            (FrameSlot::Last, &item.last_frame),
        ] {
            let Some(frame) = frame else { continue };
            let at = at(slot);
            let problem = self.problem(frame, slot);
            // A refused path is not read from anywhere, so where it leads is no news.
            let refused = matches!(problem, Some(BatchIssue::FrameRefused { .. }));
            if let Some(issue) = problem {
                item.problems.push(issue.at(at.clone()));
            }
            if let (true, false, Some(folder)) = (frame.outside_folder, refused, folder) {
                let issue = BatchIssue::FrameOutsideFolder {
                    slot,
                    written: frame.written.clone(),
                    path: frame.path.clone(),
                    folder: folder.to_path_buf(),
                };
                item.problems.push(issue.at(at));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn relative_frames_come_from_the_folder_and_leaving_it_is_seen() {
        let folder = Path::new("/data/batch");
        let inside = FrameRef::resolve("shots/./a.png", Some(folder));
        assert_eq!(inside.path, Path::new("/data/batch/shots/a.png"));
        assert!(!inside.outside_folder);
        let up = FrameRef::resolve("../other/b.png", Some(folder));
        assert_eq!(up.path, Path::new("/data/other/b.png"));
        assert_eq!(up.written, "../other/b.png");
        assert!(up.outside_folder);
        let sneaky = FrameRef::resolve("shots/../../batch2/c.png", Some(folder));
        assert!(sneaky.outside_folder, "{:?}", sneaky.path);
        let absolute = FrameRef::resolve("/data/batch/d.png", Some(folder));
        assert!(!absolute.outside_folder);
        assert_eq!(FrameRef::resolve("/x/e.jpeg", None).stem().unwrap(), "e");
    }
}
