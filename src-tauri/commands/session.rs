//! The session's commands: the API token (save, remove, test) and demo mode. The core's
//! `seedance_core::session` decides; these parse, call it and shape its answer for the UI.

use seedance_core::i18n::{Message, UserFacing};
use seedance_core::secrets::ApiToken;
use seedance_core::session::{self as core_session, DemoPace, DemoService};
use seedance_core::token_check::{check_token, TokenCheck};
use seedance_sim::{Sim, SimConfig};
use tauri::State;

use crate::error::{IpcError, IpcResult, ShellError};
use crate::state::AppState;

/// The session as the UI sees it: demo mode or not, the token, and whether setup is needed.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct Session {
    pub demo: bool,
    /// Never the token's text: whether one is set, its last 4 characters, its source and hosts.
    pub token: core_session::TokenStatus<IpcError>,
    /// No token and not in demo mode: the app opens on the welcome screen.
    pub needs_setup: bool,
    /// The job database could not be opened: history is not being saved (what happened, what to do).
    pub store_problem: Option<IpcError>,
}

async fn session_of(state: &AppState) -> Session {
    let status = state.services.status().await;
    Session {
        demo: status.demo,
        needs_setup: status.needs_setup,
        token: status.token.map_keychain_error(IpcError::from),
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
    let token = ApiToken::new(&token).ok_or(ShellError::EmptyToken)?;
    state.services.credentials().save(token).await?;
    resume_waiting_jobs(&state);
    Ok(session_of(&state).await)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_token(state: State<'_, AppState>) -> IpcResult<Session> {
    state.services.credentials().remove().await?;
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
    let credentials = state.services.credentials();
    let token = match token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => {
            credentials
                .typed(ApiToken::new(t).ok_or(ShellError::EmptyToken)?)
                .await
        }
        None => state
            .services
            .live_token()
            .await?
            .map(|(t, _)| t)
            .ok_or(ShellError::EmptyToken)?,
    };
    let api = state.services.live_api()?;
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
    pub message: Message,
}

/// The built-in simulator as the session's demo service.
struct DemoSim(Sim);

impl DemoService for DemoSim {
    fn api_base(&self) -> String {
        self.0.api_base()
    }
    fn upload_base(&self) -> String {
        self.0.upload_base()
    }
    fn token(&self) -> &str {
        self.0.token()
    }
    fn shutdown(
        self: Box<Self>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        Box::pin(self.0.shutdown())
    }
}

async fn start_demo(pace: DemoPace) -> Result<Box<dyn DemoService>, ShellError> {
    let config = SimConfig {
        queued_for: pace.queued_for,
        running_for: pace.running_for,
        ..SimConfig::default()
    };
    let sim = Sim::start(config)
        .await
        .map_err(|e| ShellError::Internal(format!("demo service: {e}")))?;
    Ok(Box::new(DemoSim(sim)))
}

/// Starts the built-in simulated service on a random loopback port and uses it for everything until
/// demo mode is left. No account, no network.
#[tauri::command]
#[specta::specta]
pub async fn enter_demo(state: State<'_, AppState>) -> IpcResult<Session> {
    state.services.enter_demo(start_demo).await?;
    resume_waiting_jobs(&state);
    Ok(session_of(&state).await)
}

#[tauri::command]
#[specta::specta]
pub async fn leave_demo(state: State<'_, AppState>) -> IpcResult<Session> {
    state.services.leave_demo().await;
    resume_waiting_jobs(&state);
    Ok(session_of(&state).await)
}

/// Jobs that were waiting for their service (no token yet, or the other mode was on) continue now. The
/// runner never starts a second run of a job, and never re-sends a create.
pub(crate) fn resume_waiting_jobs(state: &AppState) {
    let runner = state.runner.clone();
    // Runs that wait for a usable token ask their task again now rather than at their next check.
    runner.service_changed();
    let policy = seedance_core::jobs::ResumePolicy::from_prefs(&state.prefs());
    tauri::async_runtime::spawn(async move {
        if let Err(e) = runner.resume_all_with(&policy).await {
            tracing::warn!("resuming jobs failed: {}", e.kind());
        }
    });
}
