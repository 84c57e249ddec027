// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CommitStore} from "../../contracts/CommitStore.sol";
import {Router} from "../../contracts/Router.sol";
import {Messenger} from "../../contracts/applications/Messenger.sol";
import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {OffRamp} from "../../contracts/offRamp/OffRamp.sol";
import {OnRamp} from "../../contracts/onRamp/OnRamp.sol";
import {LockReleaseTokenPool} from "../../contracts/pools/LockReleaseTokenPool.sol";
import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";
import {IntegrationCountingReceiver, IntegrationTokenVault} from "../helpers/IntegrationReceivers.sol";
import {Test} from "forge-std/Test.sol";

/// @notice The real pipeline (Router -> OnRamp -> pools -> CommitStore -> ARM -> OffRamp -> receiver)
/// driven through the CCIPLocalNetwork kit.
contract CCIPLocalNetworkIntegrationTest is Test {
  address internal constant USER = address(0xA11CE);
  address internal constant RECIPIENT = address(0xB0B);
  uint256 internal constant FUNDS = 1_000_000e18;

  CCIPLocalNetwork internal kit;
  CCIPLocalNetwork.Chain internal a;
  CCIPLocalNetwork.Chain internal b;

  function setUp() public {
    kit = new CCIPLocalNetwork(2);
    a = kit.getChain(kit.defaultChainSelector(0));
    b = kit.getChain(kit.defaultChainSelector(1));
    kit.fund(a.chainSelector, USER, FUNDS);
    kit.fund(b.chainSelector, USER, FUNDS);
  }

  // ================================================================
  // │                           Helpers                            │
  // ================================================================

  function _send(
    CCIPLocalNetwork.Chain memory src,
    uint64 dest,
    address receiver,
    bytes memory data,
    Client.EVMTokenAmount[] memory tokens,
    bytes memory extraArgs
  ) internal returns (bytes32 id) {
    Client.EVM2AnyMessage memory m = Client.EVM2AnyMessage({
      receiver: abi.encode(receiver), data: data, tokenAmounts: tokens, feeToken: src.linkToken, extraArgs: extraArgs
    });
    uint256 fee = Router(src.router).getFee(dest, m);
    vm.startPrank(USER);
    IERC20(src.linkToken).approve(src.router, fee);
    for (uint256 i = 0; i < tokens.length; ++i) {
      IERC20(tokens[i].token).approve(src.router, tokens[i].amount);
    }
    id = Router(src.router).ccipSend(dest, m);
    vm.stopPrank();
  }

  function _data(CCIPLocalNetwork.Chain memory src, uint64 dest, address receiver, bytes memory extraArgs)
    internal
    returns (bytes32)
  {
    return _send(src, dest, receiver, "ping", new Client.EVMTokenAmount[](0), extraArgs);
  }

  function _tokens(address token, uint256 amount) internal pure returns (Client.EVMTokenAmount[] memory t) {
    t = new Client.EVMTokenAmount[](1);
    t[0] = Client.EVMTokenAmount({token: token, amount: amount});
  }

  function _gas(uint256 gasLimit) internal pure returns (bytes memory) {
    return Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: gasLimit}));
  }

  function _outOfOrder(uint256 gasLimit) internal pure returns (bytes memory) {
    return Client._argsToBytes(Client.EVMExtraArgsV2({gasLimit: gasLimit, allowOutOfOrderExecution: true}));
  }

  function _assertSuccess(CCIPLocalNetwork.Outcome memory o, bytes32 id) internal pure {
    assertEq(o.messageId, id, "message id");
    assertEq(uint8(o.state), uint8(Internal.MessageExecutionState.SUCCESS), "state");
    assertEq(o.returnData.length, 0, "return data");
  }

  // ================================================================
  // │                        Data messages                         │
  // ================================================================

  function test_DataMessageToMessenger() public {
    Messenger senderApp = new Messenger(a.router);
    Messenger receiverApp = new Messenger(b.router);
    vm.startPrank(USER);
    IERC20(a.linkToken).approve(address(senderApp), type(uint256).max);
    bytes32 id = senderApp.sendText(b.chainSelector, address(receiverApp), "hello from A", a.linkToken);
    vm.stopPrank();

    CCIPLocalNetwork.Outcome[] memory outcomes = kit.route();
    assertEq(outcomes.length, 1);
    _assertSuccess(outcomes[0], id);
    assertEq(outcomes[0].sourceChainSelector, a.chainSelector);
    assertEq(outcomes[0].destChainSelector, b.chainSelector);
    assertEq(outcomes[0].sequenceNumber, 1);

    Messenger.Received memory got = receiverApp.getLastReceived();
    assertEq(got.messageId, id);
    assertEq(got.text, "hello from A");
    assertEq(got.sender, address(senderApp));
    assertEq(got.sourceChainSelector, a.chainSelector);
    assertEq(receiverApp.getReceivedCount(), 1);

    // Nothing left: a second route is a no-op.
    assertEq(kit.route().length, 0);
    assertEq(receiverApp.getReceivedCount(), 1);
  }

  function test_OutcomeMatchesOffRampState() public {
    bytes32 id = _data(a, b.chainSelector, RECIPIENT, "");
    kit.route();
    (,, address offRamp) = kit.getLane(a.chainSelector, b.chainSelector);
    assertEq(uint8(OffRamp(offRamp).getExecutionState(1)), uint8(Internal.MessageExecutionState.SUCCESS));
    _assertSuccess(kit.getOutcome(id), id);
    (bool committed, bytes32 root) = kit.getCommittedRoot(id);
    assertTrue(committed);
    (, address commitStore,) = kit.getLane(a.chainSelector, b.chainSelector);
    assertTrue(CommitStore(commitStore).isBlessed(root));
    assertGt(CommitStore(commitStore).getMerkleRoot(root), 0);
  }

  // ================================================================
  // │                       Token transfers                        │
  // ================================================================

  function test_BurnMintTransferToEOA() public {
    uint256 amount = 100e18;
    uint256 supplyA = IERC20(a.bnmToken).totalSupply();
    uint256 supplyB = IERC20(b.bnmToken).totalSupply();
    bytes32 id = _send(a, b.chainSelector, RECIPIENT, "", _tokens(a.bnmToken, amount), "");

    // Burned on the source at send time.
    assertEq(IERC20(a.bnmToken).totalSupply(), supplyA - amount);
    assertEq(IERC20(a.bnmToken).balanceOf(USER), FUNDS - amount);
    assertEq(IERC20(a.bnmToken).balanceOf(a.bnmPool), 0);
    assertEq(IERC20(b.bnmToken).balanceOf(RECIPIENT), 0);

    CCIPLocalNetwork.Outcome[] memory outcomes = kit.route();
    assertEq(outcomes.length, 1);
    _assertSuccess(outcomes[0], id);
    // Minted on the destination.
    assertEq(IERC20(b.bnmToken).balanceOf(RECIPIENT), amount);
    assertEq(IERC20(b.bnmToken).totalSupply(), supplyB + amount);
  }

  function test_LockReleaseTransferToEOA() public {
    uint256 amount = 250e18;
    LockReleaseTokenPool poolA = LockReleaseTokenPool(a.lnmPool);
    LockReleaseTokenPool poolB = LockReleaseTokenPool(b.lnmPool);
    uint256 poolABalance = IERC20(a.lnmToken).balanceOf(a.lnmPool);
    uint256 poolBBalance = IERC20(b.lnmToken).balanceOf(b.lnmPool);
    bytes32 id = _send(a, b.chainSelector, RECIPIENT, "", _tokens(a.lnmToken, amount), "");

    assertEq(IERC20(a.lnmToken).balanceOf(a.lnmPool), poolABalance + amount);
    assertEq(poolA.getLockedTotal(), amount);
    assertEq(poolB.getReleasedTotal(), 0);

    CCIPLocalNetwork.Outcome[] memory outcomes = kit.route();
    _assertSuccess(outcomes[0], id);
    assertEq(IERC20(b.lnmToken).balanceOf(RECIPIENT), amount);
    assertEq(IERC20(b.lnmToken).balanceOf(b.lnmPool), poolBBalance - amount);
    assertEq(poolB.getReleasedTotal(), amount);
    assertEq(poolA.getReleasedTotal(), 0);
    assertEq(poolB.getLockedTotal(), 0);
  }

  function test_BothPoolsInOneMessage() public {
    Client.EVMTokenAmount[] memory t = new Client.EVMTokenAmount[](2);
    t[0] = Client.EVMTokenAmount({token: a.bnmToken, amount: 7e18});
    t[1] = Client.EVMTokenAmount({token: a.lnmToken, amount: 9e18});
    bytes32 id = _send(a, b.chainSelector, RECIPIENT, "", t, "");
    _assertSuccess(kit.route()[0], id);
    assertEq(IERC20(b.bnmToken).balanceOf(RECIPIENT), 7e18);
    assertEq(IERC20(b.lnmToken).balanceOf(RECIPIENT), 9e18);
  }

  function test_ProgrammableTokenTransferIntoVault() public {
    IntegrationTokenVault vault = new IntegrationTokenVault(b.router);
    bytes32 id = _send(a, b.chainSelector, address(vault), abi.encode("invoice-42"), _tokens(a.bnmToken, 50e18), "");

    _assertSuccess(kit.route()[0], id);
    assertEq(IERC20(b.bnmToken).balanceOf(address(vault)), 50e18);
    assertEq(vault.s_credits(USER, b.bnmToken), 50e18);
    assertEq(vault.s_memos(id), "invoice-42");
    assertEq(vault.s_deposits(), 1);
  }

  // ================================================================
  // │                  Failure and manual execution                │
  // ================================================================

  function test_OutOfGasReceiverThenManualExecution() public {
    IntegrationCountingReceiver receiver = new IntegrationCountingReceiver(b.router, 10); // ~220k gas
    bytes32 id = _send(a, b.chainSelector, address(receiver), "work", _tokens(a.bnmToken, 3e18), _gas(60_000));

    CCIPLocalNetwork.Outcome[] memory outcomes = kit.route();
    assertEq(outcomes.length, 1);
    assertEq(uint8(outcomes[0].state), uint8(Internal.MessageExecutionState.FAILURE));
    // Out of gas inside the receiver: the Router reports failure with no data.
    assertEq(outcomes[0].returnData, abi.encodeWithSelector(OffRamp.ReceiverError.selector, bytes("")));
    assertEq(receiver.s_count(id), 0);
    // The failed message's tokens were not minted (rolled back with the receiver call).
    assertEq(IERC20(b.bnmToken).balanceOf(address(receiver)), 0);

    // Routing again does not retry a FAILURE: only manual execution does.
    assertEq(kit.route().length, 0);

    // Too little gas again: manual execution reverts instead of recording a second failure.
    vm.expectRevert(
      abi.encodeWithSelector(
        OffRamp.ExecutionError.selector, id, abi.encodeWithSelector(OffRamp.ReceiverError.selector, bytes(""))
      )
    );
    kit.manuallyExecute(id, 60_000);

    CCIPLocalNetwork.Outcome memory outcome = kit.manuallyExecute(id, 1_000_000);
    _assertSuccess(outcome, id);
    assertEq(receiver.s_count(id), 1);
    assertEq(IERC20(b.bnmToken).balanceOf(address(receiver)), 3e18);

    vm.expectRevert(
      abi.encodeWithSelector(
        CCIPLocalNetwork.NotManuallyExecutable.selector, id, Internal.MessageExecutionState.SUCCESS
      )
    );
    kit.manuallyExecute(id, 1_000_000);
  }

  function test_ManualExecutionOfUntouchedWarpsPastThreshold() public {
    bytes32 id = _data(a, b.chainSelector, RECIPIENT, "");
    kit.commitOnly();
    uint256 before = block.timestamp;
    _assertSuccess(kit.manuallyExecute(id, 0), id);
    assertGt(block.timestamp, before + 1 hours);
  }

  // ================================================================
  // │                     Ordering and nonces                      │
  // ================================================================

  function test_OrderedMessagesKeepNoncesAcrossRoutes() public {
    bytes32[] memory ids = new bytes32[](4);
    ids[0] = _data(a, b.chainSelector, RECIPIENT, "");
    ids[1] = _data(a, b.chainSelector, RECIPIENT, "");
    assertEq(kit.route().length, 2);
    ids[2] = _data(a, b.chainSelector, RECIPIENT, "");
    ids[3] = _data(a, b.chainSelector, RECIPIENT, "");
    CCIPLocalNetwork.Outcome[] memory outcomes = kit.route();
    assertEq(outcomes.length, 2);
    _assertSuccess(outcomes[0], ids[2]);
    _assertSuccess(outcomes[1], ids[3]);

    for (uint256 i = 0; i < 4; ++i) {
      Internal.EVM2EVMMessage memory m = kit.getMessage(ids[i]);
      assertEq(m.nonce, i + 1, "nonce");
      assertEq(m.sequenceNumber, i + 1, "seq");
      _assertSuccess(kit.getOutcome(ids[i]), ids[i]);
    }
    (address onRamp, address commitStore, address offRamp) = kit.getLane(a.chainSelector, b.chainSelector);
    assertEq(OnRamp(onRamp).getSenderNonce(USER), 4);
    assertEq(OffRamp(offRamp).getSenderNonce(USER), 4);
    assertEq(CommitStore(commitStore).getExpectedNextSequenceNumber(), 5);
  }

  function test_OutOfOrderMessagesGetNonceZero() public {
    bytes32 ordered = _data(a, b.chainSelector, RECIPIENT, "");
    bytes32 unordered = _data(a, b.chainSelector, RECIPIENT, _outOfOrder(100_000));
    kit.sync();
    assertEq(kit.getMessage(ordered).nonce, 1);
    assertEq(kit.getMessage(unordered).nonce, 0);
    assertEq(kit.getMessage(unordered).sequenceNumber, 2);

    // The out-of-order message runs alone, ahead of the ordered one.
    _assertSuccess(kit.routeMessage(unordered), unordered);
    assertEq(uint8(kit.getOutcome(ordered).state), uint8(Internal.MessageExecutionState.UNTOUCHED));
    (,, address offRamp) = kit.getLane(a.chainSelector, b.chainSelector);
    assertEq(OffRamp(offRamp).getSenderNonce(USER), 0);

    CCIPLocalNetwork.Outcome[] memory outcomes = kit.executePending();
    assertEq(outcomes.length, 1);
    _assertSuccess(outcomes[0], ordered);
    assertEq(OffRamp(offRamp).getSenderNonce(USER), 1);
  }

  function test_CommitOnlyThenExecutePending() public {
    bytes32 id = _data(a, b.chainSelector, RECIPIENT, "");
    assertEq(kit.commitOnly(), 1);
    assertEq(uint8(kit.getOutcome(id).state), uint8(Internal.MessageExecutionState.UNTOUCHED));
    (bool committed,) = kit.getCommittedRoot(id);
    assertTrue(committed);
    assertEq(kit.commitOnly(), 0);
    CCIPLocalNetwork.Outcome[] memory outcomes = kit.executePending();
    assertEq(outcomes.length, 1);
    _assertSuccess(outcomes[0], id);
  }

  // ================================================================
  // │                            Curses                            │
  // ================================================================

  function test_CursedLaneExecutesNothingAndUncurseResumes() public {
    IntegrationCountingReceiver receiver = new IntegrationCountingReceiver(b.router, 1);
    bytes32 first = _data(a, b.chainSelector, address(receiver), "");
    kit.commitOnly(); // committed but not executed when the curse lands
    kit.curse(b.chainSelector, a.chainSelector);
    bytes32 second = _data(a, b.chainSelector, address(receiver), "");

    assertEq(kit.route().length, 0);
    assertEq(kit.executePending().length, 0);
    assertEq(receiver.s_total(), 0);
    (, address commitStore,) = kit.getLane(a.chainSelector, b.chainSelector);
    assertEq(CommitStore(commitStore).getExpectedNextSequenceNumber(), 2); // second not committed
    vm.expectRevert(abi.encodeWithSelector(CCIPLocalNetwork.LaneCursed.selector, a.chainSelector, b.chainSelector));
    kit.routeMessage(second);

    // B's curse on A also stops B's own sends to A (the OnRamp checks its ARM for the destination); the
    // quote still succeeds, only the send is refused.
    _expectSendCursed(b, a.chainSelector);

    kit.uncurse(b.chainSelector, a.chainSelector);
    CCIPLocalNetwork.Outcome[] memory outcomes = kit.route();
    assertEq(outcomes.length, 2);
    _assertSuccess(outcomes[0], first);
    _assertSuccess(outcomes[1], second);
    assertEq(receiver.s_count(first), 1);
    assertEq(receiver.s_count(second), 1);
  }

  function test_GlobalCurseOnDestinationStopsEverythingInbound() public {
    bytes32 id = _data(a, b.chainSelector, RECIPIENT, "");
    kit.curseGlobal(b.chainSelector);
    assertEq(kit.route().length, 0);
    kit.uncurseGlobal(b.chainSelector);
    _assertSuccess(kit.route()[0], id);
  }

  function test_SourceCurseOfDestinationBlocksSends() public {
    kit.curse(a.chainSelector, b.chainSelector);
    _expectSendCursed(a, b.chainSelector);
  }

  /// @dev A cursed lane quotes (getFee has no curse check, as in CCIP 1.5) but refuses the send.
  function _expectSendCursed(CCIPLocalNetwork.Chain memory src, uint64 dest) internal {
    Client.EVM2AnyMessage memory m = Client.EVM2AnyMessage({
      receiver: abi.encode(RECIPIENT),
      data: "x",
      tokenAmounts: new Client.EVMTokenAmount[](0),
      feeToken: src.linkToken,
      extraArgs: ""
    });
    uint256 fee = Router(src.router).getFee(dest, m);
    assertGt(fee, 0);
    uint256 balance = IERC20(src.linkToken).balanceOf(USER);
    vm.startPrank(USER);
    IERC20(src.linkToken).approve(src.router, fee);
    vm.expectRevert(OnRamp.CursedByARM.selector);
    Router(src.router).ccipSend(dest, m);
    vm.stopPrank();
    assertEq(IERC20(src.linkToken).balanceOf(USER), balance);
  }

  // ================================================================
  // │                         Topologies                           │
  // ================================================================

  function test_ThreeChainMeshRing() public {
    CCIPLocalNetwork kit3 = new CCIPLocalNetwork(3);
    uint64[] memory selectors = kit3.getChainSelectors();
    assertEq(selectors.length, 3);
    Messenger[] memory apps = new Messenger[](3);
    for (uint256 i = 0; i < 3; ++i) {
      CCIPLocalNetwork.Chain memory c = kit3.getChain(selectors[i]);
      apps[i] = new Messenger(c.router);
      kit3.fund(selectors[i], USER, FUNDS);
      vm.prank(USER);
      IERC20(c.linkToken).approve(address(apps[i]), type(uint256).max);
    }
    bytes32[] memory ids = new bytes32[](3);
    for (uint256 i = 0; i < 3; ++i) {
      uint256 next = (i + 1) % 3;
      address link = kit3.getChain(selectors[i]).linkToken;
      string memory text = string(abi.encodePacked("hop ", bytes1(uint8(48 + i))));
      vm.prank(USER);
      ids[i] = apps[i].sendText(selectors[next], address(apps[next]), text, link);
    }
    CCIPLocalNetwork.Outcome[] memory outcomes = kit3.route();
    assertEq(outcomes.length, 3);
    for (uint256 i = 0; i < 3; ++i) {
      uint256 next = (i + 1) % 3;
      _assertSuccess(kit3.getOutcome(ids[i]), ids[i]);
      Messenger.Received memory got = apps[next].getLastReceived();
      assertEq(got.messageId, ids[i]);
      assertEq(got.sourceChainSelector, selectors[i]);
      assertEq(got.text, string(abi.encodePacked("hop ", bytes1(uint8(48 + i)))));
    }
  }

  function test_AddChainWiresNewLanes() public {
    uint64 c = kit.addChain();
    assertEq(c, kit.defaultChainSelector(2));
    CCIPLocalNetwork.Chain memory chainC = kit.getChain(c);
    (address onRamp,,) = kit.getLane(c, a.chainSelector);
    assertEq(Router(chainC.router).getOnRamp(a.chainSelector), onRamp);
    kit.fund(c, USER, FUNDS);
    bytes32 id = _send(chainC, a.chainSelector, RECIPIENT, "", _tokens(chainC.lnmToken, 1e18), "");
    _assertSuccess(kit.route()[0], id);
    assertEq(IERC20(a.lnmToken).balanceOf(RECIPIENT), 1e18);
  }

  function test_ManyMessagesSplitIntoBatches() public {
    uint256 n = kit.MAX_BATCH_SIZE() + 3;
    for (uint256 i = 0; i < n; ++i) {
      _data(a, b.chainSelector, RECIPIENT, _outOfOrder(0));
    }
    CCIPLocalNetwork.Outcome[] memory outcomes = kit.route();
    assertEq(outcomes.length, n);
    for (uint256 i = 0; i < n; ++i) {
      assertEq(outcomes[i].sequenceNumber, i + 1);
      assertEq(uint8(outcomes[i].state), uint8(Internal.MessageExecutionState.SUCCESS));
    }
  }

  // ================================================================
  // │                         Kit errors                           │
  // ================================================================

  function test_RevertWhen_UnknownMessage() public {
    vm.expectRevert(abi.encodeWithSelector(CCIPLocalNetwork.UnknownMessage.selector, bytes32(uint256(1))));
    kit.routeMessage(bytes32(uint256(1)));
  }

  function test_RevertWhen_UnknownChain() public {
    vm.expectRevert(abi.encodeWithSelector(CCIPLocalNetwork.UnknownChain.selector, uint64(7)));
    kit.getChain(7);
    vm.expectRevert(abi.encodeWithSelector(CCIPLocalNetwork.UnknownChain.selector, uint64(7)));
    kit.curse(7, a.chainSelector);
  }

  function test_RevertWhen_ChainAlreadyExists() public {
    vm.expectRevert(abi.encodeWithSelector(CCIPLocalNetwork.ChainAlreadyExists.selector, a.chainSelector));
    kit.addChain(a.chainSelector);
  }

  function test_RevertWhen_LogsDrainedBehindTheKitsBack() public {
    _data(a, b.chainSelector, RECIPIENT, "");
    vm.getRecordedLogs(); // the test steals the send log
    vm.expectRevert(
      abi.encodeWithSelector(CCIPLocalNetwork.MissingMessage.selector, a.chainSelector, b.chainSelector, uint64(1))
    );
    kit.route();
  }
}
