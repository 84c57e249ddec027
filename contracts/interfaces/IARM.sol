// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

/// @notice The risk management contract as the protocol sees it.
interface IARM {
  /// @notice A root as committed to one CommitStore.
  struct TaggedRoot {
    address commitStore;
    bytes32 root;
  }

  /// @notice A bless voter's ECDSA signature in EIP-2098 compact form: `vs` is s with the recovery bit
  /// (v - 27) in its top bit.
  struct Signature {
    bytes32 r;
    bytes32 vs;
  }

  /// @notice Blesses `taggedRoot` with the bless voters' signatures over its bless digest (the ARM's
  /// getBlessDigest) instead of their vote transactions. Reverts unless the signers' weight reaches the
  /// bless threshold; an already blessed root is left as it is.
  function blessWithSignatures(TaggedRoot calldata taggedRoot, Signature[] calldata signatures) external;

  /// @notice Whether the risk network has blessed `taggedRoot`.
  function isBlessed(TaggedRoot calldata taggedRoot) external view returns (bool);

  /// @notice Whether everything is cursed (the global subject).
  function isCursed() external view returns (bool);

  /// @notice Whether `subject` (bytes16(uint128(chainSelector))) or everything is cursed.
  function isCursed(bytes16 subject) external view returns (bool);
}
