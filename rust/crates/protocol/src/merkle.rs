//! The merkle tree and multi-proofs of `MerkleMultiProof.sol`.
//!
//! The tree: leaves are already domain-separated (their preimage starts with
//! [`LEAF_DOMAIN_SEPARATOR`]); an internal node is
//! `keccak256(INTERNAL_DOMAIN_SEPARATOR, min(a, b), max(a, b))`; a level of odd length is padded
//! with `bytes32(0)` before pairing; a tree of one leaf has that leaf as root.
//!
//! Proofs are generated level by level over the known nodes: both children known gives flag 1,
//! one known gives flag 0 and puts the sibling (possibly the zero pad) into `proofs`. Flag bit `i`
//! (least significant first) belongs to hash step `i`.

use alloy_primitives::{B256, U256, keccak256};

/// `MerkleMultiProof.LEAF_DOMAIN_SEPARATOR`.
pub const LEAF_DOMAIN_SEPARATOR: B256 = B256::ZERO;
/// `MerkleMultiProof.INTERNAL_DOMAIN_SEPARATOR`.
pub const INTERNAL_DOMAIN_SEPARATOR: B256 = B256::with_last_byte(1);
/// `MerkleMultiProof.MAX_NUM_HASHES`: the most hash steps one verification may take.
pub const MAX_NUM_HASHES: usize = 256;

/// Merkle tree, proof and verification errors. The first two mirror the Solidity errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MerkleError {
    /// `MerkleMultiProof.LeavesCannotBeEmpty()`.
    #[error("leaves cannot be empty")]
    LeavesCannotBeEmpty,
    /// `MerkleMultiProof.InvalidProof()`.
    #[error("invalid proof")]
    InvalidProof,
    /// A proof was asked for no leaves.
    #[error("no leaf indices given")]
    NoIndices,
    /// A proof was asked for a leaf the tree does not have.
    #[error("leaf index {index} is out of range for a tree of {len} leaves")]
    IndexOutOfRange {
        /// The requested index.
        index: usize,
        /// The number of leaves of the tree.
        len: usize,
    },
    /// A proof was asked for the same leaf twice.
    #[error("leaf index {0} is given more than once")]
    DuplicateIndex(usize),
    /// The proof would take more hash steps than the verifier accepts.
    #[error("the proof needs {0} hash steps; the verifier accepts at most {MAX_NUM_HASHES}")]
    TooManyHashes(usize),
}

/// `MerkleMultiProof._hashPair`: an internal node, the domain-separated hash of the sorted pair.
pub fn hash_pair(a: B256, b: B256) -> B256 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    let mut buf = [0u8; 96];
    buf[..32].copy_from_slice(INTERNAL_DOMAIN_SEPARATOR.as_slice());
    buf[32..64].copy_from_slice(lo.as_slice());
    buf[64..].copy_from_slice(hi.as_slice());
    keccak256(buf)
}

/// `MerkleMultiProof.merkleRoot`: the root from `leaves` (in tree order), the proof hashes and the
/// packed flags, with the same checks and the same failures as the contract.
pub fn merkle_root(
    leaves: &[B256],
    proofs: &[B256],
    proof_flag_bits: U256,
) -> Result<B256, MerkleError> {
    let leaves_len = leaves.len();
    let proofs_len = proofs.len();
    if leaves_len == 0 {
        return Err(MerkleError::LeavesCannotBeEmpty);
    }
    if leaves_len > MAX_NUM_HASHES + 1 || proofs_len > MAX_NUM_HASHES + 1 {
        return Err(MerkleError::InvalidProof);
    }
    let total_hashes = leaves_len + proofs_len - 1;
    if total_hashes > MAX_NUM_HASHES {
        return Err(MerkleError::InvalidProof);
    }
    if total_hashes == 0 {
        return Ok(leaves[0]);
    }
    let mut hashes = Vec::with_capacity(total_hashes);
    let (mut leaf_pos, mut hash_pos, mut proof_pos) = (0usize, 0usize, 0usize);
    // Leaves first, then computed hashes in the order they were made: the FIFO of the contract.
    let next_known = |leaf_pos: &mut usize, hash_pos: &mut usize, hashes: &[B256], i: usize| {
        if *leaf_pos < leaves_len {
            *leaf_pos += 1;
            Ok(leaves[*leaf_pos - 1])
        } else if *hash_pos >= i {
            Err(MerkleError::InvalidProof)
        } else {
            *hash_pos += 1;
            Ok(hashes[*hash_pos - 1])
        }
    };
    for i in 0..total_hashes {
        let a = next_known(&mut leaf_pos, &mut hash_pos, &hashes, i)?;
        let b = if proof_flag_bits.bit(i) {
            next_known(&mut leaf_pos, &mut hash_pos, &hashes, i)?
        } else {
            if proof_pos == proofs_len {
                return Err(MerkleError::InvalidProof);
            }
            proof_pos += 1;
            proofs[proof_pos - 1]
        };
        hashes.push(hash_pair(a, b));
    }
    if hash_pos != total_hashes - 1 || leaf_pos != leaves_len || proof_pos != proofs_len {
        return Err(MerkleError::InvalidProof);
    }
    Ok(hashes[total_hashes - 1])
}

/// A multi-proof for a subset of a tree's leaves: exactly the arguments of
/// `MerkleMultiProof.merkleRoot` (and `ICommitStore.verify`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MultiProof {
    /// The proven leaf indices, ascending.
    pub indices: Vec<usize>,
    /// The proven leaves in tree order (ascending index), as the verifier wants them.
    pub leaves: Vec<B256>,
    /// Sibling hashes the verifier cannot compute, in the order it consumes them.
    pub proofs: Vec<B256>,
    /// Bit `i` set when hash step `i` takes its second operand from the known nodes.
    pub proof_flag_bits: U256,
}

impl MultiProof {
    /// The root this proof leads to, as `MerkleMultiProof.merkleRoot` computes it.
    pub fn root(&self) -> Result<B256, MerkleError> {
        merkle_root(&self.leaves, &self.proofs, self.proof_flag_bits)
    }

    /// Whether this proof leads to `root`.
    pub fn verify(&self, root: B256) -> bool {
        self.root() == Ok(root)
    }
}

/// A full merkle tree over already hashed leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerkleTree {
    /// `levels[0]` are the leaves, the last level is `[root]`; levels are kept unpadded.
    levels: Vec<Vec<B256>>,
}

impl MerkleTree {
    /// Builds the tree over `leaves` (leaf hashes, e.g. message ids in sequence order).
    pub fn new(leaves: impl Into<Vec<B256>>) -> Result<Self, MerkleError> {
        let leaves = leaves.into();
        if leaves.is_empty() {
            return Err(MerkleError::LeavesCannotBeEmpty);
        }
        let mut levels = vec![leaves];
        while let Some(level) = levels.last().filter(|level| level.len() > 1) {
            let next = level
                .chunks(2)
                .map(|pair| hash_pair(pair[0], pair.get(1).copied().unwrap_or(B256::ZERO)))
                .collect();
            levels.push(next);
        }
        Ok(Self { levels })
    }

    /// The root.
    pub fn root(&self) -> B256 {
        // `new` guarantees a non-empty last level.
        self.levels
            .last()
            .and_then(|level| level.first())
            .copied()
            .unwrap_or_default()
    }

    /// The leaves, in tree order.
    pub fn leaves(&self) -> &[B256] {
        &self.levels[0]
    }

    /// The number of leaves.
    pub fn len(&self) -> usize {
        self.levels[0].len()
    }

    /// Always false: a tree has at least one leaf.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The multi-proof for the leaves at `indices` (any order, no duplicates).
    pub fn proof(&self, indices: &[usize]) -> Result<MultiProof, MerkleError> {
        if indices.is_empty() {
            return Err(MerkleError::NoIndices);
        }
        let len = self.len();
        let mut known = indices.to_vec();
        known.sort_unstable();
        for pair in known.windows(2) {
            if pair[0] == pair[1] {
                return Err(MerkleError::DuplicateIndex(pair[0]));
            }
        }
        if let Some(&index) = known.iter().find(|&&index| index >= len) {
            return Err(MerkleError::IndexOutOfRange { index, len });
        }
        let sorted = known.clone();
        let leaves = sorted.iter().map(|&i| self.levels[0][i]).collect();

        let mut proofs = Vec::new();
        let mut flags = U256::ZERO;
        let mut step = 0usize;
        for level in &self.levels[..self.levels.len() - 1] {
            let mut parents = Vec::with_capacity(known.len());
            let mut i = 0;
            while i < known.len() {
                let pos = known[i];
                // Sorted, so a known sibling of an even node is the next known node; an odd node's
                // known sibling would already have consumed it.
                let both_known = pos.is_multiple_of(2) && known.get(i + 1) == Some(&(pos + 1));
                if step >= MAX_NUM_HASHES {
                    return Err(MerkleError::TooManyHashes(self.count_steps(&sorted)));
                }
                if both_known {
                    flags.set_bit(step, true);
                    i += 2;
                } else {
                    proofs.push(level.get(pos ^ 1).copied().unwrap_or(B256::ZERO));
                    i += 1;
                }
                step += 1;
                parents.push(pos / 2);
            }
            known = parents;
        }
        Ok(MultiProof {
            indices: sorted,
            leaves,
            proofs,
            proof_flag_bits: flags,
        })
    }

    /// The number of hash steps a proof of `sorted` (ascending, unique, in range) takes: one per
    /// known parent on every level.
    fn count_steps(&self, sorted: &[usize]) -> usize {
        let mut known = sorted.to_vec();
        let mut steps = 0;
        for _ in 1..self.levels.len() {
            known = known.iter().map(|pos| pos / 2).collect();
            known.dedup();
            steps += known.len();
        }
        steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<B256> {
        (0..n)
            .map(|i| keccak256((i as u64).to_be_bytes()))
            .collect()
    }

    /// Every non-empty subset of small trees: the proof verifies to the root.
    #[test]
    fn every_subset_of_small_trees_verifies() {
        for n in 1..=9usize {
            let tree = MerkleTree::new(leaves(n)).expect("tree");
            for mask in 1u32..(1 << n) {
                let indices: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
                let proof = tree.proof(&indices).expect("proof");
                assert_eq!(proof.root(), Ok(tree.root()), "n={n} indices={indices:?}");
            }
        }
    }

    #[test]
    fn three_leaves_match_the_hand_built_tree() {
        let l = leaves(3);
        let tree = MerkleTree::new(l.clone()).expect("tree");
        let ab = hash_pair(l[0], l[1]);
        let c0 = hash_pair(l[2], B256::ZERO);
        assert_eq!(tree.root(), hash_pair(ab, c0));
        let all = tree.proof(&[2, 0, 1]).expect("proof");
        assert_eq!(all.proofs, vec![B256::ZERO]);
        assert_eq!(all.proof_flag_bits, U256::from(0b101));
        assert_eq!(all.indices, vec![0, 1, 2]);
    }

    #[test]
    fn single_leaf_is_root() {
        let l = leaves(1);
        let tree = MerkleTree::new(l.clone()).expect("tree");
        assert_eq!(tree.root(), l[0]);
        let proof = tree.proof(&[0]).expect("proof");
        assert!(proof.proofs.is_empty());
        assert_eq!(proof.proof_flag_bits, U256::ZERO);
        assert!(proof.verify(l[0]));
    }

    #[test]
    fn full_256_leaf_tree_fits_and_257_does_not() {
        let tree = MerkleTree::new(leaves(256)).expect("tree");
        let all: Vec<usize> = (0..256).collect();
        assert!(tree.proof(&all).expect("proof").verify(tree.root()));
        let tree = MerkleTree::new(leaves(257)).expect("tree");
        let all: Vec<usize> = (0..257).collect();
        // 257 leaves pad to 258, 129, 65, 33, 17, 9, 5, 3, 2, 1: 129+65+33+17+9+5+3+2+1 = 264 steps.
        assert_eq!(tree.proof(&all), Err(MerkleError::TooManyHashes(264)));
        assert!(tree.proof(&[5]).expect("proof").verify(tree.root()));
    }

    #[test]
    fn proof_input_errors() {
        let tree = MerkleTree::new(leaves(4)).expect("tree");
        assert_eq!(tree.proof(&[]), Err(MerkleError::NoIndices));
        assert_eq!(tree.proof(&[1, 1]), Err(MerkleError::DuplicateIndex(1)));
        assert_eq!(
            tree.proof(&[4]),
            Err(MerkleError::IndexOutOfRange { index: 4, len: 4 })
        );
        assert_eq!(
            MerkleTree::new(Vec::new()),
            Err(MerkleError::LeavesCannotBeEmpty)
        );
    }

    #[test]
    fn verifier_error_cases_mirror_the_contract() {
        let l = leaves(4);
        let tree = MerkleTree::new(l.clone()).expect("tree");
        let proof = tree.proof(&[0, 3]).expect("proof");
        assert_eq!(
            merkle_root(&[], &[], U256::ZERO),
            Err(MerkleError::LeavesCannotBeEmpty)
        );
        // Too many leaves / proofs / total hashes.
        assert_eq!(
            merkle_root(&vec![B256::ZERO; 258], &[], U256::ZERO),
            Err(MerkleError::InvalidProof)
        );
        assert_eq!(
            merkle_root(&[B256::ZERO], &vec![B256::ZERO; 258], U256::ZERO),
            Err(MerkleError::InvalidProof)
        );
        assert_eq!(
            merkle_root(&vec![B256::ZERO; 200], &vec![B256::ZERO; 58], U256::MAX),
            Err(MerkleError::InvalidProof)
        );
        // A proof hash missing.
        assert_eq!(
            merkle_root(&proof.leaves, &proof.proofs[..1], proof.proof_flag_bits),
            Err(MerkleError::InvalidProof)
        );
        let mut extra = proof.proofs.clone();
        extra.push(B256::ZERO);
        // An extra proof hash is one more step on top of the root: accepted, but a different root.
        assert_ne!(
            merkle_root(&proof.leaves, &extra, proof.proof_flag_bits),
            Ok(tree.root())
        );
        // A set flag with no leaf or computed hash left to read.
        assert_eq!(
            merkle_root(
                &proof.leaves,
                &proof.proofs,
                proof.proof_flag_bits | U256::from(0b11)
            ),
            Err(MerkleError::InvalidProof)
        );
        assert_eq!(
            merkle_root(&l[..1], &[B256::ZERO], U256::from(1)),
            Err(MerkleError::InvalidProof)
        );
        // Wrong flags give a different root, not an error, when the counts still fit.
        let wrong = merkle_root(
            &proof.leaves,
            &proof.proofs,
            proof.proof_flag_bits ^ U256::from(1),
        );
        assert_ne!(wrong, Ok(tree.root()));
    }
}
