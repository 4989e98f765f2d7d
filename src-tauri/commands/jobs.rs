//! The Jobs screen's commands. Jobs themselves are run by the core's job runner.

use std::path::PathBuf;

use seedance_core::i18n::UserFacing;
use seedance_core::images::{self, FrameInfo, IntakeOptions};
use seedance_core::jobs::Intent;
use seedance_core::request::{FrameSlot, RequestDraft};
use seedance_core::store::{JobPage, JobQuery, JobRecord, Store};
use tauri::State;
use tauri_plugin_opener::OpenerExt;

use crate::commands::blocking;
use crate::error::{IpcError, IpcResult};
use crate::state::{AppState, PlayerSource};

#[tauri::command]
#[specta::specta]
pub async fn list_jobs(state: State<'_, AppState>, query: JobQuery) -> IpcResult<JobPage> {
    let runner = state.runner.clone();
    blocking(move || runner.list_jobs(&query)).await
}

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct JobThumbnails {
    pub first: Option<String>,
    pub last: Option<String>,
}

/// Thumbnails as data URLs; list rows load them lazily so a page stays small.
#[tauri::command]
#[specta::specta]
pub async fn job_thumbnails(state: State<'_, AppState>, id: String) -> IpcResult<JobThumbnails> {
    let store = state.store.clone();
    blocking(move || {
        let url = |slot| {
            store
                .thumbnail(&id, slot)
                .map(|t| t.map(|t| t.to_data_url()))
        };
        Ok::<_, seedance_core::store::StoreError>(JobThumbnails {
            first: url(FrameSlot::First)?,
            last: url(FrameSlot::Last)?,
        })
    })
    .await
}

fn video_path(store: &Store, id: &str) -> IpcResult<PathBuf> {
    let job: JobRecord = store.get_job(id)?;
    let path = job.output_path.map(PathBuf::from).ok_or_else(no_video)?;
    if !path.exists() {
        return Err(IpcError {
            kind: "video_missing".into(),
            message: format!(
                "The video file is no longer at {}. It may have been moved or deleted.",
                path.display()
            ),
            message_zh: format!("视频文件已不在 {}，可能已被移动或删除。", path.display()),
            details: None,
            cause: None,
        });
    }
    Ok(path)
}

fn no_video() -> IpcError {
    IpcError {
        kind: "no_video".into(),
        message: "This job has no video yet. Wait until it is done.".into(),
        message_zh: "此任务还没有视频，请等待它完成。".into(),
        details: None,
        cause: None,
    }
}

fn opener_failed(e: tauri_plugin_opener::Error) -> IpcError {
    IpcError {
        kind: "open_failed".into(),
        message: "The system could not open the file. Open it from its folder instead.".into(),
        message_zh: "系统无法打开该文件，请从所在文件夹中打开。".into(),
        details: None,
        cause: Some(e.to_string()),
    }
}

/// Opens a finished job's video in the OS's default player. Only job outputs can be opened this way.
#[tauri::command]
#[specta::specta]
pub async fn open_job_video(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> IpcResult<()> {
    let path = video_path(&state.store, &id)?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(opener_failed)
}

/// The inline player's source for a finished job's video: a loopback URL, valid for this launch, that
/// streams the file with byte ranges. A job without a playable file gets the same errors as "Open".
#[tauri::command]
#[specta::specta]
pub async fn job_video_url(
    state: State<'_, AppState>,
    player: State<'_, PlayerSource>,
    id: String,
) -> IpcResult<String> {
    let store = state.store.clone();
    let job_id = id.clone();
    blocking(move || video_path(&store, &job_id)).await?;
    Ok(player.server()?.video_url(&id))
}

/// Shows a finished job's video in the OS file manager.
#[tauri::command]
#[specta::specta]
pub async fn reveal_job_video(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> IpcResult<()> {
    let path = video_path(&state.store, &id)?;
    app.opener().reveal_item_in_dir(path).map_err(opener_failed)
}

/// Saves an image the webview holds (a pasted image, a frame grabbed from a video) and inspects it.
#[tauri::command]
#[specta::specta]
pub async fn save_frame_image(
    state: State<'_, AppState>,
    data_url: String,
) -> IpcResult<FrameInfo> {
    let out_dir = state.frames_dir();
    blocking(move || {
        let path = images::save_data_url(&data_url, &out_dir)?;
        images::intake(&path, &IntakeOptions::preview())
    })
    .await
}

/// Stores the job (before anything is sent) and starts it; returns at once with the new record.
/// `tokens_estimate` is the figure the form showed (the backend's own estimate), kept with the job.
/// An identical job stored moments ago refuses it (`duplicate_submission`) unless `intended`: the user
/// confirmed they want another video from the same request.
#[tauri::command]
#[specta::specta]
pub async fn submit_job(
    state: State<'_, AppState>,
    draft: RequestDraft,
    tokens_estimate: Option<u32>,
    intended: bool,
) -> IpcResult<JobRecord> {
    remember_form(&state, &draft);
    let intent = if intended {
        Intent::Repeat
    } else {
        Intent::Once
    };
    Ok(state
        .runner
        .submit_with(draft, tokens_estimate, intent)
        .await?)
}

/// The form as last submitted comes back on the next start.
fn remember_form(state: &AppState, draft: &RequestDraft) {
    let mut prefs = state.prefs();
    prefs.last_request = Some(draft.clone());
    if let Err(e) = state.prefs_store.save(&prefs) {
        log::warn!("could not remember the form: {}", e.kind());
    }
    state.set_prefs(prefs);
}

/// Submits a settled job's request again as a new, linked job. Only after the user confirmed: for an
/// uncertain job this may pay for a second generation.
#[tauri::command]
#[specta::specta]
pub async fn resubmit_job(state: State<'_, AppState>, id: String) -> IpcResult<JobRecord> {
    Ok(state.runner.resubmit(&id).await?)
}

/// The user decided an uncertain job did not start a task.
#[tauri::command]
#[specta::specta]
pub async fn mark_job_failed(state: State<'_, AppState>, id: String) -> IpcResult<JobRecord> {
    Ok(state.runner.mark_failed(&id)?)
}

/// Deletes the record; the video file too only when `delete_file`.
#[tauri::command]
#[specta::specta]
pub async fn delete_job(
    state: State<'_, AppState>,
    id: String,
    delete_file: bool,
) -> IpcResult<()> {
    Ok(state.runner.delete(&id, delete_file)?)
}

/// Asks a failed job's task again and downloads its video. Never creates a task.
#[tauri::command]
#[specta::specta]
pub async fn retry_download(state: State<'_, AppState>, id: String) -> IpcResult<JobRecord> {
    Ok(state.runner.retry_download(&id)?)
}
