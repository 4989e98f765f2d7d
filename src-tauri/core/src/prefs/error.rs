//! What can be wrong with preferences, their file, or the output folder, in words a user can act on.
//! What the OS or the JSON parser said about a file travels apart, as the raw cause shown behind
//! "Details", so a message never reads "Permission denied (os error 13)".

use std::path::PathBuf;

use crate::api::BaseUrlError;
use crate::i18n::{Message, UserFacing};

/// Which of the two cost rates a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateField {
    WithAudio,
    WithoutAudio,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PrefsError {
    #[error("the API address override is not usable: {0}")]
    InvalidApiBase(#[source] BaseUrlError),
    #[error("the file name pattern uses an unknown placeholder {placeholder}")]
    UnknownPlaceholder { placeholder: String },
    #[error("the file name pattern {pattern:?} produces an empty file name")]
    EmptyFileName { pattern: String },
    #[error("the {field:?} cost rate {value} is not a non-negative number")]
    InvalidRate { field: RateField, value: f64 },
    #[error("{value} jobs at once is outside the allowed range")]
    ConcurrencyOutOfRange { value: u32 },
    #[error("{value} hours is outside the range for holding back unsent jobs")]
    HoldUnsentOutOfRange { value: u32 },
    #[error("a spend limit of {value} tokens is outside the allowed range")]
    SpendLimitOutOfRange { value: u32 },
    /// Not "system" and not the tag of a language the app ships.
    #[error("the language {tag:?} is not one the app ships")]
    UnknownLanguage { tag: String },
    /// A relative folder would depend on where the app happened to be started from.
    #[error("the output folder {path:?} is not a full path")]
    RelativeOutputDir { path: String },
    /// The UI asked to save a new output folder itself; only the folder picker the backend opens may set one.
    #[error("the output folder {path:?} was not chosen in the folder picker")]
    OutputDirNotChosen { path: String },
    /// Returned by saving when [`crate::prefs::Preferences::validate`] found problems.
    #[error("the settings have {} problem(s)", problems.len())]
    Invalid { problems: Vec<PrefsError> },
    /// `cause` is the OS's (or serialiser's) own text.
    #[error("the settings could not be saved to {path:?} ({problem:?}): {cause}")]
    SaveFailed {
        path: PathBuf,
        problem: SaveProblem,
        cause: String,
    },
    /// `cause` is the OS's own text, when the OS gave one.
    #[error("the output folder {path:?} cannot be used ({problem:?}): {}", .cause.as_deref().unwrap_or("-"))]
    OutputDirUnusable {
        path: PathBuf,
        problem: FolderProblem,
        cause: Option<String>,
    },
}

/// Why saving the settings failed, in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveProblem {
    /// A damaged settings file is in the way and could not be renamed.
    DamagedFileInTheWay,
    /// The folder or the file could not be written.
    CannotWrite,
}

/// Why the output folder cannot take videos, in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FolderProblem {
    /// Not a full path, or not valid Unicode: it could not be kept in the settings.
    NotStorable,
    CannotCreate,
    CannotRead,
    NotAFolder,
    NotWritable,
}

impl FolderProblem {
    /// The reason, to go inside a sentence.
    fn words(self) -> Message {
        Message::new(match self {
            Self::NotStorable => "msg.prefs.folder_not_storable",
            Self::CannotCreate => "msg.prefs.folder_cannot_create",
            Self::CannotRead => "msg.prefs.folder_cannot_read",
            Self::NotAFolder => "msg.prefs.folder_not_a_folder",
            Self::NotWritable => "msg.prefs.folder_not_writable",
        })
    }
}

/// Why a settings file could not be used, in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileDamage {
    Unreadable,
    NotSettings,
    InvalidValues,
}

impl FileDamage {
    /// The reason, to go inside a sentence.
    fn words(self) -> Message {
        Message::new(match self {
            Self::Unreadable => "msg.prefs.file_unreadable",
            Self::NotSettings => "msg.prefs.file_not_settings",
            Self::InvalidValues => "msg.prefs.file_invalid_values",
        })
    }
}

impl PrefsError {
    /// The individual problems: those inside `Invalid`, or this error alone.
    pub fn problems(&self) -> Vec<&PrefsError> {
        match self {
            Self::Invalid { problems } => problems.iter().collect(),
            other => vec![other],
        }
    }
}

impl UserFacing for PrefsError {
    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::SaveFailed { cause, .. } => Some(cause.clone()),
            Self::OutputDirUnusable { cause, .. } => cause.clone(),
            _ => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::InvalidApiBase(_) => "prefs_invalid_api_base",
            Self::UnknownPlaceholder { .. } => "prefs_unknown_placeholder",
            Self::EmptyFileName { .. } => "prefs_empty_file_name",
            Self::InvalidRate { .. } => "prefs_invalid_rate",
            Self::ConcurrencyOutOfRange { .. } => "prefs_concurrency_out_of_range",
            Self::HoldUnsentOutOfRange { .. } => "prefs_hold_unsent_out_of_range",
            Self::SpendLimitOutOfRange { .. } => "prefs_spend_limit_out_of_range",
            Self::UnknownLanguage { .. } => "prefs_unknown_language",
            Self::RelativeOutputDir { .. } => "prefs_relative_output_dir",
            Self::OutputDirNotChosen { .. } => "prefs_output_dir_not_chosen",
            Self::Invalid { .. } => "prefs_invalid",
            Self::SaveFailed { .. } => "prefs_save_failed",
            Self::OutputDirUnusable { .. } => "output_dir_unusable",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::InvalidApiBase(e) => e.msg(),
            Self::UnknownPlaceholder { placeholder } => {
                Message::new("msg.prefs.unknown_placeholder")
                    .arg("placeholder", placeholder.as_str())
            }
            Self::EmptyFileName { pattern } => {
                Message::new("msg.prefs.empty_file_name").arg("pattern", pattern.as_str())
            }
            // As text: the refused value may be NaN or infinite, which a number argument never is.
            Self::InvalidRate { field, value } => Message::new(match field {
                RateField::WithAudio => "msg.prefs.invalid_rate_with_audio",
                RateField::WithoutAudio => "msg.prefs.invalid_rate_without_audio",
            })
            .arg("value", value.to_string()),
            Self::ConcurrencyOutOfRange { value } => {
                let range = super::CONCURRENT_JOBS_RANGE;
                Message::new("msg.prefs.concurrency_out_of_range")
                    .arg("value", *value)
                    .arg("min", *range.start())
                    .arg("max", *range.end())
            }
            Self::HoldUnsentOutOfRange { value } => {
                let range = super::HOLD_UNSENT_HOURS_RANGE;
                Message::new("msg.prefs.hold_unsent_out_of_range")
                    .arg("value", *value)
                    .arg("min", *range.start())
                    .arg("max", *range.end())
            }
            Self::SpendLimitOutOfRange { value } => {
                let range = crate::spend::SPEND_LIMIT_RANGE;
                Message::new("msg.prefs.spend_limit_out_of_range")
                    .arg("value", *value)
                    .arg("min", *range.start())
                    .arg("max", *range.end())
            }
            Self::UnknownLanguage { tag } => {
                Message::new("msg.prefs.unknown_language").arg("tag", tag.as_str())
            }
            Self::RelativeOutputDir { path } => {
                Message::new("msg.prefs.relative_output_dir").arg("path", path.as_str())
            }
            Self::OutputDirNotChosen { path } => {
                Message::new("msg.prefs.output_dir_not_chosen").arg("path", path.as_str())
            }
            Self::Invalid { problems } => {
                Message::lines(problems.iter().map(UserFacing::msg).collect())
            }
            Self::SaveFailed { path, problem, .. } => Message::new(match problem {
                SaveProblem::DamagedFileInTheWay => "msg.prefs.save_failed_damaged_file",
                SaveProblem::CannotWrite => "msg.prefs.save_failed",
            })
            .arg("path", path),
            Self::OutputDirUnusable { path, problem, .. } => {
                Message::new("msg.prefs.output_dir_unusable")
                    .arg("path", path)
                    .arg("reason", problem.words())
            }
        }
    }
}

/// Something the user should know after loading settings; the app carries on with defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrefsWarning {
    /// The settings file could not be used and was moved aside to `backup`. `cause` is what the OS or
    /// the parser said.
    Damaged {
        path: PathBuf,
        backup: PathBuf,
        damage: FileDamage,
        cause: String,
    },
    /// The settings file could not be used, and could not be moved aside either; it is left untouched
    /// and saving refuses to overwrite it until it can be moved.
    DamagedInPlace {
        path: PathBuf,
        damage: FileDamage,
        cause: String,
    },
}

impl UserFacing for PrefsWarning {
    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Damaged { cause, .. } | Self::DamagedInPlace { cause, .. } => Some(cause.clone()),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::Damaged { .. } => "prefs_file_damaged",
            Self::DamagedInPlace { .. } => "prefs_file_damaged_in_place",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::Damaged { backup, damage, .. } => Message::new("msg.prefs.file_damaged")
                .arg("reason", damage.words())
                .arg("backup", backup),
            Self::DamagedInPlace { path, damage, .. } => {
                Message::new("msg.prefs.file_damaged_in_place")
                    .arg("path", path)
                    .arg("reason", damage.words())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// No OS or parser wording (what `io::Error` and serde print) in a message meant for the user.
    fn assert_plain(m: &Message) {
        for text in [&m.text("en"), &m.text("zh-CN")] {
            for jargon in [
                "os error",
                "Not a directory",
                "Is a directory",
                "line 1 column",
                "expected",
            ] {
                assert!(!text.contains(jargon), "{jargon:?} in {text}");
            }
        }
    }

    /// Problems met on disk say what happened in words; the OS's own text waits behind Details.
    #[test]
    fn os_and_parser_words_stay_out_of_the_message() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();

        // A folder below a file cannot be created (ENOTDIR).
        let folder = super::super::ensure_output_dir(&file.join("videos")).unwrap_err();
        assert_eq!(folder.kind(), "output_dir_unusable");
        assert_plain(&folder.msg());
        assert!(
            folder.msg().text("en").contains("could not be created"),
            "{}",
            folder.msg().text("en")
        );
        assert!(
            folder.msg().text("zh-CN").contains("无法创建"),
            "{}",
            folder.msg().text("zh-CN")
        );
        let cause = folder.raw_cause().expect("the OS text is kept for Details");
        assert!(cause.contains("os error"), "{cause}");
        // It reaches a job's problem the same way.
        let job = crate::jobs::JobError::from(folder);
        assert_plain(&job.msg());
        assert_eq!(job.raw_cause(), Some(cause));

        // Settings that cannot be written (their folder would be below a file).
        let save = super::super::PrefsStore::new(file.join("data").join("preferences.json"))
            .save(&super::super::Preferences::default())
            .unwrap_err();
        assert_eq!(save.kind(), "prefs_save_failed");
        assert_plain(&save.msg());
        assert!(save.raw_cause().is_some_and(|c| c.contains("os error")));

        // A settings file that is not JSON, and one that cannot be read (a folder in its place).
        let garbled = tmp.path().join("garbled.json");
        std::fs::write(&garbled, b"not json").unwrap();
        let folder_in_place = tmp.path().join("folder.json");
        std::fs::create_dir(&folder_in_place).unwrap();
        for path in [garbled, folder_in_place] {
            let warning = super::super::PrefsStore::new(&path).load().warning.unwrap();
            assert_plain(&warning.msg());
            assert!(warning.raw_cause().is_some(), "{warning:?}");
        }
    }

    #[test]
    fn every_message_names_the_problem_in_both_languages() {
        let path = PathBuf::from("/data/preferences.json");
        let backup = PathBuf::from("/data/preferences.corrupt-20250101-000000.json");
        let warnings = [
            PrefsWarning::Damaged {
                path: path.clone(),
                backup: backup.clone(),
                damage: FileDamage::NotSettings,
                cause: "EOF while parsing a value at line 1 column 0".into(),
            },
            PrefsWarning::DamagedInPlace {
                path: path.clone(),
                damage: FileDamage::Unreadable,
                cause: "Permission denied (os error 13)".into(),
            },
        ];
        for w in &warnings {
            let m = w.msg();
            assert_ne!(
                m.key,
                "msg.text",
                "{}: a catalog key, not fixed text",
                w.kind()
            );
            assert!(
                m.text("en").contains("default") && m.text("zh-CN").contains("默认"),
                "{m:?}"
            );
            assert_plain(&m);
            assert!(w.raw_cause().is_some());
        }
        assert!(warnings[0]
            .msg()
            .text("en")
            .contains(&backup.display().to_string()));
        assert!(warnings[1]
            .msg()
            .text("zh-CN")
            .contains(&path.display().to_string()));
        let save = PrefsError::SaveFailed {
            path: path.clone(),
            problem: SaveProblem::CannotWrite,
            cause: "No space left on device (os error 28)".into(),
        };
        assert!(
            save.msg().text("en").contains("disk is not full")
                && save.msg().text("zh-CN").contains("磁盘未满")
        );
        assert_plain(&save.msg());
        let in_the_way = PrefsError::SaveFailed {
            path: path.clone(),
            problem: SaveProblem::DamagedFileInTheWay,
            cause: "Permission denied (os error 13)".into(),
        };
        assert!(
            in_the_way.msg().text("en").contains("moved aside")
                && in_the_way.msg().text("zh-CN").contains("移开")
        );
        for problem in [
            FolderProblem::NotStorable,
            FolderProblem::CannotCreate,
            FolderProblem::CannotRead,
            FolderProblem::NotAFolder,
            FolderProblem::NotWritable,
        ] {
            let e = PrefsError::OutputDirUnusable {
                path: path.clone(),
                problem,
                cause: None,
            };
            let words = problem.words();
            let (en, zh) = (words.text("en"), words.text("zh-CN"));
            assert!(e.msg().text("en").contains(&en) && e.msg().text("zh-CN").contains(&zh));
            assert!(!zh.is_ascii());
        }
        let invalid = PrefsError::Invalid {
            problems: vec![
                PrefsError::ConcurrencyOutOfRange { value: 0 },
                PrefsError::RelativeOutputDir { path: "x".into() },
            ],
        };
        assert_eq!(invalid.problems().len(), 2);
        for e in invalid.problems().into_iter().chain([&save, &in_the_way]) {
            assert_ne!(
                e.msg().key,
                "msg.text",
                "{}: a catalog key, not fixed text",
                e.kind()
            );
        }
        assert_eq!(invalid.msg().text("en").lines().count(), 2);
        assert_eq!(save.problems(), vec![&save]);
    }
}
