//! The session: which service the app talks to right now and with which token. Either the real SinanCode
//! API (hosts from the environment, else the user's API address in the preferences, else production) with
//! the token from the launch environment or the keychain, or the built-in simulated service in demo mode
//! with the simulator's own token. The shell starts and stops the simulator; everything decided about it
//! is here: which one a job gets ([`Services::connection`]), what the UI may know about the token and
//! whether the app needs setting up ([`Services::status`]), and how a change of preferences is confirmed
//! and saved ([`Services::save_preferences`]).

mod demo;
mod preferences;
mod status;

use std::sync::Arc;

use crate::api::{validate_base_url, ApiConfig, BaseUrlError};
use crate::config::AppConfig;
use crate::credentials::Credentials;
use crate::jobs::{Connection, ConnectionError, ConnectionFuture, ConnectionSource};
use crate::prefs::{Preferences, PrefsHandle};
use crate::secrets::{ApiToken, SecretError, TokenSource};

pub use demo::{DemoPace, DemoService, DEMO_PACE};
pub use preferences::PrefsChangeError;
pub use status::{SessionStatus, TokenStatus};

/// The live service's configuration: an environment override wins (it is how tests and scripts point the
/// app elsewhere), then the API address from the preferences, then production.
pub fn live_api_config(app: &AppConfig, prefs: &Preferences) -> Result<ApiConfig, BaseUrlError> {
    let mut api = app.api.clone();
    if !app.api_base_from_env {
        if let Some(base) = prefs.api_base_override() {
            api.api_base = validate_base_url(base)?;
        }
    }
    Ok(api)
}

/// Everything a job run or a command needs to find its service: shared by the app's state and the job
/// runner (as its [`ConnectionSource`]).
pub struct Services {
    config: AppConfig,
    prefs: Arc<PrefsHandle>,
    /// The token (keychain or launch environment) and the hosts it may go to.
    credentials: Arc<Credentials>,
    /// The simulated service while demo mode is on.
    demo: tokio::sync::Mutex<Option<Box<dyn DemoService>>>,
}

impl Services {
    pub fn new(config: AppConfig, prefs: Arc<PrefsHandle>, credentials: Arc<Credentials>) -> Self {
        Self {
            config,
            prefs,
            credentials,
            demo: tokio::sync::Mutex::new(None),
        }
    }

    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    pub fn prefs(&self) -> &Arc<PrefsHandle> {
        &self.prefs
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The token in use and where it came from (environment first, then the keychain).
    pub async fn live_token(&self) -> Result<Option<(ApiToken, TokenSource)>, SecretError> {
        self.credentials.current().await
    }

    /// The live service as the current preferences name it.
    pub fn live_api(&self) -> Result<ApiConfig, BaseUrlError> {
        live_api_config(&self.config, &self.prefs.snapshot())
    }

    pub async fn in_demo(&self) -> bool {
        self.demo.lock().await.is_some()
    }

    /// Switches to the simulated service, started by `start` at [`DEMO_PACE`] unless one already runs.
    pub async fn enter_demo<E, F, Fut>(&self, start: F) -> Result<(), E>
    where
        F: FnOnce(DemoPace) -> Fut,
        Fut: std::future::Future<Output = Result<Box<dyn DemoService>, E>>,
    {
        let mut demo = self.demo.lock().await;
        if demo.is_none() {
            *demo = Some(start(DEMO_PACE).await?);
        }
        Ok(())
    }

    /// Back to the live service; the simulated one is stopped (its unfinished jobs cannot continue).
    pub async fn leave_demo(&self) {
        let demo = self.demo.lock().await.take();
        if let Some(demo) = demo {
            demo.shutdown().await;
        }
    }

    /// The service new jobs go to now: the simulator in demo mode, else the live service with the token
    /// in use, once the user agreed to send it to every host of that service.
    pub async fn connection(&self) -> Result<Connection, ConnectionError> {
        let wrap = |e: &dyn crate::i18n::UserFacing| ConnectionError::from_user_facing(e);
        if let Some(demo) = self.demo.lock().await.as_ref() {
            let api =
                ApiConfig::new(&demo.api_base(), &demo.upload_base()).map_err(|e| wrap(&e))?;
            let token = ApiToken::new(demo.token()).ok_or(ConnectionError::NoToken)?;
            return Ok(Connection {
                api,
                token,
                demo: true,
            });
        }
        let (token, _) = self
            .live_token()
            .await
            .map_err(|e| wrap(&e))?
            .ok_or(ConnectionError::NoToken)?;
        let api = self.live_api().map_err(|e| wrap(&e))?;
        // A host the token is not bound to yet is asked about here, before the run can use it.
        let token = self
            .credentials
            .authorize(token, &api)
            .await
            .map_err(|e| wrap(&e))?;
        Ok(Connection {
            api,
            token,
            demo: false,
        })
    }
}

impl ConnectionSource for Services {
    fn current(&self) -> ConnectionFuture<'_> {
        Box::pin(self.connection())
    }
}

#[cfg(test)]
mod tests;
