//! One module per page of the dashboard.

mod namespaces;
mod not_found;

pub use namespaces::NamespacesPage;
pub use not_found::NotFound;
