//! One committing node: its key, its database, its RPC clients, one task per lane that observes
//! the source and leads when its turn comes, and one task that answers its peers' proposals.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use alloy::{
    primitives::{Address, B256, U256},
    providers::{DynProvider, Provider},
    rpc::types::TransactionRequest,
    signers::{SignerSync, local::PrivateKeySigner},
    sol_types::SolCall,
};
use ccip_bindings::{arm::ARM, commit_store::CommitStore, price_registry::PriceRegistry};
use ccip_chain::{Lane, MessageIndexer, TxSender, http_provider};
pub use ccip_protocol::ReportSignature;

use crate::transport::{Peers, SignRequest};
use ccip_protocol::{
    CommitReport, Interval, MerkleTree, PriceUpdates, chain_subject, commit_report_digest,
    pack_signatures,
};
use ccip_store::{LaneKey, Store};
use futures::{StreamExt, stream::FuturesUnordered};
use tokio::{
    sync::{mpsc, watch},
    time::Instant,
};
use tracing::{debug, info, warn};

use crate::{
    Behaviour, BehaviourCell, CommitConfig, CommitError, CommitMetrics, PriceFeed,
    prices::{Observation, OnChainPrice, due_updates, usd_per_unit_gas},
};

/// Seconds per price-only leader slot.
const PRICE_ROTATION_SECS: u64 = 10;

/// What a faulty node puts in place of a real hash.
fn garbage(real: B256) -> B256 {
    alloy::primitives::keccak256([real.as_slice(), b"garbage"].concat())
}

fn unix_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// A leader's proposal for one lane.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// The lane.
    pub lane: LaneKey,
    /// Index of the proposing node.
    pub leader: usize,
    /// The CommitStore's config digest.
    pub config_digest: B256,
    /// Epoch and round (above the CommitStore's latest price epoch and round).
    pub epoch_and_round: u64,
    /// The report.
    pub report: CommitReport,
}

impl Proposal {
    /// What every signer signs (`Internal._commitReportDigest`).
    pub fn digest(&self) -> Result<B256, ccip_protocol::ProtocolError> {
        commit_report_digest(
            self.config_digest,
            self.epoch_and_round,
            &self.report.encode(),
        )
    }
}

/// Longest the committing nodes trust a cached CommitStore sequence number without asking again.
const NEXT_SEQ_REFRESH: Duration = Duration::from_secs(1);

/// The node that leads `lane` for the interval starting at `next` on its `attempt`-th try: every
/// honest node computes the same one, and a leader that does not deliver is replaced after
/// `leader_timeout`.
pub fn leader_for(lane: LaneKey, next: u64, attempt: u64, n: usize) -> usize {
    let n = n.max(1) as u64;
    (lane.source ^ lane.dest)
        .wrapping_add(next)
        .wrapping_add(attempt)
        .checked_rem(n)
        .unwrap_or(0) as usize
}

/// The node's view of one lane.
#[derive(Debug)]
pub(crate) struct LaneState {
    pub(crate) lane: Lane,
    pub(crate) indexer: MessageIndexer,
    /// One poll at a time, whether for the lane loop or for a peer's proposal.
    pub(crate) index_lock: tokio::sync::Mutex<()>,
    pub(crate) source: DynProvider,
    pub(crate) dest: DynProvider,
    pub(crate) config_digest: B256,
    pub(crate) round: Mutex<RoundState>,
    /// Whether the destination ARM cursed the lane when last asked (logged on change only).
    pub(crate) cursed: AtomicBool,
}

#[derive(Debug, Default)]
pub(crate) struct RoundState {
    /// Since when this node has seen work waiting at a given next sequence number.
    pub(crate) work_since: Option<(u64, Instant)>,
    /// The last proposal signed: (interval start, leader, when).
    pub(crate) last_signed: Option<(u64, usize, Instant)>,
}

impl RoundState {
    pub(crate) fn attempt(&mut self, next: u64, timeout: Duration) -> (u64, Duration) {
        let since = match self.work_since {
            Some((seq, at)) if seq == next => at,
            _ => {
                let now = Instant::now();
                self.work_since = Some((next, now));
                now
            }
        };
        let waited = since.elapsed();
        let attempt = waited.as_millis() / timeout.as_millis().max(1);
        (attempt as u64, waited)
    }
}

/// One committing node.
#[derive(Debug)]
pub struct CommitNode {
    pub(crate) index: usize,
    pub(crate) n: usize,
    pub(crate) f: usize,
    pub(crate) signer: PrivateKeySigner,
    pub(crate) signers: Vec<Address>,
    pub(crate) behaviour: Arc<BehaviourCell>,
    pub(crate) store: Arc<Store>,
    pub(crate) lanes: HashMap<LaneKey, Arc<LaneState>>,
    pub(crate) transmitters: HashMap<u64, TxSender>,
    pub(crate) config: CommitConfig,
    pub(crate) feed: Arc<PriceFeed>,
    pub(crate) metrics: Arc<CommitMetrics>,
}

/// What a node needs to start.
#[derive(Debug)]
pub struct NodeSetup {
    /// Index in the signer set.
    pub index: usize,
    /// Signers of every CommitStore, in order.
    pub signers: Vec<Address>,
    /// Signatures needed minus one.
    pub f: usize,
    /// This node's signing key.
    pub signer: PrivateKeySigner,
    /// This node's transmitting key.
    pub transmitter: PrivateKeySigner,
    /// Its database.
    pub store: Arc<Store>,
    /// Lanes to serve.
    pub lanes: Vec<Lane>,
    /// Settings.
    pub config: CommitConfig,
    /// Prices to report.
    pub feed: Arc<PriceFeed>,
    /// Shared counters.
    pub metrics: Arc<CommitMetrics>,
    /// How it behaves (honest unless fault injection says otherwise).
    pub behaviour: Arc<BehaviourCell>,
}

impl CommitNode {
    /// Connects to every chain of `setup.lanes` and reads each CommitStore's config digest.
    pub async fn connect(setup: NodeSetup) -> Result<Self, CommitError> {
        let mut lanes = HashMap::new();
        let mut transmitters = HashMap::new();
        for lane in setup.lanes {
            let source = http_provider(&lane.source_rpc)?;
            let dest = http_provider(&lane.dest_rpc)?;
            let details = CommitStore::new(lane.commit_store, &dest)
                .latestConfigDetails()
                .call()
                .await
                .map_err(|e| CommitError::call(&lane, "latestConfigDetails", e))?;
            if let std::collections::hash_map::Entry::Vacant(slot) =
                transmitters.entry(lane.key.dest)
            {
                slot.insert(TxSender::new(&lane.dest_rpc, setup.transmitter.clone())?);
            }
            let indexer = MessageIndexer::new(&lane, source.clone(), setup.config.stream);
            lanes.insert(
                lane.key,
                Arc::new(LaneState {
                    lane,
                    indexer,
                    index_lock: tokio::sync::Mutex::new(()),
                    source,
                    dest,
                    config_digest: details.configDigest,
                    round: Mutex::new(RoundState::default()),
                    cursed: AtomicBool::new(false),
                }),
            );
        }
        Ok(Self {
            index: setup.index,
            n: setup.signers.len(),
            f: setup.f,
            behaviour: setup.behaviour,
            signer: setup.signer,
            signers: setup.signers,
            store: setup.store,
            lanes,
            transmitters,
            config: setup.config,
            feed: setup.feed,
            metrics: setup.metrics,
        })
    }

    /// Runs the node until `shutdown` turns true: one task per lane plus the signing task.
    pub async fn run(
        self,
        inbox: mpsc::Receiver<SignRequest>,
        peers: Peers,
        shutdown: watch::Receiver<bool>,
    ) {
        let node = Arc::new(self);
        let mut tasks = tokio::task::JoinSet::new();
        for lane in node.lanes.values() {
            let (node, lane, peers, shutdown) =
                (node.clone(), lane.clone(), peers.clone(), shutdown.clone());
            tasks.spawn(async move { node.lane_loop(lane, peers, shutdown).await });
        }
        let signer = node.clone();
        let sd = shutdown.clone();
        tasks.spawn(async move { signer.answer_loop(inbox, sd).await });
        while tasks.join_next().await.is_some() {}
    }

    pub(crate) async fn poll_source(&self, lane: &LaneState) -> Result<Option<u64>, CommitError> {
        let _turn = lane.index_lock.lock().await;
        let outcome = lane.indexer.poll(&self.store).await?;
        let last = self.store.last_seq(lane.lane.key)?;
        if outcome.dropped > 0 {
            // The source forgot those messages: what this node signed over them describes
            // messages that no longer exist, and the new ones at the same sequence numbers (after
            // the owner's `ccip lane reset`) are signed afresh.
            let from = last.map_or(1, |l| l + 1);
            let forgotten = self.store.forget_signatures_from(lane.lane.key, from)?;
            warn!(node = self.index, lane = %lane.lane.name(), from, forgotten, "source messages reorganised away; their signatures forgotten");
        }
        if let Some(last) = last {
            self.metrics.observed(&lane.lane.name(), last);
        }
        Ok(last)
    }

    pub(crate) async fn next_expected(&self, lane: &LaneState) -> Result<u64, CommitError> {
        CommitStore::new(lane.lane.commit_store, &lane.dest)
            .getExpectedNextSequenceNumber()
            .call()
            .await
            .map_err(|e| CommitError::call(&lane.lane, "getExpectedNextSequenceNumber", e))
    }

    pub(crate) async fn latest_epoch(&self, lane: &LaneState) -> Result<u64, CommitError> {
        let e = CommitStore::new(lane.lane.commit_store, &lane.dest)
            .getLatestPriceEpochAndRound()
            .call()
            .await
            .map_err(|e| CommitError::call(&lane.lane, "getLatestPriceEpochAndRound", e))?;
        Ok(e.to::<u64>())
    }

    pub(crate) async fn observe_prices(
        &self,
        lane: &LaneState,
    ) -> Result<Observation, CommitError> {
        let gas = lane
            .source
            .get_gas_price()
            .await
            .map_err(|e| CommitError::rpc(&lane.lane.source_rpc, "eth_gasPrice", e))?;
        let [weth, link] = lane.lane.dest_fee_tokens;
        Ok(Observation {
            usd_per_unit_gas: usd_per_unit_gas(gas, self.feed.native_usd(lane.lane.key.source)),
            tokens: vec![
                (weth, self.feed.native_usd(lane.lane.key.dest)),
                (link, self.feed.link_usd()),
            ],
        })
    }

    async fn due_prices(&self, lane: &LaneState) -> Result<PriceUpdates, CommitError> {
        let observed = self.observe_prices(lane).await?;
        let registry = PriceRegistry::new(lane.lane.dest_price_registry, &lane.dest);
        let at = |v: alloy::primitives::Uint<224, 4>, t: u32| OnChainPrice {
            value: U256::from(v),
            timestamp: u64::from(t),
        };
        let gas = registry
            .getDestinationChainGasPrice(lane.lane.key.source)
            .call()
            .await
            .map_err(|e| CommitError::call(&lane.lane, "getDestinationChainGasPrice", e))?;
        let mut tokens = Vec::new();
        for (token, _) in &observed.tokens {
            let p = registry
                .getTokenPrice(*token)
                .call()
                .await
                .map_err(|e| CommitError::call(&lane.lane, "getTokenPrice", e))?;
            tokens.push(at(p.value, p.timestamp));
        }
        Ok(due_updates(
            lane.lane.key.source,
            &observed,
            at(gas.value, gas.timestamp),
            &tokens,
            &self.config.prices,
        ))
    }

    async fn lane_loop(
        self: Arc<Self>,
        lane: Arc<LaneState>,
        peers: Peers,
        mut shutdown: watch::Receiver<bool>,
    ) {
        let name = lane.lane.name();
        let mut next: Option<(u64, Instant)> = None;
        let mut last_price_check: Option<Instant> = None;
        let mut backoff = self.config.poll_interval;
        let mut failing = false;
        loop {
            if *shutdown.borrow() {
                return;
            }
            // Shutdown does not wait for a round: a report half-gathered is gathered again on
            // the next start, and the CommitStore refuses a report it already accepted.
            let outcome = tokio::select! {
                outcome = self.lane_step(&lane, &peers, &mut next, &mut last_price_check) => outcome,
                _ = shutdown.changed() => return,
            };
            let pause = match outcome {
                Ok(()) => {
                    if std::mem::take(&mut failing) {
                        info!(node = self.index, lane = %name, "commit rounds succeed again");
                    }
                    backoff = self.config.poll_interval;
                    self.config.poll_interval
                }
                Err(e) => {
                    if e.is_rpc() {
                        CommitMetrics::add(&self.metrics.rpc_errors, 1);
                    }
                    // The first failure of a run is a warning; the rest of it, until a round
                    // succeeds, only debug lines (a dead RPC would otherwise flood the log).
                    match std::mem::replace(&mut failing, true) {
                        false => {
                            warn!(node = self.index, lane = %name, error = %e, "commit round failed; retrying with backoff")
                        }
                        true => {
                            debug!(node = self.index, lane = %name, error = %e, "commit round failed")
                        }
                    }
                    next = None;
                    backoff = (backoff * 2).min(Duration::from_secs(2));
                    backoff
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                // A dropped sender is a shutdown too, or this loop would spin.
                changed = shutdown.changed() => if changed.is_err() { return },
            }
        }
    }

    /// One look at the lane: observe, and lead if it is this node's turn.
    async fn lane_step(
        &self,
        lane: &LaneState,
        peers: &Peers,
        next: &mut Option<(u64, Instant)>,
        last_price_check: &mut Option<Instant>,
    ) -> Result<(), CommitError> {
        if self.behaviour.get() == Behaviour::Silent {
            // A crashed node observes nothing and leads nothing.
            return Ok(());
        }
        let last = self.poll_source(lane).await?.unwrap_or(0);
        // The CommitStore's next sequence number, cached while nothing new is observed; asked
        // again at least every NEXT_SEQ_REFRESH, since the owner can move it (`ccip lane reset`).
        let expected = match *next {
            Some((n, at)) if n > last && at.elapsed() < NEXT_SEQ_REFRESH => n,
            _ => {
                let n = self.next_expected(lane).await?;
                *next = Some((n, Instant::now()));
                n
            }
        };
        let messages_waiting = last >= expected;
        let check_prices =
            last_price_check.is_none_or(|t| t.elapsed() >= self.config.prices.check_interval);
        if !messages_waiting && !check_prices {
            return Ok(());
        }
        let (leader, waited) = if messages_waiting {
            let mut round = lane.round.lock().map_err(|_| CommitError::Poisoned)?;
            let (attempt, waited) = round.attempt(expected, self.config.leader_timeout);
            (leader_for(lane.lane.key, expected, attempt, self.n), waited)
        } else {
            // Price-only rounds rotate with the clock, so a dead node delays prices, not messages.
            let slot = unix_secs() / PRICE_ROTATION_SECS;
            (
                leader_for(lane.lane.key, expected, slot, self.n),
                Duration::ZERO,
            )
        };
        if leader != self.index {
            return Ok(());
        }
        let pending = last.saturating_sub(expected) + 1;
        if messages_waiting && pending < self.config.batch_size && waited < self.config.batch_wait {
            return Ok(());
        }
        if self.cursed(lane).await? {
            // The CommitStore would refuse the report: send nothing until the curse is lifted.
            return Ok(());
        }
        let prices = if check_prices {
            *last_price_check = Some(Instant::now());
            self.due_prices(lane).await?
        } else {
            PriceUpdates::default()
        };
        let has_prices = !prices.gasPriceUpdates.is_empty() || !prices.tokenPriceUpdates.is_empty();
        if !messages_waiting && !has_prices {
            return Ok(());
        }
        let mut report = CommitReport {
            priceUpdates: prices,
            ..Default::default()
        };
        if messages_waiting {
            let max = last.min(expected + self.config.max_interval - 1);
            report.interval = Interval { min: expected, max };
            report.merkleRoot = self.root(lane.lane.key, expected, max)?;
            if self.behaviour.get() == Behaviour::SignGarbage {
                report.merkleRoot = garbage(report.merkleRoot);
            }
        }
        let proposal = Arc::new(Proposal {
            lane: lane.lane.key,
            leader: self.index,
            config_digest: lane.config_digest,
            epoch_and_round: self.latest_epoch(lane).await? + 1,
            report,
        });
        let signatures = self.collect(lane, proposal.clone(), peers).await?;
        self.transmit(lane, &proposal, &signatures).await?;
        if messages_waiting {
            *next = Some((proposal.report.interval.max + 1, Instant::now()));
        }
        Ok(())
    }

    /// Whether the destination ARM curses the lane's source chain (or everything). Logged once
    /// per change, not per poll.
    async fn cursed(&self, lane: &LaneState) -> Result<bool, CommitError> {
        let cursed = ARM::new(lane.lane.dest_arm, &lane.dest)
            .isCursed_0(chain_subject(lane.lane.key.source))
            .call()
            .await
            .map_err(|e| CommitError::call(&lane.lane, "ARM.isCursed", e))?;
        if lane.cursed.swap(cursed, Ordering::Relaxed) != cursed {
            match cursed {
                true => {
                    warn!(node = self.index, lane = %lane.lane.name(), "lane cursed: committing paused")
                }
                false => {
                    info!(node = self.index, lane = %lane.lane.name(), "curse lifted: committing resumed")
                }
            }
        }
        Ok(cursed)
    }

    /// The root over the stored messages `min..=max` of `lane`, or an error if any is missing.
    pub(crate) fn root(&self, lane: LaneKey, min: u64, max: u64) -> Result<B256, CommitError> {
        let messages = self.store.messages(lane, min, max)?;
        if messages.len() as u64 != max - min + 1 {
            return Err(CommitError::NotObserved {
                lane,
                have: messages.last().map_or(min.saturating_sub(1), |m| m.seq),
                need: max,
            });
        }
        let ids: Vec<B256> = messages.iter().map(|m| m.message_id).collect();
        Ok(MerkleTree::new(ids)?.root())
    }

    pub(crate) fn sign(&self, proposal: &Proposal) -> Result<ReportSignature, CommitError> {
        self.sign_digest(proposal.digest()?)
    }

    fn sign_digest(&self, digest: B256) -> Result<ReportSignature, CommitError> {
        let digest = if self.behaviour.get() == Behaviour::SignGarbage {
            garbage(digest)
        } else {
            digest
        };
        let sig = self.signer.sign_hash_sync(&digest)?;
        Ok(ReportSignature::new(self.signer.address(), &sig))
    }

    /// Asks every peer to sign and returns as soon as f+1 valid signatures (this node's included)
    /// are in hand. Invalid ones (a faulty peer) are dropped.
    async fn collect(
        &self,
        lane: &LaneState,
        proposal: Arc<Proposal>,
        peers: &Peers,
    ) -> Result<Vec<ReportSignature>, CommitError> {
        let digest = proposal.digest()?;
        let mut signatures = vec![self.sign_digest(digest)?];
        let mut asks = FuturesUnordered::new();
        for i in (0..peers.nodes()).filter(|&i| i != self.index) {
            let ask = peers.ask(i, proposal.clone());
            asks.push(async move { (i, ask.await) });
        }
        let deadline = tokio::time::sleep(self.config.signature_timeout);
        tokio::pin!(deadline);
        while signatures.len() <= self.f {
            tokio::select! {
                answer = asks.next() => match answer {
                    Some((i, Ok(sig))) => {
                        if self.valid(&sig, digest, i) {
                            signatures.push(sig);
                        } else {
                            warn!(node = self.index, peer = i, lane = %lane.lane.name(), "peer returned an invalid signature");
                        }
                    }
                    Some((i, Err(reason))) => {
                        debug!(node = self.index, peer = i, lane = %lane.lane.name(), %reason, "no signature from peer");
                    }
                    None => break,
                },
                _ = &mut deadline => break,
            }
        }
        if signatures.len() <= self.f {
            return Err(CommitError::TooFewSignatures {
                lane: lane.lane.name(),
                have: signatures.len(),
                need: self.f + 1,
            });
        }
        Ok(signatures)
    }

    fn valid(&self, sig: &ReportSignature, digest: B256, peer: usize) -> bool {
        self.signers
            .get(peer)
            .is_some_and(|&expected| sig.is_by(expected, &digest))
    }

    async fn transmit(
        &self,
        lane: &LaneState,
        proposal: &Proposal,
        signatures: &[ReportSignature],
    ) -> Result<(), CommitError> {
        let Some(sender) = self.transmitters.get(&lane.lane.key.dest) else {
            return Err(CommitError::NoTransmitter(lane.lane.key.dest));
        };
        let (rs, ss, raw_vs) = pack_signatures(signatures);
        let call = CommitStore::commitCall {
            reportContext: [
                proposal.config_digest,
                B256::from(U256::from(proposal.epoch_and_round)),
            ],
            report: proposal.report.encode().into(),
            rs,
            ss,
            rawVs: raw_vs,
        };
        let tx = TransactionRequest::default()
            .to(lane.lane.commit_store)
            .input(call.abi_encode().into());
        let receipt = sender.send("CommitStore.commit", tx).await?;
        let report = &proposal.report;
        let prices =
            report.priceUpdates.gasPriceUpdates.len() + report.priceUpdates.tokenPriceUpdates.len();
        CommitMetrics::add(&self.metrics.reports, 1);
        CommitMetrics::add(&self.metrics.price_updates, prices as u64);
        if !report.is_price_only() {
            let count = report.interval.max - report.interval.min + 1;
            CommitMetrics::add(&self.metrics.messages_committed, count);
            self.metrics
                .committed(&lane.lane.name(), report.interval.max);
        }
        info!(
            node = self.index,
            lane = %lane.lane.name(),
            min = report.interval.min,
            max = report.interval.max,
            root = %report.merkleRoot,
            prices,
            signatures = signatures.len(),
            block = receipt.block_number.unwrap_or_default(),
            "{}",
            if report.is_price_only() { "committed prices" } else { "committed" }
        );
        Ok(())
    }
}
