//! Updates: the backend alone asks the release server for a newer version, downloads it, checks its
//! signature against the project's public key (`plugins.updater` in `tauri.conf.json`), installs it and
//! relaunches. The page has no updater package of its own: it sees only our commands ([`commands`]).
//!
//! - On start, unless the user turned it off, one check runs; if it fails (no network, the server down, a
//!   bad answer) it is only logged: a start-up never shows an error the user did not ask for. "Check now"
//!   shows every error.
//! - Installing ends the process, so it never starts while a job of this process uploads a frame or
//!   waits for its paid create request's answer, and from the moment it starts no new upload or create
//!   begins ([`seedance_core::jobs::JobRunner::hold_sending`]); the hold lasts until the relaunch, or ends
//!   if the install fails. Polls and downloads go on: jobs resume from their stored task after the relaunch.
//! - A copy not installed from one of our packages (a build from source) is never "updated": the plugin
//!   would replace the running binary with whatever the manifest names for the platform.

pub mod commands;
mod error;
#[cfg(test)]
mod tests;

use std::sync::Mutex;
use std::time::Duration;

use seedance_core::jobs::{JobRunner, SendHold, SendingNow};
use tauri::utils::config::BundleType;
use tauri_plugin_updater::{Update, Updater, UpdaterExt};

pub use error::{Step, UpdateError};

/// A check or download that hears nothing for this long gives up (the plugin has no bound of its own).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A newer version the release server offers, as the page shows it. The notes are the server's text:
/// the page shows them as plain text, never as HTML.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct UpdateOffer {
    pub version: String,
    pub current_version: String,
    pub notes: Option<String>,
    /// RFC 3339, when the manifest gives one.
    pub date: Option<String>,
}

/// What the Updates section shows.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct UpdateStatus {
    pub offer: Option<UpdateOffer>,
    /// Jobs of this process uploading or creating now: while any is, "Download and install" waits.
    pub sending: SendingNow,
    /// Downloading or installing now.
    pub installing: bool,
    /// Installed: the new version starts with the relaunch.
    pub installed: bool,
}

/// The update on offer and the install's progress, for the whole run of the app.
#[derive(Default)]
pub struct Updates {
    offer: Mutex<Option<Update>>,
    phase: Mutex<Phase>,
}

#[derive(Default)]
enum Phase {
    #[default]
    Idle,
    Installing,
    /// Installed; sending stays held until the process ends.
    Installed(#[allow(dead_code)] SendHold),
}

impl Updates {
    fn offer(&self) -> std::sync::MutexGuard<'_, Option<Update>> {
        self.offer.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn phase(&self) -> std::sync::MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn status(&self, runner: &JobRunner) -> UpdateStatus {
        let phase = self.phase();
        UpdateStatus {
            offer: self.offer().as_ref().map(offer_of),
            sending: runner.sending_now(),
            installing: matches!(*phase, Phase::Installing),
            installed: matches!(*phase, Phase::Installed(_)),
        }
    }

    /// "Check now": asks the server and keeps what it offers; every failure is returned to be shown.
    pub async fn check_now(&self, updater: &Updater) -> Result<Option<UpdateOffer>, UpdateError> {
        let found = check(updater).await?;
        let offer = found.as_ref().map(offer_of);
        *self.offer() = found;
        Ok(offer)
    }

    /// The check on start: like [`Updates::check_now`], but a failure is only logged, never shown.
    pub async fn check_quietly(
        &self,
        updater: Result<Updater, UpdateError>,
    ) -> Option<UpdateOffer> {
        let checked = match updater {
            Ok(updater) => self.check_now(&updater).await,
            Err(e) => Err(e),
        };
        match checked {
            Ok(Some(offer)) => {
                tracing::info!(version = %offer.version, "an update is available");
                Some(offer)
            }
            Ok(None) => {
                tracing::info!("no update available");
                None
            }
            Err(e) => {
                tracing::warn!("update check on start failed (not shown): {e}");
                None
            }
        }
    }

    /// Downloads the update on offer, verifies it and installs it (see the module doc for when it
    /// refuses). `bundle` is how this copy was installed ([`tauri::utils::platform::bundle_type`]).
    /// On success sending stays held until the process ends: the caller relaunches.
    pub async fn install(
        &self,
        runner: &JobRunner,
        bundle: Option<BundleType>,
        progress: impl FnMut(u64, Option<u64>) + Send,
    ) -> Result<(), UpdateError> {
        let update = self.offer().clone().ok_or(UpdateError::NoOffer)?;
        {
            let mut phase = self.phase();
            if !matches!(*phase, Phase::Idle) {
                return Err(UpdateError::AlreadyInstalling);
            }
            *phase = Phase::Installing;
        }
        let (phase, result) = match install_with(runner, &update, bundle, progress).await {
            Ok(hold) => (Phase::Installed(hold), Ok(())),
            Err(e) => {
                tracing::warn!("update not installed: {e}");
                (Phase::Idle, Err(e))
            }
        };
        *self.phase() = phase;
        result
    }
}

/// The updater as configured (`plugins.updater`): the project's key and release server.
pub fn configured<R: tauri::Runtime>(app: &tauri::AppHandle<R>) -> Result<Updater, UpdateError> {
    let builder = app.updater_builder().timeout(REQUEST_TIMEOUT);
    test_source(builder)
        .and_then(|b| b.build())
        .map_err(|e| UpdateError::from_plugin(Step::Check, e))
}

/// A `test-hooks` build (end-to-end tests; never a user's) never asks the real release server: started with
/// `SEEDANCE_TEST_HOOKS=1` it asks the one `SEEDANCE_TEST_UPDATE_ENDPOINT` names, trusting the key in
/// `SEEDANCE_TEST_UPDATE_PUBKEY` (a loopback server and the test key); otherwise none at all. In every other
/// build the configured server and key are the only ones.
fn test_source(
    builder: tauri_plugin_updater::UpdaterBuilder,
) -> tauri_plugin_updater::Result<tauri_plugin_updater::UpdaterBuilder> {
    #[cfg(feature = "test-hooks")]
    {
        if let (true, Ok(endpoint), Ok(pubkey)) = (
            crate::test_hooks::enabled(),
            std::env::var("SEEDANCE_TEST_UPDATE_ENDPOINT"),
            std::env::var("SEEDANCE_TEST_UPDATE_PUBKEY"),
        ) {
            tracing::warn!("updates come from the test server {endpoint}");
            return builder.pubkey(pubkey).endpoints(vec![endpoint.parse()?]);
        }
        return builder.endpoints(Vec::new());
    }
    #[allow(unreachable_code)]
    Ok(builder)
}

/// Asks the release server; `None` when it offers nothing newer (an older or equal version, or 204).
pub async fn check(updater: &Updater) -> Result<Option<Update>, UpdateError> {
    updater
        .check()
        .await
        .map_err(|e| UpdateError::from_plugin(Step::Check, e))
}

pub fn offer_of(update: &Update) -> UpdateOffer {
    UpdateOffer {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        notes: update.body.clone().filter(|n| !n.trim().is_empty()),
        // As the manifest wrote it (the plugin checked it is RFC 3339).
        date: update
            .raw_json
            .get("pub_date")
            .and_then(|d| d.as_str())
            .map(str::to_owned),
    }
}

/// Downloads the update and checks its signature; the bytes only when it verifies. `progress` gets the
/// bytes so far and the total when the server said it.
pub async fn download(
    update: &Update,
    mut progress: impl FnMut(u64, Option<u64>) + Send,
) -> Result<Vec<u8>, UpdateError> {
    let mut done: u64 = 0;
    update
        .download(
            |chunk, total| {
                done += chunk as u64;
                progress(done, total);
            },
            || {},
        )
        .await
        .map_err(|e| UpdateError::from_plugin(Step::Download, e))
}

/// Whether a copy installed as `bundle` can install an update of itself.
pub fn installable(bundle: Option<BundleType>) -> Result<(), UpdateError> {
    match bundle {
        // The updater replaces an AppImage in place, and installs a `.deb` or `.rpm` with the system's
        // package tool (`pkexec dpkg -i` / `rpm -U`, asking for the password).
        Some(BundleType::AppImage | BundleType::Deb | BundleType::Rpm)
            if cfg!(target_os = "linux") =>
        {
            Ok(())
        }
        Some(BundleType::App | BundleType::Dmg) if cfg!(target_os = "macos") => Ok(()),
        Some(BundleType::Msi | BundleType::Nsis) if cfg!(windows) => Ok(()),
        _ => Err(UpdateError::NotInstallable),
    }
}

/// The install: hold sending (refused while a job uploads or creates), check this copy can be updated,
/// download and verify, install. The hold is returned on success and dropped on any failure.
pub async fn install_with(
    runner: &JobRunner,
    update: &Update,
    bundle: Option<BundleType>,
    progress: impl FnMut(u64, Option<u64>) + Send,
) -> Result<SendHold, UpdateError> {
    let hold = runner.hold_sending().map_err(UpdateError::Busy)?;
    installable(bundle)?;
    let bytes = download(update, progress).await?;
    let update = update.clone();
    // A package install waits for the system's password prompt: off the async threads.
    tokio::task::spawn_blocking(move || update.install(bytes))
        .await
        .map_err(|e| UpdateError::InstallFailed(e.to_string()))?
        .map_err(|e| UpdateError::from_plugin(Step::Install, e))?;
    tracing::info!("update installed; it starts with the relaunch");
    Ok(hold)
}
