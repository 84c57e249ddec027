// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable2Step} from "../../contracts/access/Ownable2Step.sol";
import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {IPool} from "../../contracts/interfaces/IPool.sol";
import {RateLimiter} from "../../contracts/libraries/RateLimiter.sol";
import {TokenPool} from "../../contracts/pools/TokenPool.sol";
import {FaucetToken} from "../../contracts/tokens/FaucetToken.sol";
import {NoDecimalsToken, TokenPoolHarness} from "../helpers/PoolMocks.sol";
import {PoolTestBase} from "../helpers/PoolTestBase.sol";

contract TokenPoolTest is PoolTestBase {
  FaucetToken internal token;
  TokenPoolHarness internal pool;

  function setUp() public {
    _setUpMocks();
    token = new FaucetToken("T", "T", 18, 1e18);
    pool = new TokenPoolHarness(IERC20(address(token)), 18, new address[](0), address(arm), address(router));
    _addChain(pool, REMOTE, _cfg(CAPACITY, RATE), _cfg(CAPACITY, RATE));
  }

  function _newPool(address[] memory allowlist) internal returns (TokenPoolHarness) {
    TokenPoolHarness p = new TokenPoolHarness(IERC20(address(token)), 18, allowlist, address(arm), address(router));
    _addChain(p, REMOTE, _disabled(), _disabled());
    return p;
  }

  function _lock(uint256 amount) internal returns (IPool.LockOrBurnOut memory) {
    vm.prank(onRamp);
    return pool.lockOrBurn(_lockIn(address(token), amount));
  }

  function _release(uint256 amount) internal returns (uint256) {
    vm.prank(offRamp);
    return pool.releaseOrMint(_releaseIn(address(token), amount, abi.encode(uint8(18)))).destinationAmount;
  }

  // ───────────────────────────── constructor ─────────────────────────────

  function test_constructor_wiring() public view {
    assertEq(pool.getToken(), address(token));
    assertEq(pool.getTokenDecimals(), 18);
    assertEq(pool.getArm(), address(arm));
    assertEq(pool.getRouter(), address(router));
    assertEq(pool.owner(), owner);
    assertFalse(pool.getAllowListEnabled());
    assertEq(pool.getAllowList().length, 0);
    assertEq(pool.getRateLimitAdmin(), address(0));
  }

  function test_constructor_revertsOnZeroAddresses() public {
    address[] memory none = new address[](0);
    vm.expectRevert(TokenPool.ZeroAddressNotAllowed.selector);
    new TokenPoolHarness(IERC20(address(0)), 18, none, address(arm), address(router));
    vm.expectRevert(TokenPool.ZeroAddressNotAllowed.selector);
    new TokenPoolHarness(IERC20(address(token)), 18, none, address(0), address(router));
    vm.expectRevert(TokenPool.ZeroAddressNotAllowed.selector);
    new TokenPoolHarness(IERC20(address(token)), 18, none, address(arm), address(0));
  }

  function test_constructor_revertsOnWrongDecimals() public {
    vm.expectRevert(abi.encodeWithSelector(TokenPool.InvalidDecimalArgs.selector, uint8(6), uint8(18)));
    new TokenPoolHarness(IERC20(address(token)), 6, new address[](0), address(arm), address(router));
  }

  function test_constructor_acceptsTokenWithoutDecimals() public {
    NoDecimalsToken t = new NoDecimalsToken();
    TokenPoolHarness p = new TokenPoolHarness(IERC20(address(t)), 8, new address[](0), address(arm), address(router));
    assertEq(p.getTokenDecimals(), 8);
  }

  function test_constructor_allowlist() public {
    address[] memory list = new address[](3);
    list[0] = alice;
    list[1] = address(0); // skipped
    list[2] = alice; // duplicate skipped
    vm.expectEmit(true, true, true, true);
    emit TokenPool.AllowListAdd(alice);
    TokenPoolHarness p = _newPool(list);
    assertTrue(p.getAllowListEnabled());
    address[] memory got = p.getAllowList();
    assertEq(got.length, 1);
    assertEq(got[0], alice);
  }

  // ───────────────────────────── chain updates ─────────────────────────────

  function test_applyChainUpdates_add() public {
    TokenPool.ChainUpdate[] memory updates = new TokenPool.ChainUpdate[](1);
    updates[0] = TokenPool.ChainUpdate(OTHER, true, makeAddr("p2"), makeAddr("t2"), _cfg(10, 1), _disabled());
    vm.expectEmit(address(pool));
    emit TokenPool.ChainAdded(OTHER, makeAddr("p2"), makeAddr("t2"), _cfg(10, 1), _disabled());
    pool.applyChainUpdates(updates);

    assertTrue(pool.isSupportedChain(OTHER));
    assertEq(pool.getRemotePool(OTHER), makeAddr("p2"));
    assertEq(pool.getRemoteToken(OTHER), makeAddr("t2"));
    uint64[] memory chains = pool.getSupportedChains();
    assertEq(chains.length, 2);
    assertEq(chains[0], REMOTE);
    assertEq(chains[1], OTHER);

    // New buckets start full.
    RateLimiter.TokenBucket memory out = pool.getCurrentOutboundRateLimiterState(OTHER);
    assertTrue(out.isEnabled);
    assertEq(out.tokens, 10);
    assertEq(out.capacity, 10);
    assertEq(out.rate, 1);
    RateLimiter.TokenBucket memory inb = pool.getCurrentInboundRateLimiterState(OTHER);
    assertFalse(inb.isEnabled);
    assertEq(inb.capacity, 0);
  }

  function test_applyChainUpdates_remove() public {
    TokenPool.ChainUpdate[] memory updates = new TokenPool.ChainUpdate[](1);
    updates[0].remoteChainSelector = REMOTE;
    vm.expectEmit(address(pool));
    emit TokenPool.ChainRemoved(REMOTE);
    pool.applyChainUpdates(updates);

    assertFalse(pool.isSupportedChain(REMOTE));
    assertEq(pool.getRemotePool(REMOTE), address(0));
    assertEq(pool.getRemoteToken(REMOTE), address(0));
    assertEq(pool.getSupportedChains().length, 0);
    assertEq(pool.getCurrentOutboundRateLimiterState(REMOTE).capacity, 0);

    IPool.LockOrBurnIn memory lockIn = _lockIn(address(token), 1);
    vm.expectRevert(abi.encodeWithSelector(TokenPool.ChainNotAllowed.selector, REMOTE));
    vm.prank(onRamp);
    pool.lockOrBurn(lockIn);
  }

  function test_applyChainUpdates_removeKeepsOthers() public {
    _addChain(pool, OTHER, _disabled(), _disabled());
    TokenPool.ChainUpdate[] memory updates = new TokenPool.ChainUpdate[](1);
    updates[0].remoteChainSelector = REMOTE;
    pool.applyChainUpdates(updates);
    uint64[] memory chains = pool.getSupportedChains();
    assertEq(chains.length, 1);
    assertEq(chains[0], OTHER);
    assertTrue(pool.isSupportedChain(OTHER));
  }

  function test_applyChainUpdates_removeThenReAddInOneCall() public {
    TokenPool.ChainUpdate[] memory updates = new TokenPool.ChainUpdate[](2);
    updates[0].remoteChainSelector = REMOTE;
    updates[1] = TokenPool.ChainUpdate(REMOTE, true, makeAddr("p3"), remoteToken, _disabled(), _disabled());
    pool.applyChainUpdates(updates);
    assertEq(pool.getRemotePool(REMOTE), makeAddr("p3"));
    assertFalse(pool.getCurrentOutboundRateLimiterState(REMOTE).isEnabled);
    assertEq(pool.getSupportedChains().length, 1);
  }

  function test_applyChainUpdates_revertsChainAlreadyExists() public {
    TokenPool.ChainUpdate[] memory updates = new TokenPool.ChainUpdate[](1);
    updates[0] = TokenPool.ChainUpdate(REMOTE, true, remotePool, remoteToken, _disabled(), _disabled());
    vm.expectRevert(abi.encodeWithSelector(TokenPool.ChainAlreadyExists.selector, REMOTE));
    pool.applyChainUpdates(updates);
  }

  function test_applyChainUpdates_revertsNonExistentChain() public {
    TokenPool.ChainUpdate[] memory updates = new TokenPool.ChainUpdate[](1);
    updates[0].remoteChainSelector = OTHER;
    vm.expectRevert(abi.encodeWithSelector(TokenPool.NonExistentChain.selector, OTHER));
    pool.applyChainUpdates(updates);
  }

  function test_applyChainUpdates_revertsZeroRemoteAddresses() public {
    TokenPool.ChainUpdate[] memory updates = new TokenPool.ChainUpdate[](1);
    updates[0] = TokenPool.ChainUpdate(OTHER, true, address(0), remoteToken, _disabled(), _disabled());
    vm.expectRevert(TokenPool.ZeroAddressNotAllowed.selector);
    pool.applyChainUpdates(updates);
    updates[0] = TokenPool.ChainUpdate(OTHER, true, remotePool, address(0), _disabled(), _disabled());
    vm.expectRevert(TokenPool.ZeroAddressNotAllowed.selector);
    pool.applyChainUpdates(updates);
  }

  function test_applyChainUpdates_revertsInvalidRateConfig() public {
    TokenPool.ChainUpdate[] memory updates = new TokenPool.ChainUpdate[](1);
    updates[0] = TokenPool.ChainUpdate(OTHER, true, remotePool, remoteToken, _cfg(10, 10), _disabled());
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.InvalidRateLimitRate.selector, _cfg(10, 10)));
    pool.applyChainUpdates(updates);
    RateLimiter.Config memory bad = RateLimiter.Config(false, 5, 0);
    updates[0] = TokenPool.ChainUpdate(OTHER, true, remotePool, remoteToken, _disabled(), bad);
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.DisabledNonZeroRateLimit.selector, bad));
    pool.applyChainUpdates(updates);
  }

  function test_applyChainUpdates_onlyOwner() public {
    TokenPool.ChainUpdate[] memory updates = new TokenPool.ChainUpdate[](0);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    vm.prank(stranger);
    pool.applyChainUpdates(updates);
  }

  // ───────────────────────────── rate limit config ─────────────────────────────

  function test_setChainRateLimiterConfig_byOwnerAndAdmin() public {
    vm.expectEmit(address(pool));
    emit TokenPool.ChainConfigured(REMOTE, _cfg(50e18, 2e18), _disabled());
    pool.setChainRateLimiterConfig(REMOTE, _cfg(50e18, 2e18), _disabled());
    RateLimiter.TokenBucket memory out = pool.getCurrentOutboundRateLimiterState(REMOTE);
    assertEq(out.capacity, 50e18);
    assertEq(out.rate, 2e18);
    assertEq(out.tokens, 50e18); // clamped from the full 100e18
    assertFalse(pool.getCurrentInboundRateLimiterState(REMOTE).isEnabled);

    address admin = makeAddr("rateAdmin");
    vm.expectEmit(address(pool));
    emit TokenPool.RateLimitAdminSet(admin);
    pool.setRateLimitAdmin(admin);
    assertEq(pool.getRateLimitAdmin(), admin);

    vm.prank(admin);
    pool.setChainRateLimiterConfig(REMOTE, _disabled(), _cfg(7e18, 1e18));
    assertFalse(pool.getCurrentOutboundRateLimiterState(REMOTE).isEnabled);
    RateLimiter.TokenBucket memory inb = pool.getCurrentInboundRateLimiterState(REMOTE);
    assertTrue(inb.isEnabled);
    assertEq(inb.capacity, 7e18);
  }

  function test_setChainRateLimiterConfig_reverts() public {
    vm.expectRevert(abi.encodeWithSelector(TokenPool.Unauthorized.selector, stranger));
    vm.prank(stranger);
    pool.setChainRateLimiterConfig(REMOTE, _disabled(), _disabled());

    vm.expectRevert(abi.encodeWithSelector(TokenPool.NonExistentChain.selector, OTHER));
    pool.setChainRateLimiterConfig(OTHER, _disabled(), _disabled());

    vm.expectRevert(abi.encodeWithSelector(RateLimiter.InvalidRateLimitRate.selector, _cfg(1, 0)));
    pool.setChainRateLimiterConfig(REMOTE, _disabled(), _cfg(1, 0));
  }

  function test_setRateLimitAdmin_onlyOwner() public {
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    vm.prank(stranger);
    pool.setRateLimitAdmin(stranger);
  }

  // ───────────────────────────── remote pool / router ─────────────────────────────

  function test_setRemotePool() public {
    address newPool = makeAddr("newRemotePool");
    vm.expectEmit(address(pool));
    emit TokenPool.RemotePoolSet(REMOTE, remotePool, newPool);
    pool.setRemotePool(REMOTE, newPool);
    assertEq(pool.getRemotePool(REMOTE), newPool);

    // The old remote pool is no longer trusted.
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 1, "");
    vm.expectRevert(abi.encodeWithSelector(TokenPool.InvalidSourcePoolAddress.selector, remotePool));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function test_setRemotePool_reverts() public {
    vm.expectRevert(TokenPool.ZeroAddressNotAllowed.selector);
    pool.setRemotePool(REMOTE, address(0));
    vm.expectRevert(abi.encodeWithSelector(TokenPool.NonExistentChain.selector, OTHER));
    pool.setRemotePool(OTHER, remotePool);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    vm.prank(stranger);
    pool.setRemotePool(REMOTE, remotePool);
  }

  function test_setRouter() public {
    address newRouter = makeAddr("newRouter");
    vm.expectEmit(address(pool));
    emit TokenPool.RouterUpdated(address(router), newRouter);
    pool.setRouter(newRouter);
    assertEq(pool.getRouter(), newRouter);

    vm.expectRevert(TokenPool.ZeroAddressNotAllowed.selector);
    pool.setRouter(address(0));
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    vm.prank(stranger);
    pool.setRouter(newRouter);
  }

  // ───────────────────────────── lockOrBurn ─────────────────────────────

  function test_lockOrBurn_success() public {
    vm.expectEmit(address(pool));
    emit TokenPool.Locked(REMOTE, onRamp, 10e18);
    IPool.LockOrBurnOut memory out = _lock(10e18);
    assertEq(out.destTokenAddress, remoteToken);
    assertEq(out.destPoolData, abi.encode(uint8(18)));
    assertEq(pool.getCurrentOutboundRateLimiterState(REMOTE).tokens, CAPACITY - 10e18);
    // Inbound is a separate bucket.
    assertEq(pool.getCurrentInboundRateLimiterState(REMOTE).tokens, CAPACITY);
  }

  function test_lockOrBurn_revertsInvalidToken() public {
    IPool.LockOrBurnIn memory lockIn = _lockIn(stranger, 1);
    vm.expectRevert(abi.encodeWithSelector(TokenPool.InvalidToken.selector, stranger));
    vm.prank(onRamp);
    pool.lockOrBurn(lockIn);
  }

  function test_lockOrBurn_revertsChainNotAllowed() public {
    IPool.LockOrBurnIn memory lockIn = _lockIn(address(token), 1);
    lockIn.remoteChainSelector = OTHER;
    router.setOnRamp(OTHER, onRamp);
    vm.expectRevert(abi.encodeWithSelector(TokenPool.ChainNotAllowed.selector, OTHER));
    vm.prank(onRamp);
    pool.lockOrBurn(lockIn);
  }

  function test_lockOrBurn_revertsCursed() public {
    IPool.LockOrBurnIn memory lockIn = _lockIn(address(token), 1);
    arm.setCursed(bytes16(uint128(REMOTE)), true);
    vm.expectRevert(TokenPool.CursedByARM.selector);
    vm.prank(onRamp);
    pool.lockOrBurn(lockIn);

    // A curse on another chain does not matter; a global one does.
    arm.setCursed(bytes16(uint128(REMOTE)), false);
    arm.setCursed(bytes16(uint128(OTHER)), true);
    _lock(1);
    arm.setGlobalCurse(true);
    vm.expectRevert(TokenPool.CursedByARM.selector);
    vm.prank(onRamp);
    pool.lockOrBurn(lockIn);
  }

  function test_lockOrBurn_revertsNotOnRamp() public {
    IPool.LockOrBurnIn memory lockIn = _lockIn(address(token), 1);
    vm.expectRevert(abi.encodeWithSelector(TokenPool.CallerIsNotARampOnRouter.selector, offRamp));
    vm.prank(offRamp);
    pool.lockOrBurn(lockIn);

    // The OnRamp of another lane is not this lane's OnRamp.
    router.setOnRamp(REMOTE, makeAddr("otherOnRamp"));
    vm.expectRevert(abi.encodeWithSelector(TokenPool.CallerIsNotARampOnRouter.selector, onRamp));
    vm.prank(onRamp);
    pool.lockOrBurn(lockIn);
  }

  function test_lockOrBurn_routerUpdateMovesTrust() public {
    address newRouter = makeAddr("newRouter");
    vm.mockCall(newRouter, abi.encodeWithSignature("getOnRamp(uint64)", REMOTE), abi.encode(stranger));
    pool.setRouter(newRouter);
    IPool.LockOrBurnIn memory lockIn = _lockIn(address(token), 1);
    vm.expectRevert(abi.encodeWithSelector(TokenPool.CallerIsNotARampOnRouter.selector, onRamp));
    vm.prank(onRamp);
    pool.lockOrBurn(lockIn);
    vm.prank(stranger);
    pool.lockOrBurn(lockIn);
  }

  function test_lockOrBurn_allowlist() public {
    address[] memory list = new address[](1);
    list[0] = bob;
    pool = _newPool(list);
    IPool.LockOrBurnIn memory lockIn = _lockIn(address(token), 1);
    vm.expectRevert(abi.encodeWithSelector(TokenPool.SenderNotAllowed.selector, alice));
    vm.prank(onRamp);
    pool.lockOrBurn(lockIn);

    address[] memory adds = new address[](1);
    adds[0] = alice;
    vm.expectEmit(address(pool));
    emit TokenPool.AllowListAdd(alice);
    pool.applyAllowListUpdates(new address[](0), adds);
    vm.prank(onRamp);
    pool.lockOrBurn(lockIn);
    assertEq(pool.getAllowList().length, 2);

    vm.expectEmit(address(pool));
    emit TokenPool.AllowListRemove(alice);
    pool.applyAllowListUpdates(adds, new address[](0));
    vm.expectRevert(abi.encodeWithSelector(TokenPool.SenderNotAllowed.selector, alice));
    vm.prank(onRamp);
    pool.lockOrBurn(lockIn);
    address[] memory got = pool.getAllowList();
    assertEq(got.length, 1);
    assertEq(got[0], bob);
  }

  function test_applyAllowListUpdates_removeMiddleKeepsOthers() public {
    address[] memory list = new address[](3);
    list[0] = alice;
    list[1] = bob;
    list[2] = stranger;
    pool = _newPool(list);
    address[] memory removes = new address[](2);
    removes[0] = bob;
    removes[1] = makeAddr("neverAdded"); // skipped
    pool.applyAllowListUpdates(removes, new address[](0));
    address[] memory got = pool.getAllowList();
    assertEq(got.length, 2);
    assertEq(got[0], alice);
    assertEq(got[1], stranger);
    // Remove the moved element too: its index was updated.
    removes = new address[](1);
    removes[0] = stranger;
    pool.applyAllowListUpdates(removes, new address[](0));
    got = pool.getAllowList();
    assertEq(got.length, 1);
    assertEq(got[0], alice);
  }

  function test_applyAllowListUpdates_reverts() public {
    vm.expectRevert(TokenPool.AllowListNotEnabled.selector);
    pool.applyAllowListUpdates(new address[](0), new address[](0));
    address[] memory list = new address[](1);
    list[0] = bob;
    pool = _newPool(list);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    vm.prank(stranger);
    pool.applyAllowListUpdates(new address[](0), new address[](0));
  }

  // ───────────────────────────── rate limits through the pool ─────────────────────────────

  function test_outboundRateLimit_capacityWaitAndRefill() public {
    IPool.LockOrBurnIn memory lockIn = _lockIn(address(token), CAPACITY + 1);
    vm.expectRevert(
      abi.encodeWithSelector(RateLimiter.TokenMaxCapacityExceeded.selector, CAPACITY, CAPACITY + 1, address(token))
    );
    vm.prank(onRamp);
    pool.lockOrBurn(lockIn);

    _lock(90e18);
    lockIn.amount = 15e18;
    // 5e18 missing at 1e18/s: 5 seconds.
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.TokenRateLimitReached.selector, 5, 10e18, address(token)));
    vm.prank(onRamp);
    pool.lockOrBurn(lockIn);

    // Inbound is untouched by outbound traffic.
    assertEq(_release(CAPACITY), CAPACITY);

    vm.warp(block.timestamp + 4);
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.TokenRateLimitReached.selector, 1, 14e18, address(token)));
    vm.prank(onRamp);
    pool.lockOrBurn(lockIn);
    vm.warp(block.timestamp + 1);
    _lock(15e18);
    assertEq(pool.getCurrentOutboundRateLimiterState(REMOTE).tokens, 0);

    // Refill saturates at capacity.
    vm.warp(block.timestamp + 10_000);
    assertEq(pool.getCurrentOutboundRateLimiterState(REMOTE).tokens, CAPACITY);
  }

  function test_inboundRateLimit_capacityWaitAndRefill() public {
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), CAPACITY + 1, "");
    vm.expectRevert(
      abi.encodeWithSelector(RateLimiter.TokenMaxCapacityExceeded.selector, CAPACITY, CAPACITY + 1, address(token))
    );
    vm.prank(offRamp);
    pool.releaseOrMint(rin);

    _release(CAPACITY);
    rin.amount = 3e18 + 1;
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.TokenRateLimitReached.selector, 4, 0, address(token)));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);

    // Outbound is untouched by inbound traffic.
    _lock(CAPACITY);

    vm.warp(block.timestamp + 4);
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
    assertEq(pool.getCurrentInboundRateLimiterState(REMOTE).tokens, 4e18 - 3e18 - 1);
  }

  function test_rateLimit_disabledLetsAnythingThrough() public {
    pool.setChainRateLimiterConfig(REMOTE, _disabled(), _disabled());
    _lock(1e30);
    assertEq(_release(1e30), 1e30);
  }

  // ───────────────────────────── releaseOrMint ─────────────────────────────

  function test_releaseOrMint_success() public {
    vm.expectEmit(address(pool));
    emit TokenPool.Released(REMOTE, offRamp, bob, 5e18);
    assertEq(_release(5e18), 5e18);
    assertEq(pool.getCurrentInboundRateLimiterState(REMOTE).tokens, CAPACITY - 5e18);
  }

  function test_releaseOrMint_revertsInvalidToken() public {
    IPool.ReleaseOrMintIn memory rin = _releaseIn(stranger, 1, "");
    vm.expectRevert(abi.encodeWithSelector(TokenPool.InvalidToken.selector, stranger));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function test_releaseOrMint_revertsChainNotAllowed() public {
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 1, "");
    rin.remoteChainSelector = OTHER;
    router.setOffRamp(OTHER, offRamp, true);
    vm.expectRevert(abi.encodeWithSelector(TokenPool.ChainNotAllowed.selector, OTHER));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function test_releaseOrMint_revertsCursed() public {
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 1, "");
    arm.setCursed(bytes16(uint128(REMOTE)), true);
    vm.expectRevert(TokenPool.CursedByARM.selector);
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function test_releaseOrMint_revertsNotOffRamp() public {
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 1, "");
    vm.expectRevert(abi.encodeWithSelector(TokenPool.CallerIsNotARampOnRouter.selector, onRamp));
    vm.prank(onRamp);
    pool.releaseOrMint(rin);

    // An OffRamp registered for another source chain is not enough.
    router.setOffRamp(REMOTE, offRamp, false);
    router.setOffRamp(OTHER, offRamp, true);
    vm.expectRevert(abi.encodeWithSelector(TokenPool.CallerIsNotARampOnRouter.selector, offRamp));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function test_releaseOrMint_revertsInvalidSourcePool() public {
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 1, "");
    rin.sourcePoolAddress = stranger;
    vm.expectRevert(abi.encodeWithSelector(TokenPool.InvalidSourcePoolAddress.selector, stranger));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  // ───────────────────────────── decimals ─────────────────────────────

  function test_decimals_18to6() public {
    FaucetToken t6 = new FaucetToken("T6", "T6", 6, 1e6);
    TokenPoolHarness p6 = new TokenPoolHarness(IERC20(address(t6)), 6, new address[](0), address(arm), address(router));
    _addChain(p6, REMOTE, _disabled(), _cfg(100e6, 1e6));
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(t6), 1.5e18 + 123, abi.encode(uint8(18)));
    vm.expectEmit(address(p6));
    emit TokenPool.Released(REMOTE, offRamp, bob, 1.5e6);
    vm.prank(offRamp);
    assertEq(p6.releaseOrMint(rin).destinationAmount, 1.5e6); // dust below 1e-6 rounds down
    // The inbound bucket counts local units.
    assertEq(p6.getCurrentInboundRateLimiterState(REMOTE).tokens, 100e6 - 1.5e6);
  }

  function test_decimals_6to18() public {
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 2.5e6, abi.encode(uint8(6)));
    vm.prank(offRamp);
    assertEq(pool.releaseOrMint(rin).destinationAmount, 2.5e18);
    assertEq(pool.getCurrentInboundRateLimiterState(REMOTE).tokens, CAPACITY - 2.5e18);
  }

  function test_decimals_emptyDataMeansSame() public {
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 7, "");
    vm.prank(offRamp);
    assertEq(pool.releaseOrMint(rin).destinationAmount, 7);
  }

  function test_decimals_revertsInvalidData() public {
    bytes memory short = hex"12";
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 1, short);
    vm.expectRevert(abi.encodeWithSelector(TokenPool.InvalidRemoteChainDecimals.selector, short));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);

    bytes memory big = abi.encode(uint256(256));
    rin.sourcePoolData = big;
    vm.expectRevert(abi.encodeWithSelector(TokenPool.InvalidRemoteChainDecimals.selector, big));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function test_decimals_overflow() public {
    vm.expectRevert(abi.encodeWithSelector(TokenPool.OverflowDetected.selector, uint8(0), uint8(18), type(uint256).max));
    pool.calculateLocalAmount(type(uint256).max, 0);
    assertEq(pool.calculateLocalAmount(type(uint256).max / 1e18, 0), (type(uint256).max / 1e18) * 1e18);
    // 255 - 18 > 77: cannot even form the divisor.
    vm.expectRevert(abi.encodeWithSelector(TokenPool.OverflowDetected.selector, uint8(255), uint8(18), uint256(1)));
    pool.calculateLocalAmount(1, 255);
    assertEq(pool.calculateLocalAmount(type(uint256).max, 95), type(uint256).max / 1e77);
  }
}
