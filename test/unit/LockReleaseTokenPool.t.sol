// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable2Step} from "../../contracts/access/Ownable2Step.sol";
import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {IPool} from "../../contracts/interfaces/IPool.sol";
import {RateLimiter} from "../../contracts/libraries/RateLimiter.sol";
import {SafeTransfer} from "../../contracts/libraries/SafeTransfer.sol";
import {LockReleaseTokenPool} from "../../contracts/pools/LockReleaseTokenPool.sol";
import {TokenPool} from "../../contracts/pools/TokenPool.sol";
import {FaucetToken} from "../../contracts/tokens/FaucetToken.sol";
import {PoolTestBase} from "../helpers/PoolTestBase.sol";

contract LockReleaseTokenPoolTest is PoolTestBase {
  FaucetToken internal token;
  LockReleaseTokenPool internal pool;
  address internal rebalancer = makeAddr("rebalancer");

  function setUp() public {
    _setUpMocks();
    token = new FaucetToken("T", "T", 18, 1e18);
    pool = new LockReleaseTokenPool(IERC20(address(token)), 18, new address[](0), address(arm), address(router));
    _addChain(pool, REMOTE, _cfg(CAPACITY, RATE), _cfg(CAPACITY, RATE));
    token.mint(rebalancer, 1000e18);
    token.mint(onRamp, 1000e18);
    pool.setRebalancer(rebalancer);
  }

  /// @dev What the Router and OnRamp do: move the tokens into the pool, then call lockOrBurn.
  function _lock(uint256 amount) internal returns (IPool.LockOrBurnOut memory) {
    vm.startPrank(onRamp);
    token.transfer(address(pool), amount);
    IPool.LockOrBurnOut memory out = pool.lockOrBurn(_lockIn(address(token), amount));
    vm.stopPrank();
    return out;
  }

  function _provide(uint256 amount) internal {
    vm.startPrank(rebalancer);
    token.approve(address(pool), amount);
    pool.provideLiquidity(amount);
    vm.stopPrank();
  }

  function test_lock_keepsTokensAndCounts() public {
    vm.startPrank(onRamp);
    token.transfer(address(pool), 10e18);
    vm.expectEmit(address(pool));
    emit TokenPool.Locked(REMOTE, onRamp, 10e18);
    IPool.LockOrBurnOut memory out = pool.lockOrBurn(_lockIn(address(token), 10e18));
    vm.stopPrank();
    assertEq(out.destTokenAddress, remoteToken);
    assertEq(out.destPoolData, abi.encode(uint8(18)));
    assertEq(token.balanceOf(address(pool)), 10e18);
    assertEq(pool.getLockedTotal(), 10e18);
    assertEq(pool.getReleasedTotal(), 0);
    _lock(5e18);
    assertEq(pool.getLockedTotal(), 15e18);
  }

  function test_release_transfersAndCounts() public {
    _lock(20e18);
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 8e18, abi.encode(uint8(18)));
    vm.expectEmit(address(pool));
    emit TokenPool.Released(REMOTE, offRamp, bob, 8e18);
    vm.prank(offRamp);
    assertEq(pool.releaseOrMint(rin).destinationAmount, 8e18);
    assertEq(token.balanceOf(bob), 8e18);
    assertEq(token.balanceOf(address(pool)), 12e18);
    assertEq(pool.getReleasedTotal(), 8e18);
    assertEq(pool.getLockedTotal(), 20e18);
  }

  function test_release_revertsInsufficientLiquidity() public {
    _lock(3e18);
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 4e18, "");
    vm.expectRevert(abi.encodeWithSelector(LockReleaseTokenPool.InsufficientLiquidity.selector, 3e18, 4e18));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
    assertEq(pool.getReleasedTotal(), 0);
  }

  function test_release_convertsDecimals() public {
    _lock(10e18);
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 3e6, abi.encode(uint8(6)));
    vm.prank(offRamp);
    assertEq(pool.releaseOrMint(rin).destinationAmount, 3e18);
    assertEq(token.balanceOf(bob), 3e18);
    assertEq(pool.getReleasedTotal(), 3e18);
  }

  function test_release_checksStillApply() public {
    _lock(10e18);
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 1e18, "");
    vm.expectRevert(abi.encodeWithSelector(TokenPool.CallerIsNotARampOnRouter.selector, stranger));
    vm.prank(stranger);
    pool.releaseOrMint(rin);
    rin.sourcePoolAddress = stranger;
    vm.expectRevert(abi.encodeWithSelector(TokenPool.InvalidSourcePoolAddress.selector, stranger));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function test_lock_rateLimited() public {
    vm.startPrank(onRamp);
    token.transfer(address(pool), CAPACITY + 1);
    vm.expectRevert(
      abi.encodeWithSelector(RateLimiter.TokenMaxCapacityExceeded.selector, CAPACITY, CAPACITY + 1, address(token))
    );
    pool.lockOrBurn(_lockIn(address(token), CAPACITY + 1));
    vm.stopPrank();
    assertEq(pool.getLockedTotal(), 0);
  }

  // ───────────────────────────── liquidity ─────────────────────────────

  function test_setRebalancer() public {
    address next = makeAddr("next");
    vm.expectEmit(address(pool));
    emit LockReleaseTokenPool.RebalancerSet(rebalancer, next);
    pool.setRebalancer(next);
    assertEq(pool.getRebalancer(), next);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    vm.prank(stranger);
    pool.setRebalancer(stranger);
  }

  function test_provideLiquidity() public {
    vm.startPrank(rebalancer);
    token.approve(address(pool), 50e18);
    vm.expectEmit(address(pool));
    emit LockReleaseTokenPool.LiquidityAdded(rebalancer, 50e18);
    pool.provideLiquidity(50e18);
    vm.stopPrank();
    assertEq(token.balanceOf(address(pool)), 50e18);
    assertEq(token.balanceOf(rebalancer), 950e18);
    // Liquidity does not count as locked.
    assertEq(pool.getLockedTotal(), 0);

    // Liquidity lets the pool pay out transfers from chains that were seeded elsewhere.
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 50e18, "");
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
    assertEq(token.balanceOf(bob), 50e18);
  }

  function test_provideLiquidity_reverts() public {
    vm.expectRevert(abi.encodeWithSelector(TokenPool.Unauthorized.selector, stranger));
    vm.prank(stranger);
    pool.provideLiquidity(1);
    // Without an allowance the token refuses the pull.
    vm.expectRevert(
      abi.encodeWithSelector(SafeTransfer.TransferFailed.selector, address(token), rebalancer, address(pool), 1)
    );
    vm.prank(rebalancer);
    pool.provideLiquidity(1);
  }

  function test_withdrawLiquidity() public {
    _provide(40e18);
    vm.expectEmit(address(pool));
    emit LockReleaseTokenPool.LiquidityRemoved(rebalancer, 15e18);
    vm.prank(rebalancer);
    pool.withdrawLiquidity(15e18);
    assertEq(token.balanceOf(address(pool)), 25e18);
    assertEq(token.balanceOf(rebalancer), 975e18);
  }

  function test_withdrawLiquidity_reverts() public {
    _provide(10e18);
    vm.expectRevert(abi.encodeWithSelector(TokenPool.Unauthorized.selector, stranger));
    vm.prank(stranger);
    pool.withdrawLiquidity(1);
    vm.expectRevert(abi.encodeWithSelector(LockReleaseTokenPool.InsufficientLiquidity.selector, 10e18, 10e18 + 1));
    vm.prank(rebalancer);
    pool.withdrawLiquidity(10e18 + 1);
    // The owner is not the rebalancer.
    vm.expectRevert(abi.encodeWithSelector(TokenPool.Unauthorized.selector, owner));
    pool.withdrawLiquidity(1);
  }

  function test_accounting_roundTrip() public {
    _lock(30e18);
    _lock(20e18);
    vm.prank(offRamp);
    pool.releaseOrMint(_releaseIn(address(token), 45e18, ""));
    assertEq(pool.getLockedTotal() - pool.getReleasedTotal(), 5e18);
    assertEq(token.balanceOf(address(pool)), 5e18);
  }
}
