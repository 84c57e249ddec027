use std::sync::atomic::{AtomicU64, Ordering};

use ccip_chain::Lane;
use ccip_store::LaneKey;

/// Counters of one lane.
#[derive(Debug)]
struct LaneCounters {
    lane: LaneKey,
    name: String,
    executed: AtomicU64,
    failed: AtomicU64,
    highest_sent: AtomicU64,
    highest_executed: AtomicU64,
}

/// Counters of an executing network (all its nodes), cheap to update from any task; a metrics
/// endpoint renders [`ExecMetrics::snapshot`].
#[derive(Debug)]
pub struct ExecMetrics {
    lanes: Vec<LaneCounters>,
    rpc_errors: AtomicU64,
    tx_errors: AtomicU64,
    transactions: AtomicU64,
}

/// One lane's counters at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaneSnapshot {
    /// The lane.
    pub lane: LaneKey,
    /// Its name, `alpha->beta`.
    pub name: String,
    /// Messages executed successfully by this network.
    pub executed: u64,
    /// Messages whose execution by this network failed on chain (left for manual execution).
    pub failed: u64,
    /// Highest sequence number sent on the source chain that a node has indexed.
    pub highest_sent: u64,
    /// Highest sequence number seen executed (successfully or not) on the destination.
    pub highest_executed: u64,
    /// `highest_sent - highest_executed`.
    pub lag: u64,
}

/// Every counter at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecMetricsSnapshot {
    /// Per lane, in the network file's lane order.
    pub lanes: Vec<LaneSnapshot>,
    /// Failed reads (polls, calls) and transactions that got no receipt.
    pub rpc_errors: u64,
    /// Execute transactions refused or reverted (retried with backoff).
    pub tx_errors: u64,
    /// Execute transactions mined.
    pub transactions: u64,
}

impl ExecMetricsSnapshot {
    /// Messages executed successfully, over all lanes.
    pub fn executed(&self) -> u64 {
        self.lanes.iter().map(|l| l.executed).sum()
    }

    /// Messages failed on chain, over all lanes.
    pub fn failed(&self) -> u64 {
        self.lanes.iter().map(|l| l.failed).sum()
    }

    /// The counters of `lane`.
    pub fn lane(&self, lane: LaneKey) -> Option<&LaneSnapshot> {
        self.lanes.iter().find(|l| l.lane == lane)
    }
}

impl ExecMetrics {
    /// Zeroed counters for `lanes`.
    pub fn new(lanes: &[Lane]) -> Self {
        Self {
            lanes: lanes
                .iter()
                .map(|l| LaneCounters {
                    lane: l.key,
                    name: l.name(),
                    executed: AtomicU64::new(0),
                    failed: AtomicU64::new(0),
                    highest_sent: AtomicU64::new(0),
                    highest_executed: AtomicU64::new(0),
                })
                .collect(),
            rpc_errors: AtomicU64::new(0),
            tx_errors: AtomicU64::new(0),
            transactions: AtomicU64::new(0),
        }
    }

    fn lane(&self, lane: LaneKey) -> Option<&LaneCounters> {
        self.lanes.iter().find(|l| l.lane == lane)
    }

    pub(crate) fn executed(&self, lane: LaneKey, seq: u64) {
        if let Some(l) = self.lane(lane) {
            l.executed.fetch_add(1, Ordering::Relaxed);
        }
        self.seen_executed(lane, seq);
    }

    pub(crate) fn failed(&self, lane: LaneKey, seq: u64) {
        if let Some(l) = self.lane(lane) {
            l.failed.fetch_add(1, Ordering::Relaxed);
        }
        self.seen_executed(lane, seq);
    }

    pub(crate) fn seen_executed(&self, lane: LaneKey, seq: u64) {
        if let Some(l) = self.lane(lane) {
            l.highest_executed.fetch_max(seq, Ordering::Relaxed);
        }
    }

    pub(crate) fn seen_sent(&self, lane: LaneKey, seq: u64) {
        if let Some(l) = self.lane(lane) {
            l.highest_sent.fetch_max(seq, Ordering::Relaxed);
        }
    }

    pub(crate) fn rpc_error(&self) {
        self.rpc_errors.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn tx_error(&self) {
        self.tx_errors.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn transaction(&self) {
        self.transactions.fetch_add(1, Ordering::Relaxed);
    }

    /// Every counter now.
    pub fn snapshot(&self) -> ExecMetricsSnapshot {
        ExecMetricsSnapshot {
            lanes: self
                .lanes
                .iter()
                .map(|l| {
                    let sent = l.highest_sent.load(Ordering::Relaxed);
                    let executed = l.highest_executed.load(Ordering::Relaxed);
                    LaneSnapshot {
                        lane: l.lane,
                        name: l.name.clone(),
                        executed: l.executed.load(Ordering::Relaxed),
                        failed: l.failed.load(Ordering::Relaxed),
                        highest_sent: sent,
                        highest_executed: executed,
                        lag: sent.saturating_sub(executed),
                    }
                })
                .collect(),
            rpc_errors: self.rpc_errors.load(Ordering::Relaxed),
            tx_errors: self.tx_errors.load(Ordering::Relaxed),
            transactions: self.transactions.load(Ordering::Relaxed),
        }
    }
}
