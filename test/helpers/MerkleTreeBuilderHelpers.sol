// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MerkleMultiProof} from "../../contracts/libraries/MerkleMultiProof.sol";
import {MerkleTreeBuilder} from "../../contracts/testkit/MerkleTreeBuilder.sol";

/// @notice External entry to MerkleMultiProof.merkleRoot, so reverts can be expected and caught.
contract MerkleMultiProofHarness {
  function merkleRoot(bytes32[] memory leaves, bytes32[] memory proofs, uint256 flags) external pure returns (bytes32) {
    return MerkleMultiProof.merkleRoot(leaves, proofs, flags);
  }
}

/// @notice External entry to MerkleTreeBuilder, so its reverts can be expected.
contract MerkleTreeBuilderHarness {
  function getRoot(bytes32[] memory leaves) external pure returns (bytes32) {
    return MerkleTreeBuilder.getRoot(leaves);
  }

  function getProof(bytes32[] memory leaves, uint256[] memory sortedIndices)
    external
    pure
    returns (bytes32[] memory proofs, uint256 proofFlagBits)
  {
    return MerkleTreeBuilder.getProof(leaves, sortedIndices);
  }

  function selectLeaves(bytes32[] memory leaves, uint256[] memory sortedIndices)
    external
    pure
    returns (bytes32[] memory)
  {
    return MerkleTreeBuilder.selectLeaves(leaves, sortedIndices);
  }
}

/// @notice Deterministic pseudo-random trees and subsets for merkle tests.
library MerkleTestData {
  /// @notice `n` distinct leaf hashes derived from `seed`.
  function randomLeaves(uint256 seed, uint256 n) internal pure returns (bytes32[] memory leaves) {
    leaves = new bytes32[](n);
    for (uint256 i = 0; i < n; ++i) {
      leaves[i] = keccak256(abi.encode(seed, i));
    }
  }

  /// @notice A non-empty strictly increasing subset of [0, n); its density is itself random, from a
  /// single leaf to all of them.
  function randomSubset(uint256 seed, uint256 n) internal pure returns (uint256[] memory indices) {
    uint256 density = uint8(uint256(keccak256(abi.encode(seed, "density"))));
    uint256[] memory buf = new uint256[](n);
    uint256 k;
    for (uint256 i = 0; i < n; ++i) {
      if (uint8(uint256(keccak256(abi.encode(seed, "pick", i)))) <= density) buf[k++] = i;
    }
    if (k == 0) buf[k++] = seed % n;
    indices = new uint256[](k);
    for (uint256 j = 0; j < k; ++j) {
      indices[j] = buf[j];
    }
  }

  /// @notice [0, 1, ..., n-1].
  function allIndices(uint256 n) internal pure returns (uint256[] memory indices) {
    indices = new uint256[](n);
    for (uint256 i = 0; i < n; ++i) {
      indices[i] = i;
    }
  }

  /// @notice A one-element index list.
  function single(uint256 index) internal pure returns (uint256[] memory indices) {
    indices = new uint256[](1);
    indices[0] = index;
  }
}
