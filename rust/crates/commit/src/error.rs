use alloy::primitives::Address;
use ccip_chain::{ChainError, Lane};
use ccip_store::{LaneKey, StoreError};

/// Errors of the committing network.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    /// Talking to a chain failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// The node's database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A contract call failed.
    #[error("lane {lane}: {method} failed: {reason}")]
    Call {
        /// The lane.
        lane: String,
        /// The call.
        method: &'static str,
        /// Why.
        reason: String,
    },
    /// Building a tree failed.
    #[error(transparent)]
    Merkle(#[from] ccip_protocol::MerkleError),
    /// Encoding a digest failed.
    #[error(transparent)]
    Protocol(#[from] ccip_protocol::ProtocolError),
    /// Signing failed.
    #[error("signing failed: {0}")]
    Sign(#[from] alloy::signers::Error),
    /// The node has not observed messages it is asked about.
    #[error("lane {lane}: observed up to {have}, asked about {need}")]
    NotObserved {
        /// The lane.
        lane: LaneKey,
        /// Highest sequence number observed.
        have: u64,
        /// Highest asked about.
        need: u64,
    },
    /// Not enough peers signed.
    #[error("lane {lane}: {have} valid signatures, {need} needed")]
    TooFewSignatures {
        /// The lane.
        lane: String,
        /// Signatures collected.
        have: usize,
        /// Signatures needed.
        need: usize,
    },
    /// A follower refused a proposal.
    #[error("refused: {0}")]
    Refused(String),
    /// A proposal for a lane this node does not serve.
    #[error("unknown lane {0}")]
    UnknownLane(LaneKey),
    /// No transmitter for a destination chain.
    #[error("no transmitter for chain {0}")]
    NoTransmitter(u64),
    /// A key derived from the seed is not the one the deployment configured.
    #[error("{role} {index}: derived {derived} but the network file says {configured}")]
    KeyMismatch {
        /// Role.
        role: &'static str,
        /// Index.
        index: usize,
        /// Derived address.
        derived: Address,
        /// Configured address.
        configured: Address,
    },
    /// A key could not be derived.
    #[error(transparent)]
    Core(#[from] ccip_core::CoreError),
    /// A lock holder panicked.
    #[error("lock poisoned")]
    Poisoned,
    /// Creating the data directory failed.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

impl CommitError {
    pub(crate) fn call(lane: &Lane, method: &'static str, e: impl std::fmt::Display) -> Self {
        Self::Call {
            lane: lane.name(),
            method,
            reason: e.to_string(),
        }
    }

    pub(crate) fn rpc(url: &str, method: &'static str, e: impl std::fmt::Display) -> Self {
        Self::Chain(ChainError::Rpc {
            url: url.to_owned(),
            method,
            reason: e.to_string(),
        })
    }

    /// Whether this is a failure to talk to a chain (as opposed to a refusal or a shortfall of
    /// signatures).
    pub fn is_rpc(&self) -> bool {
        matches!(self, Self::Chain(_) | Self::Call { .. })
    }
}
