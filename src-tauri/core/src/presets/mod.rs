//! Saved presets: a name and the generation settings, optionally a prompt and frames. Frames are copied
//! into the app's presets folder, so a preset keeps working after the originals move. Built-in starters
//! can be applied and duplicated, never renamed, changed or deleted. Presets travel as JSON files
//! (see [`file_format`]); an import is all or nothing.
//!
//! Every method is synchronous and short apart from import/export (file and image work): the shell calls
//! them on a blocking thread. The database lock is never held while frame files are written.

mod builtins;
mod error;
mod file_format;
mod frames;
mod model;
mod storage;
mod transfer;
mod validate;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::TransactionBehavior;

use crate::i18n::UserFacing;
use crate::request::{Field, FrameSlot, Problem, RequestDraft};
use crate::store::Store;

pub use builtins::BuiltinPreset;
pub use error::{BuiltinAction, PresetError};
pub use file_format::{FILE_FORMAT, FILE_VERSION};
pub use model::{
    AppliedPreset, ExportSelection, ExportSummary, ImportSummary, Preset, PresetParts,
    MAX_NAME_CHARS,
};
pub use transfer::{MAX_IMPORT_FILE_BYTES, MAX_IMPORT_FRAMES, MAX_IMPORT_FRAME_BYTES};

/// How many "(copy N)" names a duplicate tries before giving up; far more than anyone makes by hand.
const MAX_COPY_SUFFIX: u32 = 1000;

/// The presets of one database, with their frame copies in `frames_dir`.
#[derive(Clone, Debug)]
pub struct PresetLibrary {
    store: Arc<Store>,
    frames_dir: PathBuf,
}

impl PresetLibrary {
    /// `frames_dir` is the app's presets folder (`<data dir>/presets`), created when first needed.
    pub fn new(store: Arc<Store>, frames_dir: PathBuf) -> Self {
        Self { store, frames_dir }
    }

    pub fn frames_dir(&self) -> &Path {
        &self.frames_dir
    }

    /// Runs `f` in one write transaction, with the built-in starters present.
    fn write<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>, i64) -> Result<T, PresetError>,
    ) -> Result<T, PresetError> {
        let now = self.store.now_ms();
        let mut conn = self.store.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        storage::ensure_builtins(&tx, now)?;
        let value = f(&tx, now)?;
        tx.commit()?;
        Ok(value)
    }

    /// Every preset in the manager's order.
    pub fn list(&self) -> Result<Vec<Preset>, PresetError> {
        self.write(|tx, _| storage::list(tx, &self.frames_dir))
    }

    pub fn get(&self, id: &str) -> Result<Preset, PresetError> {
        self.write(|tx, _| storage::get(tx, &self.frames_dir, id))
    }

    /// The preset the form starts with at each launch, if the user chose one.
    pub fn default_preset(&self) -> Result<Option<Preset>, PresetError> {
        Ok(self.list()?.into_iter().find(|p| p.is_default))
    }

    /// Saves the current form as a new preset named `name`.
    pub fn create(
        &self,
        name: &str,
        form: &RequestDraft,
        parts: PresetParts,
    ) -> Result<Preset, PresetError> {
        let name = validate::checked_name(name)?;
        let id = crate::store::new_id();
        let mut created = Vec::new();
        let result = self.save_content(form, parts, &mut created, |tx, row| {
            if storage::name_taken(tx, &name, None)? {
                return Err(PresetError::NameTaken { name: name.clone() });
            }
            storage::insert(
                tx,
                &storage::NewRow {
                    id: &id,
                    name: &name,
                    ..row
                },
            )
        });
        self.finish(result, &created)?;
        self.get(&id)
    }

    /// Replaces a preset's settings (and prompt and frames, as `parts` says) with the current form.
    pub fn update(
        &self,
        id: &str,
        form: &RequestDraft,
        parts: PresetParts,
    ) -> Result<Preset, PresetError> {
        let mut created = Vec::new();
        let mut replaced = Vec::new();
        let result = self.save_content(form, parts, &mut created, |tx, row| {
            let current = storage::get(tx, &self.frames_dir, id)?;
            if current.is_builtin() {
                return Err(PresetError::BuiltinReadOnly {
                    action: BuiltinAction::Update,
                });
            }
            let (first, last) = storage::frame_files(tx, id)?;
            replaced.extend(first.into_iter().chain(last));
            storage::update_content(tx, id, &row)
        });
        self.finish(result, &created)?;
        self.forget_frames(&replaced);
        self.get(id)
    }

    /// Checks the form, copies its frames into the presets folder (outside the lock) and runs `save` with
    /// the row to write. `created` collects the frame files this call added, for [`Self::finish`].
    fn save_content(
        &self,
        form: &RequestDraft,
        parts: PresetParts,
        created: &mut Vec<String>,
        save: impl FnOnce(&rusqlite::Transaction<'_>, storage::NewRow<'_>) -> Result<(), PresetError>,
    ) -> Result<(), PresetError> {
        let (first, last) = if parts.include_frames {
            (
                validate::present(&form.first_frame),
                validate::present(&form.last_frame),
            )
        } else {
            (None, None)
        };
        let prompt = parts.include_prompt.then_some(form.prompt.as_str());
        let content =
            validate::check_content(&form.settings, prompt, first.is_some(), last.is_some())
                .map_err(|errors| PresetError::Invalid { errors })?;
        let mut copy = |source: Option<&str>, slot| -> Result<Option<String>, PresetError> {
            let Some(source) = source else {
                return Ok(None);
            };
            let bytes = frames::read_source(Path::new(source), slot)?;
            let (file, new) = frames::store(&self.frames_dir, &bytes)?;
            if new {
                created.push(file.clone());
            }
            Ok(Some(file))
        };
        let first = copy(first, FrameSlot::First)?;
        let last = copy(last, FrameSlot::Last)?;
        self.write(|tx, now| {
            save(
                tx,
                storage::NewRow {
                    id: "",
                    builtin: None,
                    name: "",
                    settings: &content.settings,
                    prompt: content.prompt.as_deref(),
                    first_frame: first.as_deref(),
                    last_frame: last.as_deref(),
                    now_ms: now,
                },
            )
        })
    }

    /// After a failed save, takes back the frame files it added; nothing else was written.
    fn finish(
        &self,
        result: Result<(), PresetError>,
        created: &[String],
    ) -> Result<(), PresetError> {
        if result.is_err() {
            frames::remove_created(&self.frames_dir, created);
        }
        result
    }

    /// Removes frame files that no preset refers to any more.
    fn forget_frames(&self, files: &[String]) {
        if files.is_empty() {
            return;
        }
        let conn = self.store.conn();
        frames::remove_unreferenced(&conn, &self.frames_dir, files);
    }

    pub fn rename(&self, id: &str, name: &str) -> Result<Preset, PresetError> {
        let name = validate::checked_name(name)?;
        self.write(|tx, now| {
            let current = storage::get(tx, &self.frames_dir, id)?;
            if current.is_builtin() {
                return Err(PresetError::BuiltinReadOnly {
                    action: BuiltinAction::Rename,
                });
            }
            if storage::name_taken(tx, &name, Some(id))? {
                return Err(PresetError::NameTaken { name: name.clone() });
            }
            storage::rename(tx, id, &name, now)?;
            storage::get(tx, &self.frames_dir, id)
        })
    }

    /// A user preset with the same content, named "Name (copy)" (or "(copy 2)", … when taken), placed last.
    pub fn duplicate(&self, id: &str) -> Result<Preset, PresetError> {
        let new_id = crate::store::new_id();
        self.write(|tx, now| {
            let source = storage::get(tx, &self.frames_dir, id)?;
            let name = copy_name(tx, &source.name)?;
            let (first, last) = storage::frame_files(tx, id)?;
            storage::insert(
                tx,
                &storage::NewRow {
                    id: &new_id,
                    builtin: None,
                    name: &name,
                    settings: &source.settings,
                    prompt: source.prompt.as_deref(),
                    first_frame: first.as_deref(),
                    last_frame: last.as_deref(),
                    now_ms: now,
                },
            )?;
            storage::get(tx, &self.frames_dir, &new_id)
        })
    }

    /// Deletes a user preset (the UI asks first) and any frame copy only it used.
    pub fn delete(&self, id: &str) -> Result<(), PresetError> {
        let files = self.write(|tx, _| {
            let current = storage::get(tx, &self.frames_dir, id)?;
            if current.is_builtin() {
                return Err(PresetError::BuiltinReadOnly {
                    action: BuiltinAction::Delete,
                });
            }
            let (first, last) = storage::frame_files(tx, id)?;
            storage::delete(tx, id)?;
            Ok(first.into_iter().chain(last).collect::<Vec<_>>())
        })?;
        self.forget_frames(&files);
        Ok(())
    }

    /// Makes `id` the preset the form starts with at each launch (`None`: no default). There is at most one.
    pub fn set_default(&self, id: Option<&str>) -> Result<(), PresetError> {
        self.write(|tx, _| {
            if let Some(id) = id {
                storage::get(tx, &self.frames_dir, id)?;
            }
            storage::set_default(tx, id)
        })
    }

    /// Puts the presets in this order; presets not named keep their order after the named ones.
    pub fn reorder(&self, ids: &[String]) -> Result<Vec<Preset>, PresetError> {
        self.write(|tx, _| {
            let current = storage::list(tx, &self.frames_dir)?;
            if let Some(unknown) = ids.iter().find(|id| !current.iter().any(|p| &p.id == *id)) {
                return Err(PresetError::NotFound {
                    id: unknown.clone(),
                });
            }
            let mut order: Vec<String> = Vec::with_capacity(current.len());
            for id in ids.iter().chain(current.iter().map(|p| &p.id)) {
                if !order.contains(id) {
                    order.push(id.clone());
                }
            }
            storage::set_positions(tx, &order)?;
            storage::list(tx, &self.frames_dir)
        })
    }

    /// What to load into the form. A frame whose copy vanished or broke is left out and reported.
    pub fn apply(&self, id: &str) -> Result<AppliedPreset, PresetError> {
        let preset = self.get(id)?;
        let mut problems = Vec::new();
        let mut check = |frame: &Option<String>, slot: FrameSlot| -> Option<String> {
            let path = frame.as_ref()?;
            let problem = match frames::read_stored(Path::new(path)) {
                frames::StoredFrame::Readable(_) => return Some(path.clone()),
                frames::StoredFrame::Missing => PresetError::FrameMissing { slot },
                frames::StoredFrame::Damaged => PresetError::FrameDamaged { slot },
            };
            problems.push(Problem {
                kind: problem.kind().to_owned(),
                field: match slot {
                    FrameSlot::First => Field::FirstFrame,
                    FrameSlot::Last => Field::LastFrame,
                },
                msg: problem.msg(),
            });
            None
        };
        let first = check(&preset.first_frame, FrameSlot::First);
        let last = check(&preset.last_frame, FrameSlot::Last);
        Ok(AppliedPreset {
            preset_id: preset.id.clone(),
            draft: RequestDraft::from_settings(
                preset.prompt.clone().unwrap_or_default(),
                first,
                last,
                &preset.settings,
            ),
            replaces_prompt: preset.prompt.is_some(),
            replaces_frames: preset.has_frames(),
            problems,
        })
    }
}

/// The preset a name picks, as a batch file names it: compared as the manager keeps names unique (trimmed,
/// in any case); a built-in starter also answers to its name in each shipped language.
pub fn find_by_name<'a>(presets: &'a [Preset], name: &str) -> Option<&'a Preset> {
    let key = storage::name_key(name);
    presets.iter().find(|p| {
        storage::name_key(&p.name) == key
            || p.builtin.is_some_and(|b| {
                crate::i18n::Language::all()
                    .any(|l| storage::name_key(&crate::i18n::render(&b.name(), l)) == key)
            })
    })
}

/// "Name (copy)", then "Name (copy 2)", … — the first free one, cut to fit the name limit.
fn copy_name(conn: &rusqlite::Connection, name: &str) -> Result<String, PresetError> {
    for n in 1..=MAX_COPY_SUFFIX {
        let suffix = if n == 1 {
            " (copy)".to_owned()
        } else {
            format!(" (copy {n})")
        };
        let room = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
        let base: String = name.chars().take(room).collect();
        let candidate = format!("{}{suffix}", base.trim_end());
        if !storage::name_taken(conn, &candidate, None)? {
            return Ok(candidate);
        }
    }
    Err(PresetError::NameTaken {
        name: format!("{name} (copy)"),
    })
}
