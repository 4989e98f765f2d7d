//! What can be wrong with preferences, their file, or the output folder, in words a user can act on.

use std::path::PathBuf;

use crate::api::BaseUrlError;
use crate::i18n::{Msg, UserFacing};

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
    #[error("the settings could not be saved to {path:?}: {reason}")]
    SaveFailed { path: PathBuf, reason: String },
    #[error("the output folder {path:?} cannot be used: {reason}")]
    OutputDirUnusable { path: PathBuf, reason: String },
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

    fn msg(&self) -> Msg {
        match self {
            Self::InvalidApiBase(e) => e.msg(),
            Self::UnknownPlaceholder { placeholder } => Msg::new(
                format!("The file name pattern uses {placeholder}, which Seedance Studio does not know. Use only {{date}}, {{time}}, {{prompt}}, {{id}}, {{ratio}}, {{resolution}} and {{duration}}, or reset the pattern to the default."),
                format!("文件命名规则中的 {placeholder} 无法识别。请只使用 {{date}}、{{time}}、{{prompt}}、{{id}}、{{ratio}}、{{resolution}} 和 {{duration}}，或将命名规则恢复为默认值。"),
            ),
            Self::EmptyFileName { pattern } => Msg::new(
                format!("The file name pattern \"{pattern}\" leaves nothing usable for a file name. Include at least one placeholder such as {{date}} or {{id}}, or some letters."),
                format!("文件命名规则“{pattern}”无法生成可用的文件名。请至少包含一个占位符（如 {{date}} 或 {{id}}）或一些文字。"),
            ),
            Self::InvalidRate { field, value } => {
                let (en, zh) = match field {
                    RateField::WithAudio => ("with audio", "含音频"),
                    RateField::WithoutAudio => ("without audio", "不含音频"),
                };
                Msg::new(
                    format!("The price per million tokens {en} ({value}) must be a number of 0 or more. Enter the rate from your SinanCode price list."),
                    format!("{zh}的每百万 token 价格（{value}）必须是大于或等于 0 的数字。请填写 SinanCode 价目表中的价格。"),
                )
            }
            Self::ConcurrencyOutOfRange { value } => Msg::new(
                format!("{value} jobs at once is not allowed. Choose a number from {} to {}.", super::CONCURRENT_JOBS_RANGE.start(), super::CONCURRENT_JOBS_RANGE.end()),
                format!("不支持同时运行 {value} 个任务。请选择 {} 到 {} 之间的数字。", super::CONCURRENT_JOBS_RANGE.start(), super::CONCURRENT_JOBS_RANGE.end()),
            ),
            Self::HoldUnsentOutOfRange { value } => Msg::new(
                format!("{value} hours is not allowed for holding back jobs that were never sent. Choose a number from {} to {} (0 asks about every one).", super::HOLD_UNSENT_HOURS_RANGE.start(), super::HOLD_UNSENT_HOURS_RANGE.end()),
                format!("“未发送任务的保留时间”不支持 {value} 小时。请选择 {} 到 {} 之间的数字（0 表示每个都先询问）。", super::HOLD_UNSENT_HOURS_RANGE.start(), super::HOLD_UNSENT_HOURS_RANGE.end()),
            ),
            Self::RelativeOutputDir { path } => Msg::new(
                format!("The output folder \"{path}\" is not a full path. Choose the folder with the Browse button in Settings."),
                format!("输出文件夹“{path}”不是完整路径。请在“设置”中点击“浏览”选择文件夹。"),
            ),
            Self::OutputDirNotChosen { path } => Msg::new(
                format!("The output folder \"{path}\" was not chosen in the folder picker, so the settings were not saved. Change the folder with the Choose… button in Settings, then save again."),
                format!("输出文件夹“{path}”不是在文件夹选择器中选择的，因此设置未保存。请在“设置”中点击“选择…”更改文件夹，然后重新保存。"),
            ),
            Self::Invalid { problems } => {
                let msgs: Vec<Msg> = problems.iter().map(UserFacing::msg).collect();
                Msg::new(
                    msgs.iter().map(|m| m.en.as_str()).collect::<Vec<_>>().join("\n"),
                    msgs.iter().map(|m| m.zh.as_str()).collect::<Vec<_>>().join("\n"),
                )
            }
            Self::SaveFailed { path, reason } => Msg::new(
                format!("Your settings could not be saved to {} ({reason}). Check that the disk is not full and the folder is writable, then try again.", path.display()),
                format!("无法将设置保存到 {}（{reason}）。请确认磁盘未满且文件夹可写，然后重试。", path.display()),
            ),
            Self::OutputDirUnusable { path, reason } => Msg::new(
                format!("Videos cannot be saved in the folder {} ({reason}). Choose another output folder in Settings.", path.display()),
                format!("无法将视频保存到文件夹 {}（{reason}）。请在“设置”中选择其他输出文件夹。", path.display()),
            ),
        }
    }
}

/// Something the user should know after loading settings; the app carries on with defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrefsWarning {
    /// The settings file could not be used and was moved aside to `backup`.
    Damaged {
        path: PathBuf,
        backup: PathBuf,
        reason: String,
    },
    /// The settings file could not be used, and could not be moved aside either; it is left untouched
    /// and saving refuses to overwrite it until it can be moved.
    DamagedInPlace { path: PathBuf, reason: String },
}

impl UserFacing for PrefsWarning {
    fn kind(&self) -> &'static str {
        match self {
            Self::Damaged { .. } => "prefs_file_damaged",
            Self::DamagedInPlace { .. } => "prefs_file_damaged_in_place",
        }
    }

    fn msg(&self) -> Msg {
        match self {
            Self::Damaged { backup, reason, .. } => Msg::new(
                format!("Your settings file was damaged ({reason}), so default settings are in use. The old file was kept at {}. Review your settings and save them again.", backup.display()),
                format!("设置文件已损坏（{reason}），当前使用默认设置。旧文件已保留在 {}。请检查设置并重新保存。", backup.display()),
            ),
            Self::DamagedInPlace { path, reason } => Msg::new(
                format!("Your settings file at {} was damaged ({reason}), so default settings are in use. It could not be renamed and was left as it is; move it elsewhere or delete it, then save your settings again.", path.display()),
                format!("位于 {} 的设置文件已损坏（{reason}），当前使用默认设置。该文件无法重命名，已原样保留；请将其移走或删除，然后重新保存设置。", path.display()),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_names_the_problem_in_both_languages() {
        let path = PathBuf::from("/data/preferences.json");
        let backup = PathBuf::from("/data/preferences.corrupt-20250101-000000.json");
        let warnings = [
            PrefsWarning::Damaged {
                path: path.clone(),
                backup: backup.clone(),
                reason: "eof".into(),
            },
            PrefsWarning::DamagedInPlace {
                path: path.clone(),
                reason: "eof".into(),
            },
        ];
        for w in &warnings {
            let m = w.msg();
            assert!(m.en.contains("default") && m.zh.contains("默认"), "{m:?}");
            assert!(m.en.contains("eof") && m.zh.contains("eof"));
        }
        assert!(warnings[0].msg().en.contains(&backup.display().to_string()));
        assert!(warnings[1].msg().zh.contains(&path.display().to_string()));
        let save = PrefsError::SaveFailed {
            path: path.clone(),
            reason: "disk full".into(),
        };
        assert!(save.msg().en.contains("disk full") && save.msg().zh.contains("disk full"));
        let invalid = PrefsError::Invalid {
            problems: vec![
                PrefsError::ConcurrencyOutOfRange { value: 0 },
                PrefsError::RelativeOutputDir { path: "x".into() },
            ],
        };
        assert_eq!(invalid.problems().len(), 2);
        assert_eq!(invalid.msg().en.lines().count(), 2);
        assert_eq!(save.problems(), vec![&save]);
    }
}
