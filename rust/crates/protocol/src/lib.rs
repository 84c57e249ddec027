//! Hashing and encodings shared by the committing and executing networks.
//!
//! Mirrors `contracts/libraries/Internal.sol` and `contracts/libraries/MerkleMultiProof.sol`.

use alloy_primitives::{B256, keccak256};

/// Domain tag of internal merkle nodes, as in `MerkleMultiProof.INTERNAL_DOMAIN_SEPARATOR`.
pub const INTERNAL_DOMAIN_SEPARATOR: B256 = B256::with_last_byte(1);

/// An internal merkle node: the domain-separated hash of the sorted pair.
pub fn hash_pair(a: B256, b: B256) -> B256 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    let mut buf = [0u8; 96];
    buf[..32].copy_from_slice(INTERNAL_DOMAIN_SEPARATOR.as_slice());
    buf[32..64].copy_from_slice(lo.as_slice());
    buf[64..].copy_from_slice(hi.as_slice());
    keccak256(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_pair_is_order_independent() {
        let a = B256::repeat_byte(1);
        let b = B256::repeat_byte(2);
        assert_eq!(hash_pair(a, b), hash_pair(b, a));
        assert_ne!(hash_pair(a, b), hash_pair(a, a));
    }
}
