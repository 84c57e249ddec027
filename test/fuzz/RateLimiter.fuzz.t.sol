// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RateLimiter} from "../../contracts/libraries/RateLimiter.sol";
import {RateLimiterHarness} from "../helpers/RateLimiterHelpers.sol";
import {Test} from "forge-std/Test.sol";

contract RateLimiterFuzzTest is Test {
  uint256 internal constant START = 1_700_000_000;
  // Keeps every timestamp (START + any warp used here) inside the uint32 lastUpdated range.
  uint256 internal constant MAX_WARP = 1 << 31;

  RateLimiterHarness internal s_h;

  function setUp() public {
    vm.warp(START);
    s_h = new RateLimiterHarness();
  }

  function _min(uint256 a, uint256 b) internal pure returns (uint256) {
    return a < b ? a : b;
  }

  function _setBucket(uint128 tokens, uint128 capacity, uint128 rate) internal {
    s_h.setBucket(
      RateLimiter.TokenBucket({
        tokens: tokens, lastUpdated: uint32(block.timestamp), isEnabled: true, capacity: capacity, rate: rate
      })
    );
  }

  function _rateLimitError(uint256 minWait, uint256 available, address token) internal pure returns (bytes memory) {
    if (token == address(0)) {
      return abi.encodeWithSelector(RateLimiter.AggregateValueRateLimitReached.selector, minWait, available);
    }
    return abi.encodeWithSelector(RateLimiter.TokenRateLimitReached.selector, minWait, available, token);
  }

  /// Refill is min(capacity, tokens + elapsed * rate), for the full uint128 ranges and any realistic warp.
  function testFuzz_RefillNeverExceedsCapacity(uint128 capacity, uint128 rate, uint128 tokens, uint256 warp) public {
    tokens = uint128(bound(tokens, 0, capacity));
    warp = bound(warp, 0, MAX_WARP);
    _setBucket(tokens, capacity, rate);
    vm.warp(START + warp);

    uint256 expected = _min(capacity, uint256(tokens) + warp * rate);
    RateLimiter.TokenBucket memory b = s_h.currentTokenBucketState();
    assertEq(b.tokens, expected);
    assertLe(b.tokens, capacity);
    assertEq(b.lastUpdated, START + warp);

    // The stored path agrees with the view: all of `expected` can be taken, and the stored balance
    // afterwards is exactly what is left.
    if (expected != 0) {
      s_h.consume(1, address(1));
      b = s_h.getBucket();
      assertEq(b.tokens, expected - 1);
      assertEq(b.lastUpdated, START + warp);
      s_h.consume(expected - 1, address(1));
      assertEq(s_h.getBucket().tokens, 0);
    }
  }

  /// The reported wait is exact: one second less still fails (with 1 s left), exactly that long succeeds.
  function testFuzz_MinWaitIsExact(uint128 capacity, uint128 rate, uint128 tokens, uint256 request, address token)
    public
  {
    capacity = uint128(bound(capacity, 2, type(uint128).max));
    // rate >= capacity / 2^30 keeps the longest possible wait (~capacity / rate) within MAX_WARP.
    uint256 minRate = capacity >> 30 == 0 ? 1 : capacity >> 30;
    rate = uint128(bound(rate, minRate, capacity - 1));
    tokens = uint128(bound(tokens, 0, capacity - 1));
    request = bound(request, uint256(tokens) + 1, capacity);
    _setBucket(tokens, capacity, rate);

    uint256 minWait = (request - tokens + rate - 1) / rate;
    assertGt(minWait, 0);
    assertLe(minWait, MAX_WARP);
    vm.expectRevert(_rateLimitError(minWait, tokens, token));
    s_h.consume(request, token);

    vm.warp(START + minWait - 1);
    uint256 almost = uint256(tokens) + (minWait - 1) * rate;
    vm.expectRevert(_rateLimitError(1, almost, token));
    s_h.consume(request, token);

    vm.warp(START + minWait);
    s_h.consume(request, token);
    RateLimiter.TokenBucket memory b = s_h.getBucket();
    assertEq(b.tokens, _min(capacity, uint256(tokens) + minWait * rate) - request);
    assertEq(b.lastUpdated, START + minWait);
  }

  /// Any request either succeeds, leaving the exact remainder, or fails with exactly the right error:
  /// never an arithmetic panic, for all uint128 parameters.
  function testFuzz_ConsumeOutcomeIsExact(
    uint128 capacity,
    uint128 rate,
    uint128 tokens,
    uint256 request,
    uint256 warp,
    address token
  ) public {
    tokens = uint128(bound(tokens, 0, capacity));
    warp = bound(warp, 0, MAX_WARP);
    request = bound(request, 1, uint256(type(uint128).max) + 1);
    _setBucket(tokens, capacity, rate);
    vm.warp(START + warp);

    uint256 available = _min(capacity, uint256(tokens) + warp * rate);
    if (request > capacity) {
      if (token == address(0)) {
        vm.expectRevert(
          abi.encodeWithSelector(RateLimiter.AggregateValueMaxCapacityExceeded.selector, capacity, request)
        );
      } else {
        vm.expectRevert(abi.encodeWithSelector(RateLimiter.TokenMaxCapacityExceeded.selector, capacity, request, token));
      }
      s_h.consume(request, token);
    } else if (request > available) {
      uint256 minWait = rate == 0 ? RateLimiter.INFINITE_WAIT : (request - available + rate - 1) / rate;
      vm.expectRevert(_rateLimitError(minWait, available, token));
      s_h.consume(request, token);
    } else {
      vm.expectEmit(address(s_h));
      emit RateLimiter.TokensConsumed(request);
      s_h.consume(request, token);
      RateLimiter.TokenBucket memory b = s_h.getBucket();
      assertEq(b.tokens, available - request);
      assertEq(b.lastUpdated, START + warp);
    }
  }

  /// Reconfiguring settles the old rate's refill, then clamps to the new capacity; the new rate applies after.
  function testFuzz_ReconfigureClampsToNewCapacity(
    uint128 capacity,
    uint128 rate,
    uint128 tokens,
    uint256 warp,
    RateLimiter.Config memory cfg,
    uint256 warpAfter
  ) public {
    tokens = uint128(bound(tokens, 0, capacity));
    warp = bound(warp, 0, MAX_WARP / 2);
    warpAfter = bound(warpAfter, 0, MAX_WARP / 2);
    _setBucket(tokens, capacity, rate);
    vm.warp(START + warp);

    uint256 settled = _min(capacity, uint256(tokens) + warp * rate);
    vm.expectEmit(address(s_h));
    emit RateLimiter.ConfigChanged(cfg);
    s_h.setTokenBucketConfig(cfg);

    RateLimiter.TokenBucket memory b = s_h.getBucket();
    uint256 clamped = _min(settled, cfg.capacity);
    assertEq(b.tokens, clamped);
    assertLe(b.tokens, cfg.capacity);
    assertEq(b.lastUpdated, START + warp);
    assertEq(b.capacity, cfg.capacity);
    assertEq(b.rate, cfg.rate);
    assertEq(b.isEnabled, cfg.isEnabled);

    vm.warp(START + warp + warpAfter);
    assertEq(s_h.currentTokenBucketState().tokens, _min(cfg.capacity, clamped + warpAfter * cfg.rate));
  }

  /// Refill is lazy: touching the bucket midway (zero request, or re-applying its config) never
  /// changes what is available later.
  function testFuzz_RefillIsPathIndependent(uint128 capacity, uint128 rate, uint128 tokens, uint256 w1, uint256 w2)
    public
  {
    tokens = uint128(bound(tokens, 0, capacity));
    w1 = bound(w1, 0, MAX_WARP / 2);
    w2 = bound(w2, 0, MAX_WARP / 2);
    _setBucket(tokens, capacity, rate);
    uint256 expected = _min(capacity, uint256(tokens) + (w1 + w2) * rate);

    vm.warp(START + w1);
    s_h.consume(0, address(1));
    s_h.setTokenBucketConfig(RateLimiter.Config({isEnabled: true, capacity: capacity, rate: rate}));
    vm.warp(START + w1 + w2);
    assertEq(s_h.currentTokenBucketState().tokens, expected);
  }

  /// Validation accepts exactly: enabled with 0 < rate < capacity, or disabled with both zero.
  function testFuzz_ValidateConfig(RateLimiter.Config memory cfg, bool mustBeDisabled) public {
    bool valid = cfg.isEnabled ? (cfg.rate > 0 && cfg.rate < cfg.capacity) : (cfg.rate == 0 && cfg.capacity == 0);
    if (!valid) {
      bytes4 sel =
        cfg.isEnabled ? RateLimiter.InvalidRateLimitRate.selector : RateLimiter.DisabledNonZeroRateLimit.selector;
      vm.expectRevert(abi.encodeWithSelector(sel, cfg));
    } else if (cfg.isEnabled && mustBeDisabled) {
      vm.expectRevert(RateLimiter.RateLimitMustBeDisabled.selector);
    }
    s_h.validateTokenBucketConfig(cfg, mustBeDisabled);
  }
}
