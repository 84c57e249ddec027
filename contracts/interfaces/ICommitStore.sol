// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

/// @notice A CommitStore as the OffRamp sees it. One per inbound lane.
interface ICommitStore {
  /// @notice The timestamp at which the root of `hashedLeaves` was committed, if it is committed and
  /// blessed; 0 otherwise.
  function verify(bytes32[] calldata hashedLeaves, bytes32[] calldata proofs, uint256 proofFlagBits)
    external
    view
    returns (uint256 timestamp);

  /// @notice The sequence number the next commit report's interval must start at.
  function getExpectedNextSequenceNumber() external view returns (uint64);
}
