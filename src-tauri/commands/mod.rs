//! Thin `#[tauri::command]` adapters, one file per area: parse arguments, call the core, map the error.

pub mod app;
pub mod batch;
pub mod batches;
pub mod clip_frames;
pub mod generate;
pub mod jobs;
pub mod preferences;
pub mod presets;
pub mod sequences;
pub mod session;
pub mod spend;
#[cfg(test)]
mod test_ipc;
pub mod unsent;

use crate::error::{IpcError, IpcResult, ShellError};

/// Runs blocking core work (image decoding, SQLite, file copies) on a worker thread and maps its error.
pub(crate) async fn blocking<T: Send + 'static, E: Into<IpcError> + Send + 'static>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> IpcResult<T> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(Into::into),
        Err(e) => Err(ShellError::Internal(e.to_string()).into()),
    }
}
