// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable2Step} from "../../contracts/access/Ownable2Step.sol";
import {IBurnMintERC20} from "../../contracts/interfaces/IBurnMintERC20.sol";
import {BurnMintTokenPool} from "../../contracts/pools/BurnMintTokenPool.sol";
import {TokenAdminRegistry} from "../../contracts/tokenAdminRegistry/TokenAdminRegistry.sol";
import {BurnMintTestToken} from "../../contracts/tokens/BurnMintTestToken.sol";
import {MockAdminToken, NoDecimalsToken} from "../helpers/PoolMocks.sol";
import {PoolTestBase} from "../helpers/PoolTestBase.sol";

contract TokenAdminRegistryTest is PoolTestBase {
  TokenAdminRegistry internal registry;
  BurnMintTestToken internal token; // owner() and getCCIPAdmin() are this test contract
  BurnMintTokenPool internal pool;
  address internal issuer = makeAddr("issuer");

  function setUp() public {
    _setUpMocks();
    registry = new TokenAdminRegistry();
    token = new BurnMintTestToken("BnM", "BnM", 18);
    pool = new BurnMintTokenPool(IBurnMintERC20(address(token)), 18, new address[](0), address(arm), address(router));
  }

  function _register() internal {
    registry.registerAdminViaOwner(address(token));
    registry.acceptAdminRole(address(token));
  }

  // ───────────────────────────── self registration ─────────────────────────────

  function test_registerAdminViaOwner() public {
    vm.expectEmit(address(registry));
    emit TokenAdminRegistry.AdministratorTransferRequested(address(token), address(0), address(this));
    registry.registerAdminViaOwner(address(token));
    TokenAdminRegistry.TokenConfig memory config = registry.getTokenConfig(address(token));
    assertEq(config.administrator, address(0));
    assertEq(config.pendingAdministrator, address(this));
    assertFalse(registry.isAdministrator(address(token), address(this)));

    vm.expectEmit(address(registry));
    emit TokenAdminRegistry.AdministratorTransferred(address(token), address(this));
    registry.acceptAdminRole(address(token));
    config = registry.getTokenConfig(address(token));
    assertEq(config.administrator, address(this));
    assertEq(config.pendingAdministrator, address(0));
    assertTrue(registry.isAdministrator(address(token), address(this)));
  }

  function test_registerAdminViaGetCCIPAdmin() public {
    token.setCCIPAdmin(issuer);
    vm.expectEmit(address(registry));
    emit TokenAdminRegistry.AdministratorTransferRequested(address(token), address(0), issuer);
    vm.prank(issuer);
    registry.registerAdminViaGetCCIPAdmin(address(token));
    vm.prank(issuer);
    registry.acceptAdminRole(address(token));
    assertEq(registry.getTokenConfig(address(token)).administrator, issuer);
  }

  function test_register_revertsNotSelf() public {
    vm.expectRevert(abi.encodeWithSelector(TokenAdminRegistry.CanOnlySelfRegister.selector, stranger, address(token)));
    vm.prank(stranger);
    registry.registerAdminViaOwner(address(token));

    // The owner is not the CCIP admin once the role moved.
    token.setCCIPAdmin(issuer);
    vm.expectRevert(
      abi.encodeWithSelector(TokenAdminRegistry.CanOnlySelfRegister.selector, address(this), address(token))
    );
    registry.registerAdminViaGetCCIPAdmin(address(token));
  }

  function test_register_revertsTokenWithoutGetter() public {
    NoDecimalsToken bare = new NoDecimalsToken();
    vm.expectRevert(abi.encodeWithSelector(TokenAdminRegistry.CanOnlySelfRegister.selector, stranger, address(bare)));
    vm.prank(stranger);
    registry.registerAdminViaOwner(address(bare));
    vm.expectRevert(abi.encodeWithSelector(TokenAdminRegistry.CanOnlySelfRegister.selector, stranger, address(bare)));
    vm.prank(stranger);
    registry.registerAdminViaGetCCIPAdmin(address(bare));

    // An address without code answers nothing.
    address eoa = makeAddr("eoa");
    vm.expectRevert(abi.encodeWithSelector(TokenAdminRegistry.CanOnlySelfRegister.selector, stranger, eoa));
    vm.prank(stranger);
    registry.registerAdminViaOwner(eoa);
  }

  function test_register_zeroOwnerCannotBeClaimed() public {
    MockAdminToken t = new MockAdminToken(); // owner() == address(0)
    vm.expectRevert(abi.encodeWithSelector(TokenAdminRegistry.CanOnlySelfRegister.selector, stranger, address(t)));
    vm.prank(stranger);
    registry.registerAdminViaOwner(address(t));
  }

  function test_register_revertsAlreadyRegistered() public {
    _register();
    vm.expectRevert(
      abi.encodeWithSelector(TokenAdminRegistry.AlreadyRegistered.selector, address(token), address(this))
    );
    registry.registerAdminViaOwner(address(token));
    vm.expectRevert(
      abi.encodeWithSelector(TokenAdminRegistry.AlreadyRegistered.selector, address(token), address(this))
    );
    registry.proposeAdministrator(address(token), issuer);
  }

  function test_register_pendingCanBeReplaced() public {
    MockAdminToken t = new MockAdminToken();
    t.setOwner(alice);
    t.setCCIPAdmin(bob);
    vm.prank(alice);
    registry.registerAdminViaOwner(address(t));
    vm.prank(bob);
    registry.registerAdminViaGetCCIPAdmin(address(t));
    assertEq(registry.getTokenConfig(address(t)).pendingAdministrator, bob);
    vm.expectRevert(abi.encodeWithSelector(TokenAdminRegistry.OnlyPendingAdministrator.selector, alice, address(t)));
    vm.prank(alice);
    registry.acceptAdminRole(address(t));
    // Listed once however often proposed.
    assertEq(registry.getAllConfiguredTokens(0, 10).length, 1);
  }

  // ───────────────────────────── owner proposal ─────────────────────────────

  function test_proposeAdministrator() public {
    vm.expectEmit(address(registry));
    emit TokenAdminRegistry.AdministratorTransferRequested(address(token), address(0), issuer);
    registry.proposeAdministrator(address(token), issuer);
    vm.prank(issuer);
    registry.acceptAdminRole(address(token));
    assertEq(registry.getTokenConfig(address(token)).administrator, issuer);
  }

  function test_proposeAdministrator_reverts() public {
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    vm.prank(stranger);
    registry.proposeAdministrator(address(token), stranger);
    vm.expectRevert(TokenAdminRegistry.ZeroAddressNotAllowed.selector);
    registry.proposeAdministrator(address(0), issuer);
    vm.expectRevert(TokenAdminRegistry.ZeroAddressNotAllowed.selector);
    registry.proposeAdministrator(address(token), address(0));
  }

  // ───────────────────────────── accept / transfer ─────────────────────────────

  function test_acceptAdminRole_revertsNotPending() public {
    vm.expectRevert(
      abi.encodeWithSelector(TokenAdminRegistry.OnlyPendingAdministrator.selector, stranger, address(token))
    );
    vm.prank(stranger);
    registry.acceptAdminRole(address(token));
  }

  function test_transferAdminRole() public {
    _register();
    vm.expectEmit(address(registry));
    emit TokenAdminRegistry.AdministratorTransferRequested(address(token), address(this), issuer);
    registry.transferAdminRole(address(token), issuer);
    // Still in charge until accepted.
    assertEq(registry.getTokenConfig(address(token)).administrator, address(this));
    assertEq(registry.getTokenConfig(address(token)).pendingAdministrator, issuer);
    registry.setPool(address(token), address(pool));

    vm.expectEmit(address(registry));
    emit TokenAdminRegistry.AdministratorTransferred(address(token), issuer);
    vm.prank(issuer);
    registry.acceptAdminRole(address(token));
    assertEq(registry.getTokenConfig(address(token)).administrator, issuer);

    vm.expectRevert(
      abi.encodeWithSelector(TokenAdminRegistry.OnlyAdministrator.selector, address(this), address(token))
    );
    registry.setPool(address(token), address(0));
  }

  function test_transferAdminRole_cancel() public {
    _register();
    registry.transferAdminRole(address(token), issuer);
    registry.transferAdminRole(address(token), address(0));
    vm.expectRevert(
      abi.encodeWithSelector(TokenAdminRegistry.OnlyPendingAdministrator.selector, issuer, address(token))
    );
    vm.prank(issuer);
    registry.acceptAdminRole(address(token));
  }

  function test_transferAdminRole_revertsNotAdmin() public {
    registry.registerAdminViaOwner(address(token)); // pending only
    vm.expectRevert(
      abi.encodeWithSelector(TokenAdminRegistry.OnlyAdministrator.selector, address(this), address(token))
    );
    registry.transferAdminRole(address(token), issuer);
  }

  // ───────────────────────────── pools ─────────────────────────────

  function test_setPool() public {
    _register();
    vm.expectEmit(address(registry));
    emit TokenAdminRegistry.PoolSet(address(token), address(0), address(pool));
    registry.setPool(address(token), address(pool));
    assertEq(registry.getPool(address(token)), address(pool));
    assertEq(registry.getTokenConfig(address(token)).tokenPool, address(pool));

    BurnMintTokenPool pool2 =
      new BurnMintTokenPool(IBurnMintERC20(address(token)), 18, new address[](0), address(arm), address(router));
    vm.expectEmit(address(registry));
    emit TokenAdminRegistry.PoolSet(address(token), address(pool), address(pool2));
    registry.setPool(address(token), address(pool2));

    // Unregister.
    vm.expectEmit(address(registry));
    emit TokenAdminRegistry.PoolSet(address(token), address(pool2), address(0));
    registry.setPool(address(token), address(0));
    assertEq(registry.getPool(address(token)), address(0));
  }

  function test_setPool_sameIsNoEvent() public {
    _register();
    registry.setPool(address(token), address(pool));
    vm.recordLogs();
    registry.setPool(address(token), address(pool));
    assertEq(vm.getRecordedLogs().length, 0);
  }

  function test_setPool_reverts() public {
    vm.expectRevert(abi.encodeWithSelector(TokenAdminRegistry.OnlyAdministrator.selector, stranger, address(token)));
    vm.prank(stranger);
    registry.setPool(address(token), address(pool));

    _register();
    BurnMintTestToken other = new BurnMintTestToken("O", "O", 18);
    BurnMintTokenPool otherPool =
      new BurnMintTokenPool(IBurnMintERC20(address(other)), 18, new address[](0), address(arm), address(router));
    vm.expectRevert(
      abi.encodeWithSelector(TokenAdminRegistry.InvalidTokenPoolToken.selector, address(token), address(other))
    );
    registry.setPool(address(token), address(otherPool));
  }

  function test_getPools() public {
    _register();
    registry.setPool(address(token), address(pool));
    address[] memory tokens = new address[](2);
    tokens[0] = address(token);
    tokens[1] = stranger;
    address[] memory pools = registry.getPools(tokens);
    assertEq(pools.length, 2);
    assertEq(pools[0], address(pool));
    assertEq(pools[1], address(0));
  }

  function test_getAllConfiguredTokens() public {
    address[] memory tokens = new address[](5);
    for (uint256 i = 0; i < 5; ++i) {
      tokens[i] = address(uint160(0x1000 + i));
      registry.proposeAdministrator(tokens[i], issuer);
    }
    address[] memory got = registry.getAllConfiguredTokens(0, 100);
    assertEq(got.length, 5);
    for (uint256 i = 0; i < 5; ++i) {
      assertEq(got[i], tokens[i]);
    }
    got = registry.getAllConfiguredTokens(1, 2);
    assertEq(got.length, 2);
    assertEq(got[0], tokens[1]);
    assertEq(got[1], tokens[2]);
    got = registry.getAllConfiguredTokens(4, 10);
    assertEq(got.length, 1);
    assertEq(got[0], tokens[4]);
    assertEq(registry.getAllConfiguredTokens(5, 10).length, 0);
    assertEq(registry.getAllConfiguredTokens(2, 0).length, 0);
  }
}
