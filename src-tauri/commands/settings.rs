//! Settings, the API token and demo mode.

use seedance_core::i18n::{Msg, UserFacing};
use seedance_core::prefs::{
    check_output_dir_kept, resolve_output_dir, with_chosen_output_dir, Preferences,
};
use seedance_core::secrets::{ApiToken, TokenSource};
use seedance_core::session::live_api_config;
use seedance_core::token_check::{check_token, TokenCheck};
use seedance_sim::{Sim, SimConfig};
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// What the UI may know about the token: never its text, only whether one is set and its last 4 characters.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct TokenStatus {
    pub set: bool,
    pub last4: Option<String>,
    pub source: Option<TokenSource>,
    /// `SEEDANCE_API_TOKEN` is set: it is used instead of the keychain and never stored.
    pub from_environment: bool,
    /// Hosts besides SinanCode's own (and this computer) the token may go to: confirmed by the user, or named
    /// by the same launch environment as the token.
    pub bound_hosts: Vec<String>,
    /// The keychain could not be read (unavailable, locked, access denied): what happened and how to fix it.
    pub keychain_error: Option<IpcError>,
}

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct Session {
    pub demo: bool,
    pub token: TokenStatus,
    /// No token and not in demo mode: the app opens on the welcome screen.
    pub needs_setup: bool,
    /// The job database could not be opened: history is not being saved (what happened, what to do).
    pub store_problem: Option<IpcError>,
}

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct PrefsView {
    pub prefs: Preferences,
    /// The folder videos are saved to, with the default resolved.
    pub output_dir: String,
    /// Shown once: the settings file was damaged and replaced by defaults (the old one was kept).
    pub warning: Option<Msg>,
}

async fn token_status(state: &AppState) -> TokenStatus {
    let from_environment = state.services.credentials.from_environment();
    match state.live_token().await {
        Ok(found) => TokenStatus {
            set: found.is_some(),
            last4: found.as_ref().map(|(t, _)| t.last4()),
            bound_hosts: found
                .as_ref()
                .map(|(t, _)| t.hosts().iter().map(str::to_owned).collect())
                .unwrap_or_default(),
            source: found.map(|(_, s)| s),
            from_environment,
            keychain_error: None,
        },
        Err(e) => TokenStatus {
            set: false,
            last4: None,
            source: None,
            from_environment,
            bound_hosts: Vec::new(),
            keychain_error: Some(e.into()),
        },
    }
}

async fn session_of(state: &AppState) -> Session {
    let demo = state.services.demo.lock().await.is_some();
    let token = token_status(state).await;
    Session {
        demo,
        needs_setup: !demo && !token.set,
        token,
        store_problem: state.store_problem.as_ref().map(IpcError::from_user_facing),
    }
}

#[tauri::command]
#[specta::specta]
pub async fn get_session(state: State<'_, AppState>) -> IpcResult<Session> {
    Ok(session_of(&state).await)
}

/// Stores a pasted token in the OS keychain, bound to the hosts the previous one was. The text is dropped
/// from memory on return and never echoed back.
#[tauri::command]
#[specta::specta]
pub async fn save_token(state: State<'_, AppState>, token: String) -> IpcResult<Session> {
    let token = ApiToken::new(&token).ok_or_else(empty_token)?;
    state.services.credentials.save(token).await?;
    resume_waiting_jobs(&state);
    Ok(session_of(&state).await)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_token(state: State<'_, AppState>) -> IpcResult<Session> {
    state.services.credentials.remove().await?;
    Ok(session_of(&state).await)
}

/// One harmless authenticated call. Tests the typed token when one is given (before saving it), else the
/// token in use. An API host the token is not bound to is asked about first (native dialog).
#[tauri::command]
#[specta::specta]
pub async fn test_token(
    state: State<'_, AppState>,
    token: Option<String>,
) -> IpcResult<TokenCheckView> {
    let credentials = &state.services.credentials;
    let token = match token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => {
            credentials
                .typed(ApiToken::new(t).ok_or_else(empty_token)?)
                .await
        }
        None => state
            .live_token()
            .await?
            .map(|(t, _)| t)
            .ok_or_else(empty_token)?,
    };
    let api = state.live_api()?;
    let token = credentials.authorize(token, &api).await?;
    let client = seedance_core::api::SinanClient::new(api)?;
    let outcome = check_token(&client, &token).await;
    Ok(TokenCheckView {
        message: outcome.msg(),
        outcome,
    })
}

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct TokenCheckView {
    pub outcome: TokenCheck,
    pub message: Msg,
}

fn empty_token() -> IpcError {
    IpcError {
        kind: "empty_token".into(),
        message:
            "No API token was entered. Paste the token from your SinanCode account, then save it."
                .into(),
        message_zh: "没有输入 API 令牌。请粘贴 SinanCode 账户中的令牌后再保存。".into(),
        details: None,
        cause: None,
    }
}

#[tauri::command]
#[specta::specta]
pub async fn get_preferences(
    state: State<'_, AppState>,
    frames: State<'_, crate::state::Frames>,
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
    Ok(PrefsView {
        output_dir: resolve_output_dir(&prefs, &state.config.data_dir)
            .display()
            .to_string(),
        prefs,
        warning,
    })
}

/// Validates and saves the preferences; on any problem nothing is saved and every problem is returned.
/// A new API address the token is not bound to is saved only after the user agrees, in a native dialog,
/// to send the token there. The output folder can only be kept or reset to the default here:
/// `choose_output_folder` changes it.
#[tauri::command]
#[specta::specta]
pub async fn save_preferences(
    state: State<'_, AppState>,
    mut prefs: Preferences,
) -> IpcResult<PrefsView> {
    let current = state.prefs();
    check_output_dir_kept(&prefs, &current)?;
    // The remembered form is the backend's own record of the last submit (`submit_job` keeps it): the
    // webview cannot put frame paths in it.
    prefs.last_request = current.last_request;
    store_preferences(&state, prefs).await
}

/// Opens the native folder picker (the backend's own, so the folder is the user's choice, never a path the
/// webview named) and saves the picked folder as where videos go. `None` when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_output_folder(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> IpcResult<Option<PrefsView>> {
    let current = state.prefs();
    let start = resolve_output_dir(&current, &state.config.data_dir);
    let Some(chosen) = crate::dialogs::choose_folder(&app, &start).await? else {
        return Ok(None);
    };
    let prefs =
        crate::commands::blocking(move || with_chosen_output_dir(&current, &chosen)).await?;
    store_preferences(&state, prefs).await.map(Some)
}

async fn store_preferences(state: &AppState, prefs: Preferences) -> IpcResult<PrefsView> {
    if let Err(errors) = prefs.validate() {
        return Err(IpcError::from_many("invalid_preferences", &errors));
    }
    let after = live_api_config(&state.config, &prefs)?;
    // Without a token (or keychain) there is nothing to send yet: the question comes before first use.
    if let Ok(Some((token, _))) = state.live_token().await {
        let before = state.live_api().ok();
        state
            .services
            .credentials
            .confirm_saved_address(token, before.as_ref(), &after)
            .await?;
    }
    let store_prefs = prefs.clone();
    let store = state.prefs_store.clone();
    tokio::task::spawn_blocking(move || store.save(&store_prefs))
        .await
        .map_err(|e| IpcError::internal(e.to_string()))??;
    state.set_prefs(prefs.clone());
    // Runs waiting for their service (e.g. for an address the user just confirmed) try again now.
    state.runner.service_changed();
    let output_dir = resolve_output_dir(&prefs, &state.config.data_dir);
    Ok(PrefsView {
        output_dir: output_dir.display().to_string(),
        prefs,
        warning: None,
    })
}

/// Starts the built-in simulated service on a random loopback port and uses it for everything until
/// demo mode is left. No account, no network.
#[tauri::command]
#[specta::specta]
pub async fn enter_demo(state: State<'_, AppState>) -> IpcResult<Session> {
    {
        let mut demo = state.services.demo.lock().await;
        if demo.is_none() {
            let config = SimConfig {
                queued_for: std::time::Duration::from_secs(2),
                running_for: std::time::Duration::from_secs(6),
                ..SimConfig::default()
            };
            let sim = Sim::start(config)
                .await
                .map_err(|e| IpcError::internal(format!("demo service: {e}")))?;
            *demo = Some(sim);
        }
    }
    resume_waiting_jobs(&state);
    Ok(session_of(&state).await)
}

#[tauri::command]
#[specta::specta]
pub async fn leave_demo(state: State<'_, AppState>) -> IpcResult<Session> {
    let sim = state.services.demo.lock().await.take();
    if let Some(sim) = sim {
        sim.shutdown().await;
    }
    resume_waiting_jobs(&state);
    Ok(session_of(&state).await)
}

/// Jobs that were waiting for their service (no token yet, or the other mode was on) continue now. The
/// runner never starts a second run of a job, and never re-sends a create.
fn resume_waiting_jobs(state: &AppState) {
    let runner = state.runner.clone();
    // Runs that wait for a usable token ask their task again now rather than at their next check.
    runner.service_changed();
    let policy = seedance_core::jobs::ResumePolicy::from_prefs(&state.prefs());
    tauri::async_runtime::spawn(async move {
        if let Err(e) = runner.resume_all_with(&policy).await {
            log::warn!("resuming jobs failed: {}", e.kind());
        }
    });
}
