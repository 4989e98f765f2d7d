//! Which hosts the API token may travel to. A token is bound to SinanCode's own hosts, to this machine (the
//! simulator) and to each other host the user confirmed for it in a native dialog; the confirmed hosts are
//! kept with the token in its keychain entry. The client checks the binding ([`may_send_token`]) right
//! before it writes the `Authorization` header, for every request that carries it, so neither the settings
//! file, the launch environment nor the webview can send the token somewhere the user never agreed to.

use std::collections::BTreeSet;

use url::{Origin, Url};

use crate::api::{is_loopback, ApiConfig, PRODUCTION_API_BASE, PRODUCTION_UPLOAD_BASE};

/// A host as the binding sees it: scheme, host and port (`https://proxy.example.com:8443`; a default port
/// is left out). The host is in its ASCII form (punycode), so a look-alike name cannot pass for another in
/// the dialog that names it. `None` for URLs without a host.
pub fn origin_of(url: &Url) -> Option<String> {
    match url.origin() {
        origin @ Origin::Tuple(..) => Some(origin.ascii_serialization()),
        Origin::Opaque(_) => None,
    }
}

/// SinanCode's own hosts and this machine: the token may always go there, without asking.
pub fn needs_no_confirmation(url: &Url) -> bool {
    if is_loopback(url) {
        return true;
    }
    let Some(origin) = origin_of(url) else {
        return false;
    };
    [PRODUCTION_API_BASE, PRODUCTION_UPLOAD_BASE]
        .iter()
        .filter_map(|base| Url::parse(base).ok())
        .any(|base| origin_of(&base).as_deref() == Some(origin.as_str()))
}

/// The rule, in one place: may a token bound to `bound` be sent to `target`?
pub fn may_send_token(bound: &TokenHosts, target: &Url) -> bool {
    needs_no_confirmation(target) || origin_of(target).is_some_and(|o| bound.0.contains(&o))
}

/// The hosts beyond SinanCode's own and this machine that the user confirmed for a token.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenHosts(BTreeSet<String>);

impl TokenHosts {
    /// Hosts read back from a keychain entry. Each is put in its canonical form; anything that is not an
    /// origin is dropped (it could never match a request anyway).
    pub fn from_saved<I, S>(saved: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self(
            saved
                .into_iter()
                .filter_map(|s| Url::parse(s.as_ref()).ok())
                .filter_map(|url| origin_of(&url))
                .collect(),
        )
    }

    /// The hosts of `api` (API and upload bases) that need a confirmation.
    pub fn of_config(api: &ApiConfig) -> Self {
        Self(
            [&api.api_base, &api.upload_base]
                .into_iter()
                .filter(|url| !needs_no_confirmation(url))
                .filter_map(origin_of)
                .collect(),
        )
    }

    /// See [`may_send_token`].
    pub fn allows(&self, target: &Url) -> bool {
        may_send_token(self, target)
    }

    /// The hosts of `api` the token may not go to yet, each once, API host first.
    pub fn unconfirmed(&self, api: &ApiConfig) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for url in [&api.api_base, &api.upload_base] {
            if let Some(origin) = origin_of(url).filter(|_| !self.allows(url)) {
                if !out.contains(&origin) {
                    out.push(origin);
                }
            }
        }
        out
    }

    /// Adds a confirmed host (an origin as [`origin_of`] writes it).
    pub fn insert(&mut self, origin: &str) {
        self.0.extend(Self::from_saved([origin]).0);
    }

    pub fn extend(&mut self, other: &TokenHosts) {
        self.0.extend(other.0.iter().cloned());
    }

    pub fn contains(&self, origin: &str) -> bool {
        self.0.contains(origin)
    }

    /// The confirmed hosts, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn sinancode_and_this_machine_need_no_confirmation() {
        let none = TokenHosts::default();
        for ok in [
            "https://api.sinancode.com/v1/tasks/x",
            "https://files-api.sinancode.com/api/upload/file",
            "https://API.SinanCode.com:443/",
            "http://127.0.0.1:8787/v1",
            "http://127.9.9.9/",
            "http://[::1]:9/",
            "https://localhost:3000/",
        ] {
            assert!(may_send_token(&none, &url(ok)), "{ok}");
        }
        for unbound in [
            "https://proxy.example.com/",
            "https://api.sinancode.com.evil.example/",
            "https://api.sinancode.com:8443/",
            "https://sinancode.com/",
            "https://localhost.evil.example/",
            "http://10.0.0.2/",
            "http://0.0.0.0:8787/",
            "https://[::ffff:127.0.0.1]/",
        ] {
            assert!(!may_send_token(&none, &url(unbound)), "{unbound}");
        }
    }

    #[test]
    fn a_confirmed_host_is_bound_by_scheme_host_and_port() {
        let bound =
            TokenHosts::from_saved(["https://Proxy.Example.com:443/some/path", "not a url"]);
        assert_eq!(
            bound.iter().collect::<Vec<_>>(),
            ["https://proxy.example.com"]
        );
        assert!(bound.allows(&url("https://proxy.example.com/v1/tasks/1")));
        assert!(
            !bound.allows(&url("https://proxy.example.com:8443/")),
            "other port"
        );
        assert!(
            !bound.allows(&url("http://proxy.example.com/")),
            "other scheme"
        );
        assert!(
            !bound.allows(&url("https://files.proxy.example.com/")),
            "other host"
        );
        let idn = TokenHosts::from_saved(["https://exаmple.com"]); // Cyrillic "а"
        assert_eq!(
            idn.iter().collect::<Vec<_>>(),
            ["https://xn--exmple-4nf.com"]
        );
        assert!(!idn.allows(&url("https://example.com/")));
    }

    #[test]
    fn unconfirmed_lists_each_host_of_a_configuration_once() {
        let mut api = ApiConfig::production();
        assert!(TokenHosts::default().unconfirmed(&api).is_empty());
        api.api_base = url("https://proxy.example.com/sinan/");
        api.upload_base = url("https://proxy.example.com/files/");
        assert_eq!(
            TokenHosts::default().unconfirmed(&api),
            ["https://proxy.example.com"]
        );
        assert_eq!(
            TokenHosts::of_config(&api).iter().collect::<Vec<_>>(),
            ["https://proxy.example.com"]
        );
        let mut bound = TokenHosts::default();
        bound.insert("https://proxy.example.com");
        assert!(bound.unconfirmed(&api).is_empty());
        api.upload_base = url("http://127.0.0.1:9");
        assert!(TokenHosts::of_config(&ApiConfig::production()).is_empty());
        assert_eq!(TokenHosts::of_config(&api).iter().count(), 1);
    }
}
