//! The user's preferences (the Settings screen's data), kept as a JSON file in the app's data folder.
//! The API token is never part of them: it lives only in the OS keychain.
//!
//! Loading never fails: a missing file means defaults, and a damaged one is set aside (never deleted) so
//! the app still starts. Saving validates first and replaces the file atomically, so a crash mid-save
//! leaves either the old or the new settings, never half of each.

mod error;
mod file_name;
mod handle;
mod language;
mod output_dir;
mod store;
mod validate;

use serde::{Deserialize, Serialize};

use crate::cost::CostRates;
use crate::request::RequestDraft;
use crate::spend::{SpendLimits, SPEND_LIMIT_RANGE};

pub use error::{FileDamage, FolderProblem, PrefsError, PrefsWarning, RateField, SaveProblem};
pub use file_name::{
    output_file_name, render_file_name, render_file_name_with, unique_path, BatchPlace,
    FileNameParts, FALLBACK_FILE_NAME, MAX_FILE_NAME_CHARS, PLACEHOLDERS,
};
pub use handle::PrefsHandle;
pub use language::Language;
pub use output_dir::{
    check_output_dir_kept, default_output_dir, ensure_output_dir, resolve_output_dir,
    with_chosen_output_dir, OUTPUT_SUBFOLDER,
};
pub use store::{LoadOutcome, PrefsStore, PREFS_FILE_NAME};

/// The pattern used when the user has not chosen one.
pub const DEFAULT_FILE_NAME_PATTERN: &str = "{date}_{time}_{prompt}";
/// How many jobs may upload, wait and download at once by default.
pub const DEFAULT_MAX_CONCURRENT_JOBS: u32 = 3;
/// Default for [`Preferences::hold_unsent_after_hours`] (see `jobs::DEFAULT_HOLD_UNSENT_AFTER` for why).
pub const DEFAULT_HOLD_UNSENT_AFTER_HOURS: u32 = 6;
/// Allowed range for [`Preferences::hold_unsent_after_hours`]; 0 asks about every job never sent.
pub const HOLD_UNSENT_HOURS_RANGE: std::ops::RangeInclusive<u32> = 0..=168;
/// Allowed range for [`Preferences::max_concurrent_jobs`]; more would mostly earn rate limits.
pub const CONCURRENT_JOBS_RANGE: std::ops::RangeInclusive<u32> = 1..=8;

/// The number fields of the Settings screen, bounded by the same ranges saving checks (the UI declares
/// none of its own; exported to the bindings as `PREFERENCE_LIMITS`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct PreferenceLimits {
    pub max_concurrent_jobs: WholeRange,
    pub hold_unsent_after_hours: WholeRange,
    /// Each spend limit, in tokens (an empty field is no limit).
    pub spend_limit_tokens: WholeRange,
}

/// `min..=max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct WholeRange {
    pub min: u32,
    pub max: u32,
}

impl From<std::ops::RangeInclusive<u32>> for WholeRange {
    fn from(range: std::ops::RangeInclusive<u32>) -> Self {
        Self {
            min: *range.start(),
            max: *range.end(),
        }
    }
}

impl PreferenceLimits {
    pub fn current() -> Self {
        Self {
            max_concurrent_jobs: CONCURRENT_JOBS_RANGE.into(),
            hold_unsent_after_hours: HOLD_UNSENT_HOURS_RANGE.into(),
            spend_limit_tokens: SPEND_LIMIT_RANGE.into(),
        }
    }
}

/// Which of the two addresses an upload reply offers is sent to the model.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum UploadRegion {
    /// The reply's `url`.
    #[default]
    Global,
    /// The reply's `cn_url`, faster from mainland China.
    China,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// Everything the Settings screen edits, plus the last used generation form.
/// `#[serde(default)]` lets files written by older versions (fewer fields) load; unknown fields written
/// by newer versions are ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct Preferences {
    /// Where finished videos go; `None` means the default (see [`default_output_dir`]).
    pub output_dir: Option<String>,
    /// How result files are named; see [`PLACEHOLDERS`].
    pub file_name_pattern: String,
    pub upload_region: UploadRegion,
    /// Advanced: another API address (e.g. a proxy). `None` or blank means the default.
    pub api_base: Option<String>,
    pub cost_rates: CostRates,
    pub language: Language,
    pub theme: Theme,
    /// Notify when a job finishes or fails while the window is unfocused.
    pub notifications: bool,
    pub max_concurrent_jobs: u32,
    /// A job stored but never sent (the app stopped before its create request) that is older than this
    /// many hours is not sent on start: it waits as "not sent yet" until the user sends or discards it.
    pub hold_unsent_after_hours: u32,
    /// Optional limits per batch, day and month (see `crate::spend`).
    pub spend_limits: SpendLimits,
    /// Ask the release server for a newer version when the app starts (the app only; a failed check on
    /// start is silent).
    pub check_for_updates: bool,
    /// The generation form as last used, restored on the next start.
    pub last_request: Option<RequestDraft>,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            output_dir: None,
            file_name_pattern: DEFAULT_FILE_NAME_PATTERN.to_owned(),
            upload_region: UploadRegion::default(),
            api_base: None,
            cost_rates: CostRates::default(),
            language: Language::default(),
            theme: Theme::default(),
            notifications: true,
            max_concurrent_jobs: DEFAULT_MAX_CONCURRENT_JOBS,
            hold_unsent_after_hours: DEFAULT_HOLD_UNSENT_AFTER_HOURS,
            spend_limits: SpendLimits::default(),
            check_for_updates: true,
            last_request: None,
        }
    }
}

impl Preferences {
    /// The API address override, if one is set and not blank. Validity is checked by
    /// [`Preferences::validate`].
    pub fn api_base_override(&self) -> Option<&str> {
        self.api_base
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The chosen output folder, if one is set and not blank.
    pub fn output_dir_override(&self) -> Option<&str> {
        self.output_dir
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn enums_use_the_documented_words() {
        let words = |v: serde_json::Value| v.as_str().unwrap().to_owned();
        assert_eq!(
            words(serde_json::to_value(Language::new("zh-CN")).unwrap()),
            "zh-CN"
        );
        assert_eq!(
            words(serde_json::to_value(Language::system()).unwrap()),
            "system"
        );
        assert_eq!(words(serde_json::to_value(Theme::Dark).unwrap()), "dark");
        assert_eq!(
            words(serde_json::to_value(UploadRegion::China).unwrap()),
            "china"
        );
        let lang: Language = serde_json::from_str("\"en\"").unwrap();
        assert_eq!(lang, Language::new("en"));
    }

    #[test]
    fn blank_overrides_count_as_none() {
        let p = Preferences {
            api_base: Some("  ".into()),
            output_dir: Some(String::new()),
            ..Preferences::default()
        };
        assert_eq!(p.api_base_override(), None);
        assert_eq!(p.output_dir_override(), None);
        let p = Preferences {
            api_base: Some(" https://proxy.example ".into()),
            ..Preferences::default()
        };
        assert_eq!(p.api_base_override(), Some("https://proxy.example"));
    }

    #[test]
    fn spend_limits_are_optional_checked_and_kept() {
        // A settings file from before spend limits has none.
        let old: Preferences = serde_json::from_str(r#"{"max_concurrent_jobs":2}"#).unwrap();
        assert_eq!(old.spend_limits, SpendLimits::default());
        assert!(old.validate().is_ok());

        let p = Preferences {
            spend_limits: SpendLimits {
                per_batch: Some(500_000),
                per_day: None,
                per_month: Some(20_000_000),
            },
            ..Preferences::default()
        };
        assert!(p.validate().is_ok());
        let back: Preferences = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back.spend_limits, p.spend_limits);

        let zero = Preferences {
            spend_limits: SpendLimits {
                per_day: Some(0),
                ..SpendLimits::default()
            },
            ..Preferences::default()
        };
        let problems = zero.validate().unwrap_err();
        assert_eq!(problems, [PrefsError::SpendLimitOutOfRange { value: 0 }]);
        let m = crate::i18n::UserFacing::msg(&problems[0]);
        assert!(m.text("en").contains("empty"), "{}", m.text("en"));
        assert!(m.text("zh-CN").contains("留空"), "{}", m.text("zh-CN"));
        assert_eq!(PreferenceLimits::current().spend_limit_tokens.min, 1);
    }
}
