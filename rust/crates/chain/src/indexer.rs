use alloy::{
    primitives::B256,
    providers::DynProvider,
    rpc::types::Log,
    sol_types::{SolEvent, SolValue},
};
use ccip_bindings::{abi_convert, commit_store::CommitStore, on_ramp::OnRamp};
use ccip_protocol::{EVM2EVMMessage, leaf_hash};
use ccip_store::{LaneKey, Store, StoredCommit, StoredMessage};
use tracing::{debug, warn};

use crate::{ChainError, Lane, LogPage, LogStream, Result, StreamConfig};

/// What a poll of an indexer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PollOutcome {
    /// Items newly stored.
    pub new: usize,
    /// Items dropped because the chain reorganised past the confirmation depth.
    pub dropped: usize,
    /// The chain reorganised (or rolled back) past the confirmation depth in this poll.
    pub reorged: bool,
    /// The block the stream now stands at.
    pub block: u64,
}

/// A message read from the source chain, decoded and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedMessage {
    /// The message.
    pub message: EVM2EVMMessage,
    /// Source block.
    pub block_number: u64,
}

impl IndexedMessage {
    /// Decodes a stored message.
    pub fn decode(stored: &StoredMessage) -> Result<EVM2EVMMessage, alloy::sol_types::Error> {
        EVM2EVMMessage::abi_decode(&stored.encoded)
    }
}

/// Indexes one lane's `CCIPSendRequested` events into a node's store: in order, without gaps,
/// each message's id checked against its recomputed leaf hash.
#[derive(Debug, Clone)]
pub struct MessageIndexer {
    lane: LaneKey,
    metadata_hash: B256,
    stream: LogStream,
}

impl MessageIndexer {
    /// An indexer of `lane`'s source OnRamp over `provider`.
    pub fn new(lane: &Lane, provider: DynProvider, config: StreamConfig) -> Self {
        Self {
            lane: lane.key,
            metadata_hash: lane.metadata_hash,
            stream: LogStream::new(
                provider,
                lane.source_rpc.clone(),
                lane.on_ramp,
                OnRamp::CCIPSendRequested::SIGNATURE_HASH,
                config,
                format!("messages/{}", lane.key),
            ),
        }
    }

    fn decode(&self, log: &Log) -> Result<StoredMessage> {
        let bad = |reason: String| ChainError::BadLog {
            lane: self.lane,
            event: "CCIPSendRequested",
            reason,
        };
        let event = OnRamp::CCIPSendRequested::decode_log_data(log.data())
            .map_err(|e| bad(e.to_string()))?;
        let message: EVM2EVMMessage =
            abi_convert(&event.message).map_err(|e| bad(e.to_string()))?;
        let computed = leaf_hash(&message, self.metadata_hash);
        if computed != message.messageId {
            return Err(ChainError::MessageIdMismatch {
                lane: self.lane,
                seq: message.sequenceNumber,
                emitted: message.messageId,
                computed,
            });
        }
        Ok(StoredMessage {
            seq: message.sequenceNumber,
            message_id: message.messageId,
            block_number: log.block_number.unwrap_or_default(),
            encoded: message.abi_encode(),
        })
    }

    /// Reads the next page of the source chain into `store`.
    pub async fn poll(&self, store: &Store) -> Result<PollOutcome> {
        match self.stream.poll(store).await? {
            LogPage::Logs { logs, cursor } => {
                let messages = logs
                    .iter()
                    .map(|l| self.decode(l))
                    .collect::<Result<Vec<_>>>()?;
                store.append_messages(self.lane, &messages, &self.stream.cursor_name, cursor)?;
                if !messages.is_empty() {
                    debug!(lane = %self.lane, count = messages.len(), block = cursor.block, "indexed messages");
                }
                Ok(PollOutcome {
                    new: messages.len(),
                    dropped: 0,
                    reorged: false,
                    block: cursor.block,
                })
            }
            LogPage::Reorg { changed, cursor } => {
                let dropped = store.rewind_messages(
                    self.lane,
                    cursor.block,
                    &self.stream.cursor_name,
                    cursor,
                )?;
                warn!(lane = %self.lane, changed, rewound_to = cursor.block, dropped, "source chain reorganised past the confirmation depth");
                Ok(PollOutcome {
                    new: 0,
                    dropped,
                    reorged: true,
                    block: cursor.block,
                })
            }
        }
    }
}

/// Indexes one lane's `ReportAccepted` events (committed roots) on the destination chain.
#[derive(Debug, Clone)]
pub struct CommitIndexer {
    lane: LaneKey,
    stream: LogStream,
}

impl CommitIndexer {
    /// An indexer of `lane`'s CommitStore over `provider`.
    pub fn new(lane: &Lane, provider: DynProvider, config: StreamConfig) -> Self {
        Self {
            lane: lane.key,
            stream: LogStream::new(
                provider,
                lane.dest_rpc.clone(),
                lane.commit_store,
                CommitStore::ReportAccepted::SIGNATURE_HASH,
                config,
                format!("commits/{}", lane.key),
            ),
        }
    }

    /// Reads the next page of committed roots into `store`.
    pub async fn poll(&self, store: &Store) -> Result<PollOutcome> {
        match self.stream.poll(store).await? {
            LogPage::Logs { logs, cursor } => {
                let commits =
                    logs.iter()
                        .map(|log| {
                            let e = CommitStore::ReportAccepted::decode_log_data(log.data())
                                .map_err(|e| ChainError::BadLog {
                                    lane: self.lane,
                                    event: "ReportAccepted",
                                    reason: e.to_string(),
                                })?;
                            Ok(StoredCommit {
                                root: e.merkleRoot,
                                min: e.minSeqNr,
                                max: e.maxSeqNr,
                                block_number: log.block_number.unwrap_or_default(),
                            })
                        })
                        .collect::<Result<Vec<_>>>()?;
                store.append_commits(self.lane, &commits, &self.stream.cursor_name, cursor)?;
                Ok(PollOutcome {
                    new: commits.len(),
                    dropped: 0,
                    reorged: false,
                    block: cursor.block,
                })
            }
            // Commits are read back from the chain by sequence number; a stale one is replaced
            // when the same interval start is committed again.
            LogPage::Reorg { cursor, .. } => {
                store.append_commits(self.lane, &[], &self.stream.cursor_name, cursor)?;
                Ok(PollOutcome {
                    new: 0,
                    dropped: 0,
                    reorged: true,
                    block: cursor.block,
                })
            }
        }
    }
}
