//! What Settings → Access and the top bar ask of the service, in the dashboard's types.

use app::{
    domain::{CreatedToken, Role, SessionSummary, TokenInput, TokenListing, TokenSummary, Viewer},
    error::AppError,
};

use super::{access::token_grant, NewToken, Service};
use crate::{
    auth::{self, registry::metadata_of, registry::METHOD_TOKEN, Credential},
    store::{access::AuthenticationRow, format_timestamp, now_nanos},
};

/// Tokens per page in Settings → Access.
pub const TOKEN_PAGE: i64 = 25;

/// The caller as a dashboard page shows it (what it may do, what its forms carry).
pub fn viewer_of(principal: &auth::Principal) -> Viewer {
    let global = principal.role_in(None);
    let write_namespaces = (global < Some(Role::Editor)).then(|| {
        principal
            .grants
            .iter()
            .filter(|g| g.role >= Role::Editor)
            .filter_map(|g| g.namespace.clone())
            .collect()
    });
    let (has_session, csrf_token) = match &principal.credential {
        Credential::Session { csrf, .. } => (true, csrf.clone()),
        _ => (false, String::new()),
    };
    Viewer {
        name: principal.name.clone(),
        roles: principal.role_summary(),
        has_session,
        csrf_token,
        auth_required: principal.credential != Credential::Open,
        write_namespaces,
        admin: global == Some(Role::Admin),
    }
}

impl Service {
    pub(super) async fn token_page(&self, offset: i64) -> Result<TokenListing, AppError> {
        let offset = offset.max(0);
        let (rows, total) = self.list_tokens(Some(METHOD_TOKEN), TOKEN_PAGE, offset).await?;
        let next = offset + rows.len() as i64;
        Ok(TokenListing {
            tokens: rows.iter().map(summary).collect(),
            total,
            next_offset: (next < total).then_some(next),
        })
    }

    pub async fn create_token_from(&self, input: TokenInput) -> Result<CreatedToken, AppError> {
        let role = Role::parse(&input.role).ok_or_else(|| {
            AppError::Invalid("invalid field role: choose client, viewer, editor or admin".into())
        })?;
        if input.name.trim().is_empty() {
            return Err(AppError::Invalid("invalid field name: must not be empty".into()));
        }
        let expires_at = input
            .expires_in_days
            .filter(|days| *days > 0)
            .map(|days| now_nanos() + i64::from(days) * 86_400 * 1_000_000_000);
        let new = NewToken {
            name: input.name.trim().to_string(),
            description: input.description.trim().to_string(),
            expires_at,
            namespace_key: input.namespace.trim().to_string(),
            metadata: Default::default(),
            role: Some(role),
        };
        let (secret, row) = self.create_token(new).await?;
        Ok(CreatedToken { token: summary(&row), secret })
    }

    pub(super) async fn session_list(&self) -> Result<Vec<SessionSummary>, AppError> {
        let current = match &auth::current().credential {
            Credential::Session { id, .. } => Some(id.clone()),
            _ => None,
        };
        let rows = self.list_sessions().await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let grants: Vec<auth::Grant> =
                    serde_json::from_str(&row.grants).unwrap_or_default();
                SessionSummary {
                    current: current.as_deref() == Some(row.id.as_str()),
                    method: if row.authentication_id.is_some() {
                        "token"
                    } else {
                        "OpenID Connect"
                    }
                    .into(),
                    roles: grants.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
                    created_at: format_timestamp(row.created_at),
                    expires_at: format_timestamp(row.expires_at),
                    name: row.name,
                    id: row.id,
                }
            })
            .collect())
    }
}

fn summary(row: &AuthenticationRow) -> TokenSummary {
    let metadata = metadata_of(row);
    let text =
        |key: &str| metadata.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let grant = token_grant(row);
    TokenSummary {
        id: row.id.clone(),
        name: text(auth::registry::META_NAME),
        description: text(auth::registry::META_DESCRIPTION),
        role: match &row.role {
            Some(_) => grant.role.as_str().to_string(),
            None => "admin (Flipt token)".into(),
        },
        namespace: grant.namespace.unwrap_or_default(),
        created_at: format_timestamp(row.created_at),
        expires_at: row.expires_at.map(format_timestamp),
        last_used_at: row.last_used_at.map(format_timestamp),
        expired: row.expires_at.is_some_and(|at| at <= now_nanos()),
    }
}
