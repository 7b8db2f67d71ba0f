-- Namespaces own every flag and segment. Timestamps are Unix nanoseconds (UTC).
-- `version` counts updates of the namespace's own metadata (optimistic concurrency);
-- `data_version` counts every committed write inside the namespace (cache keys, UI refetch).
CREATE TABLE namespaces (
    key          TEXT    NOT NULL PRIMARY KEY,
    name         TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    protected    INTEGER NOT NULL DEFAULT 0 CHECK (protected IN (0, 1)),
    version      INTEGER NOT NULL DEFAULT 1,
    data_version INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

INSERT INTO namespaces (key, name, description, protected, created_at, updated_at)
VALUES ('default', 'Default', 'Default namespace', 1,
        unixepoch('now') * 1000000000, unixepoch('now') * 1000000000);
