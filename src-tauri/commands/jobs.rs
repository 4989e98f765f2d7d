//! The Jobs screen's commands. Jobs themselves are run by the core's job runner.

use std::path::PathBuf;

use seedance_core::film::{self, clips_of_jobs, TimelineFormat, TimelineReport};
use seedance_core::i18n::UserFacing;
use seedance_core::images::{self, FrameInfo};
use seedance_core::jobs::{Intent, SpendConsent};
use seedance_core::request::{FrameSlot, RequestDraft};
use seedance_core::store::{JobPage, JobQuery, JobRecord, Store};
use tauri::State;
use tauri_plugin_opener::OpenerExt;

use crate::commands::blocking;
use crate::error::{IpcResult, ShellError};
use crate::state::{AppState, Frames, PlayerSource};

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

pub(super) fn video_path(store: &Store, id: &str) -> IpcResult<PathBuf> {
    let job: JobRecord = store.get_job(id)?;
    let path = job
        .output_path
        .map(PathBuf::from)
        .ok_or(ShellError::NoVideo)?;
    if !path.exists() {
        return Err(ShellError::VideoMissing { path }.into());
    }
    Ok(path)
}

fn opener_failed(e: tauri_plugin_opener::Error) -> ShellError {
    ShellError::OpenFileFailed(e.to_string())
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
        .map_err(|e| opener_failed(e).into())
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
    Ok(app
        .opener()
        .reveal_item_in_dir(path)
        .map_err(opener_failed)?)
}

/// Saves an image the webview holds (a pasted image, a frame grabbed from a video) and inspects it.
#[tauri::command]
#[specta::specta]
pub async fn save_frame_image(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
    data_url: String,
) -> IpcResult<FrameInfo> {
    let out_dir = state.frames_dir();
    let path = blocking(move || images::save_data_url(&data_url, &out_dir)).await?;
    crate::commands::generate::take_in(&frames, path).await
}

/// Stores the job (before anything is sent) and starts it; returns at once with the new record.
/// `tokens_estimate` is the figure the form showed (the backend's own estimate), kept with the job.
/// An identical job stored moments ago refuses it (`duplicate_submission`) unless `intended`: the user
/// confirmed they want another video from the same request. One that would pass today's or this month's
/// spend limit refuses it (`spend_limit`, the question in `details`) unless `spend_confirmed`: the user
/// said "Generate anyway" to that question.
#[tauri::command]
#[specta::specta]
pub async fn submit_job(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
    draft: RequestDraft,
    tokens_estimate: Option<u32>,
    intended: bool,
    spend_confirmed: bool,
) -> IpcResult<JobRecord> {
    // The form names its frames by handle; the job keeps the files they stand for.
    let draft = frames.0.resolve_draft(&draft)?;
    // The form as last submitted comes back on the next start.
    if let Err(e) = state.services.remember_form(&draft) {
        tracing::warn!("could not remember the form: {}", e.kind());
    }
    let intent = if intended {
        Intent::Repeat
    } else {
        Intent::Once
    };
    let spend = if spend_confirmed {
        SpendConsent::Given
    } else {
        SpendConsent::NotGiven
    };
    Ok(state
        .runner
        .submit_checked(draft, tokens_estimate, intent, spend)
        .await?)
}

/// A stored job's request for the form (Use settings), its frames as fresh handles.
#[tauri::command]
#[specta::specta]
pub async fn job_draft(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
    id: String,
) -> IpcResult<RequestDraft> {
    let store = state.store.clone();
    let job = blocking(move || store.get_job(&id)).await?;
    let stored = RequestDraft {
        first_frame: job.first_frame_path.or(job.request.first_frame),
        last_frame: job.last_frame_path.or(job.request.last_frame),
        ..job.request
    };
    Ok(frames.0.draft_for_webview(&stored))
}

/// Submits a settled job's request again as a new, linked job. Only after the user confirmed: for an
/// uncertain job this may pay for a second generation.
#[tauri::command]
#[specta::specta]
/// `spend_confirmed` only after the user said "Generate anyway" to passing a day's or month's spend limit.
pub async fn resubmit_job(
    state: State<'_, AppState>,
    id: String,
    spend_confirmed: bool,
) -> IpcResult<JobRecord> {
    Ok(state
        .runner
        .resubmit(&id, SpendConsent::from_confirmed(spend_confirmed))
        .await?)
}

/// The user decided an uncertain job did not start a task.
#[tauri::command]
#[specta::specta]
pub async fn mark_job_failed(state: State<'_, AppState>, id: String) -> IpcResult<JobRecord> {
    Ok(state.runner.mark_failed(&id)?)
}

/// Deletes the record and the poster kept for it; the video file too only when `delete_file`.
#[tauri::command]
#[specta::specta]
pub async fn delete_job(
    state: State<'_, AppState>,
    id: String,
    delete_file: bool,
) -> IpcResult<()> {
    state.runner.delete(&id, delete_file)?;
    if let Err(error) = seedance_core::film::frame::forget_poster(&state.posters_dir(), &id) {
        // The record is gone; a poster left behind only takes a few kB.
        tracing::warn!(%error, "the deleted job's poster stays");
    }
    Ok(())
}

/// Asks a failed job's task again and downloads its video. Never creates a task.
#[tauri::command]
#[specta::specta]
pub async fn retry_download(state: State<'_, AppState>, id: String) -> IpcResult<JobRecord> {
    Ok(state.runner.retry_download(&id)?)
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
    use seedance_core::secrets::MemoryStore;
    use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
    use tauri::Manager;

    /// The app's state over a fresh data folder, no token, no events.
    fn app_with_state(data_dir: &std::path::Path, frames: &Frames) -> tauri::App<MockRuntime> {
        let config = AppConfig::resolve(|_| None, Some(data_dir.to_path_buf())).unwrap();
        let credentials = Arc::new(Credentials::new(
            Arc::new(MemoryStore::default()),
            Arc::new(NeverConfirm),
        ));
        let state = AppState::new(config, credentials, Arc::new(NoEvents));
        mock_builder()
            .invoke_handler(tauri::generate_handler![submit_job])
            .manage(state)
            .manage(frames.clone())
            .build(mock_context(noop_assets()))
            .unwrap()
    }

    #[test]
    fn submit_refuses_a_frame_path_the_backend_never_handed_out() {
        let data_dir = std::env::temp_dir().join(format!(
            "seedance-submit-handles-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let frames = Frames::default();
        let app = app_with_state(&data_dir, &frames);
        let image = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("icons/128x128.png");
        for named in [image.to_string_lossy().into_owned(), "/etc/passwd".into()] {
            let draft = RequestDraft {
                prompt: "a fox".into(),
                first_frame: Some(named.clone()),
                ..RequestDraft::default()
            };
            let answer = invoke(
                &app,
                "submit_job",
                serde_json::json!({
                    "draft": draft, "tokensEstimate": null, "intended": false, "spendConfirmed": false
                }),
            );
            assert_eq!(outcome(&answer), "unknown_frame", "{named}");
        }
        let state = app.state::<AppState>();
        let stored = state.runner.list_jobs(&Default::default()).unwrap();
        assert!(stored.jobs.is_empty(), "nothing was stored or sent");
        assert_eq!(state.prefs().last_request, None, "nor remembered");
        drop(app);
        let _ = std::fs::remove_dir_all(&data_dir);
    }
}

/// Asks where to save (the backend's own dialog) and writes a timeline for editors of the jobs' videos,
/// in this order: FCPXML or a CMX 3600 EDL that references the clip files where they are. `None` when
/// the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_timeline(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    job_ids: Vec<String>,
    title: String,
    format: TimelineFormat,
) -> IpcResult<Option<TimelineReport>> {
    let store = state.store.clone();
    let clips = blocking(move || clips_of_jobs(&store, &job_ids)).await?;
    let suggested = format!("{title}.{}", format.extension());
    let Some(path) =
        crate::dialogs::choose_timeline_save(&app, &suggested, format.extension()).await?
    else {
        return Ok(None);
    };
    blocking(move || film::export_timeline(&clips, &title, format, &path))
        .await
        .map(Some)
}
