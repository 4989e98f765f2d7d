//! The Updates section's commands and events, and the check on start. Thin: the rules live in
//! [`super::Updates`].

use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager, Runtime, State};
use tauri_specta::Event;

use super::{configured, UpdateOffer, UpdateStatus, Updates};
use crate::error::IpcResult;
use crate::state::AppState;

/// The check on start (or a later one) found a newer version.
#[derive(Debug, Clone, serde::Serialize, specta::Type, Event)]
pub struct UpdateAvailable(pub UpdateOffer);

/// Bytes of the update downloaded so far, and the total when the server said it.
#[derive(Debug, Clone, serde::Serialize, specta::Type, Event)]
pub struct UpdateProgress {
    pub done: u64,
    pub total: Option<u64>,
}

/// How often download progress is announced (and always its end).
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// At start: one quiet check, unless the user turned checks on start off.
pub fn check_on_start<R: Runtime>(app: &AppHandle<R>, enabled: bool) {
    if !enabled {
        tracing::info!("update check on start is turned off");
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let Some(updates) = app.try_state::<Updates>() else {
            return;
        };
        if let Some(offer) = updates.check_quietly(configured(&app)).await {
            if let Err(e) = UpdateAvailable(offer).emit(&app) {
                tracing::warn!("could not announce the update: {e}");
            }
        }
    });
}

/// The update on offer, whether jobs are sending, and how far an install got.
#[tauri::command]
#[specta::specta]
pub fn update_status(
    updates: State<'_, Updates>,
    state: State<'_, AppState>,
) -> IpcResult<UpdateStatus> {
    Ok(updates.status(&state.runner))
}

/// "Check now": the newer version on offer, `None` when this is the latest; every failure is shown.
#[tauri::command]
#[specta::specta]
pub async fn check_for_update(
    app: AppHandle,
    updates: State<'_, Updates>,
) -> IpcResult<Option<UpdateOffer>> {
    let updater = configured(&app)?;
    Ok(updates.check_now(&updater).await?)
}

/// "Download and install": refused while a job uploads or creates; announces [`UpdateProgress`]. On
/// Windows the installer takes over and the app ends here; elsewhere the UI offers the relaunch.
#[tauri::command]
#[specta::specta]
pub async fn install_update(
    app: AppHandle,
    updates: State<'_, Updates>,
    state: State<'_, AppState>,
) -> IpcResult<()> {
    let mut last: Option<Instant> = None;
    let progress = |done: u64, total: Option<u64>| {
        let complete = total.is_some_and(|t| done >= t);
        if !complete && last.is_some_and(|at| at.elapsed() < PROGRESS_EVERY) {
            return;
        }
        last = Some(Instant::now());
        let _ = UpdateProgress { done, total }.emit(&app);
    };
    let bundle = tauri::utils::platform::bundle_type();
    Ok(updates.install(&state.runner, bundle, progress).await?)
}

/// "Relaunch": quits the way the app always does (leases given back, a create's answer waited for; the
/// install holds new ones) and starts the installed version. Jobs resume on its start.
#[tauri::command]
#[specta::specta]
pub fn relaunch_app(app: AppHandle) -> IpcResult<()> {
    tracing::info!("relaunching for the update");
    app.request_restart();
    Ok(())
}
