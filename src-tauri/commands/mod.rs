//! Thin `#[tauri::command]` adapters, one file per area: parse arguments, call the core, map the error.

pub mod app;
pub mod generate;
pub mod jobs;
pub mod presets;
pub mod settings;
