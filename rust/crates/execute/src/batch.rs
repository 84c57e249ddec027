//! Packing messages into execute transactions and proving them: pure functions.

use std::ops::Range;

use ccip_protocol::{EVM2EVMMessage, ExecutionReport, MerkleError, MerkleTree};

/// The gas a message is planned for: its gas limit, its tokens' pool gas and the OffRamp's own
/// per-message cost.
pub fn message_gas(message: &EVM2EVMMessage, per_message_gas: u64) -> u64 {
    let limit = u64::try_from(message.gasLimit).unwrap_or(u64::MAX);
    message
        .tokenAmounts
        .iter()
        .fold(limit, |gas, t| {
            gas.saturating_add(u64::from(t.destGasAmount))
        })
        .saturating_add(per_message_gas)
}

/// Splits messages (their planned gas, in execution order) into consecutive batches of at most
/// `max_batch` messages whose gas sums stay within `budget`; a message over the budget on its
/// own goes alone.
pub fn pack(gas: &[u64], budget: u64, max_batch: usize) -> Vec<Range<usize>> {
    let max_batch = max_batch.max(1);
    let mut batches = Vec::new();
    let mut start = 0;
    let mut sum = 0u64;
    for (i, &g) in gas.iter().enumerate() {
        let full = i - start == max_batch || sum.saturating_add(g) > budget;
        if i > start && full {
            batches.push(start..i);
            start = i;
            sum = 0;
        }
        sum = sum.saturating_add(g);
    }
    if start < gas.len() {
        batches.push(start..gas.len());
    }
    batches
}

/// The execution report of the interval's messages at `indices` (positions in `messages`, the
/// interval's messages in sequence order, whose ids are `tree`'s leaves).
pub fn build_report(
    tree: &MerkleTree,
    messages: &[EVM2EVMMessage],
    indices: &[usize],
) -> Result<ExecutionReport, MerkleError> {
    ExecutionReport::for_messages(tree, messages, indices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::{Address, U256};
    use ccip_protocol::{TokenTransfer, leaf_hash, merkle_root, metadata_hash};

    #[test]
    fn packing_respects_budget_and_size_and_keeps_order() {
        assert_eq!(pack(&[], 10, 4), Vec::<Range<usize>>::new());
        assert_eq!(pack(&[3, 3, 3, 3], 10, 4), vec![0..3, 3..4]);
        assert_eq!(pack(&[3, 3, 3, 3], 100, 2), vec![0..2, 2..4]);
        // Too big alone: still sent, alone.
        assert_eq!(pack(&[20, 3, 30], 10, 4), vec![0..1, 1..2, 2..3]);
        assert_eq!(pack(&[5, 5, 1], 10, 0), vec![0..1, 1..2, 2..3]);
    }

    #[test]
    fn message_gas_counts_limit_tokens_and_overhead() {
        let m = EVM2EVMMessage {
            gasLimit: U256::from(200_000),
            tokenAmounts: vec![
                TokenTransfer {
                    destGasAmount: 90_000,
                    ..Default::default()
                };
                2
            ],
            ..Default::default()
        };
        assert_eq!(message_gas(&m, 10), 380_010);
        let huge = EVM2EVMMessage {
            gasLimit: U256::MAX,
            ..Default::default()
        };
        assert_eq!(message_gas(&huge, 10), u64::MAX);
    }

    #[test]
    fn reports_prove_the_chosen_messages_against_the_interval_root() {
        let meta = metadata_hash(1, 2, Address::repeat_byte(7));
        let messages: Vec<EVM2EVMMessage> = (1..=5u64)
            .map(|seq| {
                let mut m = EVM2EVMMessage {
                    sourceChainSelector: 1,
                    sequenceNumber: seq,
                    tokenAmounts: vec![TokenTransfer::default(); (seq % 2) as usize],
                    ..Default::default()
                };
                m.messageId = leaf_hash(&m, meta);
                m
            })
            .collect();
        let tree = MerkleTree::new(messages.iter().map(|m| m.messageId).collect::<Vec<_>>())
            .expect("tree");
        for indices in [vec![0], vec![4, 1], vec![0, 1, 2, 3, 4]] {
            let report = build_report(&tree, &messages, &indices).expect("report");
            let leaves: Vec<_> = report.messages.iter().map(|m| m.messageId).collect();
            let mut sorted = indices.clone();
            sorted.sort_unstable();
            let expected: Vec<_> = sorted.iter().map(|&i| messages[i].messageId).collect();
            assert_eq!(leaves, expected);
            assert_eq!(
                merkle_root(&leaves, &report.proofs, report.proofFlagBits),
                Ok(tree.root())
            );
            for (m, data) in report.messages.iter().zip(&report.offchainTokenData) {
                assert_eq!(m.tokenAmounts.len(), data.len());
            }
        }
    }
}
