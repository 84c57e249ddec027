//! One risk node: a tokio task that polls every chain, re-derives committed roots from the source
//! chains and votes on the destination ARMs.
//!
//! Each poll:
//! 1. per chain: check that the newest block it already used (at finality depth) still has the same
//!    hash, else curse every lane from that chain; then read the logs of the OnRamps, CommitStores
//!    and pools up to `head - confirmations` (`eth_getLogs` by block range from a cursor);
//! 2. per source chain: re-read the unconfirmed burns and locks (`head - confirmations .. head`);
//! 3. check the supply invariant of every lane and token;
//! 4. recompute every committed root whose messages are all at depth: equal → bless, different →
//!    curse; a root over sequence numbers the OnRamp never issued → curse;
//! 5. vote: `voteToCurse` / `voteToBless` batches per destination ARM, skipping what the ARM says
//!    is already cursed, blessed or voted by this voter.
//!
//! Nothing is persisted: on start a node rebuilds its view from block 0 of every chain, and the
//! ARM's own vote records keep it from voting twice.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    sync::Arc,
};

use alloy::{
    eips::BlockNumberOrTag,
    network::EthereumWallet,
    primitives::{Address, B256, FixedBytes, U256},
    providers::{DynProvider, Provider, ProviderBuilder},
    rpc::types::{Filter, Log},
    signers::local::PrivateKeySigner,
    sol_types::SolEvent,
    transports::http::reqwest::Url,
};
use ccip_bindings::{
    arm::{ARM, IARM::TaggedRoot},
    burn_mint_token_pool::BurnMintTokenPool as Pool,
    commit_store::CommitStore,
    on_ramp::OnRamp,
    price_registry::PriceRegistry,
};
use tokio::{sync::watch, task::JoinHandle};
use tracing::{Instrument, debug, error, info, info_span, warn};

use crate::{
    RmnError,
    config::{NetworkSpec, NodeConfig, NodeSettings},
    hashing::{leaf_hash, merkle_root, metadata_hash},
    metrics::{RmnMetrics, RmnMetricsSnapshot, render_prometheus},
    supply::{SupplyKey, SupplyLedger, add, convert_decimals},
    volume::{VolumeWindow, usd_value},
};

/// The ARM subject of a chain, as the OnRamp, CommitStore, OffRamp and pools check it:
/// `bytes16(uint128(chainSelector))`, the selector big-endian in the last 8 bytes.
pub fn chain_subject(chain_selector: u64) -> FixedBytes<16> {
    FixedBytes::from(u128::from(chain_selector).to_be_bytes())
}

/// A running node.
#[derive(Debug)]
pub struct RmnNodeHandle {
    /// The node's index.
    pub index: usize,
    /// Its voter address.
    pub address: Address,
    /// Its counters.
    pub metrics: Arc<RmnMetrics>,
    /// The task; it ends when the shutdown signal turns `true` (or its sender is dropped).
    pub join: JoinHandle<()>,
}

/// A risk node.
#[derive(Debug)]
pub struct RmnNode;

impl RmnNode {
    /// Spawns a node on the current tokio runtime. It runs until `shutdown` turns `true` or its
    /// sender is dropped; RPC errors are logged, counted and retried on the next poll.
    pub fn spawn(
        config: NodeConfig,
        shutdown: watch::Receiver<bool>,
    ) -> Result<RmnNodeHandle, RmnError> {
        let metrics = Arc::new(RmnMetrics::default());
        let index = config.index;
        let address = config.signer.address();
        let node = Node::new(config, metrics.clone())?;
        let span = info_span!("rmn", node = index);
        let join = tokio::spawn(node.run(shutdown).instrument(span));
        Ok(RmnNodeHandle {
            index,
            address,
            metrics,
            join,
        })
    }
}

/// `m` nodes of one network.
#[derive(Debug)]
pub struct RmnNetwork {
    /// The nodes, by index.
    pub nodes: Vec<RmnNodeHandle>,
}

impl RmnNetwork {
    /// Starts nodes `0..m`, node `i` with ARM voter key `i` derived from `seed`
    /// ([`crate::arm_voter_key`]), all with the same settings.
    pub fn start(
        network: &NetworkSpec,
        seed: &str,
        m: usize,
        settings: &NodeSettings,
        shutdown: watch::Receiver<bool>,
    ) -> Result<Self, RmnError> {
        let signers = (0..m)
            .map(|i| crate::arm_voter_key(seed, i as u32))
            .collect::<Result<Vec<_>, _>>()?;
        Self::start_with_keys(network, signers, settings, shutdown)
    }

    /// Starts one node per given voter key (node `i` gets `signers[i]`).
    pub fn start_with_keys(
        network: &NetworkSpec,
        signers: Vec<PrivateKeySigner>,
        settings: &NodeSettings,
        shutdown: watch::Receiver<bool>,
    ) -> Result<Self, RmnError> {
        let nodes = signers
            .into_iter()
            .enumerate()
            .map(|(index, signer)| {
                RmnNode::spawn(
                    NodeConfig {
                        index,
                        signer,
                        network: network.clone(),
                        settings: settings.clone(),
                    },
                    shutdown.clone(),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { nodes })
    }

    /// Every node's counters, labelled by index.
    pub fn metrics(&self) -> Vec<(String, RmnMetricsSnapshot)> {
        self.nodes
            .iter()
            .map(|n| (n.index.to_string(), n.metrics.snapshot()))
            .collect()
    }

    /// Prometheus text exposition of every node's counters.
    pub fn render_prometheus(&self) -> String {
        render_prometheus(&self.metrics())
    }

    /// Waits for every node task to end (after the shutdown signal).
    pub async fn join(self) {
        for node in self.nodes {
            if let Err(e) = node.join.await {
                error!(node = node.index, error = %e, "rmn node task failed");
            }
        }
    }
}

struct Chain {
    name: String,
    selector: u64,
    provider: DynProvider,
    arm: Address,
    price_registry: Address,
    /// Every contract whose logs matter on this chain.
    watch: Vec<Address>,
    /// Pools of this chain: pool -> token name.
    pools: HashMap<Address, String>,
    /// Last block whose logs were applied.
    cursor: Option<u64>,
    /// That block's hash, re-checked every poll.
    checkpoint: Option<(u64, B256)>,
    /// Reorganised past finality: no longer read (until restart).
    reorged: bool,
}

struct Committed {
    root: B256,
    min: u64,
    max: u64,
}

struct Lane {
    name: String,
    source: usize,
    dest: usize,
    on_ramp: Address,
    commit_store: Address,
    metadata_hash: B256,
    /// Recomputed leaves by sequence number (source, at depth).
    leaves: BTreeMap<u64, B256>,
    /// Committed roots not judged yet.
    pending: Vec<Committed>,
    volume: VolumeWindow,
    /// This node decided to curse the lane: no more blessing on it.
    condemned: bool,
}

struct Node {
    me: Address,
    chains: Vec<Chain>,
    lanes: Vec<Lane>,
    /// (chain selector, token name) -> decimals.
    decimals: HashMap<(u64, String), u8>,
    /// (chain index, pool) -> token address, from the file or `getToken()`.
    pool_tokens: HashMap<(usize, Address), Address>,
    ledger: SupplyLedger,
    settings: NodeSettings,
    metrics: Arc<RmnMetrics>,
    /// Per destination chain: (lane, commit store, root) to bless.
    to_bless: BTreeMap<usize, BTreeSet<(usize, Address, B256)>>,
    /// Per destination chain: subjects to curse.
    to_curse: BTreeMap<usize, BTreeSet<FixedBytes<16>>>,
}

/// An RPC error, rendered with where it happened.
fn rpc(chain: &str, step: &str) -> impl FnOnce(String) -> RmnError {
    let (chain, step) = (chain.to_owned(), step.to_owned());
    move |message| RmnError::Rpc {
        chain,
        step,
        message,
    }
}

impl Node {
    fn new(config: NodeConfig, metrics: Arc<RmnMetrics>) -> Result<Self, RmnError> {
        let NodeConfig {
            index: _,
            signer,
            network,
            settings,
        } = config;
        let me = signer.address();
        let wallet = EthereumWallet::from(signer);
        let mut chains = Vec::with_capacity(network.chains.len());
        let mut decimals = HashMap::new();
        let mut pool_tokens = HashMap::new();
        for (i, spec) in network.chains.iter().enumerate() {
            let url: Url = spec.rpc_url.parse().map_err(|_| RmnError::Url {
                chain: spec.name.clone(),
                url: spec.rpc_url.clone(),
            })?;
            let provider = ProviderBuilder::new()
                .wallet(wallet.clone())
                .connect_http(url)
                .erased();
            let mut watch: Vec<Address> = Vec::new();
            let mut pools = HashMap::new();
            for lane in &spec.lanes {
                watch.push(lane.on_ramp);
                watch.push(lane.commit_store);
            }
            for (name, token) in &spec.tokens {
                watch.push(token.pool);
                pools.insert(token.pool, name.clone());
                pool_tokens.insert((i, token.pool), token.token);
                decimals.insert((spec.chain_selector, name.clone()), token.decimals);
            }
            chains.push(Chain {
                name: spec.name.clone(),
                selector: spec.chain_selector,
                provider,
                arm: spec.contracts.arm,
                price_registry: spec.contracts.price_registry,
                watch,
                pools,
                cursor: None,
                checkpoint: None,
                reorged: false,
            });
        }
        let position = |selector: u64, chain: &str| {
            network
                .chains
                .iter()
                .position(|c| c.chain_selector == selector)
                .ok_or_else(|| RmnError::UnknownChain {
                    chain: chain.to_owned(),
                    selector,
                })
        };
        let mut lanes = Vec::new();
        for (source, spec) in network.chains.iter().enumerate() {
            for out in &spec.lanes {
                let dest = position(out.remote_chain_selector, &spec.name)?;
                let Some(inbound) = network.chains[dest]
                    .lanes
                    .iter()
                    .find(|l| l.remote_chain_selector == spec.chain_selector)
                else {
                    continue;
                };
                lanes.push(Lane {
                    name: format!("{}->{}", spec.name, network.chains[dest].name),
                    source,
                    dest,
                    on_ramp: out.on_ramp,
                    commit_store: inbound.commit_store,
                    metadata_hash: metadata_hash(
                        spec.chain_selector,
                        out.remote_chain_selector,
                        out.on_ramp,
                    ),
                    leaves: BTreeMap::new(),
                    pending: Vec::new(),
                    volume: VolumeWindow::default(),
                    condemned: false,
                });
            }
        }
        Ok(Self {
            me,
            chains,
            lanes,
            decimals,
            pool_tokens,
            ledger: SupplyLedger::default(),
            settings,
            metrics,
            to_bless: BTreeMap::new(),
            to_curse: BTreeMap::new(),
        })
    }

    async fn run(mut self, mut shutdown: watch::Receiver<bool>) {
        info!(voter = %self.me, chains = self.chains.len(), lanes = self.lanes.len(), "rmn node started");
        loop {
            if *shutdown.borrow() {
                break;
            }
            self.poll().await;
            RmnMetrics::inc(&self.metrics.polls);
            tokio::select! {
                changed = shutdown.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
                () = tokio::time::sleep(self.settings.poll_interval) => {}
            }
        }
        info!("rmn node stopped");
    }

    fn rpc_failed(&self, error: &RmnError) {
        RmnMetrics::inc(&self.metrics.rpc_errors);
        warn!(%error, "rpc error, retrying next poll");
    }

    async fn poll(&mut self) {
        for c in 0..self.chains.len() {
            if let Err(e) = self.advance_chain(c).await {
                self.rpc_failed(&e);
            }
        }
        match self.unconfirmed_sends().await {
            Ok(tail) => self.check_supply(&tail),
            Err(e) => self.rpc_failed(&e),
        }
        for l in 0..self.lanes.len() {
            if let Err(e) = self.judge_roots(l).await {
                self.rpc_failed(&e);
            }
        }
        for d in 0..self.chains.len() {
            if let Err(e) = self.vote_curses(d).await {
                self.rpc_failed(&e);
            }
            if let Err(e) = self.vote_blessings(d).await {
                self.rpc_failed(&e);
            }
        }
    }

    /// Marks a lane for cursing (once) and stops blessing on it.
    fn condemn(&mut self, l: usize, reason: &str) {
        let lane = &mut self.lanes[l];
        if lane.condemned {
            return;
        }
        lane.condemned = true;
        let subject = chain_subject(self.chains[lane.source].selector);
        error!(lane = %lane.name, reason, %subject, "cursing lane");
        self.to_curse.entry(lane.dest).or_default().insert(subject);
    }

    async fn advance_chain(&mut self, c: usize) -> Result<(), RmnError> {
        let chain = &self.chains[c];
        if chain.reorged {
            return Ok(());
        }
        let provider = chain.provider.clone();
        let name = chain.name.clone();
        let head = provider
            .get_block_number()
            .await
            .map_err(|e| rpc(&name, "eth_blockNumber")(e.to_string()))?;

        if let Some((height, hash)) = chain.checkpoint {
            let block = provider
                .get_block_by_number(BlockNumberOrTag::Number(height))
                .await
                .map_err(|e| rpc(&name, "eth_getBlockByNumber")(e.to_string()))?;
            let replaced = match block {
                Some(block) => block.header.hash != hash,
                None => head < height,
            };
            if replaced {
                RmnMetrics::inc(&self.metrics.deep_reorgs);
                error!(chain = %name, height, head, "source chain reorganised past the finality depth");
                self.chains[c].reorged = true;
                for l in 0..self.lanes.len() {
                    if self.lanes[l].source == c {
                        self.condemn(l, "source chain reorganised past the finality depth");
                    }
                }
                return Ok(());
            }
        }

        let confirmed = head.saturating_sub(self.settings.confirmations);
        let from = chain.cursor.map_or(0, |b| b + 1);
        if from > confirmed {
            return Ok(());
        }
        let anchor = provider
            .get_block_by_number(BlockNumberOrTag::Number(confirmed))
            .await
            .map_err(|e| rpc(&name, "eth_getBlockByNumber")(e.to_string()))?
            .ok_or_else(|| {
                rpc(&name, "eth_getBlockByNumber")(format!("block {confirmed} missing"))
            })?;
        let logs = self.get_logs(c, from, confirmed, None).await?;
        let context = self.prefetch(c, &logs).await?;
        self.apply_logs(c, &logs, &context);
        let chain = &mut self.chains[c];
        chain.cursor = Some(confirmed);
        chain.checkpoint = Some((confirmed, anchor.header.hash));
        debug!(chain = %chain.name, from, to = confirmed, logs = logs.len(), "indexed");
        Ok(())
    }

    async fn get_logs(
        &self,
        c: usize,
        from: u64,
        to: u64,
        topics: Option<Vec<B256>>,
    ) -> Result<Vec<Log>, RmnError> {
        let chain = &self.chains[c];
        let step = self.settings.max_log_range.max(1);
        let mut logs = Vec::new();
        let mut start = from;
        while start <= to {
            let end = to.min(start.saturating_add(step - 1));
            let mut filter = Filter::new()
                .address(chain.watch.clone())
                .from_block(start)
                .to_block(end);
            if let Some(topics) = &topics {
                filter = filter.event_signature(topics.clone());
            }
            let mut chunk = chain
                .provider
                .get_logs(&filter)
                .await
                .map_err(|e| rpc(&chain.name, "eth_getLogs")(e.to_string()))?;
            logs.append(&mut chunk);
            start = end + 1;
        }
        Ok(logs)
    }

    /// Everything applying `logs` needs from the chain besides the logs: token addresses of unknown
    /// pools, token prices and block timestamps of messages with tokens. Fetched first so that a
    /// failure leaves the node's state untouched.
    async fn prefetch(&mut self, c: usize, logs: &[Log]) -> Result<Prefetched, RmnError> {
        let chain = &self.chains[c];
        let mut context = Prefetched::default();
        for log in logs {
            if log.topic0() != Some(&OnRamp::CCIPSendRequested::SIGNATURE_HASH) {
                continue;
            }
            let Ok(event) = log.log_decode::<OnRamp::CCIPSendRequested>() else {
                continue;
            };
            let message = &event.inner.data.message;
            if message.tokenAmounts.is_empty() {
                continue;
            }
            for transfer in &message.tokenAmounts {
                let pool = transfer.sourcePoolAddress;
                let token = match self.pool_tokens.get(&(c, pool)) {
                    Some(&token) => token,
                    None => {
                        let token = Pool::new(pool, &chain.provider)
                            .getToken()
                            .call()
                            .await
                            .map_err(|e| rpc(&chain.name, "TokenPool.getToken")(e.to_string()))?;
                        self.pool_tokens.insert((c, pool), token);
                        token
                    }
                };
                if let std::collections::hash_map::Entry::Vacant(slot) = context.prices.entry(token)
                {
                    let price = PriceRegistry::new(chain.price_registry, &chain.provider)
                        .getTokenPrice(token)
                        .call()
                        .await
                        .map_err(|e| {
                            rpc(&chain.name, "PriceRegistry.getTokenPrice")(e.to_string())
                        })?;
                    slot.insert(U256::from(price.value));
                }
            }
            let Some(block) = log.block_number else {
                continue;
            };
            if log.block_timestamp.is_none() && !context.timestamps.contains_key(&block) {
                let header = chain
                    .provider
                    .get_block_by_number(BlockNumberOrTag::Number(block))
                    .await
                    .map_err(|e| rpc(&chain.name, "eth_getBlockByNumber")(e.to_string()))?
                    .ok_or_else(|| {
                        rpc(&chain.name, "eth_getBlockByNumber")(format!("block {block} missing"))
                    })?;
                context.timestamps.insert(block, header.header.timestamp);
            }
        }
        Ok(context)
    }

    fn apply_logs(&mut self, c: usize, logs: &[Log], context: &Prefetched) {
        let selector = self.chains[c].selector;
        for log in logs {
            let address = log.address();
            let Some(&topic) = log.topic0() else {
                continue;
            };
            if topic == OnRamp::CCIPSendRequested::SIGNATURE_HASH {
                let Some(l) = self
                    .lanes
                    .iter()
                    .position(|l| l.source == c && l.on_ramp == address)
                else {
                    continue;
                };
                match log.log_decode::<OnRamp::CCIPSendRequested>() {
                    Ok(event) => {
                        let timestamp = log
                            .block_timestamp
                            .or_else(|| {
                                log.block_number
                                    .and_then(|b| context.timestamps.get(&b).copied())
                            })
                            .unwrap_or_default();
                        self.index_message(c, l, &event.inner.data.message, timestamp, context);
                    }
                    Err(e) => {
                        warn!(lane = %self.lanes[l].name, error = %e, "undecodable CCIPSendRequested")
                    }
                }
            } else if topic == CommitStore::ReportAccepted::SIGNATURE_HASH {
                let Some(l) = self
                    .lanes
                    .iter()
                    .position(|l| l.dest == c && l.commit_store == address)
                else {
                    continue;
                };
                match log.log_decode::<CommitStore::ReportAccepted>() {
                    Ok(event) => {
                        let e = &event.inner.data;
                        RmnMetrics::inc(&self.metrics.roots_seen);
                        info!(lane = %self.lanes[l].name, root = %e.merkleRoot, min = e.minSeqNr, max = e.maxSeqNr, "root committed");
                        self.lanes[l].pending.push(Committed {
                            root: e.merkleRoot,
                            min: e.minSeqNr,
                            max: e.maxSeqNr,
                        });
                    }
                    Err(e) => {
                        warn!(lane = %self.lanes[l].name, error = %e, "undecodable ReportAccepted")
                    }
                }
            } else if let Some(token) = self.chains[c].pools.get(&address).cloned() {
                // (remote, amount, outbound?)
                let decoded = if topic == Pool::Burned::SIGNATURE_HASH {
                    log.log_decode::<Pool::Burned>()
                        .ok()
                        .map(|e| (e.inner.data.remoteChainSelector, e.inner.data.amount, true))
                } else if topic == Pool::Locked::SIGNATURE_HASH {
                    log.log_decode::<Pool::Locked>()
                        .ok()
                        .map(|e| (e.inner.data.remoteChainSelector, e.inner.data.amount, true))
                } else if topic == Pool::Minted::SIGNATURE_HASH {
                    log.log_decode::<Pool::Minted>()
                        .ok()
                        .map(|e| (e.inner.data.remoteChainSelector, e.inner.data.amount, false))
                } else if topic == Pool::Released::SIGNATURE_HASH {
                    log.log_decode::<Pool::Released>()
                        .ok()
                        .map(|e| (e.inner.data.remoteChainSelector, e.inner.data.amount, false))
                } else {
                    None
                };
                let Some((remote, amount, outbound)) = decoded else {
                    continue;
                };
                if outbound {
                    if let Some((key, amount)) = self.sent_key(selector, remote, &token, amount) {
                        self.ledger.record_sent(key, amount);
                    }
                } else {
                    let key = SupplyKey {
                        source: remote,
                        dest: selector,
                        token,
                    };
                    self.ledger.record_received(key, amount);
                }
            }
        }
    }

    /// The ledger key and destination-unit amount of a burn or lock on `source` toward `dest`;
    /// `None` when the destination has no such token (nothing can be minted for it there).
    fn sent_key(
        &self,
        source: u64,
        dest: u64,
        token: &str,
        amount: U256,
    ) -> Option<(SupplyKey, U256)> {
        let from = *self.decimals.get(&(source, token.to_owned()))?;
        let to = *self.decimals.get(&(dest, token.to_owned()))?;
        Some((
            SupplyKey {
                source,
                dest,
                token: token.to_owned(),
            },
            convert_decimals(amount, from, to),
        ))
    }

    fn index_message(
        &mut self,
        c: usize,
        l: usize,
        message: &ccip_bindings::on_ramp::Internal::EVM2EVMMessage,
        timestamp: u64,
        context: &Prefetched,
    ) {
        let lane = &mut self.lanes[l];
        let leaf = leaf_hash(message, lane.metadata_hash);
        if leaf != message.messageId {
            warn!(lane = %lane.name, seq = message.sequenceNumber, message_id = %message.messageId, recomputed = %leaf, "OnRamp message id differs from the recomputed leaf");
        }
        debug!(lane = %lane.name, seq = message.sequenceNumber, message_id = %leaf, "message indexed");
        lane.leaves.insert(message.sequenceNumber, leaf);
        RmnMetrics::inc(&self.metrics.messages_indexed);

        let Some(limit) = self.settings.volume_limit_usd else {
            return;
        };
        let mut usd = U256::ZERO;
        for transfer in &message.tokenAmounts {
            let price = self
                .pool_tokens
                .get(&(c, transfer.sourcePoolAddress))
                .and_then(|token| context.prices.get(token))
                .copied()
                .unwrap_or_default();
            usd = usd.saturating_add(usd_value(transfer.amount, price));
        }
        if usd.is_zero() {
            return;
        }
        let total = lane
            .volume
            .record(timestamp, usd, self.settings.volume_window.as_secs());
        if total > limit {
            RmnMetrics::inc(&self.metrics.volume_violations);
            let name = lane.name.clone();
            error!(lane = %name, message_id = %leaf, total_usd = %total, limit_usd = %limit, "outbound volume above the limit");
            self.condemn(l, "outbound volume above the limit");
        }
    }

    /// Burns and locks above the finality depth on every chain, re-read every poll.
    async fn unconfirmed_sends(&self) -> Result<BTreeMap<SupplyKey, U256>, RmnError> {
        let mut tail = BTreeMap::new();
        if self.settings.confirmations == 0 {
            return Ok(tail);
        }
        for (c, chain) in self.chains.iter().enumerate() {
            let Some(cursor) = chain.cursor else {
                continue;
            };
            let head = chain
                .provider
                .get_block_number()
                .await
                .map_err(|e| rpc(&chain.name, "eth_blockNumber")(e.to_string()))?;
            if head <= cursor {
                continue;
            }
            let topics = vec![Pool::Burned::SIGNATURE_HASH, Pool::Locked::SIGNATURE_HASH];
            for log in self.get_logs(c, cursor + 1, head, Some(topics)).await? {
                let Some(token) = chain.pools.get(&log.address()) else {
                    continue;
                };
                let decoded = log
                    .log_decode::<Pool::Burned>()
                    .map(|e| (e.inner.data.remoteChainSelector, e.inner.data.amount))
                    .or_else(|_| {
                        log.log_decode::<Pool::Locked>()
                            .map(|e| (e.inner.data.remoteChainSelector, e.inner.data.amount))
                    });
                if let Ok((remote, amount)) = decoded
                    && let Some((key, amount)) =
                        self.sent_key(chain.selector, remote, token, amount)
                {
                    add(&mut tail, key, amount);
                }
            }
        }
        Ok(tail)
    }

    fn check_supply(&mut self, tail: &BTreeMap<SupplyKey, U256>) {
        for violation in self.ledger.violations(tail) {
            let key = &violation.key;
            let Some(l) = self.lanes.iter().position(|l| {
                self.chains[l.source].selector == key.source
                    && self.chains[l.dest].selector == key.dest
            }) else {
                continue;
            };
            if self.lanes[l].condemned {
                continue;
            }
            RmnMetrics::inc(&self.metrics.supply_violations);
            error!(lane = %self.lanes[l].name, token = %key.token, sent = %violation.sent, received = %violation.received, "supply invariant broken: more minted or released than burned or locked");
            self.condemn(l, "supply invariant broken");
        }
    }

    async fn judge_roots(&mut self, l: usize) -> Result<(), RmnError> {
        let lane = &self.lanes[l];
        if lane.condemned || lane.pending.is_empty() || self.chains[lane.source].reorged {
            return Ok(());
        }
        let mut expected_next: Option<u64> = None;
        let mut still_pending = Vec::new();
        let pending = std::mem::take(&mut self.lanes[l].pending);
        let mut verdict_bad: Option<String> = None;
        for committed in pending {
            if verdict_bad.is_some() {
                continue;
            }
            let lane = &self.lanes[l];
            let leaves: Option<Vec<B256>> = (committed.min..=committed.max)
                .map(|seq| lane.leaves.get(&seq).copied())
                .collect();
            match leaves {
                Some(leaves) => {
                    let recomputed = merkle_root(&leaves);
                    if recomputed == Some(committed.root) {
                        RmnMetrics::inc(&self.metrics.roots_matched);
                        info!(lane = %lane.name, root = %committed.root, min = committed.min, max = committed.max, "root matches the source chain");
                        self.to_bless.entry(lane.dest).or_default().insert((
                            l,
                            lane.commit_store,
                            committed.root,
                        ));
                    } else {
                        RmnMetrics::inc(&self.metrics.roots_mismatched);
                        error!(lane = %lane.name, root = %committed.root, recomputed = ?recomputed, min = committed.min, max = committed.max, "committed root does not match the source chain");
                        verdict_bad = Some("committed root does not match the source chain".into());
                    }
                }
                None => {
                    let next = match expected_next {
                        Some(next) => next,
                        None => {
                            let source = &self.chains[lane.source];
                            let next = OnRamp::new(lane.on_ramp, &source.provider)
                                .getExpectedNextSequenceNumber()
                                .call()
                                .await
                                .map_err(|e| {
                                    rpc(&source.name, "OnRamp.getExpectedNextSequenceNumber")(
                                        e.to_string(),
                                    )
                                });
                            match next {
                                Ok(next) => {
                                    expected_next = Some(next);
                                    next
                                }
                                Err(e) => {
                                    self.lanes[l].pending.push(committed);
                                    self.lanes[l].pending.append(&mut still_pending);
                                    return Err(e);
                                }
                            }
                        }
                    };
                    if committed.max >= next {
                        RmnMetrics::inc(&self.metrics.roots_mismatched);
                        error!(lane = %lane.name, root = %committed.root, min = committed.min, max = committed.max, next_seq = next, "committed root covers messages the source never sent");
                        verdict_bad =
                            Some("committed root covers messages the source never sent".into());
                    } else {
                        debug!(lane = %lane.name, root = %committed.root, "waiting for the source messages at depth");
                        still_pending.push(committed);
                    }
                }
            }
        }
        self.lanes[l].pending = still_pending;
        if let Some(reason) = verdict_bad {
            self.condemn(l, &reason);
        }
        Ok(())
    }

    /// This node's voter index in the ARM config of chain `d`, if it is a (bless, curse) voter.
    async fn voter_index(&self, d: usize) -> Result<(Option<u8>, Option<u8>), RmnError> {
        let chain = &self.chains[d];
        let details = ARM::new(chain.arm, &chain.provider)
            .getConfigDetails()
            .call()
            .await
            .map_err(|e| rpc(&chain.name, "ARM.getConfigDetails")(e.to_string()))?;
        let voters = &details.config.voters;
        let bless = voters
            .iter()
            .position(|v| v.blessVoteAddr == self.me && v.blessWeight > 0)
            .map(|i| i as u8);
        let curse = voters
            .iter()
            .position(|v| v.curseVoteAddr == self.me && v.curseWeight > 0)
            .map(|i| i as u8);
        Ok((bless, curse))
    }

    async fn vote_curses(&mut self, d: usize) -> Result<(), RmnError> {
        let Some(subjects) = self.to_curse.get(&d).filter(|s| !s.is_empty()).cloned() else {
            return Ok(());
        };
        let chain = &self.chains[d];
        let arm = ARM::new(chain.arm, &chain.provider);
        let (_, index) = self.voter_index(d).await?;
        let Some(index) = index else {
            warn!(chain = %chain.name, voter = %self.me, "not a curse voter on this ARM; dropping curse votes");
            self.to_curse.remove(&d);
            return Ok(());
        };
        let mut to_send = Vec::new();
        for subject in subjects {
            let progress = arm
                .getCurseProgress(subject)
                .call()
                .await
                .map_err(|e| rpc(&chain.name, "ARM.getCurseProgress")(e.to_string()))?;
            if progress.cursed || progress.votersBitmap & (1 << index) != 0 {
                if let Some(set) = self.to_curse.get_mut(&d) {
                    set.remove(&subject);
                }
            } else {
                to_send.push(subject);
            }
        }
        if to_send.is_empty() {
            return Ok(());
        }
        match send(arm.voteToCurse(to_send.clone())).await {
            Ok(()) => {
                for subject in &to_send {
                    RmnMetrics::inc(&self.metrics.curse_votes);
                    info!(chain = %chain.name, %subject, "voted to curse");
                    if let Some(set) = self.to_curse.get_mut(&d) {
                        set.remove(subject);
                    }
                }
            }
            Err(e) => {
                RmnMetrics::inc(&self.metrics.tx_errors);
                warn!(chain = %chain.name, error = %e, "voteToCurse failed, retrying next poll");
            }
        }
        Ok(())
    }

    async fn vote_blessings(&mut self, d: usize) -> Result<(), RmnError> {
        let Some(roots) = self.to_bless.get(&d).filter(|s| !s.is_empty()).cloned() else {
            return Ok(());
        };
        let chain = &self.chains[d];
        let arm = ARM::new(chain.arm, &chain.provider);
        let (index, _) = self.voter_index(d).await?;
        let Some(index) = index else {
            warn!(chain = %chain.name, voter = %self.me, "not a bless voter on this ARM; dropping bless votes");
            self.to_bless.remove(&d);
            return Ok(());
        };
        let mut to_send = Vec::new();
        let mut done = Vec::new();
        for entry @ (l, commit_store, root) in roots {
            if self.lanes[l].condemned {
                done.push(entry);
                continue;
            }
            let tagged = TaggedRoot {
                commitStore: commit_store,
                root,
            };
            let progress = arm
                .getBlessVoteProgress(tagged.clone())
                .call()
                .await
                .map_err(|e| rpc(&chain.name, "ARM.getBlessVoteProgress")(e.to_string()))?;
            if progress.blessed || progress.votersBitmap & (1 << index) != 0 {
                done.push(entry);
            } else {
                to_send.push((entry, tagged));
            }
        }
        // voteToBless reverts while the ARM is globally cursed: wait for the owner to lift it.
        let globally_cursed = if to_send.is_empty() {
            false
        } else {
            arm.isCursed_1()
                .call()
                .await
                .map_err(|e| rpc(&chain.name, "ARM.isCursed")(e.to_string()))?
        };
        if globally_cursed {
            debug!(chain = %chain.name, "globally cursed; holding bless votes");
        } else if !to_send.is_empty() {
            let tagged: Vec<TaggedRoot> = to_send.iter().map(|(_, t)| t.clone()).collect();
            match send(arm.voteToBless(tagged)).await {
                Ok(()) => {
                    for (entry, _) in to_send {
                        RmnMetrics::inc(&self.metrics.bless_votes);
                        info!(lane = %self.lanes[entry.0].name, root = %entry.2, "voted to bless");
                        done.push(entry);
                    }
                }
                Err(e) => {
                    RmnMetrics::inc(&self.metrics.tx_errors);
                    warn!(chain = %chain.name, error = %e, "voteToBless failed, retrying next poll");
                }
            }
        }
        if let Some(set) = self.to_bless.get_mut(&d) {
            for entry in done {
                set.remove(&entry);
            }
        }
        Ok(())
    }
}

#[derive(Default)]
struct Prefetched {
    prices: HashMap<Address, U256>,
    timestamps: HashMap<u64, u64>,
}

/// How often a vote's receipt is asked for. alloy's own watcher polls local chains every 250 ms,
/// which would hold every blessing back by that much.
const RECEIPT_POLL: std::time::Duration = std::time::Duration::from_millis(2);
/// A vote without a receipt after this long is an error (retried next poll).
const RECEIPT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Sends a call and waits for a successful receipt.
async fn send<P, D>(call: alloy::contract::CallBuilder<P, D>) -> Result<(), String>
where
    P: Provider,
    D: alloy::contract::CallDecoder,
{
    let pending = call.send().await.map_err(|e| e.to_string())?;
    let hash = *pending.tx_hash();
    let provider = pending.provider().clone();
    let deadline = tokio::time::Instant::now() + RECEIPT_TIMEOUT;
    loop {
        let receipt = provider
            .get_transaction_receipt(hash)
            .await
            .map_err(|e| e.to_string())?;
        if let Some(receipt) = receipt {
            return if receipt.status() {
                Ok(())
            } else {
                Err(format!("transaction {hash} reverted"))
            };
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("no receipt for {hash} after {RECEIPT_TIMEOUT:?}"));
        }
        tokio::time::sleep(RECEIPT_POLL).await;
    }
}
