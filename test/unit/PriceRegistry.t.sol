// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PriceRegistry} from "../../contracts/PriceRegistry.sol";
import {Ownable2Step} from "../../contracts/access/Ownable2Step.sol";
import {IPriceRegistry} from "../../contracts/interfaces/IPriceRegistry.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {Test} from "forge-std/Test.sol";
import {Vm} from "forge-std/Vm.sol";

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
    Internal.PriceUpdates memory updates = _updates(TOKEN, 5e18, DEST, 7e13);
    vm.recordLogs();
    vm.prank(UPDATER);
    registry.updatePrices(updates);
    // Exactly one event for the whole batch.
    Vm.Log[] memory logs = vm.getRecordedLogs();
    assertEq(logs.length, 1);
    assertEq(logs[0].emitter, address(registry));
    assertEq(logs[0].topics.length, 1);
    assertEq(logs[0].topics[0], PriceRegistry.PricesUpdated.selector);
    assertEq(logs[0].data, abi.encode(updates.tokenPriceUpdates, updates.gasPriceUpdates, block.timestamp));

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

  /// @dev The single log of one updatePrices call sent as `callData` by the owner.
  function _pricesUpdatedData(bytes memory callData) internal returns (bytes memory) {
    vm.recordLogs();
    vm.prank(OWNER);
    (bool ok,) = address(registry).call(callData);
    assertTrue(ok);
    Vm.Log[] memory logs = vm.getRecordedLogs();
    assertEq(logs.length, 1);
    assertEq(logs[0].topics[0], PriceRegistry.PricesUpdated.selector);
    return logs[0].data;
  }

  function testFuzz_PricesUpdatedCarriesTheBatch(uint256 seed, uint8 tokenCount, uint8 gasCount) public {
    Internal.PriceUpdates memory u;
    u.tokenPriceUpdates = new Internal.TokenPriceUpdate[](tokenCount % 6);
    u.gasPriceUpdates = new Internal.GasPriceUpdate[](gasCount % 6);
    for (uint256 i = 0; i < u.tokenPriceUpdates.length; ++i) {
      uint256 r = uint256(keccak256(abi.encode(seed, "token", i)));
      u.tokenPriceUpdates[i] = Internal.TokenPriceUpdate(address(uint160(r)), uint224(r >> 32));
    }
    for (uint256 i = 0; i < u.gasPriceUpdates.length; ++i) {
      uint256 r = uint256(keccak256(abi.encode(seed, "gas", i)));
      u.gasPriceUpdates[i] = Internal.GasPriceUpdate(uint64(r), uint224(r >> 32));
    }
    assertEq(
      _pricesUpdatedData(abi.encodeCall(registry.updatePrices, (u))),
      abi.encode(u.tokenPriceUpdates, u.gasPriceUpdates, block.timestamp)
    );
  }

  function test_PricesUpdatedIsCanonicalForANonCanonicalCall() public {
    Internal.PriceUpdates memory u = _updates(TOKEN, 5e18, DEST, 7e13);
    // The tuple's head points past a junk word to the arrays, and junk trails the call: the event
    // still carries the canonical encoding of what was applied.
    bytes memory callData = abi.encodePacked(
      IPriceRegistry.updatePrices.selector,
      uint256(0x20),
      uint256(0x60), // token array, after the head and one junk word
      uint256(0x60 + 0x60), // gas array, after the token array
      uint256(0xdead), // junk
      uint256(1),
      uint256(uint160(TOKEN)),
      uint256(5e18),
      uint256(1),
      uint256(DEST),
      uint256(7e13),
      uint256(0xbeef) // trailing junk
    );
    assertEq(_pricesUpdatedData(callData), abi.encode(u.tokenPriceUpdates, u.gasPriceUpdates, block.timestamp));
    assertEq(registry.getTokenPrice(TOKEN).value, 5e18);
    assertEq(registry.getDestinationChainGasPrice(DEST).value, 7e13);
  }

  function test_RevertWhen_UpdatePricesDirtyAddress() public {
    // The upper bits of the token word are set: the decoder refuses it before any price or event.
    bytes memory callData = abi.encodePacked(
      IPriceRegistry.updatePrices.selector,
      uint256(0x20),
      uint256(0x40),
      uint256(0x40 + 0x60),
      uint256(1),
      uint256(uint160(TOKEN)) | (uint256(1) << 200),
      uint256(5e18),
      uint256(0)
    );
    vm.recordLogs();
    vm.prank(OWNER);
    (bool ok, bytes memory err) = address(registry).call(callData);
    assertFalse(ok);
    assertEq(err.length, 0);
    assertEq(vm.getRecordedLogs().length, 0);
    assertEq(registry.getTokenPrice(TOKEN).timestamp, 0);
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
