//! Errors of this crate.

use crate::merkle::MerkleError;

/// Anything that can go wrong encoding, decoding or hashing protocol values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// A merkle tree, proof or verification failed.
    #[error(transparent)]
    Merkle(#[from] MerkleError),
    /// extraArgs could not be decoded.
    #[error(transparent)]
    ExtraArgs(#[from] crate::extra_args::ExtraArgsError),
    /// `epochAndRound` does not fit the `uint40` the digest commits to.
    #[error("epochAndRound {0} does not fit in a uint40")]
    EpochAndRoundOverflow(u64),
    /// ABI decoding failed.
    #[error("abi decoding failed: {0}")]
    Abi(String),
}

impl From<alloy_sol_types::Error> for ProtocolError {
    fn from(err: alloy_sol_types::Error) -> Self {
        Self::Abi(err.to_string())
    }
}
