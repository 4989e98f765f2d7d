-- Two processes, one history: the app and the `seedance` CLI may run at once on one database. A lease says
-- which process drives a job (or feeds a batch) now: `subject` is the job's id, or `batch:` and the batch's
-- id. `owner` is the holding runner's id (random, with its process id), `pid` and `host` let a process on
-- the same machine see that the holder has died, `heartbeat_at` (unix milliseconds) is renewed while it
-- drives. Another process takes a lease over only when the heartbeat is older than the bound, or the holder
-- is provably dead. Rows go when their run ends; a row left by a crash is taken over, never trusted.
CREATE TABLE leases (
    subject      TEXT    PRIMARY KEY,
    owner        TEXT    NOT NULL,
    pid          INTEGER NOT NULL,
    host         TEXT    NOT NULL,
    heartbeat_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX leases_owner ON leases (owner);

-- Another process's changes are read by what changed since the last look (see `Store::jobs_changed_since`).
CREATE INDEX jobs_updated ON jobs (updated_at);
CREATE INDEX batches_updated ON batches (updated_at);

-- Jobs deleted, for another process to take off its screen: read by sequence (no clock involved), only the
-- most recent thousand kept.
CREATE TABLE job_deletions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id  TEXT NOT NULL
);

CREATE TRIGGER jobs_deletion_logged AFTER DELETE ON jobs BEGIN
    INSERT INTO job_deletions (id) VALUES (old.id);
    DELETE FROM job_deletions WHERE seq <= (SELECT max(seq) FROM job_deletions) - 1000;
END;
