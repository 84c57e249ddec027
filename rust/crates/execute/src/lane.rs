//! One node's work on one lane.

use std::{
    collections::{BTreeSet, HashMap, VecDeque},
    sync::Arc,
    time::Duration,
};

use alloy::{
    network::TransactionBuilder,
    primitives::B256,
    providers::DynProvider,
    rpc::types::{TransactionReceipt, TransactionRequest},
    sol_types::{SolCall, SolEvent},
};
use ccip_bindings::{abi_convert, arm::ARM, commit_store::CommitStore, off_ramp::OffRamp};
use ccip_chain::{
    ChainError, CommitIndexer, IndexedMessage, Lane, MessageIndexer, StreamConfig, TxSender,
};
use ccip_protocol::{EVM2EVMMessage, MerkleError, MerkleTree, chain_subject};
use ccip_store::{Store, StoredCommit, StoredFailure};
use tokio::{sync::watch, time::Instant};
use tracing::{debug, error, info, warn};

use crate::{
    ExecConfig, ExecError, ExecMetrics, Result,
    batch::{build_report, message_gas, pack},
};

/// `Internal.MessageExecutionState` values.
const UNTOUCHED: u8 = 0;
const SUCCESS: u8 = 2;
const FAILURE: u8 = 3;

/// The store key of a lane's watermark: every message below it is known executed (or failed).
fn watermark_key(lane: &Lane) -> String {
    format!("exec/watermark/{}", lane.key)
}

/// What serving one committed root came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Served {
    /// Every message of the root is executed or failed.
    Finished,
    /// Nothing to do yet (not blessed, not our turn, source not indexed, backing off).
    Waiting,
    /// Transactions were sent.
    Progressed,
}

/// Retry pacing of one root.
#[derive(Debug, Clone, Copy)]
struct Backoff {
    until: Instant,
    delay: Duration,
}

/// Everything one node needs to serve one lane.
#[derive(Debug)]
pub(crate) struct LaneWorker {
    node: usize,
    nodes: usize,
    lane: Lane,
    name: String,
    store: Arc<Store>,
    messages: MessageIndexer,
    commits: CommitIndexer,
    dest: DynProvider,
    sender: TxSender,
    config: ExecConfig,
    metrics: Arc<ExecMetrics>,
    /// Every sequence number below is executed or failed.
    watermark: u64,
    /// Sequence numbers at or above the watermark known executed or failed.
    done: BTreeSet<u64>,
    /// Roots seen blessed, and when.
    blessed: HashMap<B256, Instant>,
    backoff: HashMap<B256, Backoff>,
    cursed: bool,
}

/// How a [`LaneWorker`] is wired.
#[derive(Debug)]
pub(crate) struct LaneWiring {
    pub(crate) node: usize,
    pub(crate) nodes: usize,
    pub(crate) lane: Lane,
    pub(crate) store: Arc<Store>,
    pub(crate) source: DynProvider,
    pub(crate) dest: DynProvider,
    pub(crate) sender: TxSender,
    pub(crate) config: ExecConfig,
    pub(crate) metrics: Arc<ExecMetrics>,
}

impl LaneWorker {
    pub(crate) fn new(w: LaneWiring) -> Result<Self> {
        let watermark = w
            .store
            .get(&watermark_key(&w.lane))?
            .and_then(|v| <[u8; 8]>::try_from(v.as_slice()).ok())
            .map_or(1, u64::from_be_bytes);
        if watermark > 1 {
            w.metrics.seen_executed(w.lane.key, watermark - 1);
        }
        Ok(Self {
            node: w.node,
            nodes: w.nodes.max(1),
            name: w.lane.name(),
            messages: MessageIndexer::new(&w.lane, w.source, w.config.stream),
            // `--confirmations` is about the source chain: a commit on the destination counts
            // once mined (the risk network blesses it from the mined block too).
            commits: CommitIndexer::new(
                &w.lane,
                w.dest.clone(),
                StreamConfig {
                    confirmations: 0,
                    ..w.config.stream
                },
            ),
            lane: w.lane,
            store: w.store,
            dest: w.dest,
            sender: w.sender,
            config: w.config,
            metrics: w.metrics,
            watermark,
            done: BTreeSet::new(),
            blessed: HashMap::new(),
            backoff: HashMap::new(),
            cursed: false,
        })
    }

    fn rpc(&self, method: &'static str) -> impl Fn(alloy::contract::Error) -> ExecError + '_ {
        move |e| {
            ExecError::Chain(ChainError::Rpc {
                url: self.lane.dest_rpc.clone(),
                method,
                reason: e.to_string(),
            })
        }
    }

    /// Serves the lane until `shutdown` turns true (or its sender is dropped). Only a failing
    /// database ends it early; chain errors are counted, logged and retried.
    pub(crate) async fn run(mut self, mut shutdown: watch::Receiver<bool>) -> Result<()> {
        info!(node = self.node, lane = %self.name, watermark = self.watermark, "exec lane started");
        let mut error_delay = Duration::ZERO;
        let mut failing = false;
        loop {
            if *shutdown.borrow() {
                break;
            }
            // Shutdown does not wait for a step: what it wrote is committed, what it sent the
            // OffRamp accepts once (the next start finds it executed or executes it).
            let outcome = tokio::select! {
                outcome = self.step() => outcome,
                _ = shutdown.changed() => break,
            };
            let wait = match outcome {
                Ok(progressed) => {
                    error_delay = Duration::ZERO;
                    if std::mem::take(&mut failing) {
                        info!(node = self.node, lane = %self.name, "exec polls succeed again");
                    }
                    // After sending, look again at once: the receipt may have shown more to do.
                    if progressed {
                        Duration::ZERO
                    } else {
                        self.config.poll_interval
                    }
                }
                Err(ExecError::Store(e) | ExecError::Chain(ChainError::Store(e))) => {
                    error!(node = self.node, lane = %self.name, error = %e, "database failed, lane stops");
                    return Err(ExecError::Store(e));
                }
                Err(e) => {
                    self.metrics.rpc_error();
                    // A chain that is down is asked again less and less often.
                    error_delay = (error_delay * 2)
                        .clamp(self.config.backoff_min, self.config.backoff_max)
                        .max(self.config.poll_interval);
                    // The first failure of a run is a warning, the rest debug lines until a
                    // poll succeeds (a dead RPC would otherwise flood the log).
                    if std::mem::replace(&mut failing, true) {
                        debug!(node = self.node, lane = %self.name, error = %e, retry_ms = error_delay.as_millis() as u64, "exec poll failed");
                    } else {
                        warn!(node = self.node, lane = %self.name, error = %e, retry_ms = error_delay.as_millis() as u64, "exec poll failed; retrying with backoff");
                    }
                    error_delay
                }
            };
            tokio::select! {
                changed = shutdown.changed() => if changed.is_err() { break },
                () = tokio::time::sleep(wait) => {}
            }
        }
        info!(node = self.node, lane = %self.name, "exec lane stopped");
        Ok(())
    }

    /// One look at the lane: index, then serve every committed root not yet finished.
    async fn step(&mut self) -> Result<bool> {
        let (m, c) = tokio::join!(
            self.messages.poll(&self.store),
            self.commits.poll(&self.store)
        );
        if matches!(&c, Ok(outcome) if outcome.reorged) {
            self.forget_what_the_destination_said()?;
        }
        // A source that cannot be read does not stop what is already indexed from executing.
        let mut first_error: Option<ExecError> = m.err().or(c.err()).map(Into::into);
        if let Some(last) = self.store.last_seq(self.lane.key)? {
            self.metrics.seen_sent(self.lane.key, last);
        }
        let commits = self.store.commits_from(self.lane.key, self.watermark)?;
        if commits.is_empty() {
            return first_error.map_or(Ok(false), Err);
        }

        // The OffRamp refuses a cursed source (and a global curse reads as every subject cursed):
        // nothing is sent, not even to learn that.
        let cursed = ARM::new(self.lane.dest_arm, &self.dest)
            .isCursed_0(chain_subject(self.lane.key.source))
            .call()
            .await
            .map_err(self.rpc("ARM.isCursed"))?;
        if cursed != self.cursed {
            self.cursed = cursed;
            if cursed {
                warn!(node = self.node, lane = %self.name, "lane cursed: execution paused");
            } else {
                info!(node = self.node, lane = %self.name, "lane no longer cursed: execution resumes");
            }
        }
        if cursed {
            return first_error.map_or(Ok(false), Err);
        }

        let mut progressed = false;
        for commit in &commits {
            match self.serve(commit).await {
                Ok(Served::Progressed) => progressed = true,
                Ok(_) => {}
                Err(e @ (ExecError::Store(_) | ExecError::Chain(ChainError::Store(_)))) => {
                    return Err(e);
                }
                Err(e) => {
                    // One root's trouble must not hold up the others.
                    first_error.get_or_insert(e);
                }
            }
        }
        self.advance_watermark(&commits)?;
        match first_error {
            Some(e) => Err(e),
            None => Ok(progressed),
        }
    }

    /// The destination reorganised or rolled back (a chain restarted from an older state):
    /// executions and blessings this node saw may be gone. Everything is asked of the chain again
    /// (the OffRamp's execution states, the CommitStore's blessings), from the first message on.
    fn forget_what_the_destination_said(&mut self) -> Result<()> {
        warn!(node = self.node, lane = %self.name, watermark = self.watermark, "destination reorganised; re-checking every root on chain");
        self.watermark = 1;
        self.done.clear();
        self.blessed.clear();
        self.backoff.clear();
        self.store
            .put(&watermark_key(&self.lane), &1u64.to_be_bytes())?;
        Ok(())
    }

    fn is_done(&self, seq: u64) -> bool {
        seq < self.watermark || self.done.contains(&seq)
    }

    fn finished(&self, commit: &StoredCommit) -> bool {
        (commit.min..=commit.max).all(|s| self.is_done(s))
    }

    /// Moves the watermark to the start of the first unfinished root and stores it.
    fn advance_watermark(&mut self, commits: &[StoredCommit]) -> Result<()> {
        let mut watermark = self.watermark;
        for c in commits {
            if c.max < watermark {
                continue;
            }
            if !self.finished(c) {
                break;
            }
            watermark = c.max + 1;
        }
        if watermark > self.watermark {
            self.store
                .put(&watermark_key(&self.lane), &watermark.to_be_bytes())?;
            self.watermark = watermark;
            self.done = self.done.split_off(&watermark);
            self.blessed.retain(|root, _| {
                commits
                    .iter()
                    .any(|c| c.root == *root && c.max >= watermark)
            });
            self.backoff
                .retain(|root, _| self.blessed.contains_key(root));
            debug!(node = self.node, lane = %self.name, watermark, "watermark moved");
        }
        Ok(())
    }

    fn leads(&self, root: B256) -> bool {
        usize::from(root[0]) % self.nodes == self.node
    }

    fn back_off(&mut self, root: B256) {
        let delay = self
            .backoff
            .get(&root)
            .map_or(self.config.backoff_min, |b| {
                (b.delay * 2).min(self.config.backoff_max)
            });
        self.backoff.insert(
            root,
            Backoff {
                until: Instant::now() + delay,
                delay,
            },
        );
    }

    fn mark_done(&mut self, seq: u64) {
        if seq >= self.watermark {
            self.done.insert(seq);
        }
        self.metrics.seen_executed(self.lane.key, seq);
    }

    /// Executes what is left of one committed root, if it is blessed and it is this node's turn.
    async fn serve(&mut self, commit: &StoredCommit) -> Result<Served> {
        if self.finished(commit) {
            return Ok(Served::Finished);
        }
        let root = commit.root;
        if self
            .backoff
            .get(&root)
            .is_some_and(|b| Instant::now() < b.until)
        {
            return Ok(Served::Waiting);
        }
        let seen = match self.blessed.get(&root) {
            Some(&at) => at,
            None => {
                let blessed = CommitStore::new(self.lane.commit_store, &self.dest)
                    .isBlessed(root)
                    .call()
                    .await
                    .map_err(self.rpc("CommitStore.isBlessed"))?;
                if !blessed {
                    return Ok(Served::Waiting);
                }
                let now = Instant::now();
                self.blessed.insert(root, now);
                now
            }
        };
        // Two nodes sending the same batch would waste the second transaction: the root's leader
        // goes at once, the others only if it stays unexecuted for the grace period.
        if !self.leads(root) && seen.elapsed() < self.config.leader_grace {
            return Ok(Served::Waiting);
        }

        let stored = self.store.messages(self.lane.key, commit.min, commit.max)?;
        let expected = commit.max - commit.min + 1;
        if stored.len() as u64 != expected {
            // The source is not indexed that far yet.
            return Ok(Served::Waiting);
        }
        let messages = stored
            .iter()
            .map(|s| {
                IndexedMessage::decode(s).map_err(|e| {
                    ExecError::Chain(ChainError::BadLog {
                        lane: self.lane.key,
                        event: "CCIPSendRequested (stored)",
                        reason: e.to_string(),
                    })
                })
            })
            .collect::<Result<Vec<_>>>()?;

        let pending = self.untouched(&messages).await?;
        if pending.is_empty() {
            return Ok(Served::Finished);
        }
        let tree = MerkleTree::new(messages.iter().map(|m| m.messageId).collect::<Vec<_>>())
            .map_err(|e| self.bad_root(commit, e))?;
        if tree.root() != root {
            // What this node indexed does not hash to the committed root: never prove it.
            return Err(self.bad_root(commit, MerkleError::InvalidProof));
        }

        let gas: Vec<u64> = pending
            .iter()
            .map(|&i| message_gas(&messages[i], self.config.per_message_gas))
            .collect();
        let mut batches: VecDeque<Vec<usize>> =
            pack(&gas, self.config.gas_budget, self.config.max_batch)
                .into_iter()
                .map(|r| pending[r].to_vec())
                .collect();
        let (mut sent, mut retry) = (false, false);
        while let Some(batch) = batches.pop_front() {
            let report = match build_report(&tree, &messages, &batch) {
                Ok(r) => r,
                Err(MerkleError::TooManyHashes(_)) if batch.len() > 1 => {
                    let (a, b) = batch.split_at(batch.len() / 2);
                    batches.push_front(b.to_vec());
                    batches.push_front(a.to_vec());
                    continue;
                }
                Err(e) => return Err(self.bad_root(commit, e)),
            };
            match self.send(root, &messages, &batch, report).await? {
                Sent::AllResolved => sent = true,
                // Messages skipped for nonce order wait for an earlier root: later.
                Sent::Partly => (sent, retry) = (true, true),
                // One bad message must not hold up the others: halve until it is alone.
                Sent::Reverted if batch.len() > 1 => {
                    let (a, b) = batch.split_at(batch.len() / 2);
                    batches.push_front(b.to_vec());
                    batches.push_front(a.to_vec());
                }
                Sent::Reverted => retry = true,
                Sent::Unreachable => {
                    retry = true;
                    break;
                }
                Sent::Paused => break,
            }
        }
        if retry {
            self.back_off(root);
        } else if sent {
            self.backoff.remove(&root);
        }
        if sent {
            Ok(Served::Progressed)
        } else {
            Ok(Served::Waiting)
        }
    }

    fn bad_root(&self, commit: &StoredCommit, e: MerkleError) -> ExecError {
        ExecError::Chain(ChainError::BadLog {
            lane: self.lane.key,
            event: "ReportAccepted",
            reason: format!(
                "root {} of {}..={} does not match the indexed messages: {e}",
                commit.root, commit.min, commit.max
            ),
        })
    }

    /// Indices (into `messages`) of the messages still UNTOUCHED on chain; the others are marked
    /// done.
    async fn untouched(&mut self, messages: &[EVM2EVMMessage]) -> Result<Vec<usize>> {
        let off_ramp = OffRamp::new(self.lane.off_ramp, &self.dest);
        let unknown: Vec<usize> = (0..messages.len())
            .filter(|&i| !self.is_done(messages[i].sequenceNumber))
            .collect();
        let states = futures::future::join_all(unknown.iter().map(|&i| {
            let call = off_ramp.getExecutionState(messages[i].sequenceNumber);
            async move { call.call().await }
        }))
        .await;
        let mut pending = Vec::new();
        for (&i, state) in unknown.iter().zip(states) {
            let state = state.map_err(self.rpc("OffRamp.getExecutionState"))?;
            if state == UNTOUCHED {
                pending.push(i);
            } else {
                self.mark_done(messages[i].sequenceNumber);
            }
        }
        Ok(pending)
    }

    /// Sends one execute transaction and accounts for what its receipt says.
    async fn send(
        &mut self,
        root: B256,
        messages: &[EVM2EVMMessage],
        batch: &[usize],
        report: ccip_protocol::ExecutionReport,
    ) -> Result<Sent> {
        let report = abi_convert(&report).map_err(|e| {
            ExecError::Chain(ChainError::BadLog {
                lane: self.lane.key,
                event: "ExecutionReport",
                reason: e.to_string(),
            })
        })?;
        let tx = TransactionRequest::default()
            .with_to(self.lane.off_ramp)
            .with_input(OffRamp::executeCall { report }.abi_encode());
        let seqs: Vec<u64> = batch.iter().map(|&i| messages[i].sequenceNumber).collect();
        let started = Instant::now();
        let receipt = match self.sender.send("OffRamp.execute", tx).await {
            Ok(r) => r,
            // The OffRamp checks the ARM itself, and again through CommitStore.verify.
            Err(e @ ChainError::Reverted { .. })
                if e.reverted_with::<OffRamp::CursedByARM>()
                    || e.reverted_with::<CommitStore::CursedByARM>() =>
            {
                info!(node = self.node, lane = %self.name, %root, "lane cursed before execute: paused");
                return Ok(Sent::Paused);
            }
            Err(e @ ChainError::Reverted { .. })
                if e.reverted_with::<OffRamp::RootNotCommitted>() =>
            {
                // Not (or no longer) committed and blessed: look at the blessing again.
                warn!(node = self.node, lane = %self.name, %root, "root not blessed after all");
                self.blessed.remove(&root);
                return Ok(Sent::Paused);
            }
            Err(ChainError::Reverted { reason, .. }) => {
                self.metrics.tx_error();
                for &i in batch {
                    warn!(node = self.node, lane = %self.name, message_id = %messages[i].messageId,
                        seq = messages[i].sequenceNumber, %reason, "execute refused; will retry");
                }
                return Ok(Sent::Reverted);
            }
            Err(e @ ChainError::Store(_)) => return Err(e.into()),
            Err(e) => {
                self.metrics.rpc_error();
                warn!(node = self.node, lane = %self.name, %root, ?seqs, error = %e, "execute transaction failed; will retry");
                return Ok(Sent::Unreachable);
            }
        };
        self.metrics.transaction();
        let resolved = self.account(&receipt)?;
        debug!(node = self.node, lane = %self.name, %root, ?seqs, ms = started.elapsed().as_millis() as u64,
            tx = %receipt.transaction_hash, "execute mined");
        if seqs.iter().all(|s| resolved.contains(s)) {
            Ok(Sent::AllResolved)
        } else {
            Ok(Sent::Partly)
        }
    }

    /// Reads the OffRamp's events from an execute receipt: counts, logs and records outcomes.
    /// Returns the sequence numbers now final.
    fn account(&mut self, receipt: &TransactionReceipt) -> Result<BTreeSet<u64>> {
        let mut resolved = BTreeSet::new();
        let off_ramp = self.lane.off_ramp;
        for log in receipt.inner.logs() {
            if log.address() != off_ramp {
                continue;
            }
            let Some(&topic0) = log.topics().first() else {
                continue;
            };
            if topic0 == OffRamp::ExecutionStateChanged::SIGNATURE_HASH {
                let Ok(e) = OffRamp::ExecutionStateChanged::decode_log_data(log.data()) else {
                    continue;
                };
                let seq = e.sequenceNumber;
                match e.state {
                    SUCCESS => {
                        info!(node = self.node, lane = %self.name, message_id = %e.messageId, seq, "message executed");
                        self.metrics.executed(self.lane.key, seq);
                    }
                    FAILURE => {
                        let reason = ccip_bindings::decode_revert(&e.returnData);
                        error!(node = self.node, lane = %self.name, message_id = %e.messageId, seq, %reason,
                            "message execution failed; left for manual execution");
                        self.store.record_failure(&StoredFailure {
                            lane: self.lane.key,
                            seq,
                            message_id: e.messageId,
                            reason,
                        })?;
                        self.metrics.failed(self.lane.key, seq);
                    }
                    other => {
                        warn!(node = self.node, lane = %self.name, message_id = %e.messageId, seq, state = other,
                            "unexpected execution state");
                        continue;
                    }
                }
                self.mark_done(seq);
                resolved.insert(seq);
            } else if topic0 == OffRamp::SkippedAlreadyExecutedMessage::SIGNATURE_HASH
                || topic0 == OffRamp::AlreadyAttempted::SIGNATURE_HASH
            {
                // Someone else got there first; final either way.
                let Some(seq) = log
                    .topics()
                    .get(1)
                    .map(|t| u64::try_from(alloy::primitives::U256::from_be_bytes(t.0)))
                else {
                    continue;
                };
                if let Ok(seq) = seq {
                    self.mark_done(seq);
                    resolved.insert(seq);
                }
            } else if topic0 == OffRamp::SkippedOutOfOrderNonce::SIGNATURE_HASH {
                debug!(node = self.node, lane = %self.name, "message skipped for nonce order; retried later");
            }
        }
        Ok(resolved)
    }
}

/// What one execute transaction came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sent {
    /// Every message of the batch is final.
    AllResolved,
    /// Mined, but some messages stayed UNTOUCHED (nonce order).
    Partly,
    /// Refused (gas estimation reverted) or reverted on chain: retried with backoff.
    Reverted,
    /// No answer or no receipt: retried with backoff.
    Unreachable,
    /// Not sent because the lane or root is not executable right now; no backoff.
    Paused,
}
