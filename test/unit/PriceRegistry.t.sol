// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PriceRegistry} from "../../contracts/PriceRegistry.sol";
import {Ownable2Step} from "../../contracts/access/Ownable2Step.sol";
import {IPriceRegistry} from "../../contracts/interfaces/IPriceRegistry.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {Test} from "forge-std/Test.sol";

contract PriceRegistryTest is Test {
  address internal constant OWNER = address(0x0E0E);
  address internal constant UPDATER = address(0x0D0D);
  address internal constant TOKEN = address(0x70C1);
  address internal constant FEE_TOKEN = address(0x70C2);
  uint64 internal constant DEST = 42;
  uint32 internal constant STALENESS = 3600;

  PriceRegistry internal registry;

  function setUp() public {
    vm.warp(1_000_000);
    address[] memory updaters = new address[](1);
    updaters[0] = UPDATER;
    address[] memory feeTokens = new address[](1);
    feeTokens[0] = FEE_TOKEN;
    vm.prank(OWNER);
    registry = new PriceRegistry(updaters, feeTokens, STALENESS);
  }

  function _updates(address token, uint224 tokenPrice, uint64 dest, uint224 gasPrice)
    internal
    pure
    returns (Internal.PriceUpdates memory u)
  {
    u.tokenPriceUpdates = new Internal.TokenPriceUpdate[](1);
    u.tokenPriceUpdates[0] = Internal.TokenPriceUpdate({sourceToken: token, usdPerToken: tokenPrice});
    u.gasPriceUpdates = new Internal.GasPriceUpdate[](1);
    u.gasPriceUpdates[0] = Internal.GasPriceUpdate({destChainSelector: dest, usdPerUnitGas: gasPrice});
  }

  function test_Constructor() public view {
    assertEq(registry.owner(), OWNER);
    assertEq(registry.getStalenessThreshold(), STALENESS);
    assertEq(registry.getPriceUpdaters().length, 1);
    assertEq(registry.getPriceUpdaters()[0], UPDATER);
    assertEq(registry.getFeeTokens().length, 1);
    assertEq(registry.getFeeTokens()[0], FEE_TOKEN);
  }

  function test_RevertWhen_ConstructorZeroStaleness() public {
    vm.expectRevert(PriceRegistry.InvalidStalenessThreshold.selector);
    new PriceRegistry(new address[](0), new address[](0), 0);
  }

  function test_UpdatePricesByUpdater() public {
    vm.expectEmit(address(registry));
    emit PriceRegistry.UsdPerTokenUpdated(TOKEN, 5e18, block.timestamp);
    vm.expectEmit(address(registry));
    emit PriceRegistry.UsdPerUnitGasUpdated(DEST, 7e13, block.timestamp);
    vm.prank(UPDATER);
    registry.updatePrices(_updates(TOKEN, 5e18, DEST, 7e13));

    IPriceRegistry.TimestampedPackedUint224 memory p = registry.getTokenPrice(TOKEN);
    assertEq(p.value, 5e18);
    assertEq(p.timestamp, block.timestamp);
    p = registry.getDestinationChainGasPrice(DEST);
    assertEq(p.value, 7e13);
    assertEq(p.timestamp, block.timestamp);
    assertEq(registry.getValidatedTokenPrice(TOKEN), 5e18);
    (uint224 feeTokenPrice, uint224 gasPrice) = registry.getTokenAndGasPrices(TOKEN, DEST);
    assertEq(feeTokenPrice, 5e18);
    assertEq(gasPrice, 7e13);

    address[] memory tokens = new address[](2);
    tokens[0] = TOKEN;
    tokens[1] = FEE_TOKEN;
    IPriceRegistry.TimestampedPackedUint224[] memory prices = registry.getTokenPrices(tokens);
    assertEq(prices[0].value, 5e18);
    assertEq(prices[1].value, 0);
  }

  function test_UpdatePricesByOwner() public {
    vm.prank(OWNER);
    registry.updatePrices(_updates(TOKEN, 1, DEST, 2));
    assertEq(registry.getValidatedTokenPrice(TOKEN), 1);
  }

  function test_RevertWhen_UpdatePricesByStranger() public {
    Internal.PriceUpdates memory u = _updates(TOKEN, 1, DEST, 2);
    vm.expectRevert(PriceRegistry.OnlyCallableByUpdaterOrOwner.selector);
    registry.updatePrices(u);
  }

  function test_RevertWhen_TokenNotSupported() public {
    vm.expectRevert(abi.encodeWithSelector(PriceRegistry.TokenNotSupported.selector, TOKEN));
    registry.getValidatedTokenPrice(TOKEN);
  }

  function test_RevertWhen_StaleTokenPrice() public {
    vm.prank(OWNER);
    registry.updatePrices(_updates(TOKEN, 1, DEST, 2));
    vm.warp(block.timestamp + STALENESS);
    assertEq(registry.getValidatedTokenPrice(TOKEN), 1); // exactly at the threshold is still fresh
    vm.warp(block.timestamp + 1);
    vm.expectRevert(abi.encodeWithSelector(PriceRegistry.StaleTokenPrice.selector, TOKEN, STALENESS, STALENESS + 1));
    registry.getValidatedTokenPrice(TOKEN);
  }

  function test_RevertWhen_ChainNotSupported() public {
    vm.prank(OWNER);
    registry.updatePrices(_updates(TOKEN, 1, DEST, 2));
    vm.expectRevert(abi.encodeWithSelector(PriceRegistry.ChainNotSupported.selector, DEST + 1));
    registry.getTokenAndGasPrices(TOKEN, DEST + 1);
  }

  function test_RevertWhen_StaleGasPrice() public {
    vm.prank(OWNER);
    registry.updatePrices(_updates(TOKEN, 1, DEST, 2));
    vm.warp(block.timestamp + STALENESS + 5);
    vm.expectRevert(abi.encodeWithSelector(PriceRegistry.StaleGasPrice.selector, DEST, STALENESS, STALENESS + 5));
    registry.getTokenAndGasPrices(TOKEN, DEST);
  }

  function test_RevertWhen_GetTokenAndGasPricesUnknownToken() public {
    vm.prank(OWNER);
    registry.updatePrices(_updates(TOKEN, 1, DEST, 2));
    vm.expectRevert(abi.encodeWithSelector(PriceRegistry.TokenNotSupported.selector, FEE_TOKEN));
    registry.getTokenAndGasPrices(FEE_TOKEN, DEST);
  }

  function test_RevertWhen_GetTokenAndGasPricesStaleToken() public {
    vm.prank(OWNER);
    registry.updatePrices(_updates(TOKEN, 1, DEST, 2));
    vm.warp(block.timestamp + STALENESS + 1);
    vm.prank(OWNER);
    registry.updatePrices(_updates(FEE_TOKEN, 1, DEST, 2));
    vm.expectRevert(abi.encodeWithSelector(PriceRegistry.StaleTokenPrice.selector, TOKEN, STALENESS, STALENESS + 1));
    registry.getTokenAndGasPrices(TOKEN, DEST);
  }

  function test_ApplyPriceUpdatersUpdates() public {
    address[] memory add = new address[](2);
    add[0] = address(1);
    add[1] = UPDATER; // already present: no event
    address[] memory remove = new address[](1);
    remove[0] = UPDATER;
    vm.expectEmit(address(registry));
    emit PriceRegistry.PriceUpdaterSet(address(1));
    vm.expectEmit(address(registry));
    emit PriceRegistry.PriceUpdaterRemoved(UPDATER);
    vm.prank(OWNER);
    registry.applyPriceUpdatersUpdates(add, remove);
    address[] memory updaters = registry.getPriceUpdaters();
    assertEq(updaters.length, 1);
    assertEq(updaters[0], address(1));

    Internal.PriceUpdates memory u = _updates(TOKEN, 1, DEST, 2);
    vm.prank(UPDATER);
    vm.expectRevert(PriceRegistry.OnlyCallableByUpdaterOrOwner.selector);
    registry.updatePrices(u);
    vm.prank(address(1));
    registry.updatePrices(u);
  }

  function test_RevertWhen_ApplyPriceUpdatersUpdatesNotOwner() public {
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    registry.applyPriceUpdatersUpdates(new address[](0), new address[](0));
  }

  function test_ApplyFeeTokensUpdates() public {
    address[] memory add = new address[](2);
    add[0] = address(0xA);
    add[1] = address(0xB);
    address[] memory remove = new address[](2);
    remove[0] = FEE_TOKEN;
    remove[1] = address(0xC); // absent: no event
    vm.expectEmit(address(registry));
    emit PriceRegistry.FeeTokenAdded(address(0xA));
    vm.expectEmit(address(registry));
    emit PriceRegistry.FeeTokenAdded(address(0xB));
    vm.expectEmit(address(registry));
    emit PriceRegistry.FeeTokenRemoved(FEE_TOKEN);
    vm.prank(OWNER);
    registry.applyFeeTokensUpdates(add, remove);
    address[] memory feeTokens = registry.getFeeTokens();
    assertEq(feeTokens.length, 2);
    assertEq(feeTokens[0], address(0xB)); // moved into the removed slot
    assertEq(feeTokens[1], address(0xA));
  }

  function test_RevertWhen_ApplyFeeTokensUpdatesNotOwner() public {
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    registry.applyFeeTokensUpdates(new address[](0), new address[](0));
  }
}
