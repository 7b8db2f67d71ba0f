//! Test support: a migrated, throw-away database per test, on SQLite or PostgreSQL.
//!
//! PostgreSQL tests use `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`)
//! to create a database of their own and drop it afterwards. They fail, never skip, when
//! PostgreSQL does not answer.

pub mod api;
pub mod fixture;
pub mod integrity;
pub mod strategies;

use std::path::PathBuf;

use sqlx::{AnyConnection, Connection, Executor};

use crate::{
    config::{DatabaseSettings, Settings},
    store::Store,
};

/// A database that exists for one test.
pub struct TestDb {
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    Directory(PathBuf),
    Postgres { admin_url: String, name: String },
}

/// The PostgreSQL server the tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let host_end = base.rfind('/').expect("a postgres URL has a path");
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

fn settings_for(url: String) -> DatabaseSettings {
    Settings::for_tests(&url, 4 * 1024 * 1024).database
}

impl TestDb {
    /// A fresh SQLite file in its own temporary directory.
    pub async fn sqlite() -> Self {
        let dir = std::env::temp_dir().join(format!("vexil-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        let url = format!("sqlite://{}/test.db", dir.display());
        let store = Store::connect(&settings_for(url)).await.expect("open SQLite");
        store.migrate().await.expect("migrate SQLite");
        TestDb { store, cleanup: Cleanup::Directory(dir) }
    }

    /// A fresh database on the test PostgreSQL server.
    pub async fn postgres() -> Self {
        sqlx::any::install_default_drivers();
        let admin_url = postgres_admin_url();
        let name = format!("vexil_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = AnyConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL must answer at {admin_url}: {e}"));
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create a test database");
        admin.close().await.ok();
        let store = Store::connect(&settings_for(with_database(&admin_url, &name)))
            .await
            .expect("open PostgreSQL");
        store.migrate().await.expect("migrate PostgreSQL");
        TestDb { store, cleanup: Cleanup::Postgres { admin_url, name } }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Directory(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                // Drop runs inside the test's runtime; do the async cleanup on a thread of its own.
                let (admin_url, name) = (admin_url.clone(), name.clone());
                let dropped = std::thread::spawn(move || {
                    let runtime =
                        tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                    runtime.block_on(async move {
                        let mut admin = AnyConnection::connect(&admin_url).await?;
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        admin.execute(sql.as_str()).await?;
                        admin.close().await
                    })?;
                    Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
                })
                .join();
                if !matches!(dropped, Ok(Ok(()))) {
                    eprintln!("could not drop test database {}", self.store_name());
                }
            }
        }
    }
}

impl TestDb {
    /// Another empty database of the same kind.
    pub async fn fresh(&self) -> TestDb {
        match self.store.backend() {
            crate::store::Backend::Sqlite => TestDb::sqlite().await,
            crate::store::Backend::Postgres => TestDb::postgres().await,
        }
    }

    fn store_name(&self) -> String {
        match &self.cleanup {
            Cleanup::Directory(dir) => dir.display().to_string(),
            Cleanup::Postgres { name, .. } => name.clone(),
        }
    }
}

/// Runs `future` as the command line does: the owner of the database, allowed everything.
pub async fn as_owner<F: std::future::Future>(future: F) -> F::Output {
    crate::auth::scope(std::sync::Arc::new(crate::auth::Principal::system()), future).await
}

/// Runs each named `async fn(&TestDb)` as two tests, `<name>::sqlite` and `<name>::postgres`.
/// The test's own calls into the service run as the command line does (the database's owner);
/// requests through [`api::Api`] go through the door with their own credential.
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let db = $crate::testing::TestDb::sqlite().await;
                    $crate::testing::as_owner(super::$name(&db)).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let db = $crate::testing::TestDb::postgres().await;
                    $crate::testing::as_owner(super::$name(&db)).await;
                }
            }
        )*
    };
}
pub(crate) use on_both_databases;

#[test]
fn database_names_are_replaced_in_urls() {
    assert_eq!(with_database("postgres://u@h:5432/postgres", "x"), "postgres://u@h:5432/x");
    assert_eq!(
        with_database("postgres://u@h/p?sslmode=disable", "x"),
        "postgres://u@h/x?sslmode=disable"
    );
}
