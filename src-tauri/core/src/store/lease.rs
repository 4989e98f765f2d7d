//! Leases: which process drives a job (or feeds a batch) now, when the app and the `seedance` CLI share one
//! database. Every write that takes a lease is one statement, so two processes asking at once cannot both
//! get it: a free lease, or one the asker holds already, is taken; any other is refused. A holder proven
//! dead on this machine (its process is gone) is taken over at once, by a write that only succeeds while
//! that dead holder still has it; a holder the asker saw not renewing for the bound, by a write that only
//! succeeds while the heartbeat is still the one it saw.
//!
//! The heartbeat is the store's wall time in unix milliseconds; it is only compared for equality (whether
//! it changed), never with another clock: the runner judges staleness on its own monotonic clock.

use rusqlite::OptionalExtension;

use super::jobs::Step;
use super::{JobStatus, Store, StoreError};

/// Who holds a lease: one runner (one per process in the app and the CLI; tests run several in one process).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaseHolder {
    /// Unique per runner: the process id and random bits, so a new process with a reused pid is still new.
    pub owner: String,
    pub pid: u32,
    /// The machine's name, so a pid is only judged on the machine it belongs to.
    pub host: String,
}

impl LeaseHolder {
    /// A fresh holder for this process.
    pub fn for_this_process() -> Self {
        let pid = std::process::id();
        let bits: u64 = rand::random();
        Self {
            owner: format!("{pid}-{bits:016x}"),
            pid,
            host: host_name(),
        }
    }
}

/// A lease as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    pub subject: String,
    pub owner: String,
    pub pid: u32,
    pub host: String,
    /// Unix milliseconds of the last renewal.
    pub heartbeat_at: i64,
}

impl Lease {
    /// The holder's process is gone: it runs on this machine and no process with its pid exists. Only
    /// Linux can tell (from `/proc`); elsewhere, and when unsure, the holder counts as alive.
    pub fn holder_is_dead(&self) -> bool {
        if self.pid == 0 || self.host.is_empty() || self.host != host_name() {
            return false;
        }
        process_is_gone(self.pid)
    }
}

#[cfg(target_os = "linux")]
fn process_is_gone(pid: u32) -> bool {
    // A zombie (killed, not yet reaped by its parent) has an entry but drives nothing any more.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

#[cfg(not(target_os = "linux"))]
fn process_is_gone(_pid: u32) -> bool {
    false
}

/// This machine's name, or empty when it cannot be read (then no holder is ever judged dead by pid).
fn host_name() -> String {
    #[cfg(target_os = "linux")]
    {
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_owned())
            .unwrap_or_default()
    }
    #[cfg(not(target_os = "linux"))]
    {
        std::env::var("COMPUTERNAME")
            .or_else(|_| std::env::var("HOSTNAME"))
            .unwrap_or_default()
    }
}

/// The lease row of a batch's feeder.
pub fn batch_subject(batch_id: &str) -> String {
    format!("batch:{batch_id}")
}

impl Store {
    /// Takes the lease on `subject` for `me` when it is free, already `me`'s, or its heartbeat is older
    /// than `stale_before` (unix milliseconds); the heartbeat is now. True when `me` holds it afterwards.
    pub fn acquire_lease(
        &self,
        subject: &str,
        me: &LeaseHolder,
        stale_before: i64,
    ) -> Result<bool, StoreError> {
        let now = self.now_ms();
        let conn = self.conn();
        let changed = conn.execute(
            "INSERT INTO leases (subject, owner, pid, host, heartbeat_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (subject) DO UPDATE SET owner = excluded.owner, pid = excluded.pid,
                 host = excluded.host, heartbeat_at = excluded.heartbeat_at
             WHERE leases.owner = excluded.owner OR leases.heartbeat_at < ?6",
            rusqlite::params![subject, me.owner, me.pid, me.host, now, stale_before],
        )?;
        Ok(changed == 1)
    }

    /// Takes the lease over from `dead_owner` (a holder found dead), only if that holder still has it.
    pub fn take_over_lease(
        &self,
        subject: &str,
        me: &LeaseHolder,
        dead_owner: &str,
    ) -> Result<bool, StoreError> {
        let now = self.now_ms();
        let changed = self.conn().execute(
            "UPDATE leases SET owner = ?2, pid = ?3, host = ?4, heartbeat_at = ?5
             WHERE subject = ?1 AND owner = ?6",
            rusqlite::params![subject, me.owner, me.pid, me.host, now, dead_owner],
        )?;
        Ok(changed == 1)
    }

    /// Takes the lease over from `owner` (a holder seen not renewing it for the bound), only if its
    /// heartbeat is still `heartbeat_at`: a holder that renewed meanwhile keeps it.
    pub fn take_over_stale_lease(
        &self,
        subject: &str,
        me: &LeaseHolder,
        owner: &str,
        heartbeat_at: i64,
    ) -> Result<bool, StoreError> {
        let now = self.now_ms();
        let changed = self.conn().execute(
            "UPDATE leases SET owner = ?2, pid = ?3, host = ?4, heartbeat_at = ?5
             WHERE subject = ?1 AND owner = ?6 AND heartbeat_at = ?7",
            rusqlite::params![subject, me.owner, me.pid, me.host, now, owner, heartbeat_at],
        )?;
        Ok(changed == 1)
    }

    pub fn lease(&self, subject: &str) -> Result<Option<Lease>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT subject, owner, pid, host, heartbeat_at FROM leases WHERE subject = ?1",
                [subject],
                |r| {
                    Ok(Lease {
                        subject: r.get(0)?,
                        owner: r.get(1)?,
                        pid: r.get(2)?,
                        host: r.get(3)?,
                        heartbeat_at: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    /// Renews one lease; false when `owner` no longer holds it (taken over, or released).
    pub fn renew_lease(&self, subject: &str, owner: &str) -> Result<bool, StoreError> {
        let now = self.now_ms();
        let changed = self.conn().execute(
            "UPDATE leases SET heartbeat_at = ?3 WHERE subject = ?1 AND owner = ?2",
            rusqlite::params![subject, owner, now],
        )?;
        Ok(changed == 1)
    }

    /// Renews the leases on `subjects` that `owner` still holds and gives back every other lease of
    /// `owner` last renewed before `forget_before` (a row its runner no longer knows of, e.g. one whose
    /// release failed, must not be renewed forever; a row just written with a new job is spared until its
    /// run takes it), in one transaction; returns the subjects it still holds.
    pub fn renew_leases(
        &self,
        owner: &str,
        subjects: &[String],
        forget_before: i64,
    ) -> Result<Vec<String>, StoreError> {
        let now = self.now_ms();
        let list = serde_json::to_string(subjects).unwrap_or_else(|_| "[]".to_owned());
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let held = {
            let mut stmt = tx.prepare_cached(
                "UPDATE leases SET heartbeat_at = ?2
                 WHERE owner = ?1 AND subject IN (SELECT value FROM json_each(?3))
                 RETURNING subject",
            )?;
            let held = stmt
                .query_map(rusqlite::params![owner, now, list], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            held
        };
        tx.execute(
            "DELETE FROM leases WHERE owner = ?1 AND subject NOT IN (SELECT value FROM json_each(?2))
                 AND heartbeat_at < ?3",
            rusqlite::params![owner, list, forget_before],
        )?;
        tx.commit()?;
        Ok(held)
    }

    /// Gives the lease back, if `owner` still holds it.
    pub fn release_lease(&self, subject: &str, owner: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "DELETE FROM leases WHERE subject = ?1 AND owner = ?2",
            rusqlite::params![subject, owner],
        )?;
        Ok(())
    }

    /// Gives back every lease `owner` holds (a process quitting); returns how many.
    pub fn release_leases(&self, owner: &str) -> Result<usize, StoreError> {
        Ok(self
            .conn()
            .execute("DELETE FROM leases WHERE owner = ?1", [owner])?)
    }

    /// Gives back every lease `owner` holds except those on `keep`; returns how many.
    pub fn release_leases_but(&self, owner: &str, keep: &[String]) -> Result<usize, StoreError> {
        let list = serde_json::to_string(keep).unwrap_or_else(|_| "[]".to_owned());
        Ok(self.conn().execute(
            "DELETE FROM leases WHERE owner = ?1 AND subject NOT IN (SELECT value FROM json_each(?2))",
            rusqlite::params![owner, list],
        )?)
    }

    /// [`Store::mark_create_sent`], only while `owner` holds the job's lease: checked in the same
    /// statement, so a process whose lease was taken over can never mark (and so never send) a create.
    pub fn mark_create_sent_leased(&self, id: &str, owner: &str) -> Result<(), StoreError> {
        let step = Step {
            set: "status = 'submitting', create_sent_at = ?1",
            params: &[&owner],
            from: JobStatus::Submitting.predecessors(),
            also: "AND create_sent_at IS NULL
                   AND EXISTS (SELECT 1 FROM leases WHERE subject = ?2 AND owner = ?3)",
            durable: true,
        };
        self.step(id, step, Self::illegal(id, JobStatus::Submitting))
    }

    /// Unfinished jobs whose lease is missing or not `mine`, with that lease: the ones another process may
    /// have left. Oldest first.
    pub fn unfinished_not_held_by(
        &self,
        mine: &str,
    ) -> Result<Vec<(String, Option<Lease>)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT jobs.id, leases.owner, leases.pid, leases.host, leases.heartbeat_at
             FROM jobs LEFT JOIN leases ON leases.subject = jobs.id
             WHERE jobs.status IN ('uploading', 'submitting', 'queued', 'running', 'downloading')
               AND (leases.owner IS NULL OR leases.owner <> ?1)
             ORDER BY jobs.created_at, jobs.seq",
        )?;
        let rows = stmt
            .query_map([mine], |r| {
                let id: String = r.get(0)?;
                let owner: Option<String> = r.get(1)?;
                let lease = match owner {
                    Some(owner) => Some(Lease {
                        subject: id.clone(),
                        owner,
                        pid: r.get(2)?,
                        host: r.get(3)?,
                        heartbeat_at: r.get(4)?,
                    }),
                    None => None,
                };
                Ok((id, lease))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// A number that changes whenever another connection (another process) commits to the database.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn()
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Jobs written at or after `since` (unix milliseconds): `(id, updated_at)`, oldest write first.
    pub fn jobs_changed_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, updated_at FROM jobs WHERE updated_at >= ?1 ORDER BY updated_at",
        )?;
        let rows = stmt
            .query_map([since], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Batches written at or after `since`: `(id, updated_at)`.
    pub fn batches_changed_since(&self, since: i64) -> Result<Vec<(String, i64)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, updated_at FROM batches WHERE updated_at >= ?1 ORDER BY updated_at",
        )?;
        let rows = stmt
            .query_map([since], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Jobs deleted after deletion number `after` (0: from the start of the log), with the newest number.
    pub fn jobs_deleted_after(&self, after: i64) -> Result<(Vec<String>, i64), StoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare_cached("SELECT seq, id FROM job_deletions WHERE seq > ?1 ORDER BY seq")?;
        let mut last = after;
        let mut ids = Vec::new();
        for row in stmt.query_map([after], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?)))? {
            let (seq, id) = row?;
            last = last.max(seq);
            ids.push(id);
        }
        Ok((ids, last))
    }

    /// The newest deletion number (where following starts).
    pub fn last_job_deletion(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT coalesce(max(seq), 0) FROM job_deletions", [], |r| {
                r.get(0)
            })?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::store::NewJob;

    fn holder(owner: &str) -> LeaseHolder {
        LeaseHolder {
            owner: owner.to_owned(),
            pid: 0,
            host: String::new(),
        }
    }

    #[test]
    fn a_live_lease_is_refused_and_a_stale_one_taken_over() {
        let store = Store::open_in_memory().unwrap();
        let (a, b) = (holder("a"), holder("b"));
        let now = store.now_ms();
        assert!(store.acquire_lease("j", &a, now - 10_000).unwrap());
        assert!(
            store.acquire_lease("j", &a, now - 10_000).unwrap(),
            "its own"
        );
        assert!(!store.acquire_lease("j", &b, now - 10_000).unwrap(), "live");
        assert_eq!(store.lease("j").unwrap().unwrap().owner, "a");
        // a's heartbeat is now older than the bound b uses.
        assert!(store.acquire_lease("j", &b, now + 10_000).unwrap());
        assert!(!store.renew_lease("j", "a").unwrap(), "a lost it");
        assert!(store.renew_lease("j", "b").unwrap());
        store.release_lease("j", "a").unwrap();
        assert_eq!(
            store.lease("j").unwrap().unwrap().owner,
            "b",
            "a cannot free b's"
        );
        store.release_lease("j", "b").unwrap();
        assert!(store.lease("j").unwrap().is_none());
    }

    #[test]
    fn a_dead_holder_is_taken_over_only_while_it_still_holds() {
        let store = Store::open_in_memory().unwrap();
        let now = store.now_ms();
        assert!(store.acquire_lease("j", &holder("dead"), now).unwrap());
        assert!(store.take_over_lease("j", &holder("b"), "dead").unwrap());
        assert!(!store.take_over_lease("j", &holder("c"), "dead").unwrap());
        assert_eq!(store.lease("j").unwrap().unwrap().owner, "b");
    }

    #[test]
    fn deletions_are_read_after_a_number() {
        let store = Store::open_in_memory().unwrap();
        let a = store.insert_job(NewJob::default()).unwrap();
        let b = store.insert_job(NewJob::default()).unwrap();
        let start = store.last_job_deletion().unwrap();
        store.delete_job(&a.id).unwrap();
        let (gone, last) = store.jobs_deleted_after(start).unwrap();
        assert_eq!(gone, vec![a.id]);
        store.delete_job(&b.id).unwrap();
        assert_eq!(store.jobs_deleted_after(last).unwrap().0, vec![b.id]);
    }

    #[test]
    fn renewing_all_says_which_are_still_held() {
        let store = Store::open_in_memory().unwrap();
        let now = store.now_ms();
        for s in ["x", "y"] {
            assert!(store.acquire_lease(s, &holder("a"), now).unwrap());
        }
        assert!(store.acquire_lease("y", &holder("b"), i64::MAX).unwrap());
        let both = ["x".to_owned(), "y".to_owned()];
        assert_eq!(
            store.renew_leases("a", &both, i64::MIN).unwrap(),
            vec!["x".to_owned()]
        );
        assert_eq!(store.release_leases("a").unwrap(), 1);
    }

    /// A lease row of the owner that its runner no longer holds is given back, not renewed forever.
    #[test]
    fn renewing_gives_back_rows_not_held() {
        let store = Store::open_in_memory().unwrap();
        let now = store.now_ms();
        for s in ["x", "z"] {
            assert!(store.acquire_lease(s, &holder("a"), now).unwrap());
        }
        store
            .conn()
            .execute(
                "UPDATE leases SET heartbeat_at = 100 WHERE subject = 'z'",
                [],
            )
            .unwrap();
        let x = ["x".to_owned()];
        // Renewed at the bound (a new job's row before its run takes it): spared.
        assert_eq!(store.renew_leases("a", &x, 100).unwrap(), x.to_vec());
        assert!(store.lease("z").unwrap().is_some());
        assert_eq!(store.renew_leases("a", &x, 101).unwrap(), x.to_vec());
        assert!(store.lease("z").unwrap().is_none());
        assert_eq!(store.lease("x").unwrap().unwrap().owner, "a");
    }

    #[test]
    fn the_create_mark_needs_the_lease() {
        let store = Store::open_in_memory().unwrap();
        let job = store.insert_job(NewJob::default()).unwrap();
        let now = store.now_ms();
        assert!(
            store.mark_create_sent_leased(&job.id, "a").is_err(),
            "no lease"
        );
        assert!(store.acquire_lease(&job.id, &holder("b"), now).unwrap());
        assert!(store.mark_create_sent_leased(&job.id, "a").is_err(), "b's");
        assert!(store.get_job(&job.id).unwrap().create_sent_at.is_none());
        assert!(store
            .acquire_lease(&job.id, &holder("a"), i64::MAX)
            .unwrap());
        store.mark_create_sent_leased(&job.id, "a").unwrap();
        assert!(store.get_job(&job.id).unwrap().create_sent_at.is_some());
    }

    #[test]
    fn this_process_is_alive_and_a_foreign_host_is_never_judged() {
        let me = LeaseHolder::for_this_process();
        let lease = Lease {
            subject: "j".into(),
            owner: me.owner.clone(),
            pid: me.pid,
            host: me.host.clone(),
            heartbeat_at: 0,
        };
        assert!(!lease.holder_is_dead());
        let elsewhere = Lease {
            host: format!("{}-elsewhere", me.host),
            pid: u32::MAX - 1,
            ..lease
        };
        assert!(!elsewhere.holder_is_dead());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_process_that_exited_is_dead() {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        let me = LeaseHolder::for_this_process();
        let lease = Lease {
            subject: "j".into(),
            owner: "gone".into(),
            pid,
            host: me.host,
            heartbeat_at: 0,
        };
        assert!(lease.holder_is_dead());
    }
}
