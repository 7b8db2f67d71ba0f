//! Server functions for the flag list: a page of flags, and the namespace's data version that
//! the page polls to know when to refetch.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::{domain::FlagListing, error::AppError};

/// One page of a namespace's flags, searched, ordered and paged by the server.
#[server(prefix = "/ui", endpoint = "flags/list", input = GetUrl, client = crate::access::CsrfClient)]
pub async fn list_flags(
    namespace: String,
    search: String,
    sort: String,
    descending: bool,
    page: i64,
) -> Result<FlagListing, AppError> {
    let query = crate::domain::FlagQuery { search, sort, descending, page };
    super::with_status(crate::port::use_port()?.list_flags(&namespace, query).await)
}

/// The namespace's data version: it changes with every write inside the namespace.
#[server(prefix = "/ui", endpoint = "namespaces/version", input = GetUrl, client = crate::access::CsrfClient)]
pub async fn data_version(namespace: String) -> Result<i64, AppError> {
    super::with_status(crate::port::use_port()?.data_version(&namespace).await)
}

/// Creates a flag from the dashboard's form, then sends the browser to the flag list, newest
/// first (an HTTP redirect without JavaScript, a client navigation with it). `enabled` is a
/// checkbox: present ("on") or absent.
#[server(prefix = "/ui", endpoint = "flags/create", client = crate::access::CsrfClient)]
pub async fn create_flag(
    namespace: String,
    key: String,
    name: String,
    description: String,
    flag_type: String,
    enabled: Option<String>,
) -> Result<crate::domain::Flag, AppError> {
    let flag_type = crate::domain::FlagType::from_wire_name(&flag_type)
        .ok_or_else(|| AppError::Invalid(format!("invalid field type: \"{flag_type}\"")))?;
    let input = crate::domain::FlagInput {
        key,
        name,
        description,
        enabled: enabled.is_some(),
        flag_type,
        ..Default::default()
    };
    let flag = super::with_status(crate::port::use_port()?.create_flag(&namespace, input).await)?;
    leptos_axum::redirect(&format!("/namespaces/{namespace}/flags?sort=created&dir=desc"));
    Ok(flag)
}
