-- Restorable copies of whole namespaces (their Flipt document, as JSON), taken automatically
-- before destructive operations and on demand. No foreign key: a snapshot outlives the
-- namespace it saves, which is the point.
CREATE TABLE snapshots (
    id            TEXT    NOT NULL PRIMARY KEY,
    namespace_key TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    automatic     INTEGER NOT NULL CHECK (automatic IN (0, 1)),
    document      TEXT    NOT NULL,
    data_version  INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE INDEX snapshots_by_namespace ON snapshots (namespace_key, created_at);
