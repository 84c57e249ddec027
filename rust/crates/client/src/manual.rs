//! Manual execution: rebuild the committed interval from the OnRamp logs, prove the message in
//! it and call `OffRamp.manuallyExecute` from the user key.

use alloy::{
    primitives::{B256, Bytes, U256},
    sol_types::SolError,
};
use ccip_bindings::decode_revert;
use ccip_bindings::off_ramp::OffRamp;
use ccip_protocol::{ExecutionReport, MerkleTree};

use crate::{
    client::{Client, LaneRef},
    error::{ClientError, Result},
    status::{Commit, ExecutionState, MessageState},
};

/// Gas the OffRamp needs around the receiver call (proof, hashing, state, router).
const EXECUTION_OVERHEAD_GAS: u64 = 600_000;
/// Gas per token (pool call capped at 200k by the lanes, two balance checks).
const PER_TOKEN_GAS: u64 = 300_000;

/// What a manual execution did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualExecution {
    /// The message.
    pub message_id: B256,
    /// `Success`, or `Failure` when it failed again (nothing was sent then: the OffRamp reverts
    /// a failed manual execution, so it was only simulated).
    pub state: ExecutionState,
    /// The decoded reason of a failure.
    pub reason: Option<String>,
    /// The receiver's (or pool's) revert data of a failure.
    pub return_data: Bytes,
    /// The transaction, when one was sent.
    pub tx_hash: Option<B256>,
}

/// Gas for an execution transaction carrying messages with these receiver gas limits and token
/// counts: the exact-gas calls lose 1/64 per frame, hence the margin on the receiver's part.
pub fn execution_gas(messages: impl IntoIterator<Item = (u64, usize)>) -> u64 {
    messages
        .into_iter()
        .map(|(gas, tokens)| gas.saturating_mul(16) / 15 + PER_TOKEN_GAS * tokens as u64)
        .fold(EXECUTION_OVERHEAD_GAS, u64::saturating_add)
}

impl Client {
    /// An execution report for the messages `seqs` of the committed interval `commit` of `lane`:
    /// every message of the interval is read from the OnRamp logs, the tree (leaves = message ids
    /// in sequence order) must give the committed root, and the multi-proof covers `seqs`.
    pub async fn execution_report(
        &self,
        lane: &LaneRef,
        commit: &Commit,
        seqs: &[u64],
    ) -> Result<ExecutionReport> {
        let mismatch = || ClientError::RootMismatch {
            root: commit.root,
            min: commit.min,
            max: commit.max,
        };
        let messages = self
            .lane_messages(lane, Some((commit.min, commit.max)))
            .await?;
        let expected = (commit.max - commit.min + 1) as usize;
        if messages.len() != expected {
            return Err(mismatch());
        }
        let tree = MerkleTree::new(
            messages
                .iter()
                .map(|m| m.message.messageId)
                .collect::<Vec<_>>(),
        )?;
        if tree.root() != commit.root {
            return Err(mismatch());
        }
        let mut indices: Vec<usize> = seqs
            .iter()
            .filter(|s| (commit.min..=commit.max).contains(s))
            .map(|s| (s - commit.min) as usize)
            .collect();
        indices.sort_unstable();
        indices.dedup();
        let interval: Vec<_> = messages.iter().map(|m| m.message.clone()).collect();
        Ok(ExecutionReport::for_messages(&tree, &interval, &indices)?)
    }

    /// Executes message `message_id` by hand from the user key, with the receiver gas limit
    /// raised to `gas_limit_override` if given (it may not be lower than the message's).
    ///
    /// Errors name what is missing: [`ClientError::MessageNotFound`],
    /// [`ClientError::NotCommitted`], [`ClientError::NotBlessed`],
    /// [`ClientError::AlreadyExecuted`], [`ClientError::LaneCursed`],
    /// [`ClientError::ManualExecutionNotYetEnabled`]. A message that fails again is not an error:
    /// the result says `Failure` with the reason.
    pub async fn manual_execute(
        &self,
        message_id: B256,
        gas_limit_override: Option<u64>,
    ) -> Result<ManualExecution> {
        let status = self.status(message_id).await?;
        let lane = status.sent.lane;
        let seq = status.sequence_number();
        if status.state() == MessageState::Executed {
            return Err(ClientError::AlreadyExecuted(message_id));
        }
        if let Some(detail) = &status.cursed {
            return Err(ClientError::LaneCursed {
                from: status.source.clone(),
                to: status.dest.clone(),
                detail: detail.clone(),
            });
        }
        let Some(commit) = &status.committed else {
            return Err(ClientError::NotCommitted {
                message_id,
                sequence_number: seq,
            });
        };
        if !status.blessed {
            return Err(ClientError::NotBlessed {
                message_id,
                root: commit.root,
            });
        }
        let dest = lane.dest;
        let reader = OffRamp::new(lane.off_ramp, self.reader_at(dest));
        let onchain = reader
            .getExecutionState(seq)
            .call()
            .await
            .map_err(|e| self.call_error(dest, "OffRamp.getExecutionState", e))?;
        if ExecutionState::from_u8(onchain) == ExecutionState::Success {
            return Err(ClientError::AlreadyExecuted(message_id));
        }

        let report = self.execution_report(&lane, commit, &[seq]).await?;
        let message = &status.sent.message;
        let receiver_gas = match gas_limit_override {
            Some(gas) => gas,
            None => u64::try_from(message.gasLimit).unwrap_or(u64::MAX),
        };
        let gas = execution_gas([(receiver_gas, message.tokenAmounts.len())]);
        let overrides = vec![U256::from(gas_limit_override.unwrap_or(0))];
        let tx = OffRamp::new(lane.off_ramp, self.user_at(dest))
            .manuallyExecute(ccip_bindings::abi_convert(&report)?, overrides)
            .gas(gas)
            .into_transaction_request();

        if let Some(data) = self.simulate(dest, self.address(), tx.clone()).await? {
            if let Ok(failed) = OffRamp::ExecutionError::abi_decode(&data) {
                return Ok(ManualExecution {
                    message_id,
                    state: ExecutionState::Failure,
                    reason: Some(decode_revert(&failed.err)),
                    return_data: failed.err,
                    tx_hash: None,
                });
            }
            if OffRamp::ManualExecutionNotYetEnabled::abi_decode(&data).is_ok() {
                let config = reader
                    .getDynamicConfig()
                    .call()
                    .await
                    .map_err(|e| self.call_error(dest, "OffRamp.getDynamicConfig", e))?;
                return Err(ClientError::ManualExecutionNotYetEnabled {
                    message_id,
                    threshold_seconds: config.permissionLessExecutionThresholdSeconds,
                });
            }
            return Err(ClientError::Reverted {
                action: "OffRamp.manuallyExecute".into(),
                reason: decode_revert(&data),
                data: data.clone(),
            });
        }
        let receipt = self
            .transact(
                dest,
                self.user_at(dest),
                self.address(),
                "OffRamp.manuallyExecute",
                tx,
            )
            .await?;
        let changed = receipt
            .inner
            .logs()
            .iter()
            .filter(|log| log.address() == lane.off_ramp)
            .filter_map(|log| log.log_decode::<OffRamp::ExecutionStateChanged>().ok())
            .find(|log| log.inner.data.messageId == message_id)
            .ok_or(ClientError::MissingEvent {
                action: "OffRamp.manuallyExecute".into(),
                tx: receipt.transaction_hash,
                event: "ExecutionStateChanged",
            })?;
        let data = &changed.inner.data;
        let state = ExecutionState::from_u8(data.state);
        tracing::info!(id = %message_id, ?state, tx = %receipt.transaction_hash, "manually executed");
        Ok(ManualExecution {
            message_id,
            state,
            reason: (state == ExecutionState::Failure).then(|| decode_revert(&data.returnData)),
            return_data: data.returnData.clone(),
            tx_hash: Some(receipt.transaction_hash),
        })
    }
}
