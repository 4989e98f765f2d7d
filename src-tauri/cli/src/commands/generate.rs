//! `seedance generate`: the request from a preset, the prompt and frames, and the settings flags, checked by
//! the same rules as the app's form (`form::check_form`). `--estimate` prints the output size, tokens and
//! cost (with the rates set in the app) and sends nothing. Without it the request goes to core's job runner
//! (`--takes` times), after a yes at the terminal (or `--yes`) and the spend limits; the command then
//! returns once each create is answered, or with `--wait` once each video is on disk.

use std::io::{IsTerminal, Read};
use std::path::Path;

use seedance_core::cost::Estimate;
use seedance_core::form::check_form;
use seedance_core::i18n::Message;
use seedance_core::images::{self, IntakeOptions};
use seedance_core::request::{DraftSettings, RequestDraft};
use serde_json::json;

use crate::cli::{GenerateArgs, SettingsArgs};
use crate::commands::{presets, send};
use crate::context::Ctx;
use crate::error::{CliError, CliResult, Exit};

/// A prompt is at most a few thousand characters; a larger file is not one.
const MAX_PROMPT_FILE: u64 = 1024 * 1024;

pub fn run(ctx: &mut Ctx, args: GenerateArgs) -> CliResult {
    let draft = draft_of(ctx, &args)?;
    let aspect = match draft.first_frame.as_deref() {
        Some(path) => Some(images::intake(Path::new(path), &IntakeOptions::preview())?.aspect),
        None => None,
    };
    let rates = ctx.prefs()?.snapshot().cost_rates;
    let check = check_form(&draft, aspect, &rates);
    let Some(estimate) = check.estimate else {
        return Err(CliError::new(
            "invalid_request",
            Message::lines(check.problems.into_iter().map(|p| p.msg).collect()),
        ));
    };
    if !args.estimate {
        // What the estimate only warns about (an empty prompt) stops a request that is sent.
        if !check.problems.is_empty() {
            return Err(CliError::new(
                "invalid_request",
                Message::lines(check.problems.iter().map(|p| p.msg.clone()).collect()),
            ));
        }
        return send::generate(ctx, &args, draft, &estimate);
    }
    let takes = args.takes;
    let total = |n: u32| n.saturating_mul(takes);
    ctx.out.object(&json!({
        "width": estimate.width,
        "height": estimate.height,
        "tokens_min": estimate.tokens_min,
        "tokens_max": estimate.tokens_max,
        "cost_min": estimate.cost_min,
        "cost_max": estimate.cost_max,
        "currency": estimate.currency,
        "draft_lower": estimate.draft_lower,
        "approximate": estimate.approximate,
        "mode": check.mode,
        "takes": takes,
        "total_tokens_min": total(estimate.tokens_min),
        "total_tokens_max": total(estimate.tokens_max),
        "total_cost_min": estimate.cost_min * f64::from(takes),
        "total_cost_max": estimate.cost_max * f64::from(takes),
        "problems": check.problems.iter().map(|p| json!({ "kind": p.kind, "message": ctx.out.text(&p.msg) })).collect::<Vec<_>>(),
    }));
    // What would stop the request from being sent (an empty prompt, say) does not change its price.
    for problem in &check.problems {
        ctx.out.warn(&problem.msg);
    }
    ctx.out.say(&estimate_line(&estimate, 1));
    if takes > 1 {
        ctx.out.say(&estimate_line(&estimate, takes));
    }
    if estimate.draft_lower {
        ctx.out.say(&Message::new("msg.cli.estimate_draft"));
    }
    if estimate.approximate {
        ctx.out.say(&Message::new("msg.cli.estimate_approximate"));
    }
    Ok(Exit::Done)
}

/// One clip's, or `takes` clips' together, size, tokens and cost.
pub(super) fn estimate_line(e: &Estimate, takes: u32) -> Message {
    let n = u64::from(takes);
    let range = |min: String, max: String| {
        if min == max {
            min
        } else {
            format!("{min}–{max}")
        }
    };
    let tokens = range(
        (u64::from(e.tokens_min) * n).to_string(),
        (u64::from(e.tokens_max) * n).to_string(),
    );
    let cost = range(
        format!("{:.2}", e.cost_min * n as f64),
        format!("{:.2}", e.cost_max * n as f64),
    );
    let key = if takes == 1 {
        "msg.cli.estimate"
    } else {
        "msg.cli.estimate_takes"
    };
    Message::new(key)
        .arg("width", e.width)
        .arg("height", e.height)
        .arg("tokens", tokens)
        .arg("cost", cost)
        .arg("currency", e.currency.as_str())
        .arg("count", takes)
}

/// The request as the flags describe it: a preset's settings (and its prompt and frames) first, then
/// every flag given on top.
fn draft_of(ctx: &mut Ctx, args: &GenerateArgs) -> CliResult<RequestDraft> {
    let mut draft = RequestDraft::default();
    if let Some(name) = &args.preset {
        let library = presets::library(ctx)?;
        let preset = presets::by_name(&library, name)?;
        let applied = library.apply(&preset.id)?;
        for problem in &applied.problems {
            ctx.out.warn(&problem.msg);
        }
        draft.settings = applied.draft.settings;
        if applied.replaces_prompt {
            draft.prompt = applied.draft.prompt;
        }
        if applied.replaces_frames {
            draft.first_frame = applied.draft.first_frame;
            draft.last_frame = applied.draft.last_frame;
        }
    }
    if let Some(prompt) = prompt_of(args)? {
        draft.prompt = prompt;
    }
    let path_text = |p: &Path| p.to_string_lossy().into_owned();
    if let Some(first) = &args.first {
        draft.first_frame = Some(path_text(first));
        // New frames from the command line replace a preset's pair as a whole.
        draft.last_frame = None;
    }
    if let Some(last) = &args.last {
        draft.last_frame = Some(path_text(last));
    }
    apply_settings(&args.settings, &mut draft.settings);
    Ok(draft)
}

/// Every settings flag given, over `settings`.
pub(crate) fn apply_settings(args: &SettingsArgs, s: &mut DraftSettings) {
    if let Some(r) = &args.resolution {
        s.resolution = r.clone();
    }
    if let Some(r) = &args.ratio {
        s.ratio = r.clone();
    }
    if let Some(d) = args.duration {
        s.duration = d;
    }
    if let Some(v) = args.audio {
        s.generate_audio = v;
    }
    if let Some(v) = args.camera_fixed {
        s.camera_fixed = v;
    }
    if let Some(v) = args.draft {
        s.draft = v;
    }
    if let Some(v) = args.watermark {
        s.watermark = v;
    }
}

/// `--prompt`, else `--prompt-file`, else standard input when something is piped in; `None` leaves the
/// preset's prompt (or none).
fn prompt_of(args: &GenerateArgs) -> CliResult<Option<String>> {
    if let Some(p) = &args.prompt {
        return Ok(Some(p.clone()));
    }
    let unreadable = |path: &Path, e: std::io::Error| {
        let mut error = CliError::new(
            "prompt_unreadable",
            Message::new("msg.cli.prompt_unreadable").arg("path", path),
        );
        error.cause = Some(e.to_string());
        error
    };
    let mut text = String::new();
    if let Some(path) = &args.prompt_file {
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_PROMPT_FILE).read_to_string(&mut text))
            .map_err(|e| unreadable(path, e))?;
    } else if !std::io::stdin().is_terminal() {
        std::io::stdin()
            .lock()
            .take(MAX_PROMPT_FILE)
            .read_to_string(&mut text)
            .map_err(|e| unreadable(Path::new("-"), e))?;
        if text.trim().is_empty() {
            return Ok(None);
        }
    } else {
        return Ok(None);
    }
    // A file or pipe ends with a line break the user did not mean as part of the prompt.
    Ok(Some(text.trim_end_matches(['\n', '\r']).to_owned()))
}
