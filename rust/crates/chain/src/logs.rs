use alloy::{
    eips::BlockNumberOrTag,
    primitives::{Address, B256},
    providers::{DynProvider, Provider},
    rpc::types::{Filter, Log},
};
use ccip_store::{Cursor, Store};

use crate::{ChainError, Result};

/// How a [`LogStream`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamConfig {
    /// A block is read once it is this many blocks below the head (0: the head itself).
    pub confirmations: u64,
    /// At most this many blocks per `eth_getLogs`.
    pub max_range: u64,
    /// After a reorganisation deeper than the confirmation depth, read again from this many
    /// blocks below the last block read.
    pub rewind: u64,
}

impl Default for StreamConfig {
    fn default() -> Self {
        Self {
            confirmations: 0,
            max_range: 2_000,
            rewind: 64,
        }
    }
}

/// What one poll of a [`LogStream`] found.
#[derive(Debug)]
pub enum LogPage {
    /// New logs (possibly none) up to and including `cursor.block`, in chain order. The caller
    /// stores what it derives from them together with `cursor`.
    Logs {
        /// The logs.
        logs: Vec<Log>,
        /// Where the stream stands after them.
        cursor: Cursor,
    },
    /// The block the stream last read is no longer on the chain: the chain reorganised deeper
    /// than the confirmation depth. The caller drops what it derived from blocks after
    /// `cursor.block` and stores `cursor`.
    Reorg {
        /// The block that changed.
        changed: u64,
        /// Where to read again from.
        cursor: Cursor,
    },
}

/// One contract's logs of one event, read in order behind a confirmation depth, with the hash of
/// the last block read kept beside the cursor so that a deep reorganisation is noticed.
#[derive(Debug, Clone)]
pub struct LogStream {
    provider: DynProvider,
    url: String,
    address: Address,
    topic0: B256,
    config: StreamConfig,
    /// Name of the cursor in the store.
    pub cursor_name: String,
}

impl LogStream {
    /// A stream of `topic0` logs of `address`; its cursor is stored as `cursor_name`.
    pub fn new(
        provider: DynProvider,
        url: impl Into<String>,
        address: Address,
        topic0: B256,
        config: StreamConfig,
        cursor_name: impl Into<String>,
    ) -> Self {
        Self {
            provider,
            url: url.into(),
            address,
            topic0,
            config,
            cursor_name: cursor_name.into(),
        }
    }

    fn rpc(
        &self,
        method: &'static str,
    ) -> impl Fn(alloy::transports::TransportError) -> ChainError {
        let url = self.url.clone();
        move |e| ChainError::Rpc {
            url: url.clone(),
            method,
            reason: e.to_string(),
        }
    }

    async fn block_hash(&self, block: u64) -> Result<B256> {
        let header = self
            .provider
            .get_block_by_number(BlockNumberOrTag::Number(block))
            .await
            .map_err(self.rpc("eth_getBlockByNumber"))?
            .ok_or_else(|| ChainError::MissingBlock {
                url: self.url.clone(),
                block,
            })?;
        Ok(header.header.hash)
    }

    /// An empty page that leaves the stream where it was (at genesis if it never moved).
    async fn nothing_new(&self, last: Option<Cursor>) -> Result<LogPage> {
        let cursor = match last {
            Some(cursor) => cursor,
            None => Cursor {
                block: 0,
                hash: self.block_hash(0).await?,
            },
        };
        Ok(LogPage::Logs {
            logs: Vec::new(),
            cursor,
        })
    }

    /// Reads the next page. Nothing is stored: the caller stores what it derives with the cursor.
    pub async fn poll(&self, store: &Store) -> Result<LogPage> {
        let head = self
            .provider
            .get_block_number()
            .await
            .map_err(self.rpc("eth_blockNumber"))?;
        let safe = head.saturating_sub(self.config.confirmations);
        let last = store.cursor(&self.cursor_name)?;
        if let Some(last) = last {
            // The block we stopped at must still be there; if not, everything after the fork is
            // suspect and is read again.
            let now = if last.block <= head {
                Some(self.block_hash(last.block).await?)
            } else {
                None
            };
            if now != Some(last.hash) {
                let block = last.block.saturating_sub(self.config.rewind).min(safe);
                let hash = self.block_hash(block).await?;
                return Ok(LogPage::Reorg {
                    changed: last.block,
                    cursor: Cursor { block, hash },
                });
            }
        }
        let from = last.map_or(0, |c| c.block + 1);
        if from > safe {
            return self.nothing_new(last).await;
        }
        let to = safe.min(from + self.config.max_range - 1);
        let hash_before = self.block_hash(to).await?;
        let filter = Filter::new()
            .address(self.address)
            .event_signature(self.topic0)
            .from_block(from)
            .to_block(to);
        let logs = self
            .provider
            .get_logs(&filter)
            .await
            .map_err(self.rpc("eth_getLogs"))?;
        // A reorganisation between the two reads would mix forks in one page: read it again.
        let hash_after = self.block_hash(to).await?;
        if hash_before != hash_after {
            return self.nothing_new(last).await;
        }
        Ok(LogPage::Logs {
            logs,
            cursor: Cursor {
                block: to,
                hash: hash_after,
            },
        })
    }
}
