//! Exponential backoff with jitter for requests that are safe to repeat (GETs and uploads). The create
//! request never uses this: repeating it could start a second paid task.

use std::time::Duration;

use rand::Rng;

use super::poll::MIN_POLL_INTERVAL;

/// Longest `Retry-After` wait honoured inside one call; a longer request is cut to this so every call stays
/// bounded.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Total tries including the first; 1 means no retries.
    pub max_attempts: u32,
    /// Wait before the first retry; doubles each time.
    pub base: Duration,
    /// Cap on any single wait.
    pub max: Duration,
    /// Fraction (0..=1) by which each wait is randomly shortened or lengthened, so many clients that
    /// failed together do not come back together.
    pub jitter: f64,
    /// Floor under every wait, jitter included (the service's own minimum spacing between requests).
    pub min: Duration,
}

impl RetryPolicy {
    /// For task queries: a few tries, never closer than the service's 2 s minimum between queries of a
    /// task (a retry is a query too); the poll loop adds its own slower backoff on top.
    pub fn for_queries() -> Self {
        Self {
            max_attempts: 4,
            base: MIN_POLL_INTERVAL,
            max: Duration::from_secs(15),
            jitter: 0.2,
            min: MIN_POLL_INTERVAL,
        }
    }

    /// For result downloads and uploads: more patient, each retry resumes where the last one stopped.
    pub fn for_transfers() -> Self {
        Self {
            max_attempts: 6,
            base: Duration::from_secs(1),
            max: Duration::from_secs(30),
            jitter: 0.2,
            min: Duration::ZERO,
        }
    }

    /// For connection failures before a create was sent (the only create failures that may be repeated).
    pub fn for_create_connect() -> Self {
        Self {
            max_attempts: 3,
            base: Duration::from_secs(1),
            max: Duration::from_secs(4),
            jitter: 0.2,
            min: Duration::ZERO,
        }
    }

    /// Scales every wait by `1/divisor`; tests use it to keep suites fast.
    pub fn scaled_down(mut self, divisor: u32) -> Self {
        let d = divisor.max(1);
        self.base /= d;
        self.max /= d;
        self.min /= d;
        self
    }

    /// Whether another try is allowed after `attempt` tries (counted from 1) have failed.
    pub fn allows_retry_after(&self, attempt: u32) -> bool {
        attempt < self.max_attempts
    }

    /// Wait before retry number `retry` (0 = first retry), jitter included.
    pub fn delay(&self, retry: u32) -> Duration {
        let unjittered = self
            .base
            .saturating_mul(2u32.saturating_pow(retry.min(30)))
            .min(self.max);
        let jitter = self.jitter.clamp(0.0, 1.0);
        let factor = if jitter > 0.0 {
            rand::thread_rng().gen_range(1.0 - jitter..=1.0 + jitter)
        } else {
            1.0
        };
        unjittered.mul_f64(factor).max(self.min)
    }

    /// Wait before retry number `retry` when the server named its own (capped) delay.
    pub fn delay_honouring(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(asked) => asked.min(MAX_RETRY_AFTER).max(self.min),
            None => self.delay(retry),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_then_cap_within_jitter() {
        let p = RetryPolicy {
            max_attempts: 5,
            base: Duration::from_millis(100),
            max: Duration::from_secs(1),
            jitter: 0.0,
            min: Duration::ZERO,
        };
        let got: Vec<_> = (0..6).map(|r| p.delay(r).as_millis()).collect();
        assert_eq!(got, vec![100, 200, 400, 800, 1000, 1000]);
        assert!(p.allows_retry_after(4) && !p.allows_retry_after(5));

        let j = RetryPolicy {
            jitter: 0.2,
            ..p.clone()
        };
        for _ in 0..200 {
            let d = j.delay(1).as_millis();
            assert!((160..=240).contains(&d), "{d}");
        }
        assert_eq!(p.delay(u32::MAX), Duration::from_secs(1));
        assert_eq!(
            p.delay_honouring(0, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            p.delay_honouring(0, Some(Duration::from_secs(3600))),
            MAX_RETRY_AFTER
        );
        assert_eq!(p.scaled_down(10).base, Duration::from_millis(10));
    }

    #[test]
    fn query_retries_never_come_sooner_than_the_services_minimum() {
        let q = RetryPolicy::for_queries();
        for retry in 0..q.max_attempts {
            for _ in 0..200 {
                assert!(q.delay(retry) >= MIN_POLL_INTERVAL, "retry {retry}");
            }
        }
        assert_eq!(
            q.delay_honouring(0, Some(Duration::from_millis(100))),
            MIN_POLL_INTERVAL
        );
    }
}
