use std::{
    collections::BTreeMap,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

/// Counters of one committing network (all its nodes), for logs, tests and the metrics endpoint.
#[derive(Debug, Default)]
pub struct CommitMetrics {
    /// Commit reports accepted on chain.
    pub reports: AtomicU64,
    /// Messages inside accepted reports.
    pub messages_committed: AtomicU64,
    /// Price updates inside accepted reports.
    pub price_updates: AtomicU64,
    /// Proposals a follower refused to sign.
    pub refusals: AtomicU64,
    /// Failed JSON-RPC calls and transactions.
    pub rpc_errors: AtomicU64,
    lanes: Mutex<BTreeMap<String, LaneGauge>>,
}

/// Where a lane stands, as the network sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LaneGauge {
    /// Highest sequence number observed on the source.
    pub observed: u64,
    /// Highest sequence number committed.
    pub committed: u64,
}

impl CommitMetrics {
    pub(crate) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn observed(&self, lane: &str, seq: u64) {
        if let Ok(mut lanes) = self.lanes.lock() {
            let g = lanes.entry(lane.to_owned()).or_default();
            g.observed = g.observed.max(seq);
        }
    }

    pub(crate) fn committed(&self, lane: &str, seq: u64) {
        if let Ok(mut lanes) = self.lanes.lock() {
            let g = lanes.entry(lane.to_owned()).or_default();
            g.committed = g.committed.max(seq);
        }
    }

    /// Per lane: observed and committed sequence numbers (their difference is the lag).
    pub fn lanes(&self) -> BTreeMap<String, LaneGauge> {
        self.lanes.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// A counter's value.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}
