//! Sending jobs from the command line: the questions before paying (the cost, at a terminal or `--yes`;
//! passing a spend limit, only at a terminal), the submissions through core's job runner, and following
//! them. Without `--wait` the command returns once every create is answered and its task id stored: the
//! leases are given back and the app or `seedance jobs watch` takes the jobs to the file. Demo jobs end
//! with this command's simulator, so `--demo` always follows them to the end.

use std::io::{BufRead, IsTerminal, Write};

use seedance_core::cost::Estimate;
use seedance_core::i18n::Message;
use seedance_core::jobs::{Intent, SpendConsent};
use seedance_core::request::RequestDraft;
use seedance_core::spend::{check_spend, spent_so_far, SpendDecision, SpendKind, SpendTotal};

use super::generate::estimate_line;
use crate::cli::GenerateArgs;
use crate::context::{block_on, Ctx};
use crate::engine::Engine;
use crate::error::{CliError, CliResult, Exit};
use crate::follow::{self, Goal, Interrupts, Outcome};
use crate::out::{Mode, Out};

pub fn generate(
    ctx: &mut Ctx,
    args: &GenerateArgs,
    draft: RequestDraft,
    estimate: &Estimate,
) -> CliResult {
    let takes = args.takes;
    let goal = if args.wait || ctx.demo {
        Goal::Settled
    } else {
        Goal::Created
    };
    let mut consent = SpendConsent::NotGiven;
    if !ctx.demo {
        if !args.yes {
            confirm(
                &ctx.out,
                Message::new("msg.cli.confirm_send")
                    .arg("estimate", estimate_line(estimate, takes)),
            )?;
        }
        consent = spend_consent(ctx, estimate, takes)?;
    }
    block_on(async {
        let mut interrupts = Interrupts::listen();
        let mut engine = Engine::start(ctx, args.out.clone()).await?;
        let mut ids = Vec::new();
        let mut refused = None;
        for take in 0..takes {
            // Takes after the first are the same request on purpose.
            let intent = if take == 0 {
                Intent::Once
            } else {
                Intent::Repeat
            };
            let submitted = engine
                .runner
                .submit_checked(draft.clone(), Some(estimate.tokens_max), intent, consent)
                .await;
            match submitted {
                Ok(job) => ids.push(job.id),
                Err(e) if ids.is_empty() => {
                    engine.stop().await;
                    return Err(e.into());
                }
                // The takes already stored go on; the rest are not sent.
                Err(e) => {
                    let error = CliError::from(e);
                    ctx.out.error(&error);
                    refused = Some(error.exit);
                    break;
                }
            }
        }
        let outcome = follow::follow(&ctx.out, &mut engine, &mut interrupts, &ids, goal).await;
        engine.stop().await;
        // Takes that were refused make a run whose sent jobs all succeeded still not a success.
        Ok(match (finish(&ctx.out, outcome, goal), refused) {
            (Exit::Done, Some(exit)) => exit,
            (exit, _) => exit,
        })
    })
}

/// Prints how the jobs ended up and picks the exit code.
pub fn finish(out: &Out, outcome: Outcome, goal: Goal) -> Exit {
    match outcome {
        Outcome::Reached(jobs) => {
            for job in &jobs {
                follow::print_result(out, job);
            }
            let exit = follow::exit_of(&jobs);
            if goal == Goal::Created && exit == Exit::Done {
                // Standard output keeps only the jobs when piped.
                let next = Message::new("msg.cli.sent_continue");
                match out.mode() {
                    Mode::Human => out.say(&next),
                    Mode::Plain => out.warn(&next),
                    Mode::Json => {}
                }
            }
            exit
        }
        Outcome::Interrupted(jobs) => {
            follow::print_interrupted(out, &jobs);
            Exit::Interrupted
        }
    }
}

/// A yes at the terminal, else the command stops: a no exits 1, no terminal to ask on exits 2 (`--yes`).
pub fn confirm(out: &Out, question: Message) -> CliResult<()> {
    match ask(out, &question) {
        Some(true) => Ok(()),
        Some(false) => Err(CliError::new("declined", Message::new("msg.cli.declined"))),
        None => Err(CliError::new(
            "confirmation_needed",
            Message::new("msg.cli.confirmation_needed"),
        )
        .with_exit(Exit::Usage)),
    }
}

/// The answer typed at the terminal; `None` without one (a script cannot say yes by accident).
pub(super) fn ask(out: &Out, question: &Message) -> Option<bool> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return None;
    }
    let mut err = std::io::stderr();
    let _ = write!(err, "{}", out.text(question));
    let _ = err.flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    Some(matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "是"
    ))
}

/// The spend limits set in the app, for all `takes` at their highest estimate: passing a day's or month's
/// limit asks at a terminal and is refused without one (exit 5), `--yes` or not: the limit is the user's
/// own brake on scripts too.
pub fn spend_consent(ctx: &mut Ctx, estimate: &Estimate, takes: u32) -> CliResult<SpendConsent> {
    let prefs = ctx.prefs()?.snapshot();
    if prefs.spend_limits == Default::default() {
        return Ok(SpendConsent::NotGiven);
    }
    let store = ctx.store()?;
    let spent = spent_so_far(
        &store,
        jiff::Timestamp::now().as_millisecond(),
        &seedance_core::spend::local_zone(),
        &prefs.cost_rates,
    )?;
    let total = SpendTotal::of(
        u64::from(estimate.tokens_max) * u64::from(takes),
        estimate.cost_max * f64::from(takes),
        takes,
    );
    let decision = check_spend(
        SpendKind::Job,
        &total,
        &spent,
        &prefs.spend_limits,
        &prefs.cost_rates.currency,
        false,
    );
    match decision {
        SpendDecision::Ok => Ok(SpendConsent::NotGiven),
        SpendDecision::Ask(question) => {
            let reasons: Vec<Message> = question
                .breaches
                .iter()
                .map(|b| b.message.clone())
                .collect();
            let refused = CliError::new(
                "spend_limit",
                Message::new("msg.cli.spend_limit").arg("reasons", reasons.clone()),
            );
            match ask(
                &ctx.out,
                &Message::new("msg.cli.spend_ask").arg("reasons", reasons),
            ) {
                Some(true) => Ok(SpendConsent::Given),
                _ => Err(refused),
            }
        }
        SpendDecision::Refuse(message) => Err(CliError::new("over_spend_limit", message)),
    }
}
