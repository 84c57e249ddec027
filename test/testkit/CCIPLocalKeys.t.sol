// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CCIPLocalKeys} from "../../contracts/testkit/CCIPLocalForks.sol";
import {Test} from "forge-std/Test.sol";

/// @notice CCIPLocalKeys.deriveKey against keys `ccip up` derived in Rust (`ccip_deploy::keys::derive_key`)
/// for its default seed: the addresses of its network file.
contract CCIPLocalKeysTest is Test {
  string internal constant SEED = "ccip-local";

  function test_matchesTheRustDerivation() public pure {
    assertEq(
      vm.addr(CCIPLocalKeys.deriveKey(SEED, CCIPLocalKeys.DEPLOYER, 0)), 0xbE781936b6Cb85877f773FF7E23Dea4C872473D9
    );
    assertEq(
      vm.addr(CCIPLocalKeys.deriveKey(SEED, CCIPLocalKeys.COMMIT_SIGNER, 0)), 0x14205D53d93ACa170bd39bBE0a394723A34d5991
    );
    assertEq(
      vm.addr(CCIPLocalKeys.deriveKey(SEED, CCIPLocalKeys.COMMIT_SIGNER, 1)), 0x3E74b2ACF05d7606968e7a0f52b291849E7470B9
    );
    assertEq(
      vm.addr(CCIPLocalKeys.deriveKey(SEED, CCIPLocalKeys.EXEC_TRANSMITTER, 1)),
      0x533d4d399b0d4f86a51DFfa0BC623ddd885c6f47
    );
    assertEq(
      vm.addr(CCIPLocalKeys.deriveKey(SEED, CCIPLocalKeys.ARM_VOTER, 2)), 0x1e057e913A963842E6325d58c41AcF8aBb27FDF9
    );
    assertEq(
      CCIPLocalKeys.deriveKey(SEED, CCIPLocalKeys.USER, 0),
      0x659cc5ba57b2f4a0193df38351d54d06bc41e399f59baf4feb7850362258d798
    );
  }

  function test_seedRoleAndIndexEachChangeTheKey() public pure {
    uint256 key = CCIPLocalKeys.deriveKey(SEED, CCIPLocalKeys.USER, 0);
    assertNotEq(key, CCIPLocalKeys.deriveKey("ccip-local2", CCIPLocalKeys.USER, 0));
    assertNotEq(key, CCIPLocalKeys.deriveKey(SEED, CCIPLocalKeys.DEPLOYER, 0));
    assertNotEq(key, CCIPLocalKeys.deriveKey(SEED, CCIPLocalKeys.USER, 1));
    // Lengths are part of the preimage: moving a byte from the seed to the role is another key.
    assertNotEq(CCIPLocalKeys.deriveKey("ab", "c", 0), CCIPLocalKeys.deriveKey("a", "bc", 0));
  }
}
