//! End-to-end tests cannot press native dialogs. A build with the `test-hooks` cargo feature (what `./dev e2e`
//! builds), started with `SEEDANCE_TEST_HOOKS=1`, lets WebDriver say what the next dialog the backend opens
//! answers. Without the feature none of the stand-in is in the binary: the variable is ignored and
//! `answer_next_file_dialog` refuses, so a build users run never skips a dialog (an export would otherwise
//! replace any `*.json` file the page names, without asking).

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};

use crate::error::{IpcResult, ShellError};

/// The variable that turns the stand-in on, in a `test-hooks` build only.
pub const TEST_HOOKS_ENV: &str = "SEEDANCE_TEST_HOOKS";

/// True only in a `test-hooks` build started with `SEEDANCE_TEST_HOOKS=1`.
pub fn enabled() -> bool {
    cfg!(feature = "test-hooks") && std::env::var(TEST_HOOKS_ENV).is_ok_and(|v| v == "1")
}

/// At start: puts the stand-in in place when [`enabled`]; otherwise notes a variable this build ignores.
pub fn install<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(feature = "test-hooks")]
    if enabled() {
        use tauri::Manager;
        tracing::warn!(
            "{TEST_HOOKS_ENV}=1: file and folder dialogs are answered by the test stand-in"
        );
        app.manage(stand_in::DialogStandIn::default());
        return;
    }
    let _ = app;
    if std::env::var_os(TEST_HOOKS_ENV).is_some() {
        tracing::warn!("{TEST_HOOKS_ENV} is ignored: this build has no test hooks");
    }
}

/// With the stand-in in place, what it answers for the dialog about to open (`Some(None)` = cancelled);
/// `None` when the real dialog must open.
pub fn dialog_answer<R: Runtime>(app: &AppHandle<R>) -> Option<Option<PathBuf>> {
    #[cfg(feature = "test-hooks")]
    {
        use tauri::Manager;
        if let Some(stand_in) = app.try_state::<stand_in::DialogStandIn>() {
            return Some(stand_in.next());
        }
    }
    let _ = app;
    None
}

/// Queues the stand-in's answer for the next dialog (`None` = cancel); refused without the stand-in.
pub fn push_dialog_answer<R: Runtime>(
    app: &AppHandle<R>,
    answer: Option<PathBuf>,
) -> IpcResult<()> {
    #[cfg(feature = "test-hooks")]
    {
        use tauri::Manager;
        if let Some(stand_in) = app.try_state::<stand_in::DialogStandIn>() {
            stand_in.push(answer);
            return Ok(());
        }
    }
    let _ = (app, answer);
    Err(ShellError::TestHooksOff.into())
}

#[cfg(feature = "test-hooks")]
mod stand_in {
    use std::collections::VecDeque;
    use std::path::PathBuf;
    use std::sync::Mutex;

    /// The queued answers; an empty queue answers like a cancelled dialog.
    #[derive(Default)]
    pub struct DialogStandIn(Mutex<VecDeque<Option<PathBuf>>>);

    impl DialogStandIn {
        pub fn push(&self, answer: Option<PathBuf>) {
            if let Ok(mut queue) = self.0.lock() {
                queue.push_back(answer);
            }
        }

        pub fn next(&self) -> Option<PathBuf> {
            self.0.lock().ok().and_then(|mut q| q.pop_front()).flatten()
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_stand_in_answers_in_order_then_cancels() {
            let stand_in = DialogStandIn::default();
            stand_in.push(Some(PathBuf::from("/a.json")));
            stand_in.push(None);
            assert_eq!(stand_in.next(), Some(PathBuf::from("/a.json")));
            assert_eq!(stand_in.next(), None);
            assert_eq!(stand_in.next(), None);
        }
    }
}

#[cfg(all(test, not(feature = "test-hooks")))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// What a user's build does when something starts it with `SEEDANCE_TEST_HOOKS=1`: nothing.
    #[test]
    fn a_build_without_the_feature_refuses_the_stand_in() {
        std::env::set_var(TEST_HOOKS_ENV, "1");
        let app = tauri::test::mock_app();
        install(app.handle());
        assert!(!enabled(), "the variable alone turns nothing on");
        let refused = push_dialog_answer(app.handle(), Some(PathBuf::from("/tmp/mine.json")));
        assert_eq!(
            refused.map_err(|e| e.kind),
            Err("test_hooks_off".to_owned())
        );
        assert_eq!(dialog_answer(app.handle()), None, "the real dialog opens");
    }
}
