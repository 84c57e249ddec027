// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MerkleMultiProof} from "../../contracts/libraries/MerkleMultiProof.sol";
import {MerkleTreeBuilder} from "../../contracts/testkit/MerkleTreeBuilder.sol";
import {
  MerkleMultiProofHarness,
  MerkleTestData,
  MerkleTreeBuilderHarness
} from "../helpers/MerkleTreeBuilderHelpers.sol";
import {Test} from "forge-std/Test.sol";

contract MerkleTreeBuilderTest is Test {
  MerkleTreeBuilderHarness internal s_b = new MerkleTreeBuilderHarness();
  MerkleMultiProofHarness internal s_v = new MerkleMultiProofHarness();

  function _h(bytes32 a, bytes32 b) internal pure returns (bytes32) {
    return MerkleMultiProof._hashPair(a, b);
  }

  function _leaves(uint256 n) internal pure returns (bytes32[] memory) {
    return MerkleTestData.randomLeaves(42, n);
  }

  function _idx(uint256 a, uint256 b) internal pure returns (uint256[] memory i) {
    i = new uint256[](2);
    (i[0], i[1]) = (a, b);
  }

  // ───────────────────────────── getRoot known answers ─────────────────────────────

  function test_GetRoot_SingleLeafIsRoot() public view {
    bytes32[] memory l = _leaves(1);
    assertEq(s_b.getRoot(l), l[0]);
  }

  function test_GetRoot_TwoLeaves() public view {
    bytes32[] memory l = _leaves(2);
    assertEq(s_b.getRoot(l), _h(l[0], l[1]));
  }

  function test_GetRoot_ThreeLeavesPadsWithZero() public view {
    bytes32[] memory l = _leaves(3);
    assertEq(s_b.getRoot(l), _h(_h(l[0], l[1]), _h(l[2], bytes32(0))));
  }

  function test_GetRoot_FiveLeavesPadsEveryOddLevel() public view {
    bytes32[] memory l = _leaves(5);
    // level 1: [h01, h23, h4_0] (odd) -> level 2: [h(h01,h23), h(h4_0, 0)] -> root
    bytes32 h40 = _h(l[4], bytes32(0));
    bytes32 expected = _h(_h(_h(l[0], l[1]), _h(l[2], l[3])), _h(h40, bytes32(0)));
    assertEq(s_b.getRoot(l), expected);
  }

  function test_GetRoot_DoesNotModifyLeaves() public view {
    bytes32[] memory l = _leaves(7);
    bytes32[] memory copy = _leaves(7);
    s_b.getRoot(l);
    MerkleTreeBuilder.getRoot(l);
    assertEq(l, copy);
  }

  // ───────────────────────────── getProof known answers ─────────────────────────────

  function test_GetProof_SingleLeafTree() public view {
    (bytes32[] memory proofs, uint256 flags) = s_b.getProof(_leaves(1), MerkleTestData.single(0));
    assertEq(proofs.length, 0);
    assertEq(flags, 0);
  }

  function test_GetProof_AllOfThreeLeaves() public view {
    bytes32[] memory l = _leaves(3);
    (bytes32[] memory proofs, uint256 flags) = s_b.getProof(l, MerkleTestData.allIndices(3));
    // steps: (l0,l1) flag 1, (l2,pad) flag 0 with the pad as proof, (h01,h2_0) flag 1
    assertEq(proofs.length, 1);
    assertEq(proofs[0], bytes32(0));
    assertEq(flags, 0x5);
    assertEq(s_v.merkleRoot(l, proofs, flags), s_b.getRoot(l));
  }

  function test_GetProof_OneLeafOfFour() public view {
    bytes32[] memory l = _leaves(4);
    (bytes32[] memory proofs, uint256 flags) = s_b.getProof(l, MerkleTestData.single(2));
    assertEq(proofs.length, 2);
    assertEq(proofs[0], l[3]);
    assertEq(proofs[1], _h(l[0], l[1]));
    assertEq(flags, 0);
    assertEq(s_v.merkleRoot(_one(l[2]), proofs, flags), s_b.getRoot(l));
  }

  function test_GetProof_TwoLeavesInDifferentSubtrees() public view {
    bytes32[] memory l = _leaves(4);
    (bytes32[] memory proofs, uint256 flags) = s_b.getProof(l, _idx(1, 2));
    // steps: (l1, proof l0), (l2, proof l3), (h01, h23) both computed
    assertEq(proofs.length, 2);
    assertEq(proofs[0], l[0]);
    assertEq(proofs[1], l[3]);
    assertEq(flags, 0x4);
    assertEq(s_v.merkleRoot(s_b.selectLeaves(l, _idx(1, 2)), proofs, flags), s_b.getRoot(l));
  }

  function test_GetProof_LastLeafOfOddTreeUsesPads() public view {
    bytes32[] memory l = _leaves(5);
    (bytes32[] memory proofs, uint256 flags) = s_b.getProof(l, MerkleTestData.single(4));
    assertEq(proofs.length, 3);
    assertEq(proofs[0], bytes32(0)); // pad beside l4
    assertEq(proofs[1], bytes32(0)); // pad beside h(l4, 0)
    assertEq(proofs[2], _h(_h(l[0], l[1]), _h(l[2], l[3])));
    assertEq(flags, 0);
    assertEq(s_v.merkleRoot(_one(l[4]), proofs, flags), s_b.getRoot(l));
  }

  /// Every size up to the verifier's limit: all leaves, the first and the last leaf.
  function test_GetProof_EverySizeUpTo256() public view {
    for (uint256 n = 1; n <= 256; ++n) {
      this.checkSize(n); // one call frame per size, so memory does not pile up
    }
  }

  function checkSize(uint256 n) external view {
    bytes32[] memory l = MerkleTestData.randomLeaves(n, n);
    bytes32 root = MerkleTreeBuilder.getRoot(l);
    _check(l, MerkleTestData.allIndices(n), root);
    _check(l, MerkleTestData.single(0), root);
    _check(l, MerkleTestData.single(n - 1), root);
  }

  function test_SelectLeaves_TreeOrder() public view {
    bytes32[] memory l = _leaves(6);
    bytes32[] memory chosen = s_b.selectLeaves(l, _idx(0, 5));
    assertEq(chosen.length, 2);
    assertEq(chosen[0], l[0]);
    assertEq(chosen[1], l[5]);
  }

  // ───────────────────────────── reverts ─────────────────────────────

  function test_RevertWhen_GetRoot_NoLeaves() public {
    vm.expectRevert(MerkleTreeBuilder.NoLeaves.selector);
    s_b.getRoot(new bytes32[](0));
  }

  function test_RevertWhen_GetProof_NoLeaves() public {
    vm.expectRevert(MerkleTreeBuilder.NoLeaves.selector);
    s_b.getProof(new bytes32[](0), MerkleTestData.single(0));
  }

  function test_RevertWhen_GetProof_NoIndices() public {
    vm.expectRevert(MerkleTreeBuilder.NoIndices.selector);
    s_b.getProof(_leaves(2), new uint256[](0));
  }

  function test_RevertWhen_GetProof_DuplicateIndex() public {
    vm.expectRevert(abi.encodeWithSelector(MerkleTreeBuilder.IndicesNotStrictlyIncreasing.selector, 1));
    s_b.getProof(_leaves(4), _idx(2, 2));
  }

  function test_RevertWhen_GetProof_DecreasingIndices() public {
    vm.expectRevert(abi.encodeWithSelector(MerkleTreeBuilder.IndicesNotStrictlyIncreasing.selector, 1));
    s_b.getProof(_leaves(4), _idx(3, 1));
  }

  function test_RevertWhen_GetProof_IndexOutOfRange() public {
    vm.expectRevert(abi.encodeWithSelector(MerkleTreeBuilder.IndexOutOfRange.selector, 4, 4));
    s_b.getProof(_leaves(4), _idx(1, 4));
  }

  function test_RevertWhen_SelectLeaves_IndexOutOfRange() public {
    vm.expectRevert(abi.encodeWithSelector(MerkleTreeBuilder.IndexOutOfRange.selector, 9, 3));
    s_b.selectLeaves(_leaves(3), MerkleTestData.single(9));
  }

  function test_RevertWhen_GetProof_TooManyHashSteps() public {
    // 512 leaves, all chosen: 511 hash steps, more than one flag word can describe.
    vm.expectRevert(abi.encodeWithSelector(MerkleTreeBuilder.TooManyHashSteps.selector, 257));
    s_b.getProof(_leaves(512), MerkleTestData.allIndices(512));
  }

  function test_GetProof_LargeTreeFewLeaves() public view {
    // Trees larger than 256 leaves are fine as long as the proof stays within 256 hash steps.
    bytes32[] memory l = _leaves(1000);
    _check(l, _idx(3, 999), MerkleTreeBuilder.getRoot(l));
  }

  // ───────────────────────────── utils ─────────────────────────────

  function _one(bytes32 leaf) internal pure returns (bytes32[] memory a) {
    a = new bytes32[](1);
    a[0] = leaf;
  }

  function _check(bytes32[] memory l, uint256[] memory indices, bytes32 root) internal view {
    (bytes32[] memory proofs, uint256 flags) = MerkleTreeBuilder.getProof(l, indices);
    assertEq(s_v.merkleRoot(MerkleTreeBuilder.selectLeaves(l, indices), proofs, flags), root);
  }
}
