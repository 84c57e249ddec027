// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

import {MerkleMultiProof} from "./MerkleMultiProof.sol";

/// @title Internal
/// @notice The lane's own message format, report formats and every hash the off-chain networks
/// must reproduce. The Rust side (`rust/crates/protocol`) mirrors this file byte for byte; the test
/// vectors in `test/vectors/` hold the two together.
library Internal {
  /// @dev Domain tag of the per-lane metadata hash that every leaf commits to.
  bytes32 internal constant EVM_2_EVM_MESSAGE_HASH = keccak256("CCIPLocal.EVM2EVMMessage.v1");
  /// @dev Domain tag of the digest the committing network signs.
  bytes32 internal constant COMMIT_REPORT_HASH = keccak256("CCIPLocal.CommitReport.v1");

  /// @dev keccak256(abi.encode(new TokenTransfer[](0))): the token part of the leaf of a data-only message,
  /// so hashing one needs no encoding of an empty array. A unit test checks the value.
  bytes32 internal constant EMPTY_TOKEN_AMOUNTS_HASH =
    0x569e75fc77c1a856f6daaf9e69d8a9566ca34aa47f9133711ce065a571af0cfd;

  enum MessageExecutionState {
    UNTOUCHED,
    IN_PROGRESS,
    SUCCESS,
    FAILURE
  }

  /// @notice One token carried by a message, as the source pool handed it over.
  struct TokenTransfer {
    address sourcePoolAddress; // must match the destination pool's configured remote pool
    address destTokenAddress; // the token the destination pool releases or mints
    uint256 amount; // in source token units; the destination pool converts if it must
    uint32 destGasAmount; // gas for the destination pool's releaseOrMint
    bytes extraData; // the source pool's return data, handed to the destination pool
  }

  /// @notice A message on one lane. Everything the destination needs; the fee stays on the source.
  struct EVM2EVMMessage {
    bytes32 messageId; // the leaf hash; not part of its own preimage
    uint64 sourceChainSelector;
    uint64 sequenceNumber; // contiguous per lane, from 1
    uint64 nonce; // per sender and lane, from 1; 0 marks an out-of-order message
    address sender;
    address receiver;
    uint256 gasLimit; // gas for the receiver's ccipReceive; 0 skips the call for token-only messages to EOAs
    bytes data;
    TokenTransfer[] tokenAmounts;
  }

  struct TokenPriceUpdate {
    address sourceToken; // a token on the chain the CommitStore lives on
    uint224 usdPerToken; // 1e18 USD per 1e18 of the smallest denomination
  }

  struct GasPriceUpdate {
    uint64 destChainSelector;
    uint224 usdPerUnitGas; // 1e18 USD per unit of destination gas
  }

  struct PriceUpdates {
    TokenPriceUpdate[] tokenPriceUpdates;
    GasPriceUpdate[] gasPriceUpdates;
  }

  struct Interval {
    uint64 min;
    uint64 max;
  }

  /// @notice What the committing network agrees on and signs. `interval.min == 0 && merkleRoot == 0`
  /// means a price-only report.
  struct CommitReport {
    PriceUpdates priceUpdates;
    Interval interval;
    bytes32 merkleRoot;
  }

  /// @notice A batch of messages from one committed root, with the multi-proof that ties them to it.
  struct ExecutionReport {
    EVM2EVMMessage[] messages;
    bytes[][] offchainTokenData; // per message, per token: e.g. issuer attestations
    bytes32[] proofs;
    uint256 proofFlagBits;
  }

  /// @notice The per-lane prefix of every leaf: binds a message to (source, destination, OnRamp).
  function _metadataHash(uint64 sourceChainSelector, uint64 destChainSelector, address onRamp)
    internal
    pure
    returns (bytes32)
  {
    return keccak256(abi.encode(EVM_2_EVM_MESSAGE_HASH, sourceChainSelector, destChainSelector, onRamp));
  }

  /// @notice The leaf hash of a message, which is also its message id.
  function _hash(EVM2EVMMessage memory message, bytes32 metadataHash) internal pure returns (bytes32) {
    return keccak256(
      abi.encode(
        MerkleMultiProof.LEAF_DOMAIN_SEPARATOR,
        metadataHash,
        message.sequenceNumber,
        message.nonce,
        message.sender,
        message.receiver,
        message.gasLimit,
        keccak256(message.data),
        message.tokenAmounts.length == 0 ? EMPTY_TOKEN_AMOUNTS_HASH : keccak256(abi.encode(message.tokenAmounts))
      )
    );
  }

  /// @notice The digest each committing node signs (plain ecrecover, no message prefix).
  /// @param configDigest The CommitStore's current config digest.
  /// @param epochAndRound Monotonic per config; stale price updates are ignored by it.
  /// @param report abi.encode(CommitReport).
  function _commitReportDigest(bytes32 configDigest, uint40 epochAndRound, bytes memory report)
    internal
    pure
    returns (bytes32)
  {
    return keccak256(abi.encode(COMMIT_REPORT_HASH, configDigest, epochAndRound, keccak256(report)));
  }
}
