// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MerkleMultiProof} from "../../contracts/libraries/MerkleMultiProof.sol";
import {MerkleTreeBuilder} from "../../contracts/testkit/MerkleTreeBuilder.sol";
import {MerkleMultiProofHarness, MerkleTestData} from "../helpers/MerkleTreeBuilderHelpers.sol";
import {Test} from "forge-std/Test.sol";

/// Random trees of 1..256 leaves, random non-empty subsets: MerkleTreeBuilder's proofs verify with
/// MerkleMultiProof, and no single tampering yields the real root.
contract MerkleMultiProofFuzzTest is Test {
  MerkleMultiProofHarness internal s_v = new MerkleMultiProofHarness();

  struct Case {
    bytes32 root;
    bytes32[] leaves; // the chosen leaves, in tree order
    bytes32[] proofs;
    uint256 flags;
    uint256 steps; // hash steps the verifier performs
  }

  function _case(uint256 seed, uint256 numLeaves) internal pure returns (Case memory c) {
    numLeaves = bound(numLeaves, 1, 256);
    bytes32[] memory all = MerkleTestData.randomLeaves(seed, numLeaves);
    uint256[] memory indices = MerkleTestData.randomSubset(seed, numLeaves);
    c.root = MerkleTreeBuilder.getRoot(all);
    c.leaves = MerkleTreeBuilder.selectLeaves(all, indices);
    (c.proofs, c.flags) = MerkleTreeBuilder.getProof(all, indices);
    c.steps = c.leaves.length + c.proofs.length - 1;
  }

  /// Either InvalidProof, or a root different from the real one.
  function _assertNotRealRoot(Case memory c, bytes32[] memory leaves, bytes32[] memory proofs, uint256 flags)
    internal
    view
  {
    try s_v.merkleRoot(leaves, proofs, flags) returns (bytes32 root) {
      assertNotEq(root, c.root, "tampered proof yields the real root");
    } catch (bytes memory err) {
      assertEq(err, abi.encodeWithSelector(MerkleMultiProof.InvalidProof.selector));
    }
  }

  function _copy(bytes32[] memory a) internal pure returns (bytes32[] memory b) {
    b = new bytes32[](a.length);
    for (uint256 i = 0; i < a.length; ++i) {
      b[i] = a[i];
    }
  }

  function testFuzz_ProofVerifies(uint256 seed, uint256 numLeaves) public view {
    Case memory c = _case(seed, numLeaves);
    assertLe(c.steps, MerkleMultiProof.MAX_NUM_HASHES);
    assertEq(c.flags >> c.steps, 0, "flag bits beyond the last step");
    assertEq(s_v.merkleRoot(c.leaves, c.proofs, c.flags), c.root);
  }

  function testFuzz_ChangedLeafNeverYieldsRoot(uint256 seed, uint256 numLeaves, uint256 pick, bytes32 delta)
    public
    view
  {
    vm.assume(delta != 0);
    Case memory c = _case(seed, numLeaves);
    bytes32[] memory leaves = _copy(c.leaves);
    pick = bound(pick, 0, leaves.length - 1);
    leaves[pick] ^= delta;
    _assertNotRealRoot(c, leaves, c.proofs, c.flags);
  }

  function testFuzz_ChangedProofNeverYieldsRoot(uint256 seed, uint256 numLeaves, uint256 pick, bytes32 delta)
    public
    view
  {
    vm.assume(delta != 0);
    Case memory c = _case(seed, numLeaves);
    vm.assume(c.proofs.length != 0);
    bytes32[] memory proofs = _copy(c.proofs);
    pick = bound(pick, 0, proofs.length - 1);
    proofs[pick] ^= delta;
    _assertNotRealRoot(c, c.leaves, proofs, c.flags);
  }

  /// Flipping the flag of any performed step changes how many proofs are read: always InvalidProof.
  function testFuzz_FlippedFlagBitReverts(uint256 seed, uint256 numLeaves, uint256 bit) public {
    Case memory c = _case(seed, numLeaves);
    vm.assume(c.steps != 0);
    bit = bound(bit, 0, c.steps - 1);
    vm.expectRevert(MerkleMultiProof.InvalidProof.selector);
    s_v.merkleRoot(c.leaves, c.proofs, c.flags ^ (1 << bit));
  }

  /// Bits past the last step are never read: they do not change the (real) root. Documented, not a
  /// forgery: the same leaves are proven against the same root.
  function testFuzz_FlagBitsPastLastStepAreIgnored(uint256 seed, uint256 numLeaves, uint256 bit) public view {
    Case memory c = _case(seed, numLeaves);
    bit = bound(bit, c.steps, 255);
    assertEq(s_v.merkleRoot(c.leaves, c.proofs, c.flags ^ (1 << bit)), c.root);
  }

  function testFuzz_DroppedProofNeverYieldsRoot(uint256 seed, uint256 numLeaves, uint256 pick) public view {
    Case memory c = _case(seed, numLeaves);
    vm.assume(c.proofs.length != 0);
    pick = bound(pick, 0, c.proofs.length - 1);
    bytes32[] memory proofs = new bytes32[](c.proofs.length - 1);
    for (uint256 i = 0; i < proofs.length; ++i) {
      proofs[i] = c.proofs[i < pick ? i : i + 1];
    }
    _assertNotRealRoot(c, c.leaves, proofs, c.flags);
  }

  function testFuzz_DroppedLeafNeverYieldsRoot(uint256 seed, uint256 numLeaves, uint256 pick) public view {
    Case memory c = _case(seed, numLeaves);
    vm.assume(c.leaves.length > 1);
    pick = bound(pick, 0, c.leaves.length - 1);
    bytes32[] memory leaves = new bytes32[](c.leaves.length - 1);
    for (uint256 i = 0; i < leaves.length; ++i) {
      leaves[i] = c.leaves[i < pick ? i : i + 1];
    }
    _assertNotRealRoot(c, leaves, c.proofs, c.flags);
  }

  /// Arbitrary garbage never panics: the verifier only ever returns or reverts with InvalidProof.
  function testFuzz_GarbageOnlyRevertsWithInvalidProof(uint256 seed, uint8 numLeaves, uint8 numProofs, uint256 flags)
    public
    view
  {
    bytes32[] memory leaves = MerkleTestData.randomLeaves(seed, bound(numLeaves, 1, 40));
    bytes32[] memory proofs = MerkleTestData.randomLeaves(~seed, bound(numProofs, 0, 40));
    try s_v.merkleRoot(leaves, proofs, flags) {}
    catch (bytes memory err) {
      assertEq(err, abi.encodeWithSelector(MerkleMultiProof.InvalidProof.selector));
    }
  }
}
