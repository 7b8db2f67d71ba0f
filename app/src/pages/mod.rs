//! One module per page of the dashboard.

mod flags;
mod history;
mod namespaces;
mod new_flag;
mod not_found;
mod settings;
mod snapshots;

pub use flags::FlagsPage;
pub use history::HistoryPage;
pub use namespaces::NamespacesPage;
pub use new_flag::NewFlagPage;
pub use not_found::NotFound;
pub use settings::NamespaceSettings;
pub use snapshots::SnapshotsPage;
