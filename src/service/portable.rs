//! Namespaces as Flipt documents.

use app::{domain::Namespace, error::AppError};

use super::{internal, Service};
use crate::document::{export, Document};

impl Service {
    /// The named namespaces (or all, in creation order) as documents.
    pub async fn export(
        &self,
        namespaces: Option<&[String]>,
        sort_by_key: bool,
    ) -> Result<Vec<Document>, AppError> {
        let selected: Vec<Namespace> = match namespaces {
            Some(keys) => {
                let mut found = Vec::with_capacity(keys.len());
                for key in keys {
                    found.push(self.get_namespace(key).await?);
                }
                found
            }
            None => self.list_namespaces(Default::default()).await?.items,
        };
        let mut documents = Vec::with_capacity(selected.len());
        for namespace in selected {
            let loaded = self.store.load_namespace(&namespace.key).await.map_err(internal)?;
            documents.push(export(&namespace, &loaded.source, sort_by_key));
        }
        Ok(documents)
    }
}
