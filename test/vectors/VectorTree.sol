// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MerkleMultiProof} from "../../contracts/libraries/MerkleMultiProof.sol";

/// @notice Builds trees and multi-proofs by the rule in MerkleMultiProof's header, independently of
/// the verifier, so the vectors test the verifier instead of echoing it. Test-only; not gas-minded.
library VectorTree {
  error NoLeaves();
  error NoIndices();
  error IndicesNotAscending(uint256 position);
  error IndexOutOfRange(uint256 index, uint256 leafCount);
  error TooManyHashes(uint256 steps);

  /// @notice Every level of the tree, leaves first, root last; odd levels are not stored padded.
  function levels(bytes32[] memory leaves) internal pure returns (bytes32[][] memory lv) {
    if (leaves.length == 0) revert NoLeaves();
    uint256 depth = 1;
    for (uint256 n = leaves.length; n > 1; n = (n + 1) / 2) {
      ++depth;
    }
    lv = new bytes32[][](depth);
    lv[0] = leaves;
    for (uint256 d = 1; d < depth; ++d) {
      bytes32[] memory below = lv[d - 1];
      bytes32[] memory level = new bytes32[]((below.length + 1) / 2);
      for (uint256 i = 0; i < level.length; ++i) {
        // The zero pad of an odd level is hashed like any node.
        bytes32 right = 2 * i + 1 < below.length ? below[2 * i + 1] : bytes32(0);
        level[i] = MerkleMultiProof._hashPair(below[2 * i], right);
      }
      lv[d] = level;
    }
  }

  /// @notice The root of the tree over `leaves`.
  function root(bytes32[] memory leaves) internal pure returns (bytes32) {
    bytes32[][] memory lv = levels(leaves);
    return lv[lv.length - 1][0];
  }

  /// @notice The arguments of MerkleMultiProof.merkleRoot proving the leaves at `indices` (ascending).
  function proof(bytes32[] memory leaves, uint256[] memory indices)
    internal
    pure
    returns (bytes32[] memory subset, bytes32[] memory proofs, uint256 flagBits)
  {
    if (indices.length == 0) revert NoIndices();
    subset = new bytes32[](indices.length);
    for (uint256 i = 0; i < indices.length; ++i) {
      if (i > 0 && indices[i] <= indices[i - 1]) revert IndicesNotAscending(i);
      if (indices[i] >= leaves.length) revert IndexOutOfRange(indices[i], leaves.length);
      subset[i] = leaves[indices[i]];
    }
    bytes32[][] memory lv = levels(leaves);
    // At most one proof hash per step, and at most one step per known node per level.
    bytes32[] memory buffer = new bytes32[](indices.length * lv.length);
    uint256 proofCount;
    uint256 step;
    uint256[] memory known = indices;
    uint256 knownCount = indices.length;
    for (uint256 d = 0; d + 1 < lv.length; ++d) {
      uint256[] memory parents = new uint256[](knownCount);
      uint256 parentCount;
      for (uint256 i = 0; i < knownCount;) {
        uint256 pos = known[i];
        if (step >= MerkleMultiProof.MAX_NUM_HASHES) revert TooManyHashes(step + 1);
        if (pos % 2 == 0 && i + 1 < knownCount && known[i + 1] == pos + 1) {
          flagBits |= 1 << step;
          i += 2;
        } else {
          uint256 sibling = pos ^ 1;
          buffer[proofCount++] = sibling < lv[d].length ? lv[d][sibling] : bytes32(0);
          i += 1;
        }
        ++step;
        parents[parentCount++] = pos / 2;
      }
      known = parents;
      knownCount = parentCount;
    }
    proofs = new bytes32[](proofCount);
    for (uint256 i = 0; i < proofCount; ++i) {
      proofs[i] = buffer[i];
    }
  }
}
