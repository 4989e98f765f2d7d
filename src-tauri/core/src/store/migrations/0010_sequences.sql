-- Sequences: shots that follow each other, each made by jobs ("takes") that ran through ordinary batches.
--   * `sequences.shots_json`: the ordered shots as the user edited them (`sequence::Shot`: a stable id, the
--     prompt, settings, where the first frame comes from, an optional last frame, the chosen take). A
--     document, written whole: the shots are edited together and read together, and never queried by field.
--   * `shot_takes`: which jobs are takes of which shot. A row goes with its job (history deleted) and with its
--     sequence; a shot removed from the document leaves its rows, which nobody reads any more.
--   * `chained_frames`: a job whose first frame is another job's last frame. The job waits, not sent, until
--     the source job is done; its feeder then writes that frame to `frame_path` (atomically) and only then
--     sends it. `source_job` is not a foreign key: a source deleted from history must leave the link, so the
--     waiting job can say why it can never be sent.
CREATE TABLE sequences (
    seq          INTEGER PRIMARY KEY,
    id           TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    shots_json   TEXT    NOT NULL
);

CREATE INDEX sequences_newest ON sequences (updated_at DESC, seq DESC);

CREATE TABLE shot_takes (
    job_id      TEXT    PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    sequence_id TEXT    NOT NULL REFERENCES sequences (id) ON DELETE CASCADE,
    shot_id     TEXT    NOT NULL
);

CREATE INDEX shot_takes_shot ON shot_takes (sequence_id, shot_id);

CREATE TABLE chained_frames (
    job_id     TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    source_job TEXT NOT NULL,
    frame_path TEXT NOT NULL
);
