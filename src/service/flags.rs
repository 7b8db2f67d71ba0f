//! Flags and variants.

use crate::auth::Need;
use app::{
    domain::{
        Flag, FlagInput, FlagListing, FlagQuery, Page, PageRequest, Variant, VariantInput,
        FLAG_PAGE_SIZE,
    },
    error::AppError,
};
use sqlx::AnyConnection;

use super::{
    error::{conflict, internal, not_found, unique_or_internal},
    history::snap,
    new_id,
    paging::{fetch_limit, page_of},
    validate, Service,
};
use crate::store::{flags, flags::FlagRow, flags::VariantRow, namespaces, now_nanos};

/// Loads one flag with its variants (two queries).
pub(super) async fn load_flag(
    conn: &mut AnyConnection,
    namespace: &str,
    key: &str,
) -> Result<Option<Flag>, AppError> {
    let Some(row) = flags::get(conn, namespace, key).await.map_err(internal)? else {
        return Ok(None);
    };
    let variants = flags::variants_of(conn, namespace, std::slice::from_ref(&row.key))
        .await
        .map_err(internal)?;
    Ok(flags::assemble(vec![row], variants).pop())
}

/// The error for a guarded write that matched no row: 404 if the flag is gone, else 409.
async fn stale_flag(conn: &mut AnyConnection, namespace: &str, key: &str, sent: i64) -> AppError {
    let name = flag_name(namespace, key);
    match load_flag(conn, namespace, key).await {
        Ok(Some(flag)) => conflict("flag", &name, sent, flag.version, &flag),
        Ok(None) => not_found("flag", &name),
        Err(error) => error,
    }
}

fn flag_name(namespace: &str, key: &str) -> String {
    format!("{namespace}/{key}")
}

impl Service {
    /// A page of a namespace's flags with their variants (three queries).
    pub async fn list_flags(
        &self,
        namespace: &str,
        request: PageRequest,
    ) -> Result<Page<Flag>, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let mut conn = self.store.reader().acquire().await.map_err(|e| internal(e.into()))?;
        let rows = flags::page(&mut conn, namespace, fetch_limit(request), request.offset)
            .await
            .map_err(internal)?;
        let total = flags::count(&mut conn, namespace).await.map_err(internal)?;
        let keys: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
        let variants = flags::variants_of(&mut conn, namespace, &keys).await.map_err(internal)?;
        Ok(page_of(flags::assemble(rows, variants), request, total, |f: &Flag| f.key.clone()))
    }

    /// The dashboard's flag list: one page of the flags matching `query.search`, in its order,
    /// with the namespace's data version read in the same transaction.
    pub async fn search_flags(
        &self,
        namespace: &str,
        query: FlagQuery,
    ) -> Result<FlagListing, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let order = match query.sort.as_str() {
            "name" => flags::FlagOrder::Name,
            "created" => flags::FlagOrder::Created,
            "updated" => flags::FlagOrder::Updated,
            _ => flags::FlagOrder::Key,
        };
        let page = query.page.clamp(0, i64::MAX / FLAG_PAGE_SIZE - 1);
        let mut tx = self.store.read_tx().await.map_err(internal)?;
        let data_version = namespaces::get(&mut *tx, namespace)
            .await
            .map_err(internal)?
            .ok_or_else(|| not_found("namespace", namespace))?
            .data_version;
        let (rows, total) = flags::search(
            &mut tx,
            namespace,
            query.search.trim(),
            order,
            query.descending,
            FLAG_PAGE_SIZE,
            page * FLAG_PAGE_SIZE,
        )
        .await
        .map_err(internal)?;
        let keys: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
        let variants = flags::variants_of(&mut tx, namespace, &keys).await.map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        Ok(FlagListing {
            flags: flags::assemble(rows, variants),
            total,
            page,
            page_size: FLAG_PAGE_SIZE,
            data_version,
        })
    }

    /// A namespace's data version (404 if there is no such namespace).
    pub async fn data_version(&self, namespace: &str) -> Result<i64, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let row = namespaces::get(self.store.reader(), namespace).await.map_err(internal)?;
        Ok(row.ok_or_else(|| not_found("namespace", namespace))?.data_version)
    }

    /// One flag with its variants.
    pub async fn get_flag(&self, namespace: &str, key: &str) -> Result<Flag, AppError> {
        crate::auth::require(Need::Read, Some(namespace))?;
        let mut conn = self.store.reader().acquire().await.map_err(|e| internal(e.into()))?;
        load_flag(&mut conn, namespace, key)
            .await?
            .ok_or_else(|| not_found("flag", &flag_name(namespace, key)))
    }

    /// Creates a flag (without variants; they are added one by one, as in Flipt).
    pub async fn create_flag(&self, namespace: &str, input: FlagInput) -> Result<Flag, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        validate::key("key", &input.key)?;
        validate::required("name", &input.name)?;
        let metadata = match &input.metadata {
            Some(value) => validate::metadata(value)?,
            None => None,
        };
        let mut tx = self.begin().await?;
        Self::require_namespace(&mut tx, namespace).await?;
        let now = now_nanos();
        let row = FlagRow {
            namespace_key: namespace.to_string(),
            key: input.key.clone(),
            name: input.name,
            description: input.description,
            enabled: i64::from(input.enabled),
            flag_type: input.flag_type.number(),
            default_variant_id: None,
            metadata,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        flags::insert(&mut tx, &row)
            .await
            .map_err(|e| unique_or_internal(e, "flag", &flag_name(namespace, &input.key)))?;
        let flag = load_flag(&mut tx, namespace, &input.key)
            .await?
            .ok_or_else(|| not_found("flag", &input.key))?;
        self.record(&mut tx, namespace, "flag", &input.key, "created", None, snap(&flag)).await?;
        self.commit(tx, namespace).await?;
        Ok(flag)
    }

    /// Replaces a flag's mutable fields (Flipt's PUT semantics, reference §1.3).
    pub async fn update_flag(
        &self,
        namespace: &str,
        key: &str,
        input: FlagInput,
        expected_version: Option<i64>,
    ) -> Result<Flag, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        validate::required("name", &input.name)?;
        let name = flag_name(namespace, key);
        let mut tx = self.begin().await?;
        let current = flags::get(&mut tx, namespace, key)
            .await
            .map_err(internal)?
            .ok_or_else(|| not_found("flag", &name))?;
        let before = load_flag(&mut tx, namespace, key).await?;
        let default_variant_id = if input.default_variant_id.is_empty() {
            None
        } else {
            flags::variant(&mut tx, namespace, key, &input.default_variant_id)
                .await
                .map_err(internal)?
                .ok_or_else(|| not_found("variant", &input.default_variant_id))?;
            Some(input.default_variant_id.clone())
        };
        let metadata = match &input.metadata {
            Some(value) => validate::metadata(value)?,
            None => current.metadata.clone(),
        };
        let row = FlagRow {
            name: input.name,
            description: input.description,
            enabled: i64::from(input.enabled),
            default_variant_id,
            metadata,
            updated_at: now_nanos(),
            ..current
        };
        // The version check is the UPDATE's own WHERE clause, so a concurrent edit between our
        // read and this write cannot slip through.
        if !flags::update(&mut tx, &row, expected_version).await.map_err(internal)? {
            return Err(
                stale_flag(&mut tx, namespace, key, expected_version.unwrap_or_default()).await
            );
        }
        let flag =
            load_flag(&mut tx, namespace, key).await?.ok_or_else(|| not_found("flag", &name))?;
        let before = before.as_ref().and_then(snap);
        self.record(&mut tx, namespace, "flag", key, "updated", before, snap(&flag)).await?;
        self.commit(tx, namespace).await?;
        Ok(flag)
    }

    /// Deletes a flag with its variants, rules and rollouts. Idempotent, as in Flipt, unless a
    /// version is given: then the flag must exist at that version, checked by the DELETE itself.
    pub async fn delete_flag(
        &self,
        namespace: &str,
        key: &str,
        expected_version: Option<i64>,
    ) -> Result<(), AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        let mut tx = self.begin().await?;
        let before = load_flag(&mut tx, namespace, key).await?;
        if before.is_some() {
            self.snapshot_in(&mut tx, namespace, &format!("before deleting flag {key}"), true)
                .await?;
        }
        if flags::delete(&mut tx, namespace, key, expected_version).await.map_err(internal)? {
            let before = before.as_ref().and_then(snap);
            self.record(&mut tx, namespace, "flag", key, "deleted", before, None).await?;
            self.commit(tx, namespace).await?;
            return Ok(());
        }
        match expected_version {
            None => Ok(()),
            Some(sent) => Err(stale_flag(&mut tx, namespace, key, sent).await),
        }
    }

    /// Adds a variant to a flag.
    pub async fn create_variant(
        &self,
        namespace: &str,
        flag_key: &str,
        input: VariantInput,
    ) -> Result<Variant, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        validate::required("key", &input.key)?;
        let attachment = validate::attachment(&input.attachment)?;
        let mut tx = self.begin().await?;
        flags::get(&mut tx, namespace, flag_key)
            .await
            .map_err(internal)?
            .ok_or_else(|| not_found("flag", &flag_name(namespace, flag_key)))?;
        let now = now_nanos();
        let row = VariantRow {
            id: new_id(),
            namespace_key: namespace.to_string(),
            flag_key: flag_key.to_string(),
            key: input.key.clone(),
            name: input.name,
            description: input.description,
            attachment,
            created_at: now,
            updated_at: now,
        };
        flags::insert_variant(&mut tx, &row)
            .await
            .map_err(|e| unique_or_internal(e, "variant", &input.key))?;
        let created = Variant::from(row);
        self.record(&mut tx, namespace, "variant", &created.id, "created", None, snap(&created))
            .await?;
        self.commit(tx, namespace).await?;
        Ok(created)
    }

    /// Replaces a variant's key, name, description and attachment.
    pub async fn update_variant(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
        input: VariantInput,
    ) -> Result<Variant, AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        validate::required("key", &input.key)?;
        let attachment = validate::attachment(&input.attachment)?;
        let mut tx = self.begin().await?;
        let current = flags::variant(&mut tx, namespace, flag_key, id)
            .await
            .map_err(internal)?
            .ok_or_else(|| not_found("variant", id))?;
        let before = snap(&Variant::from(current.clone()));
        let row = VariantRow {
            key: input.key.clone(),
            name: input.name,
            description: input.description,
            attachment,
            updated_at: now_nanos(),
            ..current
        };
        flags::update_variant(&mut tx, &row)
            .await
            .map_err(|e| unique_or_internal(e, "variant", &input.key))?;
        let after = Variant::from(row);
        self.record(&mut tx, namespace, "variant", id, "updated", before, snap(&after)).await?;
        self.commit(tx, namespace).await?;
        Ok(after)
    }

    /// Deletes a variant; its distributions go, and a flag default pointing at it is cleared.
    pub async fn delete_variant(
        &self,
        namespace: &str,
        flag_key: &str,
        id: &str,
    ) -> Result<(), AppError> {
        crate::auth::require(Need::Write, Some(namespace))?;
        let mut tx = self.begin().await?;
        let before = flags::variant(&mut tx, namespace, flag_key, id).await.map_err(internal)?;
        if flags::delete_variant(&mut tx, namespace, flag_key, id).await.map_err(internal)? {
            let before = before.map(Variant::from).as_ref().and_then(snap);
            self.record(&mut tx, namespace, "variant", id, "deleted", before, None).await?;
            self.commit(tx, namespace).await?;
        }
        Ok(())
    }
}
