//! User-facing text. A message is a key into the language catalogs plus typed arguments ([`Message`]); each
//! language has one catalog, `ui/src/i18n/<language>.json`, which the UI renders from and Rust renders from
//! (notifications, logs meant for people) with the same `{{placeholder}}` rules ([`catalog`]). Adding a
//! language adds a catalog file and changes no Rust type.
//!
//! Every error a user can meet implements [`UserFacing`]: a stable `kind` the UI may switch on, and a
//! [`Message`] that says what happened and what to do.

pub mod catalog;
mod message;

pub use catalog::{render, Language};
pub use message::{Arg, Message};

/// A file size as every message shows it: decimal megabytes with one decimal ("41.0 MB"), the unit the
/// model's own limits are given in (a frame must be under 30 MB = 30 000 000 bytes). The UI formats sizes the
/// same way, so one file never shows two sizes.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// An error (or warning) that can be shown to a user.
pub trait UserFacing {
    /// A stable machine-readable name, e.g. `prompt_too_long`. The UI may switch on it.
    fn kind(&self) -> &'static str;
    /// What happened and what to do next, as a catalog message.
    fn msg(&self) -> Message;
    /// Facts the UI needs to offer the next step (JSON of a type exported to the bindings), if any.
    fn details(&self) -> Option<String> {
        None
    }
    /// The technical cause in its own words (an OS, transport or parser error), shown only behind a
    /// "Details" disclosure: the message itself says what happened in plain words.
    fn raw_cause(&self) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_decimal_megabytes() {
        assert_eq!(megabytes(41_000_000), "41.0 MB");
        assert_eq!(megabytes(39_100_000), "39.1 MB");
        assert_eq!(megabytes(30_000_000), "30.0 MB");
        assert_eq!(megabytes(52_428_800), "52.4 MB");
    }
}
