// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IARM} from "../../contracts/interfaces/IARM.sol";

/// @notice Risk management stand-in for unit tests: the test sets per-subject and global curses;
/// every root counts as blessed.
contract MockARM is IARM {
  bool internal s_globalCurse;
  mapping(bytes16 subject => bool) internal s_cursed;

  function setCursed(bytes16 subject, bool cursed) external {
    s_cursed[subject] = cursed;
  }

  function setGlobalCurse(bool cursed) external {
    s_globalCurse = cursed;
  }

  /// @dev Counts the calls so CommitStore tests can see the signatures were handed over.
  uint256 public s_blessWithSignaturesCalls;
  TaggedRoot public s_lastSignedRoot;

  function blessWithSignatures(TaggedRoot calldata taggedRoot, Signature[] calldata) external {
    ++s_blessWithSignaturesCalls;
    s_lastSignedRoot = taggedRoot;
  }

  function isBlessed(TaggedRoot calldata) external pure returns (bool) {
    return true;
  }

  function isCursed() external view returns (bool) {
    return s_globalCurse;
  }

  function isCursed(bytes16 subject) external view returns (bool) {
    return s_globalCurse || s_cursed[subject];
  }
}
