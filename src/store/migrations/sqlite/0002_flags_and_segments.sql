-- The full Flipt v1 model (reference §1.2). Children are bound to their parents by foreign
-- keys; a cascade happens only when the parent itself is deleted. Segments referenced by a
-- rule or a rollout cannot be deleted (RESTRICT). Enums are Flipt's integers.

CREATE TABLE flags (
    namespace_key      TEXT    NOT NULL REFERENCES namespaces (key) ON DELETE CASCADE,
    key                TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    description        TEXT    NOT NULL DEFAULT '',
    enabled            INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    type               INTEGER NOT NULL DEFAULT 0 CHECK (type IN (0, 1)),
    default_variant_id TEXT    NULL REFERENCES variants (id) ON DELETE SET NULL,
    metadata           TEXT    NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    PRIMARY KEY (namespace_key, key)
);

CREATE TABLE variants (
    id            TEXT    NOT NULL PRIMARY KEY,
    namespace_key TEXT    NOT NULL REFERENCES namespaces (key) ON DELETE CASCADE,
    flag_key      TEXT    NOT NULL,
    key           TEXT    NOT NULL,
    name          TEXT    NOT NULL DEFAULT '',
    description   TEXT    NOT NULL DEFAULT '',
    attachment    TEXT    NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (namespace_key, flag_key, key),
    FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, key) ON DELETE CASCADE
);

CREATE TABLE segments (
    namespace_key TEXT    NOT NULL REFERENCES namespaces (key) ON DELETE CASCADE,
    key           TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    description   TEXT    NOT NULL DEFAULT '',
    match_type    INTEGER NOT NULL DEFAULT 0 CHECK (match_type IN (0, 1)),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (namespace_key, key)
);

CREATE TABLE constraints (
    id            TEXT    NOT NULL PRIMARY KEY,
    namespace_key TEXT    NOT NULL REFERENCES namespaces (key) ON DELETE CASCADE,
    segment_key   TEXT    NOT NULL,
    type          INTEGER NOT NULL,
    property      TEXT    NOT NULL,
    operator      TEXT    NOT NULL,
    value         TEXT    NOT NULL DEFAULT '',
    description   TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, key) ON DELETE CASCADE
);

CREATE TABLE rules (
    id               TEXT    NOT NULL PRIMARY KEY,
    namespace_key    TEXT    NOT NULL REFERENCES namespaces (key) ON DELETE CASCADE,
    flag_key         TEXT    NOT NULL,
    rank             INTEGER NOT NULL DEFAULT 1,
    segment_operator INTEGER NOT NULL DEFAULT 0 CHECK (segment_operator IN (0, 1)),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, key) ON DELETE CASCADE
);

-- `position` keeps a rule's segments in the order they were given.
CREATE TABLE rule_segments (
    rule_id       TEXT    NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
    namespace_key TEXT    NOT NULL,
    segment_key   TEXT    NOT NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (rule_id, namespace_key, segment_key),
    FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, key) ON DELETE RESTRICT
);

CREATE TABLE distributions (
    id         TEXT    NOT NULL PRIMARY KEY,
    rule_id    TEXT    NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
    variant_id TEXT    NOT NULL REFERENCES variants (id) ON DELETE CASCADE,
    rollout    REAL    NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE rollouts (
    id            TEXT    NOT NULL PRIMARY KEY,
    namespace_key TEXT    NOT NULL REFERENCES namespaces (key) ON DELETE CASCADE,
    flag_key      TEXT    NOT NULL,
    type          INTEGER NOT NULL CHECK (type IN (1, 2)),
    description   TEXT    NOT NULL DEFAULT '',
    rank          INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    FOREIGN KEY (namespace_key, flag_key) REFERENCES flags (namespace_key, key) ON DELETE CASCADE
);

CREATE TABLE rollout_thresholds (
    id            TEXT    NOT NULL PRIMARY KEY,
    namespace_key TEXT    NOT NULL REFERENCES namespaces (key) ON DELETE CASCADE,
    rollout_id    TEXT    NOT NULL UNIQUE REFERENCES rollouts (id) ON DELETE CASCADE,
    percentage    REAL    NOT NULL DEFAULT 0,
    value         INTEGER NOT NULL DEFAULT 0 CHECK (value IN (0, 1))
);

CREATE TABLE rollout_segments (
    id               TEXT    NOT NULL PRIMARY KEY,
    rollout_id       TEXT    NOT NULL UNIQUE REFERENCES rollouts (id) ON DELETE CASCADE,
    value            INTEGER NOT NULL DEFAULT 0 CHECK (value IN (0, 1)),
    segment_operator INTEGER NOT NULL DEFAULT 0 CHECK (segment_operator IN (0, 1))
);

CREATE TABLE rollout_segment_references (
    rollout_segment_id TEXT    NOT NULL REFERENCES rollout_segments (id) ON DELETE CASCADE,
    namespace_key      TEXT    NOT NULL,
    segment_key        TEXT    NOT NULL,
    position           INTEGER NOT NULL DEFAULT 0,
    UNIQUE (rollout_segment_id, namespace_key, segment_key),
    FOREIGN KEY (namespace_key, segment_key) REFERENCES segments (namespace_key, key) ON DELETE RESTRICT
);

CREATE INDEX flags_by_created ON flags (namespace_key, created_at);
CREATE INDEX variants_by_flag ON variants (namespace_key, flag_key, created_at);
CREATE INDEX segments_by_created ON segments (namespace_key, created_at);
CREATE INDEX constraints_by_segment ON constraints (namespace_key, segment_key, created_at);
CREATE INDEX rules_by_flag ON rules (namespace_key, flag_key, rank);
CREATE INDEX rule_segments_by_segment ON rule_segments (namespace_key, segment_key);
CREATE INDEX distributions_by_rule ON distributions (rule_id, created_at);
CREATE INDEX distributions_by_variant ON distributions (variant_id);
CREATE INDEX rollouts_by_flag ON rollouts (namespace_key, flag_key, rank);
CREATE INDEX rollout_refs_by_segment ON rollout_segment_references (namespace_key, segment_key);
CREATE INDEX flags_by_default_variant ON flags (default_variant_id);
