//! Simulated SinanCode service on loopback: task creation and polling, uploads, and a signed,
//! expiring result host. Used by client tests, the app's demo mode and the `seedance-sim` binary.

mod faults;
mod md5;
mod model;
mod results;
mod server;
mod state;
mod tasks;
mod uploads;
mod validate;

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use rand::RngCore;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use model::{
    Counts, Fault, RequestRecord, ResultShape, Route, TaskFailure, TaskScript, Vocabulary,
};
pub use results::SAMPLE_MP4;
pub use uploads::{sniff_content_type, MAX_UPLOAD_BYTES};
pub use validate::{validate_create_body, MAX_PROMPT_CHARS, RATIOS, RESOLUTIONS};

use state::Shared;

#[derive(Clone, Debug)]
pub struct SimConfig {
    /// The one Bearer token accepted.
    pub token: String,
    /// A task stays queued this long after create.
    pub queued_for: Duration,
    /// Then running this long, then done.
    pub running_for: Duration,
    /// Result links stay valid this long after the task finished.
    pub link_ttl: Duration,
    /// Uploads' `expires_at` is now plus this.
    pub upload_ttl: Duration,
    /// How long a `Fault::Hang` holds the request.
    pub hang_for: Duration,
    /// Served as every task's video instead of [`SAMPLE_MP4`] (read once at start), so transfers of
    /// realistic size can be measured.
    pub result_file: Option<PathBuf>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            token: "sim-token".to_owned(),
            queued_for: Duration::from_secs(1),
            running_for: Duration::from_secs(4),
            link_ttl: Duration::from_secs(24 * 60 * 60),
            upload_ttl: Duration::from_secs(72 * 60 * 60),
            hang_for: Duration::from_secs(120),
            result_file: None,
        }
    }
}

impl SimConfig {
    /// Short phases for tests.
    pub fn fast() -> Self {
        SimConfig {
            queued_for: Duration::from_millis(50),
            running_for: Duration::from_millis(150),
            ..SimConfig::default()
        }
    }
}

/// A running simulator; dropping it (or `shutdown().await`) stops both servers.
pub struct Sim {
    shared: Arc<Shared>,
    servers: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("api_base", &self.shared.api_base)
            .field("result_base", &self.shared.result_base)
            .finish_non_exhaustive()
    }
}

impl Sim {
    /// Binds two listeners on 127.0.0.1 with ports chosen by the OS.
    pub async fn start(config: SimConfig) -> std::io::Result<Sim> {
        Sim::start_on(config, 0, 0).await
    }

    /// Binds 127.0.0.1 only; a port of 0 lets the OS choose. Fails if `config.result_file` cannot be read.
    pub async fn start_on(
        config: SimConfig,
        api_port: u16,
        files_port: u16,
    ) -> std::io::Result<Sim> {
        let api_listener = TcpListener::bind((Ipv4Addr::LOCALHOST, api_port)).await?;
        let files_listener = TcpListener::bind((Ipv4Addr::LOCALHOST, files_port)).await?;
        let api_base = format!("http://127.0.0.1:{}", api_listener.local_addr()?.port());
        let result_base = format!("http://127.0.0.1:{}", files_listener.local_addr()?.port());
        let result_video = match &config.result_file {
            Some(path) => Bytes::from(tokio::fs::read(path).await?),
            None => Bytes::from_static(SAMPLE_MP4),
        };
        let mut link_key = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut link_key);
        let shared = Arc::new(Shared::new(
            config,
            link_key,
            api_base,
            result_base,
            result_video,
        ));
        let servers = vec![
            tokio::spawn(server::serve(
                api_listener,
                server::api_router(shared.clone()),
            )),
            tokio::spawn(server::serve(
                files_listener,
                server::files_router(shared.clone()),
            )),
        ];
        Ok(Sim { shared, servers })
    }

    /// `http://127.0.0.1:PORT`, serving `/v1/...`; no trailing slash.
    pub fn api_base(&self) -> String {
        self.shared.api_base.clone()
    }

    /// Same listener as `api_base`, serving `/api/upload/...`.
    pub fn upload_base(&self) -> String {
        self.shared.api_base.clone()
    }

    /// The second listener: result MP4s and uploaded files.
    pub fn result_base(&self) -> String {
        self.shared.result_base.clone()
    }

    pub fn token(&self) -> &str {
        &self.shared.config.token
    }

    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    /// FIFO per route; each queued fault applies to exactly one request.
    pub fn push_fault(&self, route: Route, fault: Fault) {
        self.shared
            .lock()
            .faults
            .entry(route)
            .or_default()
            .push_back(fault);
    }

    /// Drops every fault still queued.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Applies to the next task created (FIFO).
    pub fn script_next_task(&self, script: TaskScript) {
        self.shared.lock().scripts.push_back(script);
    }

    pub fn counts(&self) -> Counts {
        self.shared.lock().counts
    }

    /// Every routed request, in arrival order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.lock().log.clone()
    }

    /// The requests from number `first` (0-based, in arrival order) on: a log reader's next batch.
    pub fn requests_since(&self, first: usize) -> Vec<RequestRecord> {
        self.shared
            .lock()
            .log
            .get(first..)
            .map(<[RequestRecord]>::to_vec)
            .unwrap_or_default()
    }

    /// Makes every result link issued so far expired; later polls hand out fresh links.
    pub fn expire_links(&self) {
        let mut guard = self.shared.lock();
        let inner = &mut *guard;
        for (id, task) in inner.tasks.iter_mut() {
            if let Some(expires) = task.link_expires.take() {
                inner.revoked_links.insert((id.clone(), expires));
            }
        }
    }

    pub async fn shutdown(mut self) {
        let servers = std::mem::take(&mut self.servers);
        for server in &servers {
            server.abort();
        }
        for server in servers {
            let _ = server.await;
        }
    }
}

// The app keeps a `Sim` in shared state for demo mode.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Sim>();
};

impl Drop for Sim {
    fn drop(&mut self) {
        for server in &self.servers {
            server.abort();
        }
    }
}
