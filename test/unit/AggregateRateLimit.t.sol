// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AggregateRateLimiter} from "../../contracts/AggregateRateLimiter.sol";
import {PriceRegistry} from "../../contracts/PriceRegistry.sol";
import {Ownable2Step} from "../../contracts/access/Ownable2Step.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {RateLimiter} from "../../contracts/libraries/RateLimiter.sol";
import {OffRamp} from "../../contracts/offRamp/OffRamp.sol";
import {RouterMockERC20, RouterMockPool} from "../helpers/RouterMocks.sol";
import {RouterSetup} from "../helpers/RouterSetup.sol";
import {OffRampSetup} from "./OffRamp.t.sol";

/// @dev Bucket used throughout: $100 capacity, $1 per second.
abstract contract AggregateRateLimitConfig {
  uint128 internal constant CAPACITY = 100e18;
  uint128 internal constant RATE = 1e18;

  function _enabled() internal pure returns (RateLimiter.Config memory) {
    return RateLimiter.Config({isEnabled: true, capacity: CAPACITY, rate: RATE});
  }

  function _disabled() internal pure returns (RateLimiter.Config memory) {
    return RateLimiter.Config({isEnabled: false, capacity: 0, rate: 0});
  }
}

contract AggregateRateLimit_OnRamp is RouterSetup, AggregateRateLimitConfig {
  uint256 internal constant MAX = type(uint256).max;
  address internal constant ADMIN = address(0xAD);

  function setUp() public override {
    super.setUp();
    token.mint(address(pool), 1_000_000e18); // the mock pool only checks it holds the amount
    vm.prank(OWNER);
    onRamp.setRateLimiterConfig(_enabled());
  }

  function _forward(Client.EVM2AnyMessage memory m) internal {
    vm.prank(address(router));
    onRamp.forwardFromRouter(DEST, m, address(link), MAX, USER);
  }

  function _expectRevertForward(Client.EVM2AnyMessage memory m, bytes memory err) internal {
    vm.prank(address(router));
    vm.expectRevert(err);
    onRamp.forwardFromRouter(DEST, m, address(link), MAX, USER);
  }

  function _tokens() internal view returns (uint256) {
    return onRamp.currentRateLimiterState().tokens;
  }

  // ---------------------------------------------------------------- config

  function test_SetRateLimiterConfigStartsFull() public {
    vm.prank(OWNER);
    onRamp.setRateLimiterConfig(_disabled());
    vm.warp(block.timestamp + 5);
    vm.expectEmit(address(onRamp));
    emit RateLimiter.ConfigChanged(_enabled());
    vm.prank(OWNER);
    onRamp.setRateLimiterConfig(_enabled());
    RateLimiter.TokenBucket memory b = onRamp.currentRateLimiterState();
    assertTrue(b.isEnabled);
    assertEq(b.capacity, CAPACITY);
    assertEq(b.rate, RATE);
    assertEq(b.tokens, CAPACITY);
    assertEq(b.lastUpdated, block.timestamp);
  }

  function test_ReconfigureKeepsBalanceClampedToNewCapacity() public {
    _forward(_tokenMessage(30e18, address(link))); // 70 left
    vm.prank(OWNER);
    onRamp.setRateLimiterConfig(RateLimiter.Config({isEnabled: true, capacity: 50e18, rate: 2e18}));
    assertEq(_tokens(), 50e18);
    vm.prank(OWNER);
    onRamp.setRateLimiterConfig(RateLimiter.Config({isEnabled: true, capacity: 500e18, rate: 2e18}));
    assertEq(_tokens(), 50e18); // not refilled to the new capacity: only a disabled -> enabled switch fills
  }

  function test_AdminCanSetConfig() public {
    vm.expectEmit(address(onRamp));
    emit AggregateRateLimiter.AdminSet(ADMIN);
    vm.prank(OWNER);
    onRamp.setAdmin(ADMIN);
    assertEq(onRamp.getTokenLimitAdmin(), ADMIN);
    RateLimiter.Config memory c = RateLimiter.Config({isEnabled: true, capacity: 10e18, rate: 1});
    vm.expectEmit(address(onRamp));
    emit RateLimiter.ConfigChanged(c);
    vm.prank(ADMIN);
    onRamp.setRateLimiterConfig(c);
    assertEq(onRamp.currentRateLimiterState().capacity, 10e18);
  }

  function test_RevertWhen_SetRateLimiterConfigNotOwnerOrAdmin() public {
    vm.prank(OWNER);
    onRamp.setAdmin(ADMIN);
    vm.prank(USER);
    vm.expectRevert(AggregateRateLimiter.OnlyCallableByAdminOrOwner.selector);
    onRamp.setRateLimiterConfig(_disabled());
  }

  function test_RevertWhen_SetAdminNotOwner() public {
    vm.prank(ADMIN);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    onRamp.setAdmin(ADMIN);
  }

  function test_RevertWhen_InvalidRateLimiterConfig() public {
    RateLimiter.Config memory c = RateLimiter.Config({isEnabled: true, capacity: 10e18, rate: 10e18});
    vm.prank(OWNER);
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.InvalidRateLimitRate.selector, c));
    onRamp.setRateLimiterConfig(c);
    c = RateLimiter.Config({isEnabled: false, capacity: 1, rate: 0});
    vm.prank(OWNER);
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.DisabledNonZeroRateLimit.selector, c));
    onRamp.setRateLimiterConfig(c);
  }

  // ---------------------------------------------------------------- consumption

  function test_ConsumesUsdValueAndWaitsForRefill() public {
    vm.expectEmit(address(onRamp));
    emit RateLimiter.TokensConsumed(60e18);
    _forward(_tokenMessage(60e18, address(link))); // $1 each
    assertEq(_tokens(), 40e18);

    // $50 against $40: ceil(10 / 1) = 10 s.
    _expectRevertForward(
      _tokenMessage(50e18, address(link)),
      abi.encodeWithSelector(RateLimiter.AggregateValueRateLimitReached.selector, 10, 40e18)
    );
    vm.warp(block.timestamp + 9);
    _expectRevertForward(
      _tokenMessage(50e18, address(link)),
      abi.encodeWithSelector(RateLimiter.AggregateValueRateLimitReached.selector, 1, 49e18)
    );
    vm.warp(block.timestamp + 1);
    _forward(_tokenMessage(50e18, address(link)));
    assertEq(_tokens(), 0);
  }

  function test_RevertWhen_AboveCapacity() public {
    _expectRevertForward(
      _tokenMessage(100e18 + 1, address(link)),
      abi.encodeWithSelector(RateLimiter.AggregateValueMaxCapacityExceeded.selector, CAPACITY, 100e18 + 1)
    );
  }

  function test_ValueUsesTokenPrice() public {
    _setTokenPrice(address(token), 25e17); // $2.5
    _forward(_tokenMessage(4e18, address(link)));
    assertEq(_tokens(), 90e18);
    // Sub-cent dust: 3 wei * $2.5 / 1e18 rounds down to 7 USD-wei.
    _forward(_tokenMessage(3, address(link)));
    assertEq(_tokens(), 90e18 - 7);
  }

  function test_SumsAllTokensOfAMessage() public {
    RouterMockPool pool2 = new RouterMockPool(address(link), address(0xD1D1));
    registry.setPool(address(link), address(pool2));
    link.mint(address(pool2), 1e18);
    Client.EVM2AnyMessage memory m = _tokenMessage(5e18, address(link));
    m.tokenAmounts = new Client.EVMTokenAmount[](2);
    m.tokenAmounts[0] = Client.EVMTokenAmount({token: address(token), amount: 5e18}); // $5
    m.tokenAmounts[1] = Client.EVMTokenAmount({token: address(link), amount: 1e18}); // $15
    _forward(m);
    assertEq(_tokens(), 80e18);
  }

  function test_RevertWhen_TokenHasNoPrice() public {
    RouterMockERC20 unpriced = _unpricedToken();
    Client.EVM2AnyMessage memory m = _tokenMessage(1, address(link));
    m.tokenAmounts[0].token = address(unpriced);
    _expectRevertForward(m, abi.encodeWithSelector(PriceRegistry.TokenNotSupported.selector, address(unpriced)));
  }

  function test_RevertWhen_TokenPriceStale() public {
    vm.warp(block.timestamp + STALENESS + 1);
    // Only the token's price is stale: refresh the fee token's and the gas price.
    Internal.PriceUpdates memory u = _priceUpdates();
    u.tokenPriceUpdates = new Internal.TokenPriceUpdate[](1);
    u.tokenPriceUpdates[0] = Internal.TokenPriceUpdate({sourceToken: address(link), usdPerToken: LINK_PRICE});
    vm.prank(OWNER);
    priceRegistry.updatePrices(u);
    _expectRevertForward(
      _tokenMessage(1e18, address(link)),
      abi.encodeWithSelector(PriceRegistry.StaleTokenPrice.selector, address(token), STALENESS, STALENESS + 1)
    );
  }

  function test_DisabledNeedsNoPriceAndTracksNothing() public {
    vm.prank(OWNER);
    onRamp.setRateLimiterConfig(_disabled());
    RouterMockERC20 unpriced = _unpricedToken();
    Client.EVM2AnyMessage memory m = _tokenMessage(1e30, address(link));
    m.tokenAmounts[0].token = address(unpriced);
    vm.expectCall(address(priceRegistry), abi.encodeWithSelector(PriceRegistry.getValidatedTokenPrice.selector), 0);
    _forward(m);
    RateLimiter.TokenBucket memory b = onRamp.currentRateLimiterState();
    assertFalse(b.isEnabled);
    assertEq(b.tokens, 0);
  }

  /// @dev Data-only messages pay nothing for the limit: they touch exactly the storage they touch with
  /// the limit disabled.
  function test_DataOnlyMessageDoesNotTouchTheBucket() public {
    vm.record();
    _forward(_message("data", address(link)));
    (bytes32[] memory readsEnabled, bytes32[] memory writesEnabled) = vm.accesses(address(onRamp));

    vm.prank(OWNER);
    onRamp.setRateLimiterConfig(_disabled());
    vm.record();
    _forward(_message("data", address(link)));
    (bytes32[] memory readsDisabled, bytes32[] memory writesDisabled) = vm.accesses(address(onRamp));

    assertEq(readsEnabled, readsDisabled);
    assertEq(writesEnabled, writesDisabled);
  }

  function test_SetDynamicConfigKeepsLimitEnabled() public {
    vm.prank(OWNER);
    onRamp.setDynamicConfig(_dynamicConfig());
    _expectRevertForward(
      _tokenMessage(101e18, address(link)),
      abi.encodeWithSelector(RateLimiter.AggregateValueMaxCapacityExceeded.selector, CAPACITY, 101e18)
    );
  }

  function test_DisableThenReenable() public {
    _forward(_tokenMessage(100e18, address(link)));
    vm.prank(OWNER);
    onRamp.setRateLimiterConfig(_disabled());
    _forward(_tokenMessage(500e18, address(link)));
    vm.prank(OWNER);
    onRamp.setRateLimiterConfig(_enabled());
    assertEq(_tokens(), CAPACITY);
  }

  // ---------------------------------------------------------------- helpers

  function _setTokenPrice(address t, uint224 price) internal {
    Internal.PriceUpdates memory u;
    u.tokenPriceUpdates = new Internal.TokenPriceUpdate[](1);
    u.tokenPriceUpdates[0] = Internal.TokenPriceUpdate({sourceToken: t, usdPerToken: price});
    vm.prank(OWNER);
    priceRegistry.updatePrices(u);
  }

  function _unpricedToken() internal returns (RouterMockERC20 unpriced) {
    unpriced = new RouterMockERC20("NOPRICE");
    RouterMockPool p = new RouterMockPool(address(unpriced), address(0xD2D2));
    registry.setPool(address(unpriced), address(p));
    unpriced.mint(address(p), 1e30);
  }
}

contract AggregateRateLimit_OffRamp is OffRampSetup, AggregateRateLimitConfig {
  address internal constant ADMIN = address(0xAD);

  function setUp() public override {
    super.setUp();
    _setTokenPrice(1e18);
    offRamp.setRateLimiterConfig(_enabled());
  }

  function _setTokenPrice(uint224 price) internal {
    Internal.PriceUpdates memory u;
    u.tokenPriceUpdates = new Internal.TokenPriceUpdate[](1);
    u.tokenPriceUpdates[0] = Internal.TokenPriceUpdate({sourceToken: address(token), usdPerToken: price});
    priceRegistry.updatePrices(u);
  }

  function _tokens() internal view returns (uint256) {
    return offRamp.currentRateLimiterState().tokens;
  }

  function _expectFailure(Internal.EVM2EVMMessage memory m, bytes memory err) internal {
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    vm.expectEmit(address(offRamp));
    emit OffRamp.ExecutionStateChanged(m.sequenceNumber, m.messageId, Internal.MessageExecutionState.FAILURE, err);
    _execute(report);
    assertEq(_state(m.sequenceNumber), FAILURE);
    assertEq(receiver.s_received(), 0);
    assertEq(token.balanceOf(address(receiver)), 0);
  }

  function test_ConsumesReleasedValue() public {
    _setTokenPrice(2e18);
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 1, alice), 30e18, 400_000);
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    vm.expectEmit(address(offRamp));
    emit RateLimiter.TokensConsumed(60e18);
    _execute(report);
    assertEq(_state(1), SUCCESS);
    assertEq(_tokens(), 40e18);
    assertEq(token.balanceOf(address(receiver)), 30e18);
  }

  function test_LimitHitIsFailureThenManualAfterRefill() public {
    Internal.EVM2EVMMessage memory first = _withToken(_msg(1, 1, alice), 60e18, 400_000);
    _execute(_commitAll(_one(first)));
    assertEq(_tokens(), 40e18);

    Internal.EVM2EVMMessage memory m = _withToken(_msg(2, 2, alice), 50e18, 400_000);
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    bytes memory err = abi.encodeWithSelector(RateLimiter.AggregateValueRateLimitReached.selector, 10, 40e18);
    vm.expectEmit(address(offRamp));
    emit OffRamp.ExecutionStateChanged(2, m.messageId, Internal.MessageExecutionState.FAILURE, err);
    _execute(report);
    assertEq(_state(2), FAILURE);
    assertEq(token.balanceOf(address(receiver)), 60e18); // nothing of the second message
    assertEq(receiver.s_received(), 1);
    assertEq(_tokens(), 40e18); // rolled back with the message

    // One second too early: manual execution reverts with the remaining wait.
    vm.warp(block.timestamp + 9);
    vm.expectRevert(
      abi.encodeWithSelector(
        OffRamp.ExecutionError.selector,
        m.messageId,
        abi.encodeWithSelector(RateLimiter.AggregateValueRateLimitReached.selector, 1, 49e18)
      )
    );
    offRamp.manuallyExecute(report, _zeros(1));

    vm.warp(block.timestamp + 1);
    vm.expectEmit(address(offRamp));
    emit OffRamp.ExecutionStateChanged(2, m.messageId, Internal.MessageExecutionState.SUCCESS, "");
    vm.prank(bob);
    offRamp.manuallyExecute(report, _zeros(1));
    assertEq(_state(2), SUCCESS);
    assertEq(token.balanceOf(address(receiver)), 110e18);
    assertEq(receiver.s_received(), 2);
    assertEq(_tokens(), 0);
  }

  function test_AboveCapacityIsFailure() public {
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 0, alice), 101e18, 400_000);
    _expectFailure(m, abi.encodeWithSelector(RateLimiter.AggregateValueMaxCapacityExceeded.selector, CAPACITY, 101e18));
  }

  function test_TokenWithoutPriceIsFailure() public {
    _setTokenPrice(0);
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 0, alice), 1e18, 400_000);
    _expectFailure(m, abi.encodeWithSelector(PriceRegistry.TokenNotSupported.selector, address(token)));
    // Once priced, it can be executed by hand.
    _setTokenPrice(1e18);
    offRamp.manuallyExecute(_reportAll(_one(m)), _zeros(1));
    assertEq(_state(1), SUCCESS);
    assertEq(token.balanceOf(address(receiver)), 1e18);
  }

  function test_DisabledNeedsNoPrice() public {
    offRamp.setRateLimiterConfig(_disabled());
    _setTokenPrice(0);
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 0, alice), 1e30, 400_000);
    vm.expectCall(address(priceRegistry), abi.encodeWithSelector(PriceRegistry.getValidatedTokenPrice.selector), 0);
    _execute(_commitAll(_one(m)));
    assertEq(_state(1), SUCCESS);
  }

  function test_UsesPriceRegistryFromDynamicConfig() public {
    PriceRegistry other = new PriceRegistry(new address[](0), new address[](0), 1 days);
    OffRamp.DynamicConfig memory d = _dynamicConfig();
    d.priceRegistry = address(other);
    offRamp.setDynamicConfig(d);
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 0, alice), 1e18, 400_000);
    _expectFailure(m, abi.encodeWithSelector(PriceRegistry.TokenNotSupported.selector, address(token)));
  }

  function test_AdminCanSetConfig() public {
    vm.expectEmit(address(offRamp));
    emit AggregateRateLimiter.AdminSet(ADMIN);
    offRamp.setAdmin(ADMIN);
    vm.expectEmit(address(offRamp));
    emit RateLimiter.ConfigChanged(_disabled());
    vm.prank(ADMIN);
    offRamp.setRateLimiterConfig(_disabled());
    assertFalse(offRamp.currentRateLimiterState().isEnabled);
  }

  function test_RevertWhen_SetRateLimiterConfigNotOwnerOrAdmin() public {
    vm.prank(alice);
    vm.expectRevert(AggregateRateLimiter.OnlyCallableByAdminOrOwner.selector);
    offRamp.setRateLimiterConfig(_disabled());
  }

  function test_RevertWhen_SetAdminNotOwner() public {
    vm.prank(alice);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    offRamp.setAdmin(alice);
  }
}
