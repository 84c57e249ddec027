//! The hashes of `Internal.sol`: lane metadata, leaves (message ids) and commit report digests.

use alloy_primitives::{Address, B256, U256, b256, keccak256};
use alloy_sol_types::SolValue;

use crate::{
    error::ProtocolError,
    merkle::LEAF_DOMAIN_SEPARATOR,
    types::{CommitReport, EVM2EVMMessage, ExecutionReport},
};

/// `Internal.EVM_2_EVM_MESSAGE_HASH` = `keccak256("CCIPLocal.EVM2EVMMessage.v1")`.
pub const EVM_2_EVM_MESSAGE_HASH: B256 =
    b256!("0x71cdff56384c086ff0f355215a62ff3355af133d82a1f7946092e3885334b573");

/// `Internal.COMMIT_REPORT_HASH` = `keccak256("CCIPLocal.CommitReport.v1")`.
pub const COMMIT_REPORT_HASH: B256 =
    b256!("0x43bea268b6263e8ec2cf45f468464f31384f558b58b3ee3774ad7c4080e8a10e");

/// The largest `epochAndRound` a commit report digest can carry (`type(uint40).max`).
pub const MAX_EPOCH_AND_ROUND: u64 = (1 << 40) - 1;

/// `Internal._metadataHash`: the per-lane prefix of every leaf.
pub fn metadata_hash(
    source_chain_selector: u64,
    dest_chain_selector: u64,
    on_ramp: Address,
) -> B256 {
    keccak256(
        (
            EVM_2_EVM_MESSAGE_HASH,
            source_chain_selector,
            dest_chain_selector,
            on_ramp,
        )
            .abi_encode_params(),
    )
}

/// `Internal._hash`: the leaf hash of a message, which is also its message id.
///
/// `message.messageId` is not part of the preimage.
pub fn leaf_hash(message: &EVM2EVMMessage, metadata_hash: B256) -> B256 {
    keccak256(
        (
            LEAF_DOMAIN_SEPARATOR,
            metadata_hash,
            message.sequenceNumber,
            message.nonce,
            message.sender,
            message.receiver,
            message.gasLimit,
            keccak256(&message.data),
            keccak256(message.tokenAmounts.abi_encode()),
        )
            .abi_encode_params(),
    )
}

impl EVM2EVMMessage {
    /// The leaf hash of this message under `metadata_hash` (see [`leaf_hash`]).
    pub fn leaf_hash(&self, metadata_hash: B256) -> B256 {
        leaf_hash(self, metadata_hash)
    }

    /// Sets `messageId` to the leaf hash under `metadata_hash`, as the OnRamp does, and returns it.
    pub fn seal(&mut self, metadata_hash: B256) -> B256 {
        self.messageId = leaf_hash(self, metadata_hash);
        self.messageId
    }
}

impl CommitReport {
    /// `abi.encode(report)`: the bytes the CommitStore receives and the digest covers.
    pub fn encode(&self) -> Vec<u8> {
        self.abi_encode()
    }

    /// Decodes `abi.encode(CommitReport)`, rejecting dirty values as Solidity's `abi.decode` does.
    pub fn decode(data: &[u8]) -> Result<Self, ProtocolError> {
        Ok(<Self as SolValue>::abi_decode_validate(data)?)
    }

    /// Whether this is a price-only report (`interval.min == 0 && merkleRoot == 0`).
    pub fn is_price_only(&self) -> bool {
        self.interval.min == 0 && self.merkleRoot.is_zero()
    }
}

impl ExecutionReport {
    /// The report executing `messages[i]` for each `i` in `indices`, where `messages` are a
    /// committed interval's messages in sequence order and `tree` is built over their ids. The
    /// messages go in the proof's (ascending) leaf order, which the OffRamp requires; no
    /// off-chain token data.
    pub fn for_messages(
        tree: &crate::MerkleTree,
        messages: &[crate::EVM2EVMMessage],
        indices: &[usize],
    ) -> Result<Self, crate::MerkleError> {
        let proof = tree.proof(indices)?;
        let chosen: Vec<crate::EVM2EVMMessage> = proof
            .indices
            .iter()
            .filter_map(|&i| messages.get(i).cloned())
            .collect();
        if chosen.len() != proof.indices.len() {
            return Err(crate::MerkleError::IndexOutOfRange {
                index: proof.indices.iter().copied().max().unwrap_or_default(),
                len: messages.len(),
            });
        }
        Ok(Self {
            offchainTokenData: chosen
                .iter()
                .map(|m| vec![alloy_primitives::Bytes::new(); m.tokenAmounts.len()])
                .collect(),
            messages: chosen,
            proofs: proof.proofs,
            proofFlagBits: proof.proof_flag_bits,
        })
    }

    /// `abi.encode(report)`.
    pub fn encode(&self) -> Vec<u8> {
        self.abi_encode()
    }

    /// Decodes `abi.encode(ExecutionReport)`, rejecting dirty values.
    pub fn decode(data: &[u8]) -> Result<Self, ProtocolError> {
        Ok(<Self as SolValue>::abi_decode_validate(data)?)
    }
}

/// `Internal._commitReportDigest`: the digest each committing node signs (plain ecrecover over it,
/// no message prefix). `report` is `abi.encode(CommitReport)`; `epoch_and_round` is a `uint40`.
pub fn commit_report_digest(
    config_digest: B256,
    epoch_and_round: u64,
    report: &[u8],
) -> Result<B256, ProtocolError> {
    if epoch_and_round > MAX_EPOCH_AND_ROUND {
        return Err(ProtocolError::EpochAndRoundOverflow(epoch_and_round));
    }
    Ok(keccak256(
        (
            COMMIT_REPORT_HASH,
            config_digest,
            U256::from(epoch_and_round),
            keccak256(report),
        )
            .abi_encode_params(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::TokenTransfer;
    use alloy_primitives::{Bytes, address};

    #[test]
    fn domain_tags_are_the_keccak_of_their_names() {
        assert_eq!(
            EVM_2_EVM_MESSAGE_HASH,
            keccak256("CCIPLocal.EVM2EVMMessage.v1")
        );
        assert_eq!(COMMIT_REPORT_HASH, keccak256("CCIPLocal.CommitReport.v1"));
    }

    #[test]
    fn metadata_hash_is_abi_encode_of_four_words() {
        let on_ramp = address!("0x00000000000000000000000000000000000000aa");
        let mut pre = Vec::new();
        pre.extend_from_slice(EVM_2_EVM_MESSAGE_HASH.as_slice());
        pre.extend_from_slice(B256::from(U256::from(1u64)).as_slice());
        pre.extend_from_slice(B256::from(U256::from(2u64)).as_slice());
        pre.extend_from_slice(on_ramp.into_word().as_slice());
        assert_eq!(metadata_hash(1, 2, on_ramp), keccak256(pre));
        assert_ne!(metadata_hash(1, 2, on_ramp), metadata_hash(2, 1, on_ramp));
    }

    #[test]
    fn leaf_hash_ignores_message_id_and_covers_tokens() {
        let meta = metadata_hash(1, 2, Address::repeat_byte(9));
        let mut msg = EVM2EVMMessage {
            sequenceNumber: 1,
            nonce: 1,
            data: Bytes::from_static(b"hi"),
            ..Default::default()
        };
        let id = msg.seal(meta);
        assert_eq!(msg.messageId, id);
        assert_eq!(msg.leaf_hash(meta), id);
        msg.tokenAmounts.push(TokenTransfer {
            amount: U256::from(1),
            ..Default::default()
        });
        assert_ne!(msg.leaf_hash(meta), id);
    }

    #[test]
    fn token_amounts_are_encoded_as_one_dynamic_value() {
        // abi.encode(TokenTransfer[]) starts with the 0x20 offset of the array.
        let tokens = vec![TokenTransfer::default()];
        let enc = tokens.abi_encode();
        assert_eq!(B256::from_slice(&enc[..32]), B256::from(U256::from(0x20)));
        assert_eq!(B256::from_slice(&enc[32..64]), B256::from(U256::from(1)));
    }

    #[test]
    fn commit_report_roundtrips_and_digest_checks_uint40() {
        let report = CommitReport {
            interval: crate::types::Interval { min: 1, max: 3 },
            merkleRoot: B256::repeat_byte(7),
            ..Default::default()
        };
        let bytes = report.encode();
        assert_eq!(CommitReport::decode(&bytes).ok(), Some(report.clone()));
        assert!(!report.is_price_only());
        assert!(commit_report_digest(B256::ZERO, MAX_EPOCH_AND_ROUND, &bytes).is_ok());
        assert_eq!(
            commit_report_digest(B256::ZERO, MAX_EPOCH_AND_ROUND + 1, &bytes),
            Err(ProtocolError::EpochAndRoundOverflow(
                MAX_EPOCH_AND_ROUND + 1
            ))
        );
    }
}
