//! How long a batch still needs, learned from this user's own finished jobs: no fixed guess that is wrong
//! for every account and hour. Kept simple so it can be explained in one sentence:
//!
//! - A job's *typical run time* is the median time from create request to video on disk of the newest
//!   done jobs of the same mode (demo or live), taken from the jobs of the same resolution and duration
//!   when there are at least [`MIN_GROUP_SAMPLES`] of them, else from all of them. The create request,
//!   not the job's creation, starts the clock: a batch's jobs are all stored at once and then wait for
//!   their turn, which is not how long a video takes.
//! - A batch's ETA is the work left divided among the turns: every waiting job counts its typical time,
//!   every running one its typical time less what it has already run (never below zero); the sum is
//!   divided by the concurrency limit.
//! - No done job of that mode yet: no ETA (the screen says it comes after the first video).

use serde::Serialize;

use super::{clamp_limit, BatchRunError, JobRunner};
use crate::store::{BatchState, JobStatus, RunTime};

/// Fewer done jobs than this of one resolution and duration fall back to all done jobs.
pub const MIN_GROUP_SAMPLES: usize = 3;
/// How many of the newest done jobs the typical time is taken from: recent ones say most about now.
pub const HISTORY_SAMPLES: u32 = 200;

/// What the batch screen shows as the time left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BatchEta {
    /// No job of this mode has finished yet, so nothing to learn from.
    NoHistory,
    /// About this long until the last job is done.
    Remaining {
        #[specta(type = f64)]
        millis: u64,
    },
}

/// The run times the typical time is learned from.
#[derive(Clone, Debug, Default)]
pub struct RunHistory {
    samples: Vec<RunTime>,
}

impl RunHistory {
    pub fn new(samples: Vec<RunTime>) -> Self {
        Self { samples }
    }

    /// The median run time of jobs like this one (see the module documentation); `None` without history.
    pub fn typical(&self, resolution: &str, duration: i32) -> Option<u64> {
        let alike: Vec<i64> = self
            .samples
            .iter()
            .filter(|s| s.resolution == resolution && s.duration == duration)
            .map(|s| s.millis)
            .collect();
        if alike.len() >= MIN_GROUP_SAMPLES {
            return median(alike);
        }
        median(self.samples.iter().map(|s| s.millis).collect())
    }
}

fn median(mut values: Vec<i64>) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    let m = if values.len() % 2 == 1 {
        values[mid]
    } else {
        values[mid - 1] / 2 + values[mid] / 2 + (values[mid - 1] % 2 + values[mid] % 2) / 2
    };
    Some(u64::try_from(m).unwrap_or_default())
}

/// A job of the batch that is not over yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobLeft<'a> {
    pub resolution: &'a str,
    pub duration: i32,
    /// How long it has been running since its create request; `None` while it waits (or uploads).
    pub running_for: Option<u64>,
}

/// The time left for these jobs with `limit` of them running at once; `None` when nothing is left.
pub fn eta(history: &RunHistory, left: &[JobLeft<'_>], limit: u32) -> Option<BatchEta> {
    if left.is_empty() {
        return None;
    }
    let mut work: u64 = 0;
    for job in left {
        let Some(typical) = history.typical(job.resolution, job.duration) else {
            return Some(BatchEta::NoHistory);
        };
        work += typical.saturating_sub(job.running_for.unwrap_or(0));
    }
    Some(BatchEta::Remaining {
        millis: work / u64::from(limit.max(1)),
    })
}

impl JobRunner {
    /// The ETA of a running batch; `None` for a batch that is paused, cancelled or finished (nothing more
    /// will be sent, so no time to announce) or has nothing left.
    pub fn batch_eta(&self, id: &str) -> Result<Option<BatchEta>, BatchRunError> {
        let batch = self.batch(id)?;
        if batch.state != BatchState::Running {
            return Ok(None);
        }
        let members = self.inner.store.batch_members(id)?;
        let now = self.inner.store.now_ms();
        let left: Vec<JobLeft<'_>> = members
            .iter()
            .filter(|m| !m.job.status.is_settled() || m.job.status == JobStatus::NotSent)
            .map(|m| JobLeft {
                resolution: &m.job.resolution,
                duration: m.job.duration,
                running_for: m
                    .job
                    .create_sent_at
                    .map(|sent| u64::try_from(now.saturating_sub(sent)).unwrap_or_default()),
            })
            .collect();
        let history = RunHistory::new(self.inner.store.run_times(batch.demo, HISTORY_SAMPLES)?);
        let limit = clamp_limit(self.prefs().max_concurrent_jobs);
        Ok(eta(&history, &left, limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(resolution: &str, duration: i32, seconds: i64) -> RunTime {
        RunTime {
            resolution: resolution.into(),
            duration,
            millis: seconds * 1000,
        }
    }

    fn waiting(resolution: &str, duration: i32) -> JobLeft<'_> {
        JobLeft {
            resolution,
            duration,
            running_for: None,
        }
    }

    /// A made-up history: three 720p 5 s jobs of about a minute, two 1080p 10 s jobs of five minutes.
    fn history() -> RunHistory {
        RunHistory::new(vec![
            run("720p", 5, 50),
            run("720p", 5, 60),
            run("720p", 5, 70),
            run("1080p", 10, 290),
            run("1080p", 10, 310),
        ])
    }

    #[test]
    fn the_typical_time_is_the_median_of_alike_jobs_when_there_are_enough() {
        let h = history();
        assert_eq!(h.typical("720p", 5), Some(60_000));
        // Only two 1080p 10 s jobs: every job counts, and the median of five is the 720p 70 s one.
        assert_eq!(h.typical("1080p", 10), Some(70_000));
        // Never seen: every job counts.
        assert_eq!(h.typical("480p", 12), Some(70_000));
        assert_eq!(RunHistory::default().typical("720p", 5), None);
        // An even count takes the middle two's mean.
        let even = RunHistory::new(vec![run("720p", 5, 10), run("720p", 5, 20)]);
        assert_eq!(even.typical("720p", 5), Some(15_000));
    }

    #[test]
    fn the_eta_is_the_work_left_shared_among_the_turns() {
        let h = history();
        // Four waiting jobs of a minute, two at a time: two minutes.
        let four = [waiting("720p", 5); 4];
        assert_eq!(
            eta(&h, &four, 2),
            Some(BatchEta::Remaining { millis: 120_000 })
        );
        // One of them has run 45 s already, another longer than typical (counts nothing, not less).
        let mut left = four.to_vec();
        left[0].running_for = Some(45_000);
        left[1].running_for = Some(500_000);
        assert_eq!(
            eta(&h, &left, 2),
            Some(BatchEta::Remaining {
                millis: (15_000 + 60_000 + 60_000) / 2
            })
        );
        // One at a time.
        assert_eq!(
            eta(&h, &four, 1),
            Some(BatchEta::Remaining { millis: 240_000 })
        );
    }

    #[test]
    fn without_history_there_is_no_eta_and_without_jobs_nothing_to_say() {
        assert_eq!(
            eta(&RunHistory::default(), &[waiting("720p", 5)], 3),
            Some(BatchEta::NoHistory)
        );
        assert_eq!(eta(&history(), &[], 3), None);
        // A limit of 0 (never stored, but not a division by zero either).
        assert_eq!(
            eta(&history(), &[waiting("720p", 5)], 0),
            Some(BatchEta::Remaining { millis: 60_000 })
        );
    }
}
