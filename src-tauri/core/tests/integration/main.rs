//! The core crate's integration tests: one test binary, so a change to the core is compiled and linked
//! into tests once rather than once per test file. Each area of the core has a module here, and a test's
//! path starts with its area, so `cargo nextest run -p seedance-core jobs::` (or `cargo test -p
//! seedance-core jobs::`) runs one area. Everything the areas share (the simulator and a client pointed at
//! it, generated images, a runner on a temporary store, a raw HTTP server) lives in `support`.
//!
//! Network tests use only 127.0.0.1: the simulator (`seedance-sim`) or a hand-written server in
//! `support::raw_http`. Tests that must run in a process of their own (a job worker killed mid-job, a
//! token taken out of the environment) start this same binary again with a filter that selects only
//! themselves (`support::rerun`); the job worker is `support::job_worker`, not a program of the crate.
//! No test changes the environment or the current folder of the test runner's process, so `cargo test`
//! (every test a thread of one process) runs them as safely as `cargo nextest` (a process each).
//! Files the tests read (the JPEG samples) are in `tests/fixtures/`, which the core's unit tests use too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
pub mod batch;
pub mod film;
mod images;
mod jobs;
mod media;
mod pipeline;
mod prefs;
mod presets;
mod request;
mod sequence;
mod store;
mod support;
mod token;
