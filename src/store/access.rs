//! Tokens, sessions, OIDC logins in progress, and the version that tells replicas to forget
//! the credentials they verified. Tokens and session secrets are stored only as hashes.

use sqlx::{AnyConnection, FromRow};

use super::{sql::sql_limit, Backend, Store, StoreError, Tx};

/// An `authentications` row (Flipt's table, plus `role` and `last_used_at`).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AuthenticationRow {
    pub id: String,
    pub method: i64,
    /// A JSON object of strings.
    pub metadata: String,
    pub role: Option<String>,
    pub expires_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_used_at: Option<i64>,
}

const AUTH_COLUMNS: &str =
    "id, method, metadata, role, expires_at, created_at, updated_at, last_used_at";

/// A `sessions` row.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SessionRow {
    pub id: String,
    pub method: i64,
    pub authentication_id: Option<String>,
    pub email: Option<String>,
    pub name: String,
    /// A JSON list of `{"role","namespace"}`.
    pub grants: String,
    pub expires_at: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
}

const SESSION_COLUMNS: &str =
    "id, method, authentication_id, email, name, grants, expires_at, created_at, last_seen_at";

/// Stores a new authentication under the hash of its token.
pub async fn insert_authentication(
    tx: &mut Tx,
    row: &AuthenticationRow,
    hashed_token: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO authentications (id, hashed_client_token, method, metadata, role, expires_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&row.id)
    .bind(hashed_token)
    .bind(row.method)
    .bind(&row.metadata)
    .bind(&row.role)
    .bind(row.expires_at)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The row of `COLUMNS FROM table` whose `column` equals `value`, if any.
async fn one_where<T>(
    conn: &mut AnyConnection,
    columns_from: &str,
    column: &str,
    value: &str,
) -> Result<Option<T>, StoreError>
where
    T: for<'r> FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let sql = format!("SELECT {columns_from} WHERE {column} = $1");
    Ok(sqlx::query_as(&sql).bind(value).fetch_optional(conn).await?)
}

/// The authentication whose token hashes to `hashed_token`, expired or not.
pub async fn authentication_by_hash(
    conn: &mut AnyConnection,
    hashed_token: &str,
) -> Result<Option<AuthenticationRow>, StoreError> {
    one_where(
        conn,
        &format!("{AUTH_COLUMNS} FROM authentications"),
        "hashed_client_token",
        hashed_token,
    )
    .await
}

pub async fn authentication_by_id(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<AuthenticationRow>, StoreError> {
    one_where(conn, &format!("{AUTH_COLUMNS} FROM authentications"), "id", id).await
}

/// A page of authentications, oldest first (Flipt's order), optionally of one method.
pub async fn list_authentications(
    conn: &mut AnyConnection,
    method: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuthenticationRow>, StoreError> {
    let sql = format!(
        "SELECT {AUTH_COLUMNS} FROM authentications WHERE ($1 IS NULL OR method = $1) \
         ORDER BY created_at, id LIMIT $2 OFFSET $3"
    );
    Ok(sqlx::query_as(&sql)
        .bind(method)
        .bind(sql_limit(limit))
        .bind(offset)
        .fetch_all(conn)
        .await?)
}

pub async fn count_authentications(
    conn: &mut AnyConnection,
    method: Option<i64>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM authentications WHERE ($1 IS NULL OR method = $1)")
        .bind(method)
        .fetch_one(conn)
        .await?)
}

/// Ends every session made from an authentication.
pub async fn delete_sessions_of(tx: &mut Tx, authentication_id: &str) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE authentication_id = $1")
        .bind(authentication_id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes an authentication (its sessions go with it); whether it existed.
pub async fn delete_authentication(tx: &mut Tx, id: &str) -> Result<bool, StoreError> {
    delete_sessions_of(tx, id).await?;
    let done = sqlx::query("DELETE FROM authentications WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Sets when an authentication expires; whether it existed.
pub async fn expire_authentication(
    tx: &mut Tx,
    id: &str,
    at: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE authentications SET expires_at = $1, updated_at = $2 WHERE id = $3")
            .bind(at)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// Records when tokens were last used (batched by the caller, never one write per request).
pub async fn touch_authentications(
    store: &Store,
    used: &[(String, i64)],
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    for (id, at) in used {
        sqlx::query(
            "UPDATE authentications SET last_used_at = $1 WHERE id = $2 \
             AND (last_used_at IS NULL OR last_used_at < $1)",
        )
        .bind(*at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

pub async fn insert_session(
    tx: &mut Tx,
    row: &SessionRow,
    hashed_secret: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sessions (id, hashed_secret, method, authentication_id, email, name, grants, expires_at, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&row.id)
    .bind(hashed_secret)
    .bind(row.method)
    .bind(&row.authentication_id)
    .bind(&row.email)
    .bind(&row.name)
    .bind(&row.grants)
    .bind(row.expires_at)
    .bind(row.created_at)
    .bind(row.last_seen_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn session_by_hash(
    conn: &mut AnyConnection,
    hashed_secret: &str,
) -> Result<Option<SessionRow>, StoreError> {
    one_where(conn, &format!("{SESSION_COLUMNS} FROM sessions"), "hashed_secret", hashed_secret)
        .await
}

pub async fn session_by_id(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<SessionRow>, StoreError> {
    one_where(conn, &format!("{SESSION_COLUMNS} FROM sessions"), "id", id).await
}

/// Sessions that have not expired at `now`, newest first.
pub async fn list_sessions(
    conn: &mut AnyConnection,
    now: i64,
) -> Result<Vec<SessionRow>, StoreError> {
    let sql = format!(
        "SELECT {SESSION_COLUMNS} FROM sessions WHERE expires_at > $1 ORDER BY created_at DESC, id"
    );
    Ok(sqlx::query_as(&sql).bind(now).fetch_all(conn).await?)
}

/// Ends a session; whether it existed.
pub async fn delete_session(tx: &mut Tx, id: &str) -> Result<bool, StoreError> {
    let done =
        sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(done.rows_affected() > 0)
}

/// Serialises bootstrapping between replicas starting at once (SQLite's writer lock already
/// does; PostgreSQL takes a transaction-scoped advisory lock).
pub async fn lock_for_bootstrap(store: &Store, tx: &mut Tx) -> Result<(), StoreError> {
    if store.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(7365786001)").execute(&mut **tx).await?;
    }
    Ok(())
}

/// How many token rows exist, expired ones included (bootstrap runs only when there are none).
pub async fn token_count(conn: &mut AnyConnection, method: i64) -> Result<i64, StoreError> {
    count_authentications(conn, Some(method)).await
}

/// Removes tokens and sessions that expired before `before`, and stale OIDC logins; how many
/// rows went.
pub async fn delete_expired(tx: &mut Tx, before: i64) -> Result<u64, StoreError> {
    let mut removed = 0;
    for sql in [
        "DELETE FROM sessions WHERE expires_at < $1",
        "DELETE FROM sessions WHERE authentication_id IN \
         (SELECT id FROM authentications WHERE expires_at IS NOT NULL AND expires_at < $1)",
        "DELETE FROM authentications WHERE expires_at IS NOT NULL AND expires_at < $1",
        "DELETE FROM oidc_logins WHERE expires_at < $1",
    ] {
        removed += sqlx::query(sql).bind(before).execute(&mut **tx).await?.rows_affected();
    }
    Ok(removed)
}

/// An OIDC sign-in in progress.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OidcLogin {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    pub next_path: String,
    pub expires_at: i64,
}

pub async fn insert_oidc_login(tx: &mut Tx, login: &OidcLogin) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO oidc_logins (state, nonce, verifier, next_path, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&login.state)
    .bind(&login.nonce)
    .bind(&login.verifier)
    .bind(&login.next_path)
    .bind(login.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes and returns the login of `state`: a state is good for one callback only.
pub async fn take_oidc_login(tx: &mut Tx, state: &str) -> Result<Option<OidcLogin>, StoreError> {
    let login: Option<OidcLogin> = sqlx::query_as(
        "SELECT state, nonce, verifier, next_path, expires_at FROM oidc_logins WHERE state = $1",
    )
    .bind(state)
    .fetch_optional(&mut **tx)
    .await?;
    if login.is_some() {
        sqlx::query("DELETE FROM oidc_logins WHERE state = $1")
            .bind(state)
            .execute(&mut **tx)
            .await?;
    }
    Ok(login)
}

/// The PostgreSQL channel payload that announces a new access version.
pub const ACCESS_PAYLOAD_PREFIX: &str = "@access:";

/// Bumps the access version inside `tx` (and announces it on PostgreSQL once committed).
pub async fn bump_access_version(store: &Store, tx: &mut Tx) -> Result<i64, StoreError> {
    let version: i64 = sqlx::query_scalar(
        "UPDATE auth_state SET version = version + 1 WHERE id = 1 RETURNING version",
    )
    .fetch_one(&mut **tx)
    .await?;
    if store.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(crate::cache::replicas::CHANNEL)
            .bind(format!("{ACCESS_PAYLOAD_PREFIX}{version}"))
            .execute(&mut **tx)
            .await?;
    }
    Ok(version)
}

pub async fn access_version(conn: &mut AnyConnection) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT version FROM auth_state WHERE id = 1").fetch_one(conn).await?)
}

/// The shared secret `name` (hex), created with `candidate` by the first replica that asks.
pub async fn server_key(store: &Store, name: &str, candidate: &str) -> Result<String, StoreError> {
    let mut tx = store.begin().await?;
    sqlx::query(
        "INSERT INTO server_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(candidate)
    .execute(&mut *tx)
    .await?;
    let (value,): (String,) = sqlx::query_as("SELECT value FROM server_keys WHERE name = $1")
        .bind(name)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(value)
}
