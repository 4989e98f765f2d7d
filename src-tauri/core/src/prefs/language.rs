//! The language the user chose: `"system"` (follow the operating system) or the tag of a language the
//! app ships a catalog for (`"en"`, `"zh-CN"`; see [`crate::i18n::Language`]). A tag rather than an enum,
//! so shipping a language adds a catalog and changes no Rust type. The file keeps the plain string it
//! always held. A tag no shipped catalog has is an invalid value like any other ([`Preferences::validate`]):
//! saving it is refused, and a file naming it is set aside, so the app follows the system language.
//!
//! [`Preferences::validate`]: super::Preferences::validate

use serde::{Deserialize, Serialize};

use crate::i18n;

/// `"system"` or a shipped language's tag. Serialised as the bare string.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub struct Language(String);

impl Language {
    /// The tag that means "follow the operating system".
    pub const SYSTEM: &'static str = "system";

    /// Follow the operating system's language (the default).
    pub fn system() -> Self {
        Self(Self::SYSTEM.to_owned())
    }

    /// A tag as given; whether the app ships it is [`Language::is_known`].
    pub fn new(tag: impl Into<String>) -> Self {
        Self(tag.into())
    }

    pub fn tag(&self) -> &str {
        &self.0
    }

    pub fn is_system(&self) -> bool {
        self.0 == Self::SYSTEM
    }

    /// The shipped language this tag names exactly; `None` for "system" and for a tag no catalog has.
    pub fn shipped(&self) -> Option<i18n::Language> {
        i18n::Language::all().find(|l| l.tag() == self.0)
    }

    /// "system", or a language the app ships.
    pub fn is_known(&self) -> bool {
        self.is_system() || self.shipped().is_some()
    }
}

impl Default for Language {
    fn default() -> Self {
        Self::system()
    }
}

impl From<i18n::Language> for Language {
    fn from(language: i18n::Language) -> Self {
        Self::new(language.tag())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Every catalog the app ships is a language the user can choose and save, by the same tag, and the
    /// file holds the bare tag: adding a catalog needs no change here.
    #[test]
    fn every_shipped_catalog_is_a_choice_that_round_trips_by_its_tag() {
        let mut count = 0;
        for shipped in i18n::Language::all() {
            let chosen = Language::from(shipped);
            assert!(chosen.is_known(), "{} is not accepted", shipped.tag());
            assert_eq!(chosen.shipped(), Some(shipped));
            let json = serde_json::to_value(&chosen).unwrap();
            assert_eq!(json, serde_json::json!(shipped.tag()));
            assert_eq!(serde_json::from_value::<Language>(json).unwrap(), chosen);
            count += 1;
        }
        assert!(count >= 2, "only {count} shipped catalogs found");
    }

    #[test]
    fn system_is_the_default_and_an_unknown_tag_is_not_a_language() {
        assert_eq!(Language::default(), Language::new("system"));
        assert!(Language::system().is_known() && Language::system().shipped().is_none());
        for tag in ["fr", "klingon", "", "zh", "zh-cn", "EN"] {
            let unknown = Language::new(tag);
            assert!(!unknown.is_known(), "{tag:?} is accepted");
            assert_eq!(unknown.shipped(), None);
        }
    }
}
