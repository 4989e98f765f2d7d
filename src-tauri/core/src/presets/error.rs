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

/// Every request problem of a preset, each in its own words.
fn problems(errors: &[RequestError]) -> Vec<Message> {
    errors.iter().map(UserFacing::msg).collect()
}

/// What every refused import ends with: the file is all or nothing.
fn nothing_imported() -> Message {
    Message::new("msg.preset.nothing_imported")
}

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
        let import = |key: &str| Message::new(key).arg("nothing_imported", nothing_imported());
        match self {
            Self::NotFound { .. } => Message::new("msg.preset.not_found"),
            Self::BuiltinReadOnly { action } => Message::new(match action {
                BuiltinAction::Rename => "msg.preset.builtin_cannot_rename",
                BuiltinAction::Update => "msg.preset.builtin_cannot_change",
                BuiltinAction::Delete => "msg.preset.builtin_cannot_delete",
            }),
            Self::NameEmpty => Message::new("msg.preset.name_empty"),
            Self::NameTooLong { chars } => Message::new("msg.preset.name_too_long")
                .arg("chars", *chars)
                .arg("max", MAX_NAME_CHARS),
            Self::NameTaken { name } => {
                Message::new("msg.preset.name_taken").arg("name", name.as_str())
            }
            Self::Invalid { errors } => {
                Message::new("msg.preset.invalid").arg("problems", problems(errors))
            }
            Self::FrameUnusable { slot, source } => Message::new("msg.preset.frame_unusable")
                .arg("slot", slot.word())
                .arg("reason", source.msg()),
            Self::WriteFailed { path, .. } => {
                Message::new("msg.preset.write_failed").arg("path", path)
            }
            Self::ExportNotJson { path } => {
                Message::new("msg.preset.export_not_json").arg("path", path)
            }
            Self::ImportUnreadable { path, .. } => {
                import("msg.preset.import_unreadable").arg("path", path)
            }
            Self::ImportTooManyFrames { count, limit } => {
                import("msg.preset.import_too_many_frames")
                    .arg("count", *count)
                    .arg("limit", *limit)
            }
            Self::ImportFramesTooLarge { limit } => {
                import("msg.preset.import_frames_too_large").arg("limit_mb", limit / 1_000_000)
            }
            Self::ImportTooLarge { bytes } => {
                import("msg.preset.import_too_large").arg("size_mb", bytes / 1_000_000)
            }
            Self::ImportNotJson { .. } => import("msg.preset.import_not_json"),
            Self::ImportWrongFormat => import("msg.preset.import_wrong_format"),
            Self::ImportNewerVersion { found, supported } => {
                import("msg.preset.import_newer_version")
                    .arg("found", *found)
                    .arg("supported", *supported)
            }
            Self::ImportMalformed { detail } => {
                import("msg.preset.import_malformed").arg("detail", detail.as_str())
            }
            Self::ImportBadName { name } => import("msg.preset.import_bad_name")
                .arg("name", name.as_str())
                .arg("max", MAX_NAME_CHARS),
            Self::ImportInvalid { name, errors } => import("msg.preset.import_invalid")
                .arg("name", name.as_str())
                .arg("problems", problems(errors)),
            Self::ImportNameCollision { name, within_file } => import(if *within_file {
                "msg.preset.import_name_twice"
            } else {
                "msg.preset.import_name_taken"
            })
            .arg("name", name.as_str()),
            Self::ImportBadFrameData { name, slot } => import("msg.preset.import_bad_frame_data")
                .arg("name", name.as_str())
                .arg("slot", slot.word()),
            Self::ImportFrameNotImage { name, slot } => import("msg.preset.import_frame_not_image")
                .arg("name", name.as_str())
                .arg("slot", slot.word()),
            Self::FrameMissing { slot } => {
                Message::new("msg.preset.frame_missing").arg("slot", slot.word())
            }
            Self::FrameDamaged { slot } => {
                Message::new("msg.preset.frame_damaged").arg("slot", slot.word())
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
            assert_ne!(
                m.key,
                "msg.text",
                "{}: a catalog key, not fixed text",
                e.kind()
            );
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
