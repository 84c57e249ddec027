// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The risk management contract as the protocol sees it.
interface IARM {
  /// @notice A root as committed to one CommitStore.
  struct TaggedRoot {
    address commitStore;
    bytes32 root;
  }

  /// @notice Whether the risk network has blessed `taggedRoot`.
  function isBlessed(TaggedRoot calldata taggedRoot) external view returns (bool);

  /// @notice Whether everything is cursed (the global subject).
  function isCursed() external view returns (bool);

  /// @notice Whether `subject` (bytes16(uint128(chainSelector))) or everything is cursed.
  function isCursed(bytes16 subject) external view returns (bool);
}
