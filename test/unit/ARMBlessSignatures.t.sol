// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ARM} from "../../contracts/ARM.sol";
import {IARM} from "../../contracts/interfaces/IARM.sol";
import {CommitArmSetup} from "../helpers/CommitArmSetup.sol";
import {Vm} from "forge-std/Test.sol";

/// @notice ARM.blessWithSignatures: bless voters' signatures instead of their vote transactions.
contract ARMBlessSignaturesTest is CommitArmSetup {
  bytes16 internal constant GLOBAL = 0x01000000000000000000000000000001;
  uint256 internal constant SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;

  ARM internal s_arm;
  uint256[] internal s_keys;
  IARM.TaggedRoot internal s_root = IARM.TaggedRoot(COMMIT_STORE_TAG, keccak256("root"));

  function setUp() public {
    // Three voters with bless weights 1, 2, 3; bless threshold 3.
    ARM.Voter[] memory voters = new ARM.Voter[](3);
    for (uint256 i = 0; i < 3; ++i) {
      s_keys.push(uint256(keccak256(abi.encode("bless key", i))) % (2 ** 255));
      voters[i] = ARM.Voter({
        blessVoteAddr: vm.addr(s_keys[i]), curseVoteAddr: _curseAddr(i), blessWeight: uint8(i + 1), curseWeight: 1
      });
    }
    s_arm = new ARM(address(this), ARM.Config(voters, 3, 2));
  }

  function _sig(uint256 key, bytes32 digest) internal pure returns (IARM.Signature memory) {
    (bytes32 r, bytes32 vs) = vm.signCompact(key, digest);
    return IARM.Signature({r: r, vs: vs});
  }

  /// @dev Signatures of the voters at `voterIndexes` over the current bless digest of `root`.
  function _sigs(IARM.TaggedRoot memory root, uint256[] memory voterIndexes)
    internal
    view
    returns (IARM.Signature[] memory sigs)
  {
    bytes32 digest = s_arm.getBlessDigest(root);
    sigs = new IARM.Signature[](voterIndexes.length);
    for (uint256 i = 0; i < voterIndexes.length; ++i) {
      sigs[i] = _sig(s_keys[voterIndexes[i]], digest);
    }
  }

  function _idx(uint256 a) internal pure returns (uint256[] memory out) {
    out = new uint256[](1);
    out[0] = a;
  }

  function _idx(uint256 a, uint256 b) internal pure returns (uint256[] memory out) {
    out = new uint256[](2);
    out[0] = a;
    out[1] = b;
  }

  function test_GetBlessDigest_BindsChainArmVersionAndTaggedRoot() public {
    bytes32 expected = keccak256(
      abi.encode(
        keccak256("CCIPLocal.ARM.BlessTaggedRoot.v1"),
        block.chainid,
        address(s_arm),
        uint32(1),
        s_root.commitStore,
        s_root.root
      )
    );
    assertEq(s_arm.BLESS_DIGEST_TAG(), keccak256("CCIPLocal.ARM.BlessTaggedRoot.v1"));
    assertEq(s_arm.getBlessDigest(s_root), expected);
    vm.chainId(block.chainid + 1);
    assertTrue(s_arm.getBlessDigest(s_root) != expected);
  }

  function test_BlessWithSignatures_Blesses() public {
    IARM.Signature[] memory sigs = _sigs(s_root, _idx(1, 0)); // any order
    vm.expectEmit(address(s_arm));
    emit ARM.BlessSignaturesAccepted(1, s_root, 0x3);
    vm.expectEmit(address(s_arm));
    emit ARM.TaggedRootBlessed(1, s_root, 3);
    vm.prank(makeAddr("anyone"));
    s_arm.blessWithSignatures(s_root, sigs);
    assertTrue(s_arm.isBlessed(s_root));
    (uint16 weight, uint16 bitmap, bool blessed) = s_arm.getBlessVoteProgress(s_root);
    assertEq(weight, 3);
    assertEq(bitmap, 0x3);
    assertTrue(blessed);
    // The blessing is for this tagged root only.
    assertFalse(s_arm.isBlessed(IARM.TaggedRoot(address(0xbeef), s_root.root)));
  }

  function test_BlessWithSignatures_AddsToVotesWithoutCountingAVoterTwice() public {
    vm.prank(vm.addr(s_keys[0]));
    s_arm.voteToBless(_one(s_root)); // weight 1
    // Voter 0 signs too: it still counts once, so 0 + 1 reach 3, not 4.
    s_arm.blessWithSignatures(s_root, _sigs(s_root, _idx(0, 1)));
    (uint16 weight, uint16 bitmap, bool blessed) = s_arm.getBlessVoteProgress(s_root);
    assertEq(weight, 3);
    assertEq(bitmap, 0x3);
    assertTrue(blessed);
  }

  function test_BlessWithSignatures_VoteCompletesSignatureShortfall() public {
    // Voter 1's vote (2) plus voter 0's signature (1) reach the threshold.
    vm.prank(vm.addr(s_keys[1]));
    s_arm.voteToBless(_one(s_root));
    s_arm.blessWithSignatures(s_root, _sigs(s_root, _idx(0)));
    assertTrue(s_arm.isBlessed(s_root));
  }

  function test_BlessWithSignatures_AlreadyBlessedIsLeftAlone() public {
    s_arm.blessWithSignatures(s_root, _sigs(s_root, _idx(2)));
    // Even a worthless signature set is then a no-op without events.
    IARM.Signature[] memory none = new IARM.Signature[](0);
    vm.recordLogs();
    s_arm.blessWithSignatures(s_root, none);
    assertEq(vm.getRecordedLogs().length, 0);
    assertTrue(s_arm.isBlessed(s_root));
  }

  function test_BlessWithSignatures_StaleBlessingOfEarlierConfigRedone() public {
    s_arm.blessWithSignatures(s_root, _sigs(s_root, _idx(2)));
    ARM.Config memory config;
    (,, config) = s_arm.getConfigDetails();
    s_arm.setConfig(config); // version 2: the blessing goes stale
    assertFalse(s_arm.isBlessed(s_root));
    s_arm.blessWithSignatures(s_root, _sigs(s_root, _idx(2)));
    assertTrue(s_arm.isBlessed(s_root));
  }

  function test_RevertWhen_BlessWithSignaturesBelowThreshold() public {
    IARM.Signature[] memory sigs = _sigs(s_root, _idx(1));
    vm.expectRevert(abi.encodeWithSelector(ARM.InsufficientBlessWeight.selector, 2, 3));
    s_arm.blessWithSignatures(s_root, sigs);
    vm.expectRevert(abi.encodeWithSelector(ARM.InsufficientBlessWeight.selector, 0, 3));
    s_arm.blessWithSignatures(s_root, new IARM.Signature[](0));
    assertFalse(s_arm.isBlessed(s_root));
  }

  function test_RevertWhen_BlessWithSignaturesNotAVoter() public {
    uint256 outsider = uint256(keccak256("outsider")) % (2 ** 255);
    IARM.Signature[] memory sigs = new IARM.Signature[](1);
    sigs[0] = _sig(outsider, s_arm.getBlessDigest(s_root));
    vm.expectRevert(abi.encodeWithSelector(ARM.UnauthorizedVoter.selector, vm.addr(outsider)));
    s_arm.blessWithSignatures(s_root, sigs);
  }

  function test_RevertWhen_BlessWithSignaturesCurseOnlyVoter() public {
    // A voter whose bless weight is 0 has no say in blessing, signature or not.
    ARM.Voter[] memory voters = new ARM.Voter[](2);
    voters[0] = ARM.Voter(vm.addr(s_keys[0]), _curseAddr(0), 0, 1);
    voters[1] = ARM.Voter(vm.addr(s_keys[1]), _curseAddr(1), 1, 1);
    s_arm.setConfig(ARM.Config(voters, 1, 1));
    IARM.Signature[] memory sigs = _sigs(s_root, _idx(0));
    vm.expectRevert(abi.encodeWithSelector(ARM.UnauthorizedVoter.selector, vm.addr(s_keys[0])));
    s_arm.blessWithSignatures(s_root, sigs);
  }

  function test_RevertWhen_BlessWithSignaturesOverOtherDigest() public {
    // Signed for another tagged root, another chain or an earlier config: recovers to someone else.
    IARM.TaggedRoot memory other = IARM.TaggedRoot(COMMIT_STORE_TAG, keccak256("other root"));
    bytes32 digest = s_arm.getBlessDigest(other);
    IARM.Signature[] memory sigs = new IARM.Signature[](1);
    sigs[0] = _sig(s_keys[2], digest);
    address recovered = ecrecover(
      s_arm.getBlessDigest(s_root),
      uint8(uint256(sigs[0].vs) >> 255) + 27,
      sigs[0].r,
      bytes32(uint256(sigs[0].vs) & (type(uint256).max >> 1))
    );
    vm.expectRevert(abi.encodeWithSelector(ARM.UnauthorizedVoter.selector, recovered));
    s_arm.blessWithSignatures(s_root, sigs);

    sigs = _sigs(s_root, _idx(2));
    vm.chainId(block.chainid + 1);
    vm.expectRevert();
    s_arm.blessWithSignatures(s_root, sigs);
    assertFalse(s_arm.isBlessed(s_root));
  }

  function test_RevertWhen_BlessWithSignaturesOfEarlierConfig() public {
    IARM.Signature[] memory sigs = _sigs(s_root, _idx(2));
    ARM.Config memory config;
    (,, config) = s_arm.getConfigDetails();
    s_arm.setConfig(config); // same voters, version 2
    vm.expectRevert();
    s_arm.blessWithSignatures(s_root, sigs);
    assertFalse(s_arm.isBlessed(s_root));
  }

  function test_RevertWhen_BlessWithSignaturesDuplicateSigner() public {
    IARM.Signature[] memory sigs = _sigs(s_root, _idx(0, 0));
    vm.expectRevert(abi.encodeWithSelector(ARM.DuplicateBlessSignature.selector, vm.addr(s_keys[0])));
    s_arm.blessWithSignatures(s_root, sigs);
  }

  function test_RevertWhen_BlessWithSignaturesMalleable() public {
    IARM.Signature[] memory sigs = _sigs(s_root, _idx(0, 2));
    // An s above n/2 (the upper half that still fits beside the recovery bit) is refused outright.
    sigs[1].vs = bytes32(SECP256K1_N / 2 + 1);
    vm.expectRevert(abi.encodeWithSelector(ARM.MalleableBlessSignature.selector, 1));
    s_arm.blessWithSignatures(s_root, sigs);
    sigs[1].vs = bytes32((uint256(1) << 255) | (SECP256K1_N / 2 + 1));
    vm.expectRevert(abi.encodeWithSelector(ARM.MalleableBlessSignature.selector, 1));
    s_arm.blessWithSignatures(s_root, sigs);
  }

  function test_RevertWhen_BlessWithSignaturesGloballyCursed() public {
    IARM.Signature[] memory sigs = _sigs(s_root, _idx(2));
    s_arm.ownerCurse(_one(GLOBAL));
    vm.expectRevert(ARM.GloballyCursed.selector);
    s_arm.blessWithSignatures(s_root, sigs);
    s_arm.ownerUncurse(_one(GLOBAL));
    s_arm.blessWithSignatures(s_root, sigs);
    assertTrue(s_arm.isBlessed(s_root));
  }

  function test_RevertWhen_BlessWithSignaturesAfterOwnerReset() public {
    IARM.Signature[] memory sigs = _sigs(s_root, _idx(2));
    s_arm.blessWithSignatures(s_root, sigs);
    s_arm.ownerResetBlessVotes(_one(s_root));
    assertFalse(s_arm.isBlessed(s_root));
    // The same signatures, replayed by anyone, no longer bless it under this config.
    vm.expectRevert(abi.encodeWithSelector(ARM.BlessSignaturesRevoked.selector, s_root));
    s_arm.blessWithSignatures(s_root, sigs);
    // Fresh votes still do.
    vm.prank(vm.addr(s_keys[2]));
    s_arm.voteToBless(_one(s_root));
    assertTrue(s_arm.isBlessed(s_root));
  }

  function test_VoteToBless_UnchangedBySignaturePath() public {
    // The vote-transaction path keeps its events and accounting.
    vm.recordLogs();
    vm.prank(vm.addr(s_keys[0]));
    s_arm.voteToBless(_one(s_root));
    vm.prank(vm.addr(s_keys[1]));
    s_arm.voteToBless(_one(s_root));
    Vm.Log[] memory logs = vm.getRecordedLogs();
    assertEq(logs.length, 3); // VotedToBless, VotedToBless, TaggedRootBlessed
    assertEq(logs[2].topics[0], ARM.TaggedRootBlessed.selector);
    assertTrue(s_arm.isBlessed(s_root));
  }
}
