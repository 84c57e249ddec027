//! A message's progress, read from the chains only: OnRamp logs (sent), CommitStore
//! `ReportAccepted` (committed), ARM `isBlessed` (blessed), OffRamp `ExecutionStateChanged`
//! (executed or failed), ARM curses.

use std::{
    fmt,
    time::{Duration, Instant},
};

use alloy::{
    primitives::{Address, B256, Bytes},
    rpc::types::Filter,
    sol_types::SolEvent,
};
use ccip_bindings::{
    arm::{ARM, IARM},
    commit_store::CommitStore,
    decode_revert,
    off_ramp::OffRamp,
    on_ramp::OnRamp,
};

use crate::{
    client::{ChainEvent, Client, SentMessage},
    error::{ClientError, Result},
};

/// How often [`Client::wait_for`] polls.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// Where a message is, from sent to executed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MessageState {
    /// On the source chain only.
    Sent,
    /// A root covering it is committed on the destination.
    Committed,
    /// That root is blessed by the destination ARM.
    Blessed,
    /// Its last execution failed (manual execution can retry it).
    Failed,
    /// Executed successfully (final).
    Executed,
}

impl MessageState {
    /// Whether a message in this state has reached `target`: `Committed` and `Blessed` are reached
    /// by every later state; `Failed` and `Executed` only by themselves.
    pub fn reached(self, target: Self) -> bool {
        match target {
            Self::Failed | Self::Executed => self == target,
            _ => self >= target,
        }
    }
}

impl fmt::Display for MessageState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Sent => "sent",
            Self::Committed => "committed",
            Self::Blessed => "blessed",
            Self::Failed => "failed",
            Self::Executed => "executed",
        })
    }
}

/// The committed root covering a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The merkle root.
    pub root: B256,
    /// First sequence number of the interval.
    pub min: u64,
    /// Last sequence number of the interval.
    pub max: u64,
    /// The CommitStore.
    pub commit_store: Address,
    /// The commit transaction.
    pub event: ChainEvent,
}

/// `Internal.MessageExecutionState` as the OffRamp reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExecutionState {
    /// Never attempted.
    Untouched,
    /// Being executed (seen only re-entrantly).
    InProgress,
    /// Delivered.
    Success,
    /// The receiver or a pool reverted.
    Failure,
}

impl ExecutionState {
    /// From the contract's `uint8`.
    pub fn from_u8(state: u8) -> Self {
        match state {
            1 => Self::InProgress,
            2 => Self::Success,
            3 => Self::Failure,
            _ => Self::Untouched,
        }
    }
}

/// One `ExecutionStateChanged` of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    /// New state.
    pub state: ExecutionState,
    /// The revert data of a failure.
    pub return_data: Bytes,
    /// `return_data` decoded ([`crate::decode_revert`]), for failures.
    pub reason: Option<String>,
    /// The execution transaction.
    pub event: ChainEvent,
}

/// Everything the chains say about a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageStatus {
    /// The message id.
    pub message_id: B256,
    /// Source chain name.
    pub source: String,
    /// Destination chain name.
    pub dest: String,
    /// The message as sent, with its lane.
    pub sent: SentMessage,
    /// The root covering it, once committed.
    pub committed: Option<Commit>,
    /// Whether that root is blessed.
    pub blessed: bool,
    /// Every execution attempt, in order.
    pub executions: Vec<Execution>,
    /// Why the lane is cursed, if it is.
    pub cursed: Option<String>,
}

impl MessageStatus {
    /// The current state.
    pub fn state(&self) -> MessageState {
        match self.executions.last().map(|e| e.state) {
            Some(ExecutionState::Success) => MessageState::Executed,
            Some(ExecutionState::Failure) => MessageState::Failed,
            _ if self.committed.is_some() && self.blessed => MessageState::Blessed,
            _ if self.committed.is_some() => MessageState::Committed,
            _ => MessageState::Sent,
        }
    }

    /// The sequence number on the lane.
    pub fn sequence_number(&self) -> u64 {
        self.sent.message.sequenceNumber
    }

    /// The last execution attempt.
    pub fn last_execution(&self) -> Option<&Execution> {
        self.executions.last()
    }

    /// The decoded reason of the last failed execution, if the message is failed.
    pub fn failure_reason(&self) -> Option<&str> {
        match self.last_execution() {
            Some(e) if e.state == ExecutionState::Failure => e.reason.as_deref(),
            _ => None,
        }
    }

    /// Whether the lane is cursed.
    pub fn is_cursed(&self) -> bool {
        self.cursed.is_some()
    }
}

impl fmt::Display for MessageStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.sent.message;
        writeln!(f, "message {}", self.message_id)?;
        writeln!(
            f,
            "  lane {} -> {}  seq {}  nonce {}  sender {}  receiver {}",
            self.source, self.dest, m.sequenceNumber, m.nonce, m.sender, m.receiver
        )?;
        writeln!(f, "  state: {}", self.state())?;
        let sent = self.sent.event;
        writeln!(
            f,
            "  sent       {}  block {}  tx {}",
            utc(sent.timestamp),
            sent.block_number,
            sent.tx_hash
        )?;
        match &self.committed {
            Some(c) => writeln!(
                f,
                "  committed  {}  root {} (seq {}..={})  tx {}",
                utc(c.event.timestamp),
                c.root,
                c.min,
                c.max,
                c.event.tx_hash
            )?,
            None => writeln!(f, "  committed  not yet")?,
        }
        writeln!(
            f,
            "  blessed    {}",
            if self.blessed { "yes" } else { "not yet" }
        )?;
        if self.executions.is_empty() {
            writeln!(f, "  executed   not yet")?;
        }
        for e in &self.executions {
            match e.state {
                ExecutionState::Success => writeln!(
                    f,
                    "  executed   {}  tx {}",
                    utc(e.event.timestamp),
                    e.event.tx_hash
                )?,
                _ => writeln!(
                    f,
                    "  failed     {}  tx {}  reason: {}",
                    utc(e.event.timestamp),
                    e.event.tx_hash,
                    e.reason.as_deref().unwrap_or("-")
                )?,
            }
        }
        if let Some(curse) = &self.cursed {
            writeln!(f, "  CURSED: {curse}")?;
        }
        Ok(())
    }
}

/// `YYYY-MM-DD HH:MM:SS UTC` of a unix time.
pub fn utc(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

impl Client {
    /// Finds message `message_id` on the OnRamps of every chain.
    pub async fn find_message(&self, message_id: B256) -> Result<SentMessage> {
        for (index, chain) in self.network().chains.iter().enumerate() {
            let on_ramps: Vec<Address> = chain.lanes.iter().map(|l| l.on_ramp).collect();
            let logs = self
                .logs(
                    index,
                    "OnRamp CCIPSendRequested logs",
                    Filter::new()
                        .address(on_ramps)
                        .event_signature(OnRamp::CCIPSendRequested::SIGNATURE_HASH),
                )
                .await?;
            for log in logs {
                let Ok(decoded) = log.log_decode::<OnRamp::CCIPSendRequested>() else {
                    continue;
                };
                if decoded.inner.data.message.messageId != message_id {
                    continue;
                }
                let Some(out) = chain.lanes.iter().find(|l| l.on_ramp == log.address()) else {
                    continue;
                };
                let dest = self.chain_index(&out.remote_chain_selector.into())?;
                let lane = self.lane_by_index(index, dest)?;
                return self.sent_from_log(lane, &log).await;
            }
        }
        Err(ClientError::MessageNotFound(message_id))
    }

    /// The committed root of `lane` covering sequence number `seq`, if any. Only a canonical root
    /// counts: one the CommitStore still holds (an owner's `resetUnblessedRoots` removes roots) and
    /// that the source chain's current messages hash to (after a reorganisation past finality an
    /// old root can cover the sequence number of a different, new message).
    pub async fn find_commit(&self, lane: &crate::LaneRef, seq: u64) -> Result<Option<Commit>> {
        let logs = self
            .logs(
                lane.dest,
                "CommitStore ReportAccepted logs",
                Filter::new()
                    .address(lane.commit_store)
                    .event_signature(CommitStore::ReportAccepted::SIGNATURE_HASH),
            )
            .await?;
        for log in logs.iter().rev() {
            let decoded = log.log_decode::<CommitStore::ReportAccepted>()?;
            let r = &decoded.inner.data;
            if !(r.minSeqNr..=r.maxSeqNr).contains(&seq) {
                continue;
            }
            if !self
                .is_canonical_root(lane, r.merkleRoot, r.minSeqNr, r.maxSeqNr)
                .await?
            {
                continue;
            }
            return Ok(Some(Commit {
                root: r.merkleRoot,
                min: r.minSeqNr,
                max: r.maxSeqNr,
                commit_store: lane.commit_store,
                event: self.event_of(lane.dest, log).await?,
            }));
        }
        Ok(None)
    }

    /// Whether `root` over `min..=max` is still committed on the lane's CommitStore and is the
    /// root of the messages the source OnRamp holds for those sequence numbers now.
    async fn is_canonical_root(
        &self,
        lane: &crate::LaneRef,
        root: B256,
        min: u64,
        max: u64,
    ) -> Result<bool> {
        let committed_at = CommitStore::new(lane.commit_store, self.reader_at(lane.dest))
            .getMerkleRoot(root)
            .call()
            .await
            .map_err(|e| self.call_error(lane.dest, "CommitStore.getMerkleRoot", e))?;
        if committed_at.is_zero() {
            return Ok(false);
        }
        let mut ids = std::collections::BTreeMap::new();
        for log in self.send_logs(lane).await? {
            let decoded = log.log_decode::<OnRamp::CCIPSendRequested>()?;
            let message = &decoded.inner.data.message;
            if (min..=max).contains(&message.sequenceNumber) {
                ids.insert(message.sequenceNumber, message.messageId);
            }
        }
        if ids.len() as u64 != max - min + 1 {
            return Ok(false);
        }
        let Ok(tree) = ccip_protocol::MerkleTree::new(ids.into_values().collect::<Vec<_>>()) else {
            return Ok(false);
        };
        Ok(tree.root() == root)
    }

    /// Whether the destination ARM blessed `root` of `commit_store` on chain `dest`.
    pub(crate) async fn is_blessed(
        &self,
        dest: usize,
        commit_store: Address,
        root: B256,
    ) -> Result<bool> {
        ARM::new(self.chain_at(dest).contracts.arm, self.reader_at(dest))
            .isBlessed(IARM::TaggedRoot {
                commitStore: commit_store,
                root,
            })
            .call()
            .await
            .map_err(|e| self.call_error(dest, "ARM.isBlessed", e))
    }

    /// Every `ExecutionStateChanged` of `message_id` on `off_ramp` of chain `dest`.
    pub(crate) async fn executions(
        &self,
        dest: usize,
        off_ramp: Address,
        message_id: B256,
    ) -> Result<Vec<Execution>> {
        let logs = self
            .logs(
                dest,
                "OffRamp ExecutionStateChanged logs",
                Filter::new()
                    .address(off_ramp)
                    .event_signature(OffRamp::ExecutionStateChanged::SIGNATURE_HASH)
                    .topic2(message_id),
            )
            .await?;
        let mut out = Vec::with_capacity(logs.len());
        for log in logs {
            let decoded = log.log_decode::<OffRamp::ExecutionStateChanged>()?;
            let data = &decoded.inner.data;
            let state = ExecutionState::from_u8(data.state);
            out.push(Execution {
                state,
                reason: (state == ExecutionState::Failure).then(|| decode_revert(&data.returnData)),
                return_data: data.returnData.clone(),
                event: self.event_of(dest, &log).await?,
            });
        }
        Ok(out)
    }

    /// The status of message `message_id`, read from the chains.
    pub async fn status(&self, message_id: B256) -> Result<MessageStatus> {
        let sent = self.find_message(message_id).await?;
        let lane = sent.lane;
        let committed = self.find_commit(&lane, sent.message.sequenceNumber).await?;
        let blessed = match &committed {
            Some(c) => {
                self.is_blessed(lane.dest, lane.commit_store, c.root)
                    .await?
            }
            None => false,
        };
        let executions = self
            .executions(lane.dest, lane.off_ramp, message_id)
            .await?;
        let cursed = self.lane_curse(&lane).await?;
        Ok(MessageStatus {
            message_id,
            source: self.chain_at(lane.source).name.clone(),
            dest: self.chain_at(lane.dest).name.clone(),
            sent,
            committed,
            blessed,
            executions,
            cursed,
        })
    }

    /// Polls [`Client::status`] until `done` holds (a message not found yet counts as not done),
    /// for at most `timeout`.
    pub async fn wait_for(
        &self,
        message_id: B256,
        timeout: Duration,
        waiting_for: &str,
        done: impl Fn(&MessageStatus) -> bool,
    ) -> Result<MessageStatus> {
        let started = Instant::now();
        loop {
            let last = match self.status(message_id).await {
                Ok(status) if done(&status) => return Ok(status),
                Ok(status) => format!("{}", status.state()),
                Err(ClientError::MessageNotFound(_)) => "not found".to_owned(),
                Err(e) => return Err(e),
            };
            if started.elapsed() >= timeout {
                return Err(ClientError::Timeout {
                    message_id,
                    seconds: started.elapsed().as_secs_f64(),
                    waiting_for: waiting_for.to_owned(),
                    last,
                });
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// Polls until the message has reached `target` ([`MessageState::reached`]).
    pub async fn wait_for_state(
        &self,
        message_id: B256,
        target: MessageState,
        timeout: Duration,
    ) -> Result<MessageStatus> {
        self.wait_for(message_id, timeout, &target.to_string(), |s| {
            s.state().reached(target)
        })
        .await
    }

    /// Polls until the message is executed or failed, and returns its status either way.
    pub async fn wait_for_outcome(
        &self,
        message_id: B256,
        timeout: Duration,
    ) -> Result<MessageStatus> {
        self.wait_for(message_id, timeout, "executed or failed", |s| {
            matches!(s.state(), MessageState::Executed | MessageState::Failed)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_order_and_times_format() {
        use MessageState::*;
        assert!(Blessed.reached(Committed));
        assert!(Executed.reached(Committed));
        assert!(Failed.reached(Blessed));
        assert!(!Failed.reached(Executed));
        assert!(!Executed.reached(Failed));
        assert!(!Sent.reached(Committed));
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
    }
}
