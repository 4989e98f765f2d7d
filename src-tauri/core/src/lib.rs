//! Seedance Studio's domain. This crate must never depend on tauri: the app shell only wires it up.

pub mod api;
pub mod config;
pub mod cost;
pub mod credentials;
pub mod drop;
pub mod durable;
pub mod form;
pub mod frame_handles;
pub mod i18n;
pub mod images;
pub mod jobs;
pub mod media;
pub mod pipeline;
pub mod prefs;
pub mod presets;
pub mod request;
pub mod secrets;
pub mod session;
pub mod store;
pub mod token_check;
pub mod token_hosts;
