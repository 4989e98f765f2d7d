//! App-wide events for the UI (typed through tauri-specta) and desktop notifications for finished jobs.

use seedance_core::i18n::{render, Language, Message};
use seedance_core::jobs::JobEvents;
use seedance_core::pipeline::TransferStage;
use seedance_core::store::{BatchRecord, JobRecord, JobStatus};
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;
use tauri_specta::Event;

use crate::state::AppState;

/// A job was created or changed; the record is what the store now holds.
#[derive(Debug, Clone, serde::Serialize, specta::Type, Event)]
pub struct JobChanged(pub JobRecord);

/// A job's record was deleted.
#[derive(Debug, Clone, serde::Serialize, specta::Type, Event)]
pub struct JobRemoved {
    pub id: String,
}

/// Bytes moved by a job's current upload or download.
#[derive(Debug, Clone, serde::Serialize, specta::Type, Event)]
pub struct JobProgress {
    pub id: String,
    pub stage: TransferStage,
    pub done: f64,
    pub total: Option<f64>,
}

/// A batch was stored, or its state changed (paused, resumed, cancelled, finished). Its counts change
/// with its jobs, announced as [`JobChanged`].
#[derive(Debug, Clone, serde::Serialize, specta::Type, Event)]
pub struct BatchChanged(pub BatchRecord);

/// Forwards the job runner's events to the webview.
pub struct TauriJobEvents {
    pub app: AppHandle,
}

impl JobEvents for TauriJobEvents {
    fn job_changed(&self, job: &JobRecord) {
        if let Err(e) = JobChanged(job.clone()).emit(&self.app) {
            tracing::warn!("could not announce job {}: {e}", job.id);
        }
        if settles(job.status) {
            self.notify_if_unfocused(job);
        }
    }

    fn progress(&self, id: &str, stage: TransferStage, done: f64, total: Option<f64>) {
        let _ = JobProgress {
            id: id.to_owned(),
            stage,
            done,
            total,
        }
        .emit(&self.app);
    }

    fn job_removed(&self, id: &str) {
        let _ = JobRemoved { id: id.to_owned() }.emit(&self.app);
    }

    fn batch_changed(&self, batch: &BatchRecord) {
        if let Err(e) = BatchChanged(batch.clone()).emit(&self.app) {
            tracing::warn!("could not announce batch {}: {e}", batch.id);
        }
    }
}

impl TauriJobEvents {
    /// A desktop notification when a job settles while the user is looking elsewhere (and wants them).
    fn notify_if_unfocused(&self, job: &JobRecord) {
        let wants = self
            .app
            .try_state::<AppState>()
            .is_some_and(|s| s.prefs().notifications);
        let focused = self
            .app
            .get_webview_window("main")
            .and_then(|w| w.is_focused().ok())
            .unwrap_or(false);
        if !should_notify(job.status, wants, focused) {
            return;
        }
        let language = self
            .app
            .try_state::<AppState>()
            .map_or(Language::ENGLISH, |s| {
                Language::from_tag(s.prefs().language.tag())
            });
        let (title, body) = notification_text(job, language);
        if let Err(e) = self
            .app
            .notification()
            .builder()
            .title(title)
            .body(body)
            .show()
        {
            tracing::warn!("notification failed: {e}");
        }
    }
}

/// The statuses a user waits for: the job is over, or needs their decision.
fn settles(status: JobStatus) -> bool {
    matches!(
        status,
        JobStatus::Done | JobStatus::Failed | JobStatus::SubmissionUncertain
    )
}

/// Only when the user asked for notifications and is looking at another window: the app's own
/// window already shows the change.
fn should_notify(status: JobStatus, wants: bool, focused: bool) -> bool {
    settles(status) && wants && !focused
}

/// Title and body in the user's language, from the same catalogs the window uses.
fn notification_text(job: &JobRecord, language: Language) -> (String, String) {
    let title = match job.status {
        JobStatus::Done => "notify.done",
        JobStatus::Failed => "notify.failed",
        _ => "notify.uncertain",
    };
    let body = match &job.problem {
        Some(p) if job.status != JobStatus::Done => {
            cut(&render(&p.message, language), NOTIFICATION_BODY_CHARS)
        }
        _ => job.prompt.chars().take(80).collect(),
    };
    (render(&Message::new(title), language), body)
}

/// Desktop notifications show a few lines; the full message stays in the job list.
const NOTIFICATION_BODY_CHARS: usize = 240;

fn cut(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn only_settled_jobs_notify_and_only_when_wanted_and_away() {
        for status in JobStatus::ALL {
            let settled = matches!(
                status,
                JobStatus::Done | JobStatus::Failed | JobStatus::SubmissionUncertain
            );
            assert_eq!(should_notify(status, true, false), settled, "{status:?}");
            assert!(
                !should_notify(status, true, true),
                "{status:?} while focused"
            );
            assert!(!should_notify(status, false, false), "{status:?} when off");
        }
    }

    /// A job of "a cat" that failed with `message`, as the job list and notifications read it.
    fn failed_job(message: &Message) -> JobRecord {
        let store = seedance_core::store::Store::open_in_memory().unwrap();
        let job = store
            .insert_job(seedance_core::store::NewJob {
                request: seedance_core::request::RequestDraft {
                    prompt: "a cat".into(),
                    ..Default::default()
                },
                ..Default::default()
            })
            .unwrap();
        store.set_failed(&job.id, "task_failed", message).unwrap();
        store.get_job(&job.id).unwrap()
    }

    /// The server's failure text reaches notifications inside the job's message: the body stays short
    /// whatever the server sent.
    #[test]
    fn notification_bodies_are_cut_to_a_few_lines() {
        let long = "x".repeat(50_000);
        let failed = failed_job(&Message::verbatim(long.clone(), long));
        for language in Language::all() {
            let (_, body) = notification_text(&failed, language);
            assert_eq!(body.chars().count(), NOTIFICATION_BODY_CHARS + 1);
            assert!(body.ends_with('…'));
        }
        assert_eq!(cut("short", 10), "short");
    }

    #[test]
    fn notifications_speak_the_users_language_from_the_windows_catalogs() {
        let failed = failed_job(&Message::verbatim("It broke.", "坏了。"));
        assert_eq!(
            notification_text(&failed, Language::ENGLISH),
            ("Generation failed".into(), "It broke.".into())
        );
        assert_eq!(
            notification_text(&failed, Language::from_tag("zh-CN")),
            ("生成失败".into(), "坏了。".into())
        );
    }
}
