//! The domain types the whole workspace shares, below every other crate: the network file's
//! schema ([`NetworkFile`], one parser for the deployer, the nodes, the client and the CLI; the
//! risk network keeps its own by policy, pinned to the same file by its tests), deterministic key
//! derivation ([`keys`]) and the key of a lane ([`LaneKey`]). Nothing here talks to a chain.

mod error;
mod json_u64;
pub mod keys;
mod lane;
mod network;

pub use error::CoreError;
pub use keys::{KeyConfig, Keys};
pub use lane::LaneKey;
pub use network::{
    Account, ChainDeployment, Contracts, DEFAULT_NETWORK_FILE, Lane, LaneContracts, NetworkFile,
    Roles, TokenDeployment, Tokens,
};
