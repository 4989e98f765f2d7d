use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// Facts about this installation the UI shows (never the token).
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub api_base: String,
    pub upload_base: String,
    /// `SEEDANCE_TEST_HOOKS=1`: the UI exposes a way for end-to-end tests to stand in for the native file
    /// picker (which WebDriver cannot operate). It grants nothing the UI could not already ask the backend.
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
        test_hooks: test_hooks_enabled(),
    })
}

/// `SEEDANCE_TEST_HOOKS=1` in the environment the app started with.
pub fn test_hooks_enabled() -> bool {
    std::env::var("SEEDANCE_TEST_HOOKS").is_ok_and(|v| v == "1")
}

/// End-to-end tests only (the app started with `SEEDANCE_TEST_HOOKS=1`): what the next native file
/// dialog answers, `None` for a cancel. Refused in normal use.
#[tauri::command]
#[specta::specta]
pub fn answer_next_file_dialog(app: tauri::AppHandle, path: Option<String>) -> IpcResult<()> {
    use tauri::Manager;
    let Some(stand_in) = app.try_state::<crate::dialogs::DialogStandIn>() else {
        return Err(IpcError {
            kind: "test_hooks_off".into(),
            message: "This is only available to automated tests.".into(),
            message_zh: "此功能仅供自动化测试使用。".into(),
            details: None,
            cause: None,
        });
    };
    stand_in.push(path.map(std::path::PathBuf::from));
    Ok(())
}

/// Where SinanCode explains how to get an API token; the only web page the app opens.
pub const TOKEN_HELP_URL: &str = "https://docs.sinancode.com";

/// Opens the token help page in the user's browser. The URL is fixed here, so the UI cannot open others.
#[tauri::command]
#[specta::specta]
pub fn open_token_help(app: tauri::AppHandle) -> IpcResult<()> {
    use tauri_plugin_opener::OpenerExt;
    app.opener()
        .open_url(TOKEN_HELP_URL, None::<&str>)
        .map_err(|e| IpcError {
            kind: "open_failed".into(),
            message: format!("The browser could not be opened. Visit {TOKEN_HELP_URL} yourself."),
            message_zh: format!("无法打开浏览器。请自行访问 {TOKEN_HELP_URL}。"),
            details: None,
            cause: Some(e.to_string()),
        })
}
