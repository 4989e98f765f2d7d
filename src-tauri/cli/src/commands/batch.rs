//! `seedance batch FILE`: a CSV or JSON Lines file planned by core's batch rules (`batch::from_file`,
//! `batch::plan`), the same review rules and totals as the app's Batch screen: every row's problems are
//! printed, then the total, then one question. The batch is started by core's runner, which feeds its jobs
//! a few at a time; without `--wait` the command returns once the batch is stored (the app or `seedance
//! jobs watch` carries it on), with `--wait` it follows every job to its file.

use std::path::Path;

use seedance_core::batch::{from_file, plan, BatchPlan, PlanInput};
use seedance_core::i18n::Message;
use seedance_core::images::{self, IntakeOptions};
use seedance_core::jobs::{BatchStart, Intent, SpendConsent};
use seedance_core::request::RequestDraft;
use seedance_core::store::{JobQuery, JobRecord, JobStatus};
use serde_json::json;

use super::presets;
use super::send::{confirm, finish};
use crate::cli::BatchArgs;
use crate::context::{block_on, Ctx};
use crate::engine::Engine;
use crate::error::{CliError, CliResult};
use crate::follow::{exit_of, follow, print_result, Goal, Interrupts, Outcome};

pub fn run(ctx: &mut Ctx, args: BatchArgs) -> CliResult {
    let source = from_file(&args.file)?;
    let presets = presets::library(ctx)?.list()?;
    let rates = ctx.prefs()?.snapshot().cost_rates;
    let aspect = |p: &Path| {
        images::intake(p, &IntakeOptions::preview())
            .ok()
            .map(|i| i.aspect)
    };
    let form = RequestDraft::default();
    let planned = plan(
        &source,
        &PlanInput {
            form: &form,
            takes: args.takes,
            presets: &presets,
            rates: &rates,
            frame_aspect: &aspect,
        },
    );
    review(ctx, &planned);
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
        let batch = loop {
            let started = engine
                .runner
                .start_batch(BatchStart {
                    name: &name,
                    source: &source,
                    plan: &planned,
                    intent: Intent::Once,
                    spend,
                })
                .await;
            match started {
                Ok(batch) => break batch,
                Err(seedance_core::jobs::BatchRunError::Job(
                    seedance_core::jobs::JobError::SpendLimit(question),
                )) if spend == SpendConsent::NotGiven => {
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
        let ids = batch_jobs(&engine, &batch.id)?;
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

/// Every row's problems, then the total.
fn review(ctx: &Ctx, planned: &BatchPlan) {
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
pub(super) fn batch_jobs(engine: &Engine, batch: &str) -> CliResult<Vec<String>> {
    let mut ids = Vec::new();
    let mut query = JobQuery {
        batch: Some(batch.to_owned()),
        ..JobQuery::default()
    };
    loop {
        let page = engine.runner.list_jobs(&query)?;
        ids.extend(page.jobs.iter().map(|j| j.id.clone()));
        match page.next {
            Some(next) => query.before = Some(next),
            None => break,
        }
    }
    ids.reverse();
    Ok(ids)
}
