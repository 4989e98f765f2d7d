//! Time as an injectable edge: the client and the poll loop ask a [`Clock`] for "now" and a [`Sleeper`]
//! for waits, so tests can run hours of schedule in milliseconds.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

pub type SleepFuture<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

pub trait Sleeper: Send + Sync {
    fn sleep(&self, duration: Duration) -> SleepFuture<'_>;
}

/// The wall clock and tokio's timer.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealTime;

impl Clock for RealTime {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

impl Sleeper for RealTime {
    fn sleep(&self, duration: Duration) -> SleepFuture<'_> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Time running `factor` times faster than real time, consistently for both "now" and waits, so a
/// schedule measured in seconds plays out in milliseconds against a live (simulated) server.
#[derive(Clone, Debug)]
pub struct ScaledTime {
    factor: u32,
    started_real: Instant,
    started_virtual: OffsetDateTime,
}

impl ScaledTime {
    /// `factor` 0 is treated as 1.
    pub fn new(factor: u32) -> Self {
        Self {
            factor: factor.max(1),
            started_real: Instant::now(),
            started_virtual: OffsetDateTime::now_utc(),
        }
    }
}

impl Clock for ScaledTime {
    fn now(&self) -> OffsetDateTime {
        self.started_virtual + self.started_real.elapsed().saturating_mul(self.factor)
    }
}

impl Sleeper for ScaledTime {
    fn sleep(&self, duration: Duration) -> SleepFuture<'_> {
        Box::pin(tokio::time::sleep(duration / self.factor))
    }
}

/// A clock that always says the same time (and a sleeper that returns at once): for code whose only
/// question is "how long until this expires?".
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub OffsetDateTime);

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn scaled_time_runs_fast_in_step() {
        let t = ScaledTime::new(1000);
        let before = t.now();
        let real = Instant::now();
        t.sleep(Duration::from_secs(5)).await;
        assert!(
            real.elapsed() < Duration::from_millis(500),
            "slept {:?}",
            real.elapsed()
        );
        let virtual_elapsed = t.now() - before;
        assert!(
            virtual_elapsed >= time::Duration::seconds(5),
            "{virtual_elapsed}"
        );
        assert_eq!(ScaledTime::new(0).factor, 1);
    }
}
