// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MerkleMultiProof} from "../../contracts/libraries/MerkleMultiProof.sol";
import {MerkleTree} from "../../contracts/testkit/MerkleTree.sol";
import {Test} from "forge-std/Test.sol";

contract MerkleTreeHarness {
  function getRoot(bytes32[] memory leaves) external pure returns (bytes32) {
    return MerkleTree.getRoot(leaves);
  }

  function getProof(bytes32[] memory leaves, uint256[] memory indices)
    external
    pure
    returns (bytes32[] memory, uint256)
  {
    return MerkleTree.getProof(leaves, indices);
  }
}

contract MerkleTreeTest is Test {
  MerkleTreeHarness internal h = new MerkleTreeHarness();

  function _leaves(uint256 n, uint256 salt) internal pure returns (bytes32[] memory leaves) {
    leaves = new bytes32[](n);
    for (uint256 i = 0; i < n; ++i) {
      leaves[i] = keccak256(abi.encode(salt, i));
    }
  }

  function test_SingleLeafIsRoot() public view {
    bytes32[] memory leaves = _leaves(1, 0);
    assertEq(h.getRoot(leaves), leaves[0]);
    uint256[] memory indices = new uint256[](1);
    (bytes32[] memory proofs, uint256 flags) = h.getProof(leaves, indices);
    assertEq(proofs.length, 0);
    assertEq(flags, 0);
  }

  function test_ThreeLeavesMatchesDocumentedRule() public view {
    bytes32[] memory leaves = _leaves(3, 1);
    bytes32 ab = MerkleMultiProof._hashPair(leaves[0], leaves[1]);
    bytes32 c0 = MerkleMultiProof._hashPair(leaves[2], bytes32(0));
    assertEq(h.getRoot(leaves), MerkleMultiProof._hashPair(ab, c0));
    uint256[] memory all = new uint256[](3);
    (all[0], all[1], all[2]) = (0, 1, 2);
    (bytes32[] memory proofs, uint256 flags) = h.getProof(leaves, all);
    assertEq(proofs.length, 1);
    assertEq(proofs[0], bytes32(0));
    assertEq(flags, 0x5);
  }

  function test_RevertWhen_IndicesNotAscending() public {
    uint256[] memory indices = new uint256[](2);
    (indices[0], indices[1]) = (1, 1);
    vm.expectRevert(MerkleTree.IndicesNotAscending.selector);
    h.getProof(_leaves(3, 0), indices);
  }

  function test_RevertWhen_IndexOutOfRange() public {
    uint256[] memory indices = new uint256[](1);
    indices[0] = 3;
    vm.expectRevert(abi.encodeWithSelector(MerkleTree.IndexOutOfRange.selector, 3, 3));
    h.getProof(_leaves(3, 0), indices);
  }

  function test_RevertWhen_NoLeaves() public {
    vm.expectRevert(MerkleTree.NoLeaves.selector);
    h.getRoot(new bytes32[](0));
  }

  /// @dev Every subset of every tree size proves the same root through MerkleMultiProof.
  function testFuzz_ProofVerifiesForAnySubset(uint8 rawN, uint256 subsetMask, uint256 salt) public pure {
    uint256 n = bound(rawN, 1, 64);
    bytes32[] memory leaves = _leaves(n, salt);
    uint256 count;
    for (uint256 i = 0; i < n; ++i) {
      if ((subsetMask >> i) & 1 == 1) ++count;
    }
    if (count == 0) {
      subsetMask = 1;
      count = 1;
    }
    uint256[] memory indices = new uint256[](count);
    bytes32[] memory subset = new bytes32[](count);
    uint256 k;
    for (uint256 i = 0; i < n; ++i) {
      if ((subsetMask >> i) & 1 == 1) {
        indices[k] = i;
        subset[k++] = leaves[i];
      }
    }
    (bytes32[] memory proofs, uint256 flags) = MerkleTree.getProof(leaves, indices);
    assertEq(MerkleMultiProof.merkleRoot(subset, proofs, flags), MerkleTree.getRoot(leaves));
  }
}
