//! The starters every copy of the app has. They can be applied and duplicated, never renamed, changed or
//! deleted, so a user can always get back to a known-good setup.

use serde::{Deserialize, Serialize};

use crate::i18n::Message;
use crate::request::{Duration, Ratio, Resolution, Settings};

/// A built-in starter, by a key that never changes (the UI translates the name by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub enum BuiltinPreset {
    #[serde(rename = "draft_480p")]
    Draft480p,
    #[serde(rename = "vertical_9_16_720p")]
    Vertical9x16P720,
    #[serde(rename = "cinematic_21_9_1080p")]
    Cinematic21x9P1080,
    #[serde(rename = "silent_loop")]
    SilentLoop,
}

impl BuiltinPreset {
    /// In the order a fresh database lists them.
    pub const ALL: [BuiltinPreset; 4] = [
        Self::Draft480p,
        Self::Vertical9x16P720,
        Self::Cinematic21x9P1080,
        Self::SilentLoop,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Draft480p => "draft_480p",
            Self::Vertical9x16P720 => "vertical_9_16_720p",
            Self::Cinematic21x9P1080 => "cinematic_21_9_1080p",
            Self::SilentLoop => "silent_loop",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.key() == key)
    }

    /// The row id: fixed, so seeding twice (or from two processes) cannot make two copies.
    pub fn id(self) -> String {
        format!("builtin:{}", self.key())
    }

    /// The name the Presets screen shows for it (the UI's own catalog entry for this starter).
    pub fn name(self) -> Message {
        Message::new(match self {
            Self::Draft480p => "presets.builtin.draft_480p",
            Self::Vertical9x16P720 => "presets.builtin.vertical_9_16_720p",
            Self::Cinematic21x9P1080 => "presets.builtin.cinematic_21_9_1080p",
            Self::SilentLoop => "presets.builtin.silent_loop",
        })
    }

    pub fn settings(self) -> Settings {
        let base = Settings::default();
        let seconds = |s| Duration::seconds(s).unwrap_or_default();
        match self {
            // Cheapest way to try a prompt: draft mode, which only runs at 480p, and the shortest clip.
            Self::Draft480p => Settings {
                resolution: Resolution::P480,
                draft: true,
                duration: seconds(4),
                ..base
            },
            Self::Vertical9x16P720 => Settings {
                resolution: Resolution::P720,
                ratio: Ratio::R9x16,
                duration: seconds(5),
                ..base
            },
            Self::Cinematic21x9P1080 => Settings {
                resolution: Resolution::P1080,
                ratio: Ratio::R21x9,
                duration: seconds(10),
                ..base
            },
            // A loop wants no soundtrack to cut off and a camera that does not drift away from the start.
            Self::SilentLoop => Settings {
                resolution: Resolution::P720,
                ratio: Ratio::Adaptive,
                duration: seconds(5),
                generate_audio: false,
                camera_fixed: true,
                ..base
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::request::RequestDraft;

    #[test]
    fn every_builtin_is_a_valid_request() {
        for b in BuiltinPreset::ALL {
            let draft = RequestDraft::from_settings("a cat".into(), None, None, &b.settings());
            assert!(draft.validate().is_ok(), "{b:?}");
            assert_eq!(BuiltinPreset::from_key(b.key()), Some(b));
            assert_eq!(serde_json::to_value(b).unwrap(), b.key());
            assert!(!b.name().text("zh-CN").is_ascii());
        }
    }

    #[test]
    fn builtins_are_what_their_names_say() {
        let draft = BuiltinPreset::Draft480p.settings();
        assert!(draft.draft && draft.resolution == Resolution::P480);
        assert_eq!(
            BuiltinPreset::Vertical9x16P720.settings().ratio,
            Ratio::R9x16
        );
        let cinema = BuiltinPreset::Cinematic21x9P1080.settings();
        assert_eq!(
            (cinema.ratio, cinema.resolution),
            (Ratio::R21x9, Resolution::P1080)
        );
        assert!(!BuiltinPreset::SilentLoop.settings().generate_audio);
    }
}
