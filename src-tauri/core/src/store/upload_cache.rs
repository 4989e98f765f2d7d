//! The upload cache kept in the database, so uploads are reused across restarts while their URLs live.

use std::sync::Arc;

use rusqlite::OptionalExtension;

use super::{Store, StoreError};
use crate::api::{UploadCache, Uploaded};

/// [`UploadCache`] over the `upload_cache` table. The trait cannot report errors, so a failed read is a
/// cache miss and a failed write is logged: either way the image is simply uploaded again.
#[derive(Clone, Debug)]
pub struct SqliteUploadCache {
    store: Arc<Store>,
}

impl SqliteUploadCache {
    pub fn new(store: Arc<Store>) -> Self {
        Self { store }
    }
}

fn unix_ms(at: time::OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

impl Store {
    pub fn cached_upload(&self, sha256: &str) -> Result<Option<Uploaded>, StoreError> {
        let conn = self.conn();
        let json: Option<String> = conn
            .prepare_cached("SELECT json FROM upload_cache WHERE sha256 = ?1")?
            .query_row([sha256], |r| r.get(0))
            .optional()?;
        // An entry this build cannot read is as good as none.
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    /// The SHA-256 of the file uploaded to `url` (global or mainland address), while the cache holds it.
    pub fn uploaded_sha256(&self, url: &str) -> Result<Option<String>, StoreError> {
        let conn = self.conn();
        let sha256 = conn
            .prepare_cached(
                "SELECT sha256 FROM upload_cache
                 WHERE json_extract(json, '$.url') = ?1 OR json_extract(json, '$.cn_url') = ?1",
            )?
            .query_row([url], |r| r.get(0))
            .optional()?;
        Ok(sha256)
    }

    /// Stores an upload and drops entries that have already expired (they can never be reused).
    pub fn put_cached_upload(&self, sha256: &str, uploaded: &Uploaded) -> Result<(), StoreError> {
        let json = serde_json::to_string(uploaded).map_err(|e| StoreError::Database {
            detail: format!("upload cache entry: {e}"),
        })?;
        let now = self.now_ms();
        let conn = self.conn();
        conn.prepare_cached(
            "INSERT INTO upload_cache (sha256, json, expires_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (sha256) DO UPDATE SET json = excluded.json, expires_at = excluded.expires_at",
        )?
        .execute((sha256, json, unix_ms(uploaded.expires_at)))?;
        conn.prepare_cached("DELETE FROM upload_cache WHERE expires_at < ?1")?
            .execute([now])?;
        Ok(())
    }
}

impl UploadCache for SqliteUploadCache {
    fn get(&self, sha256: &str) -> Option<Uploaded> {
        match self.store.cached_upload(sha256) {
            Ok(hit) => hit,
            Err(error) => {
                tracing::warn!(%error, "upload cache read failed; uploading again");
                None
            }
        }
    }

    fn put(&self, sha256: String, uploaded: Uploaded) {
        if let Err(error) = self.store.put_cached_upload(&sha256, &uploaded) {
            tracing::warn!(%error, "upload cache write failed");
        }
    }
}
