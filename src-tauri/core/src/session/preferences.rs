//! Changing the preferences while the app runs. Every change goes through the one [`PrefsHandle`]
//! update (copy, save, swap under one lock), so a Settings save, a folder choice and the form a submit
//! remembers never undo one another.

use std::path::PathBuf;

use crate::api::BaseUrlError;
use crate::credentials::HostRefused;
use crate::i18n::{Message, UserFacing};
use crate::prefs::{check_output_dir_kept, with_chosen_output_dir, Preferences, PrefsError};
use crate::request::RequestDraft;

use super::Services;

/// Why a change of preferences was not saved; nothing was.
#[derive(Debug, thiserror::Error)]
pub enum PrefsChangeError {
    /// Every invalid field at once, for the Settings screen to mark together.
    #[error("the preferences have {} problem(s)", .0.len())]
    Invalid(Vec<PrefsError>),
    #[error(transparent)]
    Prefs(#[from] PrefsError),
    #[error(transparent)]
    ApiAddress(#[from] BaseUrlError),
    #[error(transparent)]
    HostRefused(#[from] HostRefused),
    /// The worker thread that writes the file stopped (a bug, nothing the user did).
    #[error("the preferences could not be written: {0}")]
    Worker(String),
}

impl UserFacing for PrefsChangeError {
    fn kind(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "invalid_preferences",
            Self::Prefs(e) => e.kind(),
            Self::ApiAddress(e) => e.kind(),
            Self::HostRefused(e) => e.kind(),
            Self::Worker(_) => "internal",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::Invalid(problems) => {
                Message::lines(problems.iter().map(UserFacing::msg).collect())
            }
            Self::Prefs(e) => e.msg(),
            Self::ApiAddress(e) => e.msg(),
            Self::HostRefused(e) => e.msg(),
            // The same words as the shell's own internal error: a bug, nothing the user did.
            Self::Worker(_) => Message::new("msg.shell.internal"),
        }
    }

    /// For several problems, which ones (the UI marks those fields).
    fn details(&self) -> Option<String> {
        match self {
            Self::Invalid(problems) => Some(
                problems
                    .iter()
                    .map(UserFacing::kind)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            Self::Prefs(e) => e.details(),
            Self::ApiAddress(e) => e.details(),
            Self::HostRefused(e) => e.details(),
            Self::Worker(_) => None,
        }
    }

    fn raw_cause(&self) -> Option<String> {
        match self {
            Self::Worker(cause) => Some(cause.clone()),
            Self::Prefs(e) => e.raw_cause(),
            _ => None,
        }
    }
}

impl Services {
    /// Saves the preferences from the Settings screen; on any problem nothing is saved. A new API address
    /// the token is not bound to is saved only after the user agrees to send the token there. The output
    /// folder can only be kept or reset to the default here ([`Services::choose_output_dir`] changes
    /// it), and the remembered form stays the backend's own record of the last submit: the webview cannot
    /// put frame paths in it.
    pub async fn save_preferences(
        &self,
        incoming: Preferences,
    ) -> Result<Preferences, PrefsChangeError> {
        check_output_dir_kept(&incoming, &self.prefs.snapshot())?;
        incoming.validate().map_err(PrefsChangeError::Invalid)?;
        self.confirm_address(&incoming).await?;
        self.update(move |current| {
            check_output_dir_kept(&incoming, current)?;
            *current = Preferences {
                last_request: current.last_request.take(),
                ..incoming
            };
            Ok(())
        })
        .await
    }

    /// Makes `chosen` (a folder the user picked in the backend's own folder picker) where videos go, once
    /// it is known to take them.
    pub async fn choose_output_dir(
        &self,
        chosen: PathBuf,
    ) -> Result<Preferences, PrefsChangeError> {
        // Like any save of the preferences: an address refused earlier is asked about once more.
        self.confirm_address(&self.prefs.snapshot()).await?;
        self.update(move |current| {
            *current = with_chosen_output_dir(current, &chosen)?;
            Ok(())
        })
        .await
    }

    /// The form as last submitted comes back on the next start. Blocks for the file write.
    pub fn remember_form(&self, draft: &RequestDraft) -> Result<Preferences, PrefsError> {
        self.prefs.update(|prefs| {
            prefs.last_request = Some(draft.clone());
            Ok(())
        })
    }

    /// Asks about each new host of `next`'s API address the token is not bound to. Without a token (or
    /// keychain) there is nothing to send yet: the question comes before first use.
    async fn confirm_address(&self, next: &Preferences) -> Result<(), PrefsChangeError> {
        let after = super::live_api_config(&self.config, next)?;
        if let Ok(Some((token, _))) = self.live_token().await {
            let before = self.live_api().ok();
            self.credentials
                .confirm_saved_address(token, before.as_ref(), &after)
                .await?;
        }
        Ok(())
    }

    /// One preferences change on a worker thread (it writes and syncs a file).
    async fn update(
        &self,
        change: impl FnOnce(&mut Preferences) -> Result<(), PrefsError> + Send + 'static,
    ) -> Result<Preferences, PrefsChangeError> {
        let prefs = self.prefs.clone();
        tokio::task::spawn_blocking(move || prefs.update(change))
            .await
            .map_err(|e| PrefsChangeError::Worker(e.to_string()))?
            .map_err(PrefsChangeError::from)
    }
}
