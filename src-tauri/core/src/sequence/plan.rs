//! Which jobs a "Generate" of a sequence creates, what they cost, and where each chained shot's first
//! frame comes from. Pure (the takes so far, the prices and the folder for chained frames come in), so
//! the confirmation can show the plan and the start sends exactly what it showed.
//!
//! - **The whole sequence** makes one take of every shot that has none (a shot whose only takes failed
//!   has none; a take that is still running or whose create may have been sent counts, so nothing is
//!   paid twice).
//! - **One shot** makes a new take of that shot; with `rechain`, also a new take of each following shot
//!   that starts from the previous one's last frame, each chained to the new take before it. Without
//!   it nothing downstream is made again.
//!
//! A chained shot starts from: the new take of the shot before it when that is in the same run, else that
//! shot's take in the film, else its newest take still being made (the chained take waits for it). A shot
//! whose previous shot has no usable take is a blocking problem: nothing is sent broken.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::model::{FirstFrame, SequenceRecord, ShotTakes};
use crate::batch::{BatchPlan, BatchProblem, BatchTotal, Origin, PlannedItem, PlannedJob};
use crate::cost::CostRates;
use crate::form::check_form;
use crate::i18n::Message;
use crate::request::Field;
use crate::store::{ChainSource, JobLinks, JobStatus};

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunScope {
    Whole,
    Shot { shot_id: String, rechain: bool },
}

/// The jobs a run would create (as a batch plan, one item per shot) and each job's links.
#[derive(Clone, Debug, PartialEq)]
pub struct SequencePlan {
    pub batch: BatchPlan,
    /// `links[i]` for `batch.jobs[i]`.
    pub links: Vec<Option<JobLinks>>,
}

/// Whether a take still counts: done, being made, or possibly paid for.
fn counts(status: JobStatus) -> bool {
    status != JobStatus::Failed
}

/// Plans `scope` for `sequence` with its shots' takes (`takes[i]` for shot `i`). Chained frames are to
/// be written into `frames_dir`. `frame_aspect` gives a picture's width / height when known (an adaptive
/// ratio follows it; without it, or for a chained frame not made yet, the total says it is approximate).
pub fn plan_run(
    sequence: &SequenceRecord,
    takes: &[ShotTakes],
    scope: &RunScope,
    rates: &CostRates,
    frames_dir: &Path,
    frame_aspect: &dyn Fn(&Path) -> Option<f64>,
) -> SequencePlan {
    let shots = &sequence.doc.shots;
    let wanted: Vec<bool> = match scope {
        RunScope::Whole => shots
            .iter()
            .enumerate()
            .map(|(i, _)| {
                !takes
                    .get(i)
                    .is_some_and(|t| t.takes.iter().any(|t| counts(t.job.status)))
            })
            .collect(),
        RunScope::Shot { shot_id, rechain } => {
            let mut wanted = vec![false; shots.len()];
            if let Some(at) = shots.iter().position(|s| &s.id == shot_id) {
                wanted[at] = true;
                if *rechain {
                    for (j, shot) in shots.iter().enumerate().skip(at + 1) {
                        if shot.first != FirstFrame::Previous {
                            break;
                        }
                        wanted[j] = true;
                    }
                }
            }
            wanted
        }
    };

    let mut total = BatchTotal::empty(&rates.currency);
    let mut items = Vec::new();
    let mut jobs = Vec::new();
    let mut links = Vec::new();
    // Per shot, the index of its job in this run, if it has one.
    let mut job_of_shot: Vec<Option<usize>> = vec![None; shots.len()];
    for (at, shot) in shots.iter().enumerate() {
        if !wanted[at] {
            continue;
        }
        let position = u32::try_from(at + 1).unwrap_or(u32::MAX);
        let mut problems = Vec::new();
        let (first_frame, chain) = match &shot.first {
            FirstFrame::Image { path } => (Some(path.clone()), None),
            FirstFrame::None => (None, None),
            FirstFrame::Previous => {
                let frame_path = frames_dir
                    .join(format!("{}-{}.png", shot.id, crate::store::new_id()))
                    .display()
                    .to_string();
                match chain_source(at, takes, &job_of_shot) {
                    Ok(source) => (Some(frame_path.clone()), Some((source, frame_path))),
                    Err(msg) => {
                        problems.push(blocking(position, "sequence_no_previous_take", msg));
                        (Some(frame_path), None)
                    }
                }
            }
        };
        let draft = shot.draft(&sequence.doc.defaults, first_frame);
        let aspect = match &shot.first {
            FirstFrame::Image { path } => frame_aspect(Path::new(path)),
            _ => None,
        };
        let check = check_form(&draft, aspect, rates);
        let spot = crate::batch::Spot::item(position);
        for problem in check.problems {
            // A chained shot's frame is written just before it is sent: "no such file" is not a problem.
            if chain.is_some() && problem.field == Field::FirstFrame {
                continue;
            }
            problems.push(BatchProblem::from_request(problem, spot.clone()));
        }
        let excluded = problems.iter().any(|p| p.blocking);
        total.items += 1;
        if excluded {
            total.excluded_items += 1;
        } else if let Some(e) = &check.estimate {
            // A frame whose shape is not known (a chained one does not exist yet): an adaptive ratio's
            // size is a guess.
            let adaptive = draft.settings.ratio == crate::request::Ratio::Adaptive.as_str();
            total.add(
                e,
                1,
                adaptive && draft.first_frame.is_some() && aspect.is_none(),
            );
            job_of_shot[at] = Some(jobs.len());
            jobs.push(PlannedJob {
                item: position,
                take: 1,
                output: None,
                draft: draft.clone(),
            });
            links.push(Some(JobLinks {
                sequence_id: sequence.id.clone(),
                shot_id: shot.id.clone(),
                chain,
            }));
        }
        items.push(PlannedItem {
            index: position,
            origin: Origin::Shot { position },
            draft,
            takes: 1,
            output: None,
            estimate: check.estimate,
            problems,
            excluded,
        });
    }
    SequencePlan {
        batch: BatchPlan {
            items,
            jobs,
            problems: Vec::new(),
            total,
        },
        links,
    }
}

/// Where shot `at`'s first frame comes from (see the module docs).
fn chain_source(
    at: usize,
    takes: &[ShotTakes],
    job_of_shot: &[Option<usize>],
) -> Result<ChainSource, Message> {
    let Some(previous) = at.checked_sub(1) else {
        return Err(Message::new("msg.sequence.first_shot_chained"));
    };
    if let Some(job) = job_of_shot[previous] {
        return Ok(ChainSource::Earlier(job));
    }
    let before = takes.get(previous);
    if let Some(id) = before.and_then(|t| t.in_film.clone()) {
        return Ok(ChainSource::Job(id));
    }
    let making = before.and_then(|t| {
        t.takes
            .iter()
            .rev()
            .find(|t| counts(t.job.status) && t.job.status != JobStatus::SubmissionUncertain)
    });
    match making {
        Some(take) => Ok(ChainSource::Job(take.job.id.clone())),
        None => Err(Message::new("msg.sequence.previous_has_no_take")
            .arg("shot", (at + 1).to_string())
            .arg("previous", at.to_string())),
    }
}

fn blocking(position: u32, kind: &str, msg: Message) -> BatchProblem {
    let at = crate::batch::Spot::item(position);
    BatchProblem {
        kind: kind.to_owned(),
        blocking: true,
        msg: at.wrap(msg),
        at,
        field: Some(Field::FirstFrame),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::sequence::{SequenceDoc, Shot};

    fn sequence(shots: Vec<Shot>) -> SequenceRecord {
        let defaults = crate::request::DraftSettings {
            ratio: crate::request::Ratio::Adaptive.as_str().to_owned(),
            ..Default::default()
        };
        SequenceRecord {
            id: "q".into(),
            name: "q".into(),
            created_at: 0,
            updated_at: 0,
            doc: SequenceDoc { defaults, shots },
        }
    }

    fn plan(seq: &SequenceRecord, scope: RunScope, aspect: Option<f64>) -> SequencePlan {
        plan_run(
            seq,
            &[],
            &scope,
            &CostRates::default(),
            Path::new("/frames"),
            &|_| aspect,
        )
    }

    #[test]
    fn a_whole_run_chains_each_shot_to_the_new_take_before_it_and_prices_every_shot() {
        let picture = FirstFrame::Image {
            path: "/p.png".into(),
        };
        let seq = sequence(vec![
            Shot::new("a".into(), picture),
            Shot::new("b".into(), FirstFrame::Previous),
            Shot::new("c".into(), FirstFrame::None),
        ]);
        let p = plan(&seq, RunScope::Whole, Some(16.0 / 9.0));
        assert_eq!(p.batch.jobs.len(), 3);
        let chains: Vec<_> = p
            .links
            .iter()
            .map(|l| l.as_ref().unwrap().chain.as_ref().map(|c| c.0.clone()))
            .collect();
        assert_eq!(chains, [None, Some(ChainSource::Earlier(0)), None]);
        // The chained shot's frame goes into the frames folder, under its shot's id.
        let first = p.batch.jobs[1].draft.first_frame.clone().unwrap();
        assert!(
            first.starts_with(&format!("/frames/{}-", seq.doc.shots[1].id)),
            "{first}"
        );
        let one = p.batch.items[2].estimate.as_ref().unwrap().tokens_max;
        assert!(p.batch.total.tokens_max >= 3 * u64::from(one) - 1);
        // An adaptive ratio follows a picture of known shape; a chained frame's shape is a guess.
        assert!(p.batch.total.approximate);
        let known = sequence(vec![Shot::new(
            "a".into(),
            FirstFrame::Image {
                path: "/p.png".into(),
            },
        )]);
        assert!(
            !plan(&known, RunScope::Whole, Some(1.5))
                .batch
                .total
                .approximate
        );
        assert!(plan(&known, RunScope::Whole, None).batch.total.approximate);
    }

    #[test]
    fn a_first_shot_chained_to_nothing_is_a_blocking_problem_and_not_a_job() {
        let seq = sequence(vec![Shot::new("a".into(), FirstFrame::Previous)]);
        let p = plan(&seq, RunScope::Whole, None);
        assert!(p.batch.jobs.is_empty());
        assert!(p.batch.items[0].excluded);
        assert_eq!(
            p.batch.items[0].problems[0].kind,
            "sequence_no_previous_take"
        );
    }
}
