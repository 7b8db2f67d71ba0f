//! The core: one service behind both front doors (REST and the dashboard's server functions).
//! Every write goes through here, as one transaction.

mod error;
mod namespaces;
mod port;

use crate::store::Store;

pub use error::internal;

/// The application service. Cheap to clone; share it behind an `Arc`.
#[derive(Clone, Debug)]
pub struct Service {
    store: Store,
}

impl Service {
    pub fn new(store: Store) -> Self {
        Service { store }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}
