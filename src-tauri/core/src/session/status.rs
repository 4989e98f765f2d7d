//! What the UI may know about the session: whether demo mode is on, whether a token is set (never its
//! text, only its last 4 characters), where it came from and which hosts it may go to, and whether the
//! app opens on the welcome screen.

use crate::secrets::{SecretError, TokenSource};

use super::Services;

/// What may be known about the token. `E` is how a keychain failure is told: core's own `SecretError`, or the
/// shell's IPC error where the struct crosses to the UI ([`TokenStatus::map_keychain_error`]).
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct TokenStatus<E> {
    pub set: bool,
    pub last4: Option<String>,
    pub source: Option<TokenSource>,
    /// `SEEDANCE_API_TOKEN` is set: it is used instead of the keychain and never stored.
    pub from_environment: bool,
    /// Hosts besides SinanCode's own (and this computer) the token may go to: confirmed by the user, or
    /// named by the same launch environment as the token.
    pub bound_hosts: Vec<String>,
    /// The keychain could not be read (unavailable, locked, access denied): what happened and how to fix it.
    pub keychain_error: Option<E>,
}

impl<E> TokenStatus<E> {
    /// The same status with the keychain failure told as `F`.
    pub fn map_keychain_error<F>(self, f: impl FnOnce(E) -> F) -> TokenStatus<F> {
        TokenStatus {
            set: self.set,
            last4: self.last4,
            source: self.source,
            from_environment: self.from_environment,
            bound_hosts: self.bound_hosts,
            keychain_error: self.keychain_error.map(f),
        }
    }
}

#[derive(Debug)]
pub struct SessionStatus {
    pub demo: bool,
    pub token: TokenStatus<SecretError>,
    /// No token and not in demo mode: the app opens on the welcome screen.
    pub needs_setup: bool,
}

impl Services {
    pub async fn token_status(&self) -> TokenStatus<SecretError> {
        let from_environment = self.credentials.from_environment();
        match self.live_token().await {
            Ok(found) => TokenStatus {
                set: found.is_some(),
                last4: found.as_ref().map(|(t, _)| t.last4()),
                bound_hosts: found
                    .as_ref()
                    .map(|(t, _)| t.hosts().iter().map(str::to_owned).collect())
                    .unwrap_or_default(),
                source: found.map(|(_, s)| s),
                from_environment,
                keychain_error: None,
            },
            Err(e) => TokenStatus {
                set: false,
                last4: None,
                source: None,
                from_environment,
                bound_hosts: Vec::new(),
                keychain_error: Some(e),
            },
        }
    }

    pub async fn status(&self) -> SessionStatus {
        let demo = self.in_demo().await;
        let token = self.token_status().await;
        SessionStatus {
            demo,
            needs_setup: !demo && !token.set,
            token,
        }
    }
}
