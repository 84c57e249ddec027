use alloy::primitives::B256;
use ccip_store::{LaneKey, StoreError};

/// Errors talking to a chain or keeping its view in the store.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// A JSON-RPC call failed.
    #[error("{url}: {method} failed: {reason}")]
    Rpc {
        /// Which endpoint.
        url: String,
        /// Which call.
        method: &'static str,
        /// The transport's or node's words.
        reason: String,
    },
    /// A block the node relies on is not there.
    #[error("{url}: block {block} not found")]
    MissingBlock {
        /// Which endpoint.
        url: String,
        /// Which block.
        block: u64,
    },
    /// A log that should decode as a known event does not.
    #[error("lane {lane}: undecodable {event} log: {reason}")]
    BadLog {
        /// The lane.
        lane: LaneKey,
        /// The event expected.
        event: &'static str,
        /// Why it failed.
        reason: String,
    },
    /// The source chain emitted a message whose id is not its leaf hash: the OnRamp or our hashing
    /// is wrong, and nothing built on it may be signed.
    #[error("lane {lane}: message {seq} has id {emitted} but hashes to {computed}")]
    MessageIdMismatch {
        /// The lane.
        lane: LaneKey,
        /// Its sequence number.
        seq: u64,
        /// Id in the event.
        emitted: B256,
        /// Id recomputed.
        computed: B256,
    },
    /// A transaction reverted or could not be sent.
    #[error("{url}: {what} reverted: {reason}")]
    Reverted {
        /// Which endpoint.
        url: String,
        /// What was sent.
        what: String,
        /// Decoded revert reason.
        reason: String,
    },
    /// No receipt arrived in time.
    #[error("{url}: no receipt for {tx} after {secs} s")]
    ReceiptTimeout {
        /// Which endpoint.
        url: String,
        /// The transaction.
        tx: B256,
        /// How long we waited.
        secs: u64,
    },
    /// The node's database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}
