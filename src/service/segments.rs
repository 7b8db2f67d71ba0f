//! Segments and constraints.

use crate::auth::Need;
use app::{
    domain::{Constraint, ConstraintInput, Page, PageRequest, Segment, SegmentInput},
    error::AppError,
};
use sqlx::AnyConnection;

use super::{
    error::{conflict, internal, not_found, parent_or_internal, unique_or_internal},
    history::snap,
    new_id,
    paging::{fetch_limit, page_of},
    validate, Service,
};
use crate::store::{
    now_nanos, segments, segments::ConstraintRow, segments::SegmentRow, StoreError,
};

async fn load_segment(
    conn: &mut AnyConnection,
    namespace: &str,
    key: &str,
) -> Result<Option<Segment>, AppError> {
    let Some(row) = segments::get(conn, namespace, key).await.map_err(internal)? else {
        return Ok(None);
    };
    let constraints = segments::constraints_of(conn, namespace, std::slice::from_ref(&row.key))
        .await
        .map_err(internal)?;
    Ok(segments::assemble(vec![row], constraints).pop())
}

/// The error for a guarded write that matched no row: 404 if the segment is gone, else 409.
async fn stale_segment(
    conn: &mut AnyConnection,
    namespace: &str,
    key: &str,
    sent: i64,
) -> AppError {
    let name = segment_name(namespace, key);
    match load_segment(conn, namespace, key).await {
        Ok(Some(segment)) => conflict("segment", &name, sent, segment.version, &segment),
        Ok(None) => not_found("segment", &name),
        Err(error) => error,
    }
}

fn segment_name(namespace: &str, key: &str) -> String {
    format!("{namespace}/{key}")
}

impl Service {
    /// A page of a namespace's segments with their constraints (three queries).
    pub async fn list_segments(
        &self,
        namespace: &str,
        request: PageRequest,
    ) -> Result<Page<Segment>, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let mut conn = self.store.reader().acquire().await.map_err(|e| internal(e.into()))?;
        let rows = segments::page(&mut conn, namespace, fetch_limit(request), request.offset)
            .await
            .map_err(internal)?;
        let total = segments::count(&mut conn, namespace).await.map_err(internal)?;
        let keys: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
        let constraints =
            segments::constraints_of(&mut conn, namespace, &keys).await.map_err(internal)?;
        Ok(page_of(segments::assemble(rows, constraints), request, total, |s: &Segment| {
            s.key.clone()
        }))
    }

    /// One segment with its constraints.
    pub async fn get_segment(&self, namespace: &str, key: &str) -> Result<Segment, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let mut conn = self.store.reader().acquire().await.map_err(|e| internal(e.into()))?;
        load_segment(&mut conn, namespace, key)
            .await?
            .ok_or_else(|| not_found("segment", &segment_name(namespace, key)))
    }

    /// Creates a segment.
    pub async fn create_segment(
        &self,
        namespace: &str,
        input: SegmentInput,
    ) -> Result<Segment, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        validate::key("key", &input.key)?;
        validate::required("name", &input.name)?;
        let mut tx = self.begin().await?;
        Self::require_namespace(&mut tx, namespace).await?;
        let now = now_nanos();
        let row = SegmentRow {
            namespace_key: namespace.to_string(),
            key: input.key.clone(),
            name: input.name,
            description: input.description,
            match_type: input.match_type.number(),
            version: 1,
            created_at: now,
            updated_at: now,
        };
        segments::insert(&mut tx, &row)
            .await
            .map_err(|e| unique_or_internal(e, "segment", &segment_name(namespace, &input.key)))?;
        let created = segments::assemble(vec![row], Vec::new()).remove(0);
        self.record(&mut tx, namespace, "segment", &input.key, "created", None, snap(&created))
            .await?;
        self.commit(tx, namespace).await?;
        Ok(created)
    }

    /// Replaces a segment's name, description and match type.
    pub async fn update_segment(
        &self,
        namespace: &str,
        key: &str,
        input: SegmentInput,
        expected_version: Option<i64>,
    ) -> Result<Segment, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        validate::required("name", &input.name)?;
        let name = segment_name(namespace, key);
        let mut tx = self.begin().await?;
        let current = segments::get(&mut tx, namespace, key)
            .await
            .map_err(internal)?
            .ok_or_else(|| not_found("segment", &name))?;
        let before = load_segment(&mut tx, namespace, key).await?;
        let row = SegmentRow {
            name: input.name,
            description: input.description,
            match_type: input.match_type.number(),
            updated_at: now_nanos(),
            ..current
        };
        if !segments::update(&mut tx, &row, expected_version).await.map_err(internal)? {
            // The version check is the UPDATE's own WHERE clause, so a concurrent edit between
            // our read and this write cannot slip through.
            return Err(stale_segment(
                &mut tx,
                namespace,
                key,
                expected_version.unwrap_or_default(),
            )
            .await);
        }
        let segment = load_segment(&mut tx, namespace, key)
            .await?
            .ok_or_else(|| not_found("segment", &name))?;
        let before = before.as_ref().and_then(snap);
        self.record(&mut tx, namespace, "segment", key, "updated", before, snap(&segment)).await?;
        self.commit(tx, namespace).await?;
        Ok(segment)
    }

    /// Deletes a segment and its constraints; refused with 400 while a rule or rollout uses it.
    /// With a version, the DELETE itself checks it.
    pub async fn delete_segment(
        &self,
        namespace: &str,
        key: &str,
        expected_version: Option<i64>,
    ) -> Result<(), AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        let mut tx = self.begin().await?;
        let before = load_segment(&mut tx, namespace, key).await?;
        if before.is_some() {
            self.snapshot_in(&mut tx, namespace, &format!("before deleting segment {key}"), true)
                .await?;
        }
        match segments::delete(&mut tx, namespace, key, expected_version).await {
            Ok(true) => {
                let before = before.as_ref().and_then(snap);
                self.record(&mut tx, namespace, "segment", key, "deleted", before, None).await?;
                self.commit(tx, namespace).await?;
                Ok(())
            }
            Ok(false) => match expected_version {
                None => Ok(()),
                Some(sent) => Err(stale_segment(&mut tx, namespace, key, sent).await),
            },
            Err(StoreError::ForeignKey) => Err(AppError::Invalid(format!(
                "segment \"{}\" is in use",
                segment_name(namespace, key)
            ))),
            Err(other) => Err(internal(other)),
        }
    }

    /// Adds a constraint to a segment.
    pub async fn create_constraint(
        &self,
        namespace: &str,
        segment_key: &str,
        input: ConstraintInput,
    ) -> Result<Constraint, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        let checked = validate::constraint(
            input.comparison_type,
            &input.property,
            &input.operator,
            &input.value,
        )?;
        let mut tx = self.begin().await?;
        segments::get(&mut tx, namespace, segment_key)
            .await
            .map_err(internal)?
            .ok_or_else(|| not_found("segment", &segment_name(namespace, segment_key)))?;
        let now = now_nanos();
        let row = ConstraintRow {
            id: new_id(),
            namespace_key: namespace.to_string(),
            segment_key: segment_key.to_string(),
            comparison_type: input.comparison_type.number(),
            property: input.property,
            operator: checked.operator,
            value: checked.value,
            description: input.description,
            created_at: now,
            updated_at: now,
        };
        segments::insert_constraint(&mut tx, &row)
            .await
            .map_err(|e| parent_or_internal(e, "segment", &segment_name(namespace, segment_key)))?;
        let created = Constraint::from(row);
        self.record(&mut tx, namespace, "constraint", &created.id, "created", None, snap(&created))
            .await?;
        self.commit(tx, namespace).await?;
        Ok(created)
    }

    /// Replaces a constraint, revalidated like a create.
    pub async fn update_constraint(
        &self,
        namespace: &str,
        segment_key: &str,
        id: &str,
        input: ConstraintInput,
    ) -> Result<Constraint, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        let checked = validate::constraint(
            input.comparison_type,
            &input.property,
            &input.operator,
            &input.value,
        )?;
        let mut tx = self.begin().await?;
        let current = segments::constraint(&mut tx, namespace, segment_key, id)
            .await
            .map_err(internal)?
            .ok_or_else(|| not_found("constraint", id))?;
        let before = snap(&Constraint::from(current.clone()));
        let row = ConstraintRow {
            comparison_type: input.comparison_type.number(),
            property: input.property,
            operator: checked.operator,
            value: checked.value,
            description: input.description,
            updated_at: now_nanos(),
            ..current
        };
        segments::update_constraint(&mut tx, &row).await.map_err(internal)?;
        let after = Constraint::from(row);
        self.record(&mut tx, namespace, "constraint", id, "updated", before, snap(&after)).await?;
        self.commit(tx, namespace).await?;
        Ok(after)
    }

    /// Deletes a constraint (idempotent).
    pub async fn delete_constraint(
        &self,
        namespace: &str,
        segment_key: &str,
        id: &str,
    ) -> Result<(), AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        let mut tx = self.begin().await?;
        let before =
            segments::constraint(&mut tx, namespace, segment_key, id).await.map_err(internal)?;
        if segments::delete_constraint(&mut tx, namespace, segment_key, id)
            .await
            .map_err(internal)?
        {
            let before = before.map(Constraint::from).as_ref().and_then(snap);
            self.record(&mut tx, namespace, "constraint", id, "deleted", before, None).await?;
            self.commit(tx, namespace).await?;
        }
        Ok(())
    }
}
