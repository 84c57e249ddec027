use alloy::primitives::Address;
use ccip_chain::ChainError;
use ccip_core::CoreError;
use ccip_store::StoreError;

/// Errors of the executing network.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// Talking to a chain failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// The node's database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A key could not be derived.
    #[error(transparent)]
    Key(#[from] CoreError),
    /// The key derived from the seed is not the transmitter the network file names.
    #[error("exec transmitter {index}: network file says {expected}, the seed derives {derived}")]
    KeyMismatch {
        /// Transmitter index.
        index: usize,
        /// Address in the network file.
        expected: Address,
        /// Address derived from the seed.
        derived: Address,
    },
    /// The data directory could not be created.
    #[error("data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: std::path::PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A lane task panicked or was cancelled.
    #[error("lane task failed: {0}")]
    Task(String),
}

/// Result alias of this crate.
pub type Result<T, E = ExecError> = std::result::Result<T, E>;
