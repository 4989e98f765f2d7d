//! The "poll trouble" note: a job whose task exists but whose queries are not being answered (the
//! service is out of reach, or refuses the token) keeps its status and says so, with the time of the
//! next try, until a query is answered again. It is never a reason to fail the job or to pay again.

use std::time::Duration;

use time::OffsetDateTime;

use super::{ConnectionError, JobError, JobRunner};
use crate::api::{ApiError, TaskId};
use crate::i18n::{Message, UserFacing};
use crate::pipeline::{PipelineError, QueryTrouble};
use crate::store::{JobPage, JobQuery, JobRecord, PollTrouble, StoreError};

/// How long a run waits for a usable token or service before asking again by itself (saving a token
/// or switching modes wakes it sooner).
pub const SERVICE_RECHECK: Duration = Duration::from_secs(60);

/// A stop that means "the task is fine, we just cannot ask about it now": worth waiting out.
pub(super) fn waits_for_service(error: &JobError) -> bool {
    matches!(
        error,
        JobError::Pipeline(PipelineError::Api(
            ApiError::InvalidToken | ApiError::HostNotConfirmed { .. }
        )) | JobError::Connection(ConnectionError::NoToken | ConnectionError::Unavailable { .. })
    )
}

fn unix_ms(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// The note for a stop that [`waits_for_service`].
fn service_note(error: &JobError, next_try_at: i64) -> PollTrouble {
    let (kind, message) = match error {
        JobError::Pipeline(PipelineError::Api(ApiError::InvalidToken)) => {
            ("token_refused", Message::new("msg.job.poll_token_refused"))
        }
        JobError::Connection(ConnectionError::NoToken) => {
            ("no_token", Message::new("msg.job.poll_no_token"))
        }
        other => (
            "service_unavailable",
            Message::new("msg.job.poll_service_unavailable").arg("reason", other.msg()),
        ),
    };
    PollTrouble {
        kind: kind.to_owned(),
        message,
        details: Some(error.to_string()),
        next_try_at: Some(next_try_at),
    }
}

/// The note for queries the poll loop keeps repeating by itself.
pub(super) fn query_note(trouble: &QueryTrouble, next_try_at: i64) -> PollTrouble {
    let (kind, message) = if trouble.unreachable {
        (
            "service_unreachable",
            Message::new("msg.job.poll_unreachable"),
        )
    } else {
        ("service_trouble", Message::new("msg.job.poll_trouble"))
    };
    PollTrouble {
        kind: kind.to_owned(),
        message,
        details: Some(format!("{}: {}", trouble.error_kind, trouble.detail)),
        next_try_at: Some(next_try_at),
    }
}

impl JobRunner {
    /// The record with its poll trouble note, if any (the store does not keep notes).
    pub fn with_trouble(&self, mut job: JobRecord) -> JobRecord {
        job.poll_trouble = self.troubles().get(&job.id).cloned();
        job
    }

    /// A stored job with its note.
    pub fn get_job(&self, id: &str) -> Result<JobRecord, StoreError> {
        Ok(self.with_trouble(self.inner.store.get_job(id)?))
    }

    /// A page of the history with notes.
    pub fn list_jobs(&self, query: &JobQuery) -> Result<JobPage, StoreError> {
        let mut page = self.inner.store.list_jobs(query)?;
        let troubles = self.troubles();
        for job in &mut page.jobs {
            job.poll_trouble = troubles.get(&job.id).cloned();
        }
        Ok(page)
    }

    /// A token was saved or the mode changed: runs waiting for their service ask again now.
    pub fn service_changed(&self) {
        self.inner.service_changed.notify_waiters();
    }

    fn troubles(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, PollTrouble>> {
        self.inner
            .troubles
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Sets (or with `None` clears) the job's note and announces the job when that changed anything.
    pub(super) fn set_trouble(&self, id: &str, trouble: Option<PollTrouble>) {
        let changed = {
            let mut troubles = self.troubles();
            match trouble {
                Some(t) => troubles.insert(id.to_owned(), t.clone()) != Some(t),
                None => troubles.remove(id).is_some(),
            }
        };
        if changed {
            self.announce(id);
        }
    }

    pub(super) fn next_try_at(&self, wait: Duration) -> i64 {
        unix_ms(self.inner.timing.clock.now() + wait)
    }

    /// Shows why the job's task cannot be asked about, then waits until [`SERVICE_RECHECK`] has passed
    /// or [`JobRunner::service_changed`] is called. The job keeps its status throughout.
    pub(super) async fn wait_for_service(&self, id: &str, task: &TaskId, error: &JobError) {
        let woken = self.inner.service_changed.notified();
        tokio::pin!(woken);
        // Registered before the note is shown, so a token saved right after it is not missed.
        woken.as_mut().enable();
        let note = service_note(error, self.next_try_at(SERVICE_RECHECK));
        tracing::warn!(job = id, task = %task, kind = %note.kind, "task exists; waiting for its service");
        self.set_trouble(id, Some(note));
        tokio::select! {
            () = self.inner.timing.sleeper.sleep(SERVICE_RECHECK) => {}
            () = &mut woken => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reason the service cannot be asked is the other error's own message, nested in the note.
    #[test]
    fn a_service_note_nests_the_reason() {
        let error = JobError::Connection(ConnectionError::DemoEnded);
        let note = service_note(&error, 7);
        assert_eq!(note.kind, "service_unavailable");
        assert_eq!(note.message.key, "msg.job.poll_service_unavailable");
        assert_eq!(
            note.message.args.get("reason"),
            Some(&crate::i18n::Arg::from(error.msg()))
        );
        for language in ["en", "zh-CN"] {
            assert!(
                note.message
                    .text(language)
                    .contains(&error.msg().text(language)),
                "{}",
                note.message.text(language)
            );
        }
    }

    /// A task that exists keeps waiting (never fails) when its query was refused for a host the token
    /// is not bound to: the user can still agree to the host, or change it.
    #[test]
    fn an_unbound_host_waits_like_a_refused_token() {
        let api = |e: ApiError| JobError::Pipeline(PipelineError::Api(e));
        assert!(waits_for_service(&api(ApiError::HostNotConfirmed {
            host: "https://proxy.example.com".into()
        })));
        assert!(waits_for_service(&api(ApiError::InvalidToken)));
        assert!(!waits_for_service(&api(ApiError::OutOfCredit)));
    }
}
