//! The Generate screen's questions to the core: is this form sendable, what will it cost, where do dropped
//! files go, what is in this image.

use std::path::PathBuf;

use seedance_core::drop::{plan_drop, to_logical, zone_at, DropPlan, ZoneRect};
use seedance_core::form::{check_form, FormCheck};
use seedance_core::images::{self, FixKind, FrameInfo, IntakeOptions, Mismatch};
use seedance_core::request::RequestDraft;

use tauri::State;

use super::blocking;
use crate::error::IpcResult;
use crate::state::AppState;

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
#[tauri::command]
#[specta::specta]
pub fn plan_frame_drop(
    paths: Vec<String>,
    x: f64,
    y: f64,
    scale_factor: f64,
    zones: Vec<ZoneRect>,
    first_filled: bool,
    last_filled: bool,
) -> DropPlan {
    let (lx, ly) = to_logical(x, y, scale_factor);
    plan_drop(&paths, zone_at(&zones, lx, ly), first_filled, last_filled)
}

/// Reads, checks and previews an image on a worker thread (decoding a big photo takes a while).
#[tauri::command]
#[specta::specta]
pub async fn inspect_frame(path: String) -> IpcResult<FrameInfo> {
    blocking(move || images::intake(&PathBuf::from(path), &IntakeOptions::preview())).await
}

/// Opens the native file picker (the backend's own) and takes in the image the user picked; `None` when
/// they cancelled. `filter_name` labels the picker's image filter.
#[tauri::command]
#[specta::specta]
pub async fn pick_frame(
    app: tauri::AppHandle,
    filter_name: String,
) -> IpcResult<Option<FrameInfo>> {
    let Some(path) = crate::dialogs::choose_image_file(&app, &filter_name).await? else {
        return Ok(None);
    };
    blocking(move || images::intake(&path, &IntakeOptions::preview()))
        .await
        .map(Some)
}

/// Makes a conforming copy of a frame (in the app's data folder; the original is never touched) and
/// returns the copy's facts.
#[tauri::command]
#[specta::specta]
pub async fn fix_frame(
    state: State<'_, AppState>,
    path: String,
    fix: FixKind,
) -> IpcResult<FrameInfo> {
    let out_dir = state.frames_dir();
    blocking(move || {
        let fixed = images::apply_fix(&PathBuf::from(path), &fix, &out_dir)?;
        images::intake(&fixed, &IntakeOptions::preview())
    })
    .await
}

/// Crops a copy of a frame to `target_ratio` (width / height); `offset` (-1..1) slides the window.
#[tauri::command]
#[specta::specta]
pub async fn crop_frame(
    state: State<'_, AppState>,
    path: String,
    target_ratio: f64,
    offset: f64,
) -> IpcResult<FrameInfo> {
    let out_dir = state.frames_dir();
    blocking(move || {
        let cropped = images::crop_to_ratio(&PathBuf::from(path), &out_dir, target_ratio, offset)?;
        images::intake(&cropped, &IntakeOptions::preview())
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
pub fn crop_window(width: u32, height: u32, target_ratio: f64, offset: f64) -> CropRect {
    let (x, y, w, h) = images::crop_window(width, height, target_ratio, offset);
    CropRect {
        x,
        y,
        width: w,
        height: h,
    }
}

/// Whether the two frames' shapes differ enough to warp the video, with the warning to show.
#[tauri::command]
#[specta::specta]
pub fn frame_mismatch(first_aspect: f64, last_aspect: f64) -> Option<Mismatch> {
    images::aspect_mismatch_of(first_aspect, last_aspect)
}
