//! Access control as the dashboard sees it: roles, who is signed in, tokens and sessions.

use serde::{Deserialize, Serialize};

/// What a token or a signed-in person may do within a scope; each role includes the ones
/// before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Evaluation, the client snapshot and OFREP only: safe to ship inside an app.
    Client,
    /// Read everything in scope.
    Viewer,
    /// Write flags, segments, rules and rollouts; merge imports.
    Editor,
    /// Namespaces, tokens, sessions, snapshots and restore, replacing imports.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Client, Role::Viewer, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text.trim().to_ascii_lowercase())
    }
}

/// The signed-in caller of a dashboard page, and what the page may offer them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// An email, or a token's name.
    pub name: String,
    /// e.g. `admin`, or `editor in payments, viewer`.
    pub roles: String,
    /// Whether this caller signed in with a session (and so can sign out).
    pub has_session: bool,
    /// What the session's forms send back to prove they came from this dashboard.
    pub csrf_token: String,
    /// False when `auth_required` is off: everyone is an administrator.
    pub auth_required: bool,
    /// Namespaces where the caller may edit (`None`: all of them).
    pub write_namespaces: Option<Vec<String>>,
    /// Whether the caller may manage namespaces, tokens and snapshots everywhere.
    pub admin: bool,
}

impl Viewer {
    /// Whether edit controls are shown in `namespace`.
    pub fn can_write(&self, namespace: &str) -> bool {
        match &self.write_namespaces {
            None => true,
            Some(list) => list.iter().any(|ns| ns == namespace),
        }
    }
}

/// A token as Settings → Access lists it (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub role: String,
    /// A namespace key, or empty for all namespaces.
    pub namespace: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub expired: bool,
}

/// One page of tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenListing {
    pub tokens: Vec<TokenSummary>,
    pub total: i64,
    /// Offset of the next page, if there is one.
    pub next_offset: Option<i64>,
}

/// A token just created: the only time its secret is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub token: TokenSummary,
    pub secret: String,
}

/// A new token from the dashboard.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub role: String,
    /// Empty for all namespaces.
    #[serde(default)]
    pub namespace: String,
    /// Days until it expires; 0 or empty for never.
    #[serde(default)]
    pub expires_in_days: Option<u32>,
}

/// An active dashboard session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub id: String,
    pub name: String,
    pub method: String,
    pub roles: String,
    pub created_at: String,
    pub expires_at: String,
    /// Whether this is the session making the request.
    pub current: bool,
}
