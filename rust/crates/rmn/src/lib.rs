//! The risk management network (RMN): `m` independent nodes, each with its own ARM voter key,
//! that watch every lane of a deployment and vote on the destination chains' ARMs.
//!
//! * **Bless**: every root a CommitStore accepts is re-derived from the source OnRamp's
//!   `CCIPSendRequested` events (at finality depth); a match gets `voteToBless`.
//! * **Curse** (`voteToCurse([bytes16(uint128(sourceSelector))])` on the destination ARM, the
//!   subject the CommitStore, OffRamp and pools check, so the lane stops in the next block):
//!   - a committed root that does not match the source chain, or covers sequence numbers the
//!     OnRamp never issued;
//!   - a broken supply invariant: a destination pool minted or released more from a source than
//!     the source pool burned or locked toward it (per token, in destination units);
//!   - outbound token value on a lane above [`NodeSettings::volume_limit_usd`] within
//!     [`NodeSettings::volume_window`] of source block time (valued with the source
//!     PriceRegistry's `getTokenPrice` at the time the node indexes the message). Only the
//!     destination ARM is cursed: that stops commits, blessings and execution of the lane, so no
//!     value leaves; cursing the source ARM too would also halt the reverse lane's delivery on the
//!     source, which is not what a volume alarm on one lane should do;
//!   - a source chain whose block at finality depth changed hash (reorg past finality): every lane
//!     from that chain, on every destination ARM. The node then stops reading that chain until it
//!     is restarted.
//!
//! Tokens are matched across chains by their name in the network file's `tokens` map (`bnm`,
//! `lnm`, ...); a pool not listed there is valued through its `getToken()` but is not part of the
//! supply check. Every curse is a single `voteToCurse` transaction per node as soon as the node
//! sees the cause; with the ARM's threshold reached the lane's contracts revert from the next block.
//!
//! The crate depends on none of the committing network's crates: its leaf hashing, merkle tree,
//! key derivation and network-file structs are its own ([`hashing`], [`arm_voter_key`],
//! [`NetworkSpec`]), proven against `test/vectors/vectors.json`.
//!
//! State: nothing is stored. A (re)started node reads every chain from block 0, and asks the
//! ARM (`getBlessVoteProgress`, `getCurseProgress`) before voting, so restarts never double-vote.
//! RPC failures are counted ([`RmnMetrics::rpc_errors`]); a chain that fails is logged once, rests
//! with a backoff while the others are served, and is logged again once when it answers.
//!
//! ```no_run
//! # async fn run() -> Result<(), ccip_rmn::RmnError> {
//! use ccip_rmn::{NetworkSpec, NodeSettings, RmnNetwork};
//! let network = NetworkSpec::read(std::path::Path::new(".network/network.json"))?;
//! let seed = network.seed.clone().unwrap_or_default();
//! let (stop, shutdown) = tokio::sync::watch::channel(false);
//! let rmn = RmnNetwork::start(&network, &seed, 3, &NodeSettings::default(), shutdown)?;
//! // ... serve rmn.render_prometheus() on /metrics ...
//! let _ = stop.send(true);
//! rmn.join().await;
//! # Ok(()) }
//! ```

mod config;
mod error;
pub mod hashing;
mod ingest;
pub mod judge;
mod keys;
mod metrics;
mod node;
mod reader;
mod recovery;
pub mod supply;
pub mod volume;
mod voter;

pub use config::{
    ChainContracts, ChainSpec, LaneSpec, NetworkSpec, NodeConfig, NodeSettings, ONE_USD, TokenSpec,
};
pub use error::RmnError;
pub use keys::{ARM_VOTER_ROLE, arm_voter_key};
pub use metrics::{RmnMetrics, RmnMetricsSnapshot, render_prometheus};
pub use node::{RmnNetwork, RmnNode, RmnNodeHandle, chain_subject};
