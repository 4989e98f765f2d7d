//! `seedance jobs watch | download | retry | resubmit`: continuing jobs from a terminal. `watch` resumes
//! every unfinished job by core's rules (a create whose fate is unknown becomes uncertain, never re-sent)
//! and follows the shared history, so jobs the app drives move here too; `download` and `retry` are the
//! free steps (ask the task again, fetch the video), `resubmit` the paid one, asked like `generate`.

use std::path::Path;

use seedance_core::form::check_form;
use seedance_core::i18n::Message;
use seedance_core::images::{self, IntakeOptions};
use seedance_core::jobs::{JobRunner, ResumePolicy, SpendConsent};
use seedance_core::store::{BatchState, JobStatus};

use super::batch::batch_jobs;
use super::generate::estimate_line;
use super::send::{confirm, finish, spend_consent};
use crate::context::{block_on, Ctx};
use crate::engine::Engine;
use crate::error::{CliError, CliResult};
use crate::follow::{follow, follow_all, Goal, Interrupts};

pub fn watch(ctx: &mut Ctx) -> CliResult {
    let policy = ResumePolicy::from_prefs(&ctx.prefs()?.snapshot());
    block_on(async {
        let mut interrupts = Interrupts::listen();
        let mut engine = Engine::start(ctx, None).await?;
        let ids = match unfinished(&engine.runner) {
            Ok(ids) => ids,
            Err(e) => {
                engine.stop().await;
                return Err(e);
            }
        };
        if let Err(e) = engine.runner.resume_all_with(&policy).await {
            engine.stop().await;
            return Err(e.into());
        }
        // Jobs another process drives are followed in the history; one it leaves behind is adopted.
        engine.runner.follow_shared_history();
        if ids.is_empty() {
            ctx.out.say(&Message::new("msg.cli.nothing_to_watch"));
        }
        // Jobs another process creates while this runs (the app, another command) are followed too.
        // A look that cannot read the history names none; the next one tries again.
        let discover = |runner: &JobRunner| unfinished(runner).unwrap_or_default();
        let outcome = follow_all(&ctx.out, &mut engine, &mut interrupts, ids, &discover).await;
        engine.stop().await;
        Ok(finish(&ctx.out, outcome, Goal::Settled))
    })
}

/// Every unfinished job in the shared history, oldest first, and the jobs of running batches (those
/// waiting for their turn are sent here too).
fn unfinished(runner: &JobRunner) -> CliResult<Vec<String>> {
    let mut ids: Vec<String> = runner
        .store()
        .unfinished_jobs()?
        .into_iter()
        .map(|j| j.id)
        .collect();
    for batch in runner.batches()? {
        if batch.state == BatchState::Running {
            for id in batch_jobs(runner, &batch.id)? {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
    }
    Ok(ids)
}

/// `retry`: only the free retry of a failed download or task query. `download`: that, or following the
/// job if it is unfinished, or its file if it is done.
pub fn download(ctx: &mut Ctx, id: &str, retry_only: bool) -> CliResult {
    let job = ctx.store()?.get_job(id)?;
    let policy = ResumePolicy::from_prefs(&ctx.prefs()?.snapshot());
    block_on(async {
        let mut interrupts = Interrupts::listen();
        let mut engine = Engine::start(ctx, None).await?;
        let started = match job.status {
            JobStatus::Failed => engine.runner.retry_download(id).map(|_| ()),
            _ if retry_only => engine.runner.retry_download(id).map(|_| ()),
            JobStatus::Done => Ok(()),
            _ => {
                // Picked up by the resume rules if no other process drives it; followed either way.
                let resumed = engine.runner.resume_all_with(&policy).await.map(|_| ());
                engine.runner.follow_shared_history();
                resumed
            }
        };
        if let Err(e) = started {
            engine.stop().await;
            return Err(e.into());
        }
        let ids = [id.to_owned()];
        let outcome = follow(&ctx.out, &mut engine, &mut interrupts, &ids, Goal::Settled).await;
        engine.stop().await;
        Ok(finish(&ctx.out, outcome, Goal::Settled))
    })
}

pub fn resubmit(ctx: &mut Ctx, id: &str, yes: bool, wait: bool) -> CliResult {
    let job = ctx.store()?.get_job(id)?;
    let rates = ctx.prefs()?.snapshot().cost_rates;
    let aspect = match job.request.first_frame.as_deref() {
        Some(path) => images::intake(Path::new(path), &IntakeOptions::preview())
            .ok()
            .map(|info| info.aspect),
        None => None,
    };
    let estimate = check_form(&job.request, aspect, &rates).estimate;
    let mut consent = SpendConsent::NotGiven;
    if !ctx.demo && !job.demo {
        if let Some(estimate) = &estimate {
            if !yes {
                confirm(
                    &ctx.out,
                    Message::new("msg.cli.confirm_send")
                        .arg("estimate", estimate_line(estimate, 1)),
                )?;
            }
            consent = spend_consent(ctx, estimate, 1)?;
        } else if !yes {
            return Err(CliError::new(
                "confirmation_needed",
                Message::new("msg.cli.confirmation_needed"),
            )
            .with_exit(crate::error::Exit::Usage));
        }
    }
    let goal = if wait || ctx.demo {
        Goal::Settled
    } else {
        Goal::Created
    };
    block_on(async {
        let mut interrupts = Interrupts::listen();
        let mut engine = Engine::start(ctx, None).await?;
        let again = match engine.runner.resubmit(id, consent).await {
            Ok(again) => again,
            Err(e) => {
                engine.stop().await;
                return Err(e.into());
            }
        };
        let ids = [again.id];
        let outcome = follow(&ctx.out, &mut engine, &mut interrupts, &ids, goal).await;
        engine.stop().await;
        Ok(finish(&ctx.out, outcome, goal))
    })
}
