// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MerkleMultiProof} from "../../contracts/libraries/MerkleMultiProof.sol";
import {Test} from "forge-std/Test.sol";

contract MerkleMultiProofHarness {
  function merkleRoot(bytes32[] memory leaves, bytes32[] memory proofs, uint256 flags) external pure returns (bytes32) {
    return MerkleMultiProof.merkleRoot(leaves, proofs, flags);
  }
}

contract MerkleMultiProofTest is Test {
  MerkleMultiProofHarness internal h = new MerkleMultiProofHarness();

  function test_SingleLeafIsRoot() public view {
    bytes32[] memory leaves = new bytes32[](1);
    leaves[0] = keccak256("a");
    assertEq(h.merkleRoot(leaves, new bytes32[](0), 0), leaves[0]);
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

  function test_RevertWhen_NoLeaves() public {
    vm.expectRevert(MerkleMultiProof.LeavesCannotBeEmpty.selector);
    h.merkleRoot(new bytes32[](0), new bytes32[](0), 0);
  }
}
