//! Who is asking, and what they may do. The middleware ([`middleware`]) turns a request's
//! credential into a [`Principal`] and runs the request inside [`scope`]; the service calls
//! [`require`] at the top of every operation, so both front doors (REST and the dashboard's
//! server functions) pass the same check and no handler can skip it. Outside a scope nothing
//! is allowed, except what the CLI runs explicitly as [`Principal::system`].

pub mod cors;
pub mod csrf;
pub mod middleware;
pub mod oidc;
pub mod registry;
pub mod secret;
pub mod stream_key;
pub mod workload;

use std::{
    fmt,
    sync::{atomic::AtomicU64, Arc},
};

use app::error::AppError;
use serde::{Deserialize, Serialize};

pub use app::domain::Role;

/// One role over one namespace, or over all of them (`namespace: None`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

impl Grant {
    pub fn everywhere(role: Role) -> Self {
        Grant { role, namespace: None }
    }

    /// Parses the left side of a role rule: `ROLE` or `ROLE@NAMESPACE`.
    pub fn parse_rule_side(text: &str) -> Result<Self, String> {
        let (role, namespace) = match text.trim().split_once('@') {
            Some((_, ns)) if ns.trim().is_empty() => {
                return Err(format!("{text:?} names no namespace after @"))
            }
            Some((role, ns)) => (role.trim(), Some(ns.trim().to_string())),
            None => (text.trim(), None),
        };
        let role = Role::parse(role)
            .ok_or_else(|| format!("{role:?} is not one of client, viewer, editor, admin"))?;
        Ok(Grant { role, namespace })
    }

    /// The grants of every rule that matched: one per scope, the strongest where several
    /// name the same scope, and no namespace grant that the grant everywhere already covers.
    pub fn merged<'a>(matched: impl IntoIterator<Item = &'a Grant>) -> Vec<Grant> {
        let mut grants: Vec<Grant> = Vec::new();
        for grant in matched {
            match grants.iter_mut().find(|g| g.namespace == grant.namespace) {
                Some(held) => held.role = held.role.max(grant.role),
                None => grants.push(grant.clone()),
            }
        }
        let everywhere = grants.iter().find(|g| g.namespace.is_none()).map(|g| g.role);
        grants.retain(|g| g.namespace.is_none() || everywhere.is_none_or(|all| g.role > all));
        grants
    }

    fn covers(&self, namespace: Option<&str>) -> bool {
        match (&self.namespace, namespace) {
            (None, _) => true,
            (Some(own), Some(asked)) => own == asked,
            (Some(_), None) => false,
        }
    }
}

impl fmt::Display for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            None => write!(f, "{}", self.role.as_str()),
            Some(ns) => write!(f, "{} in {ns}", self.role.as_str()),
        }
    }
}

/// How the principal proved who it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// No credential (only public routes answer).
    Anonymous,
    /// `auth_required: false`: everyone is an administrator.
    Open,
    /// The command line, acting on its own database.
    System,
    /// An API token (`Authorization: Bearer`).
    Token { id: String },
    /// A dashboard session cookie; `csrf` is what its forms must send back.
    Session { id: String, csrf: String },
    /// A JWT signed by the configured key (`Authorization: JWT`), verified on each request.
    Jwt,
}

/// An authenticated caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// Who, as the change log records it: an email or a token's name.
    pub name: String,
    pub credential: Credential,
    pub grants: Vec<Grant>,
    /// A token scoped the Flipt way (`namespaceKey`): Flipt's rules apply, refusals are 401.
    pub flipt_scoped: bool,
    /// Unix nanoseconds after which the credential is no longer good.
    pub expires_at: Option<i64>,
    /// The authentication (token) this principal stands for, if any; a session made from a
    /// token carries the token's id.
    pub authentication_id: Option<String>,
}

impl Principal {
    pub fn anonymous() -> Self {
        Principal {
            name: "anonymous".into(),
            credential: Credential::Anonymous,
            grants: vec![],
            flipt_scoped: false,
            expires_at: None,
            authentication_id: None,
        }
    }

    pub fn open() -> Self {
        Principal {
            credential: Credential::Open,
            grants: vec![Grant::everywhere(Role::Admin)],
            ..Self::anonymous()
        }
    }

    pub fn system() -> Self {
        Principal {
            name: "vexil-cli".into(),
            credential: Credential::System,
            grants: vec![Grant::everywhere(Role::Admin)],
            ..Self::anonymous()
        }
    }

    pub fn is_authenticated(&self) -> bool {
        self.credential != Credential::Anonymous
    }

    /// The strongest role this principal holds over `namespace` (`None`: over all of them).
    pub fn role_in(&self, namespace: Option<&str>) -> Option<Role> {
        self.grants.iter().filter(|g| g.covers(namespace)).map(|g| g.role).max()
    }

    /// Whether every namespace is in reach (with some role).
    pub fn is_global(&self) -> bool {
        self.grants.iter().any(|g| g.namespace.is_none())
    }

    /// The namespaces this principal's grants name, when it has no global grant.
    pub fn namespaces(&self) -> Option<Vec<&str>> {
        (!self.is_global())
            .then(|| self.grants.iter().filter_map(|g| g.namespace.as_deref()).collect())
    }

    /// Whether this principal holds at least `grant` (same or wider scope, same or higher role).
    pub fn holds(&self, grant: &Grant) -> bool {
        self.role_in(grant.namespace.as_deref()).is_some_and(|role| role >= grant.role)
    }

    /// One line for the change log: who, how, with which role.
    pub fn actor(&self) -> String {
        let roles = self.grants.iter().map(Grant::to_string).collect::<Vec<_>>().join(", ");
        match &self.credential {
            Credential::Anonymous => "anonymous".into(),
            Credential::Open => "anonymous (authentication off)".into(),
            Credential::System => "vexil-cli (command line)".into(),
            Credential::Token { id } => format!("token \"{}\" {id} ({roles})", self.name),
            Credential::Jwt => format!("JWT \"{}\" ({roles})", self.name),
            Credential::Session { .. } => match &self.authentication_id {
                Some(id) => format!("token \"{}\" {id} via dashboard ({roles})", self.name),
                None => format!("{} ({roles})", self.name),
            },
        }
    }

    /// The role shown in the top bar and the access list.
    pub fn role_summary(&self) -> String {
        self.grants.iter().map(Grant::to_string).collect::<Vec<_>>().join(", ")
    }
}

/// What an operation needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Evaluate flags, read the client snapshot, OFREP.
    Evaluate,
    /// Read anything.
    Read,
    /// Change flags, segments, rules, rollouts; merge imports.
    Write,
    /// Namespaces, tokens, sessions, snapshots and restore, replacing imports.
    Admin,
}

impl Need {
    fn role(self) -> Role {
        match self {
            Need::Evaluate => Role::Client,
            Need::Read => Role::Viewer,
            Need::Write => Role::Editor,
            Need::Admin => Role::Admin,
        }
    }
}

tokio::task_local! {
    static PRINCIPAL: Arc<Principal>;
}

/// Runs `future` as `principal`.
pub async fn scope<F: std::future::Future>(principal: Arc<Principal>, future: F) -> F::Output {
    PRINCIPAL.scope(principal, future).await
}

/// The principal of the running request, or the anonymous one outside any scope.
pub fn current() -> Arc<Principal> {
    PRINCIPAL.try_with(Arc::clone).unwrap_or_else(|_| Arc::new(Principal::anonymous()))
}

/// Refusals since start, by reason, for `/metrics`.
#[derive(Debug, Default)]
pub struct Refusals {
    pub unauthenticated: AtomicU64,
    pub denied: AtomicU64,
    pub cross_site: AtomicU64,
}

pub static REFUSALS: Refusals = Refusals {
    unauthenticated: AtomicU64::new(0),
    denied: AtomicU64::new(0),
    cross_site: AtomicU64::new(0),
};

/// `vexil_auth_refused_total{reason}` in Prometheus' text format.
pub fn render_refusals(out: &mut String) {
    use std::sync::atomic::Ordering::Relaxed;
    let name = "vexil_auth_refused_total";
    out.push_str(&format!(
        "# HELP {name} Requests refused by access control, by reason.\n# TYPE {name} counter\n"
    ));
    for (reason, count) in [
        ("unauthenticated", &REFUSALS.unauthenticated),
        ("permission_denied", &REFUSALS.denied),
        ("cross_site", &REFUSALS.cross_site),
    ] {
        out.push_str(&format!("{name}{{reason=\"{reason}\"}} {}\n", count.load(Relaxed)));
    }
}

/// Flipt's 401: no, a bad, or an expired credential.
pub fn unauthenticated(reason: &str) -> AppError {
    REFUSALS.unauthenticated.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tracing::info!(reason, "request refused: not authenticated");
    AppError::Unauthenticated("request was not authenticated".into())
}

/// Flipt's 403: authenticated, but the role does not allow it.
pub fn denied(principal: &Principal, need: Need, namespace: Option<&str>) -> AppError {
    REFUSALS.denied.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tracing::warn!(
        actor = %principal.actor(),
        need = ?need,
        namespace = namespace.unwrap_or("*"),
        "request refused: permission denied"
    );
    AppError::PermissionDenied("permission denied".into())
}

/// Checks that the running request may do something needing `need` in `namespace` (`None`:
/// across all namespaces), and returns who it is.
pub fn require(need: Need, namespace: Option<&str>) -> Result<Arc<Principal>, AppError> {
    let principal = current();
    check(&principal, need, namespace)?;
    Ok(principal)
}

/// [`require`] for a given principal.
pub fn check(principal: &Principal, need: Need, namespace: Option<&str>) -> Result<(), AppError> {
    if !principal.is_authenticated() {
        return Err(unauthenticated("no credential"));
    }
    match principal.role_in(namespace) {
        Some(role) if role >= need.role() => Ok(()),
        // Flipt answers a namespace-scoped token outside its namespace with 401, not 403.
        None if principal.flipt_scoped => Err(unauthenticated("token scoped to another namespace")),
        _ => Err(denied(principal, need, namespace)),
    }
}
