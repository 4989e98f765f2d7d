//! Command tests: each runs the real `seedance` binary in a data folder of its own, with the keychain
//! pointed at a D-Bus address that does not exist (a headless machine) unless the test is one of the
//! keychain tests `./dev test` runs inside a private gnome-keyring session. Network tests use only the
//! simulator on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod batch;
mod decodes;
mod frame;
mod frames;
mod generate;
mod jobs;
mod output;
mod presets;
mod queue;
mod send;
mod size;
mod support;
mod terminal;
mod token;
