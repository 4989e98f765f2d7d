//! The token in use and the hosts it may go to, for every part of the app that sends it. A host that is
//! neither SinanCode's nor this machine's needs the user's "yes" to a question naming it, asked by the app
//! itself (a native dialog in the desktop app), never by the webview: changing an address in the settings
//! file, the launch environment or through the webview is not enough to send the token there.
//!
//! A "yes" binds the host to the token, in its keychain entry when the token came from there (for the
//! rest of the run otherwise). A "no" is remembered until the app quits, so runs waiting in the background
//! do not ask again and again; saving the address again in Settings asks once more. The client refuses an
//! unbound host by itself (see [`crate::token_hosts`]), so what is decided here cannot be bypassed.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::api::{ApiConfig, API_BASE_ENV, UPLOAD_BASE_ENV};
use crate::i18n::{Message, UserFacing};
use crate::secrets::{resolve_token, ApiToken, SecretError, SecretStore, TokenSource};
use crate::token_hosts::{origin_of, TokenHosts};

/// Asks the user whether the API token may be sent to a host.
pub trait HostQuestion: Send + Sync {
    /// `host` is an origin (`https://proxy.example.com`); `true` only for an explicit yes.
    fn ask<'a>(&'a self, host: &'a str) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>>;
}

/// Answers every question with no: for tools that never send the token beyond SinanCode and this machine.
pub struct NeverConfirm;

impl HostQuestion for NeverConfirm {
    fn ask<'a>(&'a self, _host: &'a str) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>> {
        Box::pin(std::future::ready(false))
    }
}

/// The user did not agree to send the token to `host` (now or earlier in this run); nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the API token may not be sent to {host}")]
pub struct HostRefused {
    pub host: String,
}

impl UserFacing for HostRefused {
    fn kind(&self) -> &'static str {
        "token_host_refused"
    }

    fn msg(&self) -> Message {
        Message::new("msg.token.host_refused")
            .arg("host", self.host.as_str())
            .arg("api_env", API_BASE_ENV)
            .arg("upload_env", UPLOAD_BASE_ENV)
    }
}

pub struct Credentials {
    secrets: Arc<dyn SecretStore>,
    env_token: Option<ApiToken>,
    question: Arc<dyn HostQuestion>,
    /// Hosts the user said yes to in this run.
    confirmed: Mutex<TokenHosts>,
    /// Hosts the user said no to in this run.
    refused: Mutex<BTreeSet<String>>,
    /// One question at a time: runs that need the same host wait for the one answer.
    asking: tokio::sync::Mutex<()>,
}

impl Credentials {
    pub fn new(secrets: Arc<dyn SecretStore>, question: Arc<dyn HostQuestion>) -> Self {
        Self {
            secrets,
            env_token: None,
            question,
            confirmed: Mutex::new(TokenHosts::default()),
            refused: Mutex::new(BTreeSet::new()),
            asking: tokio::sync::Mutex::new(()),
        }
    }

    /// Uses `token` from the launch environment instead of the keychain's. It is bound to the hosts the
    /// same environment named (`launch_api`): whoever set one could read the other.
    pub fn with_env_token(mut self, token: Option<ApiToken>, launch_api: &ApiConfig) -> Self {
        self.env_token = token.map(|t| t.bound_to(&TokenHosts::of_config(launch_api)));
        self
    }

    /// A token came from the launch environment (it wins over the keychain).
    pub fn from_environment(&self) -> bool {
        self.env_token.is_some()
    }

    /// The token in use and where it came from, bound to every host confirmed so far.
    pub async fn current(&self) -> Result<Option<(ApiToken, TokenSource)>, SecretError> {
        let env = self.env_token.clone();
        let found = self
            .with_store(move |store| resolve_token(env.as_ref(), store))
            .await?;
        let confirmed = self.confirmed().clone();
        Ok(found.map(|(t, source)| (t.bound_to(&confirmed), source)))
    }

    /// A token typed in Settings (tested before it is saved): bound like the stored one, since the user
    /// confirmed those hosts for their account.
    pub async fn typed(&self, token: ApiToken) -> ApiToken {
        let stored = self.with_store(|store| store.get()).await.ok().flatten();
        let token = token.bound_to(&self.confirmed());
        match stored {
            Some(stored) => token.bound_to(stored.hosts()),
            None => token,
        }
    }

    /// Saves a pasted token in the keychain, keeping the hosts the previous one was bound to.
    pub async fn save(&self, token: ApiToken) -> Result<(), SecretError> {
        let token = self.typed(token).await;
        self.with_store(move |store| store.set(&token)).await
    }

    pub async fn remove(&self) -> Result<(), SecretError> {
        self.with_store(|store| store.remove()).await
    }

    /// `token`, bound to every host of `api`, after asking the user about each host it is not bound to
    /// yet. A host refused earlier in this run is refused again without asking.
    pub async fn authorize(
        &self,
        token: ApiToken,
        api: &ApiConfig,
    ) -> Result<ApiToken, HostRefused> {
        let mut token = token.bound_to(&self.confirmed());
        for host in token.hosts().unconfirmed(api) {
            self.confirm(&token, &host, false).await?;
            let mut added = TokenHosts::default();
            added.insert(&host);
            token = token.bound_to(&added);
        }
        Ok(token)
    }

    /// The API address in Settings is being saved (`before` → `after`): asks now about each host of
    /// `after` that the token is not bound to and that is new, or that was refused earlier (the user is
    /// setting it again). Other unbound hosts are asked about before their first use.
    pub async fn confirm_saved_address(
        &self,
        token: ApiToken,
        before: Option<&ApiConfig>,
        after: &ApiConfig,
    ) -> Result<(), HostRefused> {
        let token = token.bound_to(&self.confirmed());
        let old: Vec<String> = before
            .map(|b| [&b.api_base, &b.upload_base])
            .into_iter()
            .flatten()
            .filter_map(origin_of)
            .collect();
        for host in token.hosts().unconfirmed(after) {
            let refused_before = self.refused().contains(&host);
            if !old.contains(&host) || refused_before {
                self.confirm(&token, &host, true).await?;
            }
        }
        Ok(())
    }

    async fn confirm(
        &self,
        token: &ApiToken,
        host: &str,
        ask_again: bool,
    ) -> Result<(), HostRefused> {
        let refused = || HostRefused {
            host: host.to_owned(),
        };
        let _turn = self.asking.lock().await;
        if self.confirmed().contains(host) {
            return Ok(());
        }
        if !ask_again && self.refused().contains(host) {
            return Err(refused());
        }
        if !self.question.ask(host).await {
            tracing::warn!(
                host,
                "the user did not agree to send the API token to this host"
            );
            self.refused().insert(host.to_owned());
            return Err(refused());
        }
        tracing::info!(host, "the user agreed to send the API token to this host");
        self.confirmed().insert(host);
        self.refused().remove(host);
        self.remember(token, host).await;
        Ok(())
    }

    /// Adds `host` to the keychain entry when it holds `token`; an environment token's hosts live only as
    /// long as the run. A keychain that fails now only means the user is asked again next time.
    async fn remember(&self, token: &ApiToken, host: &str) {
        let token = token.clone();
        let mut added = TokenHosts::default();
        added.insert(host);
        let written = self
            .with_store(move |store| match store.get()? {
                Some(stored) if stored.same_secret(&token) => {
                    store.set(&stored.bound_to(&added)).map(|()| true)
                }
                _ => Ok(false),
            })
            .await;
        match written {
            Ok(kept) => tracing::debug!(host, kept, "host binding stored with the token"),
            Err(e) => tracing::warn!(host, kind = e.kind(), "could not store the host binding"),
        }
    }

    /// Keychain calls block on the OS, so they run on a worker thread.
    async fn with_store<T: Send + 'static>(
        &self,
        op: impl FnOnce(&dyn SecretStore) -> Result<T, SecretError> + Send + 'static,
    ) -> Result<T, SecretError> {
        let secrets = self.secrets.clone();
        tokio::task::spawn_blocking(move || op(&*secrets))
            .await
            .unwrap_or_else(|e| Err(SecretError::Other(e.to_string())))
    }

    fn confirmed(&self) -> MutexGuard<'_, TokenHosts> {
        self.confirmed.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn refused(&self) -> MutexGuard<'_, BTreeSet<String>> {
        self.refused.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
#[path = "credentials_tests.rs"]
mod tests;
