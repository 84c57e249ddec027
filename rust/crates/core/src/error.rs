//! Errors of the shared domain types.

use std::path::PathBuf;

/// What can go wrong reading the network file or deriving a key.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// A seed produced no valid key (astronomically unlikely).
    #[error("no valid key derived for {role} {index}")]
    Key {
        /// Role name.
        role: String,
        /// Index within the role.
        index: u32,
    },
    /// Reading or writing the network file.
    #[error("network file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Encoding or decoding the network file.
    #[error("network file {path}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The serde error.
        #[source]
        source: serde_json::Error,
    },
}
