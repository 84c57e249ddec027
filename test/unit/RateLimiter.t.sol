// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RateLimiter} from "../../contracts/libraries/RateLimiter.sol";
import {RateLimiterHarness} from "../helpers/RateLimiterHelpers.sol";
import {Test, Vm} from "forge-std/Test.sol";

contract RateLimiterTest is Test {
  uint256 internal constant START = 1_700_000_000;
  address internal constant TOKEN = address(0x70CE4);
  uint128 internal constant CAPACITY = 1000;
  uint128 internal constant RATE = 7;

  RateLimiterHarness internal s_h;

  function setUp() public {
    vm.warp(START);
    s_h = new RateLimiterHarness();
    s_h.setBucket(_bucket(CAPACITY, CAPACITY, RATE));
  }

  function _bucket(uint128 tokens, uint128 capacity, uint128 rate)
    internal
    view
    returns (RateLimiter.TokenBucket memory)
  {
    return RateLimiter.TokenBucket({
      tokens: tokens, lastUpdated: uint32(block.timestamp), isEnabled: true, capacity: capacity, rate: rate
    });
  }

  function _assertBucket(RateLimiter.TokenBucket memory b, uint256 tokens, uint256 lastUpdated) internal pure {
    assertEq(b.tokens, tokens, "tokens");
    assertEq(b.lastUpdated, lastUpdated, "lastUpdated");
  }

  // ───────────────────────────── _consume ─────────────────────────────

  function test_Consume_TakesTokensAndEmits() public {
    vm.expectEmit(address(s_h));
    emit RateLimiter.TokensConsumed(400);
    s_h.consume(400, TOKEN);
    _assertBucket(s_h.getBucket(), 600, START);
  }

  function test_Consume_ExactlyCapacity() public {
    s_h.consume(CAPACITY, TOKEN);
    _assertBucket(s_h.getBucket(), 0, START);
  }

  function test_Consume_ZeroRequestIsNoOp() public {
    s_h.setBucket(_bucket(10, CAPACITY, RATE));
    vm.warp(START + 5);
    vm.recordLogs();
    s_h.consume(0, TOKEN);
    assertEq(vm.getRecordedLogs().length, 0);
    // Not even the refill is written: it is lazy and yields the same result later.
    _assertBucket(s_h.getBucket(), 10, START);
    assertEq(s_h.currentTokenBucketState().tokens, 10 + 5 * RATE);
  }

  function test_Consume_DisabledBucketAcceptsAnything() public {
    RateLimiter.TokenBucket memory b = _bucket(0, 0, 0);
    b.isEnabled = false;
    s_h.setBucket(b);
    vm.recordLogs();
    s_h.consume(type(uint256).max, TOKEN);
    s_h.consume(1, address(0));
    assertEq(vm.getRecordedLogs().length, 0);
    _assertBucket(s_h.getBucket(), 0, START);
  }

  function test_Consume_RefillsOverTime() public {
    s_h.consume(CAPACITY, TOKEN);
    vm.warp(START + 10);
    s_h.consume(70, TOKEN); // exactly the 10 s of refill
    _assertBucket(s_h.getBucket(), 0, START + 10);
  }

  function test_Consume_RefillCapsAtCapacity() public {
    s_h.consume(500, TOKEN);
    vm.warp(START + 365 days);
    s_h.consume(1, TOKEN);
    _assertBucket(s_h.getBucket(), CAPACITY - 1, START + 365 days);
  }

  function test_Consume_SameBlockDoesNotRewriteTimestamp() public {
    s_h.consume(1, TOKEN);
    s_h.consume(1, TOKEN);
    _assertBucket(s_h.getBucket(), CAPACITY - 2, START);
  }

  function test_RevertWhen_Consume_TokenMaxCapacityExceeded() public {
    vm.expectRevert(
      abi.encodeWithSelector(RateLimiter.TokenMaxCapacityExceeded.selector, CAPACITY, CAPACITY + 1, TOKEN)
    );
    s_h.consume(CAPACITY + 1, TOKEN);
  }

  function test_RevertWhen_Consume_AggregateValueMaxCapacityExceeded() public {
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.AggregateValueMaxCapacityExceeded.selector, CAPACITY, 5000));
    s_h.consume(5000, address(0));
  }

  function test_RevertWhen_Consume_MaxCapacityCheckedBeforeAvailability() public {
    s_h.consume(CAPACITY, TOKEN); // empty: a too-large request still says "never", not "wait"
    vm.expectRevert(
      abi.encodeWithSelector(RateLimiter.TokenMaxCapacityExceeded.selector, CAPACITY, CAPACITY + 1, TOKEN)
    );
    s_h.consume(CAPACITY + 1, TOKEN);
  }

  function test_RevertWhen_Consume_TokenRateLimitReached_RoundsWaitUp() public {
    s_h.consume(990, TOKEN); // 10 left
    // 30 missing at 7/s: 30/7 = 4.28 -> 5 s
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.TokenRateLimitReached.selector, 5, 10, TOKEN));
    s_h.consume(40, TOKEN);
  }

  function test_RevertWhen_Consume_TokenRateLimitReached_ExactDivision() public {
    s_h.consume(990, TOKEN); // 10 left
    // 28 missing at 7/s: exactly 4 s
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.TokenRateLimitReached.selector, 4, 10, TOKEN));
    s_h.consume(38, TOKEN);
  }

  function test_RevertWhen_Consume_AggregateValueRateLimitReached() public {
    s_h.consume(CAPACITY, address(0));
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.AggregateValueRateLimitReached.selector, 1, 0));
    s_h.consume(1, address(0));
  }

  function test_Consume_WaitingMinWaitSucceedsOneSecondLessFails() public {
    s_h.consume(990, TOKEN); // 10 left, 40 requested -> 5 s
    vm.warp(START + 4); // 38 available
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.TokenRateLimitReached.selector, 1, 38, TOKEN));
    s_h.consume(40, TOKEN);
    vm.warp(START + 5); // 45 available
    s_h.consume(40, TOKEN);
    _assertBucket(s_h.getBucket(), 5, START + 5);
  }

  function test_RevertWhen_Consume_ZeroRateWaitsForever() public {
    s_h.setBucket(_bucket(10, CAPACITY, 0));
    vm.expectRevert(
      abi.encodeWithSelector(RateLimiter.TokenRateLimitReached.selector, RateLimiter.INFINITE_WAIT, 10, TOKEN)
    );
    s_h.consume(11, TOKEN);
    vm.expectRevert(
      abi.encodeWithSelector(RateLimiter.AggregateValueRateLimitReached.selector, RateLimiter.INFINITE_WAIT, 10)
    );
    s_h.consume(11, address(0));
  }

  function test_RevertWhen_Consume_BucketOverfilled() public {
    s_h.setBucket(_bucket(CAPACITY + 1, CAPACITY, RATE));
    vm.warp(START + 1);
    vm.expectRevert(RateLimiter.BucketOverfilled.selector);
    s_h.consume(1, TOKEN);
  }

  // ───────────────────────── _currentTokenBucketState ─────────────────────────

  function test_CurrentState_RefillsInViewOnly() public {
    s_h.consume(CAPACITY, TOKEN);
    vm.warp(START + 3);
    RateLimiter.TokenBucket memory b = s_h.currentTokenBucketState();
    _assertBucket(b, 3 * RATE, START + 3);
    assertEq(b.capacity, CAPACITY);
    assertEq(b.rate, RATE);
    assertTrue(b.isEnabled);
    _assertBucket(s_h.getBucket(), 0, START); // storage untouched
  }

  function test_CurrentState_CapsAtCapacity() public {
    s_h.consume(1, TOKEN);
    vm.warp(START + 1000);
    _assertBucket(s_h.currentTokenBucketState(), CAPACITY, START + 1000);
  }

  // ───────────────────────── _setTokenBucketConfig ─────────────────────────

  function test_SetConfig_SettlesRefillWithOldRate() public {
    s_h.consume(CAPACITY, TOKEN);
    vm.warp(START + 10); // 70 earned at the old rate
    RateLimiter.Config memory cfg = RateLimiter.Config({isEnabled: true, capacity: 2000, rate: 1});
    vm.expectEmit(address(s_h));
    emit RateLimiter.ConfigChanged(cfg);
    s_h.setTokenBucketConfig(cfg);
    RateLimiter.TokenBucket memory b = s_h.getBucket();
    _assertBucket(b, 70, START + 10);
    assertEq(b.capacity, 2000);
    assertEq(b.rate, 1);
    assertTrue(b.isEnabled);
    vm.warp(START + 20); // then the new rate applies
    assertEq(s_h.currentTokenBucketState().tokens, 80);
  }

  function test_SetConfig_ClampsTokensToNewCapacity() public {
    s_h.setTokenBucketConfig(RateLimiter.Config({isEnabled: true, capacity: 300, rate: 2}));
    _assertBucket(s_h.getBucket(), 300, START);
  }

  function test_SetConfig_RaisingCapacityAddsNoTokens() public {
    s_h.consume(100, TOKEN);
    s_h.setTokenBucketConfig(RateLimiter.Config({isEnabled: true, capacity: 5000, rate: RATE}));
    _assertBucket(s_h.getBucket(), 900, START);
  }

  function test_SetConfig_DisableZeroesTheBucket() public {
    s_h.setTokenBucketConfig(RateLimiter.Config({isEnabled: false, capacity: 0, rate: 0}));
    RateLimiter.TokenBucket memory b = s_h.getBucket();
    _assertBucket(b, 0, START);
    assertFalse(b.isEnabled);
    s_h.consume(1e30, TOKEN); // disabled: anything passes
  }

  function test_SetConfig_FreshBucketStartsEmpty() public {
    RateLimiterHarness fresh = new RateLimiterHarness();
    fresh.setTokenBucketConfig(RateLimiter.Config({isEnabled: true, capacity: 100, rate: 10}));
    _assertBucket(fresh.getBucket(), 0, START);
    vm.warp(START + 4);
    fresh.consume(40, TOKEN);
    _assertBucket(fresh.getBucket(), 0, START + 4);
  }

  // ───────────────────────── _validateTokenBucketConfig ─────────────────────────

  function test_Validate_AcceptsGoodConfigs() public view {
    s_h.validateTokenBucketConfig(RateLimiter.Config({isEnabled: true, capacity: 10, rate: 9}), false);
    s_h.validateTokenBucketConfig(RateLimiter.Config({isEnabled: false, capacity: 0, rate: 0}), false);
    s_h.validateTokenBucketConfig(RateLimiter.Config({isEnabled: false, capacity: 0, rate: 0}), true);
  }

  function test_RevertWhen_Validate_EnabledZeroRate() public {
    RateLimiter.Config memory cfg = RateLimiter.Config({isEnabled: true, capacity: 10, rate: 0});
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.InvalidRateLimitRate.selector, cfg));
    s_h.validateTokenBucketConfig(cfg, false);
  }

  function test_RevertWhen_Validate_EnabledRateEqualsCapacity() public {
    RateLimiter.Config memory cfg = RateLimiter.Config({isEnabled: true, capacity: 10, rate: 10});
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.InvalidRateLimitRate.selector, cfg));
    s_h.validateTokenBucketConfig(cfg, false);
  }

  function test_RevertWhen_Validate_EnabledRateAboveCapacity() public {
    RateLimiter.Config memory cfg = RateLimiter.Config({isEnabled: true, capacity: 10, rate: 11});
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.InvalidRateLimitRate.selector, cfg));
    s_h.validateTokenBucketConfig(cfg, false);
  }

  function test_RevertWhen_Validate_MustBeDisabled() public {
    vm.expectRevert(RateLimiter.RateLimitMustBeDisabled.selector);
    s_h.validateTokenBucketConfig(RateLimiter.Config({isEnabled: true, capacity: 10, rate: 1}), true);
  }

  function test_RevertWhen_Validate_MustBeDisabledButAlsoInvalid() public {
    RateLimiter.Config memory cfg = RateLimiter.Config({isEnabled: true, capacity: 0, rate: 0});
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.InvalidRateLimitRate.selector, cfg));
    s_h.validateTokenBucketConfig(cfg, true);
  }

  function test_RevertWhen_Validate_DisabledNonZeroCapacity() public {
    RateLimiter.Config memory cfg = RateLimiter.Config({isEnabled: false, capacity: 1, rate: 0});
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.DisabledNonZeroRateLimit.selector, cfg));
    s_h.validateTokenBucketConfig(cfg, false);
  }

  function test_RevertWhen_Validate_DisabledNonZeroRate() public {
    RateLimiter.Config memory cfg = RateLimiter.Config({isEnabled: false, capacity: 0, rate: 1});
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.DisabledNonZeroRateLimit.selector, cfg));
    s_h.validateTokenBucketConfig(cfg, true);
  }
}
