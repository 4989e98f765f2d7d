//! The generation request: typed settings, the raw form the UI and presets hold, validation against
//! every rule of the create endpoint, and the exact JSON body sent to it. This is the only place those
//! rules live; the UI asks the backend instead of repeating them.

mod draft;
mod error;
mod prompt;
mod settings;

#[cfg(test)]
mod body_tests;
#[cfg(test)]
mod tests;

pub use draft::{CreateBody, RequestDraft, ValidRequest};
pub use error::{describe, Field, FrameSlot, Problem, RequestError};
pub use prompt::{prompt_stats, PromptStats, PROMPT_ADVISED_WORDS, PROMPT_MAX_CHARS};
pub use settings::{
    ClipSeconds, DraftSettings, Duration, GenerationMode, Ratio, Resolution, Settings,
};
