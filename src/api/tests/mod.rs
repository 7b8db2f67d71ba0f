//! REST API tests through the whole router, each on SQLite and on PostgreSQL.

mod access;
mod auth;
mod concurrency;
mod dashboard;
mod degraded;
mod evaluation;
mod export;
mod flags;
mod flipt_documents;
mod history;
mod hostile;
mod import;
mod integrity;
mod limits;
mod load;
mod meta;
mod namespaces;
mod ofrep;
mod rollouts;
mod rules;
mod segments;
mod snapshots;
mod stream;
