//! Counters of a node, for a Prometheus endpoint (which renders [`RmnMetricsSnapshot`]).

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

macro_rules! metrics {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        /// Live counters of one node; cheap to bump from the node task and to read from any thread.
        #[derive(Debug, Default)]
        pub struct RmnMetrics {
            $($(#[$doc])* pub $name: AtomicU64,)*
        }

        /// A copy of the counters at one moment.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
        pub struct RmnMetricsSnapshot {
            $($(#[$doc])* pub $name: u64,)*
        }

        impl RmnMetrics {
            /// Reads every counter.
            pub fn snapshot(&self) -> RmnMetricsSnapshot {
                RmnMetricsSnapshot {
                    $($name: self.$name.load(Ordering::Relaxed),)*
                }
            }
        }

        impl RmnMetricsSnapshot {
            /// `(name, value)` of every counter, names without prefix.
            pub fn counters(&self) -> Vec<(&'static str, u64)> {
                vec![$((stringify!($name), self.$name),)*]
            }
        }
    };
}

metrics! {
    /// Poll rounds completed.
    polls,
    /// RPC calls that failed (each is retried on a later poll).
    rpc_errors,
    /// `CCIPSendRequested` messages indexed at finality depth.
    messages_indexed,
    /// `ReportAccepted` roots seen on destination CommitStores.
    roots_seen,
    /// Committed roots this node re-derived and found equal.
    roots_matched,
    /// Committed roots that do not match the source chain (or cover messages it never sent).
    roots_mismatched,
    /// Roots this node voted to bless.
    bless_votes,
    /// Subjects this node voted to curse.
    curse_votes,
    /// Vote transactions that failed or reverted.
    tx_errors,
    /// Supply invariant violations found (per lane and token).
    supply_violations,
    /// Lanes found above the outbound volume limit.
    volume_violations,
    /// Source chains found reorganised past the finality depth.
    deep_reorgs,
}

impl RmnMetrics {
    /// Adds one to `counter`.
    pub(crate) fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

impl RmnMetricsSnapshot {
    /// Prometheus text exposition of these counters as `ccip_rmn_<name>_total{node="<node>"}`.
    /// Concatenate the output of several nodes under one set of `# TYPE` lines with
    /// [`render_prometheus`].
    pub fn render_prometheus(&self, node: &str) -> String {
        render_prometheus(&[(node.to_owned(), *self)])
    }
}

/// Prometheus text exposition of several nodes' counters, one `node` label each.
pub fn render_prometheus(nodes: &[(String, RmnMetricsSnapshot)]) -> String {
    let mut out = String::new();
    let names = RmnMetricsSnapshot::default().counters();
    for (i, (name, _)) in names.iter().enumerate() {
        out.push_str(&format!("# TYPE ccip_rmn_{name}_total counter\n"));
        for (node, snapshot) in nodes {
            let value = snapshot.counters()[i].1;
            out.push_str(&format!(
                "ccip_rmn_{name}_total{{node=\"{node}\"}} {value}\n"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_and_render() {
        let m = RmnMetrics::default();
        RmnMetrics::inc(&m.bless_votes);
        RmnMetrics::inc(&m.bless_votes);
        let s = m.snapshot();
        assert_eq!(s.bless_votes, 2);
        let text = s.render_prometheus("0");
        assert!(text.contains("# TYPE ccip_rmn_bless_votes_total counter\n"));
        assert!(text.contains("ccip_rmn_bless_votes_total{node=\"0\"} 2\n"));
        assert!(text.contains("ccip_rmn_polls_total{node=\"0\"} 0\n"));
    }
}
