// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

import {MerkleMultiProof} from "../libraries/MerkleMultiProof.sol";

/// @title MerkleTreeBuilder
/// @notice Builds roots and multi-proofs for MerkleMultiProof, in Solidity, for tests and dApp tooling.
/// @dev Follows the tree rule in MerkleMultiProof's header exactly: leaves are given already hashed
/// (domain-separated) in tree order; each level of odd length (other than the root level) is padded
/// with bytes32(0); a parent is MerkleMultiProof._hashPair of its two children; one leaf is its own
/// root. Proofs are generated level by level, left to right, over the nodes the verifier can compute:
/// both children known -> flag 1; one known -> flag 0 and the other child (possibly the zero pad) goes
/// into `proofs`. Flag bit i (LSB first) belongs to hash step i. Everything is memory-only and O(n)
/// hashes; not meant for on-chain use in production paths.
library MerkleTreeBuilder {
  /// @notice A tree needs at least one leaf.
  error NoLeaves();
  /// @notice A proof needs at least one chosen leaf.
  error NoIndices();
  /// @notice `sortedIndices[position]` is not greater than the index before it.
  error IndicesNotStrictlyIncreasing(uint256 position);
  /// @notice A chosen index is not a leaf of the tree.
  error IndexOutOfRange(uint256 index, uint256 numLeaves);
  /// @notice The proof needs more hash steps than the verifier's flag word (and MAX_NUM_HASHES) allows.
  error TooManyHashSteps(uint256 hashSteps);

  /// @notice The root of the tree over `leaves` (in tree order). `leaves` is not modified.
  /// @param leaves The leaf hashes.
  /// @return The root; `leaves[0]` when there is a single leaf.
  function getRoot(bytes32[] memory leaves) internal pure returns (bytes32) {
    uint256 n = leaves.length;
    if (n == 0) revert NoLeaves();
    bytes32[] memory level = leaves;
    while (n > 1) {
      uint256 m = (n + 1) / 2;
      bytes32[] memory next = new bytes32[](m);
      for (uint256 i = 0; i < m; ++i) {
        uint256 r = 2 * i + 1;
        next[i] = MerkleMultiProof._hashPair(level[2 * i], r < n ? level[r] : bytes32(0));
      }
      (level, n) = (next, m);
    }
    return level[0];
  }

  /// @notice The multi-proof that the leaves at `sortedIndices` belong to the tree over `leaves`.
  /// Pass `selectLeaves(leaves, sortedIndices)`, `proofs` and `proofFlagBits` to
  /// MerkleMultiProof.merkleRoot to get `getRoot(leaves)` back.
  /// @param leaves All leaf hashes, in tree order.
  /// @param sortedIndices The chosen leaves' positions, strictly increasing.
  /// @return proofs The sibling hashes the verifier cannot compute, in the order it consumes them.
  /// @return proofFlagBits Bit i set when hash step i takes both children from computed nodes.
  function getProof(bytes32[] memory leaves, uint256[] memory sortedIndices)
    internal
    pure
    returns (bytes32[] memory proofs, uint256 proofFlagBits)
  {
    uint256 n = leaves.length;
    if (n == 0) revert NoLeaves();
    bool[] memory known = _markKnown(n, sortedIndices);

    // At most one proof per hash step, and at most one hash step per internal node.
    ProofState memory st = ProofState({proofs: new bytes32[](_numInternalNodes(n)), numProofs: 0, step: 0, flags: 0});
    bytes32[] memory level = leaves;
    while (level.length > 1) {
      (level, known) = _proveLevel(level, known, st);
    }
    return (_truncate(st.proofs, st.numProofs), st.flags);
  }

  /// @dev Proof under construction, shared across levels.
  struct ProofState {
    bytes32[] proofs;
    uint256 numProofs;
    uint256 step;
    uint256 flags;
  }

  /// @dev One level: hashes every pair (padding an odd level), records a hash step for every pair with
  /// a known child, and returns the parent level with its known marks.
  function _proveLevel(bytes32[] memory level, bool[] memory known, ProofState memory st)
    private
    pure
    returns (bytes32[] memory next, bool[] memory nextKnown)
  {
    uint256 n = level.length;
    uint256 m = (n + 1) / 2;
    next = new bytes32[](m);
    nextKnown = new bool[](m);
    for (uint256 i = 0; i < m; ++i) {
      uint256 l = 2 * i;
      bytes32 rightValue = l + 1 < n ? level[l + 1] : bytes32(0);
      bool rightKnown = l + 1 < n && known[l + 1];
      next[i] = MerkleMultiProof._hashPair(level[l], rightValue);
      if (!known[l] && !rightKnown) continue;
      // A shift by 256 would silently drop the bit, so the limit is checked before it is needed.
      if (st.step == MerkleMultiProof.MAX_NUM_HASHES) revert TooManyHashSteps(st.step + 1);
      if (known[l] && rightKnown) st.flags |= 1 << st.step;
      else st.proofs[st.numProofs++] = known[l] ? rightValue : level[l];
      ++st.step;
      nextKnown[i] = true;
    }
  }

  /// @notice The chosen leaves in tree order: the `leaves` argument MerkleMultiProof.merkleRoot expects.
  /// @param leaves All leaf hashes, in tree order.
  /// @param sortedIndices The chosen leaves' positions, strictly increasing.
  /// @return chosen `leaves[sortedIndices[k]]` for every k.
  function selectLeaves(bytes32[] memory leaves, uint256[] memory sortedIndices)
    internal
    pure
    returns (bytes32[] memory chosen)
  {
    _markKnown(leaves.length, sortedIndices);
    chosen = new bytes32[](sortedIndices.length);
    for (uint256 k = 0; k < sortedIndices.length; ++k) {
      chosen[k] = leaves[sortedIndices[k]];
    }
  }

  /// @dev Validates `sortedIndices` against a tree of `n` leaves and marks the chosen leaves.
  function _markKnown(uint256 n, uint256[] memory sortedIndices) private pure returns (bool[] memory known) {
    uint256 k = sortedIndices.length;
    if (k == 0) revert NoIndices();
    known = new bool[](n);
    for (uint256 j = 0; j < k; ++j) {
      uint256 index = sortedIndices[j];
      if (j != 0 && index <= sortedIndices[j - 1]) revert IndicesNotStrictlyIncreasing(j);
      if (index >= n) revert IndexOutOfRange(index, n);
      known[index] = true;
    }
  }

  /// @dev Number of internal nodes of the padded tree over `n` leaves: sum over levels of ceil(len / 2).
  function _numInternalNodes(uint256 n) private pure returns (uint256 count) {
    while (n > 1) {
      n = (n + 1) / 2;
      count += n;
    }
  }

  /// @dev A copy of the first `len` elements (no assembly: a fresh array is cheap at test sizes).
  function _truncate(bytes32[] memory a, uint256 len) private pure returns (bytes32[] memory b) {
    if (len == a.length) return a;
    b = new bytes32[](len);
    for (uint256 i = 0; i < len; ++i) {
      b[i] = a[i];
    }
  }
}
