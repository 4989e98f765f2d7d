#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;

use super::*;
use crate::prefs::Theme;
use crate::request::RequestDraft;

fn draft() -> RequestDraft {
    RequestDraft {
        prompt: "a fox in the snow".into(),
        ..RequestDraft::default()
    }
}

/// A submit remembering its form and a Settings save at the same moment: the submit's change has read
/// the preferences and not yet written them when the save starts. Unlocked, the save would read the old
/// preferences, and whichever wrote last would drop the other's change. The wait inside the first change
/// is bounded: with the lock the second change cannot start before the first is done, so it never
/// signals, and the first goes on after the timeout.
#[test]
fn two_changes_at_the_same_moment_both_survive() {
    let dir = tempfile::tempdir().unwrap();
    let (handle, warning) = PrefsHandle::load(PrefsStore::in_dir(dir.path()));
    assert_eq!(warning, None);
    let handle = Arc::new(handle);
    let (inside_tx, inside_rx) = mpsc::channel();
    let (read_tx, read_rx) = mpsc::channel::<()>();

    let remember = {
        let handle = handle.clone();
        thread::spawn(move || {
            handle.update(|prefs| {
                prefs.last_request = Some(draft());
                inside_tx.send(()).unwrap();
                let _ = read_rx.recv_timeout(Duration::from_millis(300));
                Ok::<_, PrefsError>(())
            })
        })
    };
    inside_rx.recv().unwrap();
    let save = {
        let handle = handle.clone();
        thread::spawn(move || {
            handle.update(|prefs| {
                let _ = read_tx.send(());
                prefs.theme = Theme::Dark;
                Ok::<_, PrefsError>(())
            })
        })
    };
    remember.join().unwrap().unwrap();
    save.join().unwrap().unwrap();

    let now = handle.snapshot();
    assert_eq!(now.theme, Theme::Dark, "the Settings save was kept");
    assert_eq!(
        now.last_request,
        Some(draft()),
        "the remembered form was kept"
    );
    let on_disk = PrefsStore::in_dir(dir.path()).load().prefs;
    assert_eq!(on_disk, now, "the file holds what memory holds");
}

#[test]
fn a_change_that_cannot_be_saved_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // The preferences file's folder is a file: nothing can be written there.
    let not_a_folder = dir.path().join("not-a-folder");
    std::fs::write(&not_a_folder, b"").unwrap();
    let (handle, _) = PrefsHandle::load(PrefsStore::in_dir(&not_a_folder));
    let before = handle.snapshot();
    let refused = handle.update(|prefs| {
        prefs.theme = Theme::Dark;
        Ok::<_, PrefsError>(())
    });
    assert!(
        matches!(refused, Err(PrefsError::SaveFailed { .. })),
        "{refused:?}"
    );
    assert_eq!(handle.snapshot(), before);
}

#[test]
fn a_refused_change_is_neither_saved_nor_swapped_in() {
    let dir = tempfile::tempdir().unwrap();
    let (handle, _) = PrefsHandle::load(PrefsStore::in_dir(dir.path()));
    let refused = handle.update(|prefs| {
        prefs.theme = Theme::Dark;
        Err(PrefsError::ConcurrencyOutOfRange { value: 99 })
    });
    assert!(refused.is_err());
    assert_eq!(handle.snapshot(), Preferences::default());
    assert!(!handle.store().path().exists(), "nothing was written");

    // Invalid preferences are refused by the save itself.
    let invalid = handle.update(|prefs| {
        prefs.max_concurrent_jobs = 0;
        Ok::<_, PrefsError>(())
    });
    assert!(
        matches!(invalid, Err(PrefsError::Invalid { .. })),
        "{invalid:?}"
    );
    assert_eq!(handle.snapshot(), Preferences::default());
}

#[test]
fn an_update_is_current_at_once_and_on_disk_for_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let (handle, _) = PrefsHandle::load(PrefsStore::in_dir(dir.path()));
    let saved = handle
        .update(|prefs| {
            prefs.notifications = false;
            Ok::<_, PrefsError>(())
        })
        .unwrap();
    assert!(!saved.notifications);
    assert_eq!(handle.snapshot(), saved);
    let (next_start, warning) = PrefsHandle::load(PrefsStore::in_dir(dir.path()));
    assert_eq!(warning, None);
    assert_eq!(next_start.snapshot(), saved);
}
