//! What the shell manages: the resolved configuration, the user's preferences, the token store and, in
//! demo mode, the in-process simulated service. Behaviour lives in `seedance_core`; this only holds it.

use std::path::PathBuf;
use std::sync::Arc;

use seedance_core::api::{ApiConfig, SinanClient};
use seedance_core::config::AppConfig;
use seedance_core::prefs::{Preferences, PrefsStore, PrefsWarning};
use seedance_core::secrets::{
    resolve_token, ApiToken, SecretError, SecretStore, TokenSource, TOKEN_ENV,
};
use seedance_core::session::live_api_config;
use seedance_sim::Sim;
use tokio::sync::{Mutex, RwLock};

use crate::error::{IpcError, IpcResult};

pub struct AppState {
    pub config: AppConfig,
    pub prefs_store: Arc<PrefsStore>,
    pub prefs: RwLock<Preferences>,
    /// Set when the preferences file was damaged at start-up; the UI shows it once.
    pub prefs_warning: std::sync::Mutex<Option<PrefsWarning>>,
    pub secrets: Arc<dyn SecretStore>,
    /// The simulated service while demo mode is on.
    pub demo: Mutex<Option<Sim>>,
}

/// Whom to talk to and with which token, for one operation.
pub struct Connection {
    pub api: ApiConfig,
    pub token: ApiToken,
    pub demo: bool,
}

impl AppState {
    pub fn new(config: AppConfig, secrets: Arc<dyn SecretStore>) -> Self {
        let prefs_store = Arc::new(PrefsStore::in_dir(&config.data_dir));
        let loaded = prefs_store.load();
        Self {
            config,
            prefs_store,
            prefs: RwLock::new(loaded.prefs),
            prefs_warning: std::sync::Mutex::new(loaded.warning),
            secrets,
            demo: Mutex::new(None),
        }
    }

    /// Where fixed and cropped copies of frames are written.
    pub fn frames_dir(&self) -> PathBuf {
        self.config.data_dir.join("frames")
    }

    /// The token in use and where it came from (environment first, then the keychain). The keychain call
    /// blocks on the OS, so it runs on a worker thread.
    pub async fn live_token(&self) -> Result<Option<(ApiToken, TokenSource)>, SecretError> {
        let secrets = self.secrets.clone();
        tokio::task::spawn_blocking(move || {
            resolve_token(std::env::var(TOKEN_ENV).ok().as_deref(), &*secrets)
        })
        .await
        .unwrap_or_else(|e| Err(SecretError::Other(e.to_string())))
    }

    pub async fn live_api(&self) -> IpcResult<ApiConfig> {
        Ok(live_api_config(&self.config, &*self.prefs.read().await)?)
    }

    /// The connection jobs use now: the simulator in demo mode, else the live service with the user's token.
    pub async fn connection(&self) -> IpcResult<Option<Connection>> {
        if let Some(sim) = self.demo.lock().await.as_ref() {
            let api = ApiConfig::new(&sim.api_base(), &sim.upload_base())?;
            let token =
                ApiToken::new(sim.token()).ok_or_else(|| IpcError::internal("empty demo token"))?;
            return Ok(Some(Connection {
                api,
                token,
                demo: true,
            }));
        }
        let Some((token, _)) = self.live_token().await? else {
            return Ok(None);
        };
        Ok(Some(Connection {
            api: self.live_api().await?,
            token,
            demo: false,
        }))
    }

    pub fn client(api: ApiConfig) -> IpcResult<SinanClient> {
        Ok(SinanClient::new(api)?)
    }
}
