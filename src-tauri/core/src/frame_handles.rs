//! Frames the webview may name. A frame file reaches the form only from places the backend controls (its
//! own file picker, a drop the window reported, a pasted image it saved, a copy it fixed or cropped, a
//! preset or job it stored), and each time the backend hands the webview an opaque, unguessable handle
//! for that file instead of its path. Every command that reads a frame takes the handle back and looks
//! it up here, so a page that names an arbitrary path (`/home/me/.ssh/id_rsa`, `\\server\share\x.png`)
//! gets a refusal before any file system call: it learns neither the picture nor whether the file exists.
//!
//! Handles live as long as the process; a restarted app re-issues them for the paths it stored itself.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rand::RngCore;

use crate::drop::DropPlan;
use crate::i18n::{Message, UserFacing};
use crate::request::RequestDraft;

/// What every handle starts with, so a log line or an error shows at a glance what kind of id it is.
const PREFIX: &str = "frame-";

/// The webview named a frame the backend never handed out (or a handle from an earlier run).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown frame handle")]
pub struct UnknownFrame;

impl UserFacing for UnknownFrame {
    fn kind(&self) -> &'static str {
        "unknown_frame"
    }

    fn msg(&self) -> Message {
        Message::new("msg.frame.unknown_handle")
    }
}

/// The registry of handles handed out in this run: handle → file, and file → handle so one file keeps
/// one handle however often it is offered.
#[derive(Debug, Default)]
pub struct FrameHandles {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    paths: HashMap<String, PathBuf>,
    handles: HashMap<PathBuf, String>,
    /// The files of the window's latest drop, as the OS reported them (the page gets the same list).
    last_drop: HashMap<String, String>,
}

impl FrameHandles {
    pub fn new() -> Self {
        Self::default()
    }

    /// The handle for `path` (a file the backend itself chose, received or wrote), issuing one if needed.
    /// The path is kept in canonical form when it resolves, so two spellings of one file share a handle.
    pub fn issue(&self, path: &Path) -> String {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut inner = self.lock();
        if let Some(handle) = inner.handles.get(&path) {
            return handle.clone();
        }
        let handle = new_handle();
        inner.paths.insert(handle.clone(), path.clone());
        inner.handles.insert(path, handle.clone());
        handle
    }

    /// The file behind a handle this registry issued; anything else is refused.
    pub fn resolve(&self, handle: &str) -> Result<PathBuf, UnknownFrame> {
        self.lock().paths.get(handle).cloned().ok_or(UnknownFrame)
    }

    /// A draft from the webview with its frame handles replaced by the files they stand for. No frame
    /// (`None` or blank) stays no frame; a web address (a frame the service fetches itself, no local
    /// file) stays as it is.
    pub fn resolve_draft(&self, draft: &RequestDraft) -> Result<RequestDraft, UnknownFrame> {
        let resolve = |slot: &Option<String>| -> Result<Option<String>, UnknownFrame> {
            match slot.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(url) if is_web_address(url) => Ok(Some(url.to_owned())),
                Some(handle) => Ok(Some(self.resolve(handle)?.to_string_lossy().into_owned())),
            }
        };
        Ok(RequestDraft {
            first_frame: resolve(&draft.first_frame)?,
            last_frame: resolve(&draft.last_frame)?,
            ..draft.clone()
        })
    }

    /// A draft the backend stored (a preset, a job, the last request), with its frame paths replaced by
    /// handles, for the webview.
    pub fn draft_for_webview(&self, draft: &RequestDraft) -> RequestDraft {
        let issue = |slot: &Option<String>| match slot.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(url) if is_web_address(url) => Some(url.to_owned()),
            Some(path) => Some(self.issue(Path::new(path))),
        };
        RequestDraft {
            first_frame: issue(&draft.first_frame),
            last_frame: issue(&draft.last_frame),
            ..draft.clone()
        }
    }

    /// Called with the files of a drop the window (not the page) reported: they may now be planned.
    pub fn record_drop(&self, paths: &[PathBuf]) {
        let dropped: HashMap<String, String> = paths
            .iter()
            .map(|p| (p.to_string_lossy().into_owned(), self.issue(p)))
            .collect();
        self.lock().last_drop = dropped;
    }

    /// `plan` with each file replaced by its handle. A file that was not in the window's latest drop is
    /// refused: the page cannot turn a path it names into a handle by calling it dropped.
    pub fn drop_plan_with_handles(&self, plan: DropPlan) -> Result<DropPlan, UnknownFrame> {
        let inner = self.lock();
        let assignments = plan
            .assignments
            .into_iter()
            .map(|(slot, path)| {
                let handle = inner.last_drop.get(&path).ok_or(UnknownFrame)?;
                Ok((slot, handle.clone()))
            })
            .collect::<Result<_, UnknownFrame>>()?;
        Ok(DropPlan {
            assignments,
            ignored: plan.ignored,
        })
    }

    /// The files of the window's latest drop that `paths` names, in that order. A file that was not in
    /// that drop is refused, as in [`Self::drop_plan_with_handles`].
    pub fn dropped_paths(&self, paths: &[String]) -> Result<Vec<PathBuf>, UnknownFrame> {
        let inner = self.lock();
        paths
            .iter()
            .map(|p| {
                inner
                    .last_drop
                    .contains_key(p)
                    .then(|| PathBuf::from(p))
                    .ok_or(UnknownFrame)
            })
            .collect()
    }

    /// A poisoned lock only means a panic elsewhere between two map inserts; the maps are still usable.
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(inner) => inner,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// A frame given as a web address is not a file on this machine (the job sends it as it is).
fn is_web_address(frame: &str) -> bool {
    frame.starts_with("https://") || frame.starts_with("http://")
}

/// 128 random bits from the OS's generator, in hex: not guessable, not derived from the path.
fn new_handle() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{PREFIX}{}", hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_handle_resolves_to_the_file_it_was_issued_for_and_nothing_else_resolves() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.png");
        std::fs::write(&file, b"x").unwrap();
        let handles = FrameHandles::new();
        let handle = handles.issue(&file);
        assert!(handle.starts_with(PREFIX) && handle.len() == PREFIX.len() + 32);
        assert!(
            !handle.contains("a.png"),
            "the handle says nothing of the path"
        );
        assert_eq!(
            handles.resolve(&handle).unwrap(),
            std::fs::canonicalize(&file).unwrap()
        );
        assert_eq!(handles.issue(&file), handle, "one file, one handle");
        assert_eq!(handles.resolve(&file.to_string_lossy()), Err(UnknownFrame));
        assert_eq!(
            handles.resolve("frame-00000000000000000000000000000000"),
            Err(UnknownFrame)
        );
        assert_eq!(FrameHandles::new().resolve(&handle), Err(UnknownFrame));
    }

    #[test]
    fn only_files_the_window_reported_dropped_get_a_handle() {
        use crate::request::FrameSlot;
        let handles = FrameHandles::new();
        handles.record_drop(&[PathBuf::from("/photos/a.png")]);
        let plan = |path: &str| DropPlan {
            assignments: vec![(FrameSlot::First, path.to_owned())],
            ignored: vec![],
        };
        let planned = handles
            .drop_plan_with_handles(plan("/photos/a.png"))
            .unwrap();
        let (slot, handle) = &planned.assignments[0];
        assert_eq!(*slot, FrameSlot::First);
        assert_eq!(
            handles.resolve(handle).unwrap(),
            PathBuf::from("/photos/a.png")
        );
        assert_eq!(
            handles.drop_plan_with_handles(plan("/home/me/.ssh/id_rsa")),
            Err(UnknownFrame)
        );
        handles.record_drop(&[PathBuf::from("/photos/b.png")]);
        assert_eq!(
            handles.drop_plan_with_handles(plan("/photos/a.png")),
            Err(UnknownFrame),
            "only the latest drop counts"
        );
    }

    #[test]
    fn drafts_cross_as_handles_and_come_back_as_paths() {
        let handles = FrameHandles::new();
        let stored = RequestDraft {
            first_frame: Some("/stored/first.png".into()),
            last_frame: Some("  ".into()),
            ..RequestDraft::default()
        };
        let shown = handles.draft_for_webview(&stored);
        assert!(shown.first_frame.as_deref().unwrap().starts_with(PREFIX));
        assert_eq!(shown.last_frame, None);
        let back = handles.resolve_draft(&shown).unwrap();
        assert_eq!(back.first_frame.as_deref(), Some("/stored/first.png"));
        assert_eq!(back.last_frame, None);

        let named = RequestDraft {
            first_frame: Some("/etc/passwd".into()),
            ..RequestDraft::default()
        };
        assert_eq!(handles.resolve_draft(&named), Err(UnknownFrame));
    }
}
