//! What the shell manages: the resolved configuration, the user's preferences, the session (token store
//! and demo mode), the job runner and the inline player's source. Behaviour lives in `seedance_core`;
//! this only holds it and connects it to the app.

use std::path::PathBuf;
use std::sync::Arc;

use seedance_core::config::AppConfig;
use seedance_core::credentials::Credentials;
use seedance_core::i18n::UserFacing;
use seedance_core::jobs::{JobEvents, JobRunner, RunnerPrefs, RunnerTiming, SpendPolicy};
use seedance_core::media::{MediaError, MediaServer};
use seedance_core::prefs::{Preferences, PrefsHandle, PrefsStore, PrefsWarning};
use seedance_core::session::Services;
use seedance_core::store::{Store, StoreError};

use crate::error::{IpcError, IpcResult};

pub struct AppState {
    /// Which service jobs go to, with which token; also the job runner's source of connections.
    pub services: Arc<Services>,
    pub config: AppConfig,
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
        let (prefs, prefs_warning) = PrefsHandle::load(PrefsStore::in_dir(&config.data_dir));
        let prefs = Arc::new(prefs);
        let (store, store_problem) = open_store(&config);
        let services = Arc::new(Services::new(config.clone(), prefs.clone(), credentials));
        let spend_prefs = prefs.clone();
        let runner_prefs = {
            let data_dir = config.data_dir.clone();
            Arc::new(move || RunnerPrefs::from_prefs(&prefs.snapshot(), &data_dir))
        };
        let runner = JobRunner::new(
            store.clone(),
            events,
            services.clone(),
            runner_prefs,
            RunnerTiming::default(),
        );
        // The limits and rates as last saved, in the OS's time zone as it is at each check.
        runner.set_spend_policy(Arc::new(move || {
            let prefs = spend_prefs.snapshot();
            SpendPolicy {
                limits: prefs.spend_limits,
                rates: prefs.cost_rates,
                zone: seedance_core::spend::local_zone(),
            }
        }));
        Self {
            services,
            config,
            prefs_warning: std::sync::Mutex::new(prefs_warning),
            store,
            store_problem,
            runner,
        }
    }

    /// Where fixed and cropped copies of frames are written.
    pub fn frames_dir(&self) -> PathBuf {
        self.config.frames_dir()
    }

    /// Where job posters are kept (small JPEGs, made once from each finished video).
    pub fn posters_dir(&self) -> PathBuf {
        self.config.data_dir.join("posters")
    }

    /// The preferences as last saved.
    pub fn prefs(&self) -> Preferences {
        self.services.prefs().snapshot()
    }
}

/// The database file in the data folder. If it cannot be opened (disk full, damaged, written by a newer
/// version), the app still starts with an in-memory database and tells the user, rather than refusing to open.
fn open_store(config: &AppConfig) -> (Arc<Store>, Option<StoreError>) {
    match config.open_store() {
        Ok(store) => (Arc::new(store), None),
        Err(e) => {
            tracing::error!("job database unavailable: {}", e.kind());
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
