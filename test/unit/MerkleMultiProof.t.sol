// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MerkleMultiProof} from "../../contracts/libraries/MerkleMultiProof.sol";
import {MerkleMultiProofHarness} from "../helpers/MerkleTreeBuilderHelpers.sol";
import {Test} from "forge-std/Test.sol";

contract MerkleMultiProofTest is Test {
  MerkleMultiProofHarness internal h = new MerkleMultiProofHarness();

  function _leaves(uint256 n) internal pure returns (bytes32[] memory l) {
    l = new bytes32[](n);
    for (uint256 i = 0; i < n; ++i) {
      l[i] = keccak256(abi.encode("leaf", i));
    }
  }

  function _expectInvalidProof() internal {
    vm.expectRevert(MerkleMultiProof.InvalidProof.selector);
  }

  function test_SingleLeafIsRoot() public view {
    bytes32[] memory leaves = new bytes32[](1);
    leaves[0] = keccak256("a");
    assertEq(h.merkleRoot(leaves, new bytes32[](0), 0), leaves[0]);
  }

  function test_SingleLeafIgnoresFlags() public view {
    bytes32[] memory leaves = _leaves(1);
    assertEq(h.merkleRoot(leaves, new bytes32[](0), type(uint256).max), leaves[0]);
  }

  function test_ThreeLeavesPadOddLevel() public view {
    bytes32[] memory leaves = new bytes32[](3);
    leaves[0] = keccak256("a");
    leaves[1] = keccak256("b");
    leaves[2] = keccak256("c");
    bytes32[] memory proofs = new bytes32[](1); // the zero pad beside c
    bytes32 ab = MerkleMultiProof._hashPair(leaves[0], leaves[1]);
    bytes32 c0 = MerkleMultiProof._hashPair(leaves[2], bytes32(0));
    // steps: (a,b) flag 1, (c,pad) flag 0, (ab,c0) flag 1
    assertEq(h.merkleRoot(leaves, proofs, 0x5), MerkleMultiProof._hashPair(ab, c0));
  }

  function test_HashPairIsSortedAndDomainSeparated() public pure {
    bytes32 a = keccak256("a");
    bytes32 b = keccak256("b");
    (bytes32 lo, bytes32 hi) = a < b ? (a, b) : (b, a);
    bytes32 expected = keccak256(abi.encode(MerkleMultiProof.INTERNAL_DOMAIN_SEPARATOR, lo, hi));
    assertEq(MerkleMultiProof._hashPair(a, b), expected);
    assertEq(MerkleMultiProof._hashPair(b, a), expected);
  }

  /// The largest accepted input: 257 leaves and no proofs make exactly MAX_NUM_HASHES hash steps.
  function test_MaxNumHashesAccepted() public view {
    bytes32[] memory leaves = _leaves(257);
    // Steps 0..127 pair leaves; 128 pairs the last leaf with hash 0; 129..255 pair hashes.
    bytes32 root = h.merkleRoot(leaves, new bytes32[](0), type(uint256).max);
    assertNotEq(root, bytes32(0));
  }

  function test_RevertWhen_NoLeaves() public {
    vm.expectRevert(MerkleMultiProof.LeavesCannotBeEmpty.selector);
    h.merkleRoot(new bytes32[](0), new bytes32[](0), 0);
  }

  function test_RevertWhen_NoLeavesButProofs() public {
    vm.expectRevert(MerkleMultiProof.LeavesCannotBeEmpty.selector);
    h.merkleRoot(new bytes32[](0), _leaves(3), 0);
  }

  function test_RevertWhen_TooManyLeaves() public {
    _expectInvalidProof();
    h.merkleRoot(_leaves(258), new bytes32[](0), type(uint256).max);
  }

  function test_RevertWhen_TooManyProofs() public {
    _expectInvalidProof();
    h.merkleRoot(_leaves(1), new bytes32[](258), 0);
  }

  function test_RevertWhen_TooManyHashesInTotal() public {
    // 200 + 58 - 1 = 257 hash steps, one more than MAX_NUM_HASHES; each count alone is in range.
    _expectInvalidProof();
    h.merkleRoot(_leaves(200), new bytes32[](58), 0);
  }

  function test_RevertWhen_ProofsRunOut() public {
    // One step (a, ?) whose flag 0 asks for a proof, and none is given.
    _expectInvalidProof();
    h.merkleRoot(_leaves(2), new bytes32[](0), 0);
  }

  function test_RevertWhen_ProofsRunOutAfterSomeWereUsed() public {
    // leaves [a, b], proofs [x], flags 0: steps (a, x), then (b, ?) finds the proofs used up.
    _expectInvalidProof();
    h.merkleRoot(_leaves(2), new bytes32[](1), 0);
  }

  function test_RevertWhen_ReadingHashNotYetComputed() public {
    // leaves [a], proofs [x]: one step, whose flag 1 wants a second computed node, but the only leaf is
    // taken and no hash exists yet.
    _expectInvalidProof();
    h.merkleRoot(_leaves(1), new bytes32[](1), 0x1);
  }

  function test_RevertWhen_ProofsLeftOver() public {
    // A valid 2-leaf proof (flag 1, no proofs) plus two surplus proof hashes and a flag word that keeps
    // taking computed nodes: step 1 takes hash 0 first and then finds no second computed node. Every step
    // reads 2 nodes and leaves + proofs + (hashes - 1) == 2 * hashes, so surplus inputs always surface as
    // such an in-loop failure; the final consumption check is only a backstop.
    _expectInvalidProof();
    h.merkleRoot(_leaves(2), new bytes32[](2), 0x7);
  }

  function test_RevertWhen_FlagAsksForHashInsteadOfProof() public {
    // All of 3 leaves: correct flags are 0x5 with the pad as proof; with 0x7 step 1 pairs c with hash 0
    // instead, and step 2 finds no second computed node.
    _expectInvalidProof();
    h.merkleRoot(_leaves(3), new bytes32[](1), 0x7);
  }

  function test_RevertWhen_FlagAsksForProofInsteadOfHash() public {
    // All of 3 leaves with flags 0x1: steps (a,b), (c,pad), (h0, proof?) -> proofs exhausted.
    _expectInvalidProof();
    h.merkleRoot(_leaves(3), new bytes32[](1), 0x1);
  }
}
