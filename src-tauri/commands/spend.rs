//! The Jobs screen's spend panel and its CSV export. The figures and the rules live in
//! `seedance_core::spend`; the limits are enforced where jobs are submitted and batches started.

use seedance_core::spend::{self, local_zone, SpendSummary};
use tauri::{AppHandle, State};

use crate::commands::blocking;
use crate::dialogs::choose_csv_save;
use crate::error::IpcResult;
use crate::state::AppState;

/// How many batches the panel lists.
const PANEL_BATCHES: usize = 8;

/// Tokens and estimated money for today, this week and this month (the OS's local calendar), per batch,
/// and the limits set in Settings.
#[tauri::command]
#[specta::specta]
pub async fn spend_summary(state: State<'_, AppState>) -> IpcResult<SpendSummary> {
    let prefs = state.prefs();
    let store = state.store.clone();
    blocking(move || {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        spend::summarize(
            &store,
            now,
            &local_zone(),
            &prefs.cost_rates,
            prefs.spend_limits,
            PANEL_BATCHES,
        )
    })
    .await
}

/// Asks where to save (native dialog) and writes one row per job that counts; the path written, or
/// `None` when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_spend_csv(
    app: AppHandle,
    state: State<'_, AppState>,
) -> IpcResult<Option<String>> {
    let Some(path) = choose_csv_save(&app, "seedance-spend.csv").await? else {
        return Ok(None);
    };
    let rates = state.prefs().cost_rates;
    let store = state.store.clone();
    blocking(move || {
        spend::write_spend_csv(&store, &local_zone(), &rates, &path)
            .map(|_| Some(path.display().to_string()))
    })
    .await
}
