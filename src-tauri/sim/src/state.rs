//! Shared simulator state. One `std::sync::Mutex`, never held across an await.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;

use crate::model::{Counts, Fault, RequestRecord, Route, TaskScript};
use crate::SimConfig;

pub(crate) struct Shared {
    pub config: SimConfig,
    /// Per-Sim signing key so links from one Sim never validate on another.
    pub link_key: [u8; 32],
    pub api_base: String,
    pub result_base: String,
    /// What every result link serves.
    pub result_video: Bytes,
    /// Its strong ETag (a hash of the bytes), so a client can resume with `If-Range` as from a CDN.
    pub result_etag: String,
    inner: Mutex<Inner>,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub faults: HashMap<Route, VecDeque<Fault>>,
    pub scripts: VecDeque<TaskScript>,
    pub tasks: HashMap<String, Task>,
    pub uploads: HashMap<String, Upload>,
    /// (task id, expires) of links made expired by `Sim::expire_links`.
    pub revoked_links: HashSet<(String, u64)>,
    pub counts: Counts,
    pub log: Vec<RequestRecord>,
}

pub(crate) struct Task {
    pub created: Instant,
    pub created_unix: u64,
    pub script: TaskScript,
    /// `expires` of the link handed out for this task, fixed once issued so re-polls agree.
    pub link_expires: Option<u64>,
}

pub(crate) enum UploadContent {
    Bytes(Vec<u8>),
    /// `/api/upload/url` does not fetch; serving redirects to the original.
    Remote(String),
}

pub(crate) struct Upload {
    pub content: UploadContent,
    pub content_type: String,
    pub expires_unix: u64,
}

impl Shared {
    pub fn new(
        config: SimConfig,
        link_key: [u8; 32],
        api_base: String,
        result_base: String,
        result_video: Bytes,
    ) -> Self {
        Shared {
            config,
            link_key,
            api_base,
            result_base,
            result_etag: format!(
                "\"{}\"",
                hex::encode(&<sha2::Sha256 as sha2::Digest>::digest(&result_video)[..16])
            ),
            result_video,
            inner: Mutex::new(Inner::default()),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic in another handler must not wedge the whole simulator.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
