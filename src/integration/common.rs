//! Shared by the binary-level tests: free ports and throw-away PostgreSQL databases.
#![allow(dead_code)] // each test target uses its own part

use std::net::TcpListener;

use sqlx::{AnyConnection, Connection, Executor};

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A database of its own on `TEST_POSTGRES_URL`'s server (default the local one), dropped by
/// [`PostgresDb::drop_now`]. Fails, never skips, when PostgreSQL does not answer.
pub struct PostgresDb {
    admin: AnyConnection,
    name: String,
    pub url: String,
}

impl PostgresDb {
    pub async fn create(prefix: &str) -> Self {
        sqlx::any::install_default_drivers();
        let admin_url = std::env::var("TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        let mut admin = AnyConnection::connect(&admin_url).await.expect("PostgreSQL must answer");
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
        let url = format!("{}/{name}", &admin_url[..admin_url.rfind('/').unwrap()]);
        PostgresDb { admin, name, url }
    }

    /// Drops the database, closing whatever still uses it.
    pub async fn drop_now(mut self) {
        let sql = format!("DROP DATABASE {} WITH (FORCE)", self.name);
        self.admin.execute(sql.as_str()).await.unwrap();
    }
}
