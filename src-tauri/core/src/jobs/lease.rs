//! Exactly one process drives a job at a time (the app and the `seedance` CLI share one history): a run
//! holds the job's lease in the database (see [`crate::store::LeaseHolder`]) from before its first step to
//! its end, a batch's feeder holds the batch's. One heartbeat per runner renews every lease it holds in one
//! write; a lease whose heartbeat another process has seen unchanged for [`LeaseTiming::stale_after`] on its
//! own monotonic clock (the holder hung, crashed or was killed; see [`Seen`]) may be taken over by it, at
//! once when the holder is a process on this machine that no longer exists. A run whose lease was taken over stops where it is, writing nothing more: the heartbeat
//! aborts it, and every step checks the lease before it goes on (the create mark in the same statement).
//! One exception protects money: a run whose create request is out is never aborted before the paid task's
//! id is saved (or held by a saver that outlives the run); it saves the id, then stops.
//!
//! Why these bounds: the heartbeat beats every 2 s; a holder counts as gone after 10 s without one, five
//! beats, which covers one write kept waiting the store's whole busy timeout (5 s) plus a late beat, so a
//! slow disk or a long write by the other process never hands a live run's job over. A job a killed process
//! left is picked up within about 10 s of being first looked at (at once on the same machine).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use tokio::task::AbortHandle;

use super::{Inner, JobRunner};
use crate::store::Lease;

/// How often leases are renewed and when an unrenewed one counts as abandoned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeaseTiming {
    pub heartbeat: Duration,
    pub stale_after: Duration,
    /// How often another process's changes are looked for (see [`JobRunner::follow_shared_history`]).
    pub watch_every: Duration,
}

impl Default for LeaseTiming {
    fn default() -> Self {
        Self {
            heartbeat: Duration::from_secs(2),
            stale_after: Duration::from_secs(10),
            watch_every: Duration::from_secs(1),
        }
    }
}

/// Another holder's lease as this runner last saw it: subject → (owner, heartbeat), and when that pair was
/// first seen on this process's monotonic clock. A lease counts as abandoned once the same pair has been
/// seen unchanged for [`LeaseTiming::stale_after`]: judged on the observer's own clock, never by comparing
/// a stored wall-clock time with now, so a clock jump or a laptop waking from sleep (both processes slept;
/// the heartbeats look old) never hands a live process's jobs over.
pub(super) type Seen = HashMap<String, (String, i64, Instant)>;

/// The leases this runner holds: subject → the task driving it (once started), so losing the lease can
/// stop it.
#[derive(Default)]
pub(super) struct Held {
    pub(super) runs: HashMap<String, Option<AbortHandle>>,
    pub(super) heartbeat_started: bool,
    /// When the leases were last renewed; long ago means this process stalled (suspended, starved) and
    /// may have lost them without its heartbeat noticing yet.
    pub(super) renewed_at: Option<Instant>,
    /// Subjects whose run marked its create and has not yet put the task id out of harm's way: losing
    /// the lease must not abort such a run, or the answer naming the paid task is dropped.
    pub(super) creating: HashSet<String>,
    /// Subjects whose create this runner's current run marked itself: only such a run may fail a job
    /// whose create was sent without a task id on record.
    pub(super) sent_create: HashSet<String>,
    /// The process is quitting ([`JobRunner::release_leases`]): a run spared because its create's answer
    /// was awaited stops, and gives its lease back, once that answer is dealt with.
    pub(super) quitting: bool,
}

impl JobRunner {
    /// Changes the lease bounds (tests shorten them; both processes sharing a history should agree).
    pub fn set_lease_timing(&self, timing: LeaseTiming) {
        *self
            .inner
            .lease_timing
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = timing;
    }

    pub(super) fn lease_timing(&self) -> LeaseTiming {
        *self
            .inner
            .lease_timing
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// This runner's id in the leases it holds.
    pub fn lease_owner(&self) -> &str {
        &self.inner.holder.owner
    }

    fn held(&self) -> std::sync::MutexGuard<'_, Held> {
        self.inner.held.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Heartbeats older than this are abandoned.
    pub(super) fn stale_before(&self) -> i64 {
        let stale = i64::try_from(self.lease_timing().stale_after.as_millis()).unwrap_or(i64::MAX);
        self.inner.store.now_ms().saturating_sub(stale)
    }

    /// Whether `lease` belongs to a holder that is gone: its process is dead on this machine, or this
    /// runner has seen its heartbeat unchanged for the bound (see [`Seen`]).
    pub(super) fn abandoned(&self, lease: &Lease) -> bool {
        lease.holder_is_dead() || self.unrenewed_for_the_bound(lease)
    }

    fn unrenewed_for_the_bound(&self, lease: &Lease) -> bool {
        let stale_after = self.lease_timing().stale_after;
        let mut seen = self
            .inner
            .lease_seen
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        match seen.get(&lease.subject) {
            Some((owner, at, since)) if *owner == lease.owner && *at == lease.heartbeat_at => {
                since.elapsed() >= stale_after
            }
            _ => {
                seen.insert(
                    lease.subject.clone(),
                    (lease.owner.clone(), lease.heartbeat_at, Instant::now()),
                );
                false
            }
        }
    }

    /// Another live process drives the subject now.
    pub(super) fn held_elsewhere(&self, subject: &str) -> bool {
        match self.inner.store.lease(subject) {
            Ok(Some(lease)) => lease.owner != self.inner.holder.owner && !self.abandoned(&lease),
            Ok(None) => false,
            // Unknown: say busy, the careful answer for what callers use this for (delete, pause on start).
            Err(_) => true,
        }
    }

    /// Takes the subject's lease (free, ours, or its holder gone); false when another live process has it
    /// or the database could not be asked.
    pub(super) fn take_lease(&self, subject: &str) -> bool {
        let store = &self.inner.store;
        let me = &self.inner.holder;
        // Held across the write, so a heartbeat never sees the row without the entry (and gives it back)
        // or the entry without the row (and judges it lost).
        let mut held = self.held();
        // Free or ours only: a stale one is judged on this process's clock below.
        let taken = match store.acquire_lease(subject, me, i64::MIN) {
            Ok(true) => true,
            Ok(false) => match store.lease(subject) {
                Ok(Some(lease)) if !lease.holder_is_dead() && self.abandoned(&lease) => {
                    // Only if it is still the heartbeat seen unchanged for the bound.
                    let taken = store
                        .take_over_stale_lease(subject, me, &lease.owner, lease.heartbeat_at)
                        .unwrap_or(false);
                    if taken {
                        tracing::info!(
                            subject,
                            from = lease.owner,
                            "lease taken over from a holder that stopped renewing it"
                        );
                    }
                    taken
                }
                Ok(Some(lease)) if lease.holder_is_dead() => {
                    let taken = store
                        .take_over_lease(subject, me, &lease.owner)
                        .unwrap_or(false);
                    if taken {
                        tracing::info!(
                            subject,
                            from = lease.owner,
                            "lease taken over from a process that is gone"
                        );
                    }
                    taken
                }
                _ => false,
            },
            Err(e) => {
                tracing::warn!(subject, error = %e, "lease not taken");
                false
            }
        };
        if taken {
            self.inner
                .lease_seen
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(subject);
            if held.runs.is_empty() {
                // Nothing was held, so nothing was renewed meanwhile: the clock starts now.
                held.renewed_at = Some(Instant::now());
            }
            held.runs.entry(subject.to_owned()).or_insert(None);
            let start = !std::mem::replace(&mut held.heartbeat_started, true);
            drop(held);
            if start {
                spawn_heartbeat(Arc::downgrade(&self.inner));
            }
        }
        taken
    }

    /// The task driving the subject, stopped if the lease is lost.
    pub(super) fn lease_driven_by(&self, subject: &str, task: AbortHandle) {
        let mut held = self.held();
        match held.runs.get_mut(subject) {
            Some(slot @ None) => *slot = Some(task),
            // A newer task took the subject again after this one already ended (a feeder that ended and
            // fed its batch again before its starter got here): that one is the driver.
            Some(Some(_)) => {}
            // Lost before the task was known: it must not run on.
            None => task.abort(),
        }
    }

    /// Gives the lease back (a run or feeder ended).
    pub(super) fn drop_lease(&self, subject: &str) {
        // Held across the write, as in `take_lease`.
        let mut held = self.held();
        let was_held = held.runs.remove(subject).is_some();
        if was_held {
            if let Err(e) = self
                .inner
                .store
                .release_lease(subject, &self.inner.holder.owner)
            {
                tracing::warn!(subject, error = %e, "lease not released; it lapses on its own");
            }
        }
    }

    /// A failure path gives back a lease it took, unless a run of the job is going: the lease is shared
    /// by everything this runner does with the job (taking it again is a no-op for the same owner), so a
    /// second press that failed must not take away the lease the first press's run holds.
    pub(super) fn give_back_unless_running(&self, subject: &str) {
        if !self.is_active(subject) {
            self.drop_lease(subject);
        }
    }

    /// Whether this runner still holds the subject's lease, as far as it knows (no database read).
    pub(super) fn holds_lease(&self, subject: &str) -> bool {
        self.held().runs.contains_key(subject)
    }

    /// Renews the subject's lease before a step; false when it was lost (the run must stop, writing
    /// nothing). A database that cannot be asked right now does not stop the step: the step's own write
    /// meets the same database, and the create mark checks the lease in its own statement.
    pub(super) fn still_leased(&self, subject: &str) -> bool {
        if !self.holds_lease(subject) {
            return false;
        }
        match self
            .inner
            .store
            .renew_lease(subject, &self.inner.holder.owner)
        {
            Ok(true) => true,
            Ok(false) => {
                self.lease_lost(subject);
                false
            }
            Err(e) => {
                tracing::debug!(subject, error = %e, "lease not renewed before a step");
                true
            }
        }
    }

    /// Called as a transfer moves bytes (often: only a clock read then). When the last renewal is older
    /// than half the bound, this process may have stalled past it and been taken over; the lease is
    /// checked now, and a lost one stops the run before it writes more of a file the new holder writes too.
    pub(super) fn check_lease_after_stall(&self, subject: &str) {
        let half = self.lease_timing().stale_after / 2;
        let stalled = self.held().renewed_at.is_some_and(|at| at.elapsed() > half);
        if stalled {
            self.still_leased(subject);
        }
    }

    /// The run of `subject` marked its create (`true`), or its task id is saved or handed to a saver that
    /// outlives the run, or its create step is over without one (`false`). In between, losing the lease
    /// does not abort the run: the create's answer is awaited and its task id saved, then the run stops
    /// at its next lease check.
    pub(super) fn set_creating(&self, subject: &str, creating: bool) {
        let mut held = self.held();
        if creating {
            held.creating.insert(subject.to_owned());
            return;
        }
        let was_creating = held.creating.remove(subject);
        if was_creating && held.quitting {
            // Spared by `release_leases` until now: the task id is safe, so the run stops and the job is
            // another process's (or the next start's) to continue from its task.
            if let Some(task) = held.runs.remove(subject) {
                if let Err(e) = self
                    .inner
                    .store
                    .release_lease(subject, &self.inner.holder.owner)
                {
                    tracing::warn!(subject, error = %e, "lease not released; it lapses on its own");
                }
                drop(held);
                tracing::info!(
                    subject,
                    "the create's answer is dealt with; the run stops for the quit"
                );
                if let Some(task) = task {
                    task.abort();
                }
            }
        }
    }

    /// The run of `subject` marked its create itself.
    pub(super) fn note_create_sent(&self, subject: &str) {
        self.held().sent_create.insert(subject.to_owned());
    }

    /// Whether the current run of `subject` marked its create itself.
    pub(super) fn sent_create_here(&self, subject: &str) -> bool {
        self.held().sent_create.contains(subject)
    }

    /// The run of `subject` is over: what it noted about its create goes with it.
    pub(super) fn run_over(&self, subject: &str) {
        self.leave_sending(subject);
        let mut held = self.held();
        held.creating.remove(subject);
        held.sent_create.remove(subject);
    }

    /// Another process took the lease over: whatever drives the subject here stops now, except a run
    /// waiting for its create's answer, which stops once the task id is saved.
    fn lease_lost(&self, subject: &str) {
        let task = lose(&mut self.held(), subject);
        if let Some(task) = task {
            task.abort();
        }
    }

    /// Stops every run and feeder of this runner and gives their leases back, for a process that quits:
    /// another process sharing the history picks the jobs up at once instead of after the bound. A run
    /// whose create request is out is spared, lease and all: stopping it would drop the answer naming the
    /// paid task and leave the job uncertain when its task exists. It stops, and gives its lease back, once
    /// the task id is saved (or the create failed); [`JobRunner::wait_for_creates`] waits for that.
    pub fn release_leases(&self) {
        let (runs, kept) = {
            let mut held = self.held();
            held.quitting = true;
            let creating = held.creating.clone();
            let mut stop = Vec::new();
            held.runs.retain(|subject, task| {
                if creating.contains(subject) {
                    return true;
                }
                stop.extend(task.take());
                false
            });
            let kept: Vec<String> = held.runs.keys().cloned().collect();
            (stop, kept)
        };
        for task in runs {
            task.abort();
        }
        match self
            .inner
            .store
            .release_leases_but(&self.inner.holder.owner, &kept)
        {
            Ok(n) => tracing::info!(
                leases = n,
                kept = kept.len(),
                "leases given back; runs awaiting a create's answer keep theirs until it comes"
            ),
            Err(e) => tracing::warn!(error = %e, "leases not given back; they lapse on their own"),
        }
    }

    /// Returns once no run of this runner awaits a create's answer (each has saved its task id or seen its
    /// create fail), or after `bound`; true when none is left. For a process that quits after
    /// [`JobRunner::release_leases`]: leaving earlier loses the answer, and the job becomes uncertain.
    pub async fn wait_for_creates(&self, bound: std::time::Duration) -> bool {
        let until = Instant::now() + bound;
        loop {
            if self.held().creating.is_empty() {
                return true;
            }
            if Instant::now() >= until {
                return false;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// One heartbeat: renews every lease held, gives back rows of this runner it no longer holds, and
    /// stops what lost its own. The held set cannot change meanwhile: a lease taken between the renewal
    /// and the judgement would be judged lost on a list that does not include it.
    pub(super) fn beat(&self) {
        let stop: Vec<AbortHandle> = {
            let mut held = self.held();
            if held.runs.is_empty() {
                return;
            }
            let subjects: Vec<String> = held.runs.keys().cloned().collect();
            // A row of this runner's not held is given back once it is a beat old: a new job's row
            // (written with the job, see `Store::insert_job_once_held`) is taken by its run before then.
            let beat = i64::try_from(self.lease_timing().heartbeat.as_millis()).unwrap_or(i64::MAX);
            let forget_before = self.inner.store.now_ms().saturating_sub(beat);
            match self
                .inner
                .store
                .renew_leases(&self.inner.holder.owner, &subjects, forget_before)
            {
                Ok(still) => {
                    held.renewed_at = Some(Instant::now());
                    subjects
                        .iter()
                        .filter(|s| !still.contains(s))
                        .filter_map(|s| lose(&mut held, s))
                        .collect()
                }
                Err(e) => {
                    tracing::warn!(error = %e, "leases not renewed; trying again");
                    Vec::new()
                }
            }
        };
        for task in stop {
            task.abort();
        }
    }
}

/// Another process took the lease over: forgets it and returns the task to stop, unless it is a run
/// waiting for its create's answer, which stops once the task id is saved.
fn lose(held: &mut Held, subject: &str) -> Option<AbortHandle> {
    let task = held.runs.remove(subject)?;
    if held.creating.contains(subject) {
        tracing::warn!(
            subject,
            "another process took this over; it stops once its task id is saved"
        );
        return None;
    }
    tracing::warn!(subject, "another process took this over; it stops here");
    task
}

/// Renews the runner's leases until the runner is gone.
fn spawn_heartbeat(inner: Weak<Inner>) {
    tokio::spawn(async move {
        loop {
            let every = match inner.upgrade() {
                Some(inner) => JobRunner { inner }.lease_timing().heartbeat,
                None => return,
            };
            tokio::time::sleep(every).await;
            match inner.upgrade() {
                Some(inner) => JobRunner { inner }.beat(),
                None => return,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::store::{LeaseHolder, Store};

    fn runner() -> JobRunner {
        crate::jobs::offline_runner(std::sync::Arc::new(Store::open_in_memory().unwrap()))
    }

    /// A lease row of this runner it no longer holds (its release failed) is given back by the next
    /// heartbeat instead of being renewed forever, which would keep the job from every other process.
    #[tokio::test]
    async fn a_heartbeat_gives_back_rows_it_does_not_hold_and_keeps_the_rest() {
        let runner = runner();
        runner.set_lease_timing(LeaseTiming {
            heartbeat: Duration::from_secs(3600),
            stale_after: Duration::from_secs(10),
            watch_every: Duration::from_secs(3600),
        });
        assert!(runner.take_lease("a"));
        let store = runner.store().clone();
        assert!(store
            .acquire_lease("c", &runner.inner.holder, i64::MIN)
            .unwrap());
        // Left over (its release failed) well over a beat ago.
        store
            .conn()
            .execute("UPDATE leases SET heartbeat_at = 0 WHERE subject = 'c'", [])
            .unwrap();
        runner.beat();
        assert!(store.lease("c").unwrap().is_none(), "not held: given back");
        assert!(runner.holds_lease("a"));
        assert_eq!(
            store.lease("a").unwrap().unwrap().owner,
            runner.lease_owner()
        );
    }

    /// A heartbeat that looks old by the wall clock (the clock jumped, or the machine slept) is not taken
    /// over at once: only once this runner has seen it unchanged for the bound, and never while its
    /// holder renews it.
    #[tokio::test]
    async fn staleness_is_judged_on_the_observers_own_clock() {
        let runner = runner();
        runner.set_lease_timing(LeaseTiming {
            heartbeat: Duration::from_secs(3600),
            stale_after: Duration::from_millis(200),
            watch_every: Duration::from_secs(3600),
        });
        let store = runner.store().clone();
        let ghost = LeaseHolder {
            owner: "ghost".into(),
            pid: 0,
            host: String::new(),
        };
        assert!(store.acquire_lease("j", &ghost, 0).unwrap());
        store
            .conn()
            .execute("UPDATE leases SET heartbeat_at = 0 WHERE subject = 'j'", [])
            .unwrap();
        assert!(!runner.take_lease("j"), "first seen now: not stale yet");
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert!(store.renew_lease("j", "ghost").unwrap());
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert!(!runner.take_lease("j"), "renewed meanwhile: alive");
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert!(
            runner.take_lease("j"),
            "unchanged for the bound: taken over"
        );
        assert_eq!(
            store.lease("j").unwrap().unwrap().owner,
            runner.lease_owner()
        );
    }

    /// A transfer's progress checks the lease only once the last renewal is old (the process may have
    /// stalled): a lost lease then stops the run at once, without waiting for a heartbeat that has not come.
    #[tokio::test]
    async fn a_transfer_after_a_stall_finds_its_lease_lost_and_stops() {
        let runner = runner();
        runner.set_lease_timing(LeaseTiming {
            // No heartbeat during the test: only the transfer's check can notice.
            heartbeat: Duration::from_secs(3600),
            stale_after: Duration::from_millis(200),
            watch_every: Duration::from_secs(3600),
        });
        assert!(runner.take_lease("j"));
        let run = tokio::spawn(std::future::pending::<()>());
        runner.lease_driven_by("j", run.abort_handle());
        let thief = LeaseHolder {
            owner: "thief".into(),
            pid: 0,
            host: String::new(),
        };
        let store = runner.store().clone();
        assert!(store
            .take_over_lease("j", &thief, runner.lease_owner())
            .unwrap());

        // Renewed moments ago: the check costs a clock read and finds nothing.
        runner.check_lease_after_stall("j");
        assert!(runner.holds_lease("j"));

        tokio::time::sleep(Duration::from_millis(150)).await;
        runner.check_lease_after_stall("j");
        assert!(!runner.holds_lease("j"));
        let stopped = tokio::time::timeout(Duration::from_secs(5), run)
            .await
            .unwrap();
        assert!(stopped.unwrap_err().is_cancelled());
        assert_eq!(store.lease("j").unwrap().unwrap().owner, "thief");
    }
}
