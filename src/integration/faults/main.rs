//! Faults that must never lose an acknowledged write or hang the server (issue #12), against
//! the real binary: a full disk under SQLite, a PostgreSQL outage, and hostile clients.
//! The disk test mounts a tmpfs and the outage test starts its own PostgreSQL cluster, so both
//! need root (CI runs as root); neither touches the machine's own database server.

#[path = "../common.rs"]
mod common;

mod disk;
mod hostile;
mod outage;

/// One fault at a time: each test measures latencies and timeouts that a neighbour's load on
/// two cores would distort.
async fn one_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    SERIAL.lock().await
}

/// A server process of the test's, killed by its PID if the test ends early (a failed
/// assertion unwinds through here), stopped gracefully otherwise.
struct Server(Option<std::process::Child>);

impl Server {
    fn stop(mut self) {
        if let Some(child) = self.0.take() {
            common::stop(child);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }
}
