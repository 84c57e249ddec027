//! The committing network: `n` nodes (default 4, tolerating `f = 1`), each with its own signing
//! and transmitting keys, its own RPC clients and its own SQLite database.
//!
//! Each node indexes every lane's `CCIPSendRequested` events once they are
//! [`StreamConfig::confirmations`](ccip_chain::StreamConfig) deep, in order and without gaps. For
//! each lane, the node whose turn it is ([`leader_for`]: a function of the lane, the next
//! sequence number the CommitStore expects and how long the work has waited) proposes a report:
//! the interval of pending messages (at most 256), its merkle root, and any price updates due.
//! Every other node recomputes the root from its own store and signs only if it matches, only
//! if the proposer's turn has come, and only prices it observed itself; it never signs two roots
//! for one interval. The leader transmits once it holds `f + 1` valid signatures. A leader that
//! does not deliver within the leader timeout is replaced by the next.
//!
//! Restart safety: the chain says which interval comes next, each node's store says what it saw
//! and what it signed, so a restarted node neither commits twice nor skips.

mod config;
mod error;
pub mod follower;
mod metrics;
mod network;
mod node;
mod prices;
mod transport;

pub use config::{Behaviour, BehaviourCell, CommitConfig, PriceConfig};
pub use error::CommitError;
pub use metrics::{CommitMetrics, LaneGauge};
pub use network::CommitNetwork;
pub use node::{CommitNode, NodeSetup, Proposal, ReportSignature, leader_for};
pub use prices::PriceFeed;
pub use transport::{InProcess, Peers, SignRequest, Transport};
