//! The typed shapes of batches in the store: what goes in, what comes out, and why a batch write was
//! refused.

use serde::Serialize;

use super::NewJob;
use crate::i18n::Message;

/// Kind of the problem of a job whose batch was cancelled before its create request was sent.
pub const BATCH_CANCELLED: &str = "batch_cancelled";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum BatchState {
    /// Its waiting jobs are sent as turns free up.
    Running,
    /// Nothing more is sent; jobs whose create was sent keep going and download.
    Paused,
    /// Its jobs that were never sent were failed; the ones sent before go on.
    Cancelled,
    /// Nothing left to send or wait for.
    Finished,
}

impl BatchState {
    pub const ALL: [Self; 4] = [Self::Running, Self::Paused, Self::Cancelled, Self::Finished];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Paused => "paused",
            Self::Cancelled => "cancelled",
            Self::Finished => "finished",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// The name shown inside a sentence ("This batch is paused.").
    pub fn label(self) -> Message {
        Message::new(match self {
            Self::Running => "msg.batch_run.state.running",
            Self::Paused => "msg.batch_run.state.paused",
            Self::Cancelled => "msg.batch_run.state.cancelled",
            Self::Finished => "msg.batch_run.state.finished",
        })
    }
}

/// A batch as it is stored, before its jobs.
#[derive(Clone, Debug, PartialEq)]
pub struct NewBatch {
    pub name: String,
    /// Where its items came from, as the review showed it (a folder, a file, "the form × 4"): a catalog
    /// message as JSON, so each language renders it (plain text from before is shown as it is).
    pub source: String,
    pub tokens_min: u64,
    pub tokens_max: u64,
    /// The plan's total as the confirmation stated it.
    pub total_json: String,
    pub demo: bool,
    /// See [`Store::insert_batch`].
    pub fingerprint: String,
}

/// One job of a new batch: the job, its own fingerprint (as a single submission's), its place, and its
/// item's own output name (rendered), if the source gave one.
#[derive(Clone, Debug, PartialEq)]
pub struct NewBatchJob {
    pub job: NewJob,
    pub fingerprint: String,
    pub item: u32,
    pub take: u32,
    pub output: Option<String>,
}

/// How many of a batch's jobs are where.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct BatchCounts {
    /// Waiting for their turn (or for the batch to be resumed): nothing sent yet.
    pub queued: u32,
    /// Being uploaded, sent, made at the service or downloaded.
    pub running: u32,
    pub done: u32,
    pub failed: u32,
    /// Their create request may or may not have reached the service.
    pub uncertain: u32,
    /// Never sent because the batch was cancelled.
    pub not_sent: u32,
}

impl BatchCounts {
    pub fn total(&self) -> u32 {
        self.queued + self.running + self.done + self.failed + self.uncertain + self.not_sent
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
pub struct BatchRecord {
    pub id: String,
    pub name: String,
    #[specta(type = f64)]
    pub created_at: i64,
    /// Where its items came from, in the reader's language.
    pub source: Message,
    pub state: BatchState,
    #[specta(type = f64)]
    pub tokens_min: u64,
    #[specta(type = f64)]
    pub tokens_max: u64,
    pub demo: bool,
    pub counts: BatchCounts,
    /// Why the app paused the batch on its own (see [`crate::jobs::ResumePolicy`]); `None` when the user
    /// paused it or it is not paused.
    pub paused_reason: Option<Message>,
    /// What the running batch waits for before it sends more (a token, live mode…); kept by the runner,
    /// not the database.
    pub waiting: Option<Message>,
}

/// What [`Store::insert_batch`] did.
#[derive(Clone, Debug, PartialEq)]
pub enum BatchInserted {
    New(BatchRecord),
    /// Nothing was stored: a batch with the same fingerprint was stored within the window.
    Duplicate(BatchRecord),
}

/// A batch write refused because of the batch's state (or because there is no such batch).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchRefusal {
    NotFound,
    State(BatchState),
}

/// What cancelling did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cancelled {
    /// The jobs failed because they were never sent.
    pub jobs: Vec<String>,
    /// Jobs whose create was sent and whose task is still being made or downloaded: they go on.
    pub still_running: u32,
}
