//! The port the dashboard's server functions need. The server implements it over its service
//! layer and provides it through Leptos context; this crate never sees a database.

use std::sync::Arc;

use crate::{
    domain::{
        Change, ConsoleResult, Constraint, ConstraintInput, CreatedToken, EvaluationRequest, Flag,
        FlagDetail, FlagInput, FlagListing, FlagPatch, FlagQuery, Namespace, NamespaceInput,
        Rollout, RolloutInput, Rule, RuleDraft, Segment, SegmentInput, SegmentListing,
        SegmentSummary, SessionSummary, SnapshotInfo, TokenInput, TokenListing, Variant,
        VariantInput,
    },
    error::AppError,
};

/// Everything the dashboard asks of the server.
#[async_trait::async_trait]
pub trait VexilPort: Send + Sync + 'static {
    /// All namespaces, oldest first.
    async fn list_namespaces(&self) -> Result<Vec<Namespace>, AppError>;
    /// A new, unprotected namespace.
    async fn create_namespace(&self, input: NamespaceInput) -> Result<Namespace, AppError>;
    /// Name and description only, guarded by the version the editor saw (409 if stale).
    async fn update_namespace(
        &self,
        key: &str,
        input: NamespaceInput,
    ) -> Result<Namespace, AppError>;
    /// Deletes a namespace and everything in it (after a snapshot), guarded by version.
    async fn delete_namespace(&self, key: &str, version: i64) -> Result<(), AppError>;
    /// One page of a namespace's flags, searched and ordered by the server.
    async fn list_flags(&self, namespace: &str, query: FlagQuery) -> Result<FlagListing, AppError>;
    /// A new flag (without variants), validated as the REST API validates it.
    async fn create_flag(&self, namespace: &str, input: FlagInput) -> Result<Flag, AppError>;
    /// A flag with its variants, rules, rollouts and what its forms offer.
    async fn flag_detail(&self, namespace: &str, key: &str) -> Result<FlagDetail, AppError>;
    /// Changes the given fields of a flag, guarded by the version the editor saw (409).
    async fn patch_flag(
        &self,
        namespace: &str,
        key: &str,
        patch: FlagPatch,
    ) -> Result<Flag, AppError>;
    /// Deletes a flag (after a snapshot), guarded by version.
    async fn delete_flag(&self, namespace: &str, key: &str, version: i64) -> Result<(), AppError>;
    /// Copies a flag and its variants (not rules or rollouts, as Flipt) to another namespace.
    async fn copy_flag(&self, namespace: &str, key: &str, target: &str) -> Result<Flag, AppError>;
    /// Creates a variant (`id` None) or updates one.
    async fn save_variant(
        &self,
        namespace: &str,
        flag_key: &str,
        id: Option<String>,
        input: VariantInput,
    ) -> Result<Variant, AppError>;
    async fn delete_variant(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
    ) -> Result<(), AppError>;
    /// Creates (appended last) or replaces a rule with its whole distribution, in one
    /// transaction.
    async fn save_rule(
        &self,
        namespace: &str,
        flag_key: &str,
        id: Option<String>,
        draft: RuleDraft,
    ) -> Result<Rule, AppError>;
    async fn delete_rule(&self, namespace: &str, flag_key: &str, id: &str) -> Result<(), AppError>;
    /// Ranks the flag's rules in the given order.
    async fn order_rules(
        &self,
        namespace: &str,
        flag_key: &str,
        ids: Vec<String>,
    ) -> Result<(), AppError>;
    /// Creates (appended last) or updates a rollout of a boolean flag.
    async fn save_rollout(
        &self,
        namespace: &str,
        flag_key: &str,
        id: Option<String>,
        input: RolloutInput,
    ) -> Result<Rollout, AppError>;
    async fn delete_rollout(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
    ) -> Result<(), AppError>;
    /// Ranks the flag's rollouts in the given order.
    async fn order_rollouts(
        &self,
        namespace: &str,
        flag_key: &str,
        ids: Vec<String>,
    ) -> Result<(), AppError>;
    /// Every segment of a namespace with the flags that use it.
    async fn list_segments(&self, namespace: &str) -> Result<SegmentListing, AppError>;
    /// One segment with the flags that use it, and the namespace's data version when read.
    async fn segment_detail(
        &self,
        namespace: &str,
        key: &str,
    ) -> Result<(SegmentSummary, i64), AppError>;
    /// Creates a segment (`key` None) or updates one, guarded by `input.version`.
    async fn save_segment(
        &self,
        namespace: &str,
        key: Option<String>,
        input: SegmentInput,
    ) -> Result<Segment, AppError>;
    /// Deletes a segment; refused, naming the flags, while rules or rollouts use it.
    async fn delete_segment(
        &self,
        namespace: &str,
        key: &str,
        version: i64,
    ) -> Result<(), AppError>;
    /// Creates a constraint (`id` None) or updates one.
    async fn save_constraint(
        &self,
        namespace: &str,
        segment_key: &str,
        id: Option<String>,
        input: ConstraintInput,
    ) -> Result<Constraint, AppError>;
    async fn delete_constraint(
        &self,
        namespace: &str,
        segment_key: &str,
        id: &str,
    ) -> Result<(), AppError>;
    /// Evaluates a flag exactly as `/evaluate/v1` does.
    async fn evaluate(&self, request: EvaluationRequest) -> Result<ConsoleResult, AppError>;
    /// The namespace's data version: it changes with every write to anything inside it.
    async fn data_version(&self, namespace: &str) -> Result<i64, AppError>;
    /// The newest changes of a namespace, optionally of one resource type and key.
    async fn list_changes(
        &self,
        namespace: &str,
        resource_type: Option<String>,
        resource_key: Option<String>,
        limit: i64,
    ) -> Result<Vec<Change>, AppError>;
    /// Every snapshot, newest first.
    async fn list_snapshots(&self) -> Result<Vec<SnapshotInfo>, AppError>;
    /// Makes a namespace what the snapshot saved.
    async fn restore_snapshot(&self, id: &str) -> Result<(), AppError>;
    /// A page of API tokens, oldest first.
    async fn list_tokens(&self, offset: i64) -> Result<TokenListing, AppError>;
    /// A new API token; its secret is in the answer and nowhere else.
    async fn create_token(&self, input: TokenInput) -> Result<CreatedToken, AppError>;
    /// Revokes a token (and ends the sessions made from it) on every replica.
    async fn revoke_token(&self, id: &str) -> Result<(), AppError>;
    /// Active dashboard sessions, newest first.
    async fn list_sessions(&self) -> Result<Vec<SessionSummary>, AppError>;
    /// Ends a dashboard session on every replica.
    async fn end_session(&self, id: &str) -> Result<(), AppError>;
}

/// The shared handle provided through context.
pub type Port = Arc<dyn VexilPort>;

/// The port from Leptos context, or a typed error if the server forgot to provide it.
pub fn use_port() -> Result<Port, AppError> {
    leptos::prelude::use_context::<Port>()
        .ok_or_else(|| AppError::Internal("service port missing from context".into()))
}
