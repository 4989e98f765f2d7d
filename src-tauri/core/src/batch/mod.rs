//! Batches: many jobs from one source, reviewed and priced before anything is paid for. This module reads
//! the sources, plans the jobs and checks their frames; running them goes through the job queue like any
//! other job.
//!
//! # Sources
//!
//! Each source gives a [`BatchSource`]: items in order, each with where it came from ([`Origin`]) and its
//! own problems, plus the problems that belong to no item (a broken line, an unpaired image, a notice).
//! A source that cannot be read at all is a [`BatchIssue`] error.
//!
//! - [`from_paths`]: images picked or dropped at once; each is the first frame of an item, in the order
//!   given.
//! - [`from_folder`]: the images directly in a folder (JPEG, PNG, WebP, BMP, TIFF, GIF; HEIC and AVIF are
//!   taken so that the frame check can say to convert them), paired by a [`PairRule`]: `{name}_first.*` with
//!   `{name}_last.*` (both endings editable), or 1st + 2nd, 3rd + 4th… in file-name order, or each image
//!   alone. Each image the rule cannot place is reported by file name; other entries are counted.
//! - [`from_file`]: a CSV or JSONL file, as below.
//! - [`from_form`]: the Generate form, N takes.
//!
//! # Batch files (CSV and JSONL)
//!
//! One row per video. `docs/batch-files.md` is the same description for users, with examples.
//!
//! | column | holds | when empty |
//! |---|---|---|
//! | `first` (or `first_frame`) | path of the first frame | text-to-video |
//! | `last` (or `last_frame`) | path of the last frame (needs `first`) | no last frame |
//! | `prompt` | the prompt, a template (below) | the batch's prompt |
//! | `resolution` | `480p`, `720p`, `1080p` | the preset's, else the batch's |
//! | `ratio` | `adaptive`, `16:9`, `4:3`, `1:1`, `3:4`, `9:16`, `21:9` | 〃 |
//! | `duration` | seconds, 4 to 12, or `auto` (or `-1`) | 〃 |
//! | `generate_audio`, `camera_fixed`, `draft`, `watermark` | `true`/`false` (`yes`/`no`, `1`/`0`, `on`/`off`, `是`/`否`) | 〃 |
//! | `takes` | how many videos of this row, 1 to [`MAX_TAKES`] | the batch's |
//! | `preset` | a preset's name (any case; a starter also by its Chinese name) | none |
//! | `output` | the output file name, a template (every take is saved under it) | the file-name pattern, which may name the batch and the place: `{batch}`, `{item}`, `{take}` |
//!
//! The setting columns are the preset file's names for the settings ([`crate::request::DraftSettings`]);
//! values are checked by the same rules and messages as the Generate form. Column names are compared
//! without regard to case or surrounding spaces. Any other column is a value for templates (`{color}`);
//! a column that is neither known nor used by any template stops the batch (most likely a misspelt
//! setting), naming the column and the nearest known name. `name` and `index` cannot be columns.
//!
//! - **Paths** are taken from the file's folder when relative; `..` is allowed and the review shows where
//!   it leads. Absolute paths are used as they are. A missing file is a problem of its row.
//! - **CSV**: the first line names the columns. The separator is `,`, `;` or a tab, whichever the header
//!   line uses most (Excel's `sep=;` first line is honoured). Cells in double quotes may hold separators and
//!   line breaks; a quote inside one is written twice. A broken line is reported with its line and
//!   character and left out; other lines still count.
//! - **JSONL**: one JSON object per line, keys as the columns above; values are text, numbers, `true` or
//!   `false`, or `null` (empty).
//! - **Encoding**: UTF-8 (with or without a byte order mark), UTF-16 with its mark (Excel's "Unicode
//!   text"), or GB18030 (Chinese Excel's plain "CSV"), which is said in a notice. Anything else is refused
//!   with how to save as "CSV UTF-8" (the `text` module says why).
//!
//! # Templates
//!
//! Prompts and output names may use `{name}` (the first frame's file stem, or a folder pair's shared
//! name), `{index}` (the item's number, from 1) and `{column}` (that cell of the item's row). `{{` and `}}`
//! are literal braces. A placeholder nothing stands for is a problem of its item.
//!
//! # Plan
//!
//! [`plan`] turns items × takes into [`PlannedJob`]s: settings from the batch, then the row's preset, then
//! the row's cells; each request checked by the Generate form's own check and priced by its estimate; items
//! with a blocking problem listed and left out of the jobs and the [`BatchTotal`].
//!
//! # Frame check
//!
//! [`check_frames`] runs the strict frame check of many files on every core, a bounded number at a time,
//! each distinct file once, handing results over as they finish (the review screen's thumbnails and
//! problems, and the check before a batch starts).
//!
//! # Review
//!
//! [`leave_out_frames`] applies the check's verdicts to a plan: items with a frame the service would refuse
//! are left out with the reasons and fixes, and the total counts the rest (the app's review and
//! `seedance batch` alike).

mod check;
mod csv;
mod file;
mod folder;
mod item;
mod plan;
mod problem;
mod results;
mod review;
mod table;
mod template;
mod text;

pub use check::{
    check_frames, check_queue, default_in_flight, intake_work, CheckOptions, CheckWork, FrameCheck,
};
pub use file::from_file;
pub use folder::{from_folder, from_paths, PairRule};
pub use item::{BatchItem, BatchSource, FrameRef, Origin, SettingValue, SourceColumn, MAX_TAKES};
pub use plan::{plan, BatchPlan, BatchTotal, PlanInput, PlannedItem, PlannedJob};
pub use problem::{BatchIssue, BatchProblem, Spot, TemplatePart, Unmatched};
pub use results::{
    export_results, result_rows, to_csv, to_json, ResultRow, ResultsError, ResultsExported,
    ResultsFormat,
};
pub use review::{leave_out_frames, FrameVerdict, LeftOut};
pub use table::known_columns;
pub use text::MAX_BATCH_FILE_BYTES;

use crate::request::{FrameSlot, RequestDraft};

/// The Generate form as one item of `takes` takes. Its prompt (as typed) and settings are its own, so the
/// batch's defaults do not change it.
pub fn from_form(form: &RequestDraft, takes: u32) -> BatchSource {
    let mut item = BatchItem::new(Origin::Form);
    let spot = Spot::item(1);
    let frame = |f: &Option<String>| {
        f.as_deref()
            .filter(|f| !f.trim().is_empty())
            .map(|f| FrameRef::resolve(f, None))
    };
    item.first_frame = frame(&form.first_frame);
    item.last_frame = frame(&form.last_frame);
    item.name = item
        .first_frame
        .as_ref()
        .or(item.last_frame.as_ref())
        .and_then(FrameRef::stem);
    // The form's prompt is sent as typed: its braces are literal, not placeholders.
    item.prompt = Some(form.prompt.replace('{', "{{").replace('}', "}}"));
    item.settings = table::settings_of(&form.settings);
    match table::parse_takes(&takes.to_string()) {
        Ok(takes) => item.takes = Some(takes),
        Err(issue) => item.problems.push(issue.at(spot.clone())),
    }
    item::FrameFiles::default().check(&mut item, |_: FrameSlot| spot.clone(), None);
    BatchSource {
        items: vec![item],
        problems: Vec::new(),
        columns: Vec::new(),
        folder: None,
    }
}
