//! The inline player's video source: a loopback HTTP server that streams a finished job's file from disk and
//! honours `Range` requests.
//!
//! Why not the webview's own ways: WebKitGTK 2.50 reads `blob:` URLs wrongly past 2 MiB (GStreamer gets bytes
//! from 2 MiB further on, so every real clip fails to decode a moment after it starts), and its player cannot
//! read the asset protocol at all. A plain HTTP source with byte ranges is what its player reads best.
//!
//! What it serves: `/video/<launch token>/<job id>` only, the stored file of that job while the job is done,
//! nothing else on disk. The token is random per server (per app launch), so no other local program or web
//! page can guess a URL; every refusal is a bare 404 that tells nothing about what exists.

mod access;
mod body;
mod error;
mod range;
mod serve;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use access::AccessToken;
pub use body::BufferStats;
pub use error::MediaError;
pub use range::RangeRequest;

/// Where the finished videos are: the job history, or a stand-in in tests.
pub trait VideoSource: Send + Sync + 'static {
    /// The file of a finished job; `None` for an unknown job, an unfinished one, or when it cannot be told.
    fn finished_video(&self, job_id: &str) -> Option<PathBuf>;
}

impl VideoSource for crate::store::Store {
    fn finished_video(&self, job_id: &str) -> Option<PathBuf> {
        match crate::store::Store::finished_video(self, job_id) {
            Ok(path) => path,
            Err(e) => {
                tracing::warn!(error = %e, "video lookup failed");
                None
            }
        }
    }
}

/// Who may read the videos' pixels from script (a canvas drawing a frame): the app's own page origins,
/// e.g. `tauri://localhost` (Linux, macOS) and `http://tauri.localhost` (Windows). Playback alone needs none.
#[derive(Clone, Debug, Default)]
pub struct MediaOptions {
    pub allowed_origins: Vec<String>,
}

/// The running server; stops (with every open connection) when dropped.
pub struct MediaServer {
    addr: SocketAddr,
    token: AccessToken,
    stats: Arc<BufferStats>,
    accept_loop: JoinHandle<()>,
}

impl MediaServer {
    /// Binds 127.0.0.1 on a port the OS picks and starts serving. Needs a tokio runtime.
    pub async fn start(
        source: Arc<dyn VideoSource>,
        options: MediaOptions,
    ) -> Result<Self, MediaError> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(MediaError::Bind)?;
        let addr = listener.local_addr().map_err(MediaError::Bind)?;
        let token = AccessToken::random();
        let stats = Arc::new(BufferStats::default());
        let shared = Arc::new(serve::Shared {
            token: token.clone(),
            source,
            allowed_origins: options.allowed_origins,
            stats: stats.clone(),
        });
        let accept_loop = tokio::spawn(serve::accept_loop(listener, shared));
        Ok(Self {
            addr,
            token,
            stats,
            accept_loop,
        })
    }

    /// The URL the player loads for `job_id`. It works while this server runs and only for that job's file.
    pub fn video_url(&self, job_id: &str) -> String {
        format!(
            "http://{}/video/{}/{}",
            self.addr,
            self.token.as_str(),
            job_id
        )
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How much file data the server holds in memory at most (see [`BufferStats`]).
    pub fn stats(&self) -> &BufferStats {
        &self.stats
    }
}

impl Drop for MediaServer {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}
