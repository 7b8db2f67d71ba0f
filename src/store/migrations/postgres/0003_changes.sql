-- Every write, recorded in the same transaction: who, when, what, and the object before and
-- after (JSON). No foreign key to namespaces: the history of a deleted namespace stays.
CREATE TABLE changes (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    namespace_key TEXT    NOT NULL,
    resource_type TEXT    NOT NULL,
    resource_key  TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    actor         TEXT    NOT NULL,
    before        TEXT    NULL,
    after         TEXT    NULL,
    created_at    BIGINT  NOT NULL
);

CREATE INDEX changes_by_namespace ON changes (namespace_key, id);
CREATE INDEX changes_by_resource ON changes (namespace_key, resource_type, resource_key, id);
