//! User-facing text in the two languages the app ships. Every error a user can meet implements
//! [`UserFacing`], so the shell can hand the UI a stable `kind` plus a message in English and 简体中文.

use serde::Serialize;

/// A message in every language the app ships.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct Msg {
    pub en: String,
    pub zh: String,
}

impl Msg {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            zh: zh.into(),
        }
    }
}

/// An error (or warning) that can be shown to a user.
pub trait UserFacing {
    /// A stable machine-readable name, e.g. `prompt_too_long`. The UI may switch on it.
    fn kind(&self) -> &'static str;
    /// What happened and what to do next, in English and 简体中文.
    fn msg(&self) -> Msg;
    /// Facts the UI needs to offer the next step (JSON of a type exported to the bindings), if any.
    fn details(&self) -> Option<String> {
        None
    }
}
