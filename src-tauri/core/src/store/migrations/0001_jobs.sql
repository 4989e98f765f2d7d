-- One row per generation job. `seq` is the row's stable integer key: the full-text index points at it and
-- keyset pagination breaks created_at ties with it. `id` is the uuid the rest of the app uses.
CREATE TABLE jobs (
    seq               INTEGER PRIMARY KEY,
    id                TEXT    NOT NULL UNIQUE,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('uploading', 'submitting', 'queued', 'running',
                                                         'downloading', 'done', 'failed', 'submission_uncertain')),
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
    error_en          TEXT,
    error_zh          TEXT,
    demo              INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    retry_of          TEXT    REFERENCES jobs (id) ON DELETE SET NULL,
    finished_at       INTEGER,
    -- Thumbnails stay the last columns: SQLite then never has to walk their overflow pages to read the
    -- columns a list or a search needs.
    first_thumb       BLOB,
    last_thumb        BLOB
);

CREATE INDEX jobs_newest ON jobs (created_at DESC, seq DESC);
CREATE INDEX jobs_status_newest ON jobs (status, created_at DESC, seq DESC);
CREATE INDEX jobs_retry_of ON jobs (retry_of) WHERE retry_of IS NOT NULL;
CREATE INDEX jobs_task_id ON jobs (task_id) WHERE task_id IS NOT NULL;

-- Prompt search. Trigrams match any substring of three or more characters, which is what Chinese text
-- (no spaces between words) needs; shorter search terms fall back to LIKE.
CREATE VIRTUAL TABLE jobs_fts USING fts5 (prompt, content = 'jobs', content_rowid = 'seq', tokenize = 'trigram');

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
