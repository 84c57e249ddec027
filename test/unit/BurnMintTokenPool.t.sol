// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IBurnMintERC20} from "../../contracts/interfaces/IBurnMintERC20.sol";
import {IPool} from "../../contracts/interfaces/IPool.sol";
import {RateLimiter} from "../../contracts/libraries/RateLimiter.sol";
import {BurnMintTokenPool} from "../../contracts/pools/BurnMintTokenPool.sol";
import {TokenPool} from "../../contracts/pools/TokenPool.sol";
import {BurnMintERC677} from "../../contracts/tokens/BurnMintERC677.sol";
import {BurnMintTestToken} from "../../contracts/tokens/BurnMintTestToken.sol";
import {PoolTestBase} from "../helpers/PoolTestBase.sol";

contract BurnMintTokenPoolTest is PoolTestBase {
  BurnMintTestToken internal token;
  BurnMintTokenPool internal pool;

  function setUp() public {
    _setUpMocks();
    token = new BurnMintTestToken("BnM", "BnM", 18);
    pool = new BurnMintTokenPool(IBurnMintERC20(address(token)), 18, new address[](0), address(arm), address(router));
    token.grantMintAndBurnRoles(address(pool));
    _addChain(pool, REMOTE, _cfg(CAPACITY, RATE), _cfg(CAPACITY, RATE));
    token.drip(onRamp);
    token.drip(onRamp);
  }

  function test_burn() public {
    uint256 supply = token.totalSupply();
    vm.startPrank(onRamp);
    token.transfer(address(pool), 1.5e18);
    vm.expectEmit(address(pool));
    emit TokenPool.Burned(REMOTE, onRamp, 1.5e18);
    IPool.LockOrBurnOut memory out = pool.lockOrBurn(_lockIn(address(token), 1.5e18));
    vm.stopPrank();
    assertEq(out.destTokenAddress, remoteToken);
    assertEq(abi.decode(out.destPoolData, (uint8)), 18);
    assertEq(token.balanceOf(address(pool)), 0);
    assertEq(token.totalSupply(), supply - 1.5e18);
    assertEq(pool.getCurrentOutboundRateLimiterState(REMOTE).tokens, CAPACITY - 1.5e18);
  }

  function test_mint() public {
    uint256 supply = token.totalSupply();
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 7e18, abi.encode(uint8(18)));
    vm.expectEmit(address(pool));
    emit TokenPool.Minted(REMOTE, offRamp, bob, 7e18);
    vm.prank(offRamp);
    assertEq(pool.releaseOrMint(rin).destinationAmount, 7e18);
    assertEq(token.balanceOf(bob), 7e18);
    assertEq(token.totalSupply(), supply + 7e18);
  }

  function test_mint_convertsDecimals() public {
    BurnMintTestToken t6 = new BurnMintTestToken("B6", "B6", 6);
    BurnMintTokenPool p6 =
      new BurnMintTokenPool(IBurnMintERC20(address(t6)), 6, new address[](0), address(arm), address(router));
    t6.grantMintAndBurnRoles(address(p6));
    _addChain(p6, REMOTE, _disabled(), _disabled());
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(t6), 2.000000999e18, abi.encode(uint8(18)));
    vm.prank(offRamp);
    assertEq(p6.releaseOrMint(rin).destinationAmount, 2e6);
    assertEq(t6.balanceOf(bob), 2e6);
  }

  function test_withoutRoles_reverts() public {
    token.revokeMintAndBurnRoles(address(pool));
    vm.startPrank(onRamp);
    token.transfer(address(pool), 1e18);
    vm.expectRevert(abi.encodeWithSelector(BurnMintERC677.NotBurner.selector, address(pool)));
    pool.lockOrBurn(_lockIn(address(token), 1e18));
    vm.stopPrank();

    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 1e18, "");
    vm.expectRevert(abi.encodeWithSelector(BurnMintERC677.NotMinter.selector, address(pool)));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function test_mint_rateLimited() public {
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), CAPACITY, "");
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
    rin.amount = 2e18;
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.TokenRateLimitReached.selector, 2, 0, address(token)));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
    vm.warp(block.timestamp + 2);
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
    assertEq(token.balanceOf(bob), CAPACITY + 2e18);
  }

  function test_burn_checksStillApply() public {
    IPool.LockOrBurnIn memory lockIn = _lockIn(address(token), 1);
    vm.expectRevert(abi.encodeWithSelector(TokenPool.CallerIsNotARampOnRouter.selector, stranger));
    vm.prank(stranger);
    pool.lockOrBurn(lockIn);
  }
}
