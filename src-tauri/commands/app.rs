use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

/// Facts about this installation the UI shows (never the token).
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub api_base: String,
    pub upload_base: String,
    /// A `test-hooks` build started with `SEEDANCE_TEST_HOOKS=1` (end-to-end tests only): the backend's native
    /// dialogs are answered by the test stand-in, and the UI exposes hooks for WebDriver. Never in a user's build.
    pub test_hooks: bool,
}

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> IpcResult<AppInfo> {
    let c = &state.config;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: c.data_dir.display().to_string(),
        api_base: c.api.api_base.to_string(),
        upload_base: c.api.upload_base.to_string(),
        test_hooks: crate::test_hooks::enabled(),
    })
}

/// End-to-end tests only (a `test-hooks` build started with `SEEDANCE_TEST_HOOKS=1`): what the next native
/// file or folder dialog answers, `None` for a cancel. Refused in every other build.
#[tauri::command]
#[specta::specta]
pub fn answer_next_file_dialog(app: tauri::AppHandle, path: Option<String>) -> IpcResult<()> {
    crate::test_hooks::push_dialog_answer(&app, path.map(std::path::PathBuf::from))
}

/// Opens the token help page in the user's browser. The page is fixed (see `navigation::ExternalLink`), so
/// the UI cannot open others.
#[tauri::command]
#[specta::specta]
pub fn open_token_help(app: tauri::AppHandle) -> IpcResult<()> {
    crate::navigation::open_external(&app, crate::navigation::ExternalLink::TokenHelp)
}
