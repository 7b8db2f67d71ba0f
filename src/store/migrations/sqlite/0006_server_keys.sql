-- Secrets every replica must share, created by the first server that needs one
-- (INSERT … ON CONFLICT DO NOTHING, then read back): the key that signs the short-lived
-- credentials in OFREP's advertised change-event URLs.
CREATE TABLE server_keys (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
