//! Where the app keeps its data and which hosts it talks to. Each can be overridden from the environment,
//! so tests (and users behind a proxy) can point the app elsewhere.

use std::net::IpAddr;
use std::path::PathBuf;

use url::Url;

use crate::i18n::{Msg, UserFacing};

pub const ENV_API_BASE: &str = "SEEDANCE_API_BASE";
pub const ENV_UPLOAD_BASE: &str = "SEEDANCE_UPLOAD_BASE";
pub const ENV_DATA_DIR: &str = "SEEDANCE_DATA_DIR";

pub const DEFAULT_API_BASE: &str = "https://api.sinancode.com";
pub const DEFAULT_UPLOAD_BASE: &str = "https://files-api.sinancode.com";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    pub data_dir: PathBuf,
    pub api_base: Url,
    pub upload_base: Url,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{name} is not a valid URL: {value}")]
    BadUrl { name: String, value: String },
    #[error("{name} must use https (plain http is allowed only for this computer): {value}")]
    InsecureUrl { name: String, value: String },
    #[error("no data directory could be determined; set {ENV_DATA_DIR}")]
    NoDataDir,
}

impl UserFacing for ConfigError {
    fn kind(&self) -> &'static str {
        match self {
            Self::BadUrl { .. } => "config_bad_url",
            Self::InsecureUrl { .. } => "config_insecure_url",
            Self::NoDataDir => "config_no_data_dir",
        }
    }

    fn msg(&self) -> Msg {
        match self {
            Self::BadUrl { name, value } => Msg::new(
                format!("{name} is not a valid URL (\"{value}\"). Use a full address such as https://api.example.com."),
                format!("{name} 不是有效的网址（“{value}”）。请使用完整地址，例如 https://api.example.com。"),
            ),
            Self::InsecureUrl { name, value } => Msg::new(
                format!("{name} must start with https:// so your API token is never sent unencrypted (\"{value}\"). Plain http:// is accepted only for 127.0.0.1 or localhost."),
                format!("{name} 必须以 https:// 开头，以免 API 令牌以明文发送（“{value}”）。仅 127.0.0.1 或 localhost 可以使用 http://。"),
            ),
            Self::NoDataDir => Msg::new(
                format!("Seedance Studio could not find a folder for its data. Set {ENV_DATA_DIR} to a writable folder and start it again."),
                format!("Seedance Studio 找不到用于保存数据的文件夹。请将 {ENV_DATA_DIR} 设置为可写的文件夹后重新启动。"),
            ),
        }
    }
}

/// Parses a service base URL: https anywhere, http only for loopback hosts. A trailing slash is dropped so
/// paths can be appended uniformly.
pub fn parse_base_url(name: &str, value: &str) -> Result<Url, ConfigError> {
    let bad = || ConfigError::BadUrl {
        name: name.to_owned(),
        value: value.to_owned(),
    };
    let url = Url::parse(value.trim()).map_err(|_| bad())?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(ConfigError::InsecureUrl {
                name: name.to_owned(),
                value: value.to_owned(),
            })
        }
        _ => return Err(bad()),
    }
    if url.host().is_none() || url.query().is_some() || url.fragment().is_some() {
        return Err(bad());
    }
    let trimmed = url.as_str().trim_end_matches('/').to_owned();
    Url::parse(&trimmed).map_err(|_| bad())
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

impl AppConfig {
    /// Resolves the configuration from an environment lookup and the platform's default data folder.
    pub fn resolve(
        env: impl Fn(&str) -> Option<String>,
        default_data_dir: Option<PathBuf>,
    ) -> Result<Self, ConfigError> {
        let non_empty = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        let data_dir = match non_empty(ENV_DATA_DIR) {
            Some(d) => PathBuf::from(d),
            None => default_data_dir.ok_or(ConfigError::NoDataDir)?,
        };
        let api = non_empty(ENV_API_BASE).unwrap_or_else(|| DEFAULT_API_BASE.to_owned());
        let upload = non_empty(ENV_UPLOAD_BASE).unwrap_or_else(|| DEFAULT_UPLOAD_BASE.to_owned());
        Ok(Self {
            data_dir,
            api_base: parse_base_url(ENV_API_BASE, &api)?,
            upload_base: parse_base_url(ENV_UPLOAD_BASE, &upload)?,
        })
    }

    /// The configuration of this process: its environment and the OS's per-user data folder.
    pub fn from_process_env() -> Result<Self, ConfigError> {
        let default_dir =
            directories::ProjectDirs::from("com", "Seedance Studio", "Seedance Studio")
                .map(|d| d.data_dir().to_path_buf());
        Self::resolve(|k| std::env::var(k).ok(), default_dir)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn defaults_are_the_production_hosts() {
        let c = AppConfig::resolve(env(&[]), Some("/d".into())).unwrap();
        assert_eq!(c.api_base.as_str(), "https://api.sinancode.com/");
        assert_eq!(c.upload_base.host_str(), Some("files-api.sinancode.com"));
        assert_eq!(c.data_dir, PathBuf::from("/d"));
    }

    #[test]
    fn environment_overrides_everything() {
        let c = AppConfig::resolve(
            env(&[
                (ENV_API_BASE, "http://127.0.0.1:8787/"),
                (ENV_UPLOAD_BASE, "https://proxy.example.com/files"),
                (ENV_DATA_DIR, "/tmp/sd"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(c.api_base.as_str(), "http://127.0.0.1:8787/");
        assert_eq!(c.upload_base.as_str(), "https://proxy.example.com/files");
        assert_eq!(c.data_dir, PathBuf::from("/tmp/sd"));
    }

    #[test]
    fn plain_http_only_for_loopback() {
        for ok in [
            "http://localhost:1",
            "http://127.0.0.2",
            "http://[::1]:9",
            "https://x.y",
        ] {
            assert!(parse_base_url("A", ok).is_ok(), "{ok}");
        }
        assert!(matches!(
            parse_base_url("A", "http://10.0.0.1"),
            Err(ConfigError::InsecureUrl { .. })
        ));
        assert!(matches!(
            parse_base_url("A", "http://example.com"),
            Err(ConfigError::InsecureUrl { .. })
        ));
        for bad in ["ftp://x", "not a url", "https://x.y/?a=1", ""] {
            assert!(
                matches!(parse_base_url("A", bad), Err(ConfigError::BadUrl { .. })),
                "{bad}"
            );
        }
        assert_eq!(
            AppConfig::resolve(env(&[]), None).unwrap_err(),
            ConfigError::NoDataDir
        );
    }
}
