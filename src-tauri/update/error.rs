//! What can go wrong with an update, in the user's words: each error says what happened and what to do.
//! The updater plugin's own errors are sorted here by the step they came from (checking, downloading and
//! verifying, installing), because the same transport error means "the server is out of reach" while
//! checking and "the download broke off" while downloading.

use seedance_core::i18n::{Message, UserFacing};
use seedance_core::jobs::SendingNow;
use tauri_plugin_updater::Error as PluginError;

/// The website where every release can be downloaded by hand.
pub const RELEASES_PAGE: &str =
    "https://github.com/seedance-studio/seedance-studio/releases/latest";

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// No network, a name that does not resolve, a refused connection, a timeout, or an error status.
    #[error("the update server could not be reached: {0}")]
    Unreachable(String),
    /// The server answered with something that is not an update manifest for this platform.
    #[error("the update server's answer could not be read: {0}")]
    BadAnswer(String),
    /// The download broke off or the server refused it; nothing was installed.
    #[error("the update's download failed: {0}")]
    DownloadFailed(String),
    /// The downloaded file is not signed by the project's key (tampered, or signed by another key).
    #[error("the update's signature does not verify: {0}")]
    BadSignature(String),
    /// Downloaded and verified, but the system did not let it be installed (a package manager refused, a
    /// password prompt was cancelled, the file does not fit how this copy was installed).
    #[error("the update could not be installed: {0}")]
    InstallFailed(String),
    /// This copy was not installed from one of our packages (a build from source): it cannot replace itself.
    #[error("this copy of the app was not installed from a package")]
    NotInstallable,
    /// An upload or a paid create request is out: installing now would cut it off.
    #[error("{} uploads and {} create requests are in flight", .0.uploading, .0.creating)]
    Busy(SendingNow),
    /// "Download and install" without an update on offer (the offer was dropped by a newer check).
    #[error("no update is on offer")]
    NoOffer,
    /// An install is already under way, or done and waiting for the relaunch.
    #[error("an update is already being installed")]
    AlreadyInstalling,
}

/// Which step an error of the plugin came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Check,
    Download,
    Install,
}

impl UpdateError {
    /// Sorts one of the plugin's errors by what it means for the user at `step`.
    pub fn from_plugin(step: Step, e: PluginError) -> Self {
        let cause = e.to_string();
        match e {
            PluginError::Minisign(_)
            | PluginError::Base64(_)
            | PluginError::SignatureUtf8(_)
            | PluginError::SignedVersionMismatch { .. }
            | PluginError::MissingSignedVersion => Self::BadSignature(cause),
            // A body that is not the JSON it should be.
            PluginError::Reqwest(ref r) if r.is_decode() && step == Step::Check => {
                Self::BadAnswer(cause)
            }
            PluginError::Reqwest(_) | PluginError::Network(_) => match step {
                Step::Check => Self::Unreachable(cause),
                _ => Self::DownloadFailed(cause),
            },
            // The check saw an error status from every endpoint.
            PluginError::ReleaseNotFound => Self::Unreachable(cause),
            PluginError::Serialization(_)
            | PluginError::Semver(_)
            | PluginError::UrlParse(_)
            | PluginError::TargetNotFound(_)
            | PluginError::TargetsNotFound(_)
            | PluginError::FormatDate => Self::BadAnswer(cause),
            _ => match step {
                Step::Check => Self::BadAnswer(cause),
                Step::Download => Self::DownloadFailed(cause),
                Step::Install => Self::InstallFailed(cause),
            },
        }
    }
}

impl UserFacing for UpdateError {
    fn kind(&self) -> &'static str {
        match self {
            Self::Unreachable(_) => "update_unreachable",
            Self::BadAnswer(_) => "update_bad_answer",
            Self::DownloadFailed(_) => "update_download_failed",
            Self::BadSignature(_) => "update_bad_signature",
            Self::InstallFailed(_) => "update_install_failed",
            Self::NotInstallable => "update_not_installable",
            Self::Busy(_) => "update_busy",
            Self::NoOffer => "update_no_offer",
            Self::AlreadyInstalling => "update_already_installing",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::Unreachable(_) => Message::new("msg.update.unreachable"),
            Self::BadAnswer(_) => Message::new("msg.update.bad_answer").arg("url", RELEASES_PAGE),
            Self::DownloadFailed(_) => Message::new("msg.update.download_failed"),
            Self::BadSignature(_) => {
                Message::new("msg.update.bad_signature").arg("url", RELEASES_PAGE)
            }
            Self::InstallFailed(_) => {
                Message::new("msg.update.install_failed").arg("url", RELEASES_PAGE)
            }
            Self::NotInstallable => {
                Message::new("msg.update.not_installable").arg("url", RELEASES_PAGE)
            }
            Self::Busy(now) => Message::new("msg.update.busy")
                .arg("uploading", now.uploading)
                .arg("creating", now.creating),
            Self::NoOffer => Message::new("msg.update.no_offer"),
            Self::AlreadyInstalling => Message::new("msg.update.already_installing"),
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Unreachable(cause)
            | Self::BadAnswer(cause)
            | Self::DownloadFailed(cause)
            | Self::BadSignature(cause)
            | Self::InstallFailed(cause) => Some(cause.clone()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::IpcError;

    #[test]
    fn every_update_error_crosses_with_its_kind_and_both_languages() {
        let errors = [
            UpdateError::Unreachable("connection refused".into()),
            UpdateError::BadAnswer("expected value".into()),
            UpdateError::DownloadFailed("status 404".into()),
            UpdateError::BadSignature("signature mismatch".into()),
            UpdateError::InstallFailed("dpkg refused".into()),
            UpdateError::NotInstallable,
            UpdateError::Busy(SendingNow {
                uploading: 1,
                creating: 2,
            }),
            UpdateError::NoOffer,
            UpdateError::AlreadyInstalling,
        ];
        for e in errors {
            let ipc = IpcError::from(e);
            assert!(ipc.kind.starts_with("update_"), "{}", ipc.kind);
            assert!(ipc.message.key.starts_with("msg.update."), "{}", ipc.kind);
            let (en, zh) = (ipc.message.text("en"), ipc.message.text("zh-CN"));
            assert!(!en.contains("{{") && !zh.contains("{{"), "{en} / {zh}");
            assert!(!zh.is_ascii(), "{}", ipc.kind);
        }
    }

    /// What tauri-plugin-updater 2.12 does with a `.deb` or `.rpm` copy: it checks the download is such a
    /// package (a manifest without a `linux-<arch>-deb` entry hands it the AppImage: `InvalidUpdaterFormat`),
    /// then runs `pkexec dpkg -i` (or `rpm -U`), then asks for the password with zenity or kdialog for
    /// `sudo -S`, then plain `sudo`; when all are refused or cancelled it fails with `PackageInstallFailed`.
    /// Each says to install the package by hand, never a bare "Failed to install package".
    #[test]
    fn a_package_the_system_did_not_install_says_to_install_it_by_hand() {
        for plugin in [
            PluginError::PackageInstallFailed,
            PluginError::DebInstallFailed,
            PluginError::AuthenticationFailed,
            PluginError::InvalidUpdaterFormat,
            PluginError::TempDirNotFound,
        ] {
            let e = UpdateError::from_plugin(Step::Install, plugin);
            assert!(matches!(e, UpdateError::InstallFailed(_)), "{e:?}");
            let en = e.msg().text("en");
            assert!(
                en.contains("package manager") && en.contains(RELEASES_PAGE),
                "{en}"
            );
        }
    }

    #[test]
    fn a_transport_error_is_the_server_out_of_reach_when_checking_and_a_broken_download_after() {
        let network = || PluginError::Network("Download request failed with status: 404".into());
        assert!(matches!(
            UpdateError::from_plugin(Step::Check, network()),
            UpdateError::Unreachable(_)
        ));
        assert!(matches!(
            UpdateError::from_plugin(Step::Download, network()),
            UpdateError::DownloadFailed(_)
        ));
        assert!(matches!(
            UpdateError::from_plugin(Step::Check, PluginError::ReleaseNotFound),
            UpdateError::Unreachable(_)
        ));
        assert!(matches!(
            UpdateError::from_plugin(Step::Check, PluginError::TargetsNotFound(vec![])),
            UpdateError::BadAnswer(_)
        ));
    }
}
