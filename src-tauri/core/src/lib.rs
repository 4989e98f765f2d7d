//! Seedance Studio's domain: everything the app does, with no tauri dependency, so it is tested without a
//! window and shared by every front end.
//!
//! # Modules
//!
//! A generation request, from the form to the video on disk:
//! - [`request`]: the generation request — its settings (ratio, resolution, duration, audio…), the raw
//!   draft the UI and presets hold, validation against every rule of the create endpoint, the JSON body.
//! - [`form`]: the Generate form's whole state in one call (problems per field, mode, estimate).
//! - [`cost`]: what a request will produce and roughly cost.
//! - [`images`]: frame intake (sniff, decode with limits, orientation, previews) and fixed copies.
//! - [`drop`], [`frame_handles`]: which slot a dropped file fills; the opaque handles that are the only
//!   way the webview names a frame file.
//! - [`api`]: the SinanCode HTTP client (upload, create, query, download) and its base URLs.
//! - [`pipeline`]: one request in, one MP4 out; stateless, reporting each step to a [`pipeline::Checkpoint`].
//! - [`jobs`]: the job runner: stores a job before anything is sent, runs it through the pipeline,
//!   resumes it after a quit or crash, and holds back jobs never sent.
//! - [`store`]: the SQLite database (jobs, upload cache, presets' tables); [`durable`]: crash-safe file
//!   replacement.
//! - [`film`]: finished clips joined into one MP4 without re-encoding; text metadata in an MP4.
//! - [`recipe`]: what made a video (prompt, settings, task, frame hashes), written into the MP4 and read back.
//! - [`media`]: the loopback source the inline player streams finished videos from.
//! - [`presets`]: saved presets, built-in starters, and preset files.
//! - [`batch`]: many jobs from a list of images, a folder, a CSV/JSONL file or N takes; the plan (jobs,
//!   problems, total estimate) the review shows before anything is paid for.
//!
//! The user, the token and the service:
//! - [`config`]: the data folder and service hosts from the environment.
//! - [`prefs`]: the user's preferences file and [`prefs::PrefsHandle`], the one copy in memory.
//! - [`secrets`], [`credentials`], [`token_hosts`], [`token_check`]: the API token (keychain or launch
//!   environment only), the hosts it may go to, and "Test token".
//! - [`session`]: which service the app talks to now (live or demo) with which token, and what the UI may
//!   know about it.
//! - [`i18n`]: every error a user can meet has a stable `kind` and a message in English and 简体中文.
//!
//! # Invariants
//!
//! - A paid create request is sent at most once per job unless the user asks for another: the job is
//!   written before the request may leave, and an unknown outcome becomes "submission uncertain" for the
//!   user to decide, never a retry.
//! - The API token never reaches disk (outside the OS keychain), logs, the webview, or a host it is not
//!   bound to; [`secrets::ApiToken`] redacts itself.
//! - Every rule about a request lives here once; front ends ask instead of repeating it.
//! - Preferences change only through [`prefs::PrefsHandle::update`]: copy, save durably, swap, under one
//!   lock.
//! - Everything that waits on the clock, the keychain, the network or the user is behind a trait or a
//!   base URL ([`api::Clock`], [`secrets::SecretStore`], [`credentials::HostQuestion`],
//!   [`jobs::ConnectionSource`], [`session::DemoService`]), so tests run against the simulator on
//!   127.0.0.1 in fake time.
//! - Diagnostics go through `tracing`; the embedding program decides where they end up.
//!
//! # Who uses it
//!
//! - The desktop shell (`src-tauri/`): thin tauri commands that parse arguments, call this crate and
//!   turn its errors into the IPC error; it starts the simulator for demo mode and answers the host
//!   question with a native dialog.
//! - The simulator (`seedance-sim`) does not depend on this crate; this crate's tests, benches and the
//!   shell's demo mode run against it over loopback HTTP.
//! - The fuzz targets (`fuzz/`) and their replay tests (`src-tauri/fuzz-checks`) reach crate-private
//!   parsers through the `fuzzing` feature.
//! - `seedance-job-worker` (`src/bin`) runs jobs in a process of its own, for the tests that kill it
//!   mid-job and start it again.
//!
//! This crate must never depend on tauri.

pub mod api;
pub mod batch;
pub mod config;
pub mod cost;
pub mod credentials;
pub mod drop;
pub mod durable;
pub mod film;
pub mod form;
pub mod frame_handles;
pub mod i18n;
pub mod images;
pub mod jobs;
pub mod media;
pub mod pipeline;
pub mod prefs;
pub mod presets;
pub mod recipe;
pub mod request;
pub mod secrets;
pub mod sequence;
pub mod session;
pub mod spend;
pub mod store;
pub mod token_check;
pub mod token_hosts;
