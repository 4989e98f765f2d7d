//! The recipe of a generated video, written into the MP4 itself so the file explains itself wherever it
//! goes: the prompt, every setting, the mode, the task id, SHA-256 hashes of the frames as they were
//! uploaded, the app version and when the job was made. Dropping such a file onto Generate fills the form
//! from it again ([`restore`]). Never the token: a recipe is built from the job's stored record only
//! ([`Recipe::from_job`]), which holds none.
//!
//! # Where in the file, and why
//!
//! An iTunes-style `moov/udta/meta/ilst` list (see [`crate::film`]), the one metadata place that
//! ffprobe, exiftool, tag editors and players all read and that survives a copy or a re-mux that keeps
//! metadata:
//! - a free-form `----` item, mean `org.seedance-studio`, name `recipe`, holding JSON: free-form items
//!   take any name without clashing with a standard one, and JSON carries its own format number so a
//!   newer app can add fields and an older one can say it cannot read them;
//! - a `©cmt` comment with one human line (app, settings, prompt), which ffprobe prints as `comment` and
//!   players show in their file information.
//!
//! The recipe of the same job is the same bytes every time (its times come from the job record), so a
//! run that was killed after putting its video in place is recognised by the next one, which downloads
//! and tags the same file again.

mod error;
mod frames;
mod restore;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::film::TextItem;
use crate::request::DraftSettings;
use crate::store::JobRecord;

pub use error::RecipeError;
pub use frames::{find_frame, sha256_of_file};
pub use restore::{restore, RestoredRecipe};

/// The recipe format this build writes and reads. A file with a larger number was made by a newer app.
pub const RECIPE_FORMAT: u32 = 1;
/// The free-form item's `mean` (reverse DNS of the app) and `name`.
pub const RECIPE_MEAN: &str = "org.seedance-studio";
pub const RECIPE_NAME: &str = "recipe";
/// A recipe is a few KiB; a larger item is not one this app wrote.
const MAX_RECIPE_BYTES: usize = 1024 * 1024;

/// What went into a generated video. Field names are the file format: renaming one is a new format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Recipe {
    pub format: u32,
    pub app: String,
    pub app_version: String,
    /// When the job was made (RFC 3339, UTC).
    pub created_at: String,
    pub task_id: Option<String>,
    /// `text_to_video`, `first_frame` or `first_last_frame`.
    pub mode: Option<String>,
    pub prompt: String,
    pub settings: DraftSettings,
    pub first_frame: Option<RecipeFrame>,
    pub last_frame: Option<RecipeFrame>,
    /// Made by the simulated service (demo mode), not the real one.
    pub demo: bool,
}

/// One frame of a recipe: its file name (never the folder: it would name the user's home), the SHA-256
/// of its bytes as uploaded, and its address when the user gave a web address rather than a file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RecipeFrame {
    pub file_name: Option<String>,
    pub sha256: Option<String>,
    pub url: Option<String>,
}

impl Recipe {
    /// The recipe of a finished job; `hashes` are the SHA-256 of its first and last frame as uploaded,
    /// where known.
    pub fn from_job(job: &JobRecord, hashes: [Option<String>; 2]) -> Self {
        let [first_hash, last_hash] = hashes;
        let frame = |given: &Option<String>, hash: Option<String>| {
            let given = given.as_deref().map(str::trim).filter(|f| !f.is_empty())?;
            let web = given.starts_with("https://") || given.starts_with("http://");
            Some(RecipeFrame {
                file_name: (!web)
                    .then(|| Path::new(given).file_name())
                    .flatten()
                    .map(|n| n.to_string_lossy().into_owned()),
                sha256: hash,
                url: web.then(|| given.to_owned()),
            })
        };
        Self {
            format: RECIPE_FORMAT,
            app: "Seedance Studio".to_owned(),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            created_at: rfc3339(job.created_at),
            task_id: job.task_id.as_ref().map(|t| t.0.clone()),
            mode: job.mode.clone(),
            prompt: job.request.prompt.clone(),
            settings: job.request.settings.clone(),
            first_frame: frame(&job.request.first_frame, first_hash),
            last_frame: frame(&job.request.last_frame, last_hash),
            demo: job.demo,
        }
    }

    /// One line for people: what made the video, how, and from which prompt.
    pub fn summary(&self) -> String {
        let s = &self.settings;
        let duration = if s.duration < 0 {
            "auto".to_owned()
        } else {
            format!("{} s", s.duration)
        };
        format!(
            "{} {} · {} {} {} · {}",
            self.app, self.app_version, s.resolution, s.ratio, duration, self.prompt
        )
    }

    fn items(&self) -> Result<Vec<TextItem>, RecipeError> {
        let json = serde_json::to_string(self).map_err(|e| RecipeError::Write {
            path: Default::default(),
            detail: e.to_string(),
        })?;
        Ok(vec![
            TextItem::FreeForm {
                mean: RECIPE_MEAN.to_owned(),
                name: RECIPE_NAME.to_owned(),
                value: json,
            },
            TextItem::Standard {
                kind: *b"\xa9cmt",
                value: self.summary(),
            },
        ])
    }
}

fn rfc3339(unix_ms: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Copies the MP4 at `source` to `output` (atomically; it may be `source` itself) with `recipe` in its
/// metadata. The media data is copied, never held in memory.
pub fn write_recipe(source: &Path, output: &Path, recipe: &Recipe) -> Result<(), RecipeError> {
    let items = recipe.items()?;
    crate::film::write_items(source, output, &items).map_err(|e| match e {
        crate::film::TagError::Read(e) => RecipeError::from_read(source, e),
        crate::film::TagError::Write(e) => RecipeError::Write {
            path: output.to_path_buf(),
            detail: e.to_string(),
        },
    })
}

/// The recipe in the MP4 at `path`.
pub fn read_recipe(path: &Path) -> Result<Recipe, RecipeError> {
    let json = crate::film::read_free_form(path, RECIPE_MEAN, RECIPE_NAME)
        .map_err(|e| RecipeError::from_read(path, e))?
        .ok_or_else(|| RecipeError::NoRecipe {
            path: path.to_path_buf(),
        })?;
    parse(path, &json)
}

fn parse(path: &Path, json: &str) -> Result<Recipe, RecipeError> {
    let damaged = |detail: String| RecipeError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    if json.len() > MAX_RECIPE_BYTES {
        return Err(damaged(format!("a {}-byte recipe", json.len())));
    }
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| damaged(e.to_string()))?;
    let format = value.get("format").and_then(serde_json::Value::as_u64);
    match format {
        Some(n) if n > u64::from(RECIPE_FORMAT) => Err(RecipeError::Newer {
            path: path.to_path_buf(),
            version: value
                .get("app_version")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("?")
                .chars()
                .take(40)
                .collect(),
        }),
        Some(_) => serde_json::from_value(value).map_err(|e| damaged(e.to_string())),
        None => Err(damaged("no format number".to_owned())),
    }
}

#[cfg(test)]
mod tests;
