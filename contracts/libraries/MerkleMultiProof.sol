// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

/// @title MerkleMultiProof
/// @notice Root of a binary merkle tree from a subset of its leaves and a multi-proof.
/// @dev The tree: leaves are already domain-separated (their preimage starts with
/// LEAF_DOMAIN_SEPARATOR); an internal node is keccak256(INTERNAL_DOMAIN_SEPARATOR, min(a,b), max(a,b));
/// a level of odd length is padded with bytes32(0) before pairing, so every node of every level is
/// hashed and a FIFO of computed hashes stays in level order. A tree of one leaf has that leaf as root.
/// Proof generation, level by level over the known nodes: both children known -> flag 1; one known
/// -> flag 0 and the sibling goes into `proofs`. Flag bit i (LSB first) belongs to hash step i.
library MerkleMultiProof {
  bytes32 internal constant LEAF_DOMAIN_SEPARATOR = 0x0000000000000000000000000000000000000000000000000000000000000000;
  bytes32 internal constant INTERNAL_DOMAIN_SEPARATOR =
    0x0000000000000000000000000000000000000000000000000000000000000001;
  uint256 internal constant MAX_NUM_HASHES = 256;

  error InvalidProof();
  error LeavesCannotBeEmpty();

  /// @notice Computes the root from leaves (in tree order), proof hashes and packed flags.
  function merkleRoot(bytes32[] memory leaves, bytes32[] memory proofs, uint256 proofFlagBits)
    internal
    pure
    returns (bytes32)
  {
    unchecked {
      uint256 leavesLen = leaves.length;
      uint256 proofsLen = proofs.length;
      if (leavesLen == 0) revert LeavesCannotBeEmpty();
      if (leavesLen > MAX_NUM_HASHES + 1 || proofsLen > MAX_NUM_HASHES + 1) revert InvalidProof();
      uint256 totalHashes = leavesLen + proofsLen - 1;
      if (totalHashes > MAX_NUM_HASHES) revert InvalidProof();
      if (totalHashes == 0) return leaves[0];
      bytes32[] memory hashes = new bytes32[](totalHashes);
      (uint256 leafPos, uint256 hashPos, uint256 proofPos) = (0, 0, 0);
      for (uint256 i = 0; i < totalHashes; ++i) {
        bytes32 a;
        if (leafPos < leavesLen) {
          a = leaves[leafPos++];
        } else {
          if (hashPos >= i) revert InvalidProof();
          a = hashes[hashPos++];
        }
        bytes32 b;
        if ((proofFlagBits >> i) & 1 == 1) {
          if (leafPos < leavesLen) {
            b = leaves[leafPos++];
          } else {
            if (hashPos >= i) revert InvalidProof();
            b = hashes[hashPos++];
          }
        } else {
          if (proofPos == proofsLen) revert InvalidProof();
          b = proofs[proofPos++];
        }
        hashes[i] = _hashPair(a, b);
      }
      if (hashPos != totalHashes - 1 || leafPos != leavesLen || proofPos != proofsLen) revert InvalidProof();
      return hashes[totalHashes - 1];
    }
  }

  /// @notice An internal node: domain-separated hash of the sorted pair.
  function _hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
    return a < b ? _hashInternalNode(a, b) : _hashInternalNode(b, a);
  }

  function _hashInternalNode(bytes32 left, bytes32 right) private pure returns (bytes32 hash) {
    return keccak256(abi.encode(INTERNAL_DOMAIN_SEPARATOR, left, right));
  }
}
