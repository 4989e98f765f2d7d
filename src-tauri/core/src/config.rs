//! Where the app keeps its data and which hosts it talks to. Each can be overridden from the environment
//! (`SEEDANCE_DATA_DIR`, and `SEEDANCE_API_BASE` / `SEEDANCE_UPLOAD_BASE` through [`ApiConfig`]), so tests and
//! users behind a proxy can point the app elsewhere.

use std::path::PathBuf;

use crate::api::{ApiConfig, BaseUrlError};
use crate::i18n::{Message, UserFacing};

pub const ENV_DATA_DIR: &str = "SEEDANCE_DATA_DIR";
/// The job database's file name in the data folder.
pub const DATABASE_FILE: &str = "seedance.db";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    pub data_dir: PathBuf,
    /// The service hosts from the environment (production unless overridden).
    pub api: ApiConfig,
    /// `SEEDANCE_API_BASE` was set: it then wins over the API address in Settings.
    pub api_base_from_env: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error(transparent)]
    Api(#[from] BaseUrlError),
    #[error("no data directory could be determined; set {ENV_DATA_DIR}")]
    NoDataDir,
}

impl UserFacing for ConfigError {
    fn kind(&self) -> &'static str {
        match self {
            Self::Api(e) => e.kind(),
            Self::NoDataDir => "config_no_data_dir",
        }
    }

    fn msg(&self) -> Message {
        match self {
            Self::Api(e) => e.msg(),
            Self::NoDataDir => Message::new("msg.config.no_data_dir").arg("env", ENV_DATA_DIR),
        }
    }
}

impl AppConfig {
    /// Resolves the configuration from an environment lookup and the platform's default data folder.
    pub fn resolve(
        env: impl Fn(&str) -> Option<String>,
        default_data_dir: Option<PathBuf>,
    ) -> Result<Self, ConfigError> {
        let data_dir = match env(ENV_DATA_DIR).filter(|v| !v.trim().is_empty()) {
            Some(d) => PathBuf::from(d),
            None => default_data_dir.ok_or(ConfigError::NoDataDir)?,
        };
        let api_base_from_env = env(crate::api::API_BASE_ENV).is_some_and(|v| !v.trim().is_empty());
        Ok(Self {
            data_dir,
            api: ApiConfig::from_lookup(env)?,
            api_base_from_env,
        })
    }

    /// The job database (history, upload cache, presets, batches): one file that every front end shares.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }

    /// Where presets keep copies of their frames.
    pub fn presets_dir(&self) -> PathBuf {
        self.data_dir.join("presets")
    }

    /// Where fixed and cropped copies of frames picked in the app are written.
    pub fn frames_dir(&self) -> PathBuf {
        self.data_dir.join("frames")
    }

    /// Opens the job database, creating the data folder first when it does not exist yet.
    pub fn open_store(&self) -> Result<crate::store::Store, crate::store::StoreError> {
        std::fs::create_dir_all(&self.data_dir).map_err(|e| {
            crate::store::StoreError::CannotOpen {
                detail: format!("{}: {e}", self.data_dir.display()),
            }
        })?;
        crate::store::Store::open(&self.database_path())
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
    use crate::api::{API_BASE_ENV, UPLOAD_BASE_ENV};
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
        assert_eq!(c.api, ApiConfig::production());
        assert_eq!(c.data_dir, PathBuf::from("/d"));
    }

    #[test]
    fn environment_overrides_everything() {
        let c = AppConfig::resolve(
            env(&[
                (API_BASE_ENV, "http://127.0.0.1:8787"),
                (UPLOAD_BASE_ENV, "https://proxy.example.com/files"),
                (ENV_DATA_DIR, "/tmp/sd"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(c.api.api_base.host_str(), Some("127.0.0.1"));
        assert_eq!(
            c.api.upload_base.as_str(),
            "https://proxy.example.com/files"
        );
        assert_eq!(c.data_dir, PathBuf::from("/tmp/sd"));
    }

    #[test]
    fn bad_overrides_and_missing_data_dir_are_reported() {
        let insecure =
            AppConfig::resolve(env(&[(API_BASE_ENV, "http://10.0.0.1")]), Some("/d".into()));
        assert!(matches!(
            insecure,
            Err(ConfigError::Api(BaseUrlError::InsecureUrl { .. }))
        ));
        assert_eq!(
            AppConfig::resolve(env(&[]), None).unwrap_err(),
            ConfigError::NoDataDir
        );
        assert_eq!(ConfigError::NoDataDir.kind(), "config_no_data_dir");
    }

    #[test]
    fn every_front_end_finds_the_same_files_in_the_data_folder() {
        let c = AppConfig::resolve(env(&[(ENV_DATA_DIR, "/tmp/sd")]), None).unwrap();
        assert_eq!(c.database_path(), PathBuf::from("/tmp/sd/seedance.db"));
        assert_eq!(c.presets_dir(), PathBuf::from("/tmp/sd/presets"));
        assert_eq!(c.frames_dir(), PathBuf::from("/tmp/sd/frames"));
    }

    #[test]
    fn opening_the_store_creates_the_data_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("new").join("data");
        let c = AppConfig::resolve(env(&[(ENV_DATA_DIR, dir.to_str().unwrap())]), None).unwrap();
        drop(c.open_store().unwrap());
        assert!(c.database_path().is_file());
    }
}
