//! Degraded mode's trace in a response: when an answer came from a snapshot the database could
//! not confirm, the request learns how old it is. A task-local carries it from the cache to the
//! HTTP layer, so neither the service nor the engine needs to know about headers.

use std::{cell::Cell, future::Future, time::Duration};

tokio::task_local! {
    static SERVED_STALE: Cell<Option<Duration>>;
}

/// Runs `work`, returning its output and the age of the oldest stale snapshot it used.
pub async fn tracked<F: Future>(work: F) -> (F::Output, Option<Duration>) {
    SERVED_STALE
        .scope(Cell::new(None), async move {
            let output = work.await;
            (output, SERVED_STALE.with(Cell::get))
        })
        .await
}

/// Notes that the current request was answered from a snapshot last confirmed `age` ago.
pub(super) fn record(age: Duration) {
    // Outside a tracked request (a CLI command, a test) there is nobody to tell.
    let _ =
        SERVED_STALE.try_with(|served| served.set(Some(served.get().map_or(age, |a| a.max(age)))));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_oldest_stale_answer_of_a_request_is_reported() {
        let ((), age) = tracked(async {
            record(Duration::from_millis(30));
            record(Duration::from_millis(90));
            record(Duration::from_millis(10));
        })
        .await;
        assert_eq!(age, Some(Duration::from_millis(90)));
        let ((), none) = tracked(async {}).await;
        assert_eq!(none, None);
        record(Duration::from_secs(1)); // untracked: no panic
    }
}
