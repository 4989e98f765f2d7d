use tauri::{Manager, State};

use crate::error::{IpcResult, ShellError};
use crate::state::AppState;

/// Facts about this installation the UI shows (never the token).
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    /// The commit this build comes from ("unknown" for a build from a source archive).
    pub commit: String,
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
        commit: env!("SEEDANCE_COMMIT").to_owned(),
        data_dir: c.data_dir.display().to_string(),
        api_base: c.api.api_base.to_string(),
        upload_base: c.api.upload_base.to_string(),
        test_hooks: crate::test_hooks::enabled(),
    })
}

/// The text "Copy diagnostics" puts on the clipboard (see [`crate::diagnostics`]): never the token.
#[tauri::command]
#[specta::specta]
pub async fn diagnostics(app: tauri::AppHandle, state: State<'_, AppState>) -> IpcResult<String> {
    use crate::diagnostics::{keychain_backend, os_description, report, tilde, Facts};
    use seedance_core::i18n::UserFacing;
    use seedance_core::secrets::TokenSource;
    let status = state.services.status().await;
    let token = match (&status.token.source, &status.token.keychain_error) {
        (Some(TokenSource::Environment), _) => "set (SEEDANCE_API_TOKEN)".to_owned(),
        (Some(TokenSource::Keychain), _) => "set (keychain)".to_owned(),
        (None, Some(e)) => format!("not readable ({})", e.kind()),
        (None, None) => "not set".to_owned(),
    };
    let home = app.path().home_dir().ok();
    let log_dir = app
        .path()
        .app_log_dir()
        .map_or_else(|_| "unknown".to_owned(), |d| tilde(&d, home.as_deref()));
    let history = match (
        &state.store_problem,
        state.store.count_jobs(&Default::default()),
    ) {
        (Some(problem), _) => format!("not saved ({})", problem.kind()),
        (None, Ok(n)) => format!("{n} jobs"),
        (None, Err(e)) => format!("unreadable ({})", e.kind()),
    };
    let c = &state.config;
    Ok(report(&Facts {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        commit: env!("SEEDANCE_COMMIT").to_owned(),
        os: os_description(),
        arch: std::env::consts::ARCH.to_owned(),
        webview: tauri::webview_version().unwrap_or_else(|_| "unknown".to_owned()),
        keychain: keychain_backend(),
        token,
        demo: status.demo,
        language: state.prefs().language.tag().to_owned(),
        api_base: c.api.api_base.to_string(),
        upload_base: c.api.upload_base.to_string(),
        data_dir: tilde(&c.data_dir, home.as_deref()),
        log_dir,
        history,
    }))
}

/// Opens the app's log folder in the OS's file manager (made first if nothing was logged yet).
#[tauri::command]
#[specta::specta]
pub fn open_log_folder(app: tauri::AppHandle) -> IpcResult<()> {
    use tauri_plugin_opener::OpenerExt;
    let dir = app
        .path()
        .app_log_dir()
        .map_err(|e| ShellError::Internal(e.to_string()))?;
    let failed = |cause: String| ShellError::OpenFolderFailed {
        path: dir.clone(),
        cause,
    };
    std::fs::create_dir_all(&dir).map_err(|e| failed(e.to_string()))?;
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|e| failed(e.to_string()).into())
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
