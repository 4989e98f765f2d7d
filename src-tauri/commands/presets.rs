//! The Presets screen's and the Generate form's preset commands. Everything lives in
//! `seedance_core::presets`; these only parse, call it on a worker thread and map the error.

use seedance_core::presets::{
    AppliedPreset, ExportSelection, ExportSummary, ImportSummary, Preset, PresetLibrary,
    PresetParts,
};
use seedance_core::request::RequestDraft;
use tauri::{AppHandle, State};

use crate::commands::blocking;
use crate::dialogs::{choose_json_file, JsonDialog};
use crate::error::IpcResult;
use crate::state::{AppState, Frames};

/// The library over the app's database, with frame copies in `<data dir>/presets`.
fn library(state: &AppState) -> PresetLibrary {
    PresetLibrary::new(state.store.clone(), state.config.presets_dir())
}

#[tauri::command]
#[specta::specta]
pub async fn list_presets(state: State<'_, AppState>) -> IpcResult<Vec<Preset>> {
    let lib = library(&state);
    blocking(move || lib.list()).await
}

/// Saves the current form as a new preset; the prompt and frames only when asked (frames are copied).
#[tauri::command]
#[specta::specta]
pub async fn save_preset(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
    name: String,
    draft: RequestDraft,
    include_prompt: bool,
    include_frames: bool,
) -> IpcResult<Preset> {
    // The form names its frames by handle; the preset copies the files they stand for.
    let draft = frames.0.resolve_draft(&draft)?;
    let lib = library(&state);
    let parts = PresetParts {
        include_prompt,
        include_frames,
    };
    blocking(move || lib.create(&name, &draft, parts)).await
}

/// Replaces a user preset's content with the current form.
#[tauri::command]
#[specta::specta]
pub async fn update_preset(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
    id: String,
    draft: RequestDraft,
    include_prompt: bool,
    include_frames: bool,
) -> IpcResult<Preset> {
    // The form names its frames by handle; the preset copies the files they stand for.
    let draft = frames.0.resolve_draft(&draft)?;
    let lib = library(&state);
    let parts = PresetParts {
        include_prompt,
        include_frames,
    };
    blocking(move || lib.update(&id, &draft, parts)).await
}

#[tauri::command]
#[specta::specta]
pub async fn rename_preset(
    state: State<'_, AppState>,
    id: String,
    name: String,
) -> IpcResult<Preset> {
    let lib = library(&state);
    blocking(move || lib.rename(&id, &name)).await
}

#[tauri::command]
#[specta::specta]
pub async fn duplicate_preset(state: State<'_, AppState>, id: String) -> IpcResult<Preset> {
    let lib = library(&state);
    blocking(move || lib.duplicate(&id)).await
}

/// Deletes a user preset. The UI asks the user to confirm first.
#[tauri::command]
#[specta::specta]
pub async fn delete_preset(state: State<'_, AppState>, id: String) -> IpcResult<()> {
    let lib = library(&state);
    blocking(move || lib.delete(&id)).await
}

/// The preset the form starts with at each launch; `None` clears it.
#[tauri::command]
#[specta::specta]
pub async fn set_default_preset(state: State<'_, AppState>, id: Option<String>) -> IpcResult<()> {
    let lib = library(&state);
    blocking(move || lib.set_default(id.as_deref())).await
}

/// Puts the presets in this order (ids first to last); returns the list as now stored.
#[tauri::command]
#[specta::specta]
pub async fn reorder_presets(
    state: State<'_, AppState>,
    ids: Vec<String>,
) -> IpcResult<Vec<Preset>> {
    let lib = library(&state);
    blocking(move || lib.reorder(&ids)).await
}

/// What to load into the form, and what could not be loaded (e.g. a frame copy that vanished). Its
/// frames come as handles.
#[tauri::command]
#[specta::specta]
pub async fn apply_preset(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
    id: String,
) -> IpcResult<AppliedPreset> {
    let lib = library(&state);
    let applied = blocking(move || lib.apply(&id)).await?;
    Ok(AppliedPreset {
        draft: frames.0.draft_for_webview(&applied.draft),
        ..applied
    })
}

/// Asks where to save (a native dialog the backend opens, so the path never comes from the
/// webview) and writes the presets there. `None` when the user cancelled. Never contains the token.
#[tauri::command]
#[specta::specta]
pub async fn export_presets(
    app: AppHandle,
    state: State<'_, AppState>,
    selection: ExportSelection,
    embed_frames: bool,
) -> IpcResult<Option<ExportSummary>> {
    let Some(path) = choose_json_file(&app, JsonDialog::Save).await? else {
        return Ok(None);
    };
    let lib = library(&state);
    blocking(move || lib.export_to_file(&selection, embed_frames, &path))
        .await
        .map(Some)
}

/// Asks for a preset file (native dialog) and imports every preset in it, or none (a clear error
/// says why). `None` when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn import_presets(
    app: AppHandle,
    state: State<'_, AppState>,
) -> IpcResult<Option<ImportSummary>> {
    let Some(path) = choose_json_file(&app, JsonDialog::Open).await? else {
        return Ok(None);
    };
    let lib = library(&state);
    blocking(move || lib.import_file(&path)).await.map(Some)
}
