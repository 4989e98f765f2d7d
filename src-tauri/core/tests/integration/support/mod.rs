//! Set-up shared by the areas' tests, one module per kind of thing set up.
#![allow(dead_code)]

pub mod api;
pub mod images;
pub mod jobs;
pub mod media;
pub mod pipeline;
pub mod presets;
pub mod raw_http;
pub mod rerun;
pub mod store;
