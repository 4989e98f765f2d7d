//! Export to and import from preset files. An import checks everything first and then writes every preset
//! in one transaction: a file with any problem changes nothing.

use std::io::Read;
use std::path::{Path, PathBuf};

use base64::Engine as _;

use super::file_format::{self, FilePreset};
use super::frames::{self, FrameBytes, StoredFrame};
use super::model::{ExportSelection, ExportSummary, ImportSummary, Preset};
use super::{storage, validate, PresetError, PresetLibrary};
use crate::images::MAX_DATA_URL_BYTES;
use crate::request::{DraftSettings, FrameSlot, Settings};

/// The largest preset file read. Its frames are capped at [`MAX_IMPORT_FRAME_BYTES`], which base64 turns
/// into about 171 MiB of text; the rest is room for the settings and prompts of hundreds of presets. An
/// import holds the text and its parsed form at once (about twice this) and then the decoded frames.
pub const MAX_IMPORT_FILE_BYTES: u64 = 192 * 1024 * 1024;
/// Embedded frames one import takes: 100 presets with both frames, far beyond any library shared by hand.
pub const MAX_IMPORT_FRAMES: usize = 200;
/// Decoded bytes of all embedded frames together: four frames at the model's 30 MB file limit, or a hundred
/// of the 1–2 MB photos frames usually are. Checked from the text before any frame is decoded.
pub const MAX_IMPORT_FRAME_BYTES: u64 = 128 * 1024 * 1024;

/// One preset of a file, checked and decoded, ready to store.
struct Incoming {
    name: String,
    settings: Settings,
    prompt: Option<String>,
    first: Option<FrameBytes>,
    last: Option<FrameBytes>,
}

impl PresetLibrary {
    /// The preset file's text for `selection`, with frames embedded or left out.
    pub fn export_json(
        &self,
        selection: &ExportSelection,
        embed_frames: bool,
    ) -> Result<(String, ExportSummary), PresetError> {
        let all = self.list()?;
        let chosen: Vec<Preset> = match selection {
            ExportSelection::AllUserPresets => {
                all.into_iter().filter(|p| !p.is_builtin()).collect()
            }
            ExportSelection::Ids(ids) => {
                if let Some(unknown) = ids.iter().find(|id| !all.iter().any(|p| &p.id == *id)) {
                    return Err(PresetError::NotFound {
                        id: unknown.clone(),
                    });
                }
                all.into_iter().filter(|p| ids.contains(&p.id)).collect()
            }
        };
        let mut summary = ExportSummary {
            presets: 0,
            frames: 0,
            missing_frames: Vec::new(),
        };
        let mut entries = Vec::with_capacity(chosen.len());
        for preset in &chosen {
            let mut embed = |frame: &Option<String>| -> Option<String> {
                let path = frame.as_ref().filter(|_| embed_frames)?;
                match frames::read_stored(Path::new(path)) {
                    StoredFrame::Readable(f) => {
                        summary.frames += 1;
                        Some(data_url(&f))
                    }
                    StoredFrame::Missing | StoredFrame::Damaged => {
                        if !summary.missing_frames.contains(&preset.name) {
                            summary.missing_frames.push(preset.name.clone());
                        }
                        None
                    }
                }
            };
            let first_frame = embed(&preset.first_frame);
            // A last frame without its first would make the preset invalid on import.
            let last_frame = embed(&preset.last_frame).filter(|_| first_frame.is_some());
            entries.push(FilePreset {
                name: preset.name.clone(),
                settings: DraftSettings::from(&preset.settings),
                prompt: preset.prompt.clone(),
                first_frame,
                last_frame,
            });
            summary.presets += 1;
        }
        Ok((file_format::render(entries)?, summary))
    }

    /// Writes the export to `path` (chosen by the user), replacing it whole or not at all.
    pub fn export_to_file(
        &self,
        selection: &ExportSelection,
        embed_frames: bool,
        path: &Path,
    ) -> Result<ExportSummary, PresetError> {
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if !is_json {
            return Err(PresetError::ExportNotJson {
                path: path.to_path_buf(),
            });
        }
        let (text, summary) = self.export_json(selection, embed_frames)?;
        let failed = |source| PresetError::WriteFailed {
            path: path.to_path_buf(),
            source,
        };
        crate::durable::write_file(path, text.as_bytes()).map_err(failed)?;
        Ok(summary)
    }

    pub fn import_file(&self, path: &Path) -> Result<ImportSummary, PresetError> {
        let unreadable = |source| PresetError::ImportUnreadable {
            path: PathBuf::from(path),
            source,
        };
        let file = std::fs::File::open(path).map_err(unreadable)?;
        let len = file.metadata().map_err(unreadable)?.len();
        if len > MAX_IMPORT_FILE_BYTES {
            return Err(PresetError::ImportTooLarge { bytes: len });
        }
        let mut bytes = Vec::new();
        file.take(MAX_IMPORT_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
        let text = String::from_utf8(bytes).map_err(|e| PresetError::ImportNotJson {
            detail: e.to_string(),
        })?;
        let file = file_format::parse(&text)?;
        // The text is no longer needed: free it before the frames are decoded.
        drop(text);
        self.import_parsed(file)
    }

    /// Adds every preset of the file, or none: any problem is reported before anything is written.
    pub fn import_json(&self, text: &str) -> Result<ImportSummary, PresetError> {
        self.import_parsed(file_format::parse(text)?)
    }

    fn import_parsed(&self, file: file_format::PresetFile) -> Result<ImportSummary, PresetError> {
        check_frame_budget(&file.presets, MAX_IMPORT_FRAMES, MAX_IMPORT_FRAME_BYTES)?;
        let incoming = file
            .presets
            .into_iter()
            .map(decode)
            .collect::<Result<Vec<_>, _>>()?;
        check_unique_within(&incoming)?;
        // Checked now to spare writing frames for nothing, and again inside the transaction.
        self.write(|tx, _| check_free(tx, &incoming))?;

        let mut created = Vec::new();
        let result = self.store_incoming(&incoming, &mut created);
        if result.is_err() {
            frames::remove_created(self.frames_dir(), &created);
        }
        result
    }

    fn store_incoming(
        &self,
        incoming: &[Incoming],
        created: &mut Vec<String>,
    ) -> Result<ImportSummary, PresetError> {
        let mut files = Vec::with_capacity(incoming.len());
        let mut frame_count = 0;
        for preset in incoming {
            let mut keep = |frame: &Option<FrameBytes>| -> Result<Option<String>, PresetError> {
                let Some(frame) = frame else { return Ok(None) };
                let (file, new) = frames::store(self.frames_dir(), frame)?;
                if new {
                    created.push(file.clone());
                }
                frame_count += 1;
                Ok(Some(file))
            };
            files.push((keep(&preset.first)?, keep(&preset.last)?));
        }
        let ids: Vec<String> = incoming.iter().map(|_| crate::store::new_id()).collect();
        self.write(|tx, now| {
            check_free(tx, incoming)?;
            for ((preset, (first, last)), id) in incoming.iter().zip(&files).zip(&ids) {
                storage::insert(
                    tx,
                    &storage::NewRow {
                        id,
                        builtin: None,
                        name: &preset.name,
                        settings: &preset.settings,
                        prompt: preset.prompt.as_deref(),
                        first_frame: first.as_deref(),
                        last_frame: last.as_deref(),
                        now_ms: now,
                    },
                )?;
            }
            Ok(())
        })?;
        Ok(ImportSummary {
            imported: u32::try_from(incoming.len()).unwrap_or(u32::MAX),
            names: incoming.iter().map(|p| p.name.clone()).collect(),
            frames: frame_count,
        })
    }
}

fn data_url(frame: &FrameBytes) -> String {
    format!(
        "data:{};base64,{}",
        frames::media_type(frame.ext),
        base64::engine::general_purpose::STANDARD.encode(&frame.bytes)
    )
}

/// Checks one preset of a file by the same rules as a saved one, and decodes its frames.
fn decode(entry: FilePreset) -> Result<Incoming, PresetError> {
    let name = validate::checked_name(&entry.name).map_err(|_| PresetError::ImportBadName {
        name: entry.name.clone(),
    })?;
    let first = validate::present(&entry.first_frame);
    let last = validate::present(&entry.last_frame);
    let content = validate::check_content(
        &entry.settings,
        entry.prompt.as_deref(),
        first.is_some(),
        last.is_some(),
    )
    .map_err(|errors| PresetError::ImportInvalid {
        name: name.clone(),
        errors,
    })?;
    let first = first
        .map(|f| decode_frame(&name, f, FrameSlot::First))
        .transpose()?;
    let last = last
        .map(|f| decode_frame(&name, f, FrameSlot::Last))
        .transpose()?;
    Ok(Incoming {
        name,
        settings: content.settings,
        prompt: content.prompt,
        first,
        last,
    })
}

fn decode_frame(name: &str, data_url: &str, slot: FrameSlot) -> Result<FrameBytes, PresetError> {
    let bad_data = || PresetError::ImportBadFrameData {
        name: name.to_owned(),
        slot,
    };
    let (header, payload) = data_url.split_once(',').ok_or_else(bad_data)?;
    if !header.starts_with("data:") || !header.ends_with(";base64") {
        return Err(bad_data());
    }
    if payload.len() / 4 * 3 > MAX_DATA_URL_BYTES {
        return Err(bad_data());
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(payload.trim())
        .map_err(|_| bad_data())?;
    let (ext, _) = frames::image_kind(&bytes).ok_or_else(|| PresetError::ImportFrameNotImage {
        name: name.to_owned(),
        slot,
    })?;
    Ok(FrameBytes { bytes, ext })
}

/// Refuses a file with too many frames, or frames that would decode to too many bytes, before any is
/// decoded (base64 text of length n decodes to at most n / 4 × 3 bytes).
fn check_frame_budget(
    presets: &[FilePreset],
    max_frames: usize,
    max_bytes: u64,
) -> Result<(), PresetError> {
    let frames: Vec<&str> = presets
        .iter()
        .flat_map(|p| [&p.first_frame, &p.last_frame])
        .filter_map(validate::present)
        .collect();
    if frames.len() > max_frames {
        return Err(PresetError::ImportTooManyFrames {
            count: frames.len(),
            limit: max_frames,
        });
    }
    let decoded: u64 = frames
        .iter()
        .map(|f| {
            f.split_once(',')
                .map_or(0, |(_, payload)| payload.len() as u64 / 4 * 3)
        })
        .fold(0, u64::saturating_add);
    if decoded > max_bytes {
        return Err(PresetError::ImportFramesTooLarge { limit: max_bytes });
    }
    Ok(())
}

fn check_unique_within(incoming: &[Incoming]) -> Result<(), PresetError> {
    let mut seen = std::collections::HashSet::new();
    for preset in incoming {
        if !seen.insert(storage::name_key(&preset.name)) {
            return Err(PresetError::ImportNameCollision {
                name: preset.name.clone(),
                within_file: true,
            });
        }
    }
    Ok(())
}

fn check_free(conn: &rusqlite::Connection, incoming: &[Incoming]) -> Result<(), PresetError> {
    for preset in incoming {
        if storage::name_taken(conn, &preset.name, None)? {
            return Err(PresetError::ImportNameCollision {
                name: preset.name.clone(),
                within_file: false,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn with_frame(name: &str, payload_len: usize) -> FilePreset {
        FilePreset {
            name: name.into(),
            settings: DraftSettings::default(),
            prompt: None,
            first_frame: Some(format!("data:image/png;base64,{}", "A".repeat(payload_len))),
            last_frame: None,
        }
    }

    #[test]
    fn the_frame_budget_is_checked_from_the_text() {
        let two = [with_frame("a", 400), with_frame("b", 400)];
        assert!(check_frame_budget(&two, 2, 600).is_ok());
        assert!(matches!(
            check_frame_budget(&two, 1, 600),
            Err(PresetError::ImportTooManyFrames { count: 2, limit: 1 })
        ));
        assert!(matches!(
            check_frame_budget(&two, 2, 599),
            Err(PresetError::ImportFramesTooLarge { limit: 599 })
        ));
    }
}
