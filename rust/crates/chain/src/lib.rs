//! What every off-chain node does with a chain, written once: the lanes of a deployment
//! ([`Lane`]), reading a contract's logs page by page behind a confirmation depth with reorg
//! detection ([`LogStream`]), the two streams every node needs (a lane's sent messages,
//! [`MessageIndexer`]; a lane's committed roots, [`CommitIndexer`]), and sending transactions from
//! one key without nonce races and without waiting on slow receipt polling ([`TxSender`]).

mod error;
mod indexer;
mod lanes;
mod logs;
mod rpc;
mod sender;
mod source;

pub use error::ChainError;
pub use indexer::{CommitIndexer, IndexedMessage, MessageIndexer, PollOutcome};
pub use lanes::{Lane, lanes};
pub use logs::{LogPage, LogStream, StreamConfig};
pub use rpc::{RpcSettings, http_provider, http_provider_with};
pub use sender::{TxSender, TxSettings, TxStats, TxStatsSnapshot, all_tx_stats};
pub use source::{LogSource, RecordedChain, RpcSource};

/// Result alias of this crate.
pub type Result<T, E = ChainError> = std::result::Result<T, E>;
