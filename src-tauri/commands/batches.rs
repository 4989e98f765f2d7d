//! The commands of running and finished batches: their list with counts and ETA, pause, resume and cancel,
//! retrying the failed jobs, exporting the results and opening the output folder. The batch runner in
//! the core does the work; these only wire it to the window.

use seedance_core::batch::{export_results, ResultsExported};
use seedance_core::jobs::{BatchEta, CancelOutcome, JobRunner, RetryOutcome, RetryPlan};
use seedance_core::store::BatchRecord;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::commands::blocking;
use crate::dialogs::choose_results_file;
use crate::error::{IpcResult, ShellError};
use crate::state::AppState;

/// A batch as its card shows it: the record with its counts, and the time left while it runs.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct BatchView {
    pub batch: BatchRecord,
    pub eta: Option<BatchEta>,
}

fn view(runner: &JobRunner, batch: BatchRecord) -> IpcResult<BatchView> {
    let eta = runner.batch_eta(&batch.id)?;
    Ok(BatchView { batch, eta })
}

/// Every batch, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_batches(state: State<'_, AppState>) -> IpcResult<Vec<BatchView>> {
    let runner = state.runner.clone();
    blocking(move || {
        runner
            .batches()?
            .into_iter()
            .map(|b| view(&runner, b))
            .collect::<IpcResult<Vec<_>>>()
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_batch(state: State<'_, AppState>, id: String) -> IpcResult<BatchView> {
    let runner = state.runner.clone();
    blocking(move || view(&runner, runner.batch(&id)?)).await
}

/// No new create request is sent for the batch; jobs already sent go on and download.
#[tauri::command]
#[specta::specta]
pub async fn pause_batch(state: State<'_, AppState>, id: String) -> IpcResult<BatchView> {
    let runner = state.runner.clone();
    blocking(move || view(&runner, runner.pause_batch(&id)?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn resume_batch(state: State<'_, AppState>, id: String) -> IpcResult<BatchView> {
    let runner = state.runner.clone();
    blocking(move || view(&runner, runner.resume_batch(&id)?)).await
}

/// Fails the never-sent jobs; the outcome's message says that sent ones cannot be cancelled at the service.
#[tauri::command]
#[specta::specta]
pub async fn cancel_batch(state: State<'_, AppState>, id: String) -> IpcResult<CancelOutcome> {
    let runner = state.runner.clone();
    blocking(move || runner.cancel_batch(&id)).await
}

/// What "Retry failed" would do (free and paid counts, the paid tokens); nothing is changed.
#[tauri::command]
#[specta::specta]
pub async fn batch_retry_plan(state: State<'_, AppState>, id: String) -> IpcResult<RetryPlan> {
    let runner = state.runner.clone();
    blocking(move || runner.batch_retry_plan(&id)).await
}

/// Fetches the free ones again and resubmits only `confirmed_paid`, the ids the user was asked about.
#[tauri::command]
#[specta::specta]
pub async fn retry_batch(
    state: State<'_, AppState>,
    id: String,
    confirmed_paid: Vec<String>,
) -> IpcResult<RetryOutcome> {
    Ok(state.runner.retry_batch(&id, &confirmed_paid).await?)
}

/// Asks where to save (native dialog) and writes the results there; `None` when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_batch_results(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> IpcResult<Option<ResultsExported>> {
    let runner = state.runner.clone();
    let batch_id = id.clone();
    let batch = blocking(move || runner.batch(&batch_id)).await?;
    let suggested = format!("{}-results.csv", safe_name(&batch.name));
    let Some(path) = choose_results_file(&app, &suggested).await? else {
        return Ok(None);
    };
    let store = state.store.clone();
    blocking(move || export_results(&store, &id, &path))
        .await
        .map(Some)
}

/// Opens the folder the batch's videos are in (or go to) in the OS file manager.
#[tauri::command]
#[specta::specta]
pub async fn open_batch_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> IpcResult<()> {
    let runner = state.runner.clone();
    let folder = blocking(move || runner.batch_output_folder(&id)).await?;
    app.opener()
        .open_path(folder.display().to_string(), None::<&str>)
        .map_err(|e| ShellError::OpenFileFailed(e.to_string()).into())
}

/// A batch name as a file name: characters file systems refuse become `_`.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_matches('.');
    if trimmed.is_empty() {
        "batch".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn a_batch_name_becomes_a_file_name() {
        assert_eq!(safe_name("Spring: 蓝色/vases?"), "Spring_ 蓝色_vases_");
        assert_eq!(safe_name(" .. "), "batch");
    }
}
