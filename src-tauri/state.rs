//! What the shell manages: the resolved configuration, the user's preferences, the token store, the job
//! runner and, in demo mode, the in-process simulated service. Behaviour lives in `seedance_core`; this
//! only holds it and connects it to the app.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use seedance_core::api::ApiConfig;
use seedance_core::config::AppConfig;
use seedance_core::credentials::Credentials;
use seedance_core::i18n::UserFacing;
use seedance_core::jobs::{
    Connection, ConnectionError, ConnectionFuture, ConnectionSource, JobEvents, JobRunner,
};
use seedance_core::media::{MediaError, MediaServer};
use seedance_core::prefs::{Preferences, PrefsStore, PrefsWarning};
use seedance_core::secrets::{ApiToken, SecretError, TokenSource};
use seedance_core::session::live_api_config;
use seedance_core::store::{Store, StoreError};
use seedance_sim::Sim;
use tokio::sync::Mutex;

use crate::error::{IpcError, IpcResult};

/// The pieces a job run needs to find its service, shared between the app state and the runner.
#[derive(Clone)]
pub struct Services {
    pub config: AppConfig,
    pub prefs: Arc<RwLock<Preferences>>,
    /// The token (keychain or launch environment) and the hosts it may go to.
    pub credentials: Arc<Credentials>,
    /// The simulated service while demo mode is on.
    pub demo: Arc<Mutex<Option<Sim>>>,
}

pub struct AppState {
    pub services: Services,
    pub config: AppConfig,
    pub prefs_store: Arc<PrefsStore>,
    /// Set when the preferences file was damaged at start-up; the UI shows it once.
    pub prefs_warning: std::sync::Mutex<Option<PrefsWarning>>,
    /// Jobs, history and the upload cache.
    pub store: Arc<Store>,
    /// The database could not be opened: jobs live in memory only until it is fixed (shown to the user).
    pub store_problem: Option<StoreError>,
    pub runner: JobRunner,
}

impl AppState {
    pub fn new(
        config: AppConfig,
        credentials: Arc<Credentials>,
        events: Arc<dyn JobEvents>,
    ) -> Self {
        let prefs_store = Arc::new(PrefsStore::in_dir(&config.data_dir));
        let loaded = prefs_store.load();
        let (store, store_problem) = open_store(&config.data_dir);
        let services = Services {
            config: config.clone(),
            prefs: Arc::new(RwLock::new(loaded.prefs)),
            credentials,
            demo: Arc::new(Mutex::new(None)),
        };
        let settings = {
            let prefs = services.prefs.clone();
            let data_dir = config.data_dir.clone();
            Arc::new(move || {
                seedance_core::jobs::RunnerPrefs::from_prefs(&read_prefs(&prefs), &data_dir)
            })
        };
        let runner = JobRunner::new(
            store.clone(),
            events,
            Arc::new(services.clone()),
            settings,
            seedance_core::jobs::RunnerTiming::default(),
        );
        Self {
            services,
            config,
            prefs_store,
            prefs_warning: std::sync::Mutex::new(loaded.warning),
            store,
            store_problem,
            runner,
        }
    }

    /// Where fixed and cropped copies of frames are written.
    pub fn frames_dir(&self) -> PathBuf {
        self.config.data_dir.join("frames")
    }

    pub fn prefs(&self) -> Preferences {
        read_prefs(&self.services.prefs)
    }

    pub fn set_prefs(&self, prefs: Preferences) {
        match self.services.prefs.write() {
            Ok(mut p) => *p = prefs,
            Err(poisoned) => *poisoned.into_inner() = prefs,
        }
    }

    pub async fn live_token(&self) -> Result<Option<(ApiToken, TokenSource)>, SecretError> {
        self.services.live_token().await
    }

    pub fn live_api(&self) -> IpcResult<ApiConfig> {
        Ok(live_api_config(&self.config, &self.prefs())?)
    }
}

/// A poisoned lock only means a panic elsewhere while writing a plain value: the value is still usable.
fn read_prefs(prefs: &RwLock<Preferences>) -> Preferences {
    match prefs.read() {
        Ok(p) => p.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

impl Services {
    /// The token in use and where it came from (environment first, then the keychain).
    pub async fn live_token(&self) -> Result<Option<(ApiToken, TokenSource)>, SecretError> {
        self.credentials.current().await
    }

    async fn connection(&self) -> Result<Connection, ConnectionError> {
        if let Some(sim) = self.demo.lock().await.as_ref() {
            let api = ApiConfig::new(&sim.api_base(), &sim.upload_base())
                .map_err(|e| ConnectionError::from_user_facing(&e))?;
            let token = ApiToken::new(sim.token()).ok_or(ConnectionError::NoToken)?;
            return Ok(Connection {
                api,
                token,
                demo: true,
            });
        }
        let (token, _) = self
            .live_token()
            .await
            .map_err(|e| ConnectionError::from_user_facing(&e))?
            .ok_or(ConnectionError::NoToken)?;
        let api = live_api_config(&self.config, &read_prefs(&self.prefs))
            .map_err(|e| ConnectionError::from_user_facing(&e))?;
        // A host the token is not bound to yet is asked about here, before the run can use it.
        let token = self
            .credentials
            .authorize(token, &api)
            .await
            .map_err(|e| ConnectionError::from_user_facing(&e))?;
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

/// The database file in the data folder. If it cannot be opened (disk full, damaged, written by a newer
/// version), the app still starts with an in-memory database and tells the user, rather than refusing to open.
fn open_store(data_dir: &std::path::Path) -> (Arc<Store>, Option<StoreError>) {
    let opened = std::fs::create_dir_all(data_dir)
        .map_err(|e| StoreError::CannotOpen {
            detail: format!("{}: {e}", data_dir.display()),
        })
        .and_then(|()| Store::open(&data_dir.join("seedance.db")));
    match opened {
        Ok(store) => (Arc::new(store), None),
        Err(e) => {
            log::error!("job database unavailable: {}", e.kind());
            // An in-memory SQLite database only fails when the process is out of memory.
            #[allow(clippy::expect_used)]
            let mem = Store::open_in_memory().expect("in-memory database");
            (Arc::new(mem), Some(e))
        }
    }
}

/// The frame handles handed to the webview in this run (see `seedance_core::frame_handles`); managed on
/// its own so the drop listener and every frame command reach it.
#[derive(Clone, Default)]
pub struct Frames(pub Arc<seedance_core::frame_handles::FrameHandles>);

/// The inline player's loopback video source, started once per launch. If the system refused it a local
/// port, playback says so and "Open" (the system player) still works.
pub struct PlayerSource(pub Result<MediaServer, MediaError>);

impl PlayerSource {
    pub fn server(&self) -> IpcResult<&MediaServer> {
        self.0.as_ref().map_err(IpcError::from_user_facing)
    }
}
