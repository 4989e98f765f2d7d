-- Saved presets: a name and the generation settings, optionally a prompt and frames (copies kept in the app's
-- presets folder; only their file names are stored, so moving the data folder keeps them working).
-- Built-in starters carry a builtin_key and are never renamed, changed or deleted.
CREATE TABLE presets (
    id            TEXT    PRIMARY KEY,
    builtin_key   TEXT    UNIQUE,
    name          TEXT    NOT NULL,
    -- Trimmed and lower-cased name: "Vertical" and "vertical " are the same preset to a user.
    name_key      TEXT    NOT NULL UNIQUE,
    position      INTEGER NOT NULL,
    is_default    INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    settings_json TEXT    NOT NULL,
    prompt        TEXT,
    first_frame   TEXT,
    last_frame    TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- At most one default preset, enforced by the database rather than by care.
CREATE UNIQUE INDEX presets_single_default ON presets (is_default) WHERE is_default = 1;
CREATE INDEX presets_order ON presets (position);
