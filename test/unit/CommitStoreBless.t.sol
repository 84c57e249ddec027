// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ARM} from "../../contracts/ARM.sol";
import {CommitStore} from "../../contracts/CommitStore.sol";
import {IARM} from "../../contracts/interfaces/IARM.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {MockPriceRegistry} from "../helpers/CommitArmMocks.sol";
import {CommitStoreSetup} from "../helpers/CommitArmSetup.sol";

/// @notice CommitStore.commitAndBless (the risk network's signatures travel in the commit) and the price
/// registry the commit path reaches through the transmitters' records.
contract CommitStoreBlessTest is CommitStoreSetup {
  uint256[] internal s_blessKeys;

  function setUp() public override {
    super.setUp();
    // Bless voters with keys (weights 1 and 1, threshold 2) in place of the address-only fixture.
    ARM.Voter[] memory voters = new ARM.Voter[](2);
    for (uint256 i = 0; i < 2; ++i) {
      s_blessKeys.push(uint256(keccak256(abi.encode("commit store bless key", i))) % (2 ** 255));
      voters[i] = ARM.Voter(vm.addr(s_blessKeys[i]), _curseAddr(i), 1, 1);
    }
    s_arm.setConfig(ARM.Config(voters, 2, 2));
  }

  function _blessSigs(bytes32 root, uint256 n) internal view returns (IARM.Signature[] memory sigs) {
    bytes32 digest = s_arm.getBlessDigest(IARM.TaggedRoot(address(s_commitStore), root));
    sigs = new IARM.Signature[](n);
    for (uint256 i = 0; i < n; ++i) {
      (bytes32 r, bytes32 vs) = vm.signCompact(s_blessKeys[i], digest);
      sigs[i] = IARM.Signature(r, vs);
    }
  }

  function _commitAndBless(bytes memory report, uint40 epochAndRound, IARM.Signature[] memory sigs) internal {
    (bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs) = _sign(report, epochAndRound, _firstKeys(F + 1));
    bytes32[2] memory ctx = _context(epochAndRound);
    vm.prank(s_transmitter);
    s_commitStore.commitAndBless(ctx, report, rs, ss, rawVs, sigs);
  }

  function test_CommitAndBless_CommitsAndBlesses() public {
    bytes32 root = keccak256("leaf");
    bytes32[] memory leaves = new bytes32[](1);
    leaves[0] = root; // a single leaf is its own root
    vm.warp(777);
    vm.expectEmit(address(s_commitStore));
    emit CommitStore.ReportAccepted(root, 1, 1);
    vm.expectEmit(address(s_arm));
    emit ARM.TaggedRootBlessed(2, IARM.TaggedRoot(address(s_commitStore), root), 2);
    _commitAndBless(_rootReport(1, 1, root), 1, _blessSigs(root, 2));
    assertEq(s_commitStore.getMerkleRoot(root), 777);
    assertTrue(s_commitStore.isBlessed(root));
    assertEq(s_commitStore.verify(leaves, new bytes32[](0), 0), 777);
    assertEq(s_commitStore.getExpectedNextSequenceNumber(), 2);
  }

  function test_CommitAndBless_WithPrices() public {
    bytes32 root = keccak256("root");
    _commitAndBless(_report(_prices(2, 1, 5), 1, 3, root), 4, _blessSigs(root, 2));
    assertTrue(s_commitStore.isBlessed(root));
    assertEq(s_priceRegistry.getTokenPrice(address(0x70c1)).value, 6);
    assertEq(s_priceRegistry.getDestinationChainGasPrice(1000).value, 10);
  }

  function test_RevertWhen_CommitAndBlessPriceOnly() public {
    bytes memory report = _report(_prices(1, 0, 5), 0, 0, 0);
    (bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs) = _sign(report, 1, _firstKeys(F + 1));
    bytes32[2] memory ctx = _context(1);
    IARM.Signature[] memory sigs = _blessSigs(bytes32(0), 2);
    vm.prank(s_transmitter);
    vm.expectRevert(CommitStore.NothingToBless.selector);
    s_commitStore.commitAndBless(ctx, report, rs, ss, rawVs, sigs);
  }

  function test_RevertWhen_CommitAndBlessBlessingFails() public {
    // One signature of weight 1 under threshold 2: the whole commit reverts, so the transmitter can retry
    // with a plain commit.
    bytes32 root = keccak256("root");
    bytes memory report = _rootReport(1, 1, root);
    (bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs) = _sign(report, 1, _firstKeys(F + 1));
    bytes32[2] memory ctx = _context(1);
    IARM.Signature[] memory sigs = _blessSigs(root, 1);
    vm.prank(s_transmitter);
    vm.expectRevert(abi.encodeWithSelector(ARM.InsufficientBlessWeight.selector, 1, 2));
    s_commitStore.commitAndBless(ctx, report, rs, ss, rawVs, sigs);
    assertEq(s_commitStore.getMerkleRoot(root), 0);
    _commit(report, 1);
    assertGt(s_commitStore.getMerkleRoot(root), 0);
    assertFalse(s_commitStore.isBlessed(root));
  }

  function test_RevertWhen_CommitAndBlessSignedForOtherCommitStore() public {
    bytes32 root = keccak256("root");
    bytes32 digest = s_arm.getBlessDigest(IARM.TaggedRoot(address(0xbeef), root));
    IARM.Signature[] memory sigs = new IARM.Signature[](2);
    for (uint256 i = 0; i < 2; ++i) {
      (bytes32 r, bytes32 vs) = vm.signCompact(s_blessKeys[i], digest);
      sigs[i] = IARM.Signature(r, vs);
    }
    bytes memory report = _rootReport(1, 1, root);
    (bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs) = _sign(report, 1, _firstKeys(F + 1));
    bytes32[2] memory ctx = _context(1);
    vm.prank(s_transmitter);
    vm.expectRevert();
    s_commitStore.commitAndBless(ctx, report, rs, ss, rawVs, sigs);
  }

  function test_RevertWhen_CommitAndBlessUnauthorizedTransmitter() public {
    bytes32 root = keccak256("root");
    bytes memory report = _rootReport(1, 1, root);
    (bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs) = _sign(report, 1, _firstKeys(F + 1));
    bytes32[2] memory ctx = _context(1);
    IARM.Signature[] memory sigs = _blessSigs(root, 2);
    vm.expectRevert(abi.encodeWithSelector(CommitStore.UnauthorizedTransmitter.selector, address(this)));
    s_commitStore.commitAndBless(ctx, report, rs, ss, rawVs, sigs);
  }

  // ================================================================
  // │          Price registry mirrored in transmitter records      │
  // ================================================================

  function test_SetDynamicConfig_PricesGoToTheNewRegistry() public {
    MockPriceRegistry next = new MockPriceRegistry();
    s_commitStore.setDynamicConfig(CommitStore.DynamicConfig({priceRegistry: address(next)}));
    _commit(_report(_prices(1, 0, 9), 0, 0, 0), 1);
    assertEq(next.getTokenPrice(address(0x70c0)).value, 9);
    assertEq(s_priceRegistry.getTokenPrice(address(0x70c0)).value, 0);
  }

  function test_SetConfig_NewTransmitterUsesTheRegistry() public {
    address other = makeAddr("other transmitter");
    address[] memory transmitters = new address[](1);
    transmitters[0] = other;
    s_commitStore.setConfig(s_signerAddrs, transmitters, F);
    bytes memory report = _report(_prices(1, 0, 11), 0, 0, 0);
    (bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs) = _sign(report, 1, _firstKeys(F + 1));
    bytes32[2] memory ctx = _context(1);
    vm.prank(other);
    s_commitStore.commit(ctx, report, rs, ss, rawVs);
    assertEq(s_priceRegistry.getTokenPrice(address(0x70c0)).value, 11);
  }

  function test_RevertWhen_PriceRegistryWithoutCode() public {
    address eoa = makeAddr("no code");
    s_commitStore.setDynamicConfig(CommitStore.DynamicConfig({priceRegistry: eoa}));
    bytes memory report = _report(_prices(1, 0, 9), 0, 0, 0);
    (bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs) = _sign(report, 1, _firstKeys(F + 1));
    bytes32[2] memory ctx = _context(1);
    vm.prank(s_transmitter);
    vm.expectRevert(abi.encodeWithSelector(CommitStore.PriceRegistryWithoutCode.selector, eoa));
    s_commitStore.commit(ctx, report, rs, ss, rawVs);
  }

  function test_Commit_PriceRegistryRevertBubbles() public {
    RevertingPriceRegistry reverting = new RevertingPriceRegistry();
    s_commitStore.setDynamicConfig(CommitStore.DynamicConfig({priceRegistry: address(reverting)}));
    bytes memory report = _report(_prices(1, 0, 9), 0, 0, 0);
    (bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs) = _sign(report, 1, _firstKeys(F + 1));
    bytes32[2] memory ctx = _context(1);
    vm.prank(s_transmitter);
    vm.expectRevert(abi.encodeWithSelector(RevertingPriceRegistry.Nope.selector, uint256(1)));
    s_commitStore.commit(ctx, report, rs, ss, rawVs);
  }

  function test_Commit_NonCanonicalPriceEncoding() public {
    // The price updates are handed over undecoded: a report whose tuple sits at another offset still
    // reaches the registry intact.
    bytes memory inner = _report(_prices(1, 1, 13), 0, 0, 0);
    bytes memory report = new bytes(inner.length + 32);
    report[31] = 0x40; // outer tuple offset 0x40, one padding word
    for (uint256 i = 32; i < inner.length; ++i) {
      report[i + 32] = inner[i];
    }
    _commit(report, 1);
    assertEq(s_priceRegistry.getTokenPrice(address(0x70c0)).value, 13);
    assertEq(s_priceRegistry.getDestinationChainGasPrice(1000).value, 26);
  }

  function test_RevertWhen_PriceArrayOutOfBounds() public {
    bytes memory report = _report(_prices(1, 0, 13), 0, 0, 0);
    // Point the token array past the end of the report.
    bytes memory broken = bytes.concat(report);
    uint256 pricesAt = 32 + 0x80; // tuple offset word + head
    broken[pricesAt + 30] = 0xff;
    (bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs) = _sign(broken, 1, _firstKeys(F + 1));
    bytes32[2] memory ctx = _context(1);
    vm.prank(s_transmitter);
    vm.expectRevert();
    s_commitStore.commit(ctx, broken, rs, ss, rawVs);
    assertEq(s_commitStore.getLatestPriceEpochAndRound(), 0);
  }
}

contract RevertingPriceRegistry {
  error Nope(uint256 code);

  function updatePrices(Internal.PriceUpdates calldata) external pure {
    revert Nope(1);
  }
}
