use alloy::{
    primitives::{B256, Bytes},
    sol_types::SolError,
};
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
    /// A transaction was refused by its simulation (nothing was sent, no nonce taken).
    #[error("{url}: {what} reverted: {reason}")]
    Reverted {
        /// Which endpoint.
        url: String,
        /// What was sent.
        what: String,
        /// Decoded revert reason, for people.
        reason: String,
        /// The raw revert data, for code: match it with [`ChainError::reverted_with`].
        data: Bytes,
    },
    /// A transaction was mined with status 0 (its nonce is used).
    #[error("{url}: {what}: transaction {tx} failed on chain")]
    FailedOnChain {
        /// Which endpoint.
        url: String,
        /// What was sent.
        what: String,
        /// The transaction.
        tx: B256,
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

impl ChainError {
    /// Whether this is a revert with the custom error `E` (matched by its selector, never by
    /// message text).
    pub fn reverted_with<E: SolError>(&self) -> bool {
        matches!(self, Self::Reverted { data, .. } if data.starts_with(&E::SELECTOR))
    }
}
