//! One module per page of the dashboard.

mod access;
mod console;
mod constraint;
mod flag;
mod flags;
mod general;
mod history;
mod namespaces;
mod new_flag;
mod not_found;
mod poll;
mod segment;
mod segments;
mod settings;
mod snapshots;

pub use access::AccessPage;
pub use console::ConsolePage;
pub use flag::FlagPage;
pub use flags::FlagsPage;
pub use general::GeneralSettings;
pub use history::HistoryPage;
pub use namespaces::NamespacesPage;
pub use new_flag::NewFlagPage;
pub use not_found::NotFound;
pub use segment::SegmentPage;
pub use segments::SegmentsPage;
pub use settings::NamespaceSettings;
pub use snapshots::SnapshotsPage;
