//! Evaluation metrics in Prometheus' text format, with Flipt's names (reference §6.3). Counters
//! are atomics reached under a read lock, so recording an evaluation allocates nothing once a
//! flag has been seen; only the first evaluation of a flag takes the write lock.

use std::{
    collections::HashMap,
    fmt::Write as _,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, RwLock,
    },
};

use app::domain::EvaluationReason;

/// Upper bounds of the latency histogram, in milliseconds.
const BUCKETS_MS: [f64; 12] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 25.0, 100.0];

#[derive(Debug, Default)]
struct FlagCounters {
    requests: AtomicU64,
    /// By reason (4) × matched (2).
    results: [AtomicU64; 8],
    /// Cumulative histogram buckets, then +Inf.
    latency: [AtomicU64; BUCKETS_MS.len() + 1],
    latency_sum_ns: AtomicU64,
}

/// Evaluation counters per namespace and flag.
#[derive(Debug, Default)]
pub struct Metrics {
    flags: RwLock<HashMap<String, HashMap<String, Arc<FlagCounters>>>>,
    errors: AtomicU64,
}

impl Metrics {
    fn counters(&self, namespace: &str, flag: &str) -> Arc<FlagCounters> {
        if let Some(found) = self
            .flags
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(namespace)
            .and_then(|f| f.get(flag))
        {
            return found.clone();
        }
        let mut flags = self.flags.write().unwrap_or_else(|e| e.into_inner());
        flags.entry(namespace.to_string()).or_default().entry(flag.to_string()).or_default().clone()
    }

    /// Records one evaluation of an existing flag.
    pub fn record(
        &self,
        namespace: &str,
        flag: &str,
        reason: EvaluationReason,
        matched: bool,
        elapsed_ns: u64,
    ) {
        let counters = self.counters(namespace, flag);
        counters.requests.fetch_add(1, Ordering::Relaxed);
        counters.results[reason.number() as usize * 2 + usize::from(matched)]
            .fetch_add(1, Ordering::Relaxed);
        let ms = elapsed_ns as f64 / 1e6;
        let bucket = BUCKETS_MS.iter().position(|b| ms <= *b).unwrap_or(BUCKETS_MS.len());
        counters.latency[bucket].fetch_add(1, Ordering::Relaxed);
        counters.latency_sum_ns.fetch_add(elapsed_ns, Ordering::Relaxed);
    }

    /// Records an evaluation that failed (missing flag, wrong type, storage error).
    pub fn record_error(&self) {
        self.errors.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus exposition, with the cache counters appended by the caller.
    pub fn render(&self, out: &mut String) {
        let flags = self.flags.read().unwrap_or_else(|e| e.into_inner());
        let _ = writeln!(
            out,
            "# HELP flipt_evaluations_requests_total Evaluations by namespace and flag."
        );
        let _ = writeln!(out, "# TYPE flipt_evaluations_requests_total counter");
        for (ns, by_flag) in flags.iter() {
            for (flag, c) in by_flag {
                let _ = writeln!(
                    out,
                    "flipt_evaluations_requests_total{{namespace=\"{ns}\",flag=\"{flag}\"}} {}",
                    c.requests.load(Ordering::Relaxed)
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP flipt_evaluations_results_total Evaluation results by reason and match."
        );
        let _ = writeln!(out, "# TYPE flipt_evaluations_results_total counter");
        for (ns, by_flag) in flags.iter() {
            for (flag, c) in by_flag {
                for (i, count) in c.results.iter().enumerate() {
                    let count = count.load(Ordering::Relaxed);
                    if count == 0 {
                        continue;
                    }
                    let reason =
                        EvaluationReason::from_number(i as i64 / 2).unwrap_or_default().wire_name();
                    let matched = i % 2 == 1;
                    let _ = writeln!(out, "flipt_evaluations_results_total{{namespace=\"{ns}\",flag=\"{flag}\",reason=\"{reason}\",match=\"{matched}\"}} {count}");
                }
            }
        }
        let _ = writeln!(
            out,
            "# HELP flipt_evaluations_latency_milliseconds Time to evaluate, in milliseconds."
        );
        let _ = writeln!(out, "# TYPE flipt_evaluations_latency_milliseconds histogram");
        for (ns, by_flag) in flags.iter() {
            for (flag, c) in by_flag {
                let mut cumulative = 0;
                for (i, bound) in BUCKETS_MS.iter().enumerate() {
                    cumulative += c.latency[i].load(Ordering::Relaxed);
                    let _ = writeln!(out, "flipt_evaluations_latency_milliseconds_bucket{{namespace=\"{ns}\",flag=\"{flag}\",le=\"{bound}\"}} {cumulative}");
                }
                cumulative += c.latency[BUCKETS_MS.len()].load(Ordering::Relaxed);
                let sum = c.latency_sum_ns.load(Ordering::Relaxed) as f64 / 1e6;
                let _ = writeln!(out, "flipt_evaluations_latency_milliseconds_bucket{{namespace=\"{ns}\",flag=\"{flag}\",le=\"+Inf\"}} {cumulative}");
                let _ = writeln!(out, "flipt_evaluations_latency_milliseconds_sum{{namespace=\"{ns}\",flag=\"{flag}\"}} {sum}");
                let _ = writeln!(out, "flipt_evaluations_latency_milliseconds_count{{namespace=\"{ns}\",flag=\"{flag}\"}} {cumulative}");
            }
        }
        let _ = writeln!(out, "# HELP flipt_evaluations_errors_total Evaluations that failed.");
        let _ = writeln!(out, "# TYPE flipt_evaluations_errors_total counter");
        let _ =
            writeln!(out, "flipt_evaluations_errors_total {}", self.errors.load(Ordering::Relaxed));
    }
}
