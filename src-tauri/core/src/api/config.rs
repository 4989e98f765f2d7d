//! Where the client talks to and how long it waits. Base URLs are validated once, here, so the rest of the
//! client can assume the token only ever travels over TLS (or stays on this machine).

use std::net::IpAddr;
use std::time::Duration;

use url::{Host, Url};

use crate::i18n::{Message, UserFacing};

/// The production API host (create and query tasks).
pub const PRODUCTION_API_BASE: &str = "https://api.sinancode.com";
/// The production upload host.
pub const PRODUCTION_UPLOAD_BASE: &str = "https://files-api.sinancode.com";
/// Overrides the API host, e.g. to point the app at the simulator.
pub const API_BASE_ENV: &str = "SEEDANCE_API_BASE";
/// Overrides the upload host.
pub const UPLOAD_BASE_ENV: &str = "SEEDANCE_UPLOAD_BASE";

/// A service address (API or upload base URL) that cannot be used: not a URL, or plain http to another machine.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum BaseUrlError {
    #[error("{value:?} is not a valid URL: {reason}")]
    InvalidUrl { value: String, reason: String },
    /// Plain http to a machine other than this one would expose the token on the network.
    #[error("{value:?} must use https (plain http is only allowed for this machine)")]
    InsecureUrl { value: String },
}

impl UserFacing for BaseUrlError {
    fn kind(&self) -> &'static str {
        match self {
            Self::InvalidUrl { .. } => "invalid_api_url",
            Self::InsecureUrl { .. } => "insecure_api_url",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::InvalidUrl { value, reason } => Message::new("msg.api.invalid_url")
                .arg("value", value.as_str())
                .arg("reason", reason.as_str())
                .arg("example", PRODUCTION_API_BASE),
            Self::InsecureUrl { value } => {
                Message::new("msg.api.insecure_url").arg("value", value.as_str())
            }
        }
    }
}

/// How long each kind of request may take. The create timeout is generous because a timed-out create
/// leaves the job "submission uncertain", which costs the user a decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub create: Duration,
    pub get: Duration,
    /// Overall bound for one upload request (large images on slow uplinks).
    pub upload: Duration,
    /// Longest silence between two chunks of any response body before the request is abandoned.
    pub read_idle: Duration,
    /// Longest silence between two chunks of a result download before it is retried (and resumed).
    pub download_read_idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(15),
            create: Duration::from_secs(60),
            get: Duration::from_secs(20),
            upload: Duration::from_secs(600),
            read_idle: Duration::from_secs(60),
            download_read_idle: Duration::from_secs(60),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiConfig {
    pub api_base: Url,
    pub upload_base: Url,
    pub timeouts: Timeouts,
}

impl ApiConfig {
    /// Validates both base URLs (see [`validate_base_url`]).
    pub fn new(api_base: &str, upload_base: &str) -> Result<Self, BaseUrlError> {
        Ok(Self {
            api_base: validate_base_url(api_base)?,
            upload_base: validate_base_url(upload_base)?,
            timeouts: Timeouts::default(),
        })
    }

    /// The real SinanCode service.
    pub fn production() -> Self {
        Self {
            api_base: production_url(PRODUCTION_API_BASE),
            upload_base: production_url(PRODUCTION_UPLOAD_BASE),
            timeouts: Timeouts::default(),
        }
    }

    /// Production, with each host replaced by its environment override when one is set and non-blank.
    pub fn from_env() -> Result<Self, BaseUrlError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ApiConfig::from_env`] with the environment supplied by the caller (tests, settings screens).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, BaseUrlError> {
        let mut config = Self::production();
        let set = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        if let Some(v) = set(API_BASE_ENV) {
            config.api_base = validate_base_url(&v)?;
        }
        if let Some(v) = set(UPLOAD_BASE_ENV) {
            config.upload_base = validate_base_url(&v)?;
        }
        Ok(config)
    }

    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }
}

fn production_url(text: &str) -> Url {
    match Url::parse(text) {
        Ok(url) => url,
        // Only reachable if a constant above is edited into an invalid URL; a unit test covers them.
        Err(e) => unreachable!("production URL constant {text:?} is invalid: {e}"),
    }
}

/// Accepts https anywhere, and http only for loopback hosts, so the Bearer token never crosses a network
/// in clear text.
pub fn validate_base_url(text: &str) -> Result<Url, BaseUrlError> {
    let trimmed = text.trim();
    let invalid = |reason: &str| BaseUrlError::InvalidUrl {
        value: trimmed.to_owned(),
        reason: reason.to_owned(),
    };
    let url = Url::parse(trimmed).map_err(|e| invalid(&e.to_string()))?;
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(invalid("it has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials do not belong in the address"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base address takes no query or fragment"));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(BaseUrlError::InsecureUrl {
            value: trimmed.to_owned(),
        }),
        other => Err(invalid(&format!("unsupported scheme {other}"))),
    }
}

pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        for ok in [
            "https://api.sinancode.com",
            "http://127.0.0.1:8080",
            "http://127.5.0.1",
            "http://[::1]:9",
            "http://localhost:3000/",
        ] {
            assert!(validate_base_url(ok).is_ok(), "{ok}");
        }
        for insecure in [
            "http://api.sinancode.com",
            "http://10.0.0.2",
            "http://[::2]",
            "http://localhost.evil.com",
        ] {
            assert!(
                matches!(
                    validate_base_url(insecure),
                    Err(BaseUrlError::InsecureUrl { .. })
                ),
                "{insecure}"
            );
        }
        for bad in [
            "",
            "api.sinancode.com",
            "ftp://x.org",
            "https://u:p@x.org",
            "https://x.org/?a=1",
            "mailto:a@b.c",
        ] {
            assert!(
                matches!(validate_base_url(bad), Err(BaseUrlError::InvalidUrl { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn env_overrides_only_when_set() {
        let prod = ApiConfig::from_lookup(|_| None).unwrap();
        assert_eq!(prod, ApiConfig::production());
        assert_eq!(prod.api_base.as_str(), "https://api.sinancode.com/");
        assert_eq!(
            prod.upload_base.as_str(),
            "https://files-api.sinancode.com/"
        );

        let sim = ApiConfig::from_lookup(|n| match n {
            API_BASE_ENV => Some("http://127.0.0.1:4000".into()),
            UPLOAD_BASE_ENV => Some("  ".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(sim.api_base.as_str(), "http://127.0.0.1:4000/");
        assert_eq!(sim.upload_base, prod.upload_base);

        let err =
            ApiConfig::from_lookup(|n| (n == UPLOAD_BASE_ENV).then(|| "http://example.com".into()))
                .unwrap_err();
        assert_eq!(err.kind(), "insecure_api_url");
        assert!(err.msg().text("zh-CN").contains("https"));
    }
}
