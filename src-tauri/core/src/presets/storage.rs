//! The presets table. Frames are stored as file names inside the presets folder and handed out as full
//! paths, so the data folder can move without breaking presets.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Row};

use super::builtins::BuiltinPreset;
use super::model::Preset;
use super::PresetError;
use crate::request::Settings;
use crate::store::StoreError;

/// The comparison form of a name: "Vertical" and " vertical" are the same preset to a user.
pub(super) fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The fields a new row needs; frames are file names inside the presets folder.
pub(super) struct NewRow<'a> {
    pub id: &'a str,
    pub builtin: Option<BuiltinPreset>,
    pub name: &'a str,
    pub settings: &'a Settings,
    pub prompt: Option<&'a str>,
    pub first_frame: Option<&'a str>,
    pub last_frame: Option<&'a str>,
    pub now_ms: i64,
}

const COLUMNS: &str = "id, builtin_key, name, position, is_default, settings_json, prompt, \
                       first_frame, last_frame, created_at, updated_at";

fn corrupt(detail: String) -> PresetError {
    PresetError::Store(StoreError::Corrupt { detail })
}

fn settings_json(settings: &Settings) -> Result<String, PresetError> {
    serde_json::to_string(settings).map_err(|e| corrupt(format!("preset settings: {e}")))
}

fn frame_path(dir: &Path, file: Option<String>) -> Option<String> {
    file.map(|f| dir.join(f).to_string_lossy().into_owned())
}

fn read_row(row: &Row<'_>, dir: &Path) -> rusqlite::Result<(Preset, String)> {
    let builtin: Option<String> = row.get(1)?;
    let position: i64 = row.get(3)?;
    let preset = Preset {
        id: row.get(0)?,
        builtin: builtin.as_deref().and_then(BuiltinPreset::from_key),
        name: row.get(2)?,
        settings: Settings::default(),
        prompt: row.get(6)?,
        first_frame: frame_path(dir, row.get(7)?),
        last_frame: frame_path(dir, row.get(8)?),
        is_default: row.get(4)?,
        position: u32::try_from(position).unwrap_or(u32::MAX),
        created_at_ms: row.get(9)?,
        updated_at_ms: row.get(10)?,
    };
    Ok((preset, row.get(5)?))
}

fn with_settings((mut preset, json): (Preset, String)) -> Result<Preset, PresetError> {
    preset.settings = serde_json::from_str(&json)
        .map_err(|e| corrupt(format!("settings of preset {}: {e}", preset.id)))?;
    Ok(preset)
}

/// Adds any built-in starter the database lacks (a fresh database, or one from before a starter existed).
pub(super) fn ensure_builtins(conn: &Connection, now_ms: i64) -> Result<(), PresetError> {
    let present: i64 = conn.query_row(
        "SELECT count(*) FROM presets WHERE builtin_key IS NOT NULL",
        [],
        |r| r.get(0),
    )?;
    if usize::try_from(present).unwrap_or(0) >= BuiltinPreset::ALL.len() {
        return Ok(());
    }
    for builtin in BuiltinPreset::ALL {
        let id = builtin.id();
        let exists: Option<i64> = conn
            .query_row("SELECT 1 FROM presets WHERE id = ?1", [&id], |r| r.get(0))
            .optional()?;
        if exists.is_some() || name_taken(conn, &builtin.name().text("en"), None)? {
            continue;
        }
        insert(
            conn,
            &NewRow {
                id: &id,
                builtin: Some(builtin),
                name: &builtin.name().text("en"),
                settings: &builtin.settings(),
                prompt: None,
                first_frame: None,
                last_frame: None,
                now_ms,
            },
        )?;
    }
    Ok(())
}

pub(super) fn list(conn: &Connection, dir: &Path) -> Result<Vec<Preset>, PresetError> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM presets ORDER BY position, created_at, id"
        ))?
        .query_map([], |r| read_row(r, dir))?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(with_settings).collect()
}

pub(super) fn get(conn: &Connection, dir: &Path, id: &str) -> Result<Preset, PresetError> {
    let row = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM presets WHERE id = ?1"))?
        .query_row([id], |r| read_row(r, dir))
        .optional()?
        .ok_or_else(|| PresetError::NotFound { id: id.to_owned() })?;
    with_settings(row)
}

/// The stored frame file names of a preset.
pub(super) fn frame_files(
    conn: &Connection,
    id: &str,
) -> Result<(Option<String>, Option<String>), PresetError> {
    conn.prepare_cached("SELECT first_frame, last_frame FROM presets WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| PresetError::NotFound { id: id.to_owned() })
}

pub(super) fn name_taken(
    conn: &Connection,
    name: &str,
    except_id: Option<&str>,
) -> Result<bool, PresetError> {
    let found: Option<String> = conn
        .prepare_cached("SELECT id FROM presets WHERE name_key = ?1")?
        .query_row([name_key(name)], |r| r.get(0))
        .optional()?;
    Ok(found.is_some_and(|id| Some(id.as_str()) != except_id))
}

pub(super) fn insert(conn: &Connection, row: &NewRow<'_>) -> Result<(), PresetError> {
    conn.prepare_cached(
        "INSERT INTO presets (id, builtin_key, name, name_key, position, is_default, settings_json,
                              prompt, first_frame, last_frame, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(position), -1) + 1 FROM presets), 0, ?5,
                 ?6, ?7, ?8, ?9, ?9)",
    )?
    .execute(rusqlite::params![
        row.id,
        row.builtin.map(BuiltinPreset::key),
        row.name,
        name_key(row.name),
        settings_json(row.settings)?,
        row.prompt,
        row.first_frame,
        row.last_frame,
        row.now_ms,
    ])?;
    Ok(())
}

pub(super) fn update_content(
    conn: &Connection,
    id: &str,
    row: &NewRow<'_>,
) -> Result<(), PresetError> {
    conn.prepare_cached(
        "UPDATE presets SET settings_json = ?2, prompt = ?3, first_frame = ?4, last_frame = ?5,
                            updated_at = ?6
         WHERE id = ?1",
    )?
    .execute(rusqlite::params![
        id,
        settings_json(row.settings)?,
        row.prompt,
        row.first_frame,
        row.last_frame,
        row.now_ms,
    ])?;
    Ok(())
}

pub(super) fn rename(
    conn: &Connection,
    id: &str,
    name: &str,
    now_ms: i64,
) -> Result<(), PresetError> {
    conn.prepare_cached(
        "UPDATE presets SET name = ?2, name_key = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(rusqlite::params![id, name, name_key(name), now_ms])?;
    Ok(())
}

pub(super) fn delete(conn: &Connection, id: &str) -> Result<(), PresetError> {
    conn.prepare_cached("DELETE FROM presets WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

pub(super) fn set_default(conn: &Connection, id: Option<&str>) -> Result<(), PresetError> {
    conn.execute("UPDATE presets SET is_default = 0 WHERE is_default = 1", [])?;
    if let Some(id) = id {
        conn.execute("UPDATE presets SET is_default = 1 WHERE id = ?1", [id])?;
    }
    Ok(())
}

pub(super) fn set_positions(conn: &Connection, ids: &[String]) -> Result<(), PresetError> {
    let mut update = conn.prepare_cached("UPDATE presets SET position = ?2 WHERE id = ?1")?;
    for (position, id) in ids.iter().enumerate() {
        update.execute(rusqlite::params![
            id,
            i64::try_from(position).unwrap_or(i64::MAX)
        ])?;
    }
    Ok(())
}

pub(super) fn frame_referenced(conn: &Connection, file: &str) -> Result<bool, PresetError> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM presets WHERE first_frame = ?1 OR last_frame = ?1 LIMIT 1")?
        .query_row([file], |r| r.get(0))
        .optional()?;
    Ok(found.is_some())
}
