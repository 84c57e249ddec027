//! One risk node: a tokio task that polls every chain, re-derives committed roots from the source
//! chains and votes on the destination ARMs.
//!
//! Each poll:
//! 1. per chain: check that the newest block it already used (at finality depth) still has the same
//!    hash, else curse every lane from that chain; then read the logs of the OnRamps and pools up
//!    to `head - confirmations` and of the CommitStores up to `head` (destination events count
//!    once mined) (`eth_getLogs` by block range from a cursor each);
//! 2. per source chain: re-read the unconfirmed burns and locks (`head - confirmations .. head`);
//! 3. check the supply invariant of every lane and token;
//! 4. recompute every committed root whose messages are all at depth: equal → bless, different →
//!    curse; a root over sequence numbers the OnRamp never issued → curse;
//! 5. vote: `voteToCurse` / `voteToBless` batches per destination ARM, skipping what the ARM says
//!    is already cursed, blessed or voted by this voter.
//!
//! Nothing is persisted: on start a node rebuilds its view from block 0 of every chain, and the
//! ARM's own vote records keep it from voting twice.
//!
//! Every request has a timeout ([`NodeSettings::rpc_timeout`]); a chain that fails rests with a
//! backoff ([`crate::reader`]) while the node goes on with the others, and a poll in progress is
//! abandoned at once on shutdown (nothing half-applied: state changes only after a chain's reads).
//! The chain reading is in [`crate::reader`], the bookkeeping of logs in `ingest`, the verdicts in
//! [`crate::judge`] and the voting in `voter`.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    sync::Arc,
};

use alloy::{
    primitives::{Address, B256, FixedBytes},
    signers::local::PrivateKeySigner,
};
use ccip_bindings::on_ramp::OnRamp;
use tokio::{sync::watch, task::JoinHandle};
use tracing::{Instrument, debug, error, info, info_span, warn};

use crate::{
    RmnError,
    config::{NetworkSpec, NodeConfig, NodeSettings},
    hashing::metadata_hash,
    judge::{self, Committed},
    metrics::{RmnMetrics, RmnMetricsSnapshot, render_prometheus},
    reader::{Chain, rpc},
    supply::SupplyLedger,
    volume::VolumeWindow,
};

/// The ARM subject of a chain, as the OnRamp, CommitStore, OffRamp and pools check it:
/// `bytes16(uint128(chainSelector))`, the selector big-endian in the last 8 bytes.
pub fn chain_subject(chain_selector: u64) -> FixedBytes<16> {
    FixedBytes::from(u128::from(chain_selector).to_be_bytes())
}

/// How far back a node reads a chain's destination-side events again after that chain
/// reorganised or rolled back.
const DEST_REWIND: u64 = 64;

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

pub(crate) struct Lane {
    pub(crate) name: String,
    pub(crate) source: usize,
    pub(crate) dest: usize,
    pub(crate) on_ramp: Address,
    pub(crate) commit_store: Address,
    pub(crate) metadata_hash: B256,
    /// Recomputed leaves by sequence number (source, at depth).
    pub(crate) leaves: BTreeMap<u64, B256>,
    /// Committed roots not judged yet.
    pub(crate) pending: Vec<Committed>,
    pub(crate) volume: VolumeWindow,
    /// This node decided to curse the lane: no more blessing on it.
    pub(crate) condemned: bool,
}

pub(crate) struct Node {
    pub(crate) me: Address,
    pub(crate) chains: Vec<Chain>,
    pub(crate) lanes: Vec<Lane>,
    /// (chain selector, token name) -> decimals.
    pub(crate) decimals: HashMap<(u64, String), u8>,
    /// (chain index, pool) -> token address, from the file or `getToken()`.
    pub(crate) pool_tokens: HashMap<(usize, Address), Address>,
    pub(crate) ledger: SupplyLedger,
    pub(crate) settings: NodeSettings,
    pub(crate) metrics: Arc<RmnMetrics>,
    /// Per destination chain: (lane, commit store, root) to bless.
    pub(crate) to_bless: BTreeMap<usize, BTreeSet<(usize, Address, B256)>>,
    /// Per destination chain: subjects to curse.
    pub(crate) to_curse: BTreeMap<usize, BTreeSet<FixedBytes<16>>>,
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
        let mut chains = Vec::with_capacity(network.chains.len());
        let mut decimals = HashMap::new();
        let mut pool_tokens = HashMap::new();
        for (i, spec) in network.chains.iter().enumerate() {
            chains.push(Chain::connect(spec, signer.clone(), settings.rpc_timeout)?);
            for (name, token) in &spec.tokens {
                pool_tokens.insert((i, token.pool), token.token);
                decimals.insert((spec.chain_selector, name.clone()), token.decimals);
            }
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
            // A poll waits on RPCs (each bounded by the timeout); shutdown does not wait for it.
            tokio::select! {
                () = self.poll() => RmnMetrics::inc(&self.metrics.polls),
                _ = shutdown.changed() => break,
            }
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

    /// Counts a failed request and rests chain `c`.
    pub(crate) fn rpc_failed(&mut self, c: usize, error: &RmnError) {
        RmnMetrics::inc(&self.metrics.rpc_errors);
        debug!(chain = %self.chains[c].name, %error, "rpc error");
        self.chains[c].failed(error);
    }

    /// Whether a lane touches a chain that is resting after a failure.
    fn lane_resting(&self, l: usize) -> bool {
        let lane = &self.lanes[l];
        self.chains[lane.source].resting() || self.chains[lane.dest].resting()
    }

    async fn poll(&mut self) {
        for c in 0..self.chains.len() {
            if self.chains[c].resting() {
                continue;
            }
            match self.advance_chain(c).await {
                Ok(()) => self.chains[c].answered(),
                Err(e) => self.rpc_failed(c, &e),
            }
        }
        if let Some(tail) = self.unconfirmed_sends().await {
            self.check_supply(&tail);
        }
        for l in 0..self.lanes.len() {
            if self.lane_resting(l) {
                continue;
            }
            if let Err(e) = self.judge_roots(l).await {
                let source = self.lanes[l].source;
                self.rpc_failed(source, &e);
            }
        }
        for d in 0..self.chains.len() {
            if self.chains[d].resting() {
                continue;
            }
            let votes = match self.vote_curses(d).await {
                Ok(()) => self.vote_blessings(d).await,
                Err(e) => Err(e),
            };
            if let Err(e) = votes {
                self.rpc_failed(d, &e);
            }
        }
    }

    /// Marks a lane for cursing (once) and stops blessing on it.
    pub(crate) fn condemn(&mut self, l: usize, reason: &str) {
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
        let head = chain.head().await?;

        if let Some((height, hash)) = chain.checkpoint {
            let replaced = match chain.block_hash(height).await? {
                Some(now) => now != hash,
                None => head < height,
            };
            if replaced {
                RmnMetrics::inc(&self.metrics.deep_reorgs);
                error!(chain = %chain.name, height, head, "source chain reorganised past the finality depth");
                self.chains[c].reorged = true;
                for l in 0..self.lanes.len() {
                    if self.lanes[l].source == c {
                        self.condemn(l, "source chain reorganised past the finality depth");
                    }
                }
                return Ok(());
            }
        }

        // Destination side first: a commit seen before its messages simply waits to be judged.
        if let Some((height, hash)) = chain.dest_checkpoint {
            let now = match head >= height {
                true => chain.block_hash(height).await?,
                false => None,
            };
            if now != Some(hash) {
                let back = height.saturating_sub(DEST_REWIND);
                warn!(chain = %chain.name, height, head, rewound_to = back, "chain reorganised or rolled back; reading its recent commits again");
                let chain = &mut self.chains[c];
                chain.dest_cursor = back.checked_sub(1);
                chain.dest_checkpoint = None;
            }
        }
        let chain = &self.chains[c];
        let dest_from = chain.dest_cursor.map_or(0, |b| b + 1);
        if dest_from <= head {
            let anchor = chain.block_hash(head).await?;
            let logs = chain
                .logs(
                    &chain.dest_side,
                    dest_from,
                    head,
                    None,
                    self.settings.max_log_range,
                )
                .await?;
            self.apply_dest_logs(c, &logs);
            let chain = &mut self.chains[c];
            chain.dest_cursor = Some(head);
            chain.dest_checkpoint = anchor.map(|hash| (head, hash));
            chain.history_until.get_or_insert(head);
        }

        let chain = &self.chains[c];
        let confirmed = head.saturating_sub(self.settings.confirmations);
        let from = chain.cursor.map_or(0, |b| b + 1);
        if from > confirmed {
            return Ok(());
        }
        let anchor = chain.block_hash(confirmed).await?.ok_or_else(|| {
            rpc(&chain.name, "eth_getBlockByNumber")(format!("block {confirmed} missing"))
        })?;
        let logs = chain
            .logs(
                &chain.source_side,
                from,
                confirmed,
                None,
                self.settings.max_log_range,
            )
            .await?;
        let context = self.prefetch(c, &logs).await?;
        self.apply_source_logs(c, &logs, &context);
        let chain = &mut self.chains[c];
        chain.cursor = Some(confirmed);
        chain.checkpoint = Some((confirmed, anchor));
        debug!(chain = %chain.name, from, to = confirmed, logs = logs.len(), "indexed");
        Ok(())
    }

    async fn judge_roots(&mut self, l: usize) -> Result<(), RmnError> {
        let lane = &self.lanes[l];
        if lane.condemned || lane.pending.is_empty() || self.chains[lane.source].reorged {
            return Ok(());
        }
        let next_seq = if judge::needs_next_sequence(&lane.pending, &lane.leaves) {
            let source = &self.chains[lane.source];
            let next = OnRamp::new(lane.on_ramp, &source.provider)
                .getExpectedNextSequenceNumber()
                .call()
                .await
                .map_err(|e| {
                    rpc(&source.name, "OnRamp.getExpectedNextSequenceNumber")(e.to_string())
                })?;
            Some(next)
        } else {
            None
        };
        let pending = std::mem::take(&mut self.lanes[l].pending);
        let judgement = judge::judge(pending, &self.lanes[l].leaves, next_seq);
        let lane = &self.lanes[l];
        for c in &judgement.bless {
            RmnMetrics::inc(&self.metrics.roots_matched);
            info!(lane = %lane.name, root = %c.root, min = c.min, max = c.max, "root matches the source chain");
            self.to_bless
                .entry(lane.dest)
                .or_default()
                .insert((l, lane.commit_store, c.root));
        }
        for c in &judgement.waiting {
            debug!(lane = %lane.name, root = %c.root, "waiting for the source messages at depth");
        }
        self.lanes[l].pending = judgement.waiting;
        if let Some(fault) = judgement.fault {
            RmnMetrics::inc(&self.metrics.roots_mismatched);
            let lane = &self.lanes[l];
            match fault {
                judge::Fault::RootMismatch { root, recomputed } => {
                    error!(lane = %lane.name, root = %root.root, recomputed = ?recomputed, min = root.min, max = root.max, "committed root does not match the source chain");
                }
                judge::Fault::NeverSent { root, next } => {
                    error!(lane = %lane.name, root = %root.root, min = root.min, max = root.max, next_seq = next, "committed root covers messages the source never sent");
                }
            }
            self.condemn(l, fault.reason());
        }
        Ok(())
    }
}
