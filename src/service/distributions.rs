//! Distributions of a rule over its flag's variants.

use app::{
    domain::{Distribution, DistributionInput},
    error::AppError,
};

use super::{
    error::{internal, not_found},
    history::snap,
    new_id, validate, Service,
};
use crate::auth::Need;
use crate::store::{flags, now_nanos, rules, rules::DistributionRow, Tx};

impl Service {
    /// Adds a distribution to a rule; its variant must belong to the same flag.
    pub async fn create_distribution(
        &self,
        namespace: &str,
        flag_key: &str,
        rule_id: &str,
        input: DistributionInput,
    ) -> Result<Distribution, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        validate::required("variantId", &input.variant_id)?;
        validate::percentage("rollout", input.rollout)?;
        let mut tx = self.begin().await?;
        require_distribution_targets(&mut tx, namespace, flag_key, rule_id, &input.variant_id)
            .await?;
        let now = now_nanos();
        let row = DistributionRow {
            id: new_id(),
            rule_id: rule_id.to_string(),
            variant_id: input.variant_id,
            rollout: input.rollout,
            created_at: now,
            updated_at: now,
        };
        rules::insert_distribution(&mut tx, &row).await.map_err(internal)?;
        let created = Distribution::from(row);
        self.record(
            &mut tx,
            namespace,
            "distribution",
            &created.id,
            "created",
            None,
            snap(&created),
        )
        .await?;
        self.commit(tx, namespace).await?;
        Ok(created)
    }

    /// Changes a distribution's variant and rollout.
    pub async fn update_distribution(
        &self,
        namespace: &str,
        flag_key: &str,
        rule_id: &str,
        id: &str,
        input: DistributionInput,
    ) -> Result<Distribution, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        validate::required("variantId", &input.variant_id)?;
        validate::percentage("rollout", input.rollout)?;
        let mut tx = self.begin().await?;
        require_distribution_targets(&mut tx, namespace, flag_key, rule_id, &input.variant_id)
            .await?;
        let current = rules::distributions_of(&mut tx, &[rule_id.to_string()])
            .await
            .map_err(internal)?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or_else(|| not_found("distribution", id))?;
        let before = snap(&Distribution::from(current.clone()));
        let row = DistributionRow {
            variant_id: input.variant_id,
            rollout: input.rollout,
            updated_at: now_nanos(),
            ..current
        };
        rules::update_distribution(&mut tx, &row).await.map_err(internal)?;
        let after = Distribution::from(row);
        self.record(&mut tx, namespace, "distribution", id, "updated", before, snap(&after))
            .await?;
        self.commit(tx, namespace).await?;
        Ok(after)
    }

    /// Deletes a distribution; Flipt requires the variant id too (idempotent).
    pub async fn delete_distribution(
        &self,
        namespace: &str,
        flag_key: &str,
        rule_id: &str,
        id: &str,
        variant_id: &str,
    ) -> Result<(), AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        validate::required("variantId", variant_id)?;
        let mut tx = self.begin().await?;
        if rules::get(&mut tx, namespace, flag_key, rule_id).await.map_err(internal)?.is_none() {
            return Ok(());
        }
        let before = rules::distributions_of(&mut tx, &[rule_id.to_string()])
            .await
            .map_err(internal)?
            .into_iter()
            .find(|d| d.id == id && d.variant_id == variant_id)
            .map(Distribution::from);
        if rules::delete_distribution(&mut tx, rule_id, id, variant_id).await.map_err(internal)? {
            let before = before.as_ref().and_then(snap);
            self.record(&mut tx, namespace, "distribution", id, "deleted", before, None).await?;
            self.commit(tx, namespace).await?;
        }
        Ok(())
    }
}

/// A distribution's rule and variant must exist under the flag; Flipt names all three when
/// either is missing.
async fn require_distribution_targets(
    tx: &mut Tx,
    namespace: &str,
    flag_key: &str,
    rule_id: &str,
    variant_id: &str,
) -> Result<(), AppError> {
    let rule = rules::get(tx, namespace, flag_key, rule_id).await.map_err(internal)?;
    let variant = flags::variant(tx, namespace, flag_key, variant_id).await.map_err(internal)?;
    if rule.is_none() || variant.is_none() {
        return Err(AppError::NotFound(format!(
            "variant \"{variant_id}\", rule \"{rule_id}\", flag \"{flag_key}\" in namespace \"{namespace}\" not found"
        )));
    }
    Ok(())
}
