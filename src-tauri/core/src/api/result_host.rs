//! Which hosts a result download may reach. A result link comes from the service's reply, so it must not be
//! a way to make this machine fetch from itself or its local network (a router page, a local admin
//! service): https to a public address only, checked on the link, on every redirect hop, and on every
//! address a host name resolves to (so a public name pointing at 10.0.0.1 is refused too).
//!
//! The simulator's links (plain http on 127.0.0.1) are accepted only while the configured API address is
//! itself on this machine: that is decided by the user's or the test's configuration, never by a link.

use std::net::{IpAddr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use super::config::{is_loopback, ApiConfig};

/// Redirect hops followed for one result link (CDNs use one or two).
pub(super) const MAX_REDIRECTS: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ResultHosts {
    /// The real service: https to public addresses only.
    PublicHttpsOnly,
    /// The API itself is on this machine (the simulator): loopback links, plain http included, too.
    AlsoLoopback,
}

/// Why a result link or hop was refused; found again in a reqwest error's causes.
#[derive(Debug)]
pub(super) struct RefusedHost(pub &'static str);

impl std::fmt::Display for RefusedHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for RefusedHost {}

impl ResultHosts {
    pub(super) fn for_config(config: &ApiConfig) -> Self {
        if is_loopback(&config.api_base) {
            Self::AlsoLoopback
        } else {
            Self::PublicHttpsOnly
        }
    }

    /// `Err` with the reason when `url` may not be fetched.
    pub(super) fn check(self, url: &Url) -> Result<(), RefusedHost> {
        let local_allowed = self == Self::AlsoLoopback && is_loopback(url);
        match url.scheme() {
            "https" => {}
            "http" if local_allowed => {}
            _ => return Err(RefusedHost("the link does not use https")),
        }
        if local_allowed {
            return Ok(());
        }
        let public = match url.host() {
            None => false,
            Some(Host::Domain(name)) => !is_local_name(name),
            Some(Host::Ipv4(ip)) => is_public(IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => is_public(IpAddr::V6(ip)),
        };
        if public {
            Ok(())
        } else {
            Err(RefusedHost(
                "the link points to this computer or a local network",
            ))
        }
    }

    fn allows(self, ip: IpAddr) -> bool {
        is_public(ip) || (self == Self::AlsoLoopback && ip.is_loopback())
    }

    /// Redirects are followed only to hosts [`ResultHosts::check`] accepts, at most [`MAX_REDIRECTS`].
    pub(super) fn redirect_policy(self) -> reqwest::redirect::Policy {
        reqwest::redirect::Policy::custom(move |attempt| {
            // `previous` holds every address visited so far, the link itself included.
            if attempt.previous().len() > MAX_REDIRECTS {
                return attempt.error(RefusedHost("the link redirected too many times"));
            }
            match self.check(attempt.url()) {
                Ok(()) => attempt.follow(),
                Err(refused) => attempt.error(refused),
            }
        })
    }

    /// A resolver that drops the addresses [`ResultHosts::check`] would refuse as literals.
    pub(super) fn resolver(self) -> std::sync::Arc<CheckedResolver> {
        std::sync::Arc::new(CheckedResolver(self))
    }
}

pub(super) struct CheckedResolver(ResultHosts);

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let hosts = self.0;
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let allowed: Vec<SocketAddr> = found.filter(|a| hosts.allows(a.ip())).collect();
            if allowed.is_empty() {
                return Err(Box::new(RefusedHost(
                    "the link's host name leads to this computer or a local network",
                ))
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// `localhost` and its subdomains always mean this machine.
fn is_local_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// Addresses reachable on the public internet: not loopback, private, link-local, shared (CGNAT),
/// unspecified, broadcast, multicast, documentation, or an IPv6 form of one of those.
pub(super) fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

/// The refusal behind a reqwest error, if a check here caused it.
pub(super) fn refusal_in(e: &reqwest::Error) -> Option<&'static str> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(refused) = err.downcast_ref::<RefusedHost>() {
            return Some(refused.0);
        }
        source = err.source();
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn check(hosts: ResultHosts, url: &str) -> bool {
        hosts.check(&Url::parse(url).unwrap()).is_ok()
    }

    #[test]
    fn production_takes_only_public_https() {
        let p = ResultHosts::PublicHttpsOnly;
        assert!(check(p, "https://cdn.example.com/r/1.mp4?sig=x"));
        assert!(check(p, "https://93.184.216.34/a.mp4"));
        for refused in [
            "http://cdn.example.com/a.mp4",
            "http://127.0.0.1:9/a.mp4",
            "https://127.0.0.1/a.mp4",
            "https://localhost/a.mp4",
            "https://db.localhost./a.mp4",
            "https://10.1.2.3/a.mp4",
            "https://192.168.1.1/a.mp4",
            "https://172.16.0.1/a.mp4",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/a.mp4",
            "https://0.0.0.0/a.mp4",
            "https://2130706433/a.mp4",
            "https://[::1]/a.mp4",
            "https://[fd00::1]/a.mp4",
            "https://[fe80::1]/a.mp4",
            "https://[::ffff:10.0.0.1]/a.mp4",
            "file:///etc/passwd",
            "ftp://cdn.example.com/a.mp4",
        ] {
            assert!(!check(p, refused), "{refused}");
        }
    }

    #[test]
    fn the_simulator_adds_loopback_only() {
        let sim = ResultHosts::AlsoLoopback;
        assert!(check(sim, "http://127.0.0.1:9/results/a.mp4"));
        assert!(check(sim, "http://localhost:9/a.mp4"));
        assert!(check(sim, "https://cdn.example.com/a.mp4"));
        assert!(!check(sim, "http://10.0.0.2/a.mp4"));
        assert!(!check(sim, "http://cdn.example.com/a.mp4"));
        let config = |base: &str| ApiConfig::new(base, base).unwrap();
        assert_eq!(
            ResultHosts::for_config(&config("http://127.0.0.1:4000")),
            ResultHosts::AlsoLoopback
        );
        assert_eq!(
            ResultHosts::for_config(&ApiConfig::production()),
            ResultHosts::PublicHttpsOnly
        );
    }
}
