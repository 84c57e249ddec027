//! A risk node's connection to one chain: a provider whose every request ends (timeouts on the
//! request and on connecting), the chain's reading cursors, and an outage state with backoff so
//! an unreachable chain is skipped instead of holding up the other chains every poll.

use std::{
    collections::HashMap,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use alloy::{
    eips::BlockNumberOrTag,
    network::EthereumWallet,
    primitives::{Address, B256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::{
        client::RpcClient,
        types::{Filter, Log},
    },
    signers::local::PrivateKeySigner,
    transports::http::reqwest::{self, Url},
};
use tokio::time::Instant;
use tracing::{info, warn};

use crate::{RmnError, config::ChainSpec};

/// First wait after a failure; doubled per further failure up to [`BACKOFF_MAX`].
const BACKOFF_MIN: Duration = Duration::from_millis(200);
/// Longest wait between two attempts on an unreachable chain.
const BACKOFF_MAX: Duration = Duration::from_secs(2);

/// An RPC error, rendered with where it happened.
pub(crate) fn rpc(chain: &str, step: &str) -> impl FnOnce(String) -> RmnError {
    let (chain, step) = (chain.to_owned(), step.to_owned());
    move |message| RmnError::Rpc {
        chain,
        step,
        message,
    }
}

/// A chain that failed: when it failed first and when it may be tried again.
#[derive(Debug, Clone, Copy)]
struct Outage {
    since: Instant,
    retry_at: Instant,
    failures: u32,
}

/// One chain as a node reads it.
pub(crate) struct Chain {
    pub(crate) name: String,
    pub(crate) selector: u64,
    pub(crate) provider: DynProvider,
    pub(crate) arm: Address,
    pub(crate) price_registry: Address,
    /// Contracts whose events are used at finality depth: OnRamps and pools.
    pub(crate) source_side: Vec<Address>,
    /// Contracts whose events are used once mined: CommitStores.
    pub(crate) dest_side: Vec<Address>,
    /// Pools of this chain: pool -> token name.
    pub(crate) pools: HashMap<Address, String>,
    /// Last block (at depth) whose source-side logs were applied.
    pub(crate) cursor: Option<u64>,
    /// Last block whose destination-side logs were applied.
    pub(crate) dest_cursor: Option<u64>,
    /// The block at `dest_cursor` and its hash: a change means the chain reorganised or rolled
    /// back (restarted from an older state), and its recent commits are read again.
    pub(crate) dest_checkpoint: Option<(u64, B256)>,
    /// The block at `cursor` and its hash, re-checked every poll.
    pub(crate) checkpoint: Option<(u64, B256)>,
    /// Reorganised past finality: no longer read until the owner lifts the curse or a restart.
    pub(crate) reorged: bool,
    /// The head when the node first read the chain: owner actions up to it are history the
    /// node's fresh view already reflects.
    pub(crate) history_until: Option<u64>,
    outage: Option<Outage>,
}

impl Chain {
    /// A chain whose requests give up after `timeout`, signing as `signer`. Nonces come from the
    /// chain's pending count at each send, so a failed or lost send never leaves a gap.
    pub(crate) fn connect(
        spec: &ChainSpec,
        signer: PrivateKeySigner,
        timeout: Duration,
    ) -> Result<Self, RmnError> {
        let url: Url = spec.rpc_url.parse().map_err(|_| RmnError::Url {
            chain: spec.name.clone(),
            url: spec.rpc_url.clone(),
        })?;
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| rpc(&spec.name, "connect")(e.to_string()))?;
        let provider = ProviderBuilder::new()
            .disable_recommended_fillers()
            .with_gas_estimation()
            .with_simple_nonce_management()
            .fetch_chain_id()
            .wallet(EthereumWallet::from(signer))
            .connect_client(RpcClient::new_http_with_client(http, url))
            .erased();
        let mut source_side = Vec::new();
        // The ARM too: the owner lifting a curse tells the node to look at a lane afresh.
        let mut dest_side = vec![spec.contracts.arm];
        let mut pools = HashMap::new();
        for lane in &spec.lanes {
            source_side.push(lane.on_ramp);
            dest_side.push(lane.commit_store);
        }
        for (name, token) in &spec.tokens {
            source_side.push(token.pool);
            pools.insert(token.pool, name.clone());
        }
        Ok(Self {
            name: spec.name.clone(),
            selector: spec.chain_selector,
            provider,
            arm: spec.contracts.arm,
            price_registry: spec.contracts.price_registry,
            source_side,
            dest_side,
            pools,
            cursor: None,
            dest_cursor: None,
            dest_checkpoint: None,
            checkpoint: None,
            reorged: false,
            history_until: None,
            outage: None,
        })
    }

    /// Whether the chain is to be skipped this poll (it failed and its backoff has not passed).
    pub(crate) fn resting(&self) -> bool {
        self.outage.is_some_and(|o| Instant::now() < o.retry_at)
    }

    /// Records a failed request: the first failure of an outage is logged as a warning, the rest
    /// only counted, and the chain rests for a growing, jittered while.
    pub(crate) fn failed(&mut self, error: &RmnError) {
        let now = Instant::now();
        let failures = self.outage.map_or(0, |o| o.failures).saturating_add(1);
        if self.outage.is_none() {
            warn!(chain = %self.name, %error, "chain unreachable; backing off until it answers");
        }
        let exponent = failures.saturating_sub(1).min(8);
        let base = BACKOFF_MIN.saturating_mul(1 << exponent).min(BACKOFF_MAX);
        self.outage = Some(Outage {
            since: self.outage.map_or(now, |o| o.since),
            retry_at: now + base + jitter(base / 4),
            failures,
        });
    }

    /// Records a successful round on the chain, logging the end of an outage once.
    pub(crate) fn answered(&mut self) {
        if let Some(outage) = self.outage.take() {
            info!(chain = %self.name, down_for = ?outage.since.elapsed(), failures = outage.failures, "chain answers again");
        }
    }

    /// The newest block number.
    pub(crate) async fn head(&self) -> Result<u64, RmnError> {
        self.provider
            .get_block_number()
            .await
            .map_err(|e| rpc(&self.name, "eth_blockNumber")(e.to_string()))
    }

    /// The hash of block `height`, `None` when the chain has no such block (any more).
    pub(crate) async fn block_hash(&self, height: u64) -> Result<Option<B256>, RmnError> {
        Ok(self
            .provider
            .get_block_by_number(BlockNumberOrTag::Number(height))
            .await
            .map_err(|e| rpc(&self.name, "eth_getBlockByNumber")(e.to_string()))?
            .map(|b| b.header.hash))
    }

    /// The timestamp of block `height`.
    pub(crate) async fn block_timestamp(&self, height: u64) -> Result<u64, RmnError> {
        self.provider
            .get_block_by_number(BlockNumberOrTag::Number(height))
            .await
            .map_err(|e| rpc(&self.name, "eth_getBlockByNumber")(e.to_string()))?
            .map(|b| b.header.timestamp)
            .ok_or_else(|| {
                rpc(&self.name, "eth_getBlockByNumber")(format!("block {height} missing"))
            })
    }

    /// Logs of `addresses` (with one of `topics`, if given) in `from..=to`, in ranges of at most
    /// `max_range` blocks.
    pub(crate) async fn logs(
        &self,
        addresses: &[Address],
        from: u64,
        to: u64,
        topics: Option<&[B256]>,
        max_range: u64,
    ) -> Result<Vec<Log>, RmnError> {
        let step = max_range.max(1);
        let mut logs = Vec::new();
        if addresses.is_empty() {
            return Ok(logs);
        }
        let mut start = from;
        while start <= to {
            let end = to.min(start.saturating_add(step - 1));
            let mut filter = Filter::new()
                .address(addresses.to_vec())
                .from_block(start)
                .to_block(end);
            if let Some(topics) = topics {
                filter = filter.event_signature(topics.to_vec());
            }
            let mut chunk = self
                .provider
                .get_logs(&filter)
                .await
                .map_err(|e| rpc(&self.name, "eth_getLogs")(e.to_string()))?;
            logs.append(&mut chunk);
            start = end + 1;
        }
        Ok(logs)
    }
}

/// A pseudo-random duration below `max`, so that nodes backing off the same chain do not retry in
/// step (the clock's sub-second part is random enough for that).
fn jitter(max: Duration) -> Duration {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let max_nanos = max.as_nanos().max(1);
    Duration::from_nanos((u128::from(nanos) % max_nanos) as u64)
}
