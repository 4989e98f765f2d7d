//! Waiting for a task to finish: a gentle, growing poll interval (the service asks for no more than one
//! query every 2 s), slower still while queries fail, and an overall bound.

use std::time::Duration;

use rand::Rng;

use super::clock::{Clock, Sleeper};
use super::error::ApiError;
use super::tasks::{TaskId, TaskState};
use super::SinanClient;
use crate::secrets::ApiToken;

/// No two polls of one task are ever closer than this, whatever the schedule says.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_secs(2);
/// Between two answered polls at most this many longest poll intervals count towards the overall bound: a
/// longer gap is the service out of reach or the computer asleep, not the task taking long.
const ANSWER_GAP_FACTOR: u32 = 2;
/// Longest wait after repeated query failures.
const MAX_ERROR_BACKOFF: Duration = Duration::from_secs(300);

#[derive(Clone, Debug, PartialEq)]
pub struct PollSchedule {
    first: Duration,
    growth: f64,
    max: Duration,
    jitter: f64,
    overall: Duration,
}

impl Default for PollSchedule {
    /// 3 s, then ×1.5 per poll up to 15 s, ±10 % jitter, giving up after 2 h.
    fn default() -> Self {
        Self {
            first: Duration::from_secs(3),
            growth: 1.5,
            max: Duration::from_secs(15),
            jitter: 0.1,
            overall: Duration::from_secs(2 * 60 * 60),
        }
    }
}

impl PollSchedule {
    /// Changes how long to keep polling an unfinished task.
    pub fn with_overall(mut self, overall: Duration) -> Self {
        self.overall = overall;
        self
    }

    pub fn overall(&self) -> Duration {
        self.overall
    }

    /// The wait before poll number `poll` (0 = first), without jitter.
    pub fn base_delay(&self, poll: u32) -> Duration {
        let grown = self.first.as_secs_f64() * self.growth.powi(poll.min(64) as i32);
        Duration::from_secs_f64(grown.min(self.max.as_secs_f64())).max(MIN_POLL_INTERVAL)
    }

    /// [`PollSchedule::base_delay`] shifted by `unit` (in -1..=1) times the jitter fraction; never below
    /// [`MIN_POLL_INTERVAL`].
    pub fn delay_with(&self, poll: u32, unit: f64) -> Duration {
        let factor = 1.0 + self.jitter * unit.clamp(-1.0, 1.0);
        self.base_delay(poll).mul_f64(factor).max(MIN_POLL_INTERVAL)
    }

    /// The wait after `errors` consecutive failed queries: doubling from the normal interval, capped.
    pub fn error_delay(&self, poll: u32, errors: u32) -> Duration {
        let doubled = self
            .base_delay(poll)
            .saturating_mul(2u32.saturating_pow(errors.min(16)));
        doubled.min(MAX_ERROR_BACKOFF).max(MIN_POLL_INTERVAL)
    }

    fn jittered(&self, poll: u32) -> Duration {
        let unit = rand::thread_rng().gen_range(-1.0..=1.0);
        self.delay_with(poll, unit)
    }
}

/// What the poll loop reports besides the final answer.
#[derive(Debug)]
pub enum PollEvent<'a> {
    /// A poll was answered with a state different from the last one.
    Changed(&'a TaskState),
    /// A query failed (after its own retries) with an error that may go away; the loop asks again after
    /// `retry_in`.
    Trouble {
        error: &'a ApiError,
        retry_in: Duration,
    },
    /// A poll was answered again after [`PollEvent::Trouble`].
    Recovered,
}

/// Polls `id` until it is done or failed, calling `on_update` whenever the state changes. Transient query
/// failures back off and keep going; definite ones (bad token, unknown task) end the wait. Gives up with
/// [`ApiError::GaveUpWaiting`] once the task has been reported unfinished for `schedule`'s overall bound by
/// `clock`: time the service could not be reached (an outage, a computer asleep) does not count, since the
/// bound is about a task that never finishes, not about the network.
pub async fn poll_until_finished(
    client: &SinanClient,
    token: &ApiToken,
    id: &TaskId,
    schedule: &PollSchedule,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    mut on_update: impl FnMut(&TaskState),
) -> Result<TaskState, ApiError> {
    poll_until_finished_reporting(client, token, id, schedule, clock, sleeper, |event| {
        if let PollEvent::Changed(state) = event {
            on_update(state);
        }
    })
    .await
}

/// [`poll_until_finished`], also telling `on_event` when queries fail and when they are answered again,
/// so the user can see that the service is out of reach and when the next try is.
pub async fn poll_until_finished_reporting(
    client: &SinanClient,
    token: &ApiToken,
    id: &TaskId,
    schedule: &PollSchedule,
    clock: &dyn Clock,
    sleeper: &dyn Sleeper,
    mut on_event: impl FnMut(PollEvent<'_>),
) -> Result<TaskState, ApiError> {
    // Time the service was seen working on the task: gaps between answers count at most `ANSWER_GAP_CAP`.
    let mut answered_for = Duration::ZERO;
    let mut last_answer = clock.now();
    let mut polls: u32 = 0;
    let mut errors: u32 = 0;
    let mut last: Option<TaskState> = None;
    let mut wait = schedule.jittered(0);
    loop {
        sleeper.sleep(wait).await;
        match client.get_task(token, id).await {
            Ok(state) => {
                let now = clock.now();
                let gap: Duration = (now - last_answer).try_into().unwrap_or_default();
                answered_for += gap.min(schedule.max.saturating_mul(ANSWER_GAP_FACTOR));
                last_answer = now;
                if errors > 0 {
                    on_event(PollEvent::Recovered);
                }
                errors = 0;
                if last.as_ref() != Some(&state) {
                    on_event(PollEvent::Changed(&state));
                }
                if state.status.is_finished() {
                    return Ok(state);
                }
                last = Some(state);
                polls = polls.saturating_add(1);
                wait = schedule.jittered(polls);
                if answered_for >= schedule.overall {
                    return Err(ApiError::GaveUpWaiting {
                        waited: answered_for,
                    });
                }
            }
            Err(e) if e.is_transient() => {
                errors = errors.saturating_add(1);
                let asked = match e {
                    ApiError::RateLimited { retry_after } => retry_after.unwrap_or_default(),
                    _ => Duration::ZERO,
                };
                wait = schedule
                    .error_delay(polls, errors)
                    .max(asked.min(MAX_ERROR_BACKOFF));
                tracing::debug!(task = %id, errors, ?wait, "task query failed, backing off");
                on_event(PollEvent::Trouble {
                    error: &e,
                    retry_in: wait,
                });
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_from_three_to_fifteen_seconds() {
        let s = PollSchedule::default();
        let secs: Vec<f64> = (0..7)
            .map(|n| (s.base_delay(n).as_secs_f64() * 100.0).round() / 100.0)
            .collect();
        assert_eq!(secs, vec![3.0, 4.5, 6.75, 10.13, 15.0, 15.0, 15.0]);
        assert_eq!(s.base_delay(u32::MAX), Duration::from_secs(15));
        assert_eq!(s.delay_with(0, -1.0), Duration::from_millis(2700));
        assert_eq!(s.delay_with(4, 1.0), Duration::from_millis(16500));
        assert_eq!(
            s.delay_with(4, 7.0),
            Duration::from_millis(16500),
            "jitter unit is clamped"
        );
    }

    #[test]
    fn never_below_two_seconds_and_errors_back_off() {
        let fast = PollSchedule {
            first: Duration::from_millis(100),
            ..PollSchedule::default()
        };
        assert_eq!(fast.base_delay(0), MIN_POLL_INTERVAL);
        assert_eq!(fast.delay_with(0, -1.0), MIN_POLL_INTERVAL);
        let s = PollSchedule::default();
        assert_eq!(s.error_delay(0, 1), Duration::from_secs(6));
        assert_eq!(s.error_delay(0, 2), Duration::from_secs(12));
        assert_eq!(s.error_delay(10, 30), MAX_ERROR_BACKOFF);
        for _ in 0..100 {
            let d = s.jittered(1);
            assert!(
                d >= Duration::from_millis(4050) && d <= Duration::from_millis(4950),
                "{d:?}"
            );
        }
        assert_eq!(
            s.with_overall(Duration::from_secs(60)).overall(),
            Duration::from_secs(60)
        );
    }
}
