//! Presets in the database and in files.

mod files;
mod store;
