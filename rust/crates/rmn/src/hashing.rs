//! Leaf hashing and the merkle root, written from `contracts/libraries/Internal.sol` and
//! `contracts/libraries/MerkleMultiProof.sol` (not from the committing network's crate: the two
//! networks must not share a bug).

use alloy::{
    primitives::{Address, B256, U256, keccak256},
    sol_types::SolValue,
};
use ccip_bindings::on_ramp::Internal::EVM2EVMMessage;

/// `MerkleMultiProof.LEAF_DOMAIN_SEPARATOR`: the first word of every leaf preimage.
pub const LEAF_DOMAIN_SEPARATOR: B256 = B256::ZERO;

/// `MerkleMultiProof.INTERNAL_DOMAIN_SEPARATOR`: the first word of every internal node preimage.
pub const INTERNAL_DOMAIN_SEPARATOR: B256 = B256::with_last_byte(1);

/// `Internal.EVM_2_EVM_MESSAGE_HASH = keccak256("CCIPLocal.EVM2EVMMessage.v1")`.
pub fn evm2evm_message_tag() -> B256 {
    keccak256(b"CCIPLocal.EVM2EVMMessage.v1")
}

/// One ABI word holding a left-padded unsigned integer.
fn word_u64(value: u64) -> B256 {
    B256::from(U256::from(value))
}

/// One ABI word holding a left-padded address.
fn word_address(address: Address) -> B256 {
    address.into_word()
}

/// Hashes the concatenation of static ABI words, which is what `abi.encode` of static values is.
fn keccak_words(words: &[B256]) -> B256 {
    let mut preimage = Vec::with_capacity(words.len() * 32);
    for word in words {
        preimage.extend_from_slice(word.as_slice());
    }
    keccak256(&preimage)
}

/// `Internal._metadataHash`: binds every leaf of a lane to (source, destination, OnRamp).
pub fn metadata_hash(
    source_chain_selector: u64,
    dest_chain_selector: u64,
    on_ramp: Address,
) -> B256 {
    keccak_words(&[
        evm2evm_message_tag(),
        word_u64(source_chain_selector),
        word_u64(dest_chain_selector),
        word_address(on_ramp),
    ])
}

/// `Internal._hash`: the leaf of a message, which is also its message id. The message's own
/// `messageId` field is not part of the preimage (and is not trusted here).
pub fn leaf_hash(message: &EVM2EVMMessage, metadata_hash: B256) -> B256 {
    // abi.encode(tokenAmounts) of a dynamic array: the single-parameter encoding, offset first.
    let tokens = message.tokenAmounts.abi_encode();
    keccak_words(&[
        LEAF_DOMAIN_SEPARATOR,
        metadata_hash,
        word_u64(message.sequenceNumber),
        word_u64(message.nonce),
        word_address(message.sender),
        word_address(message.receiver),
        B256::from(message.gasLimit),
        keccak256(&message.data),
        keccak256(&tokens),
    ])
}

/// `MerkleMultiProof._hashPair`: the domain-separated hash of the sorted pair.
pub fn hash_pair(a: B256, b: B256) -> B256 {
    let (left, right) = if a < b { (a, b) } else { (b, a) };
    keccak_words(&[INTERNAL_DOMAIN_SEPARATOR, left, right])
}

/// The root of the tree over `leaves` (in sequence order): every level of odd length is padded
/// with `bytes32(0)`; one leaf is its own root. `None` for no leaves.
pub fn merkle_root(leaves: &[B256]) -> Option<B256> {
    let mut level: Vec<B256> = leaves.to_vec();
    if level.is_empty() {
        return None;
    }
    while level.len() > 1 {
        if level.len() % 2 == 1 {
            level.push(B256::ZERO);
        }
        level = level
            .chunks_exact(2)
            .map(|pair| hash_pair(pair[0], pair[1]))
            .collect();
    }
    level.first().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_leaf_is_root_and_padding_is_zero() {
        let a = B256::repeat_byte(1);
        let b = B256::repeat_byte(2);
        let c = B256::repeat_byte(3);
        assert_eq!(merkle_root(&[]), None);
        assert_eq!(merkle_root(&[a]), Some(a));
        assert_eq!(merkle_root(&[a, b]), Some(hash_pair(a, b)));
        assert_eq!(merkle_root(&[b, a]), merkle_root(&[a, b]));
        assert_eq!(
            merkle_root(&[a, b, c]),
            Some(hash_pair(hash_pair(a, b), hash_pair(c, B256::ZERO)))
        );
    }
}
