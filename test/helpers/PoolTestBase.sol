// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IPool} from "../../contracts/interfaces/IPool.sol";
import {RateLimiter} from "../../contracts/libraries/RateLimiter.sol";
import {TokenPool} from "../../contracts/pools/TokenPool.sol";
import {MockARM} from "./MockARM.sol";
import {MockPoolRouter} from "./PoolMocks.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Shared wiring for pool tests: a mock Router with one OnRamp and one OffRamp for REMOTE,
/// a mock ARM, and builders for the pool's inputs.
abstract contract PoolTestBase is Test {
  uint64 internal constant REMOTE = 16015286601757825753;
  uint64 internal constant OTHER = 3478487238524512106;
  uint128 internal constant CAPACITY = 100e18;
  uint128 internal constant RATE = 1e18;

  address internal owner = address(this);
  address internal onRamp = makeAddr("onRamp");
  address internal offRamp = makeAddr("offRamp");
  address internal remotePool = makeAddr("remotePool");
  address internal remoteToken = makeAddr("remoteToken");
  address internal alice = makeAddr("alice");
  address internal bob = makeAddr("bob");
  address internal stranger = makeAddr("stranger");

  MockARM internal arm;
  MockPoolRouter internal router;

  function _setUpMocks() internal {
    arm = new MockARM();
    router = new MockPoolRouter();
    router.setOnRamp(REMOTE, onRamp);
    router.setOffRamp(REMOTE, offRamp, true);
  }

  function _cfg(uint128 capacity, uint128 rate) internal pure returns (RateLimiter.Config memory) {
    return RateLimiter.Config({isEnabled: true, capacity: capacity, rate: rate});
  }

  function _disabled() internal pure returns (RateLimiter.Config memory) {
    return RateLimiter.Config({isEnabled: false, capacity: 0, rate: 0});
  }

  function _addChain(TokenPool pool, uint64 selector, RateLimiter.Config memory out, RateLimiter.Config memory inb)
    internal
  {
    TokenPool.ChainUpdate[] memory updates = new TokenPool.ChainUpdate[](1);
    updates[0] = TokenPool.ChainUpdate({
      remoteChainSelector: selector,
      allowed: true,
      remotePoolAddress: remotePool,
      remoteTokenAddress: remoteToken,
      outboundRateLimiterConfig: out,
      inboundRateLimiterConfig: inb
    });
    pool.applyChainUpdates(updates);
  }

  function _lockIn(address token, uint256 amount) internal view returns (IPool.LockOrBurnIn memory) {
    return IPool.LockOrBurnIn({
      receiver: abi.encode(bob), remoteChainSelector: REMOTE, originalSender: alice, amount: amount, localToken: token
    });
  }

  function _releaseIn(address token, uint256 amount, bytes memory sourcePoolData)
    internal
    view
    returns (IPool.ReleaseOrMintIn memory)
  {
    return IPool.ReleaseOrMintIn({
      originalSender: abi.encode(alice),
      remoteChainSelector: REMOTE,
      receiver: bob,
      amount: amount,
      localToken: token,
      sourcePoolAddress: remotePool,
      sourcePoolData: sourcePoolData,
      offchainTokenData: "",
      messageId: keccak256("message")
    });
  }
}
