//! `seedance batch FILE`: a CSV or JSON Lines file planned by core's batch rules (`batch::from_file`,
//! `batch::plan`), the same review rules and totals as the app's Batch screen: every distinct frame is
//! checked first (core's `check_queue`, a few at a time), items whose frames the service would refuse are
//! left out with the reasons and the fix (`--fix` writes the fixed copies, as `seedance frames check --fix`,
//! and sends those), every row's problems are printed, then the total over the rest, then one question.
//! `--preset` and the settings flags are the batch's defaults, as the Batch screen's settings: a row's own
//! column wins. The batch is started by core's runner, which feeds its jobs a few at a time; without
//! `--wait` the command returns once the batch is stored (the app or `seedance jobs watch` carries it on),
//! with `--wait` it follows every job to its file. The same batch started again within core's duplicate
//! window is refused unless the user says it is meant (`--again`, or yes at a terminal).

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use seedance_core::batch::{
    check_queue, default_in_flight, from_file, intake_work, leave_out_frames, plan, BatchPlan,
    BatchSource, FrameVerdict, LeftOut, Origin, PlanInput,
};
use seedance_core::i18n::Message;
use seedance_core::images::{check_frame_path, FrameInfo, ImageError, IntakeOptions};
use seedance_core::jobs::{BatchRunError, BatchStart, Intent, JobError, JobRunner, SpendConsent};
use seedance_core::request::{DraftSettings, FrameSlot, RequestDraft};
use seedance_core::store::{JobQuery, JobRecord, JobStatus};
use serde_json::json;

use super::frames::fix_copy;
use super::generate::apply_settings;
use super::presets;
use super::send::{ask, confirm, finish};
use crate::cli::BatchArgs;
use crate::context::{block_on, Ctx};
use crate::engine::Engine;
use crate::error::{CliError, CliResult, Exit};
use crate::follow::{exit_of, follow, print_result, Goal, Interrupts, Outcome};

/// Each frame file's check, by path.
type Checked = HashMap<PathBuf, Result<FrameInfo, ImageError>>;

pub fn run(ctx: &mut Ctx, args: BatchArgs) -> CliResult {
    let mut source = from_file(&args.file)?;
    let library = presets::library(ctx)?;
    let presets = library.list()?;
    let rates = ctx.prefs()?.snapshot().cost_rates;
    let mut form = RequestDraft::default();
    if let Some(name) = &args.preset {
        form.settings = DraftSettings::from(&presets::by_name(&library, name)?.settings);
    }
    apply_settings(&args.settings, &mut form.settings);
    let mut checked = block_on(check_all(frame_paths(&source)));
    if args.fix {
        fix_frames(ctx, &mut source, &mut checked);
    }
    let aspect = |p: &Path| checked.get(p)?.as_ref().ok().map(|i| i.aspect);
    let mut planned = plan(
        &source,
        &PlanInput {
            form: &form,
            takes: args.takes,
            presets: &presets,
            rates: &rates,
            frame_aspect: &aspect,
        },
    );
    let verdict = |p: &Path| checked.get(p).map(FrameVerdict::of);
    let left_out = leave_out_frames(&mut planned, &verdict, &|_| false, &aspect);
    drop(checked);
    review(ctx, &args.file, &planned, &left_out);
    if !planned.can_start() {
        return Err(CliError::new(
            "batch_nothing_to_run",
            Message::new("msg.cli.batch_cannot_start"),
        ));
    }
    if !ctx.demo && !args.yes {
        confirm(&ctx.out, Message::new("msg.cli.batch_confirm"))?;
    }
    let name = args
        .file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let source = Message::new("msg.batch_source.path").arg("path", args.file.display().to_string());
    let goal = if args.wait || ctx.demo {
        Goal::Settled
    } else {
        Goal::Created
    };
    block_on(async {
        let mut interrupts = Interrupts::listen();
        let mut engine = Engine::start(ctx, None).await?;
        let mut spend = SpendConsent::NotGiven;
        let mut intent = if args.again {
            Intent::Repeat
        } else {
            Intent::Once
        };
        let batch = loop {
            let started = engine
                .runner
                .start_batch(BatchStart {
                    name: &name,
                    source: &source,
                    plan: &planned,
                    intent,
                    spend,
                })
                .await;
            match started {
                Ok(batch) => break batch,
                // The same batch moments ago: sent again only when the user says that is meant.
                Err(BatchRunError::Duplicate { seconds_ago, .. }) if intent == Intent::Once => {
                    let question =
                        Message::new("msg.cli.batch_again_ask").arg("seconds", seconds_ago);
                    if ask(&ctx.out, &question) != Some(true) {
                        engine.stop().await;
                        return Err(CliError::new(
                            "batch_duplicate",
                            Message::new("msg.cli.batch_duplicate").arg("seconds", seconds_ago),
                        )
                        .with_exit(Exit::Usage));
                    }
                    intent = Intent::Repeat;
                }
                Err(BatchRunError::Job(JobError::SpendLimit(question)))
                    if spend == SpendConsent::NotGiven =>
                {
                    let reasons: Vec<Message> = question
                        .breaches
                        .iter()
                        .map(|b| b.message.clone())
                        .collect();
                    let asked = confirm(
                        &ctx.out,
                        Message::new("msg.cli.spend_ask").arg("reasons", reasons.clone()),
                    );
                    if asked.is_err() {
                        engine.stop().await;
                        return Err(CliError::new(
                            "spend_limit",
                            Message::new("msg.cli.spend_limit").arg("reasons", reasons),
                        ));
                    }
                    spend = SpendConsent::Given;
                }
                Err(e) => {
                    engine.stop().await;
                    return Err(e.into());
                }
            }
        };
        ctx.out.object(&json!({ "event": "batch", "id": batch.id }));
        ctx.out
            .say(&Message::new("msg.cli.batch_started").arg("id", batch.id.as_str()));
        let ids = batch_jobs(&engine.runner, &batch.id)?;
        // Without --wait: the jobs this process's feeder already took are followed until their creates
        // are answered (never cut off mid-create); the rest wait for their turn in the history, for the
        // app or `jobs watch` to send.
        let outcome = follow(&ctx.out, &mut engine, &mut interrupts, &ids, goal).await;
        if let (Goal::Created, Outcome::Reached(jobs)) = (goal, &outcome) {
            // The jobs sent so far have their task ids; the rest wait for their turn in the history.
            engine.stop().await;
            let sent: Vec<JobRecord> = jobs
                .iter()
                .filter(|j| j.status != JobStatus::NotSent)
                .cloned()
                .collect();
            for job in &sent {
                print_result(&ctx.out, job);
            }
            ctx.out.say(&Message::new("msg.cli.batch_continue"));
            return Ok(exit_of(&sent));
        }
        engine.stop().await;
        Ok(finish(&ctx.out, outcome, goal))
    })
}

/// Every frame file the items name that exists and may be read, each once (a refused path is never
/// touched: its row already says why).
fn frame_paths(source: &BatchSource) -> Vec<PathBuf> {
    let mut seen = HashSet::new();
    source
        .items
        .iter()
        .flat_map(|i| [&i.first_frame, &i.last_frame])
        .flatten()
        .map(|f| f.path.clone())
        .filter(|p| check_frame_path(p).is_ok() && p.is_file() && seen.insert(p.clone()))
        .collect()
}

/// The strict check of upload on every file, a few at a time (one decode per core).
async fn check_all(paths: Vec<PathBuf>) -> Checked {
    let mut queue = VecDeque::from(paths);
    let mut checked = Checked::new();
    let work = intake_work(&IntakeOptions {
        // The review prints no thumbnail: the smallest one keeps each result small.
        thumbnail_max_side: 16,
        ..IntakeOptions::default()
    });
    check_queue(
        || queue.pop_front(),
        default_in_flight(),
        work,
        |check| {
            checked.insert(check.path, check.result);
            ControlFlow::Continue(())
        },
    )
    .await;
    checked
}

/// `--fix`: each frame with problems that all have a fix gets a conforming copy beside it (as `seedance
/// frames check --fix`), and every item that named it sends the copy instead.
fn fix_frames(ctx: &Ctx, source: &mut BatchSource, checked: &mut Checked) {
    let mut fixed: HashMap<PathBuf, PathBuf> = HashMap::new();
    let needing: Vec<(PathBuf, FrameInfo)> = checked
        .iter()
        .filter_map(|(path, result)| match result {
            Ok(info)
                if !info.problems.is_empty() && info.problems.iter().all(|p| p.fix.is_some()) =>
            {
                Some((path.clone(), info.clone()))
            }
            _ => None,
        })
        .collect();
    for (path, info) in needing {
        match fix_copy(&path, &info) {
            Ok(Some((copy, copy_info))) => {
                ctx.out
                    .object(&json!({ "event": "fixed", "path": path, "fixed": copy }));
                ctx.out.say(
                    &Message::new("msg.cli.batch_fixed")
                        .arg("path", path.display().to_string())
                        .arg("fixed", copy.display().to_string()),
                );
                checked.insert(copy.clone(), Ok(copy_info));
                fixed.insert(path, copy);
            }
            // The item stays left out for the original's problems, which the review prints.
            Ok(None) => {}
            Err(e) => {
                let error = CliError::from(e);
                ctx.out.object(&json!({
                    "event": "fix_failed",
                    "path": path,
                    "error": { "kind": error.kind, "message": ctx.out.text(&error.message) },
                }));
                ctx.out.warn(&error.message);
            }
        }
    }
    for item in &mut source.items {
        for frame in [&mut item.first_frame, &mut item.last_frame]
            .into_iter()
            .flatten()
        {
            if let Some(copy) = fixed.get(&frame.path) {
                frame.path = copy.clone();
            }
        }
    }
}

/// The frames that leave their items out (with the reasons and the fix), every row's problems, then the
/// total.
fn review(ctx: &Ctx, file: &Path, planned: &BatchPlan, left_out: &[LeftOut]) {
    for out in left_out {
        let line = planned
            .items
            .iter()
            .find(|i| i.index == out.item)
            .and_then(|i| match i.origin {
                Origin::Line { line } => Some(line),
                _ => None,
            });
        let reasons: Vec<String> = out.reasons.iter().map(|r| ctx.out.text(r)).collect();
        ctx.out.object(&json!({
            "event": "left_out",
            "item": out.item,
            "line": line,
            "slot": out.slot,
            "path": out.path,
            "reasons": reasons,
            "fixable": out.fixable(),
            "fixes": out.fixes,
        }));
        if ctx.out.json() {
            continue;
        }
        let slot = match out.slot {
            FrameSlot::First => "msg.batch.slot_first",
            FrameSlot::Last => "msg.batch.slot_last",
        };
        ctx.out.warn(
            &Message::new("msg.cli.batch_left_out")
                .arg("item", out.item)
                .arg("slot", Message::new(slot))
                .arg("path", out.path.as_str()),
        );
        for reason in &out.reasons {
            ctx.out
                .warn(&Message::new("msg.cli.bullet").arg("text", reason.clone()));
        }
        let fix = if out.fixable() {
            Message::new("msg.cli.batch_fix_hint")
                .arg("file", file.display().to_string())
                .arg("path", out.path.as_str())
        } else {
            Message::new("msg.cli.batch_no_fix")
        };
        ctx.out.warn(&fix);
    }
    let problems = planned
        .problems
        .iter()
        .chain(planned.items.iter().flat_map(|i| i.problems.iter()));
    for problem in problems {
        ctx.out.object(&json!({
            "event": "problem",
            "kind": problem.kind,
            "blocking": problem.blocking,
            "line": problem.at.line,
            "message": ctx.out.text(&problem.msg),
        }));
        if !ctx.out.json() {
            ctx.out.warn(&problem.msg);
        }
    }
    let t = &planned.total;
    ctx.out.object(&json!({
        "event": "total",
        "items": t.items,
        "excluded_items": t.excluded_items,
        "jobs": t.jobs,
        "tokens_min": t.tokens_min,
        "tokens_max": t.tokens_max,
        "cost_min": t.cost_min,
        "cost_max": t.cost_max,
        "currency": t.currency,
        "approximate": t.approximate,
        "draft_lower": t.draft_lower,
    }));
    let cost = if (t.cost_min - t.cost_max).abs() < 0.005 {
        format!("{:.2}", t.cost_max)
    } else {
        format!("{:.2}–{:.2}", t.cost_min, t.cost_max)
    };
    ctx.out.say(
        &Message::new("msg.cli.batch_total")
            .arg("items", t.items)
            .arg("excluded", t.excluded_items)
            .arg("jobs", t.jobs)
            .arg("tokens", t.tokens_max.to_string())
            .arg("cost", cost)
            .arg("currency", t.currency.as_str()),
    );
}

/// The batch's jobs, oldest first.
pub(super) fn batch_jobs(runner: &JobRunner, batch: &str) -> CliResult<Vec<String>> {
    let mut ids = Vec::new();
    let mut query = JobQuery {
        batch: Some(batch.to_owned()),
        ..JobQuery::default()
    };
    loop {
        let page = runner.list_jobs(&query)?;
        ids.extend(page.jobs.iter().map(|j| j.id.clone()));
        match page.next {
            Some(next) => query.before = Some(next),
            None => break,
        }
    }
    ids.reverse();
    Ok(ids)
}
