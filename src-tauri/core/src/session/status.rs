//! What the UI may know about the session: whether demo mode is on, whether a token is set (never its
//! text, only its last 4 characters), where it came from and which hosts it may go to, and whether the
//! app opens on the welcome screen.

use crate::secrets::{SecretError, TokenSource};

use super::Services;

#[derive(Debug)]
pub struct TokenStatus {
    pub set: bool,
    pub last4: Option<String>,
    pub source: Option<TokenSource>,
    /// `SEEDANCE_API_TOKEN` is set: it is used instead of the keychain and never stored.
    pub from_environment: bool,
    /// Hosts besides SinanCode's own (and this computer) the token may go to: confirmed by the user, or
    /// named by the same launch environment as the token.
    pub bound_hosts: Vec<String>,
    /// The keychain could not be read (unavailable, locked, access denied).
    pub keychain_error: Option<SecretError>,
}

#[derive(Debug)]
pub struct SessionStatus {
    pub demo: bool,
    pub token: TokenStatus,
    /// No token and not in demo mode: the app opens on the welcome screen.
    pub needs_setup: bool,
}

impl Services {
    pub async fn token_status(&self) -> TokenStatus {
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
