//! One module per page of the dashboard.

mod namespaces;
mod not_found;
mod settings;

pub use namespaces::NamespacesPage;
pub use not_found::NotFound;
pub use settings::NamespaceSettings;
