//! Jobs stored but never sent, held back on start: the notice's figures and the user's answers.

use seedance_core::jobs::{UnsentOutcome, UnsentSummary};
use seedance_core::store::JobRecord;
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

/// How many jobs wait as not sent and what they would cost at the user's rates.
#[tauri::command]
#[specta::specta]
pub async fn unsent_summary(state: State<'_, AppState>) -> IpcResult<UnsentSummary> {
    let rates = state.prefs().cost_rates;
    Ok(state.runner.unsent_summary(&rates)?)
}

/// Sends one not-sent job (its frames are checked again first).
#[tauri::command]
#[specta::specta]
pub async fn send_unsent_job(state: State<'_, AppState>, id: String) -> IpcResult<JobRecord> {
    Ok(state.runner.send_unsent(&id).await?)
}

/// Keeps one not-sent job's record as failed (discarded); nothing is sent.
#[tauri::command]
#[specta::specta]
pub async fn discard_unsent_job(state: State<'_, AppState>, id: String) -> IpcResult<JobRecord> {
    Ok(state.runner.discard_unsent(&id)?)
}

#[tauri::command]
#[specta::specta]
pub async fn send_all_unsent(state: State<'_, AppState>) -> IpcResult<UnsentOutcome> {
    Ok(state.runner.send_all_unsent().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn discard_all_unsent(state: State<'_, AppState>) -> IpcResult<UnsentOutcome> {
    Ok(state.runner.discard_all_unsent()?)
}
