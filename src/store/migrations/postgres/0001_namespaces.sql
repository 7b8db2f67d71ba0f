-- Namespaces own every flag and segment. Timestamps are Unix nanoseconds (UTC).
-- `version` counts updates of the namespace's own metadata (optimistic concurrency);
-- `data_version` counts every committed write inside the namespace (cache keys, UI refetch).
-- Booleans are 0/1 integers so that one set of repository queries serves SQLite and PostgreSQL.
CREATE TABLE namespaces (
    key          TEXT    NOT NULL PRIMARY KEY,
    name         TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    protected    BIGINT  NOT NULL DEFAULT 0 CHECK (protected IN (0, 1)),
    version      BIGINT  NOT NULL DEFAULT 1,
    data_version BIGINT  NOT NULL DEFAULT 1,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);

INSERT INTO namespaces (key, name, description, protected, created_at, updated_at)
VALUES ('default', 'Default', 'Default namespace', 1,
        (extract(epoch FROM now()) * 1000000000)::BIGINT,
        (extract(epoch FROM now()) * 1000000000)::BIGINT);
