//! The job runner for the commands that send or follow jobs, wired as the app wires its own
//! (`src-tauri/state.rs`): core's `JobRunner` on the shared history, its connections from the token and
//! settings (or, with `--demo`, from the simulator running in this process), the spend limits and rates as
//! last saved in the app, and events forwarded to a channel the command's progress loop reads. Nothing here
//! talks to the API or the database itself.

use std::path::PathBuf;
use std::sync::Arc;

use seedance_core::jobs::{
    Connection, FixedConnection, JobEvents, JobRunner, RunnerPrefs, RunnerTiming, SpendPolicy,
};
use seedance_core::pipeline::TransferStage;
use seedance_core::session::Services;
use seedance_core::store::JobRecord;
use tokio::sync::mpsc;

use crate::context::Ctx;
use crate::demo::Demo;
use crate::error::CliResult;

/// What the runner reports, in the order it happened.
#[derive(Debug)]
pub enum Event {
    Changed(Box<JobRecord>),
    Progress {
        id: String,
        stage: TransferStage,
        done: f64,
        total: Option<f64>,
    },
}

struct Forward(mpsc::UnboundedSender<Event>);

impl JobEvents for Forward {
    fn job_changed(&self, job: &JobRecord) {
        let _ = self.0.send(Event::Changed(Box::new(job.clone())));
    }

    fn progress(&self, id: &str, stage: TransferStage, done: f64, total: Option<f64>) {
        let _ = self.0.send(Event::Progress {
            id: id.to_owned(),
            stage,
            done,
            total,
        });
    }
}

/// A runner and what keeps it going for the command's lifetime.
pub struct Engine {
    pub runner: JobRunner,
    pub events: mpsc::UnboundedReceiver<Event>,
    /// The simulator of `--demo`: its jobs end with it.
    demo: Option<Demo>,
}

impl Engine {
    /// Must be called inside the command's async runtime. `out_dir` replaces the app's output folder for
    /// the jobs this command starts.
    pub async fn start(ctx: &mut Ctx, out_dir: Option<PathBuf>) -> CliResult<Self> {
        let config = ctx.config()?;
        let prefs = ctx.prefs()?;
        let store = ctx.store()?;
        let (demo, connections): (Option<Demo>, Arc<dyn seedance_core::jobs::ConnectionSource>) =
            if ctx.demo {
                let demo = Demo::start().await?;
                let connection = Connection {
                    api: demo.api()?,
                    token: demo.token()?,
                    demo: true,
                };
                (Some(demo), Arc::new(FixedConnection(connection)))
            } else {
                let credentials = ctx.credentials()?;
                (
                    None,
                    Arc::new(Services::new(config.clone(), prefs.clone(), credentials)),
                )
            };
        let (tx, events) = mpsc::unbounded_channel();
        let runner_prefs = {
            let prefs = prefs.clone();
            let data_dir = config.data_dir.clone();
            Arc::new(move || {
                let mut p = RunnerPrefs::from_prefs(&prefs.snapshot(), &data_dir);
                if let Some(dir) = &out_dir {
                    p.output_dir = dir.clone();
                }
                p
            })
        };
        let runner = JobRunner::new(
            store,
            Arc::new(Forward(tx)),
            connections,
            runner_prefs,
            RunnerTiming::default(),
        );
        runner.set_spend_policy(Arc::new(move || {
            let prefs = prefs.snapshot();
            SpendPolicy {
                limits: prefs.spend_limits,
                rates: prefs.cost_rates,
                zone: seedance_core::spend::local_zone(),
            }
        }));
        Ok(Self {
            runner,
            events,
            demo,
        })
    }

    /// Gives every lease back (the app or `seedance jobs watch` continues at once) and stops the simulator.
    /// A create request still out is waited for (at most its own timeout), so its task id is saved and the
    /// job is continued elsewhere rather than left uncertain.
    pub async fn stop(self) {
        self.runner.release_leases();
        // Past the bound the job is left as a crash leaves it: uncertain, never sent again.
        let _ = self
            .runner
            .wait_for_creates(std::time::Duration::from_secs(65))
            .await;
        if let Some(demo) = self.demo {
            demo.stop().await;
        }
    }
}
