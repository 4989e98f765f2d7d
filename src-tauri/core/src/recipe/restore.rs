//! From a dropped video back to the Generate form: its recipe's prompt and settings, and its frames
//! where the very same pictures are still on this machine (see [`super::find_frame`]). A frame that
//! cannot be found is left empty and named, so the user picks it again rather than generating from a
//! different picture without knowing.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{find_frame, read_recipe, RecipeError, RecipeFrame};
use crate::request::{FrameSlot, RequestDraft};
use crate::store::Store;

/// What a dropped video gives back to the form.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct RestoredRecipe {
    /// Frames are local paths here (the shell turns them into handles) or web addresses.
    pub draft: RequestDraft,
    /// Frames the recipe had that are not on this machine any more (by their bytes).
    pub missing_frames: Vec<FrameSlot>,
    pub task_id: Option<String>,
    pub app_version: String,
}

/// Reads the recipe of the video at `path` and finds its frames: at the paths of the job that made it,
/// if `store` still has it, and in `dirs` (the app's frames and presets folders).
pub fn restore(
    path: &Path,
    store: &Store,
    dirs: &[PathBuf],
) -> Result<RestoredRecipe, RecipeError> {
    let recipe = read_recipe(path)?;
    let known = recipe
        .task_id
        .as_deref()
        .map(|task| store.frame_paths_of_task(task).unwrap_or_default())
        .unwrap_or_default();
    let mut missing = Vec::new();
    let mut frame = |slot: FrameSlot, frame: &Option<RecipeFrame>| {
        let frame = frame.as_ref()?;
        if let Some(url) = &frame.url {
            return Some(url.clone());
        }
        let found = frame
            .sha256
            .as_deref()
            .and_then(|sha| find_frame(sha, &known, dirs));
        if found.is_none() {
            missing.push(slot);
        }
        found.map(|p| p.to_string_lossy().into_owned())
    };
    let first_frame = frame(FrameSlot::First, &recipe.first_frame);
    let last_frame = frame(FrameSlot::Last, &recipe.last_frame);
    Ok(RestoredRecipe {
        draft: RequestDraft {
            prompt: recipe.prompt,
            first_frame,
            last_frame,
            settings: recipe.settings,
        },
        missing_frames: missing,
        task_id: recipe.task_id,
        app_version: recipe.app_version,
    })
}
