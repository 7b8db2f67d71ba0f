//! The dashboard's port for one request: every call runs as the request's principal, so the
//! service's checks see who is asking even when Leptos runs a resource on another task.

use std::sync::Arc;

use app::{domain::*, error::AppError, port::VexilPort};

use super::Service;
use crate::auth::{scope, Principal};

/// The service, seen by one principal.
pub struct Scoped {
    pub service: Arc<Service>,
    pub principal: Arc<Principal>,
}

/// Implements every port method as the service's, run as `self.principal`.
macro_rules! scoped {
    ($(fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty;)*) => {
        #[async_trait::async_trait]
        impl VexilPort for Scoped {
            $(
                async fn $name(&self, $($arg: $ty),*) -> Result<$ret, AppError> {
                    scope(self.principal.clone(), VexilPort::$name(&*self.service, $($arg),*)).await
                }
            )*
        }
    };
}

scoped! {
    fn list_namespaces() -> Vec<Namespace>;
    fn create_namespace(input: NamespaceInput) -> Namespace;
    fn update_namespace(key: &str, input: NamespaceInput) -> Namespace;
    fn delete_namespace(key: &str, version: i64) -> ();
    fn list_flags(namespace: &str, query: FlagQuery) -> FlagListing;
    fn create_flag(namespace: &str, input: FlagInput) -> Flag;
    fn flag_detail(namespace: &str, key: &str) -> FlagDetail;
    fn patch_flag(namespace: &str, key: &str, patch: FlagPatch) -> Flag;
    fn delete_flag(namespace: &str, key: &str, version: i64) -> ();
    fn copy_flag(namespace: &str, key: &str, target: &str) -> Flag;
    fn save_variant(
        namespace: &str,
        flag_key: &str,
        id: Option<String>,
        input: VariantInput,
    ) -> Variant;
    fn delete_variant(namespace: &str, flag_key: &str, id: &str) -> ();
    fn save_rule(namespace: &str, flag_key: &str, id: Option<String>, draft: RuleDraft) -> Rule;
    fn delete_rule(namespace: &str, flag_key: &str, id: &str) -> ();
    fn order_rules(namespace: &str, flag_key: &str, ids: Vec<String>) -> ();
    fn save_rollout(
        namespace: &str,
        flag_key: &str,
        id: Option<String>,
        input: RolloutInput,
    ) -> Rollout;
    fn delete_rollout(namespace: &str, flag_key: &str, id: &str) -> ();
    fn order_rollouts(namespace: &str, flag_key: &str, ids: Vec<String>) -> ();
    fn list_segments(namespace: &str) -> SegmentListing;
    fn segment_detail(namespace: &str, key: &str) -> (SegmentSummary, i64);
    fn save_segment(namespace: &str, key: Option<String>, input: SegmentInput) -> Segment;
    fn delete_segment(namespace: &str, key: &str, version: i64) -> ();
    fn save_constraint(
        namespace: &str,
        segment_key: &str,
        id: Option<String>,
        input: ConstraintInput,
    ) -> Constraint;
    fn delete_constraint(namespace: &str, segment_key: &str, id: &str) -> ();
    fn evaluate(request: EvaluationRequest) -> ConsoleResult;
    fn data_version(namespace: &str) -> i64;
    fn list_changes(
        namespace: &str,
        resource_type: Option<String>,
        resource_key: Option<String>,
        limit: i64,
    ) -> Vec<Change>;
    fn list_snapshots() -> Vec<SnapshotInfo>;
    fn restore_snapshot(id: &str) -> ();
    fn list_tokens(offset: i64) -> TokenListing;
    fn create_token(input: TokenInput) -> CreatedToken;
    fn revoke_token(id: &str) -> ();
    fn list_sessions() -> Vec<SessionSummary>;
    fn end_session(id: &str) -> ();
}
