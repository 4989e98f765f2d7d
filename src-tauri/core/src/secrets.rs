//! The API token: kept only in the OS keychain (or, for scripting, in `SEEDANCE_API_TOKEN`, read once at
//! start and removed from the environment), never on disk, never in logs, never in the webview. [`ApiToken`]
//! redacts itself in `Debug`/`Display` so a stray `{:?}` cannot leak it, and carries the hosts it is bound
//! to (see [`crate::token_hosts`]), which its keychain entry keeps with it.

use std::fmt;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::i18n::{Message, UserFacing};
use crate::token_hosts::TokenHosts;

/// The keychain service name: unique to the app so no other program's entries are touched.
pub const KEYRING_SERVICE: &str = "com.seedance-studio.desktop";
/// The keychain account under which the SinanCode token is stored.
pub const TOKEN_ACCOUNT: &str = "sinancode-api-token";
/// Environment variable that supplies a token for scripting and CI; it is used and never persisted.
pub const TOKEN_ENV: &str = "SEEDANCE_API_TOKEN";

/// A SinanCode API token and the hosts it may be sent to. Its text is only reachable through
/// [`ApiToken::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken {
    text: String,
    hosts: TokenHosts,
}

impl ApiToken {
    /// Trims surrounding whitespace (pasted tokens often carry a newline); `None` when nothing is left.
    /// The new token is bound only to SinanCode's own hosts and this machine.
    pub fn new(raw: &str) -> Option<Self> {
        let t = raw.trim();
        (!t.is_empty()).then(|| Self {
            text: t.to_owned(),
            hosts: TokenHosts::default(),
        })
    }

    /// The token's text, for the Authorization header only.
    pub fn expose(&self) -> &str {
        &self.text
    }

    /// The hosts beyond SinanCode's own and this machine that the token may be sent to.
    pub fn hosts(&self) -> &TokenHosts {
        &self.hosts
    }

    /// The same token, also bound to `hosts`.
    pub fn bound_to(mut self, hosts: &TokenHosts) -> Self {
        self.hosts.extend(hosts);
        self
    }

    /// Whether two tokens have the same text, whatever hosts they are bound to.
    pub fn same_secret(&self, other: &ApiToken) -> bool {
        self.text == other.text
    }

    /// The last four characters, which the UI may show so a user can tell tokens apart.
    pub fn last4(&self) -> String {
        let chars: Vec<char> = self.text.chars().collect();
        chars[chars.len().saturating_sub(4)..].iter().collect()
    }
}

/// The keychain entry's text: `{"token": "…", "hosts": ["https://proxy.example.com"]}`.
#[derive(Serialize, Deserialize)]
struct Entry {
    token: String,
    #[serde(default)]
    hosts: Vec<String>,
}

/// What [`KeyringStore`] writes: the token with the hosts it is bound to.
pub fn encode_entry(token: &ApiToken) -> String {
    let entry = Entry {
        token: token.text.clone(),
        hosts: token.hosts.iter().map(str::to_owned).collect(),
    };
    // Serialising two strings and a list of strings cannot fail.
    serde_json::to_string(&entry).unwrap_or_default()
}

/// Reads a keychain entry. An entry written before tokens were bound to hosts holds just the token: it
/// counts as bound to SinanCode's own hosts only (never to whatever address is configured when it is
/// read, since that address may be exactly what someone changed), so a user with a proxy is asked once.
pub fn decode_entry(text: &str) -> Option<ApiToken> {
    match serde_json::from_str::<Entry>(text.trim()) {
        Ok(entry) => {
            ApiToken::new(&entry.token).map(|t| t.bound_to(&TokenHosts::from_saved(&entry.hosts)))
        }
        Err(_) => ApiToken::new(text),
    }
}

/// Reads `SEEDANCE_API_TOKEN` once and removes it from this process's environment, so no child process
/// (the system video player, WebKit's helper processes, a browser opened for help) inherits it.
///
/// Call it first thing in `main`, before any thread starts: changing the environment while another thread
/// reads it is a data race in the C library, which is why Rust 2024 makes `remove_var` unsafe.
pub fn take_env_token() -> Option<ApiToken> {
    let value = std::env::var_os(TOKEN_ENV)?;
    std::env::remove_var(TOKEN_ENV);
    ApiToken::new(&value.to_string_lossy())
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiToken(***{})", self.last4())
    }
}

impl fmt::Display for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "***{}", self.last4())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// No Secret Service / keychain could be reached (e.g. Linux without gnome-keyring or KWallet running).
    #[error("the OS keychain is not available: {0}")]
    Unavailable(String),
    /// The keychain is locked or the user refused access.
    #[error("access to the OS keychain was denied: {0}")]
    Denied(String),
    #[error("the OS keychain failed: {0}")]
    Other(String),
}

impl UserFacing for SecretError {
    fn kind(&self) -> &'static str {
        match self {
            Self::Unavailable(_) => "keychain_unavailable",
            Self::Denied(_) => "keychain_denied",
            Self::Other(_) => "keychain_error",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::Unavailable(d) => Message::new("msg.keychain.unavailable")
                .arg("detail", d.as_str())
                .arg("token_env", TOKEN_ENV),
            Self::Denied(d) => Message::new("msg.keychain.denied").arg("detail", d.as_str()),
            Self::Other(d) => Message::new("msg.keychain.error").arg("detail", d.as_str()),
        }
    }
}

/// Where the token lives. The real app uses [`KeyringStore`]; unit tests use [`MemoryStore`].
pub trait SecretStore: Send + Sync {
    fn get(&self) -> Result<Option<ApiToken>, SecretError>;
    fn set(&self, token: &ApiToken) -> Result<(), SecretError>;
    /// Removing a token that is not there is not an error.
    fn remove(&self) -> Result<(), SecretError>;
}

/// The OS keychain through the `keyring` crate: macOS Keychain, Windows Credential Manager,
/// Linux Secret Service.
pub struct KeyringStore {
    service: String,
    account: String,
}

impl KeyringStore {
    pub fn new(service: impl Into<String>, account: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            account: account.into(),
        }
    }

    /// The store the app uses.
    pub fn app_default() -> Self {
        Self::new(KEYRING_SERVICE, TOKEN_ACCOUNT)
    }

    fn entry(&self) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, &self.account).map_err(map_keyring_error)
    }
}

fn map_keyring_error(e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::NoStorageAccess(inner) => SecretError::Denied(inner.to_string()),
        keyring::Error::PlatformFailure(inner) => SecretError::Unavailable(inner.to_string()),
        other => SecretError::Other(other.to_string()),
    }
}

impl SecretStore for KeyringStore {
    fn get(&self) -> Result<Option<ApiToken>, SecretError> {
        match self.entry()?.get_password() {
            Ok(text) => Ok(decode_entry(&text)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    fn set(&self, token: &ApiToken) -> Result<(), SecretError> {
        self.entry()?
            .set_password(&encode_entry(token))
            .map_err(map_keyring_error)
    }

    fn remove(&self) -> Result<(), SecretError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring_error(e)),
        }
    }
}

/// An in-memory store for tests and for demo mode.
#[derive(Default)]
pub struct MemoryStore(Mutex<Option<ApiToken>>);

impl MemoryStore {
    fn slot(&self) -> Result<std::sync::MutexGuard<'_, Option<ApiToken>>, SecretError> {
        self.0
            .lock()
            .map_err(|_| SecretError::Other("in-memory store poisoned".into()))
    }
}

impl SecretStore for MemoryStore {
    fn get(&self) -> Result<Option<ApiToken>, SecretError> {
        Ok(self.slot()?.clone())
    }

    fn set(&self, token: &ApiToken) -> Result<(), SecretError> {
        *self.slot()? = Some(token.clone());
        Ok(())
    }

    fn remove(&self) -> Result<(), SecretError> {
        *self.slot()? = None;
        Ok(())
    }
}

/// Where the token in use came from; the Settings screen says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    Environment,
    Keychain,
}

/// The token to use: the one from the environment (see [`take_env_token`]) wins over the keychain and is
/// never persisted.
pub fn resolve_token(
    env_token: Option<&ApiToken>,
    store: &dyn SecretStore,
) -> Result<Option<(ApiToken, TokenSource)>, SecretError> {
    if let Some(t) = env_token {
        return Ok(Some((t.clone(), TokenSource::Environment)));
    }
    Ok(store.get()?.map(|t| (t, TokenSource::Keychain)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn token_never_prints_its_text() {
        let t = ApiToken::new("  sk-very-secret-1234\n").unwrap();
        assert_eq!(t.expose(), "sk-very-secret-1234");
        assert_eq!(format!("{t:?}"), "ApiToken(***1234)");
        assert_eq!(format!("{t}"), "***1234");
        assert!(!format!("{t:?}{t}").contains("very-secret"));
        assert!(ApiToken::new(" \n\t").is_none());
        assert_eq!(ApiToken::new("ab").unwrap().last4(), "ab");
    }

    #[test]
    fn memory_store_round_trip_and_env_wins() {
        let store = MemoryStore::default();
        assert!(resolve_token(None, &store).unwrap().is_none());
        store.set(&ApiToken::new("keychain-tok").unwrap()).unwrap();
        let (t, src) = resolve_token(None, &store).unwrap().unwrap();
        assert_eq!((t.expose(), src), ("keychain-tok", TokenSource::Keychain));
        let env = ApiToken::new("env-tok");
        let (t, src) = resolve_token(env.as_ref(), &store).unwrap().unwrap();
        assert_eq!((t.expose(), src), ("env-tok", TokenSource::Environment));
        store.remove().unwrap();
        store.remove().unwrap();
        assert!(store.get().unwrap().is_none());
    }

    #[test]
    fn an_entry_keeps_its_hosts_and_the_old_plain_form_is_bound_to_sinancode_only() {
        let hosts = TokenHosts::from_saved(["https://proxy.example.com"]);
        let token = ApiToken::new("sk-abc-1234").unwrap().bound_to(&hosts);
        let text = encode_entry(&token);
        assert_eq!(
            text,
            r#"{"token":"sk-abc-1234","hosts":["https://proxy.example.com"]}"#
        );
        assert_eq!(decode_entry(&text), Some(token.clone()));
        let old = decode_entry("sk-abc-1234\n").unwrap();
        assert!(old.same_secret(&token));
        assert!(
            old.hosts().is_empty(),
            "old entries: SinanCode's own hosts only"
        );
        assert_eq!(decode_entry(r#"{"token":" ","hosts":[]}"#), None);
        assert!(decode_entry(r#"{"token":"t"}"#).unwrap().hosts().is_empty());
        assert_eq!(format!("{token:?}"), "ApiToken(***1234)");
    }
}
