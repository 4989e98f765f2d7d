//! `seedance jobs list|show|delete`: the app's job history. Reading is the store's own newest-first query
//! (the Jobs screen's filters); deleting goes through the job runner, so its rules are the app's.

use std::sync::Arc;

use seedance_core::i18n::Message;
use seedance_core::jobs::{JobError, JobRunner, NoEvents, RunnerPrefs, RunnerTiming};
use seedance_core::session::Services;
use seedance_core::store::{JobQuery, JobRecord, JobStatus, Store, MAX_PAGE};
use serde_json::json;

use crate::cli::JobsCommand;
use crate::context::Ctx;
use crate::error::{CliResult, Exit};
use crate::out::Style;

/// How much of a prompt a list row shows.
const PROMPT_CHARS: usize = 60;

pub fn run(ctx: &mut Ctx, command: JobsCommand) -> CliResult {
    match command {
        JobsCommand::List {
            status,
            search,
            batch,
            limit,
        } => {
            let query = JobQuery {
                search,
                status: status.as_deref().and_then(JobStatus::parse),
                limit: 0,
                before: None,
                batch,
            };
            list(ctx, query, limit)
        }
        JobsCommand::Show { id } => show(ctx, &id),
        JobsCommand::Delete { id, file } => delete(ctx, &id, file),
        JobsCommand::Watch => super::queue::watch(ctx),
        JobsCommand::Download { id } => super::queue::download(ctx, &id, false),
        JobsCommand::Retry { id } => super::queue::download(ctx, &id, true),
        JobsCommand::Resubmit { id, yes, wait } => super::queue::resubmit(ctx, &id, yes, wait),
    }
}

/// Up to `limit` jobs, fetched in the store's pages.
fn fetch(store: &Store, mut query: JobQuery, limit: u32) -> CliResult<Vec<JobRecord>> {
    let mut jobs = Vec::new();
    while (jobs.len() as u32) < limit {
        query.limit = (limit - jobs.len() as u32).min(MAX_PAGE);
        let page = store.list_jobs(&query)?;
        jobs.extend(page.jobs);
        match page.next {
            Some(next) => query.before = Some(next),
            None => break,
        }
    }
    jobs.truncate(limit as usize);
    Ok(jobs)
}

fn list(ctx: &mut Ctx, query: JobQuery, limit: u32) -> CliResult {
    let store = ctx.store()?;
    let jobs = fetch(&store, query, limit)?;
    if ctx.out.json() {
        for job in &jobs {
            ctx.out.object(&summary_json(job));
        }
        return Ok(Exit::Done);
    }
    if jobs.is_empty() && ctx.out.mode() == crate::out::Mode::Human {
        ctx.out.say(&Message::new("msg.cli.no_jobs"));
        return Ok(Exit::Done);
    }
    let zone = seedance_core::spend::local_zone();
    let rows: Vec<Vec<String>> = jobs
        .iter()
        .map(|job| {
            vec![
                job.id.clone(),
                local_time(job.created_at, &zone),
                status_cell(ctx, job.status),
                format!(
                    "{} {} {}",
                    job.resolution,
                    job.ratio,
                    duration_word(ctx, job.duration)
                ),
                one_line(&job.prompt, PROMPT_CHARS),
            ]
        })
        .collect();
    ctx.out.table(
        &[
            Message::new("msg.cli.col_id"),
            Message::new("msg.cli.col_created"),
            Message::new("msg.cli.col_status"),
            Message::new("msg.cli.col_settings"),
            Message::new("msg.cli.col_prompt"),
        ],
        &rows,
    );
    Ok(Exit::Done)
}

fn show(ctx: &mut Ctx, id: &str) -> CliResult {
    let store = ctx.store()?;
    let job = store.get_job(id)?;
    if ctx.out.json() {
        let mut value = serde_json::to_value(&job).unwrap_or_default();
        // Thumbnails are data URLs of the frames: bulk, not facts.
        if let Some(map) = value.as_object_mut() {
            map.remove("first_thumb");
            map.remove("last_thumb");
        }
        ctx.out.object(&value);
        return Ok(Exit::Done);
    }
    let zone = seedance_core::spend::local_zone();
    let none = ctx.out.text(&Message::new("msg.cli.none"));
    let field = |label: &str, value: String| {
        let label = ctx.out.text(&Message::new(label));
        ctx.out
            .line(&format!("{} {value}", ctx.out.paint(Style::Bold, &label)));
    };
    field("msg.cli.col_id", job.id.clone());
    field(
        "msg.cli.col_status",
        ctx.out
            .paint(status_style(job.status), &ctx.out.text(&job.status.label())),
    );
    field("msg.cli.col_created", local_time(job.created_at, &zone));
    field(
        "msg.cli.col_settings",
        format!(
            "{} {} {}",
            job.resolution,
            job.ratio,
            duration_word(ctx, job.duration)
        ),
    );
    field("msg.cli.col_prompt", job.prompt.clone());
    let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| none.clone());
    field("msg.cli.col_first", or_none(&job.first_frame_path));
    field("msg.cli.col_last", or_none(&job.last_frame_path));
    field(
        "msg.cli.col_task",
        job.task_id
            .as_ref()
            .map_or_else(|| none.clone(), |t| t.0.clone()),
    );
    field("msg.cli.col_video", or_none(&job.output_path));
    if let Some(tokens) = job.tokens_estimate {
        field("msg.cli.col_tokens", tokens.to_string());
    }
    if let Some(batch) = &job.batch {
        field(
            "msg.cli.col_batch",
            format!(
                "{} ({}) #{}.{}",
                batch.name, batch.id, batch.item, batch.take
            ),
        );
    }
    if let Some(problem) = &job.problem {
        field("msg.cli.col_problem", ctx.out.text(&problem.message));
    }
    Ok(Exit::Done)
}

fn delete(ctx: &mut Ctx, id: &str, file: bool) -> CliResult {
    let store = ctx.store()?;
    let job = store.get_job(id)?;
    // This process runs no job, so the runner cannot tell whether another one (the app, `seedance jobs
    // watch`) is working on this one right now: a job that is not settled may be, and is refused.
    if !job.status.is_settled() {
        return Err(JobError::Busy { id: id.to_owned() }.into());
    }
    runner(ctx, store)?.delete(id, file)?;
    ctx.out
        .object(&json!({ "deleted": id, "file_deleted": file && job.output_path.is_some() }));
    ctx.out
        .say(&Message::new("msg.cli.job_deleted").arg("id", id));
    Ok(Exit::Done)
}

/// The app's job runner over the shared history, with this process's token and preferences.
fn runner(ctx: &mut Ctx, store: Arc<Store>) -> CliResult<JobRunner> {
    let config = ctx.config()?;
    let prefs = ctx.prefs()?;
    let services = Arc::new(Services::new(
        config.clone(),
        prefs.clone(),
        ctx.credentials()?,
    ));
    let data_dir = config.data_dir.clone();
    Ok(JobRunner::new(
        store,
        Arc::new(NoEvents),
        services,
        Arc::new(move || RunnerPrefs::from_prefs(&prefs.snapshot(), &data_dir)),
        RunnerTiming::default(),
    ))
}

fn summary_json(job: &JobRecord) -> serde_json::Value {
    json!({
        "id": job.id,
        "created_at": job.created_at,
        "status": job.status,
        "prompt": job.prompt,
        "mode": job.mode,
        "resolution": job.resolution,
        "ratio": job.ratio,
        "duration": job.duration,
        "output_path": job.output_path,
        "task_id": job.task_id.as_ref().map(|t| t.0.as_str()),
        "batch": job.batch.as_ref().map(|b| b.id.as_str()),
        "demo": job.demo,
    })
}

/// The translated, coloured word for people; the stable word (`done`, `failed`…) for scripts reading pipes.
fn status_cell(ctx: &Ctx, status: JobStatus) -> String {
    if ctx.out.mode() == crate::out::Mode::Plain {
        return status.as_str().to_owned();
    }
    ctx.out
        .paint(status_style(status), &ctx.out.text(&status.label()))
}

fn status_style(status: JobStatus) -> Style {
    match status {
        JobStatus::Done => Style::Good,
        JobStatus::Failed => Style::Bad,
        JobStatus::SubmissionUncertain | JobStatus::NotSent => Style::Warn,
        _ => Style::Dim,
    }
}

fn duration_word(ctx: &Ctx, seconds: i32) -> String {
    if seconds == seedance_core::request::Duration::AUTO_WIRE {
        ctx.out.text(&Message::new("msg.cli.duration_auto"))
    } else {
        format!("{seconds} s")
    }
}

/// `2026-12-02 08:15` in the computer's time zone.
fn local_time(unix_ms: i64, zone: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_millisecond(unix_ms)
        .map(|t| {
            t.to_zoned(zone.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| unix_ms.to_string())
}

/// The prompt on one line, cut to `max` characters with an ellipsis.
fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_fit_one_line() {
        assert_eq!(one_line("a\nb", 10), "a b");
        assert_eq!(one_line("abcdef", 4), "abc…");
        assert_eq!(one_line("一二三四五", 3), "一二…");
    }
}
