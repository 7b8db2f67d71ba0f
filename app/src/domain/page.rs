//! Paged lists, as Flipt returns them.

use serde::{Deserialize, Serialize};

/// One page of items with the token for the next (`""` on the last page) and the total.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_page_token: String,
    pub total_count: i64,
}

/// Which page to read: `limit` 0 means everything from `offset` on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PageRequest {
    pub limit: i64,
    pub offset: i64,
}
