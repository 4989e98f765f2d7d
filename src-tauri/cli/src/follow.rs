//! Following jobs from a terminal: the runner's events and the shared history read once a second (jobs
//! another process drives move too), shown as a bar on a terminal, plain lines when piped (standard error,
//! so standard output keeps only the results) and one JSON object per event with `--json`. Ctrl+C or
//! SIGTERM stops the loop, never a job: the caller gives the leases back and says how to continue.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use seedance_core::i18n::Message;
use seedance_core::jobs::JobRunner;
use seedance_core::pipeline::TransferStage;
use seedance_core::store::{BatchState, JobRecord, JobStatus};
use serde_json::json;

use crate::engine::{Engine, Event};
use crate::error::Exit;
use crate::out::{Mode, Out, Style};

/// How far to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// Until the create is answered and its task id stored (or the job settles before that).
    Created,
    /// Until the job is done, failed or uncertain.
    Settled,
}

pub enum Outcome {
    Reached(Vec<JobRecord>),
    /// Ctrl+C or SIGTERM: the jobs as they were.
    Interrupted(Vec<JobRecord>),
}

/// Whether `job` is as far as `goal` asks. A batch job waiting for its turn is "not sent" while its batch
/// runs: it has not ended yet.
pub fn reached(runner: &JobRunner, job: &JobRecord, goal: Goal) -> bool {
    let waiting_turn = job.status == JobStatus::NotSent
        && job.batch.as_ref().is_some_and(|b| {
            runner
                .batch(&b.id)
                .is_ok_and(|batch| batch.state == BatchState::Running)
        });
    match goal {
        // Waiting for its turn is as far as a job gets before the batch's feeder sends it.
        Goal::Created => job.task_id.is_some() || job.status.is_settled(),
        Goal::Settled => !waiting_turn && job.status.is_settled(),
    }
}

/// Follows `ids` until each reaches `goal`, or until the user interrupts.
pub async fn follow(
    out: &Out,
    engine: &mut Engine,
    interrupts: &mut Interrupts,
    ids: &[String],
    goal: Goal,
) -> Outcome {
    follow_with(out, engine, interrupts, ids.to_vec(), goal, None).await
}

/// Which jobs are unfinished now, in the shared history (any process's).
pub type Discover<'a> = &'a dyn Fn(&JobRunner) -> Vec<String>;

/// [`follow`] to the end, taking in every job that becomes unfinished meanwhile, as `discover` lists them
/// (another process's new jobs, a batch started in the app): ends once every job it follows has settled
/// and `discover` names no other.
pub async fn follow_all(
    out: &Out,
    engine: &mut Engine,
    interrupts: &mut Interrupts,
    ids: Vec<String>,
    discover: Discover<'_>,
) -> Outcome {
    follow_with(out, engine, interrupts, ids, Goal::Settled, Some(discover)).await
}

async fn follow_with(
    out: &Out,
    engine: &mut Engine,
    interrupts: &mut Interrupts,
    mut ids: Vec<String>,
    goal: Goal,
    discover: Option<Discover<'_>>,
) -> Outcome {
    let started = Instant::now();
    let mut view = View::new(out);
    let mut jobs: HashMap<String, JobRecord> = HashMap::new();
    let runner = engine.runner.clone();
    let refresh = |ids: &[String], jobs: &mut HashMap<String, JobRecord>, view: &mut View| {
        for id in ids {
            if let Ok(job) = runner.get_job(id) {
                view.status(&job, started);
                jobs.insert(id.clone(), job);
            }
        }
    };
    // Adds the jobs `discover` names that are not followed yet; whether there were any.
    let take_in = |ids: &mut Vec<String>| {
        let Some(discover) = discover else {
            return false;
        };
        let mut more = false;
        for id in discover(&runner) {
            if !ids.contains(&id) {
                ids.push(id);
                more = true;
            }
        }
        more
    };
    refresh(&ids, &mut jobs, &mut view);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        let all = ids
            .iter()
            .all(|id| jobs.get(id).is_some_and(|j| reached(&runner, j, goal)));
        // One last look before ending: a job created since the last tick is followed too.
        if all && !take_in(&mut ids) {
            view.finish();
            return Outcome::Reached(ordered(&ids, jobs));
        }
        tokio::select! {
            event = engine.events.recv() => match event {
                Some(Event::Changed(job)) if ids.contains(&job.id) => {
                    view.status(&job, started);
                    jobs.insert(job.id.clone(), *job);
                }
                // Another process's new job, announced before the next look at the history.
                Some(Event::Changed(job)) if discover.is_some() && !reached(&runner, &job, goal) => {
                    view.status(&job, started);
                    ids.push(job.id.clone());
                    jobs.insert(job.id.clone(), *job);
                }
                Some(Event::Progress { id, stage, done, total }) if ids.contains(&id) => {
                    view.progress(&id, stage, done, total);
                }
                _ => {}
            },
            _ = tick.tick() => {
                take_in(&mut ids);
                refresh(&ids, &mut jobs, &mut view);
                view.elapsed(&jobs, started);
            }
            () = interrupts.recv() => {
                view.finish();
                // The newest word from the history, not the last event: a write may have landed since.
                refresh(&ids, &mut jobs, &mut view);
                return Outcome::Interrupted(ordered(&ids, jobs));
            }
        }
    }
}

fn ordered(ids: &[String], mut jobs: HashMap<String, JobRecord>) -> Vec<JobRecord> {
    ids.iter().filter_map(|id| jobs.remove(id)).collect()
}

/// Ctrl+C, and SIGTERM where there is one. Listening starts when this is made, before the first job is
/// submitted: from then on an interrupt reaches [`follow`] instead of killing the process mid-write.
pub struct Interrupts {
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
}

impl Interrupts {
    /// Must be called inside the command's async runtime.
    pub fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Self {
                int: signal(SignalKind::interrupt()).ok(),
                term: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Self {}
        }
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        {
            let int = async {
                match &mut self.int {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending().await,
                }
            };
            let term = async {
                match &mut self.term {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = int => {}
                () = term => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// What the user sees while jobs move.
struct View<'a> {
    out: &'a Out,
    /// A bar redrawn in place on standard error.
    bar: bool,
    /// The last status shown per job (a change prints a line).
    shown: HashMap<String, JobStatus>,
    /// When bytes were last shown, per job (a pipe or a JSON reader needs no more than a few a second).
    last_bytes: HashMap<String, Instant>,
    /// A bar line is on screen and needs clearing before a full line.
    dirty: bool,
}

impl<'a> View<'a> {
    fn new(out: &'a Out) -> Self {
        Self {
            out,
            bar: out.mode() == Mode::Human && std::io::stderr().is_terminal(),
            shown: HashMap::new(),
            last_bytes: HashMap::new(),
            dirty: false,
        }
    }

    fn status(&mut self, job: &JobRecord, started: Instant) {
        if self.shown.get(&job.id) == Some(&job.status) {
            return;
        }
        self.shown.insert(job.id.clone(), job.status);
        let elapsed = started.elapsed().as_secs();
        match self.out.mode() {
            Mode::Json => self.out.object(&json!({
                "event": "status",
                "id": job.id,
                "status": job.status.as_str(),
                "task_id": job.task_id.as_ref().map(|t| t.0.clone()),
                "elapsed_s": elapsed,
            })),
            Mode::Plain => err_line(&format!(
                "{}\t{}\t{}s",
                job.id,
                job.status.as_str(),
                elapsed
            )),
            Mode::Human => {
                self.clear();
                let style = match job.status {
                    JobStatus::Done => Style::Good,
                    JobStatus::Failed | JobStatus::SubmissionUncertain => Style::Bad,
                    _ => Style::Dim,
                };
                err_line(&format!(
                    "{}  {}  {}",
                    job.id,
                    self.out.paint(style, job.status.as_str()),
                    clock(elapsed)
                ));
            }
        }
    }

    fn progress(&mut self, id: &str, stage: TransferStage, done: f64, total: Option<f64>) {
        let now = Instant::now();
        let every = if self.bar {
            Duration::from_millis(100)
        } else {
            Duration::from_secs(1)
        };
        let finished = total.is_some_and(|t| done >= t);
        if !finished
            && self
                .last_bytes
                .get(id)
                .is_some_and(|at| now.duration_since(*at) < every)
        {
            return;
        }
        self.last_bytes.insert(id.to_owned(), now);
        let stage = match stage {
            TransferStage::UploadFirstFrame => "upload_first_frame",
            TransferStage::UploadLastFrame => "upload_last_frame",
            TransferStage::Download => "download",
        };
        match self.out.mode() {
            Mode::Json => self.out.object(&json!({
                "event": "progress",
                "id": id,
                "stage": stage,
                "bytes_done": done as u64,
                "bytes_total": total.map(|t| t as u64),
            })),
            Mode::Plain => err_line(&format!(
                "{id}\t{stage}\t{}\t{}",
                done as u64,
                total.map_or_else(String::new, |t| (t as u64).to_string())
            )),
            Mode::Human if self.bar => {
                let line = match total.filter(|t| *t > 0.0) {
                    Some(t) => {
                        let fraction = (done / t).clamp(0.0, 1.0);
                        let filled = (fraction * 24.0).round() as usize;
                        format!(
                            "{id}  {stage}  [{}{}] {:>3}%  {} / {}",
                            "#".repeat(filled),
                            "-".repeat(24 - filled),
                            (fraction * 100.0).round(),
                            size(done),
                            size(t)
                        )
                    }
                    None => format!("{id}  {stage}  {}", size(done)),
                };
                self.redraw(&line);
            }
            Mode::Human => {}
        }
    }

    /// On a terminal, how long the unfinished jobs have been followed (the service's work shows no bytes).
    fn elapsed(&mut self, jobs: &HashMap<String, JobRecord>, started: Instant) {
        if !self.bar {
            return;
        }
        let waiting: Vec<String> = jobs
            .values()
            .filter(|j| {
                matches!(
                    j.status,
                    JobStatus::Submitting | JobStatus::Queued | JobStatus::Running
                )
            })
            .map(|j| format!("{} {}", j.id, j.status.as_str()))
            .collect();
        if let Some(first) = waiting.first() {
            let more = if waiting.len() > 1 {
                format!(" (+{})", waiting.len() - 1)
            } else {
                String::new()
            };
            self.redraw(&format!(
                "{first}{more}  {}",
                clock(started.elapsed().as_secs())
            ));
        }
    }

    fn redraw(&mut self, line: &str) {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        self.dirty = true;
    }

    fn clear(&mut self) {
        if self.dirty {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.dirty = false;
        }
    }

    fn finish(&mut self) {
        self.clear();
    }
}

fn err_line(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

fn clock(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

fn size(bytes: f64) -> String {
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KB", bytes / 1024.0)
    }
}

/// The exit code for jobs followed to `goal`: 3 when any create's fate is unknown, else the first
/// failure's (4 for a token problem, 1 otherwise), else 0.
pub fn exit_of(jobs: &[JobRecord]) -> Exit {
    if jobs
        .iter()
        .any(|j| j.status == JobStatus::SubmissionUncertain)
    {
        return Exit::Uncertain;
    }
    for job in jobs {
        if job.status == JobStatus::Failed {
            let kind = job.problem.as_ref().map_or("", |p| p.kind.as_str());
            return match Exit::for_kind(kind) {
                Exit::Token => Exit::Token,
                _ => Exit::Failed,
            };
        }
        if job.status == JobStatus::NotSent {
            return Exit::Failed;
        }
    }
    Exit::Done
}

/// One job as it ended up: a JSON object, a tab-separated line, or a sentence.
pub fn print_result(out: &Out, job: &JobRecord) {
    let task = job.task_id.as_ref().map(|t| t.0.clone());
    // The path is planned before the video is fetched: only a done job's file is there.
    let file = job
        .output_path
        .clone()
        .filter(|_| job.status == JobStatus::Done);
    out.object(&json!({
        "event": "job",
        "id": job.id,
        "status": job.status.as_str(),
        "task_id": task,
        "output_path": file,
        "problem": job.problem.as_ref().map(|p| json!({ "kind": p.kind, "message": out.text(&p.message) })),
    }));
    match out.mode() {
        Mode::Json => {}
        Mode::Plain => out.line(&format!(
            "{}\t{}\t{}\t{}",
            job.id,
            job.status.as_str(),
            task.unwrap_or_default(),
            file.unwrap_or_default()
        )),
        Mode::Human => {
            let message = match (job.status, &file, &job.problem) {
                (_, Some(path), _) => Message::new("msg.cli.job_done").arg("path", path.as_str()),
                (_, _, Some(problem)) => {
                    Message::new("msg.cli.job_problem").arg("problem", problem.message.clone())
                }
                _ => Message::new("msg.cli.job_status").arg("status", job.status.as_str()),
            };
            let style = match job.status {
                JobStatus::Done => Style::Good,
                JobStatus::Failed | JobStatus::SubmissionUncertain => Style::Bad,
                _ => Style::Bold,
            };
            out.say_styled(style, &message.arg("id", job.id.as_str()));
        }
    }
}

/// After an interrupt: every job as it is, and how to continue.
pub fn print_interrupted(out: &Out, jobs: &[JobRecord]) {
    for job in jobs {
        print_result(out, job);
    }
    out.object(&json!({ "event": "interrupted", "continue_with": "seedance jobs watch" }));
    out.warn(&Message::new("msg.cli.interrupted"));
}
