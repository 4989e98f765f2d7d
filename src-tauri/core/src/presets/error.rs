//! What can go wrong with presets and preset files, in words a user can act on.

use std::path::PathBuf;

use super::model::MAX_NAME_CHARS;
use crate::i18n::{Message, UserFacing};
use crate::images::ImageError;
use crate::request::{FrameSlot, RequestError};
use crate::store::StoreError;

/// Which change a built-in starter refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuiltinAction {
    Rename,
    Update,
    Delete,
}

#[derive(Debug, thiserror::Error)]
pub enum PresetError {
    #[error("no preset with id {id}")]
    NotFound { id: String },
    #[error("built-in presets cannot be changed ({action:?})")]
    BuiltinReadOnly { action: BuiltinAction },
    #[error("the preset name is empty")]
    NameEmpty,
    #[error("the preset name has {chars} characters, at most {MAX_NAME_CHARS} are allowed")]
    NameTooLong { chars: usize },
    #[error("a preset named {name:?} already exists")]
    NameTaken { name: String },
    #[error("the preset's settings are invalid: {errors:?}")]
    Invalid { errors: Vec<RequestError> },
    #[error("the {slot} frame cannot be kept with the preset: {source}")]
    FrameUnusable {
        slot: FrameSlot,
        #[source]
        source: ImageError,
    },
    #[error("cannot write {path}: {source}")]
    WriteFailed {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Exports only write `.json` files: the path comes from the webview, which must not be able to
    /// overwrite any other kind of file.
    #[error("an export must be a .json file: {path}")]
    ExportNotJson { path: PathBuf },
    #[error("cannot read the preset file {path}: {source}")]
    ImportUnreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the preset file is {bytes} bytes, too large to import")]
    ImportTooLarge { bytes: u64 },
    /// More embedded frames than any real preset file holds (see `MAX_IMPORT_FRAMES`).
    #[error("the preset file embeds {count} frames, more than {limit}")]
    ImportTooManyFrames { count: usize, limit: usize },
    /// The embedded frames would decode to more than `MAX_IMPORT_FRAME_BYTES`.
    #[error("the preset file's frames add up to more than {limit} bytes")]
    ImportFramesTooLarge { limit: u64 },
    #[error("the preset file is not JSON: {detail}")]
    ImportNotJson { detail: String },
    #[error("the file is not a Seedance Studio preset file")]
    ImportWrongFormat,
    #[error("the preset file has version {found}, this app reads up to {supported}")]
    ImportNewerVersion { found: u64, supported: u32 },
    #[error("the preset file's contents are malformed: {detail}")]
    ImportMalformed { detail: String },
    #[error("preset {name:?} in the file has an unusable name")]
    ImportBadName { name: String },
    #[error("preset {name:?} in the file has invalid settings: {errors:?}")]
    ImportInvalid {
        name: String,
        errors: Vec<RequestError>,
    },
    #[error("preset {name:?} in the file collides with an existing preset")]
    ImportNameCollision { name: String, within_file: bool },
    #[error("the {slot} frame of preset {name:?} is not valid base64 image data")]
    ImportBadFrameData { name: String, slot: FrameSlot },
    #[error("the {slot} frame of preset {name:?} is not an image")]
    ImportFrameNotImage { name: String, slot: FrameSlot },
    /// Found when applying: the preset's copy of a frame is gone (e.g. the presets folder was cleaned up).
    #[error("the preset's {slot} frame file is missing")]
    FrameMissing { slot: FrameSlot },
    /// Found when applying: the preset's copy of a frame is no longer a readable image.
    #[error("the preset's {slot} frame file is damaged")]
    FrameDamaged { slot: FrameSlot },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for PresetError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Store(e.into())
    }
}

fn slot_words(slot: FrameSlot) -> (&'static str, &'static str) {
    match slot {
        FrameSlot::First => ("first", "首帧"),
        FrameSlot::Last => ("last", "尾帧"),
    }
}

fn joined(errors: &[RequestError], zh: bool) -> String {
    use crate::i18n::UserFacing as _;
    errors
        .iter()
        .map(|e| {
            if zh {
                e.msg().text("zh-CN")
            } else {
                e.msg().text("en")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const NOTHING_IMPORTED_EN: &str = "Nothing was imported.";
const NOTHING_IMPORTED_ZH: &str = "没有导入任何预设。";

impl UserFacing for PresetError {
    fn kind(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => "preset_not_found",
            Self::BuiltinReadOnly { .. } => "preset_builtin_read_only",
            Self::NameEmpty => "preset_name_empty",
            Self::NameTooLong { .. } => "preset_name_too_long",
            Self::NameTaken { .. } => "preset_name_taken",
            Self::Invalid { .. } => "preset_invalid",
            Self::FrameUnusable { .. } => "preset_frame_unusable",
            Self::WriteFailed { .. } => "preset_write_failed",
            Self::ExportNotJson { .. } => "preset_export_not_json",
            Self::ImportUnreadable { .. } => "preset_import_unreadable",
            Self::ImportTooLarge { .. } => "preset_import_too_large",
            Self::ImportTooManyFrames { .. } => "preset_import_too_many_frames",
            Self::ImportFramesTooLarge { .. } => "preset_import_frames_too_large",
            Self::ImportNotJson { .. } => "preset_import_not_json",
            Self::ImportWrongFormat => "preset_import_wrong_format",
            Self::ImportNewerVersion { .. } => "preset_import_newer_version",
            Self::ImportMalformed { .. } => "preset_import_malformed",
            Self::ImportBadName { .. } => "preset_import_bad_name",
            Self::ImportInvalid { .. } => "preset_import_invalid",
            Self::ImportNameCollision { .. } => "preset_import_name_collision",
            Self::ImportBadFrameData { .. } => "preset_import_bad_frame_data",
            Self::ImportFrameNotImage { .. } => "preset_import_frame_not_image",
            Self::FrameMissing { .. } => "preset_frame_missing",
            Self::FrameDamaged { .. } => "preset_frame_damaged",
            Self::Store(e) => e.kind(),
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::NotFound { .. } => Message::verbatim(
                "This preset no longer exists; it may have been deleted. Reopen the preset list.",
                "该预设已不存在，可能已被删除。请重新打开预设列表。",
            ),
            Self::BuiltinReadOnly { action } => {
                let (en, zh) = match action {
                    BuiltinAction::Rename => ("renamed", "重命名"),
                    BuiltinAction::Update => ("changed", "修改"),
                    BuiltinAction::Delete => ("deleted", "删除"),
                };
                Message::verbatim(
                    format!(
                        "Built-in presets cannot be {en}. Duplicate it and change the copy instead."
                    ),
                    format!("内置预设不能{zh}。请先复制一份，再修改副本。"),
                )
            }
            Self::NameEmpty => Message::verbatim(
                "The preset needs a name. Type one, then save again.",
                "预设需要一个名称。请输入名称后再保存。",
            ),
            Self::NameTooLong { chars } => Message::verbatim(
                format!(
                    "The name has {chars} characters; at most {MAX_NAME_CHARS} are allowed. Shorten it."
                ),
                format!("名称有 {chars} 个字符，最多允许 {MAX_NAME_CHARS} 个。请缩短名称。"),
            ),
            Self::NameTaken { name } => Message::verbatim(
                format!("A preset named \"{name}\" already exists. Choose another name."),
                format!("已存在名为“{name}”的预设。请换一个名称。"),
            ),
            Self::Invalid { errors } => Message::verbatim(
                format!("The preset cannot be saved: {}", joined(errors, false)),
                format!("无法保存预设：{}", joined(errors, true)),
            ),
            Self::FrameUnusable { slot, source } => {
                let (en, zh) = slot_words(*slot);
                let why = source.msg();
                Message::verbatim(
                    format!(
                        "The {en} frame could not be copied into the preset. {} Or save the preset without frames.",
                        why.text("en")
                    ),
                    format!("无法把{zh}复制到预设中。{}或者保存不含图片的预设。", why.text("zh-CN")),
                )
            }
            Self::WriteFailed { path, .. } => Message::verbatim(
                format!(
                    "Could not write {}. Check that the disk is not full and that you may write there, then try again.",
                    path.display()
                ),
                format!("无法写入 {}。请确认磁盘未满且有写入权限，然后重试。", path.display()),
            ),
            Self::ExportNotJson { path } => Message::verbatim(
                format!(
                    "Presets are exported as .json files, and {} is not one. Choose a name ending in .json, e.g. presets.json.",
                    path.display()
                ),
                format!("预设会导出为 .json 文件，而 {} 不是。请选择以 .json 结尾的文件名，例如 presets.json。", path.display()),
            ),
            Self::ImportUnreadable { path, .. } => Message::verbatim(
                format!(
                    "The file {} could not be read. Check that it still exists and that you may open it. {NOTHING_IMPORTED_EN}",
                    path.display()
                ),
                format!("无法读取文件 {}。请确认文件仍然存在且有权限打开。{NOTHING_IMPORTED_ZH}", path.display()),
            ),
            Self::ImportTooManyFrames { count, limit } => Message::verbatim(
                format!("The file embeds {count} frames; a preset file may hold at most {limit}. Export fewer presets at a time, or export them without frames. {NOTHING_IMPORTED_EN}"),
                format!("该文件内嵌了 {count} 张图片，一个预设文件最多可包含 {limit} 张。请每次导出更少的预设，或导出不含图片的预设。{NOTHING_IMPORTED_ZH}"),
            ),
            Self::ImportFramesTooLarge { limit } => Message::verbatim(
                format!("The frames in this file add up to more than {} MB, the most one import takes. Export fewer presets at a time, or export them without frames. {NOTHING_IMPORTED_EN}", limit / 1_000_000),
                format!("该文件中的图片合计超过 {} MB，超出单次导入的上限。请每次导出更少的预设，或导出不含图片的预设。{NOTHING_IMPORTED_ZH}", limit / 1_000_000),
            ),
            Self::ImportTooLarge { bytes } => Message::verbatim(
                format!(
                    "The file is {} MB, too large for a preset file. Export the presets again without frames, or fewer at a time. {NOTHING_IMPORTED_EN}",
                    bytes / 1_000_000
                ),
                format!(
                    "文件大小为 {} MB，作为预设文件过大。请重新导出不含图片的预设，或每次导出更少的预设。{NOTHING_IMPORTED_ZH}",
                    bytes / 1_000_000
                ),
            ),
            Self::ImportNotJson { .. } => Message::verbatim(
                format!("This file is not a preset file (it is not JSON, or it is damaged). Choose a file exported from Seedance Studio. {NOTHING_IMPORTED_EN}"),
                format!("该文件不是预设文件（不是 JSON 格式，或已损坏）。请选择从 Seedance Studio 导出的文件。{NOTHING_IMPORTED_ZH}"),
            ),
            Self::ImportWrongFormat => Message::verbatim(
                format!("This JSON file is not a Seedance Studio preset file. Choose a file exported from the Presets screen. {NOTHING_IMPORTED_EN}"),
                format!("该 JSON 文件不是 Seedance Studio 预设文件。请选择从“预设”页面导出的文件。{NOTHING_IMPORTED_ZH}"),
            ),
            Self::ImportNewerVersion { found, supported } => Message::verbatim(
                format!("This preset file was made by a newer version of Seedance Studio (format {found}; this version reads up to {supported}). Update the app, then import it again. {NOTHING_IMPORTED_EN}"),
                format!("该预设文件由更新版本的 Seedance Studio 创建（格式版本 {found}，本版本最高支持 {supported}）。请更新应用后再导入。{NOTHING_IMPORTED_ZH}"),
            ),
            Self::ImportMalformed { detail } => Message::verbatim(
                format!("The preset file is damaged or was edited by hand incorrectly ({detail}). Export it again from the app it came from. {NOTHING_IMPORTED_EN}"),
                format!("预设文件已损坏或手动编辑有误（{detail}）。请从原来的应用重新导出。{NOTHING_IMPORTED_ZH}"),
            ),
            Self::ImportBadName { name } => Message::verbatim(
                format!("A preset in the file has an unusable name (\"{name}\": empty or longer than {MAX_NAME_CHARS} characters). Fix the name in the file or export it again. {NOTHING_IMPORTED_EN}"),
                format!("文件中有预设的名称不可用（“{name}”：为空或超过 {MAX_NAME_CHARS} 个字符）。请修改文件中的名称或重新导出。{NOTHING_IMPORTED_ZH}"),
            ),
            Self::ImportInvalid { name, errors } => Message::verbatim(
                format!("The preset \"{name}\" in the file has settings this app cannot use: {} {NOTHING_IMPORTED_EN}", joined(errors, false)),
                format!("文件中的预设“{name}”包含无法使用的设置：{}{NOTHING_IMPORTED_ZH}", joined(errors, true)),
            ),
            Self::ImportNameCollision { name, within_file: false } => Message::verbatim(
                format!("You already have a preset named \"{name}\". Rename or delete yours, then import again. {NOTHING_IMPORTED_EN}"),
                format!("已存在名为“{name}”的预设。请先重命名或删除现有预设，再重新导入。{NOTHING_IMPORTED_ZH}"),
            ),
            Self::ImportNameCollision { name, within_file: true } => Message::verbatim(
                format!("The file holds two presets named \"{name}\". Rename one in the file, then import again. {NOTHING_IMPORTED_EN}"),
                format!("文件中有两个名为“{name}”的预设。请在文件中重命名其中一个，再重新导入。{NOTHING_IMPORTED_ZH}"),
            ),
            Self::ImportBadFrameData { name, slot } => {
                let (en, zh) = slot_words(*slot);
                Message::verbatim(
                    format!("The {en} frame of preset \"{name}\" in the file is damaged (not valid embedded image data). Export the preset again. {NOTHING_IMPORTED_EN}"),
                    format!("文件中预设“{name}”的{zh}数据已损坏（不是有效的内嵌图片数据）。请重新导出该预设。{NOTHING_IMPORTED_ZH}"),
                )
            }
            Self::ImportFrameNotImage { name, slot } => {
                let (en, zh) = slot_words(*slot);
                Message::verbatim(
                    format!("The {en} frame of preset \"{name}\" in the file is not an image this app can use (JPEG, PNG, WebP, BMP, TIFF or GIF). Export the preset again. {NOTHING_IMPORTED_EN}"),
                    format!("文件中预设“{name}”的{zh}不是可用的图片（JPEG、PNG、WebP、BMP、TIFF 或 GIF）。请重新导出该预设。{NOTHING_IMPORTED_ZH}"),
                )
            }
            Self::FrameMissing { slot } => {
                let (en, zh) = slot_words(*slot);
                Message::verbatim(
                    format!("This preset's {en} frame is missing from the app's presets folder, so it was not loaded. Add the image again, then use Update to repair the preset."),
                    format!("该预设的{zh}已不在应用的预设文件夹中，因此未能载入。请重新添加图片，然后点击“更新”修复该预设。"),
                )
            }
            Self::FrameDamaged { slot } => {
                let (en, zh) = slot_words(*slot);
                Message::verbatim(
                    format!("This preset's {en} frame file is damaged, so it was not loaded. Add the image again, then use Update to repair the preset."),
                    format!("该预设的{zh}文件已损坏，因此未能载入。请重新添加图片，然后点击“更新”修复该预设。"),
                )
            }
            Self::Store(e) => e.msg(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn every_message_is_bilingual_and_kinds_are_distinct() {
        let io = || std::io::Error::other("x");
        let all = [
            PresetError::NotFound { id: "p".into() },
            PresetError::BuiltinReadOnly {
                action: BuiltinAction::Delete,
            },
            PresetError::NameEmpty,
            PresetError::NameTooLong { chars: 99 },
            PresetError::NameTaken { name: "a".into() },
            PresetError::Invalid {
                errors: vec![RequestError::EmptyPrompt],
            },
            PresetError::FrameUnusable {
                slot: FrameSlot::First,
                source: ImageError::NotAnImage("x".into()),
            },
            PresetError::WriteFailed {
                path: "x".into(),
                source: io(),
            },
            PresetError::ExportNotJson { path: "x".into() },
            PresetError::ImportUnreadable {
                path: "x".into(),
                source: io(),
            },
            PresetError::ImportTooLarge { bytes: 1 },
            PresetError::ImportTooManyFrames {
                count: 300,
                limit: 200,
            },
            PresetError::ImportFramesTooLarge { limit: 1 << 27 },
            PresetError::ImportNotJson { detail: "x".into() },
            PresetError::ImportWrongFormat,
            PresetError::ImportNewerVersion {
                found: 2,
                supported: 1,
            },
            PresetError::ImportMalformed { detail: "x".into() },
            PresetError::ImportBadName { name: "".into() },
            PresetError::ImportInvalid {
                name: "a".into(),
                errors: vec![],
            },
            PresetError::ImportNameCollision {
                name: "a".into(),
                within_file: false,
            },
            PresetError::ImportBadFrameData {
                name: "a".into(),
                slot: FrameSlot::Last,
            },
            PresetError::ImportFrameNotImage {
                name: "a".into(),
                slot: FrameSlot::Last,
            },
            PresetError::FrameMissing {
                slot: FrameSlot::First,
            },
            PresetError::FrameDamaged {
                slot: FrameSlot::First,
            },
        ];
        let mut kinds = std::collections::HashSet::new();
        for e in &all {
            let m = e.msg();
            assert!(
                !m.text("en").is_empty() && !m.text("zh-CN").is_ascii(),
                "{}",
                e.kind()
            );
            assert!(kinds.insert(e.kind()), "duplicate kind {}", e.kind());
        }
        assert!(PresetError::ImportWrongFormat
            .msg()
            .text("en")
            .contains("Nothing was imported"));
    }
}
