//! The Sequences screen's commands: the list, one sequence with its takes, saving its shots, the plan and
//! start of a run (the whole sequence or one shot, with or without re-chaining), choosing the take in the
//! film and joining the film. The core does the work ([`seedance_core::sequence`] and the job runner);
//! frame files cross as the webview's opaque handles, like everywhere else.

use std::path::{Path, PathBuf};

use seedance_core::batch::{BatchProblem, BatchTotal};
use seedance_core::cost::Estimate;
use seedance_core::frame_handles::{FrameHandles, UnknownFrame};
use seedance_core::jobs::{Intent, JoinedFilm, SpendConsent};
use seedance_core::request::DraftSettings;
use seedance_core::sequence::{
    FirstFrame, RunScope, SequenceDoc, SequenceSummary, SequenceView, Shot,
};
use seedance_core::store::BatchRecord;
use tauri::State;

use super::blocking;
use crate::error::IpcResult;
use crate::state::{AppState, Frames};

/// The folder chained shots' first frames are written to (beside the history).
fn frames_dir(state: &AppState) -> PathBuf {
    state.config.data_dir.join("chained-frames")
}

/// The view with its shots' frame files as handles.
fn for_webview(frames: &FrameHandles, mut view: SequenceView) -> SequenceView {
    let handles = view
        .sequence
        .doc
        .map_frames(|path| Ok::<_, UnknownFrame>(frames.issue(Path::new(path))));
    if let Ok(doc) = handles {
        view.sequence.doc = doc;
    }
    view
}

/// The document from the webview, its handles replaced by the files they stand for.
fn from_webview(frames: &FrameHandles, doc: &SequenceDoc) -> Result<SequenceDoc, UnknownFrame> {
    doc.map_frames(|handle| frames.resolve(handle).map(|p| p.display().to_string()))
}

#[tauri::command]
#[specta::specta]
pub async fn list_sequences(state: State<'_, AppState>) -> IpcResult<Vec<SequenceSummary>> {
    let store = state.store.clone();
    blocking(move || store.list_sequences()).await
}

/// A new sequence named `name`, with one shot made from its prompt and the Generate form's settings.
#[tauri::command]
#[specta::specta]
pub async fn create_sequence(
    state: State<'_, AppState>,
    name: String,
    defaults: DraftSettings,
) -> IpcResult<SequenceView> {
    let runner = state.runner.clone();
    blocking(move || {
        let doc = SequenceDoc {
            defaults,
            shots: vec![Shot::new(String::new(), FirstFrame::None)],
        };
        let record = runner.store().create_sequence(name.trim(), &doc)?;
        runner.sequence_view(&record.id)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_sequence(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
    id: String,
) -> IpcResult<SequenceView> {
    let runner = state.runner.clone();
    let view = blocking(move || runner.sequence_view(&id)).await?;
    Ok(for_webview(&frames.0, view))
}

/// Replaces the sequence's name and shots (as the editor holds them).
#[tauri::command]
#[specta::specta]
pub async fn save_sequence(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
    id: String,
    name: String,
    doc: SequenceDoc,
) -> IpcResult<SequenceView> {
    let doc = from_webview(&frames.0, &doc)?;
    let runner = state.runner.clone();
    let view = blocking(move || {
        runner.store().save_sequence(&id, name.trim(), &doc)?;
        runner.sequence_view(&id)
    })
    .await?;
    Ok(for_webview(&frames.0, view))
}

/// Deletes the sequence; its takes stay in the Jobs history with their videos.
#[tauri::command]
#[specta::specta]
pub async fn delete_sequence(state: State<'_, AppState>, id: String) -> IpcResult<()> {
    let store = state.store.clone();
    blocking(move || store.delete_sequence(&id)).await
}

/// One shot of a run as the confirmation shows it.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct PlannedShot {
    /// 1-based.
    pub position: u32,
    /// Starts from the previous shot's last frame.
    pub chained: bool,
    pub estimate: Option<Estimate>,
    pub problems: Vec<BatchProblem>,
}

/// What a run would make and cost; nothing is sent.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct SequenceRunPlan {
    pub shots: Vec<PlannedShot>,
    pub total: BatchTotal,
}

#[tauri::command]
#[specta::specta]
pub async fn plan_sequence_run(
    state: State<'_, AppState>,
    id: String,
    scope: RunScope,
) -> IpcResult<SequenceRunPlan> {
    let runner = state.runner.clone();
    let rates = state.prefs().cost_rates;
    let dir = frames_dir(&state);
    blocking(move || {
        let plan = runner.plan_sequence_run(&id, &scope, &rates, &dir)?;
        let shots = plan
            .batch
            .items
            .iter()
            .map(|item| PlannedShot {
                position: item.index,
                chained: plan.links.iter().zip(&plan.batch.jobs).any(|(link, job)| {
                    job.item == item.index && link.as_ref().is_some_and(|l| l.chain.is_some())
                }) || item
                    .problems
                    .iter()
                    .any(|p| p.kind == "sequence_no_previous_take"),
                estimate: item.estimate.clone(),
                problems: item.problems.clone(),
            })
            .collect();
        Ok::<_, seedance_core::store::StoreError>(SequenceRunPlan {
            shots,
            total: plan.batch.total,
        })
    })
    .await
}

/// Starts the run the user confirmed (`repeat`: they confirmed the same run again moments after the
/// first; `spend_confirmed`: they said yes to passing a spend limit).
#[tauri::command]
#[specta::specta]
pub async fn start_sequence_run(
    state: State<'_, AppState>,
    id: String,
    scope: RunScope,
    repeat: bool,
    spend_confirmed: bool,
) -> IpcResult<BatchRecord> {
    let rates = state.prefs().cost_rates;
    let dir = frames_dir(&state);
    let intent = if repeat { Intent::Repeat } else { Intent::Once };
    let spend = if spend_confirmed {
        SpendConsent::Given
    } else {
        SpendConsent::NotGiven
    };
    Ok(state
        .runner
        .start_sequence_run(&id, &scope, &rates, &dir, intent, spend)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn choose_take(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
    id: String,
    shot_id: String,
    job_id: String,
) -> IpcResult<SequenceView> {
    let runner = state.runner.clone();
    let view = blocking(move || {
        runner.choose_take(&id, &shot_id, &job_id)?;
        runner.sequence_view(&id)
    })
    .await?;
    Ok(for_webview(&frames.0, view))
}

/// Joins the takes in the film into one MP4 in the output folder, leaving out the shots in `leave_out`.
#[tauri::command]
#[specta::specta]
pub async fn join_sequence(
    state: State<'_, AppState>,
    id: String,
    leave_out: Vec<String>,
    drop_audio: bool,
) -> IpcResult<JoinedFilm> {
    let runner = state.runner.clone();
    blocking(move || runner.join_sequence(&id, &leave_out, drop_audio)).await
}

/// Joins the takes in the film in parts when they cannot share one film: one file per run of takes
/// that can, in shot order, each with its sound.
#[tauri::command]
#[specta::specta]
pub async fn join_sequence_parts(
    state: State<'_, AppState>,
    id: String,
    leave_out: Vec<String>,
) -> IpcResult<Vec<JoinedFilm>> {
    let runner = state.runner.clone();
    blocking(move || runner.join_sequence_parts(&id, &leave_out)).await
}
