//! Where a [`crate::LogStream`] reads a chain: its head, block hashes and logs. [`RpcSource`]
//! asks a JSON-RPC endpoint; [`RecordedChain`] is a chain held in memory that tests extend and
//! reorganise at will, so the streams and the nodes above them are tested on exact histories.

use std::sync::Mutex;

use alloy::{
    eips::BlockNumberOrTag,
    primitives::{B256, keccak256},
    providers::{DynProvider, Provider},
    rpc::types::{Filter, FilterBlockOption, Log},
};
use futures::future::BoxFuture;

use crate::{ChainError, Result};

/// A chain as a log stream sees it.
pub trait LogSource: Send + Sync + std::fmt::Debug {
    /// Where it is, for errors.
    fn url(&self) -> &str;
    /// The newest block number.
    fn head(&self) -> BoxFuture<'_, Result<u64>>;
    /// The hash of block `block`, `None` if the chain has no such block.
    fn block_hash(&self, block: u64) -> BoxFuture<'_, Result<Option<B256>>>;
    /// The logs matching `filter` (address, first topic, block range).
    fn logs(&self, filter: Filter) -> BoxFuture<'_, Result<Vec<Log>>>;
}

/// A JSON-RPC endpoint.
#[derive(Debug, Clone)]
pub struct RpcSource {
    provider: DynProvider,
    url: String,
}

impl RpcSource {
    /// Reads through `provider` (at `url`, for errors).
    pub fn new(provider: DynProvider, url: impl Into<String>) -> Self {
        Self {
            provider,
            url: url.into(),
        }
    }

    fn rpc(
        &self,
        method: &'static str,
    ) -> impl Fn(alloy::transports::TransportError) -> ChainError + '_ {
        move |e| ChainError::Rpc {
            url: self.url.clone(),
            method,
            reason: e.to_string(),
        }
    }
}

impl LogSource for RpcSource {
    fn url(&self) -> &str {
        &self.url
    }

    fn head(&self) -> BoxFuture<'_, Result<u64>> {
        Box::pin(async move {
            self.provider
                .get_block_number()
                .await
                .map_err(self.rpc("eth_blockNumber"))
        })
    }

    fn block_hash(&self, block: u64) -> BoxFuture<'_, Result<Option<B256>>> {
        Box::pin(async move {
            Ok(self
                .provider
                .get_block_by_number(BlockNumberOrTag::Number(block))
                .await
                .map_err(self.rpc("eth_getBlockByNumber"))?
                .map(|b| b.header.hash))
        })
    }

    fn logs(&self, filter: Filter) -> BoxFuture<'_, Result<Vec<Log>>> {
        Box::pin(async move {
            self.provider
                .get_logs(&filter)
                .await
                .map_err(self.rpc("eth_getLogs"))
        })
    }
}

/// One block of a [`RecordedChain`].
#[derive(Debug, Clone)]
struct Block {
    hash: B256,
    logs: Vec<Log>,
}

/// A chain in memory: blocks appended with their logs, and reorganised by replacing the last
/// ones. Block 0 exists from the start and never changes.
#[derive(Debug)]
pub struct RecordedChain {
    blocks: Mutex<Vec<Block>>,
    /// Distinguishes the hashes of replacement blocks from the originals.
    fork: Mutex<u64>,
}

impl Default for RecordedChain {
    fn default() -> Self {
        Self {
            blocks: Mutex::new(vec![Block {
                hash: keccak256(b"genesis"),
                logs: Vec::new(),
            }]),
            fork: Mutex::new(0),
        }
    }
}

impl RecordedChain {
    /// Appends a block holding `logs` (their block numbers and hashes are set here); returns its
    /// number.
    pub fn push(&self, mut logs: Vec<Log>) -> u64 {
        let mut blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        let fork = *self.fork.lock().unwrap_or_else(|e| e.into_inner());
        let number = blocks.len() as u64;
        let hash = keccak256([number.to_be_bytes(), fork.to_be_bytes()].concat());
        for log in &mut logs {
            log.block_number = Some(number);
            log.block_hash = Some(hash);
        }
        blocks.push(Block { hash, logs });
        number
    }

    /// Drops the last `depth` blocks; the next [`RecordedChain::push`]es build another branch
    /// (same numbers, other hashes).
    pub fn reorg(&self, depth: u64) {
        let mut blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        let keep = blocks.len().saturating_sub(depth as usize).max(1);
        blocks.truncate(keep);
        *self.fork.lock().unwrap_or_else(|e| e.into_inner()) += 1;
    }
}

impl LogSource for RecordedChain {
    fn url(&self) -> &str {
        "recorded"
    }

    fn head(&self) -> BoxFuture<'_, Result<u64>> {
        let len = self.blocks.lock().unwrap_or_else(|e| e.into_inner()).len() as u64;
        Box::pin(async move { Ok(len - 1) })
    }

    fn block_hash(&self, block: u64) -> BoxFuture<'_, Result<Option<B256>>> {
        let hash = self
            .blocks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(block as usize)
            .map(|b| b.hash);
        Box::pin(async move { Ok(hash) })
    }

    fn logs(&self, filter: Filter) -> BoxFuture<'_, Result<Vec<Log>>> {
        let (from, to) = match filter.block_option {
            FilterBlockOption::Range {
                from_block,
                to_block,
            } => (
                from_block.and_then(|b| b.as_number()).unwrap_or(0),
                to_block.and_then(|b| b.as_number()).unwrap_or(u64::MAX),
            ),
            FilterBlockOption::AtBlockHash(_) => (0, u64::MAX),
        };
        let blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        let logs = blocks
            .iter()
            .enumerate()
            .filter(|(n, _)| (from..=to).contains(&(*n as u64)))
            .flat_map(|(_, b)| b.logs.iter())
            .filter(|log| filter.address.matches(&log.address()))
            .filter(|log| log.topic0().is_some_and(|t| filter.topics[0].matches(t)))
            .cloned()
            .collect();
        Box::pin(async move { Ok(logs) })
    }
}
