//! The dashboard's port, implemented over the service.

use app::{
    domain::{
        Change, ConsoleResult, Constraint, ConstraintInput, CreatedToken, EvaluationRequest, Flag,
        FlagDetail, FlagInput, FlagListing, FlagPatch, FlagQuery, FlagType, Namespace,
        NamespaceInput, PageRequest, Rollout, RolloutInput, RolloutOrder, Rule, RuleDraft,
        RuleOrder, Segment, SegmentInput, SegmentListing, SegmentSummary, SessionSummary,
        SnapshotInfo, TokenInput, TokenListing, Variant, VariantInput,
    },
    error::AppError,
    port::VexilPort,
};

use super::Service;

#[async_trait::async_trait]
impl VexilPort for Service {
    async fn list_namespaces(&self) -> Result<Vec<Namespace>, AppError> {
        Ok(Service::list_namespaces(self, Default::default()).await?.items)
    }

    async fn create_namespace(&self, input: NamespaceInput) -> Result<Namespace, AppError> {
        Service::create_namespace(self, input).await
    }

    async fn update_namespace(
        &self,
        key: &str,
        input: NamespaceInput,
    ) -> Result<Namespace, AppError> {
        let version = input.version;
        Service::update_namespace(self, key, input, version).await
    }

    async fn delete_namespace(&self, key: &str, version: i64) -> Result<(), AppError> {
        // The dashboard deletes a namespace with everything in it; a snapshot is taken first.
        Service::delete_namespace(self, key, true, Some(version)).await
    }

    async fn list_flags(&self, namespace: &str, query: FlagQuery) -> Result<FlagListing, AppError> {
        Service::search_flags(self, namespace, query).await
    }

    async fn create_flag(&self, namespace: &str, input: FlagInput) -> Result<Flag, AppError> {
        Service::create_flag(self, namespace, input).await
    }

    async fn flag_detail(&self, namespace: &str, key: &str) -> Result<FlagDetail, AppError> {
        Service::flag_detail(self, namespace, key).await
    }

    async fn patch_flag(
        &self,
        namespace: &str,
        key: &str,
        patch: FlagPatch,
    ) -> Result<Flag, AppError> {
        Service::patch_flag(self, namespace, key, patch).await
    }

    async fn delete_flag(&self, namespace: &str, key: &str, version: i64) -> Result<(), AppError> {
        Service::delete_flag(self, namespace, key, Some(version)).await
    }

    async fn copy_flag(&self, namespace: &str, key: &str, target: &str) -> Result<Flag, AppError> {
        Service::copy_flag(self, namespace, key, target).await
    }

    async fn save_variant(
        &self,
        namespace: &str,
        flag_key: &str,
        id: Option<String>,
        input: VariantInput,
    ) -> Result<Variant, AppError> {
        match id {
            None => Service::create_variant(self, namespace, flag_key, input).await,
            Some(id) => Service::update_variant(self, namespace, flag_key, &id, input).await,
        }
    }

    async fn delete_variant(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
    ) -> Result<(), AppError> {
        Service::delete_variant(self, namespace, flag_key, id).await
    }

    async fn save_rule(
        &self,
        namespace: &str,
        flag_key: &str,
        id: Option<String>,
        draft: RuleDraft,
    ) -> Result<Rule, AppError> {
        Service::save_rule_draft(self, namespace, flag_key, id.as_deref(), draft).await
    }

    async fn delete_rule(&self, namespace: &str, flag_key: &str, id: &str) -> Result<(), AppError> {
        Service::delete_rule(self, namespace, flag_key, id).await
    }

    async fn order_rules(
        &self,
        namespace: &str,
        flag_key: &str,
        ids: Vec<String>,
    ) -> Result<(), AppError> {
        Service::order_rules(self, namespace, flag_key, RuleOrder { rule_ids: ids }).await
    }

    async fn save_rollout(
        &self,
        namespace: &str,
        flag_key: &str,
        id: Option<String>,
        mut input: RolloutInput,
    ) -> Result<Rollout, AppError> {
        match id {
            None => {
                let all = PageRequest::default();
                let count =
                    Service::list_rollouts(self, namespace, flag_key, all).await?.items.len();
                input.rank = count as i64 + 1;
                Service::create_rollout(self, namespace, flag_key, input).await
            }
            Some(id) => Service::update_rollout(self, namespace, flag_key, &id, input).await,
        }
    }

    async fn delete_rollout(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
    ) -> Result<(), AppError> {
        Service::delete_rollout(self, namespace, flag_key, id).await
    }

    async fn order_rollouts(
        &self,
        namespace: &str,
        flag_key: &str,
        ids: Vec<String>,
    ) -> Result<(), AppError> {
        Service::order_rollouts(self, namespace, flag_key, RolloutOrder { rollout_ids: ids }).await
    }

    async fn list_segments(&self, namespace: &str) -> Result<SegmentListing, AppError> {
        Service::segment_listing(self, namespace).await
    }

    async fn segment_detail(
        &self,
        namespace: &str,
        key: &str,
    ) -> Result<(SegmentSummary, i64), AppError> {
        // The version first: a write landing meanwhile moves it past what the page holds.
        let version = Service::data_version(self, namespace).await?;
        Ok((Service::segment_summary(self, namespace, key).await?, version))
    }

    async fn save_segment(
        &self,
        namespace: &str,
        key: Option<String>,
        input: SegmentInput,
    ) -> Result<Segment, AppError> {
        match key {
            None => Service::create_segment(self, namespace, input).await,
            Some(key) => {
                let version = input.version;
                Service::update_segment(self, namespace, &key, input, version).await
            }
        }
    }

    async fn delete_segment(
        &self,
        namespace: &str,
        key: &str,
        version: i64,
    ) -> Result<(), AppError> {
        match Service::delete_segment(self, namespace, key, Some(version)).await {
            // Name the flags, so the person knows where to go first.
            Err(AppError::Invalid(message)) if message.ends_with("is in use") => {
                let used_by = Service::segment_summary(self, namespace, key).await?.used_by;
                Err(AppError::Invalid(format!(
                    "{message} by flag(s) {}: remove it from their rules and rollouts first",
                    used_by.join(", ")
                )))
            }
            other => other,
        }
    }

    async fn save_constraint(
        &self,
        namespace: &str,
        segment_key: &str,
        id: Option<String>,
        input: ConstraintInput,
    ) -> Result<Constraint, AppError> {
        match id {
            None => Service::create_constraint(self, namespace, segment_key, input).await,
            Some(id) => Service::update_constraint(self, namespace, segment_key, &id, input).await,
        }
    }

    async fn delete_constraint(
        &self,
        namespace: &str,
        segment_key: &str,
        id: &str,
    ) -> Result<(), AppError> {
        Service::delete_constraint(self, namespace, segment_key, id).await
    }

    async fn evaluate(&self, request: EvaluationRequest) -> Result<ConsoleResult, AppError> {
        // The flag's type as the evaluation snapshot has it: the console sees what SDKs see.
        let snapshot = self.snapshot(&request.namespace_key).await?;
        let flag_type = snapshot.flags.get(&request.flag_key).map(|f| f.flag_type);
        let Some(flag_type) = flag_type else {
            let name = format!("{}/{}", request.namespace_key, request.flag_key);
            return Err(super::error::not_found("flag", &name));
        };
        Ok(match flag_type {
            FlagType::Variant => ConsoleResult::Variant(self.evaluate_variant(&request).await?),
            FlagType::Boolean => ConsoleResult::Boolean(self.evaluate_boolean(&request).await?),
        })
    }

    async fn data_version(&self, namespace: &str) -> Result<i64, AppError> {
        Service::data_version(self, namespace).await
    }

    async fn list_changes(
        &self,
        namespace: &str,
        resource_type: Option<String>,
        resource_key: Option<String>,
        limit: i64,
    ) -> Result<Vec<Change>, AppError> {
        let request = PageRequest { limit, offset: 0 };
        let page = Service::list_changes(
            self,
            namespace,
            resource_type.as_deref(),
            resource_key.as_deref(),
            request,
        )
        .await?;
        Ok(page.items)
    }

    async fn list_snapshots(&self) -> Result<Vec<SnapshotInfo>, AppError> {
        Ok(Service::list_snapshots(self, None, PageRequest { limit: 200, offset: 0 }).await?.items)
    }

    async fn restore_snapshot(&self, id: &str) -> Result<(), AppError> {
        Service::restore_snapshot(self, id).await.map(|_| ())
    }

    async fn list_tokens(&self, offset: i64) -> Result<TokenListing, AppError> {
        self.token_page(offset).await
    }

    async fn create_token(&self, input: TokenInput) -> Result<CreatedToken, AppError> {
        self.create_token_from(input).await
    }

    async fn revoke_token(&self, id: &str) -> Result<(), AppError> {
        self.delete_token(id).await.map(|_| ())
    }

    async fn list_sessions(&self) -> Result<Vec<SessionSummary>, AppError> {
        self.session_list().await
    }

    async fn end_session(&self, id: &str) -> Result<(), AppError> {
        Service::end_session(self, id).await.map(|_| ())
    }
}
