//! The app's one copy of the preferences in memory, kept equal to the file on disk.
//!
//! Several places change preferences while the app runs: the Settings screen saves the whole form, the
//! folder picker sets the output folder, and every submit remembers the form it sent. Each change is made
//! on a copy of the current preferences, written to disk, and only then swapped in, all under one lock:
//! two changes at the same moment are applied one after the other, so neither is lost (a submit's
//! remembered form survives a Settings save made while it was being written, and the reverse). A change
//! that cannot be written is not swapped in either, so memory never claims what the file does not hold.
//!
//! Reads take the same lock, so a read during a save waits for that one small file write.

use std::sync::{Mutex, MutexGuard};

use super::{LoadOutcome, Preferences, PrefsError, PrefsStore, PrefsWarning};

pub struct PrefsHandle {
    store: PrefsStore,
    current: Mutex<Preferences>,
}

impl PrefsHandle {
    /// Loads the file (never fails, see [`PrefsStore::load`]); the warning says the file was damaged and
    /// set aside, for the UI to show once.
    pub fn load(store: PrefsStore) -> (Self, Option<PrefsWarning>) {
        let LoadOutcome { prefs, warning } = store.load();
        let handle = Self {
            store,
            current: Mutex::new(prefs),
        };
        (handle, warning)
    }

    /// The preferences as last saved.
    pub fn snapshot(&self) -> Preferences {
        self.lock().clone()
    }

    /// Applies `change` to a copy of the current preferences, saves the copy durably (see
    /// [`PrefsStore::save`]) and makes it current; returns it. When `change` refuses or the save fails,
    /// nothing changes, in memory or on disk. Blocks for the file write: call it off the async threads.
    pub fn update<E: From<PrefsError>>(
        &self,
        change: impl FnOnce(&mut Preferences) -> Result<(), E>,
    ) -> Result<Preferences, E> {
        let mut current = self.lock();
        let mut next = current.clone();
        change(&mut next)?;
        self.store.save(&next)?;
        *current = next.clone();
        Ok(next)
    }

    pub fn store(&self) -> &PrefsStore {
        &self.store
    }

    /// A panic elsewhere while holding the lock cannot leave a half-written value (the swap is one
    /// assignment), so a poisoned lock still holds usable preferences.
    fn lock(&self) -> MutexGuard<'_, Preferences> {
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
#[path = "handle_tests.rs"]
mod tests;
