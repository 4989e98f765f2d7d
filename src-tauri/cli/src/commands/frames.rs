//! `seedance frames check FILE… [--fix]`: the strict check a frame gets before it is uploaded (every pixel
//! decoded, the model's limits), and with `--fix` the app's one-click fixes, written beside the original
//! (`photo.fixed-6000.jpg`; a taken name gets a number, nothing is ever overwritten).

use std::path::{Path, PathBuf};

use seedance_core::i18n::{megabytes, Message, UserFacing};
use seedance_core::images::{self, FrameInfo, ImageError, IntakeOptions};
use serde_json::json;

use crate::cli::FramesCommand;
use crate::context::Ctx;
use crate::error::{CliResult, Exit};
use crate::out::Style;

/// A frame can break several limits (too wide and too large): each fix cures one, so a copy is fixed again
/// until it passes, at most this many times.
const MAX_FIX_STEPS: usize = 4;

pub fn run(ctx: &mut Ctx, command: FramesCommand) -> CliResult {
    let FramesCommand::Check { files, fix } = command;
    let mut all_usable = true;
    for file in &files {
        all_usable &= check_one(ctx, file, fix);
    }
    Ok(if all_usable { Exit::Done } else { Exit::Failed })
}

/// Whether `file` can be used (as it is, or through the fixed copy written now).
fn check_one(ctx: &Ctx, file: &Path, fix: bool) -> bool {
    let info = match images::intake(file, &IntakeOptions::default()) {
        Ok(info) => info,
        Err(e) => {
            report_unusable(ctx, file, &e);
            return false;
        }
    };
    if info.is_acceptable() {
        ctx.out.object(&json!({
            "path": file,
            "ok": true,
            "format": info.format,
            "width": info.width,
            "height": info.height,
            "bytes": info.file_bytes,
            "problems": [],
        }));
        ctx.out
            .say_styled(Style::Good, &facts(file, &info, "msg.cli.frame_ok"));
        return true;
    }
    let problems: Vec<_> = info
        .problems
        .iter()
        .map(|p| json!({ "kind": p.kind, "message": ctx.out.text(&p.message), "fixable": p.fix.is_some() }))
        .collect();
    let fixed = if fix {
        fix_copy(file, &info).map(|copy| copy.map(|(path, _)| path))
    } else {
        Ok(None)
    };
    let (fixed_path, fix_error) = match fixed {
        Ok(path) => (path, None),
        Err(e) => (None, Some(e)),
    };
    ctx.out.object(&json!({
        "path": file,
        "ok": false,
        "format": info.format,
        "width": info.width,
        "height": info.height,
        "bytes": info.file_bytes,
        "problems": problems,
        "fixed": fixed_path,
        "fix_error": fix_error.as_ref().map(|e| json!({ "kind": e.kind(), "message": ctx.out.text(&e.msg()) })),
    }));
    ctx.out
        .say_styled(Style::Warn, &facts(file, &info, "msg.cli.frame_problems"));
    for p in &info.problems {
        ctx.out
            .say(&Message::new("msg.cli.bullet").arg("text", p.message.clone()));
    }
    if let Some(e) = &fix_error {
        ctx.out.warn(&e.msg());
    }
    match &fixed_path {
        Some(path) => {
            ctx.out.say_styled(
                Style::Good,
                &Message::new("msg.cli.frame_fixed").arg("path", path),
            );
            true
        }
        None => {
            if fix && fix_error.is_none() {
                ctx.out.warn(&Message::new("msg.cli.frame_no_fix"));
            }
            false
        }
    }
}

fn facts(file: &Path, info: &FrameInfo, key: &str) -> Message {
    Message::new(key)
        .arg("path", file)
        .arg("format", info.format.as_str())
        .arg("width", info.width)
        .arg("height", info.height)
        .arg("size", megabytes(info.file_bytes as u64))
}

fn report_unusable(ctx: &Ctx, file: &Path, e: &ImageError) {
    ctx.out.object(&json!({
        "path": file,
        "ok": false,
        "error": { "kind": e.kind(), "message": ctx.out.text(&e.msg()) },
    }));
    if !ctx.out.json() {
        ctx.out.warn(
            &Message::new("msg.cli.frame_unusable")
                .arg("path", file)
                .arg("problem", e.msg()),
        );
    }
}

/// Applies the offered fixes one after another until the copy passes; `None` when some problem has no
/// fix. Intermediate copies are removed; only the final one stays, beside the original, returned with its
/// check. `seedance batch --fix` fixes its frames the same way.
pub(crate) fn fix_copy(
    file: &Path,
    info: &FrameInfo,
) -> Result<Option<(PathBuf, FrameInfo)>, ImageError> {
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut current: Option<PathBuf> = None;
    let mut problems = info.problems.clone();
    for _ in 0..MAX_FIX_STEPS {
        // A limit no fix can cure (a tiny image, say) makes every fix pointless.
        let Some(fix) = problems
            .iter()
            .map(|p| p.fix)
            .collect::<Option<Vec<_>>>()
            .and_then(|fixes| fixes.first().copied())
        else {
            break;
        };
        let source = current.clone().unwrap_or_else(|| file.to_path_buf());
        let made = images::apply_fix(&source, &fix, &dir);
        // The previous step's copy is ours and no longer needed, whatever this step did.
        if let Some(previous) = current.take() {
            let _ = std::fs::remove_file(previous);
        }
        let made = made?;
        let checked = images::intake(&made, &IntakeOptions::default())?;
        current = Some(made);
        if checked.problems.is_empty() {
            return Ok(current.map(|path| (path, checked)));
        }
        problems = checked.problems;
    }
    if let Some(left) = current {
        let _ = std::fs::remove_file(left);
    }
    Ok(None)
}
