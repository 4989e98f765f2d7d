-- A job's problem as a catalog message: `error_message` holds `{"key": …, "args": {…}}` (see i18n::Message),
-- rendered in whatever language the window shows, so a new language needs no change to stored rows. It
-- replaces `error_en` and `error_zh`, the finished sentences in two languages.
-- Problems stored before this become the `msg.text` message with their two sentences as its arguments,
-- and read exactly as before.
-- A rebuild like 0004's (new table, copy, drop, recreate indexes and triggers), not ADD COLUMN: the new
-- column must come before the thumbnails (see below). `seq` values are kept, so the full-text index stays
-- valid.
ALTER TABLE jobs RENAME TO jobs_before_0005;

CREATE TABLE jobs (
    seq               INTEGER PRIMARY KEY,
    id                TEXT    NOT NULL UNIQUE,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('uploading', 'submitting', 'queued', 'running',
                                                         'downloading', 'done', 'failed', 'submission_uncertain',
                                                         'not_sent')),
    request_json      TEXT    NOT NULL,
    prompt            TEXT    NOT NULL,
    mode              TEXT,
    resolution        TEXT    NOT NULL,
    ratio             TEXT    NOT NULL,
    duration          INTEGER NOT NULL,
    first_frame_path  TEXT,
    last_frame_path   TEXT,
    first_frame_url   TEXT,
    last_frame_url    TEXT,
    uploads_expire_at INTEGER,
    create_sent_at    INTEGER,
    task_id           TEXT,
    task_status_raw   TEXT,
    video_url         TEXT,
    output_path       TEXT,
    bytes_done        INTEGER NOT NULL DEFAULT 0,
    bytes_total       INTEGER,
    tokens_estimate   INTEGER,
    error_kind        TEXT,
    error_message     TEXT,
    demo              INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    retry_of          TEXT    REFERENCES jobs (id) ON DELETE SET NULL,
    finished_at       INTEGER,
    fingerprint       TEXT,
    error_cause       TEXT,
    -- Thumbnails stay the last columns: SQLite then never has to walk their overflow pages to read the
    -- columns a list or a search needs.
    first_thumb       BLOB,
    last_thumb        BLOB
);

-- A job may name one stored after it (copied in seq order) until the transaction ends.
PRAGMA defer_foreign_keys = ON;

INSERT INTO jobs (seq, id, created_at, updated_at, status, request_json, prompt, mode, resolution, ratio,
                  duration, first_frame_path, last_frame_path, first_frame_url, last_frame_url,
                  uploads_expire_at, create_sent_at, task_id, task_status_raw, video_url, output_path,
                  bytes_done, bytes_total, tokens_estimate, error_kind, error_message, demo, retry_of,
                  finished_at, fingerprint, error_cause, first_thumb, last_thumb)
SELECT seq, id, created_at, updated_at, status, request_json, prompt, mode, resolution, ratio,
       duration, first_frame_path, last_frame_path, first_frame_url, last_frame_url,
       uploads_expire_at, create_sent_at, task_id, task_status_raw, video_url, output_path,
       bytes_done, bytes_total, tokens_estimate, error_kind,
       CASE WHEN error_kind IS NULL AND error_en IS NULL AND error_zh IS NULL THEN NULL
            ELSE json_object('key', 'msg.text',
                             'args', json_object('en', coalesce(error_en, ''), 'zh', coalesce(error_zh, '')))
       END,
       demo, retry_of, finished_at, fingerprint, error_cause, first_thumb, last_thumb
FROM jobs_before_0005
ORDER BY seq;

-- Its indexes and full-text triggers go with it; the implicit DELETE fires no trigger, so the index keeps
-- every prompt.
DROP TABLE jobs_before_0005;

CREATE INDEX jobs_newest ON jobs (created_at DESC, seq DESC);
CREATE INDEX jobs_status_newest ON jobs (status, created_at DESC, seq DESC);
CREATE INDEX jobs_retry_of ON jobs (retry_of) WHERE retry_of IS NOT NULL;
CREATE INDEX jobs_task_id ON jobs (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX jobs_fingerprint ON jobs (fingerprint, created_at DESC) WHERE fingerprint IS NOT NULL;

CREATE TRIGGER jobs_fts_after_insert AFTER INSERT ON jobs BEGIN
    INSERT INTO jobs_fts (rowid, prompt) VALUES (new.seq, new.prompt);
END;

CREATE TRIGGER jobs_fts_after_delete AFTER DELETE ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, prompt) VALUES ('delete', old.seq, old.prompt);
END;

CREATE TRIGGER jobs_fts_after_update AFTER UPDATE OF prompt ON jobs BEGIN
    INSERT INTO jobs_fts (jobs_fts, rowid, prompt) VALUES ('delete', old.seq, old.prompt);
    INSERT INTO jobs_fts (rowid, prompt) VALUES (new.seq, new.prompt);
END;
