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
    /// The reason in English and Chinese, to go inside a sentence.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::NotStorable => (
                "its path cannot be kept in the settings: it is not a full path, or has characters that cannot be stored",
                "其路径无法保存到设置中：不是完整路径，或含有无法保存的字符",
            ),
            Self::CannotCreate => (
                "it does not exist and could not be created",
                "该文件夹不存在，且无法创建",
            ),
            Self::CannotRead => ("it could not be opened", "无法打开该文件夹"),
            Self::NotAFolder => ("it is a file, not a folder", "这是一个文件，而不是文件夹"),
            Self::NotWritable => (
                "the app is not allowed to write in it",
                "应用无权在其中写入文件",
            ),
        }
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
    /// The reason in English and Chinese, to go inside a sentence.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::Unreadable => ("it could not be read", "无法读取"),
            Self::NotSettings => (
                "it is not a settings file the app can read",
                "内容不是应用能读取的设置",
            ),
            Self::InvalidValues => (
                "it holds values the app does not accept",
                "含有应用不接受的值",
            ),
        }
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
            Self::UnknownPlaceholder { placeholder } => Message::verbatim(
                format!("The file name pattern uses {placeholder}, which Seedance Studio does not know. Use only {{date}}, {{time}}, {{prompt}}, {{id}}, {{ratio}}, {{resolution}} and {{duration}}, or reset the pattern to the default."),
                format!("文件命名规则中的 {placeholder} 无法识别。请只使用 {{date}}、{{time}}、{{prompt}}、{{id}}、{{ratio}}、{{resolution}} 和 {{duration}}，或将命名规则恢复为默认值。"),
            ),
            Self::EmptyFileName { pattern } => Message::verbatim(
                format!("The file name pattern \"{pattern}\" leaves nothing usable for a file name. Include at least one placeholder such as {{date}} or {{id}}, or some letters."),
                format!("文件命名规则“{pattern}”无法生成可用的文件名。请至少包含一个占位符（如 {{date}} 或 {{id}}）或一些文字。"),
            ),
            Self::InvalidRate { field, value } => {
                let (en, zh) = match field {
                    RateField::WithAudio => ("with audio", "含音频"),
                    RateField::WithoutAudio => ("without audio", "不含音频"),
                };
                Message::verbatim(
                    format!("The price per million tokens {en} ({value}) must be a number of 0 or more. Enter the rate from your SinanCode price list."),
                    format!("{zh}的每百万 token 价格（{value}）必须是大于或等于 0 的数字。请填写 SinanCode 价目表中的价格。"),
                )
            }
            Self::ConcurrencyOutOfRange { value } => Message::verbatim(
                format!("{value} jobs at once is not allowed. Choose a number from {} to {}.", super::CONCURRENT_JOBS_RANGE.start(), super::CONCURRENT_JOBS_RANGE.end()),
                format!("不支持同时运行 {value} 个任务。请选择 {} 到 {} 之间的数字。", super::CONCURRENT_JOBS_RANGE.start(), super::CONCURRENT_JOBS_RANGE.end()),
            ),
            Self::HoldUnsentOutOfRange { value } => Message::verbatim(
                format!("{value} hours is not allowed for holding back jobs that were never sent. Choose a number from {} to {} (0 asks about every one).", super::HOLD_UNSENT_HOURS_RANGE.start(), super::HOLD_UNSENT_HOURS_RANGE.end()),
                format!("“未发送任务的保留时间”不支持 {value} 小时。请选择 {} 到 {} 之间的数字（0 表示每个都先询问）。", super::HOLD_UNSENT_HOURS_RANGE.start(), super::HOLD_UNSENT_HOURS_RANGE.end()),
            ),
            Self::RelativeOutputDir { path } => Message::verbatim(
                format!("The output folder \"{path}\" is not a full path. Choose the folder with the Browse button in Settings."),
                format!("输出文件夹“{path}”不是完整路径。请在“设置”中点击“浏览”选择文件夹。"),
            ),
            Self::OutputDirNotChosen { path } => Message::verbatim(
                format!("The output folder \"{path}\" was not chosen in the folder picker, so the settings were not saved. Change the folder with the Choose… button in Settings, then save again."),
                format!("输出文件夹“{path}”不是在文件夹选择器中选择的，因此设置未保存。请在“设置”中点击“选择…”更改文件夹，然后重新保存。"),
            ),
            Self::Invalid { problems } => {
                Message::lines(problems.iter().map(UserFacing::msg).collect())
            }
            Self::SaveFailed { path, problem: SaveProblem::DamagedFileInTheWay, .. } => Message::verbatim(
                format!("Your settings could not be saved to {}: the damaged settings file there could not be moved aside. Move that file elsewhere or delete it, then save again.", path.display()),
                format!("无法将设置保存到 {}：该位置已损坏的设置文件无法移开。请将该文件移走或删除，然后重新保存。", path.display()),
            ),
            Self::SaveFailed { path, problem: SaveProblem::CannotWrite, .. } => Message::verbatim(
                format!("Your settings could not be saved to {}. Check that the disk is not full and the folder is writable, then try again.", path.display()),
                format!("无法将设置保存到 {}。请确认磁盘未满且文件夹可写，然后重试。", path.display()),
            ),
            Self::OutputDirUnusable { path, problem, .. } => {
                let (en, zh) = problem.words();
                Message::verbatim(
                    format!("Videos cannot be saved in the folder {} ({en}). Choose another output folder in Settings.", path.display()),
                    format!("无法将视频保存到文件夹 {}（{zh}）。请在“设置”中选择其他输出文件夹。", path.display()),
                )
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
            Self::Damaged { backup, damage, .. } => {
                let (en, zh) = damage.words();
                Message::verbatim(
                    format!("Your settings file was damaged ({en}), so default settings are in use. The old file was kept at {}. Review your settings and save them again.", backup.display()),
                    format!("设置文件已损坏（{zh}），当前使用默认设置。旧文件已保留在 {}。请检查设置并重新保存。", backup.display()),
                )
            }
            Self::DamagedInPlace { path, damage, .. } => {
                let (en, zh) = damage.words();
                Message::verbatim(
                    format!("Your settings file at {} was damaged ({en}), so default settings are in use. It could not be renamed and was left as it is; move it elsewhere or delete it, then save your settings again.", path.display()),
                    format!("位于 {} 的设置文件已损坏（{zh}），当前使用默认设置。该文件无法重命名，已原样保留；请将其移走或删除，然后重新保存设置。", path.display()),
                )
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
            let (en, zh) = problem.words();
            assert!(e.msg().text("en").contains(en) && e.msg().text("zh-CN").contains(zh));
            assert!(!zh.is_ascii());
        }
        let invalid = PrefsError::Invalid {
            problems: vec![
                PrefsError::ConcurrencyOutOfRange { value: 0 },
                PrefsError::RelativeOutputDir { path: "x".into() },
            ],
        };
        assert_eq!(invalid.problems().len(), 2);
        assert_eq!(invalid.msg().text("en").lines().count(), 2);
        assert_eq!(save.problems(), vec![&save]);
    }
}
