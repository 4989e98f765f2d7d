//! A job's status and which status may follow which. The rules live here, once; every status-changing
//! write in the store is a single `UPDATE … WHERE status IN (allowed predecessors)`, so a check and its
//! write can never be split by another writer.

use serde::{Deserialize, Serialize};

use crate::i18n::Message;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Uploading,
    /// The create request is about to be sent or on its way: `create_sent_at` is set.
    Submitting,
    Queued,
    Running,
    Downloading,
    Done,
    Failed,
    /// The create request may or may not have reached the service; only the user decides what next.
    SubmissionUncertain,
    /// Stored but never sent, and too old to send without asking (the app was closed before its create
    /// request); it waits for the user to send or discard it.
    NotSent,
}

impl JobStatus {
    pub const ALL: [Self; 9] = [
        Self::Uploading,
        Self::Submitting,
        Self::Queued,
        Self::Running,
        Self::Downloading,
        Self::Done,
        Self::Failed,
        Self::SubmissionUncertain,
        Self::NotSent,
    ];

    /// The word stored in the database (and used by the UI).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Uploading => "uploading",
            Self::Submitting => "submitting",
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Downloading => "downloading",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::SubmissionUncertain => "submission_uncertain",
            Self::NotSent => "not_sent",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// Nothing will happen to the job without the user: no upload, poll or download is pending.
    pub fn is_settled(self) -> bool {
        matches!(
            self,
            Self::Done | Self::Failed | Self::SubmissionUncertain | Self::NotSent
        )
    }

    /// The statuses the app resumes on start.
    pub const UNSETTLED: [Self; 5] = [
        Self::Uploading,
        Self::Submitting,
        Self::Queued,
        Self::Running,
        Self::Downloading,
    ];

    /// The statuses a job may be in just before it becomes `self`.
    ///
    /// Not here: `Submitting` (only [`super::Store::mark_create_sent`], which also needs `create_sent_at`
    /// to be empty) and the `Queued` reached by [`super::Store::set_task_id`].
    pub(crate) fn predecessors(self) -> &'static [Self] {
        use JobStatus::*;
        match self {
            // Restarting an upload after a crash keeps the job uploading; a not-sent job the user sends
            // starts from its upload.
            Uploading => &[Uploading, NotSent],
            Submitting => &[Uploading],
            // The service may report a task as pending again after it was processing; harmless.
            Queued => &[Queued, Running],
            Running => &[Queued, Running],
            // Failed → downloading is retrying the download of a task that did finish (it was paid for).
            Downloading => &[Queued, Running, Downloading, Failed],
            Done => &[Queued, Running, Downloading],
            Failed => &[
                Uploading,
                Submitting,
                Queued,
                Running,
                Downloading,
                SubmissionUncertain,
                NotSent,
            ],
            SubmissionUncertain => &[Submitting],
            // Only a job whose create request never left (`create_sent_at` empty, checked by the store).
            NotSent => &[Uploading],
        }
    }

    /// The name shown to the user inside a sentence ("This job is still running.").
    pub fn label(self) -> Message {
        Message::new(match self {
            Self::Uploading => "msg.status.uploading",
            Self::Submitting => "msg.status.submitting",
            Self::Queued => "msg.status.queued",
            Self::Running => "msg.status.running",
            Self::Downloading => "msg.status.downloading",
            Self::Done => "msg.status.done",
            Self::Failed => "msg.status.failed",
            Self::SubmissionUncertain => "msg.status.submission_uncertain",
            Self::NotSent => "msg.status.not_sent",
        })
    }
}

impl std::fmt::Display for JobStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `'a', 'b'` for an SQL `IN (…)` list. Only the fixed status words ever go in, never user input.
pub(crate) fn sql_list(statuses: &[JobStatus]) -> String {
    statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn words_round_trip_and_match_serde() {
        for s in JobStatus::ALL {
            assert_eq!(JobStatus::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::Value::String(s.as_str().into())
            );
        }
        assert_eq!(JobStatus::parse("Done"), None);
    }

    #[test]
    fn done_is_final_and_settled_jobs_never_resume_by_themselves() {
        for s in JobStatus::ALL {
            assert!(
                !s.predecessors().contains(&JobStatus::Done),
                "{s} after done"
            );
            assert_eq!(s.is_settled(), !JobStatus::UNSETTLED.contains(&s));
        }
        // Only submitting can become uncertain, and an uncertain job is never re-submitted automatically.
        assert_eq!(
            JobStatus::SubmissionUncertain.predecessors(),
            &[JobStatus::Submitting]
        );
        assert!(!JobStatus::Submitting
            .predecessors()
            .contains(&JobStatus::SubmissionUncertain));
    }

    #[test]
    fn a_not_sent_job_waits_for_the_user_and_never_follows_a_sent_create() {
        assert!(JobStatus::NotSent.is_settled());
        assert!(!JobStatus::UNSETTLED.contains(&JobStatus::NotSent));
        assert_eq!(JobStatus::NotSent.predecessors(), &[JobStatus::Uploading]);
        // Sending it starts at the upload; discarding it fails it. Nothing else may follow it.
        let followers: Vec<_> = JobStatus::ALL
            .into_iter()
            .filter(|s| s.predecessors().contains(&JobStatus::NotSent))
            .collect();
        assert_eq!(followers, [JobStatus::Uploading, JobStatus::Failed]);
    }

    #[test]
    fn sql_list_quotes_words() {
        assert_eq!(
            sql_list(&[JobStatus::Done, JobStatus::SubmissionUncertain]),
            "'done', 'submission_uncertain'"
        );
    }
}
