-- Uploaded images by SHA-256 of their bytes, so the same frame is not uploaded again while its URL lives.
CREATE TABLE upload_cache (
    sha256     TEXT    PRIMARY KEY,
    json       TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX upload_cache_expiry ON upload_cache (expires_at);
