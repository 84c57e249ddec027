// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MerkleMultiProof} from "../libraries/MerkleMultiProof.sol";

/// @title MerkleTree
/// @notice Builds roots and multi-proofs for MerkleMultiProof in Solidity, for tests and local tooling.
/// @dev Follows the tree rule at the top of MerkleMultiProof.sol exactly: odd levels padded with
/// bytes32(0), sorted-pair internal nodes, a single leaf is its own root; flags are emitted level by level,
/// one per hash step over the known nodes (1: both children known, 0: the sibling goes into `proofs`).
library MerkleTree {
  error NoLeaves();
  error IndicesNotAscending();
  error IndexOutOfRange(uint256 index, uint256 numLeaves);

  /// @notice The root over all `leaves`, in order.
  function getRoot(bytes32[] memory leaves) internal pure returns (bytes32) {
    if (leaves.length == 0) revert NoLeaves();
    bytes32[] memory level = leaves;
    while (level.length > 1) {
      level = _nextLevel(level);
    }
    return level[0];
  }

  /// @notice A multi-proof of `leaves[indices[k]]` for MerkleMultiProof.merkleRoot, which must then be
  /// given those leaves in the order of `indices` (strictly ascending).
  function getProof(bytes32[] memory leaves, uint256[] memory indices)
    internal
    pure
    returns (bytes32[] memory proofs, uint256 flagBits)
  {
    uint256 len = leaves.length;
    if (len == 0) revert NoLeaves();
    bool[] memory known = new bool[](len);
    for (uint256 k = 0; k < indices.length; ++k) {
      if (indices[k] >= len) revert IndexOutOfRange(indices[k], len);
      if (k > 0 && indices[k] <= indices[k - 1]) revert IndicesNotAscending();
      known[indices[k]] = true;
    }
    // A proof never holds more than one sibling per hash step.
    proofs = new bytes32[](MerkleMultiProof.MAX_NUM_HASHES + 1);
    uint256 numProofs;
    uint256 step;
    bytes32[] memory level = leaves;
    while (level.length > 1) {
      len = level.length;
      uint256 nextLen = (len + 1) / 2;
      bool[] memory nextKnown = new bool[](nextLen);
      for (uint256 p = 0; p < nextLen; ++p) {
        bool leftKnown = known[2 * p];
        bool rightKnown = 2 * p + 1 < len && known[2 * p + 1];
        if (leftKnown && rightKnown) {
          flagBits |= 1 << step++;
        } else if (leftKnown) {
          proofs[numProofs++] = 2 * p + 1 < len ? level[2 * p + 1] : bytes32(0);
          ++step;
        } else if (rightKnown) {
          proofs[numProofs++] = level[2 * p];
          ++step;
        } else {
          continue;
        }
        nextKnown[p] = true;
      }
      level = _nextLevel(level);
      known = nextKnown;
    }
    bytes32[] memory trimmed = new bytes32[](numProofs);
    for (uint256 k = 0; k < numProofs; ++k) {
      trimmed[k] = proofs[k];
    }
    proofs = trimmed;
  }

  function _nextLevel(bytes32[] memory level) private pure returns (bytes32[] memory next) {
    uint256 len = level.length;
    next = new bytes32[]((len + 1) / 2);
    for (uint256 p = 0; p < next.length; ++p) {
      bytes32 right = 2 * p + 1 < len ? level[2 * p + 1] : bytes32(0);
      next[p] = MerkleMultiProof._hashPair(level[2 * p], right);
    }
  }
}
