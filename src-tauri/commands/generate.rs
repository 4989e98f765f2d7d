//! The Generate screen's questions to the core: is this form sendable, what will it cost, where do dropped
//! files go, what is in this image.

use std::path::PathBuf;

use seedance_core::cost::CostRates;
use seedance_core::drop::{plan_drop, to_logical, zone_at, DropPlan, ZoneRect};
use seedance_core::form::{check_form, FormCheck};
use seedance_core::images::{self, FrameInfo, IntakeOptions};
use seedance_core::request::RequestDraft;

use crate::error::{IpcError, IpcResult};

#[tauri::command]
#[specta::specta]
pub fn check_request(draft: RequestDraft, first_frame_aspect: Option<f64>) -> FormCheck {
    check_form(&draft, first_frame_aspect, &CostRates::default())
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
    blocking(move || images::intake(&PathBuf::from(path), &IntakeOptions::default())).await
}

pub(crate) async fn blocking<T: Send + 'static, E: Into<IpcError> + Send + 'static>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> IpcResult<T> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(Into::into),
        Err(e) => Err(IpcError::internal(e.to_string())),
    }
}
