//! The commands of running and finished batches: their list with counts and ETA, pause, resume and cancel,
//! retrying the failed jobs, exporting the results and opening the output folder. The batch runner in
//! the core does the work; these only wire it to the window.

use seedance_core::batch::{export_results, ResultsExported};
use seedance_core::jobs::{
    BatchEta, CancelOutcome, JobRunner, RetryOutcome, RetryPlan, SpendConsent,
};
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

/// Fetches the free ones again and resubmits only `confirmed_paid`, the ids the user was asked about;
/// `spend_confirmed` only after they said "Retry anyway" to passing a day's or month's spend limit.
#[tauri::command]
#[specta::specta]
pub async fn retry_batch(
    state: State<'_, AppState>,
    id: String,
    confirmed_paid: Vec<String>,
    spend_confirmed: bool,
) -> IpcResult<RetryOutcome> {
    let spend = SpendConsent::from_confirmed(spend_confirmed);
    Ok(state
        .runner
        .retry_batch(&id, &confirmed_paid, spend)
        .await?)
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
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::sync::Arc;

    use super::*;
    use crate::commands::test_ipc::{invoke, outcome};
    use seedance_core::config::AppConfig;
    use seedance_core::credentials::{Credentials, NeverConfirm};
    use seedance_core::jobs::NoEvents;
    use seedance_core::request::RequestDraft;
    use seedance_core::secrets::MemoryStore;
    use seedance_core::store::{BatchInserted, NewBatch, NewBatchJob, NewJob};
    use tauri::test::{mock_builder, mock_context, noop_assets};
    use tauri::Manager;

    /// The batch commands over a fresh data folder holding one paused batch of two jobs (nothing sent).
    #[test]
    fn the_window_lists_a_batch_with_its_counts_and_cancelling_says_what_happened() {
        let data_dir = std::env::temp_dir().join(format!(
            "seedance-batch-commands-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let config = AppConfig::resolve(|_| None, Some(data_dir.clone())).unwrap();
        let credentials = Arc::new(Credentials::new(
            Arc::new(MemoryStore::default()),
            Arc::new(NeverConfirm),
        ));
        let state = AppState::new(config, credentials, Arc::new(NoEvents));
        let jobs: Vec<NewBatchJob> = (1..=2)
            .map(|take| NewBatchJob {
                job: NewJob {
                    request: RequestDraft {
                        prompt: "a kite".into(),
                        ..Default::default()
                    },
                    tokens_estimate: Some(108_900),
                    ..Default::default()
                },
                fingerprint: format!("f{take}"),
                item: 1,
                take,
                output: None,
            })
            .collect();
        let batch = NewBatch {
            name: "Kites".into(),
            source: "the form × 2".into(),
            tokens_min: 217_800,
            tokens_max: 217_800,
            total_json: "{}".into(),
            demo: false,
            fingerprint: "kites".into(),
        };
        let BatchInserted::New(record) = state.store.insert_batch(&batch, &jobs, None).unwrap()
        else {
            panic!("stored as a duplicate");
        };
        state.runner.pause_batch(&record.id).unwrap();
        let app = mock_builder()
            .invoke_handler(tauri::generate_handler![
                list_batches,
                cancel_batch,
                batch_retry_plan
            ])
            .manage(state)
            .build(mock_context(noop_assets()))
            .unwrap();

        let listed = invoke(&app, "list_batches", serde_json::json!({})).unwrap();
        assert_eq!(listed[0]["batch"]["name"], "Kites");
        // A source stored as plain text (before labels were messages) is shown as it is.
        assert_eq!(listed[0]["batch"]["source"]["key"], "msg.batch_source.text");
        assert_eq!(listed[0]["batch"]["source"]["args"]["text"], "the form × 2");
        assert_eq!(listed[0]["batch"]["state"], "paused");
        assert_eq!(listed[0]["batch"]["counts"]["queued"], 2);
        assert!(listed[0]["eta"].is_null(), "a paused batch has no ETA");

        let cancelled =
            invoke(&app, "cancel_batch", serde_json::json!({ "id": record.id })).unwrap();
        assert_eq!(cancelled["cancelled"], 2);
        assert_eq!(cancelled["message"]["key"], "msg.batch_run.cancel_outcome");
        let plan = invoke(
            &app,
            "batch_retry_plan",
            serde_json::json!({ "id": record.id }),
        )
        .unwrap();
        assert_eq!(plan["paid_ids"].as_array().unwrap().len(), 2);
        assert_eq!(plan["paid_tokens"], 217_800);
        let again = invoke(&app, "cancel_batch", serde_json::json!({ "id": record.id }));
        assert_eq!(outcome(&again), "batch_wrong_state");
        let missing = invoke(
            &app,
            "batch_retry_plan",
            serde_json::json!({ "id": "nope" }),
        );
        assert_eq!(outcome(&missing), "batch_not_found");

        assert_eq!(
            app.state::<AppState>().store.list_batches().unwrap().len(),
            1
        );
        drop(app);
        let _ = std::fs::remove_dir_all(&data_dir);
    }

    #[test]
    fn a_batch_name_becomes_a_file_name() {
        assert_eq!(safe_name("Spring: 蓝色/vases?"), "Spring_ 蓝色_vases_");
        assert_eq!(safe_name(" .. "), "batch");
    }
}
