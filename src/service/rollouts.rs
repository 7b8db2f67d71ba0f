//! Rollouts of boolean flags.

use crate::auth::Need;
use app::{
    domain::{Page, PageRequest, Rollout, RolloutInput, RolloutOrder, RolloutType},
    error::AppError,
};
use sqlx::AnyConnection;

use super::{
    error::{internal, invalid_field, not_found},
    history::snap,
    new_id,
    paging::{fetch_limit, page_of},
    targets::{checked_segments, first_segment, rollout_target_missing},
    validate, Service,
};
use crate::store::{now_nanos, rollouts, rollouts::Part, rollouts::RolloutRow, Tx};

async fn load_rollouts(
    conn: &mut AnyConnection,
    rows: Vec<RolloutRow>,
) -> Result<Vec<Rollout>, AppError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let thresholds = rollouts::thresholds_of(conn, &ids).await.map_err(internal)?;
    let refs = rollouts::segment_refs_of(conn, &ids).await.map_err(internal)?;
    Ok(rollouts::assemble(rows, &thresholds, &refs))
}

/// A rollout request's kind and validated part, ready to store.
struct CheckedPart {
    rollout_type: RolloutType,
    keys: Vec<String>,
    operator: i64,
    value: bool,
    percentage: f64,
}

impl CheckedPart {
    fn part(&self) -> Part<'_> {
        match self.rollout_type {
            RolloutType::Threshold => {
                Part::Threshold { percentage: self.percentage, value: self.value }
            }
            _ => Part::Segment { keys: &self.keys, operator: self.operator, value: self.value },
        }
    }
}

async fn check_part(
    tx: &mut Tx,
    namespace: &str,
    flag_key: &str,
    input: &RolloutInput,
) -> Result<CheckedPart, AppError> {
    match (&input.segment, &input.threshold) {
        (Some(segment), None) => {
            let (keys, operator) = checked_segments(
                tx,
                namespace,
                &segment.segment_key,
                &segment.segment_keys,
                segment.segment_operator,
                |key| rollout_target_missing(namespace, flag_key, key),
            )
            .await?;
            Ok(CheckedPart {
                rollout_type: RolloutType::Segment,
                keys,
                operator: operator.number(),
                value: segment.value,
                percentage: 0.0,
            })
        }
        (None, Some(threshold)) => {
            validate::threshold(threshold.percentage)?;
            Ok(CheckedPart {
                rollout_type: RolloutType::Threshold,
                keys: Vec::new(),
                operator: 0,
                value: threshold.value,
                percentage: threshold.percentage,
            })
        }
        _ => Err(AppError::Invalid("exactly one of segment and threshold must be set".into())),
    }
}

async fn require_rollout(
    conn: &mut AnyConnection,
    namespace: &str,
    flag_key: &str,
    id: &str,
) -> Result<RolloutRow, AppError> {
    rollouts::get(conn, namespace, flag_key, id)
        .await
        .map_err(internal)?
        .ok_or_else(|| not_found("rollout", id))
}

impl Service {
    /// A page of a flag's rollouts in rank order.
    pub async fn list_rollouts(
        &self,
        namespace: &str,
        flag_key: &str,
        request: PageRequest,
    ) -> Result<Page<Rollout>, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let mut conn = self.store.reader().acquire().await.map_err(|e| internal(e.into()))?;
        let rows =
            rollouts::page(&mut conn, namespace, flag_key, fetch_limit(request), request.offset)
                .await
                .map_err(internal)?;
        let total = rollouts::count(&mut conn, namespace, flag_key).await.map_err(internal)?;
        let items = load_rollouts(&mut conn, rows).await?;
        Ok(page_of(items, request, total, |r: &Rollout| r.id.clone()))
    }

    /// One rollout.
    pub async fn get_rollout(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
    ) -> Result<Rollout, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let mut conn = self.store.reader().acquire().await.map_err(|e| internal(e.into()))?;
        let row = require_rollout(&mut conn, namespace, flag_key, id).await?;
        Ok(load_rollouts(&mut conn, vec![row]).await?.remove(0))
    }

    /// Adds a rollout at a rank no other rollout of the flag has.
    pub async fn create_rollout(
        &self,
        namespace: &str,
        flag_key: &str,
        input: RolloutInput,
    ) -> Result<Rollout, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        if input.rank <= 0 {
            return Err(invalid_field("rank", "must be greater than 0"));
        }
        let mut tx = self.begin().await?;
        if !Service::flag_exists(&mut tx, namespace, flag_key).await? {
            // Flipt names the segment too when a segment rollout's flag is missing.
            return Err(match &input.segment {
                Some(segment) => rollout_target_missing(
                    namespace,
                    flag_key,
                    first_segment(&segment.segment_key, &segment.segment_keys),
                ),
                None => not_found("flag", &format!("{namespace}/{flag_key}")),
            });
        }
        let checked = check_part(&mut tx, namespace, flag_key, &input).await?;
        if rollouts::rank_taken(&mut tx, namespace, flag_key, input.rank).await.map_err(internal)? {
            return Err(AppError::Invalid(format!("rank number: {} already exists", input.rank)));
        }
        let now = now_nanos();
        let row = RolloutRow {
            id: new_id(),
            namespace_key: namespace.to_string(),
            flag_key: flag_key.to_string(),
            rollout_type: checked.rollout_type.number(),
            description: input.description.clone(),
            rank: input.rank,
            created_at: now,
            updated_at: now,
        };
        rollouts::insert(&mut tx, &row, checked.part()).await.map_err(internal)?;
        let rollout = load_rollouts(&mut tx, vec![row]).await?.remove(0);
        self.record(&mut tx, namespace, "rollout", &rollout.id, "created", None, snap(&rollout))
            .await?;
        self.commit(tx, namespace).await?;
        Ok(rollout)
    }

    /// Replaces a rollout's description and part; its type cannot change.
    pub async fn update_rollout(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
        input: RolloutInput,
    ) -> Result<Rollout, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        let mut tx = self.begin().await?;
        let current = require_rollout(&mut tx, namespace, flag_key, id).await?;
        let wanted =
            if input.segment.is_some() { RolloutType::Segment } else { RolloutType::Threshold };
        if input.segment.is_some() != input.threshold.is_some()
            && wanted.number() != current.rollout_type
        {
            let have =
                RolloutType::from_number(current.rollout_type).unwrap_or(RolloutType::Unknown);
            return Err(AppError::Invalid(format!(
                "cannot change type of rollout: have {:?} attempted {:?}",
                have.wire_name(),
                wanted.wire_name()
            )));
        }
        let checked = check_part(&mut tx, namespace, flag_key, &input).await?;
        let before = snap(&load_rollouts(&mut tx, vec![current.clone()]).await?.remove(0));
        let row = RolloutRow {
            description: input.description.clone(),
            updated_at: now_nanos(),
            ..current
        };
        rollouts::update(&mut tx, &row, checked.part()).await.map_err(internal)?;
        let rollout = load_rollouts(&mut tx, vec![row]).await?.remove(0);
        self.record(&mut tx, namespace, "rollout", id, "updated", before, snap(&rollout)).await?;
        self.commit(tx, namespace).await?;
        Ok(rollout)
    }

    /// Deletes a rollout and renumbers the remaining ones 1..n (idempotent).
    pub async fn delete_rollout(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
    ) -> Result<(), AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        let mut tx = self.begin().await?;
        let Some(row) = rollouts::get(&mut tx, namespace, flag_key, id).await.map_err(internal)?
        else {
            return Ok(());
        };
        let before = snap(&load_rollouts(&mut tx, vec![row]).await?.remove(0));
        rollouts::delete(&mut tx, id).await.map_err(internal)?;
        let remaining =
            rollouts::page(&mut tx, namespace, flag_key, 0, 0).await.map_err(internal)?;
        let now = now_nanos();
        for (index, rollout) in remaining.iter().enumerate() {
            rollouts::set_rank(&mut tx, &rollout.id, index as i64 + 1, now)
                .await
                .map_err(internal)?;
        }
        self.record(&mut tx, namespace, "rollout", id, "deleted", before, None).await?;
        self.commit(tx, namespace).await?;
        Ok(())
    }

    /// Gives the listed rollouts ranks 1..n in the listed order.
    pub async fn order_rollouts(
        &self,
        namespace: &str,
        flag_key: &str,
        order: RolloutOrder,
    ) -> Result<(), AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        if order.rollout_ids.len() < 2 {
            return Err(invalid_field("rolloutIds", "must contain atleast 2 elements"));
        }
        let mut tx = self.begin().await?;
        Service::require_flag(&mut tx, namespace, flag_key).await?;
        let existing =
            rollouts::page(&mut tx, namespace, flag_key, 0, 0).await.map_err(internal)?;
        if let Some(unknown) =
            order.rollout_ids.iter().find(|id| !existing.iter().any(|r| &r.id == *id))
        {
            return Err(not_found("rollout", unknown));
        }
        let now = now_nanos();
        for (index, id) in order.rollout_ids.iter().enumerate() {
            rollouts::set_rank(&mut tx, id, index as i64 + 1, now).await.map_err(internal)?;
        }
        let ids = |rows: Vec<RolloutRow>| snap(&rows.into_iter().map(|r| r.id).collect::<Vec<_>>());
        let after = rollouts::page(&mut tx, namespace, flag_key, 0, 0).await.map_err(internal)?;
        self.record(
            &mut tx,
            namespace,
            "rollout_order",
            flag_key,
            "updated",
            ids(existing),
            ids(after),
        )
        .await?;
        self.commit(tx, namespace).await?;
        Ok(())
    }
}
