-- Batches: rows that group jobs (one queue, many front ends). A batch's jobs are ordinary jobs, stored with
-- the batch in one transaction before any create request is sent; while waiting for their turn they are
-- `not_sent`, and the batch's runner moves them on one at a time under the usual money rules.
--   * `state`: `running` (its waiting jobs are sent as turns free up), `paused` (none is sent; jobs whose
--     create was sent go on), `cancelled` (its unsent jobs were failed), `finished` (nothing left to send
--     or wait for). It lives here, so a pause survives a restart.
--   * `fingerprint`: SHA-256 of its jobs' fingerprints in order, so the same batch started twice moments
--     apart (a double click) is refused unless the user asks for it again.
--   * `total_json`: the plan's total as the confirmation stated it (`batch::BatchTotal`).
-- Jobs are linked through `batch_jobs`, not new columns: `jobs` keeps its thumbnails last without another
-- rebuild, and a job deleted from history leaves its batch (the link goes with it).
CREATE TABLE batches (
    seq          INTEGER PRIMARY KEY,
    id           TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    source       TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('running', 'paused', 'cancelled', 'finished')),
    tokens_min   INTEGER NOT NULL,
    tokens_max   INTEGER NOT NULL,
    total_json   TEXT    NOT NULL,
    demo         INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    fingerprint  TEXT    NOT NULL
);

CREATE INDEX batches_newest ON batches (created_at DESC, seq DESC);
CREATE INDEX batches_fingerprint ON batches (fingerprint, created_at DESC);

CREATE TABLE batch_jobs (
    job_id   TEXT    PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    batch_id TEXT    NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    -- 1-based, as in the plan and the review table.
    item     INTEGER NOT NULL,
    take     INTEGER NOT NULL,
    UNIQUE (batch_id, item, take)
);
