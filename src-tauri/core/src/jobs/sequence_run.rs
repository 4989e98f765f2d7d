//! Sequences through the job queue: a sequence's view (its shots with their takes), the plan of a run and
//! its start, which is an ordinary batch start with each job tied to its shot (and a chained shot's job to
//! the job whose last frame it starts from). See [`crate::sequence`] and, for how a chained job waits,
//! `super::chain`.

use std::path::Path;

use super::batch_error::BatchRunError;
use super::batch_run::BatchStart;
use super::{Intent, JobRunner, SpendConsent};
use crate::cost::CostRates;
use crate::i18n::Message;
use crate::sequence::{
    plan_run, RunScope, SequencePlan, SequenceRecord, SequenceView, ShotTakes, Take,
};
use crate::store::{BatchRecord, StoreError};

/// A picture's width / height as the frame check reads it (once per content: later checks reuse it).
fn picture_aspect(path: &Path) -> Option<f64> {
    crate::images::intake(path, &crate::images::IntakeOptions::preview())
        .ok()
        .map(|info| info.aspect)
}

impl JobRunner {
    /// The sequence with every shot's takes, oldest first, and which take is in the film.
    pub fn sequence_view(&self, id: &str) -> Result<SequenceView, StoreError> {
        let sequence = self.inner.store.get_sequence(id)?;
        let shots = self.shot_takes(&sequence)?;
        Ok(SequenceView { sequence, shots })
    }

    fn shot_takes(&self, sequence: &SequenceRecord) -> Result<Vec<ShotTakes>, StoreError> {
        let mut all = self.inner.store.sequence_takes(&sequence.id)?;
        Ok(sequence
            .doc
            .shots
            .iter()
            .map(|shot| {
                let takes = all
                    .iter_mut()
                    .filter(|(shot_id, _, _)| *shot_id == shot.id)
                    .map(|(_, job, chained_from)| Take {
                        job: self.with_trouble(job.clone()),
                        chained_from: chained_from.take(),
                    })
                    .collect();
                ShotTakes::from_takes(shot, takes)
            })
            .collect())
    }

    /// What generating `scope` would create and cost, as the confirmation shows it.
    pub fn plan_sequence_run(
        &self,
        id: &str,
        scope: &RunScope,
        rates: &CostRates,
        frames_dir: &Path,
    ) -> Result<SequencePlan, StoreError> {
        let sequence = self.inner.store.get_sequence(id)?;
        let takes = self.shot_takes(&sequence)?;
        Ok(plan_run(
            &sequence,
            &takes,
            scope,
            rates,
            frames_dir,
            &picture_aspect,
        ))
    }

    /// Plans `scope` again and starts it as one batch (see [`JobRunner::start_batch`] for every check and
    /// refusal; a double click is refused as a repeat of the batch stored moments ago). Chained frames are
    /// written into `frames_dir` when their source is done.
    pub async fn start_sequence_run(
        &self,
        id: &str,
        scope: &RunScope,
        rates: &CostRates,
        frames_dir: &Path,
        intent: Intent,
        spend: SpendConsent,
    ) -> Result<BatchRecord, BatchRunError> {
        // Planning reads the pictures' shapes (a decode the first time): a blocking thread.
        let plan = {
            let (runner, id, scope) = (self.clone(), id.to_owned(), scope.clone());
            let (rates, frames_dir) = (rates.clone(), frames_dir.to_owned());
            tokio::task::spawn_blocking(move || {
                runner.plan_sequence_run(&id, &scope, &rates, &frames_dir)
            })
            .await
            .map_err(|e| {
                BatchRunError::Job(
                    crate::pipeline::PipelineError::Io(std::io::Error::other(e)).into(),
                )
            })??
        };
        let sequence = self.inner.store.get_sequence(id)?;
        // A shot that cannot be sent as planned stops the run: a sequence with a shot missing is not what
        // was confirmed.
        let blocking = plan
            .batch
            .items
            .iter()
            .flat_map(|i| &i.problems)
            .find(|p| p.blocking);
        if let Some(problem) = blocking {
            return Err(BatchRunError::Shot {
                message: problem.msg.clone(),
            });
        }
        if plan.batch.items.is_empty() {
            return Err(BatchRunError::Shot {
                message: Message::new("msg.sequence.nothing_to_generate"),
            });
        }
        if plan
            .batch
            .jobs
            .iter()
            .any(|j| j.draft.first_frame.is_some())
        {
            std::fs::create_dir_all(frames_dir)
                .map_err(|e| BatchRunError::Job(crate::pipeline::PipelineError::Io(e).into()))?;
        }
        let name = match scope {
            RunScope::Whole => sequence.name.clone(),
            RunScope::Shot { shot_id, .. } => {
                let n = sequence
                    .doc
                    .shots
                    .iter()
                    .position(|s| &s.id == shot_id)
                    .map_or(0, |i| i + 1);
                format!("{} · {n}", sequence.name)
            }
        };
        let source = Message::new("msg.sequence.run_source").arg("name", sequence.name.clone());
        let start = BatchStart {
            name: &name,
            source: &source,
            plan: &plan.batch,
            intent,
            spend,
        };
        self.start_batch_linked(start, &plan.links).await
    }

    /// Makes `job_id` the take of `shot_id` that goes into the film.
    pub fn choose_take(
        &self,
        sequence_id: &str,
        shot_id: &str,
        job_id: &str,
    ) -> Result<SequenceRecord, StoreError> {
        let mut sequence = self.inner.store.get_sequence(sequence_id)?;
        let is_take = self
            .inner
            .store
            .sequence_takes(sequence_id)?
            .iter()
            .any(|(shot, job, _)| shot == shot_id && job.id == job_id);
        let shot = sequence.doc.shots.iter_mut().find(|s| s.id == shot_id);
        match (shot, is_take) {
            (Some(shot), true) => shot.chosen_take = Some(job_id.to_owned()),
            _ => {
                return Err(StoreError::NotFound {
                    id: job_id.to_owned(),
                })
            }
        }
        self.inner
            .store
            .save_sequence(&sequence.id, &sequence.name, &sequence.doc)
    }
}
