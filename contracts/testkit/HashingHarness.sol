// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

import {Client} from "../libraries/Client.sol";
import {Internal} from "../libraries/Internal.sol";
import {MerkleMultiProof} from "../libraries/MerkleMultiProof.sol";

/// @title HashingHarness
/// @notice Exposes the protocol's hashes and encodings as external pure functions, so off-chain code
/// (the Rust networks, a dApp's scripts) can check its own implementation against the contracts on a
/// live chain. Holds no state; deploy it anywhere.
contract HashingHarness {
  /// @notice Internal._metadataHash: the per-lane prefix of every leaf.
  function metadataHash(uint64 sourceChainSelector, uint64 destChainSelector, address onRamp)
    external
    pure
    returns (bytes32)
  {
    return Internal._metadataHash(sourceChainSelector, destChainSelector, onRamp);
  }

  /// @notice Internal._hash: the leaf hash, which is also the message id.
  function hash(Internal.EVM2EVMMessage calldata message, bytes32 metadataHash_) external pure returns (bytes32) {
    return Internal._hash(message, metadataHash_);
  }

  /// @notice MerkleMultiProof.merkleRoot, reverting with its errors on a malformed proof.
  function merkleRoot(bytes32[] calldata leaves, bytes32[] calldata proofs, uint256 proofFlagBits)
    external
    pure
    returns (bytes32)
  {
    return MerkleMultiProof.merkleRoot(leaves, proofs, proofFlagBits);
  }

  /// @notice abi.encode(report): the bytes a CommitStore receives.
  function encodeCommitReport(Internal.CommitReport calldata report) external pure returns (bytes memory) {
    return abi.encode(report);
  }

  /// @notice Internal._commitReportDigest: the digest each committing node signs.
  function commitReportDigest(bytes32 configDigest, uint40 epochAndRound, bytes calldata report)
    external
    pure
    returns (bytes32)
  {
    return Internal._commitReportDigest(configDigest, epochAndRound, report);
  }

  /// @notice Client._argsToBytes for EVMExtraArgsV1.
  function argsToBytesV1(Client.EVMExtraArgsV1 calldata extraArgs) external pure returns (bytes memory) {
    return Client._argsToBytes(extraArgs);
  }

  /// @notice Client._argsToBytes for EVMExtraArgsV2.
  function argsToBytesV2(Client.EVMExtraArgsV2 calldata extraArgs) external pure returns (bytes memory) {
    return Client._argsToBytes(extraArgs);
  }
}
