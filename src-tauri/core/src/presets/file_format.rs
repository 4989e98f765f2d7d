//! The preset file: `{"format": "seedance-studio-presets", "version": 1, "presets": [...]}`.
//!
//! Settings are read as the raw form ([`DraftSettings`]: plain strings and integers) so that a bad value is reported by the
//! request rules with a clear message instead of failing as malformed JSON. Frames, when embedded, are
//! `data:image/…;base64,…` URLs. Nothing else is ever written: no paths, ids or secrets.

use serde::{Deserialize, Serialize};

use super::PresetError;
use crate::request::DraftSettings;

pub const FILE_FORMAT: &str = "seedance-studio-presets";
pub const FILE_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct PresetFile {
    pub format: String,
    pub version: u32,
    pub presets: Vec<FilePreset>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct FilePreset {
    pub name: String,
    /// As written; a missing field takes the API's default, as in a request form.
    pub settings: DraftSettings,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_frame: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_frame: Option<String>,
}

/// Reads a preset file, telling apart: not JSON, not a preset file, a newer version, a damaged one.
pub(super) fn parse(text: &str) -> Result<PresetFile, PresetError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| PresetError::ImportNotJson {
            detail: e.to_string(),
        })?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FILE_FORMAT) {
        return Err(PresetError::ImportWrongFormat);
    }
    let malformed = |detail: String| PresetError::ImportMalformed { detail };
    let version = value
        .get("version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| malformed("\"version\" is missing or not a whole number".into()))?;
    if version > u64::from(FILE_VERSION) {
        return Err(PresetError::ImportNewerVersion {
            found: version,
            supported: FILE_VERSION,
        });
    }
    if version == 0 {
        return Err(malformed("version 0 does not exist".into()));
    }
    serde_json::from_value(value).map_err(|e| malformed(e.to_string()))
}

pub(super) fn render(presets: Vec<FilePreset>) -> Result<String, PresetError> {
    let file = PresetFile {
        format: FILE_FORMAT.to_owned(),
        version: FILE_VERSION,
        presets,
    };
    serde_json::to_string_pretty(&file).map_err(|e| PresetError::ImportMalformed {
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::i18n::UserFacing;

    #[test]
    fn the_envelope_is_checked_before_the_contents() {
        let kind = |text: &str| parse(text).err().map(|e| e.kind());
        assert_eq!(kind("{nope"), Some("preset_import_not_json"));
        assert_eq!(kind("[]"), Some("preset_import_wrong_format"));
        assert_eq!(
            kind(r#"{"format":"other","version":1}"#),
            Some("preset_import_wrong_format")
        );
        assert_eq!(
            kind(r#"{"format":"seedance-studio-presets","version":2,"presets":"whatever"}"#),
            Some("preset_import_newer_version")
        );
        assert_eq!(
            kind(r#"{"format":"seedance-studio-presets","version":1,"presets":[{"settings":{}}]}"#),
            Some("preset_import_malformed")
        );
        assert_eq!(
            kind(r#"{"format":"seedance-studio-presets","version":"1","presets":[]}"#),
            Some("preset_import_malformed")
        );
        let ok = parse(
            r#"{"format":"seedance-studio-presets","version":1,"presets":[{"name":"a","settings":{"ratio":"9:16"}}]}"#,
        )
        .unwrap();
        assert_eq!(ok.presets[0].settings.ratio, "9:16");
        assert_eq!(ok.presets[0].settings.resolution, "720p");
    }
}
