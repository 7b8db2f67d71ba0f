-- Access control. `authentications` holds API tokens exactly as Flipt stores them (the SHA-256
-- of the token, never the token), plus our `role`; NULL means a token created the Flipt way,
-- with full access inside its namespace scope (metadata `io.flipt.auth.token.namespace`).
CREATE TABLE authentications (
    id                  TEXT    PRIMARY KEY,
    hashed_client_token TEXT    NOT NULL UNIQUE,
    method              BIGINT  NOT NULL,
    metadata            TEXT    NOT NULL,
    role                TEXT    NULL,
    expires_at          BIGINT  NULL,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL,
    last_used_at        BIGINT  NULL
);

-- Dashboard sessions: a row per sign-in, so signing out or revoking ends it on every replica.
-- `grants` is a JSON list of {"role","namespace"}; a session made from a token follows that
-- token (and dies with it).
CREATE TABLE sessions (
    id                TEXT    PRIMARY KEY,
    hashed_secret     TEXT    NOT NULL UNIQUE,
    method            BIGINT  NOT NULL,
    authentication_id TEXT    NULL REFERENCES authentications (id) ON DELETE CASCADE,
    email             TEXT    NULL,
    name              TEXT    NOT NULL,
    grants            TEXT    NOT NULL,
    expires_at        BIGINT  NOT NULL,
    created_at        BIGINT  NOT NULL,
    last_seen_at      BIGINT  NOT NULL
);

CREATE INDEX sessions_by_authentication ON sessions (authentication_id);

-- An OpenID Connect login in progress: the state, nonce and PKCE verifier of one browser's
-- sign-in, so any replica can complete the callback. Removed when used or expired.
CREATE TABLE oidc_logins (
    state      TEXT    PRIMARY KEY,
    nonce      TEXT    NOT NULL,
    verifier   TEXT    NOT NULL,
    next_path  TEXT    NOT NULL,
    expires_at BIGINT  NOT NULL
);

-- Bumped by every revocation, expiry and sign-out: replicas that see it move drop their cache
-- of verified credentials.
CREATE TABLE auth_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT  NOT NULL
);

INSERT INTO auth_state (id, version) VALUES (1, 0);
