//! `seedance presets list|show|export|import`: the app's preset library (same database, same frame copies,
//! same file format), named by preset name as batch files name them.

use std::path::Path;

use seedance_core::i18n::Message;
use seedance_core::presets::{find_by_name, ExportSelection, Preset, PresetLibrary};
use seedance_core::request::Settings;
use serde_json::json;

use crate::cli::PresetsCommand;
use crate::context::Ctx;
use crate::error::{CliError, CliResult, Exit};
use crate::out::Style;

pub fn run(ctx: &mut Ctx, command: PresetsCommand) -> CliResult {
    let library = library(ctx)?;
    match command {
        PresetsCommand::List => list(ctx, &library),
        PresetsCommand::Show { name } => show(ctx, &library, &name),
        PresetsCommand::Export { name, out } => export(ctx, &library, &name, out.as_deref()),
        PresetsCommand::Import { file } => import(ctx, &library, &file),
    }
}

pub fn library(ctx: &mut Ctx) -> CliResult<PresetLibrary> {
    let store = ctx.store()?;
    Ok(PresetLibrary::new(store, ctx.config()?.presets_dir()))
}

/// The preset a name picks, or a usage error that says how to see the names.
pub fn by_name(library: &PresetLibrary, name: &str) -> CliResult<Preset> {
    let all = library.list()?;
    find_by_name(&all, name).cloned().ok_or_else(|| {
        CliError::new(
            "preset_unknown_name",
            Message::new("msg.cli.preset_unknown").arg("name", name),
        )
    })
}

/// A built-in's name in the user's language; a user preset's as saved.
fn display_name(ctx: &Ctx, preset: &Preset) -> String {
    match preset.builtin {
        Some(b) => ctx.out.text(&b.name()),
        None => preset.name.clone(),
    }
}

/// `720p 16:9 5 s, audio` — the settings in the words the API and the app's form use.
pub fn settings_line(ctx: &Ctx, s: &Settings) -> String {
    let duration = match s.duration.to_api() {
        seedance_core::request::Duration::AUTO_WIRE => {
            ctx.out.text(&Message::new("msg.cli.duration_auto"))
        }
        n => format!("{n} s"),
    };
    let mut parts = vec![
        s.resolution.as_str().to_owned(),
        s.ratio.as_str().to_owned(),
        duration,
    ];
    let flags: [(bool, Message); 4] = [
        (s.generate_audio, Message::new("msg.cli.flag_audio")),
        (s.camera_fixed, Message::new("msg.cli.flag_camera_fixed")),
        (s.draft, Message::new("msg.cli.flag_draft")),
        (s.watermark, Message::new("msg.cli.flag_watermark")),
    ];
    for (on, word) in flags {
        if on {
            parts.push(ctx.out.text(&word));
        }
    }
    parts.join(" ")
}

fn list(ctx: &Ctx, library: &PresetLibrary) -> CliResult {
    let presets = library.list()?;
    let mut rows = Vec::with_capacity(presets.len());
    for p in &presets {
        ctx.out.object(&json!({
            "id": p.id,
            "name": display_name(ctx, p),
            "builtin": p.is_builtin(),
            "default": p.is_default,
            "settings": p.settings,
            "has_prompt": p.prompt.is_some(),
            "has_frames": p.has_frames(),
        }));
        let mut marks = Vec::new();
        if p.is_default {
            marks.push(ctx.out.text(&Message::new("msg.cli.preset_default")));
        }
        if p.is_builtin() {
            marks.push(ctx.out.text(&Message::new("msg.cli.preset_builtin")));
        }
        rows.push(vec![
            display_name(ctx, p),
            settings_line(ctx, &p.settings),
            marks.join(", "),
        ]);
    }
    ctx.out.table(
        &[
            Message::new("msg.cli.col_name"),
            Message::new("msg.cli.col_settings"),
            Message::new("msg.cli.col_notes"),
        ],
        &rows,
    );
    Ok(Exit::Done)
}

fn show(ctx: &Ctx, library: &PresetLibrary, name: &str) -> CliResult {
    let p = by_name(library, name)?;
    ctx.out.object(&json!({
        "id": p.id,
        "name": display_name(ctx, &p),
        "builtin": p.is_builtin(),
        "default": p.is_default,
        "settings": p.settings,
        "prompt": p.prompt,
        "first_frame": p.first_frame,
        "last_frame": p.last_frame,
    }));
    if ctx.out.json() {
        return Ok(Exit::Done);
    }
    let none = ctx.out.text(&Message::new("msg.cli.none"));
    let field = |label: &str, value: &str| {
        let label = ctx.out.text(&Message::new(label));
        ctx.out
            .line(&format!("{} {value}", ctx.out.paint(Style::Bold, &label)));
    };
    field("msg.cli.col_name", &display_name(ctx, &p));
    field("msg.cli.col_settings", &settings_line(ctx, &p.settings));
    field("msg.cli.col_prompt", p.prompt.as_deref().unwrap_or(&none));
    field(
        "msg.cli.col_first",
        p.first_frame.as_deref().unwrap_or(&none),
    );
    field("msg.cli.col_last", p.last_frame.as_deref().unwrap_or(&none));
    Ok(Exit::Done)
}

fn export(ctx: &Ctx, library: &PresetLibrary, name: &str, out: Option<&Path>) -> CliResult {
    let p = by_name(library, name)?;
    let selection = ExportSelection::Ids(vec![p.id.clone()]);
    let Some(path) = out else {
        // The preset file itself is the output: printed as it is, in every mode.
        let (text, _) = library.export_json(&selection, true)?;
        ctx.out.line(text.trim_end());
        return Ok(Exit::Done);
    };
    let summary = library.export_to_file(&selection, true, path)?;
    ctx.out.object(&json!({
        "exported": summary.presets,
        "frames": summary.frames,
        "missing_frames": summary.missing_frames,
        "path": path,
    }));
    ctx.out.say(
        &Message::new("msg.cli.presets_exported")
            .arg("count", summary.presets)
            .arg("path", path),
    );
    for name in &summary.missing_frames {
        ctx.out
            .warn(&Message::new("msg.cli.preset_frame_missing").arg("name", name.as_str()));
    }
    Ok(Exit::Done)
}

fn import(ctx: &Ctx, library: &PresetLibrary, file: &Path) -> CliResult {
    let summary = library.import_file(file)?;
    ctx.out.object(&json!({
        "imported": summary.imported,
        "names": summary.names,
        "frames": summary.frames,
    }));
    ctx.out.say_styled(
        Style::Good,
        &Message::new("msg.cli.presets_imported")
            .arg("count", summary.imported)
            .arg("names", summary.names.join(", ")),
    );
    Ok(Exit::Done)
}
