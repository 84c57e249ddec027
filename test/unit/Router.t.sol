// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Router} from "../../contracts/Router.sol";
import {Ownable2Step} from "../../contracts/access/Ownable2Step.sol";
import {IEVM2AnyOnRamp} from "../../contracts/interfaces/IEVM2AnyOnRamp.sol";
import {IRouter} from "../../contracts/interfaces/IRouter.sol";
import {IRouterClient} from "../../contracts/interfaces/IRouterClient.sol";
import {CallWithExactGas} from "../../contracts/libraries/CallWithExactGas.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {SafeTransfer} from "../../contracts/libraries/SafeTransfer.sol";
import {OnRamp} from "../../contracts/onRamp/OnRamp.sol";
import {
  RouterGasBurnerReceiver,
  RouterHugeRevertReceiver,
  RouterMockReceiver,
  RouterNativeRejecter
} from "../helpers/RouterMocks.sol";
import {RouterSetup} from "../helpers/RouterSetup.sol";
import {Vm} from "forge-std/Vm.sol";

contract RouterTest is RouterSetup {
  address internal constant OFF_RAMP = address(0x0FF);
  uint64 internal constant OTHER = 777;

  function setUp() public override {
    super.setUp();
    Router.OffRamp[] memory adds = new Router.OffRamp[](1);
    adds[0] = Router.OffRamp({sourceChainSelector: DEST, offRamp: OFF_RAMP});
    vm.prank(OWNER);
    router.applyRampUpdates(new Router.OnRamp[](0), new Router.OffRamp[](0), adds);
  }

  // ---------------------------------------------------------------- constructor and views

  function test_Constructor() public view {
    assertEq(router.getWrappedNative(), address(weth));
    assertEq(router.getArmProxy(), address(arm));
    assertEq(router.owner(), OWNER);
    assertEq(router.getOnRamp(DEST), address(onRamp));
    assertTrue(router.isChainSupported(DEST));
    assertFalse(router.isChainSupported(OTHER));
    assertEq(router.MAX_RET_BYTES(), 132);
  }

  function test_RevertWhen_ConstructorZeroAddress() public {
    vm.expectRevert(Router.ZeroAddressNotAllowed.selector);
    new Router(address(0), address(arm));
    vm.expectRevert(Router.ZeroAddressNotAllowed.selector);
    new Router(address(weth), address(0));
  }

  // ---------------------------------------------------------------- getFee

  function test_GetFeeNativeUsesWrappedNative() public view {
    Client.EVM2AnyMessage memory m = _message("hello", address(0));
    uint256 fee = router.getFee(DEST, m);
    m.feeToken = address(weth);
    assertEq(fee, onRamp.getFee(DEST, m));
    assertEq(fee, _expectedFee(_dynamicConfig(), 200_000, 5, 0, GAS_PRICE, WETH_PRICE, 1e18));
    assertGt(fee, 0);
  }

  function test_GetFeeToken() public view {
    Client.EVM2AnyMessage memory m = _message("hello", address(link));
    assertEq(router.getFee(DEST, m), _expectedFee(_dynamicConfig(), 200_000, 5, 0, GAS_PRICE, LINK_PRICE, 9e17));
  }

  function test_GetFeeForwardsCalldataToTheSameSelector() public pure {
    // Router.getFee hands its calldata to the OnRamp unchanged: the two selectors must stay equal.
    assertEq(IRouterClient.getFee.selector, IEVM2AnyOnRamp.getFee.selector);
  }

  function test_RevertWhen_GetFeeOnRampRevertBubbles() public {
    Client.EVM2AnyMessage memory m = _message("", address(0xdead));
    vm.expectRevert(abi.encodeWithSelector(OnRamp.NotAFeeToken.selector, address(0xdead)));
    router.getFee(DEST, m);
  }

  function test_RevertWhen_GetFeeUnsupportedDestination() public {
    vm.expectRevert(abi.encodeWithSelector(IRouterClient.UnsupportedDestinationChain.selector, OTHER));
    router.getFee(OTHER, _message("", address(0)));
  }

  // ---------------------------------------------------------------- ccipSend

  function test_CcipSendNative() public {
    Client.EVM2AnyMessage memory m = _message("hello", address(0));
    uint256 fee = router.getFee(DEST, m);
    vm.recordLogs();
    vm.prank(USER);
    bytes32 id = router.ccipSend{value: fee}(DEST, m);
    assertEq(weth.balanceOf(address(onRamp)), fee);
    assertEq(address(router).balance, 0);
    assertEq(weth.balanceOf(address(router)), 0);
    (Internal.EVM2EVMMessage memory sent, address feeToken, uint256 paid) = _lastSend();
    assertEq(sent.messageId, id);
    assertEq(sent.sender, USER);
    assertEq(sent.receiver, RECEIVER);
    assertEq(feeToken, address(weth));
    assertEq(paid, fee);
  }

  function test_CcipSendNativeKeepsExcess() public {
    Client.EVM2AnyMessage memory m = _message("hello", address(0));
    uint256 fee = router.getFee(DEST, m);
    vm.recordLogs();
    vm.prank(USER);
    router.ccipSend{value: fee + 1 ether}(DEST, m);
    assertEq(weth.balanceOf(address(onRamp)), fee + 1 ether);
    (,, uint256 paid) = _lastSend();
    assertEq(paid, fee + 1 ether);
  }

  function test_RevertWhen_CcipSendNativeInsufficient() public {
    Client.EVM2AnyMessage memory m = _message("hello", address(0));
    uint256 fee = router.getFee(DEST, m);
    vm.prank(USER);
    vm.expectRevert(OnRamp.InsufficientFeeTokenAmount.selector);
    router.ccipSend{value: fee - 1}(DEST, m);
    // Same selector as the dApp-facing interface's error.
    assertEq(OnRamp.InsufficientFeeTokenAmount.selector, IRouterClient.InsufficientFeeTokenAmount.selector);
  }

  function test_RevertWhen_CcipSendNativeNoValue() public {
    vm.prank(USER);
    vm.expectRevert(OnRamp.InsufficientFeeTokenAmount.selector);
    router.ccipSend(DEST, _message("hello", address(0)));
  }

  function test_CcipSendFeeToken() public {
    Client.EVM2AnyMessage memory m = _message("hello", address(link));
    uint256 fee = router.getFee(DEST, m);
    uint256 before = link.balanceOf(USER);
    vm.recordLogs();
    vm.startPrank(USER);
    link.approve(address(router), type(uint256).max);
    bytes32 id = router.ccipSend(DEST, m);
    vm.stopPrank();
    assertEq(before - link.balanceOf(USER), fee);
    assertEq(link.balanceOf(address(onRamp)), fee);
    (Internal.EVM2EVMMessage memory sent, address feeToken, uint256 paid) = _lastSend();
    assertEq(sent.messageId, id);
    assertEq(feeToken, address(link));
    assertEq(paid, fee);
  }

  function test_RevertWhen_CcipSendFeeTokenNotApproved() public {
    Client.EVM2AnyMessage memory m = _message("hello", address(link));
    uint256 fee = router.getFee(DEST, m);
    vm.prank(USER);
    vm.expectRevert(
      abi.encodeWithSelector(SafeTransfer.TransferFailed.selector, address(link), USER, address(onRamp), fee)
    );
    router.ccipSend(DEST, m);
  }

  function test_RevertWhen_CcipSendFeeTokenWithValue() public {
    vm.prank(USER);
    vm.expectRevert(IRouterClient.InvalidMsgValue.selector);
    router.ccipSend{value: 1}(DEST, _message("hello", address(link)));
  }

  function test_RevertWhen_CcipSendUnsupportedDestination() public {
    vm.prank(USER);
    vm.expectRevert(abi.encodeWithSelector(IRouterClient.UnsupportedDestinationChain.selector, OTHER));
    router.ccipSend(OTHER, _message("hello", address(0)));
  }

  function test_CcipSendWithTokens() public {
    Client.EVM2AnyMessage memory m = _tokenMessage(100e18, address(link));
    uint256 fee = router.getFee(DEST, m);
    vm.recordLogs();
    vm.startPrank(USER);
    link.approve(address(router), type(uint256).max);
    token.approve(address(router), 100e18);
    router.ccipSend(DEST, m);
    vm.stopPrank();
    assertEq(token.balanceOf(address(pool)), 100e18);
    assertEq(pool.lockOrBurnCalls(), 1);
    assertEq(link.balanceOf(address(onRamp)), fee);
    (Internal.EVM2EVMMessage memory sent,,) = _lastSend();
    assertEq(sent.tokenAmounts.length, 1);
    assertEq(sent.tokenAmounts[0].sourcePoolAddress, address(pool));
    assertEq(sent.tokenAmounts[0].destTokenAddress, address(0xD0D0));
    assertEq(sent.tokenAmounts[0].amount, 100e18);
  }

  function test_RevertWhen_CcipSendUnsupportedToken() public {
    Client.EVM2AnyMessage memory m = _tokenMessage(1e18, address(0));
    m.tokenAmounts[0].token = address(link); // no pool
    vm.prank(USER);
    vm.expectRevert(abi.encodeWithSelector(Router.UnsupportedToken.selector, address(link)));
    router.ccipSend{value: 1 ether}(DEST, m);
  }

  function test_RevertWhen_CcipSendTokenNotApproved() public {
    Client.EVM2AnyMessage memory m = _tokenMessage(1e18, address(0));
    vm.prank(USER);
    vm.expectRevert(
      abi.encodeWithSelector(SafeTransfer.TransferFailed.selector, address(token), USER, address(pool), 1e18)
    );
    router.ccipSend{value: 1 ether}(DEST, m);
  }

  // ---------------------------------------------------------------- ramp updates

  function test_ApplyRampUpdates() public {
    Router.OnRamp[] memory onRamps = new Router.OnRamp[](2);
    onRamps[0] = Router.OnRamp({destChainSelector: OTHER, onRamp: address(0x1234)});
    onRamps[1] = Router.OnRamp({destChainSelector: DEST, onRamp: address(0)});
    Router.OffRamp[] memory adds = new Router.OffRamp[](3);
    adds[0] = Router.OffRamp({sourceChainSelector: OTHER, offRamp: address(0xA)});
    adds[1] = Router.OffRamp({sourceChainSelector: OTHER, offRamp: address(0xB)});
    adds[2] = Router.OffRamp({sourceChainSelector: DEST, offRamp: address(0xA)});

    vm.expectEmit(address(router));
    emit Router.OnRampSet(OTHER, address(0x1234));
    vm.expectEmit(address(router));
    emit Router.OnRampSet(DEST, address(0));
    vm.expectEmit(address(router));
    emit Router.OffRampAdded(OTHER, address(0xA));
    vm.prank(OWNER);
    router.applyRampUpdates(onRamps, new Router.OffRamp[](0), adds);

    assertEq(router.getOnRamp(OTHER), address(0x1234));
    assertFalse(router.isChainSupported(DEST));
    assertTrue(router.isOffRamp(OTHER, address(0xA)));
    assertTrue(router.isOffRamp(OTHER, address(0xB)));
    assertTrue(router.isOffRamp(DEST, address(0xA)));
    assertFalse(router.isOffRamp(OTHER, OFF_RAMP));
    assertEq(router.getOffRamps().length, 4);

    // Remove the first entry: the last one moves into its place and stays findable.
    Router.OffRamp[] memory removes = new Router.OffRamp[](1);
    removes[0] = Router.OffRamp({sourceChainSelector: DEST, offRamp: OFF_RAMP});
    vm.expectEmit(address(router));
    emit Router.OffRampRemoved(DEST, OFF_RAMP);
    vm.prank(OWNER);
    router.applyRampUpdates(new Router.OnRamp[](0), removes, new Router.OffRamp[](0));
    Router.OffRamp[] memory list = router.getOffRamps();
    assertEq(list.length, 3);
    assertEq(list[0].offRamp, address(0xA));
    assertEq(list[0].sourceChainSelector, DEST);
    assertFalse(router.isOffRamp(DEST, OFF_RAMP));
    removes[0] = Router.OffRamp({sourceChainSelector: DEST, offRamp: address(0xA)});
    vm.prank(OWNER);
    router.applyRampUpdates(new Router.OnRamp[](0), removes, new Router.OffRamp[](0));
    assertFalse(router.isOffRamp(DEST, address(0xA)));
    assertTrue(router.isOffRamp(OTHER, address(0xA)));
    assertEq(router.getOffRamps().length, 2);
  }

  function test_ApplyRampUpdatesDuplicateAddIsNoop() public {
    Router.OffRamp[] memory adds = new Router.OffRamp[](1);
    adds[0] = Router.OffRamp({sourceChainSelector: DEST, offRamp: OFF_RAMP});
    vm.recordLogs();
    vm.prank(OWNER);
    router.applyRampUpdates(new Router.OnRamp[](0), new Router.OffRamp[](0), adds);
    assertEq(vm.getRecordedLogs().length, 0);
    assertEq(router.getOffRamps().length, 1);
  }

  function test_RevertWhen_ApplyRampUpdatesRemoveMissing() public {
    Router.OffRamp[] memory removes = new Router.OffRamp[](1);
    removes[0] = Router.OffRamp({sourceChainSelector: OTHER, offRamp: OFF_RAMP});
    vm.prank(OWNER);
    vm.expectRevert(abi.encodeWithSelector(Router.OffRampMismatch.selector, OTHER, OFF_RAMP));
    router.applyRampUpdates(new Router.OnRamp[](0), removes, new Router.OffRamp[](0));
  }

  function test_RevertWhen_ApplyRampUpdatesAddZero() public {
    Router.OffRamp[] memory adds = new Router.OffRamp[](1);
    adds[0] = Router.OffRamp({sourceChainSelector: OTHER, offRamp: address(0)});
    vm.prank(OWNER);
    vm.expectRevert(Router.ZeroAddressNotAllowed.selector);
    router.applyRampUpdates(new Router.OnRamp[](0), new Router.OffRamp[](0), adds);
  }

  function test_RevertWhen_ApplyRampUpdatesNotOwner() public {
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    router.applyRampUpdates(new Router.OnRamp[](0), new Router.OffRamp[](0), new Router.OffRamp[](0));
  }

  // ---------------------------------------------------------------- recoverTokens

  function test_RecoverTokens() public {
    link.mint(address(router), 5);
    vm.deal(address(router), 7);
    vm.expectEmit(address(router));
    emit Router.TokensRecovered(address(link), USER, 5);
    vm.prank(OWNER);
    router.recoverTokens(address(link), USER, 5);
    assertEq(link.balanceOf(USER), 1_000_000e18 + 5);

    uint256 before = USER.balance;
    vm.expectEmit(address(router));
    emit Router.TokensRecovered(address(0), USER, 7);
    vm.prank(OWNER);
    router.recoverTokens(address(0), USER, 7);
    assertEq(USER.balance, before + 7);
    assertEq(address(router).balance, 0);
  }

  function test_RevertWhen_RecoverTokensNativeRejected() public {
    vm.deal(address(router), 7);
    address rejecter = address(new RouterNativeRejecter());
    vm.prank(OWNER);
    vm.expectRevert(Router.FailedToSendValue.selector);
    router.recoverTokens(address(0), rejecter, 7);
  }

  function test_RevertWhen_RecoverTokensToZero() public {
    vm.prank(OWNER);
    vm.expectRevert(Router.ZeroAddressNotAllowed.selector);
    router.recoverTokens(address(link), address(0), 1);
  }

  function test_RevertWhen_RecoverTokensNotOwner() public {
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    router.recoverTokens(address(link), USER, 1);
  }

  // ---------------------------------------------------------------- routeMessage

  function _any2Evm(bytes memory data) internal pure returns (Client.Any2EVMMessage memory) {
    return Client.Any2EVMMessage({
      messageId: keccak256("id"),
      sourceChainSelector: DEST,
      sender: abi.encode(address(0x5E)),
      data: data,
      destTokenAmounts: new Client.EVMTokenAmount[](0)
    });
  }

  function test_RouteMessage() public {
    RouterMockReceiver receiver = new RouterMockReceiver();
    vm.prank(OFF_RAMP);
    (bool success, bytes memory retData, uint256 gasUsed) =
      router.routeMessage(_any2Evm("payload"), 5_000, 200_000, address(receiver));
    assertTrue(success);
    assertEq(retData.length, 0);
    assertGt(gasUsed, 0);
    assertEq(receiver.lastMessageId(), keccak256("id"));
    assertEq(receiver.lastSourceChainSelector(), DEST);
    assertEq(receiver.lastData(), "payload");
    assertEq(receiver.lastSender(), abi.encode(address(0x5E)));
  }

  function test_RouteMessageWithTokensForwardsTheEncodedMessage() public {
    // routeMessage passes the OffRamp's encoding of the message on as it came: tokens included.
    RouterMockReceiver receiver = new RouterMockReceiver();
    Client.Any2EVMMessage memory message = _any2Evm(new bytes(70));
    message.destTokenAmounts = new Client.EVMTokenAmount[](2);
    message.destTokenAmounts[1] = Client.EVMTokenAmount({token: address(0x70), amount: 5});
    vm.prank(OFF_RAMP);
    (bool success,,) = router.routeMessage(message, 5_000, 200_000, address(receiver));
    assertTrue(success);
    assertEq(receiver.lastData(), new bytes(70));
    assertEq(receiver.lastNumTokens(), 2);
    assertEq(receiver.lastSender(), abi.encode(address(0x5E)));
  }

  function test_RouteMessageReceiverRevertReturnsData() public {
    RouterMockReceiver receiver = new RouterMockReceiver();
    receiver.setShouldRevert(true);
    vm.prank(OFF_RAMP);
    (bool success, bytes memory retData,) = router.routeMessage(_any2Evm(""), 5_000, 200_000, address(receiver));
    assertFalse(success);
    assertEq(retData, abi.encodeWithSelector(RouterMockReceiver.ReceiverRevert.selector, keccak256("id")));
  }

  function test_RouteMessageCapsRevertData() public {
    RouterHugeRevertReceiver receiver = new RouterHugeRevertReceiver(10_000);
    vm.prank(OFF_RAMP);
    (bool success, bytes memory retData,) = router.routeMessage(_any2Evm(""), 5_000, 5_000_000, address(receiver));
    assertFalse(success);
    assertEq(retData.length, 132);
    for (uint256 i; i < retData.length; ++i) {
      assertEq(uint8(retData[i]), 0xAB);
    }
  }

  function test_RevertWhen_RouteMessageNotOffRamp() public {
    address receiver = address(new RouterMockReceiver());
    vm.expectRevert(IRouter.OnlyOffRamp.selector);
    router.routeMessage(_any2Evm(""), 5_000, 200_000, receiver);
  }

  function test_RevertWhen_RouteMessageOffRampOfOtherSource() public {
    Client.Any2EVMMessage memory m = _any2Evm("");
    m.sourceChainSelector = OTHER;
    address receiver = address(new RouterMockReceiver());
    vm.prank(OFF_RAMP);
    vm.expectRevert(IRouter.OnlyOffRamp.selector);
    router.routeMessage(m, 5_000, 200_000, receiver);
  }

  function test_RevertWhen_RouteMessageNoContract() public {
    vm.prank(OFF_RAMP);
    vm.expectRevert(CallWithExactGas.NoContract.selector);
    router.routeMessage(_any2Evm(""), 5_000, 200_000, address(0x1234));
  }

  function test_RevertWhen_RouteMessageNotEnoughGas() public {
    address receiver = address(new RouterMockReceiver());
    vm.prank(OFF_RAMP);
    vm.expectRevert(CallWithExactGas.NotEnoughGasForCall.selector);
    router.routeMessage{gas: 300_000}(_any2Evm(""), 5_000, 1_000_000, receiver);
  }

  function test_RevertWhen_RouteMessageNoGasForCheck() public {
    address receiver = address(new RouterMockReceiver());
    vm.prank(OFF_RAMP);
    vm.expectRevert(CallWithExactGas.NoGasForCallExactCheck.selector);
    router.routeMessage{gas: 40_000}(_any2Evm(""), type(uint16).max, 1_000, receiver);
  }

  /// The receiver needs exactly N gas (measured by calling it directly); the Router forwards exactly
  /// gasLimit, so N succeeds and N - 1 runs out of gas inside the receiver.
  function test_RouteMessageExactGas() public {
    RouterGasBurnerReceiver burner = new RouterGasBurnerReceiver(50);
    Client.Any2EVMMessage memory m = _any2Evm("some data");
    uint256 n = _minGas(address(burner), abi.encodeCall(RouterGasBurnerReceiver.ccipReceive, (m)));

    vm.prank(OFF_RAMP);
    (bool success,,) = router.routeMessage(m, 5_000, n, address(burner));
    assertTrue(success);
    vm.prank(OFF_RAMP);
    (success,,) = router.routeMessage(m, 5_000, n - 1, address(burner));
    assertFalse(success);
  }

  /// @dev The least gas with which a direct call to `target` succeeds (binary search).
  function _minGas(address target, bytes memory payload) internal returns (uint256) {
    uint256 lo = 1;
    uint256 hi = 2_000_000;
    while (lo < hi) {
      uint256 mid = (lo + hi) / 2;
      (bool ok,) = target.call{gas: mid}(payload);
      if (ok) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  // ---------------------------------------------------------------- helpers

  function _lastSend() internal returns (Internal.EVM2EVMMessage memory m, address feeToken, uint256 paid) {
    Vm.Log[] memory logs = vm.getRecordedLogs();
    bytes32 topic = OnRamp.CCIPSendRequested.selector;
    for (uint256 i = logs.length; i > 0; --i) {
      if (logs[i - 1].topics[0] == topic) {
        return abi.decode(logs[i - 1].data, (Internal.EVM2EVMMessage, address, uint256));
      }
    }
    revert("no CCIPSendRequested");
  }
}
