// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ARM} from "../../contracts/ARM.sol";
import {IARM} from "../../contracts/interfaces/IARM.sol";
import {CommitArmSetup} from "../helpers/CommitArmSetup.sol";

contract ARMFuzzTest is CommitArmSetup {
  ARM internal s_arm;
  uint256[] internal s_order;

  /// @dev Deploys an ARM with `n` voters of fuzzed weights (same in both roles) and returns the total.
  function _deploy(uint8[16] memory rawWeights, uint256 n, uint256 blessSeed, uint256 curseSeed)
    internal
    returns (uint256 total, uint16 blessThreshold, uint16 curseThreshold)
  {
    ARM.Voter[] memory voters = _armVoters(n, 1, 1);
    for (uint256 i = 0; i < n; ++i) {
      uint8 w = uint8(bound(rawWeights[i], 1, 255));
      voters[i].blessWeight = w;
      voters[i].curseWeight = w;
      total += w;
    }
    blessThreshold = uint16(bound(blessSeed, 1, total));
    curseThreshold = uint16(bound(curseSeed, 1, total));
    s_arm = new ARM(address(this), ARM.Config(voters, blessThreshold, curseThreshold));
  }

  /// @dev A permutation of 0..n-1 from `seed` (Fisher-Yates).
  function _permutation(uint256 n, uint256 seed) internal returns (uint256[] memory order) {
    delete s_order;
    for (uint256 i = 0; i < n; ++i) {
      s_order.push(i);
    }
    for (uint256 i = n; i > 1; --i) {
      uint256 j = uint256(keccak256(abi.encode(seed, i))) % i;
      (s_order[i - 1], s_order[j]) = (s_order[j], s_order[i - 1]);
    }
    return s_order;
  }

  function testFuzz_BlessAtThreshold(
    uint8[16] memory weights,
    uint256 n,
    uint256 thresholdSeed,
    uint256 orderSeed,
    bytes32 root
  ) public {
    n = bound(n, 1, 16);
    (, uint16 threshold,) = _deploy(weights, n, thresholdSeed, 1);
    (,, ARM.Config memory config) = s_arm.getConfigDetails();
    IARM.TaggedRoot memory taggedRoot = IARM.TaggedRoot(COMMIT_STORE_TAG, root);
    uint256[] memory order = _permutation(n, orderSeed);
    uint256 accumulated = 0;
    bool blessed = false;
    for (uint256 k = 0; k < n; ++k) {
      uint256 v = order[k];
      vm.prank(_blessAddr(v));
      s_arm.voteToBless(_one(taggedRoot));
      if (!blessed) {
        accumulated += config.voters[v].blessWeight;
        blessed = accumulated >= threshold;
      }
      assertEq(s_arm.isBlessed(taggedRoot), blessed);
      (uint16 weight,, bool progressBlessed) = s_arm.getBlessVoteProgress(taggedRoot);
      assertEq(weight, accumulated);
      assertEq(progressBlessed, blessed);
    }
    assertTrue(blessed); // every voter voted and the threshold is at most the total
  }

  function testFuzz_RepeatedVotesNeverCount(uint8[16] memory weights, uint256 n, uint256 voter, bytes32 root) public {
    n = bound(n, 2, 16);
    (uint256 total,,) = _deploy(weights, n, type(uint256).max, 1); // threshold = total
    voter = bound(voter, 0, n - 1);
    IARM.TaggedRoot memory taggedRoot = IARM.TaggedRoot(COMMIT_STORE_TAG, root);
    for (uint256 i = 0; i < 3; ++i) {
      vm.prank(_blessAddr(voter));
      s_arm.voteToBless(_one(taggedRoot));
    }
    (uint16 weight, uint16 bitmap,) = s_arm.getBlessVoteProgress(taggedRoot);
    (,, ARM.Config memory config) = s_arm.getConfigDetails();
    assertEq(weight, config.voters[voter].blessWeight);
    assertEq(bitmap, 1 << voter);
    assertEq(s_arm.isBlessed(taggedRoot), weight >= total);
  }

  function testFuzz_ConfigChangeInvalidatesVotes(uint8[16] memory weights, uint256 n, uint256 votes, bytes32 root)
    public
  {
    n = bound(n, 1, 16);
    _deploy(weights, n, type(uint256).max, 1); // threshold = total: blessed only once all voted
    votes = bound(votes, 1, n);
    IARM.TaggedRoot memory taggedRoot = IARM.TaggedRoot(COMMIT_STORE_TAG, root);
    for (uint256 v = 0; v < votes; ++v) {
      vm.prank(_blessAddr(v));
      s_arm.voteToBless(_one(taggedRoot));
    }
    assertEq(s_arm.isBlessed(taggedRoot), votes == n);
    (,, ARM.Config memory config) = s_arm.getConfigDetails();
    s_arm.setConfig(config);
    assertFalse(s_arm.isBlessed(taggedRoot));
    (uint16 weight, uint16 bitmap, bool blessed) = s_arm.getBlessVoteProgress(taggedRoot);
    assertEq(weight, 0);
    assertEq(bitmap, 0);
    assertFalse(blessed);
    // The same voters can vote again under the new version.
    vm.prank(_blessAddr(0));
    s_arm.voteToBless(_one(taggedRoot));
    (weight,,) = s_arm.getBlessVoteProgress(taggedRoot);
    assertEq(weight, config.voters[0].blessWeight);
  }

  function testFuzz_CurseThenOwnerLift(
    uint8[16] memory weights,
    uint256 n,
    uint256 thresholdSeed,
    uint256 orderSeed,
    uint64 chainSelector
  ) public {
    n = bound(n, 1, 16);
    (,, uint16 threshold) = _deploy(weights, n, 1, thresholdSeed);
    (,, ARM.Config memory config) = s_arm.getConfigDetails();
    bytes16 subject = _subject(chainSelector);
    uint256[] memory order = _permutation(n, orderSeed);
    uint256 accumulated = 0;
    for (uint256 k = 0; k < n; ++k) {
      uint256 v = order[k];
      vm.prank(_curseAddr(v));
      s_arm.voteToCurse(_one(subject));
      accumulated += config.voters[v].curseWeight;
      assertEq(s_arm.isCursed(subject), accumulated >= threshold);
      (uint16 weight,, bool cursed,) = s_arm.getCurseProgress(subject);
      assertEq(weight, accumulated);
      assertEq(cursed, accumulated >= threshold);
    }
    assertTrue(s_arm.isCursed(subject));
    assertEq(s_arm.getCursedSubjects().length, 1);
    assertEq(s_arm.isCursed(), subject == 0x01000000000000000000000000000001);

    s_arm.ownerUncurse(_one(subject));
    assertFalse(s_arm.isCursed(subject));
    assertFalse(s_arm.isCursed());
    assertEq(s_arm.getCursedSubjects().length, 0);
  }

  function testFuzz_OwnerCurseAndLiftManySubjects(uint64[8] memory selectors, uint256 liftMask) public {
    _deploy([uint8(1), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2, 1, 1);
    bytes16[] memory subjects = new bytes16[](8);
    for (uint256 i = 0; i < 8; ++i) {
      // Distinct subjects, never the global one.
      subjects[i] = _subject(uint64(bound(selectors[i], 2, type(uint64).max / 8)) * 8 + uint64(i));
    }
    s_arm.ownerCurse(subjects);
    assertEq(s_arm.getCursedSubjects().length, 8);
    uint256 lifted = 0;
    for (uint256 i = 0; i < 8; ++i) {
      if ((liftMask >> i) & 1 == 1) {
        s_arm.ownerUncurse(_one(subjects[i]));
        ++lifted;
      }
    }
    bytes16[] memory cursed = s_arm.getCursedSubjects();
    assertEq(cursed.length, 8 - lifted);
    for (uint256 i = 0; i < 8; ++i) {
      bool shouldBeCursed = (liftMask >> i) & 1 == 0;
      assertEq(s_arm.isCursed(subjects[i]), shouldBeCursed);
      bool listed = false;
      for (uint256 j = 0; j < cursed.length; ++j) {
        if (cursed[j] == subjects[i]) listed = true;
      }
      assertEq(listed, shouldBeCursed);
    }
  }
}
