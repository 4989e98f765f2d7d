//! The Generate screen's questions to the core: is this form sendable, what will it cost, where do dropped
//! files go, what is in this image. Frames cross as the opaque handles of `seedance_core::frame_handles`:
//! every frame the backend takes in gets one, and a frame the webview names is looked up by it.

use std::path::{Path, PathBuf};

use seedance_core::drop::{plan_drop, to_logical, zone_at, DropPlan, ZoneRect};
use seedance_core::form::{check_form, FormCheck};
use seedance_core::frame_handles::FrameHandles;
use seedance_core::images::{self, FixKind, FrameInfo, ImageError, IntakeOptions, Mismatch};
use seedance_core::recipe::{restore, RestoredRecipe};
use seedance_core::request::RequestDraft;

use tauri::State;

use super::blocking;
use crate::error::IpcResult;
use crate::state::{AppState, Frames};

/// Reads and previews a frame file the backend chose itself, and hands out its handle.
pub(crate) async fn take_in(frames: &Frames, path: PathBuf) -> IpcResult<FrameInfo> {
    let frames = frames.0.clone();
    blocking(move || preview_with_handle(&frames, &path)).await
}

fn preview_with_handle(frames: &FrameHandles, path: &Path) -> Result<FrameInfo, ImageError> {
    let mut info = images::intake(path, &IntakeOptions::preview())?;
    info.handle = frames.issue(path);
    Ok(info)
}

#[tauri::command]
#[specta::specta]
pub async fn check_request(
    state: State<'_, AppState>,
    draft: RequestDraft,
    first_frame_aspect: Option<f64>,
) -> IpcResult<FormCheck> {
    let rates = state.prefs().cost_rates;
    Ok(check_form(&draft, first_frame_aspect, &rates))
}

/// Which slot each dropped file fills. `x`/`y` are the OS's physical pixels; `scale_factor` is the
/// window's device pixel ratio; `zones` are the drop zones in CSS pixels.
///
/// The plan names each file by its handle; only files the window itself reported dropped are planned.
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)]
pub fn plan_frame_drop(
    frames: State<'_, Frames>,
    paths: Vec<String>,
    x: f64,
    y: f64,
    scale_factor: f64,
    zones: Vec<ZoneRect>,
    first_filled: bool,
    last_filled: bool,
) -> IpcResult<DropPlan> {
    let (lx, ly) = to_logical(x, y, scale_factor);
    let plan = plan_drop(&paths, zone_at(&zones, lx, ly), first_filled, last_filled);
    Ok(frames.0.drop_plan_with_handles(plan)?)
}

/// A video dropped onto Generate: the recipe the app wrote into it, as a form to load (its frames as
/// handles where the same pictures are still on this machine, and the ones that are not). Only a file
/// the window itself reported dropped is read.
#[tauri::command]
#[specta::specta]
pub async fn restore_dropped_video(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
    path: String,
) -> IpcResult<RestoredRecipe> {
    let [path] = &frames.0.dropped_paths(&[path])?[..] else {
        return Err(seedance_core::frame_handles::UnknownFrame.into());
    };
    let (path, store) = (path.clone(), state.store.clone());
    let dirs = [state.frames_dir(), state.config.presets_dir()];
    let restored = blocking(move || restore(&path, &store, &dirs)).await?;
    Ok(RestoredRecipe {
        draft: frames.0.draft_for_webview(&restored.draft),
        ..restored
    })
}

/// Reads, checks and previews a frame the backend handed out on a worker thread (decoding a big photo
/// takes a while). A path, or any handle the backend never issued, is refused before the disk is touched.
#[tauri::command]
#[specta::specta]
pub async fn inspect_frame(frames: State<'_, Frames>, handle: String) -> IpcResult<FrameInfo> {
    let path = frames.0.resolve(&handle)?;
    take_in(&frames, path).await
}

/// Opens the native file picker (the backend's own) and takes in the image the user picked; `None` when
/// they cancelled. `filter_name` labels the picker's image filter.
#[tauri::command]
#[specta::specta]
pub async fn pick_frame(
    app: tauri::AppHandle,
    frames: State<'_, Frames>,
    filter_name: String,
) -> IpcResult<Option<FrameInfo>> {
    let Some(path) = crate::dialogs::choose_image_file(&app, &filter_name).await? else {
        return Ok(None);
    };
    take_in(&frames, path).await.map(Some)
}

/// Makes a conforming copy of a frame (in the app's data folder; the original is never touched) and
/// returns the copy's facts.
#[tauri::command]
#[specta::specta]
pub async fn fix_frame(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
    handle: String,
    fix: FixKind,
) -> IpcResult<FrameInfo> {
    let path = frames.0.resolve(&handle)?;
    let out_dir = state.frames_dir();
    let frames = frames.0.clone();
    blocking(move || {
        let fixed = images::apply_fix(&path, &fix, &out_dir)?;
        preview_with_handle(&frames, &fixed)
    })
    .await
}

/// Crops a copy of a frame to `target_ratio` (width / height); `offset` (-1..1) slides the window.
#[tauri::command]
#[specta::specta]
pub async fn crop_frame(
    state: State<'_, AppState>,
    frames: State<'_, Frames>,
    handle: String,
    target_ratio: f64,
    offset: f64,
) -> IpcResult<FrameInfo> {
    let path = frames.0.resolve(&handle)?;
    let out_dir = state.frames_dir();
    let frames = frames.0.clone();
    blocking(move || {
        let cropped = images::crop_to_ratio(&path, &out_dir, target_ratio, offset)?;
        preview_with_handle(&frames, &cropped)
    })
    .await
}

#[derive(Debug, Clone, Copy, serde::Serialize, specta::Type)]
pub struct CropRect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// The crop window the preview draws, in the image's own pixels.
#[tauri::command]
#[specta::specta]
pub fn crop_window(width: u32, height: u32, target_ratio: f64, offset: f64) -> IpcResult<CropRect> {
    let (x, y, w, h) = images::crop_window(width, height, target_ratio, offset);
    Ok(CropRect {
        x,
        y,
        width: w,
        height: h,
    })
}

/// Whether the two frames' shapes differ enough to warp the video, with the warning to show.
#[tauri::command]
#[specta::specta]
pub fn frame_mismatch(first_aspect: f64, last_aspect: f64) -> IpcResult<Option<Mismatch>> {
    Ok(images::aspect_mismatch_of(first_aspect, last_aspect))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::commands::test_ipc::{invoke, outcome};
    use tauri::test::{mock_builder, mock_context, noop_assets};

    /// `inspect_frame` called through IPC, as the webview calls it: the error's `kind`, or "ok".
    fn inspect_over_ipc(frames: &Frames, handle: &str) -> String {
        let app = mock_builder()
            .invoke_handler(tauri::generate_handler![inspect_frame])
            .manage(frames.clone())
            .build(mock_context(noop_assets()))
            .unwrap();
        outcome(&invoke(
            &app,
            "inspect_frame",
            serde_json::json!({ "handle": handle }),
        ))
    }

    #[test]
    fn inspect_frame_reads_only_frames_the_backend_handed_out() {
        let image = Path::new(env!("CARGO_MANIFEST_DIR")).join("icons/128x128.png");
        let frames = Frames::default();
        let handle = frames.0.issue(&image);
        assert_eq!(inspect_over_ipc(&frames, &handle), "ok");
        // The same image named by its path, and files the page has no business asking about.
        assert_eq!(
            inspect_over_ipc(&frames, &image.to_string_lossy()),
            "unknown_frame"
        );
        assert_eq!(inspect_over_ipc(&frames, "/etc/passwd"), "unknown_frame");
        assert_eq!(
            inspect_over_ipc(&frames, r"\\server\share\x.png"),
            "unknown_frame"
        );
    }
}
