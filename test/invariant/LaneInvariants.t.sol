// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ARM} from "../../contracts/ARM.sol";
import {CommitStore} from "../../contracts/CommitStore.sol";
import {IARM} from "../../contracts/interfaces/IARM.sol";
import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {OffRamp} from "../../contracts/offRamp/OffRamp.sol";
import {OnRamp} from "../../contracts/onRamp/OnRamp.sol";
import {LockReleaseTokenPool} from "../../contracts/pools/LockReleaseTokenPool.sol";
import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";
import {LaneInvariantHandler} from "../helpers/LaneInvariantHandler.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Lane invariants of the real pipeline on 2 chains under random sends (ordered, out-of-order,
/// starved receivers, both pools), routes, partial commits, curses, manual executions and time warps.
contract LaneInvariants is Test {
  CCIPLocalNetwork internal kit;
  LaneInvariantHandler internal handler;

  function setUp() public {
    kit = new CCIPLocalNetwork(2);
    handler = new LaneInvariantHandler(kit);
    targetContract(address(handler));
  }

  /// @notice The handler's actions reach every state the invariants talk about (guards against vacuous runs).
  function test_HandlerReachesFailureManualExecutionAndCurses() public {
    handler.sendData(0, false, false, 1_000); // starved receiver
    handler.sendTokens(1, false, true, 5e18, 0, true); // LnM to the receiver, no call
    handler.route();
    assertEq(handler.numFailure(), 1);
    assertEq(handler.numSuccess(), 1);
    bytes32 failed = handler.ids(0);
    handler.manuallyExecute(0, 500_000);
    assertEq(handler.successCount(failed), 1);
    assertEq(handler.receivers(1).s_count(failed), 1);

    handler.curseSource(false);
    handler.sendTokens(2, false, false, 3e18, 100_000, true); // BnM in flight while cursed
    handler.route();
    handler.executePending();
    assertEq(handler.numSuccess(), 2);
    assertEq(handler.inFlight(0, 1), 3e18);
    handler.uncurseSource(false);
    handler.route();
    assertEq(handler.numSuccess(), 3);
    assertEq(handler.inFlight(0, 1), 0);
    assertEq(handler.executedWhileCursed(), 0);
    invariant_tokensConserved();
    invariant_receiversHoldDelivered();
    invariant_onlyCommittedAndBlessedExecutes();
  }

  /// @notice No message executes twice: at most one SUCCESS per id, and each receiver saw each id at most once.
  function invariant_noDoubleExecution() public view {
    assertLe(handler.maxSuccessCount(), 1, "SUCCESS twice");
    uint256 n = handler.numIds();
    for (uint256 i = 0; i < n; ++i) {
      bytes32 id = handler.ids(i);
      (uint8 direction,,,,) = handler.sent(id);
      assertLe(handler.receivers(1 - direction).s_count(id), 1, "receiver ran twice");
    }
  }

  /// @notice Every SUCCESS belongs to a root its CommitStore holds and the ARM blessed, and the OffRamp's
  /// own state agrees with the outcomes the kit reported.
  function invariant_onlyCommittedAndBlessedExecutes() public view {
    uint256 n = handler.numIds();
    for (uint256 i = 0; i < n; ++i) {
      bytes32 id = handler.ids(i);
      (uint8 direction,,,,) = handler.sent(id);
      (, address commitStore, address offRamp) =
        kit.getLane(handler.selectors(direction), handler.selectors(1 - direction));
      Internal.EVM2EVMMessage memory m = kit.getMessage(id);
      bool succeeded = OffRamp(offRamp).getExecutionState(m.sequenceNumber) == Internal.MessageExecutionState.SUCCESS;
      assertEq(succeeded, handler.successCount(id) == 1, "outcomes disagree with the OffRamp");
      if (!succeeded) continue;
      (bool committed, bytes32 root) = kit.getCommittedRoot(id);
      assertTrue(committed, "executed without commit");
      assertGt(CommitStore(commitStore).getMerkleRoot(root), 0, "root unknown to the CommitStore");
      address arm = handler.chain(1 - direction).arm;
      assertTrue(ARM(arm).isBlessed(IARM.TaggedRoot({commitStore: commitStore, root: root})), "root not blessed");
    }
  }

  /// @notice Sequence numbers per lane are 1..n without gaps, and nothing beyond n is committed.
  function invariant_contiguousSequenceNumbers() public view {
    assertEq(handler.seqGaps(), 0, "sequence gap");
    assertEq(handler.nonceErrors(), 0, "nonce error");
    for (uint256 d = 0; d < 2; ++d) {
      (address onRamp, address commitStore,) = kit.getLane(handler.selectors(d), handler.selectors(1 - d));
      uint64 n = handler.sentCount(d);
      assertEq(OnRamp(onRamp).getExpectedNextSequenceNumber(), n + 1, "OnRamp count");
      assertLe(CommitStore(commitStore).getExpectedNextSequenceNumber() - 1, n, "committed beyond sent");
    }
  }

  /// @notice A lane whose source its destination curses executes nothing.
  function invariant_cursedLaneExecutesNothing() public view {
    assertEq(handler.executedWhileCursed(), 0, "executed while cursed");
  }

  /// @notice Tokens are conserved: BnM supply across chains plus BnM in flight is constant; locked LnM
  /// minus released LnM on the other side is exactly what is in flight; receivers hold what was delivered.
  function invariant_tokensConserved() public view {
    CCIPLocalNetwork.Chain memory a = handler.chain(0);
    CCIPLocalNetwork.Chain memory b = handler.chain(1);
    uint256 supply = IERC20(a.bnmToken).totalSupply() + IERC20(b.bnmToken).totalSupply();
    assertEq(supply + handler.inFlight(0, 1) + handler.inFlight(1, 1), handler.bnmSupply0(), "BnM not conserved");

    uint256 lockedA = LockReleaseTokenPool(a.lnmPool).getLockedTotal();
    uint256 releasedB = LockReleaseTokenPool(b.lnmPool).getReleasedTotal();
    uint256 lockedB = LockReleaseTokenPool(b.lnmPool).getLockedTotal();
    uint256 releasedA = LockReleaseTokenPool(a.lnmPool).getReleasedTotal();
    assertGe(lockedA, releasedB, "LnM A->B released more than locked");
    assertGe(lockedB, releasedA, "LnM B->A released more than locked");
    assertEq(lockedA - releasedB, handler.inFlight(0, 2), "LnM A->B in flight");
    assertEq(lockedB - releasedA, handler.inFlight(1, 2), "LnM B->A in flight");
    assertEq(lockedA, handler.debited(0, 2), "LnM locked != debited");
    assertEq(lockedB, handler.debited(1, 2), "LnM locked != debited");
  }

  /// @notice Each receiver holds exactly the tokens delivered to it (BnM minted, LnM released).
  function invariant_receiversHoldDelivered() public view {
    uint256[2][2] memory expected; // [chain][bnm=0, lnm=1]
    uint256 n = handler.numIds();
    for (uint256 i = 0; i < n; ++i) {
      bytes32 id = handler.ids(i);
      (uint8 direction, uint8 tokenKind,, address receiver, uint256 amount) = handler.sent(id);
      if (tokenKind == 0 || handler.successCount(id) == 0) continue;
      if (receiver != address(handler.receivers(1 - direction))) continue;
      expected[1 - direction][tokenKind - 1] += amount;
    }
    for (uint256 c = 0; c < 2; ++c) {
      CCIPLocalNetwork.Chain memory ch = handler.chain(c);
      address receiver = address(handler.receivers(c));
      assertEq(IERC20(ch.bnmToken).balanceOf(receiver), expected[c][0], "receiver BnM");
      assertEq(IERC20(ch.lnmToken).balanceOf(receiver), expected[c][1], "receiver LnM");
    }
  }
}
