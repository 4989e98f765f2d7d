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
