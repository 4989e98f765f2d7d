//! Set-up shared by the areas' tests, one module per kind of thing set up.

pub mod api;
pub mod batch;
pub mod images;
pub mod job_worker;
pub mod jobs;
pub mod media;
pub mod pipeline;
pub mod presets;
pub mod raw_http;
pub mod rerun;
pub mod store;

use seedance_core::request::RequestDraft;

/// A form with only a prompt, every other field at its default.
pub fn text_draft(prompt: &str) -> RequestDraft {
    RequestDraft {
        prompt: prompt.into(),
        ..RequestDraft::default()
    }
}
