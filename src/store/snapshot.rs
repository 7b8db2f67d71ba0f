//! Loading one namespace whole, for evaluation: eleven namespace-wide queries inside one read
//! transaction, so the data and the data version it is tagged with belong together.

use sqlx::AnyConnection;

use super::{
    flags, flags::FlagRow, flags::VariantRow, rollouts, rollouts::RolloutRow,
    rollouts::SegmentRefRow, rollouts::ThresholdRow, rules, rules::DistributionRow, rules::RuleRow,
    rules::RuleSegmentRow, segments, segments::ConstraintRow, segments::SegmentRow, Backend, Store,
    StoreError,
};
use crate::eval::Source;

/// A namespace's content at one data version.
pub struct Loaded {
    /// `None` when the namespace does not exist.
    pub version: Option<(i64, i64)>,
    pub source: Source,
}

impl Store {
    /// Reads the namespace, its data version and creation time, and everything in it.
    pub async fn load_namespace(&self, namespace: &str) -> Result<Loaded, StoreError> {
        let mut tx = self.read_tx().await?;
        let version: Option<(i64, i64)> =
            sqlx::query_as("SELECT data_version, created_at FROM namespaces WHERE key = $1")
                .bind(namespace)
                .fetch_optional(&mut *tx)
                .await?;
        let source = match version {
            Some(_) => load(&mut tx, namespace).await?,
            None => Source::default(),
        };
        tx.commit().await?;
        Ok(Loaded { version, source })
    }

    /// Everything in a namespace as the given (write) transaction sees it.
    pub async fn load_in(tx: &mut super::Tx, namespace: &str) -> Result<Source, StoreError> {
        load(tx, namespace).await
    }
}

async fn rows<T>(conn: &mut AnyConnection, sql: &str, namespace: &str) -> Result<Vec<T>, StoreError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    Ok(sqlx::query_as(sql).bind(namespace).fetch_all(conn).await?)
}

async fn load(conn: &mut AnyConnection, ns: &str) -> Result<Source, StoreError> {
    let flag_rows: Vec<FlagRow> = flags::page(conn, ns, 0, 0).await?;
    let variants: Vec<VariantRow> = rows(
        conn,
        "SELECT id, namespace_key, flag_key, key, name, description, attachment, created_at, updated_at \
         FROM variants WHERE namespace_key = $1 ORDER BY created_at, id",
        ns,
    )
    .await?;
    let segment_rows: Vec<SegmentRow> = segments::page(conn, ns, 0, 0).await?;
    let constraints: Vec<ConstraintRow> = rows(
        conn,
        "SELECT id, namespace_key, segment_key, type AS comparison_type, property, operator, value, \
         description, created_at, updated_at FROM constraints WHERE namespace_key = $1 ORDER BY created_at, id",
        ns,
    )
    .await?;
    let rule_rows: Vec<RuleRow> = rows(
        conn,
        "SELECT id, namespace_key, flag_key, rank, segment_operator, created_at, updated_at \
         FROM rules WHERE namespace_key = $1 ORDER BY flag_key, rank, created_at, id",
        ns,
    )
    .await?;
    let rule_segments: Vec<RuleSegmentRow> = rows(
        conn,
        "SELECT rs.rule_id, rs.segment_key FROM rule_segments rs JOIN rules r ON r.id = rs.rule_id \
         WHERE r.namespace_key = $1 ORDER BY rs.rule_id, rs.position",
        ns,
    )
    .await?;
    let distributions: Vec<DistributionRow> = rows(
        conn,
        "SELECT d.id, d.rule_id, d.variant_id, d.rollout, d.created_at, d.updated_at FROM distributions d \
         JOIN rules r ON r.id = d.rule_id WHERE r.namespace_key = $1 ORDER BY d.created_at, d.id",
        ns,
    )
    .await?;
    let rollout_rows: Vec<RolloutRow> = rows(
        conn,
        "SELECT id, namespace_key, flag_key, type AS rollout_type, description, rank, created_at, updated_at \
         FROM rollouts WHERE namespace_key = $1 ORDER BY flag_key, rank, created_at, id",
        ns,
    )
    .await?;
    let thresholds: Vec<ThresholdRow> = rows(
        conn,
        "SELECT rollout_id, percentage, value FROM rollout_thresholds WHERE namespace_key = $1",
        ns,
    )
    .await?;
    let refs: Vec<SegmentRefRow> = rows(
        conn,
        "SELECT rs.rollout_id, rs.value, rs.segment_operator, r.segment_key FROM rollout_segments rs \
         JOIN rollout_segment_references r ON r.rollout_segment_id = rs.id \
         JOIN rollouts o ON o.id = rs.rollout_id WHERE o.namespace_key = $1 ORDER BY rs.rollout_id, r.position",
        ns,
    )
    .await?;
    Ok(Source {
        flags: flags::assemble(flag_rows, variants),
        segments: segments::assemble(segment_rows, constraints),
        rules: rules::assemble(rule_rows, &rule_segments, distributions),
        rollouts: rollouts::assemble(rollout_rows, &thresholds, &refs),
    })
}

impl Store {
    /// Every namespace's data version, for the cache's poll.
    pub async fn namespace_versions(
        &self,
    ) -> Result<std::collections::HashMap<String, i64>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT key, data_version FROM namespaces")
            .fetch_all(self.reader())
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// Announces a committed change to other replicas (PostgreSQL NOTIFY, delivered on commit);
    /// nothing to do on SQLite, whose readers share this process.
    pub async fn notify(
        &self,
        tx: &mut super::Tx,
        namespace: &str,
        version: i64,
    ) -> Result<(), StoreError> {
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(crate::cache::replicas::CHANNEL)
                .bind(format!("{namespace}:{version}"))
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }
}
