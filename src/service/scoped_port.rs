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

#[async_trait::async_trait]
impl VexilPort for Scoped {
    async fn list_namespaces(&self) -> Result<Vec<Namespace>, AppError> {
        scope(self.principal.clone(), VexilPort::list_namespaces(&*self.service)).await
    }

    async fn create_namespace(&self, input: NamespaceInput) -> Result<Namespace, AppError> {
        scope(self.principal.clone(), VexilPort::create_namespace(&*self.service, input)).await
    }

    async fn update_namespace(
        &self,
        key: &str,
        input: NamespaceInput,
    ) -> Result<Namespace, AppError> {
        scope(self.principal.clone(), VexilPort::update_namespace(&*self.service, key, input)).await
    }

    async fn delete_namespace(&self, key: &str, version: i64) -> Result<(), AppError> {
        scope(self.principal.clone(), VexilPort::delete_namespace(&*self.service, key, version))
            .await
    }

    async fn list_flags(&self, namespace: &str, query: FlagQuery) -> Result<FlagListing, AppError> {
        scope(self.principal.clone(), VexilPort::list_flags(&*self.service, namespace, query)).await
    }

    async fn create_flag(&self, namespace: &str, input: FlagInput) -> Result<Flag, AppError> {
        scope(self.principal.clone(), VexilPort::create_flag(&*self.service, namespace, input))
            .await
    }

    async fn flag_detail(&self, namespace: &str, key: &str) -> Result<FlagDetail, AppError> {
        scope(self.principal.clone(), VexilPort::flag_detail(&*self.service, namespace, key)).await
    }

    async fn patch_flag(
        &self,
        namespace: &str,
        key: &str,
        patch: FlagPatch,
    ) -> Result<Flag, AppError> {
        scope(self.principal.clone(), VexilPort::patch_flag(&*self.service, namespace, key, patch))
            .await
    }

    async fn delete_flag(&self, namespace: &str, key: &str, version: i64) -> Result<(), AppError> {
        scope(
            self.principal.clone(),
            VexilPort::delete_flag(&*self.service, namespace, key, version),
        )
        .await
    }

    async fn copy_flag(&self, namespace: &str, key: &str, target: &str) -> Result<Flag, AppError> {
        scope(self.principal.clone(), VexilPort::copy_flag(&*self.service, namespace, key, target))
            .await
    }

    async fn save_variant(
        &self,
        namespace: &str,
        flag_key: &str,
        id: Option<String>,
        input: VariantInput,
    ) -> Result<Variant, AppError> {
        scope(
            self.principal.clone(),
            VexilPort::save_variant(&*self.service, namespace, flag_key, id, input),
        )
        .await
    }

    async fn delete_variant(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
    ) -> Result<(), AppError> {
        scope(
            self.principal.clone(),
            VexilPort::delete_variant(&*self.service, namespace, flag_key, id),
        )
        .await
    }

    async fn save_rule(
        &self,
        namespace: &str,
        flag_key: &str,
        id: Option<String>,
        draft: RuleDraft,
    ) -> Result<Rule, AppError> {
        scope(
            self.principal.clone(),
            VexilPort::save_rule(&*self.service, namespace, flag_key, id, draft),
        )
        .await
    }

    async fn delete_rule(&self, namespace: &str, flag_key: &str, id: &str) -> Result<(), AppError> {
        scope(
            self.principal.clone(),
            VexilPort::delete_rule(&*self.service, namespace, flag_key, id),
        )
        .await
    }

    async fn order_rules(
        &self,
        namespace: &str,
        flag_key: &str,
        ids: Vec<String>,
    ) -> Result<(), AppError> {
        scope(
            self.principal.clone(),
            VexilPort::order_rules(&*self.service, namespace, flag_key, ids),
        )
        .await
    }

    async fn save_rollout(
        &self,
        namespace: &str,
        flag_key: &str,
        id: Option<String>,
        input: RolloutInput,
    ) -> Result<Rollout, AppError> {
        scope(
            self.principal.clone(),
            VexilPort::save_rollout(&*self.service, namespace, flag_key, id, input),
        )
        .await
    }

    async fn delete_rollout(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
    ) -> Result<(), AppError> {
        scope(
            self.principal.clone(),
            VexilPort::delete_rollout(&*self.service, namespace, flag_key, id),
        )
        .await
    }

    async fn order_rollouts(
        &self,
        namespace: &str,
        flag_key: &str,
        ids: Vec<String>,
    ) -> Result<(), AppError> {
        scope(
            self.principal.clone(),
            VexilPort::order_rollouts(&*self.service, namespace, flag_key, ids),
        )
        .await
    }

    async fn list_segments(&self, namespace: &str) -> Result<SegmentListing, AppError> {
        scope(self.principal.clone(), VexilPort::list_segments(&*self.service, namespace)).await
    }

    async fn segment_detail(
        &self,
        namespace: &str,
        key: &str,
    ) -> Result<(SegmentSummary, i64), AppError> {
        scope(self.principal.clone(), VexilPort::segment_detail(&*self.service, namespace, key))
            .await
    }

    async fn save_segment(
        &self,
        namespace: &str,
        key: Option<String>,
        input: SegmentInput,
    ) -> Result<Segment, AppError> {
        scope(
            self.principal.clone(),
            VexilPort::save_segment(&*self.service, namespace, key, input),
        )
        .await
    }

    async fn delete_segment(
        &self,
        namespace: &str,
        key: &str,
        version: i64,
    ) -> Result<(), AppError> {
        scope(
            self.principal.clone(),
            VexilPort::delete_segment(&*self.service, namespace, key, version),
        )
        .await
    }

    async fn save_constraint(
        &self,
        namespace: &str,
        segment_key: &str,
        id: Option<String>,
        input: ConstraintInput,
    ) -> Result<Constraint, AppError> {
        scope(
            self.principal.clone(),
            VexilPort::save_constraint(&*self.service, namespace, segment_key, id, input),
        )
        .await
    }

    async fn delete_constraint(
        &self,
        namespace: &str,
        segment_key: &str,
        id: &str,
    ) -> Result<(), AppError> {
        scope(
            self.principal.clone(),
            VexilPort::delete_constraint(&*self.service, namespace, segment_key, id),
        )
        .await
    }

    async fn evaluate(&self, request: EvaluationRequest) -> Result<ConsoleResult, AppError> {
        scope(self.principal.clone(), VexilPort::evaluate(&*self.service, request)).await
    }

    async fn data_version(&self, namespace: &str) -> Result<i64, AppError> {
        scope(self.principal.clone(), VexilPort::data_version(&*self.service, namespace)).await
    }

    async fn list_changes(
        &self,
        namespace: &str,
        resource_type: Option<String>,
        resource_key: Option<String>,
        limit: i64,
    ) -> Result<Vec<Change>, AppError> {
        scope(
            self.principal.clone(),
            VexilPort::list_changes(&*self.service, namespace, resource_type, resource_key, limit),
        )
        .await
    }

    async fn list_snapshots(&self) -> Result<Vec<SnapshotInfo>, AppError> {
        scope(self.principal.clone(), VexilPort::list_snapshots(&*self.service)).await
    }

    async fn restore_snapshot(&self, id: &str) -> Result<(), AppError> {
        scope(self.principal.clone(), VexilPort::restore_snapshot(&*self.service, id)).await
    }

    async fn list_tokens(&self, offset: i64) -> Result<TokenListing, AppError> {
        scope(self.principal.clone(), VexilPort::list_tokens(&*self.service, offset)).await
    }

    async fn create_token(&self, input: TokenInput) -> Result<CreatedToken, AppError> {
        scope(self.principal.clone(), VexilPort::create_token(&*self.service, input)).await
    }

    async fn revoke_token(&self, id: &str) -> Result<(), AppError> {
        scope(self.principal.clone(), VexilPort::revoke_token(&*self.service, id)).await
    }

    async fn list_sessions(&self) -> Result<Vec<SessionSummary>, AppError> {
        scope(self.principal.clone(), VexilPort::list_sessions(&*self.service)).await
    }

    async fn end_session(&self, id: &str) -> Result<(), AppError> {
        scope(self.principal.clone(), VexilPort::end_session(&*self.service, id)).await
    }
}
