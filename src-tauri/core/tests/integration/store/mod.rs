//! The job store (SQLite) through its public API.

mod jobs;
mod list;
mod open;
mod submission;
