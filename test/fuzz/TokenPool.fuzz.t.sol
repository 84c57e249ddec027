// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {IPool} from "../../contracts/interfaces/IPool.sol";
import {RateLimiter} from "../../contracts/libraries/RateLimiter.sol";
import {LockReleaseTokenPool} from "../../contracts/pools/LockReleaseTokenPool.sol";
import {FaucetToken} from "../../contracts/tokens/FaucetToken.sol";
import {NoDecimalsToken, TokenPoolHarness} from "../helpers/PoolMocks.sol";
import {PoolTestBase} from "../helpers/PoolTestBase.sol";

contract TokenPoolFuzzTest is PoolTestBase {
  uint256 internal constant STEPS = 24;

  FaucetToken internal token;
  LockReleaseTokenPool internal pool;

  /// @dev Reference model of one bucket, independent of the library's code.
  struct Model {
    uint256 tokens;
    uint256 last;
    uint256 capacity;
    uint256 rate;
    uint256 consumed; // everything taken since the start
  }

  function setUp() public {
    _setUpMocks();
    token = new FaucetToken("T", "T", 18, 1e18);
    pool = new LockReleaseTokenPool(IERC20(address(token)), 18, new address[](0), address(arm), address(router));
    token.mint(onRamp, type(uint128).max);
    address rebalancer = makeAddr("rebalancer");
    pool.setRebalancer(rebalancer);
    token.mint(rebalancer, type(uint128).max);
    vm.startPrank(rebalancer);
    token.approve(address(pool), type(uint256).max);
    pool.provideLiquidity(type(uint128).max);
    vm.stopPrank();
  }

  function _refill(Model storage m) internal {
    uint256 t = m.tokens + (block.timestamp - m.last) * m.rate;
    m.tokens = t < m.capacity ? t : m.capacity;
    m.last = block.timestamp;
  }

  /// @dev Predicts the outcome of taking `amount` from `m` and applies it to the model on success.
  /// @return revertData Empty when the call must succeed, else the exact error it must revert with.
  function _predict(Model storage m, uint256 amount) internal returns (bytes memory revertData) {
    if (amount == 0) return "";
    _refill(m);
    if (amount > m.capacity) {
      return abi.encodeWithSelector(RateLimiter.TokenMaxCapacityExceeded.selector, m.capacity, amount, address(token));
    }
    if (amount > m.tokens) {
      uint256 wait = (amount - m.tokens + m.rate - 1) / m.rate;
      return abi.encodeWithSelector(RateLimiter.TokenRateLimitReached.selector, wait, m.tokens, address(token));
    }
    m.tokens -= amount;
    m.consumed += amount;
    return "";
  }

  Model internal s_out;
  Model internal s_in;
  uint256 internal s_start;
  uint256 internal s_liquidity;

  /// @notice Random lock/release sequences: each bucket matches an independent model, never holds more
  /// than its capacity, and lets through at most capacity + rate * elapsed; the two directions never
  /// interfere, and the pool's balance always equals liquidity + locked - released.
  function testFuzz_lockReleaseSequence_neverExceedsCapacity(
    uint128 outCapacity,
    uint128 outRate,
    uint128 inCapacity,
    uint128 inRate,
    uint256 seed
  ) public {
    outCapacity = uint128(bound(outCapacity, 2, 1e30));
    outRate = uint128(bound(outRate, 1, outCapacity - 1));
    inCapacity = uint128(bound(inCapacity, 2, 1e30));
    inRate = uint128(bound(inRate, 1, inCapacity - 1));
    _addChain(pool, REMOTE, _cfg(outCapacity, outRate), _cfg(inCapacity, inRate));

    s_start = block.timestamp;
    s_out = Model(outCapacity, s_start, outCapacity, outRate, 0);
    s_in = Model(inCapacity, s_start, inCapacity, inRate, 0);
    s_liquidity = token.balanceOf(address(pool));

    for (uint256 i = 0; i < STEPS; ++i) {
      seed = uint256(keccak256(abi.encode(seed, i)));
      _step(seed);
      _checkInvariants();
    }
  }

  function _step(uint256 seed) internal {
    vm.warp(block.timestamp + (seed % 4 == 0 ? 0 : (seed >> 8) % 50));
    bool isLock = (seed >> 64) & 1 == 0;
    Model storage m = isLock ? s_out : s_in;
    // Mostly within the bucket's scale, sometimes over capacity.
    uint256 amount = (seed >> 128) % (m.capacity + m.capacity / 4 + 1);
    bytes memory revertData = _predict(m, amount);

    if (isLock) {
      vm.startPrank(onRamp);
      if (revertData.length == 0) token.transfer(address(pool), amount);
      if (revertData.length != 0) vm.expectRevert(revertData);
      pool.lockOrBurn(_lockIn(address(token), amount));
      vm.stopPrank();
    } else {
      if (revertData.length != 0) vm.expectRevert(revertData);
      vm.prank(offRamp);
      pool.releaseOrMint(_releaseIn(address(token), amount, ""));
    }
  }

  function _checkInvariants() internal {
    _refill(s_out);
    _refill(s_in);
    RateLimiter.TokenBucket memory bOut = pool.getCurrentOutboundRateLimiterState(REMOTE);
    RateLimiter.TokenBucket memory bIn = pool.getCurrentInboundRateLimiterState(REMOTE);
    assertEq(bOut.tokens, s_out.tokens, "outbound model");
    assertEq(bIn.tokens, s_in.tokens, "inbound model");
    assertLe(bOut.tokens, bOut.capacity);
    assertLe(bIn.tokens, bIn.capacity);
    uint256 elapsed = block.timestamp - s_start;
    assertLe(s_out.consumed, s_out.capacity + elapsed * s_out.rate, "outbound throughput");
    assertLe(s_in.consumed, s_in.capacity + elapsed * s_in.rate, "inbound throughput");
    assertEq(pool.getLockedTotal(), s_out.consumed);
    assertEq(pool.getReleasedTotal(), s_in.consumed);
    assertEq(token.balanceOf(address(pool)), s_liquidity + s_out.consumed - s_in.consumed);
  }

  function _harness(uint8 decimals) internal returns (TokenPoolHarness p) {
    p = new TokenPoolHarness(
      IERC20(address(new NoDecimalsToken())), decimals, new address[](0), address(arm), address(router)
    );
  }

  /// @notice Converting A→B→A never creates value and loses less than one unit of the coarser token.
  function testFuzz_decimalConversion_roundTrip(uint256 amount, uint8 decA, uint8 decB) public {
    decA = uint8(bound(decA, 0, 36));
    decB = uint8(bound(decB, 0, 36));
    amount = bound(amount, 0, type(uint128).max);
    TokenPoolHarness a = _harness(decA);
    TokenPoolHarness b = _harness(decB);

    uint256 forward = b.calculateLocalAmount(amount, decA);
    uint256 back = a.calculateLocalAmount(forward, decB);
    if (decA <= decB) {
      assertEq(forward, amount * 10 ** (decB - decA));
      assertEq(back, amount);
    } else {
      uint256 unit = 10 ** (decA - decB);
      assertEq(forward, amount / unit);
      assertLe(back, amount);
      assertLt(amount - back, unit);
    }
  }

  /// @notice The wire format end to end: the source pool's destPoolData, handed to the destination
  /// pool as sourcePoolData, yields the amount scaled to the destination's decimals.
  function testFuzz_decimalConversion_throughPools(uint256 amount, uint8 decSrc, uint8 decDst) public {
    decSrc = uint8(bound(decSrc, 0, 36));
    decDst = uint8(bound(decDst, 0, 36));
    amount = bound(amount, 0, type(uint128).max);
    TokenPoolHarness src = _harness(decSrc);
    TokenPoolHarness dst = _harness(decDst);
    _addChain(src, REMOTE, _disabled(), _disabled());
    _addChain(dst, REMOTE, _disabled(), _disabled());

    IPool.LockOrBurnIn memory lockIn = _lockIn(src.getToken(), amount);
    vm.prank(onRamp);
    IPool.LockOrBurnOut memory out = src.lockOrBurn(lockIn);
    IPool.ReleaseOrMintIn memory rin = _releaseIn(dst.getToken(), amount, out.destPoolData);
    vm.prank(offRamp);
    uint256 got = dst.releaseOrMint(rin).destinationAmount;

    if (decSrc <= decDst) assertEq(got, amount * 10 ** (decDst - decSrc));
    else assertEq(got, amount / 10 ** (decSrc - decDst));
  }
}
