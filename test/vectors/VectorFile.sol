// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";

/// @notice A vectors file that a forge test generates and the Rust side reads: with VECTORS_WRITE=1 the test
/// writes it, otherwise it fails when the committed file differs from what the contracts produce now.
abstract contract VectorFile is Test {
  /// @dev Writes `json` to `path` (VECTORS_WRITE=1) or checks that `path` holds it, naming the first of
  /// `sections` (JSON paths) that differs; `regenerate` tells how to refresh the file.
  function _writeOrCheck(string memory json, string memory path, string[] memory sections, string memory regenerate)
    internal
  {
    if (vm.envOr("VECTORS_WRITE", false)) {
      vm.writeJson(json, path);
      return;
    }
    // Compare in the written (pretty-printed, key-sorted) form.
    string memory scratch = string.concat(path, ".generated");
    vm.writeJson(json, scratch);
    string memory generated = vm.readFile(scratch);
    vm.removeFile(scratch);
    string memory committed = vm.readFile(path);
    if (keccak256(bytes(generated)) == keccak256(bytes(committed))) return;
    for (uint256 i = 0; i < sections.length; ++i) {
      assertEq(
        keccak256(vm.parseJson(generated, sections[i])),
        keccak256(vm.parseJson(committed, sections[i])),
        string.concat(sections[i], " differs: ", regenerate)
      );
    }
    assertEq(keccak256(bytes(generated)), keccak256(bytes(committed)), regenerate);
  }
}
