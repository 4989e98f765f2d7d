//! What a preset is, as the UI and the preset files see it.

use serde::{Deserialize, Serialize};

use super::builtins::BuiltinPreset;
use crate::request::{Problem, RequestDraft, Settings};

/// Longest preset name, in characters: enough for a description, short enough for a menu.
pub const MAX_NAME_CHARS: usize = 80;

/// A saved preset. Frames are file paths inside the app's presets folder (copies, not the originals).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Preset {
    pub id: String,
    /// For a built-in starter the UI shows its translated name by this key; `name` is the English one.
    pub builtin: Option<BuiltinPreset>,
    pub name: String,
    pub settings: Settings,
    /// `None`: a settings-only preset that leaves the prompt box alone when applied.
    pub prompt: Option<String>,
    pub first_frame: Option<String>,
    pub last_frame: Option<String>,
    /// Loaded into the form at each launch.
    pub is_default: bool,
    /// Place in the manager's list, 0 first.
    pub position: u32,
    #[specta(type = f64)]
    pub created_at_ms: i64,
    #[specta(type = f64)]
    pub updated_at_ms: i64,
}

impl Preset {
    pub fn is_builtin(&self) -> bool {
        self.builtin.is_some()
    }

    /// Whether the preset carries frames (so applying it replaces the form's frames).
    pub fn has_frames(&self) -> bool {
        self.first_frame.is_some() || self.last_frame.is_some()
    }
}

/// Which parts of the current form a saved or updated preset keeps besides the settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PresetParts {
    pub include_prompt: bool,
    pub include_frames: bool,
}

/// What applying a preset loads into the form.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct AppliedPreset {
    pub preset_id: String,
    /// Settings always; the prompt and frames only as far as the flags below say.
    pub draft: RequestDraft,
    /// False: keep the prompt the user has typed (`draft.prompt` is empty).
    pub replaces_prompt: bool,
    /// False: keep the frames the user has chosen. True: load `draft`'s frames, clearing a slot that is
    /// `None` (a frame the preset lost is left out and reported in `problems`).
    pub replaces_frames: bool,
    /// Why the preset could not be applied completely, e.g. a frame file that no longer exists.
    pub problems: Vec<Problem>,
}

/// Which presets an export holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", content = "ids", rename_all = "snake_case")]
pub enum ExportSelection {
    /// Every preset the user made. Built-in starters are left out: every copy of the app has them.
    AllUserPresets,
    /// These presets, in the manager's order (built-ins included if chosen).
    Ids(Vec<String>),
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct ExportSummary {
    pub presets: u32,
    pub frames: u32,
    /// Names of presets exported without a frame because its copy was missing from the presets folder.
    pub missing_frames: Vec<String>,
}

/// What an import added (all of the file, or nothing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct ImportSummary {
    pub imported: u32,
    pub names: Vec<String>,
    pub frames: u32,
}
