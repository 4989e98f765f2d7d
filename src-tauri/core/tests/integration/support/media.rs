//! Shared helpers of the media server tests: a real job history with finished and unfinished jobs, the
//! server over it, and a raw HTTP/1.1 client for requests a URL library would tidy up first.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use seedance_core::api::TaskId;
use seedance_core::media::{MediaOptions, MediaServer};
use seedance_core::store::{JobStatus, NewJob, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const APP_ORIGIN: &str = "tauri://localhost";

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub store: Arc<Store>,
    pub server: MediaServer,
}

impl Fixture {
    pub async fn start() -> Self {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let server = MediaServer::start(
            store.clone(),
            MediaOptions {
                allowed_origins: vec![APP_ORIGIN.into(), "http://tauri.localhost".into()],
            },
        )
        .await
        .unwrap();
        Self {
            dir: tempfile::tempdir().unwrap(),
            store,
            server,
        }
    }

    /// A file in the fixture's folder with `len` bytes no two neighbouring ranges share.
    pub fn write_clip(&self, name: &str, len: usize) -> (PathBuf, Vec<u8>) {
        let bytes: Vec<u8> = (0..len).map(|i| ((i * 7 + i / 251) % 251) as u8).collect();
        let path = self.dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        (path, bytes)
    }

    /// A job that reached `done` with `path` as its video.
    pub fn done_job(&self, path: &Path) -> String {
        let id = self.downloading_job();
        self.store.set_done(&id, path).unwrap();
        id
    }

    /// A job whose video is still downloading (a planned output path, but not done).
    pub fn downloading_job(&self) -> String {
        let id = self.store.insert_job(NewJob::default()).unwrap().id;
        self.store.mark_create_sent(&id).unwrap();
        self.store
            .set_task_id(&id, &TaskId(format!("task-{id}")))
            .unwrap();
        self.store
            .set_video_url(&id, "http://127.0.0.1:9/v.mp4")
            .unwrap();
        self.store.set_status(&id, JobStatus::Downloading).unwrap();
        id
    }

    /// Everything in the URL after the host: `/video/<token>/<id>`.
    pub fn target(&self, job_id: &str) -> String {
        let url = self.server.video_url(job_id);
        let host = self.server.addr().to_string();
        url.split_once(&host).unwrap().1.to_owned()
    }
}

/// A response as bytes arrived: status, headers (lower-case names), body.
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `method target` exactly as written (no normalising of `..` or `%2F`) with `headers`, and reads the
/// whole response (the connection is closed after it).
pub async fn raw(
    server: &MediaServer,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
) -> RawResponse {
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    let mut request = format!(
        "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        server.addr()
    );
    for (n, v) in headers {
        request.push_str(&format!("{n}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut all = Vec::new();
    stream.read_to_end(&mut all).await.unwrap();
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8(all[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    RawResponse {
        status,
        headers,
        body: all[split + 4..].to_vec(),
    }
}

pub async fn get(fx: &Fixture, job_id: &str, headers: &[(&str, &str)]) -> RawResponse {
    raw(&fx.server, "GET", &fx.target(job_id), headers).await
}
