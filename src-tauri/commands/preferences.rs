//! The Settings screen's preferences commands. Every change goes through the session's one preferences
//! handle (see `seedance_core::session::Services::save_preferences`); these parse, call it and shape the
//! answer.

use seedance_core::i18n::{Message, UserFacing};
use seedance_core::prefs::{resolve_output_dir, Preferences};
use tauri::State;

use crate::error::IpcResult;
use crate::state::{AppState, Frames};

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct PrefsView {
    pub prefs: Preferences,
    /// The folder videos are saved to, with the default resolved.
    pub output_dir: String,
    /// Shown once: the settings file was damaged and replaced by defaults (the old one was kept).
    pub warning: Option<Message>,
}

fn view(state: &AppState, prefs: Preferences, warning: Option<Message>) -> PrefsView {
    PrefsView {
        output_dir: resolve_output_dir(&prefs, &state.config.data_dir)
            .display()
            .to_string(),
        prefs,
        warning,
    }
}

#[tauri::command]
#[specta::specta]
pub async fn get_preferences(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
) -> IpcResult<PrefsView> {
    let mut prefs = state.prefs();
    // The remembered form's frames cross as handles, like every frame the webview sees.
    prefs.last_request = prefs
        .last_request
        .map(|draft| frames.0.draft_for_webview(&draft));
    let warning = state
        .prefs_warning
        .lock()
        .map(|mut w| w.take())
        .ok()
        .flatten()
        .map(|w| w.msg());
    Ok(view(&state, prefs, warning))
}

/// Validates and saves the preferences; on any problem nothing is saved and every problem is returned.
/// A new API address the token is not bound to is saved only after the user agrees, in a native dialog,
/// to send the token there. The output folder can only be kept or reset to the default here:
/// `choose_output_folder` changes it.
#[tauri::command]
#[specta::specta]
pub async fn save_preferences(
    state: State<'_, AppState>,
    prefs: Preferences,
) -> IpcResult<PrefsView> {
    let saved = state.services.save_preferences(prefs).await?;
    // Runs waiting for their service (e.g. for an address the user just confirmed) try again now.
    state.runner.service_changed();
    Ok(view(&state, saved, None))
}

/// Opens the native folder picker (the backend's own, so the folder is the user's choice, never a path the
/// webview named) and saves the picked folder as where videos go. `None` when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_output_folder(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> IpcResult<Option<PrefsView>> {
    let start = resolve_output_dir(&state.prefs(), &state.config.data_dir);
    let Some(chosen) = crate::dialogs::choose_folder(&app, &start).await? else {
        return Ok(None);
    };
    let saved = state.services.choose_output_dir(chosen).await?;
    state.runner.service_changed();
    Ok(Some(view(&state, saved, None)))
}
