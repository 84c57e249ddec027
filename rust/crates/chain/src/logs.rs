use std::sync::Arc;

use alloy::{
    primitives::{Address, B256},
    providers::DynProvider,
    rpc::types::{Filter, Log},
};
use ccip_store::{Cursor, Store};

use crate::{ChainError, LogSource, Result, RpcSource};

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
    source: Arc<dyn LogSource>,
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
        Self::with_source(
            Arc::new(RpcSource::new(provider, url)),
            address,
            topic0,
            config,
            cursor_name,
        )
    }

    /// A stream over any [`LogSource`] (a recorded chain in tests).
    pub fn with_source(
        source: Arc<dyn LogSource>,
        address: Address,
        topic0: B256,
        config: StreamConfig,
        cursor_name: impl Into<String>,
    ) -> Self {
        Self {
            source,
            address,
            topic0,
            config,
            cursor_name: cursor_name.into(),
        }
    }

    async fn block_hash(&self, block: u64) -> Result<B256> {
        self.source
            .block_hash(block)
            .await?
            .ok_or_else(|| ChainError::MissingBlock {
                url: self.source.url().to_owned(),
                block,
            })
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
        let head = self.source.head().await?;
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
        let logs = self.source.logs(filter).await?;
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

#[cfg(test)]
mod tests {
    use alloy::primitives::{Bytes, LogData};

    use super::*;
    use crate::RecordedChain;

    const TOPIC: B256 = B256::repeat_byte(0xaa);
    const CONTRACT: Address = Address::repeat_byte(0x11);

    fn log(address: Address, topic: B256, tag: u8) -> Log {
        Log {
            inner: alloy::primitives::Log {
                address,
                data: LogData::new_unchecked(vec![topic], Bytes::from(vec![tag])),
            },
            ..Default::default()
        }
    }

    fn stream(chain: &Arc<RecordedChain>, confirmations: u64) -> LogStream {
        let config = StreamConfig {
            confirmations,
            max_range: 100,
            rewind: 2,
        };
        LogStream::with_source(chain.clone(), CONTRACT, TOPIC, config, "test")
    }

    /// Polls once and stores the cursor, as the indexers do; the tags of the logs read.
    async fn poll(stream: &LogStream, store: &Store) -> Result<Result<Vec<u8>, u64>> {
        match stream.poll(store).await? {
            LogPage::Logs { logs, cursor } => {
                store.set_cursor(&stream.cursor_name, cursor)?;
                Ok(Ok(logs.iter().map(|l| l.data().data[0]).collect()))
            }
            LogPage::Reorg { cursor, .. } => {
                store.set_cursor(&stream.cursor_name, cursor)?;
                Ok(Err(cursor.block))
            }
        }
    }

    #[tokio::test]
    async fn logs_are_read_once_in_order_behind_the_depth_and_filtered() -> Result<()> {
        let chain = Arc::new(RecordedChain::default());
        let store = Store::in_memory()?;
        let stream = stream(&chain, 1);
        chain.push(vec![log(CONTRACT, TOPIC, 1), log(Address::ZERO, TOPIC, 9)]);
        chain.push(vec![log(CONTRACT, B256::ZERO, 8), log(CONTRACT, TOPIC, 2)]);
        // Block 2 is at the head: one confirmation keeps it back.
        assert_eq!(poll(&stream, &store).await?, Ok(vec![1]));
        chain.push(Vec::new());
        assert_eq!(poll(&stream, &store).await?, Ok(vec![2]));
        assert_eq!(poll(&stream, &store).await?, Ok(vec![]));
        Ok(())
    }

    #[tokio::test]
    async fn a_reorg_past_the_depth_rewinds_and_the_new_branch_is_read() -> Result<()> {
        let chain = Arc::new(RecordedChain::default());
        let store = Store::in_memory()?;
        let stream = stream(&chain, 0);
        for tag in 1..=4 {
            chain.push(vec![log(CONTRACT, TOPIC, tag)]);
        }
        assert_eq!(poll(&stream, &store).await?, Ok(vec![1, 2, 3, 4]));
        // Blocks 3 and 4 replaced: the stream noticed block 4 changed and goes back `rewind`.
        chain.reorg(2);
        chain.push(vec![log(CONTRACT, TOPIC, 30)]);
        chain.push(vec![log(CONTRACT, TOPIC, 40)]);
        assert_eq!(poll(&stream, &store).await?, Err(2));
        assert_eq!(poll(&stream, &store).await?, Ok(vec![30, 40]));
        Ok(())
    }

    #[tokio::test]
    async fn a_chain_shorter_than_the_cursor_is_a_reorg_too() -> Result<()> {
        let chain = Arc::new(RecordedChain::default());
        let store = Store::in_memory()?;
        let stream = stream(&chain, 0);
        for tag in 1..=3 {
            chain.push(vec![log(CONTRACT, TOPIC, tag)]);
        }
        assert_eq!(poll(&stream, &store).await?, Ok(vec![1, 2, 3]));
        // A rollback (a chain restarted from an older state) to block 1.
        chain.reorg(2);
        assert!(matches!(poll(&stream, &store).await?, Err(block) if block <= 1));
        chain.push(vec![log(CONTRACT, TOPIC, 20)]);
        assert_eq!(poll(&stream, &store).await?, Ok(vec![20]));
        Ok(())
    }
}
