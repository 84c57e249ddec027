//! Errors of the risk management network.

use std::path::PathBuf;

/// What can go wrong setting up or running a node.
#[derive(Debug, thiserror::Error)]
pub enum RmnError {
    /// The network file could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The network file is not valid JSON of the expected shape.
    #[error("parsing the network file: {0}")]
    Json(#[from] serde_json::Error),
    /// No valid key could be derived for a voter index.
    #[error("no valid key for ARM voter {0}")]
    Key(u32),
    /// A chain's RPC URL does not parse.
    #[error("chain {chain}: bad RPC URL {url:?}")]
    Url {
        /// Chain name.
        chain: String,
        /// The URL as given.
        url: String,
    },
    /// A lane names a chain the network file does not have.
    #[error("chain {chain}: lane to unknown chain selector {selector}")]
    UnknownChain {
        /// Chain name.
        chain: String,
        /// The unknown selector.
        selector: u64,
    },
    /// An RPC call failed.
    #[error("{chain}: {step}: {message}")]
    Rpc {
        /// Chain name.
        chain: String,
        /// What was being done.
        step: String,
        /// The transport or contract error, rendered.
        message: String,
    },
}
