// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {OnRamp} from "../../contracts/onRamp/OnRamp.sol";
import {RouterSetup} from "../helpers/RouterSetup.sol";

contract OnRampFeeFuzzTest is RouterSetup {
  function _setPrices(uint224 feeTokenPrice, uint224 gasPrice) internal {
    Internal.PriceUpdates memory u;
    u.tokenPriceUpdates = new Internal.TokenPriceUpdate[](1);
    u.tokenPriceUpdates[0] = Internal.TokenPriceUpdate({sourceToken: address(link), usdPerToken: feeTokenPrice});
    u.gasPriceUpdates = new Internal.GasPriceUpdate[](1);
    u.gasPriceUpdates[0] = Internal.GasPriceUpdate({destChainSelector: DEST, usdPerUnitGas: gasPrice});
    vm.prank(OWNER);
    priceRegistry.updatePrices(u);
  }

  function _setPremium(uint64 premium) internal {
    OnRamp.FeeTokenConfigArgs[] memory a = new OnRamp.FeeTokenConfigArgs[](1);
    a[0] = OnRamp.FeeTokenConfigArgs({token: address(link), enabled: true, premiumMultiplierWeiPerEth: premium});
    vm.prank(OWNER);
    onRamp.applyFeeTokenConfigUpdates(a);
  }

  function _msg(uint256 gasLimit, uint256 dataLength) internal pure returns (Client.EVM2AnyMessage memory m) {
    m = _message(new bytes(dataLength), address(0));
    m.feeToken = address(0); // replaced by callers
    m.extraArgs = Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: gasLimit}));
  }

  /// The fee equals the independent formula for random lane parameters and realistic prices
  /// (gas up to 1e24 USD-wei per gas, fee token from 1e-12 to 1e12 USD per whole token).
  function testFuzz_FeeMatchesFormula(
    uint32 destGasOverhead,
    uint16 perByte,
    uint16 daPerByte,
    uint16 networkCents,
    uint256 gasLimit,
    uint256 dataLength,
    uint224 gasPrice,
    uint224 feeTokenPrice,
    uint64 premium
  ) public {
    OnRamp.DynamicConfig memory c = _dynamicConfig();
    c.destGasOverhead = destGasOverhead;
    c.destGasPerPayloadByte = perByte;
    c.destGasPerDataAvailabilityByte = daPerByte;
    c.networkFeeUSDCents = networkCents;
    vm.prank(OWNER);
    onRamp.setDynamicConfig(c);
    gasPrice = uint224(bound(gasPrice, 1, 1e24));
    feeTokenPrice = uint224(bound(feeTokenPrice, 1e6, 1e30));
    _setPrices(feeTokenPrice, gasPrice);
    _setPremium(premium);

    gasLimit = bound(gasLimit, 0, c.maxPerMsgGasLimit);
    dataLength = bound(dataLength, 0, 2_000);
    Client.EVM2AnyMessage memory m = _msg(gasLimit, dataLength);
    m.feeToken = address(link);
    assertEq(onRamp.getFee(DEST, m), _expectedFee(c, gasLimit, dataLength, 0, gasPrice, feeTokenPrice, premium));
  }

  function testFuzz_MonotonicInGasLimit(uint256 a, uint256 b, uint256 dataLength) public view {
    a = bound(a, 0, 3_000_000);
    b = bound(b, a, 3_000_000);
    dataLength = bound(dataLength, 0, 1_000);
    Client.EVM2AnyMessage memory ma = _msg(a, dataLength);
    Client.EVM2AnyMessage memory mb = _msg(b, dataLength);
    ma.feeToken = mb.feeToken = address(link);
    assertLe(onRamp.getFee(DEST, ma), onRamp.getFee(DEST, mb));
  }

  function testFuzz_MonotonicInDataLength(uint256 a, uint256 b, uint256 gasLimit) public view {
    a = bound(a, 0, 3_000);
    b = bound(b, a, 3_000);
    gasLimit = bound(gasLimit, 0, 3_000_000);
    Client.EVM2AnyMessage memory ma = _msg(gasLimit, a);
    Client.EVM2AnyMessage memory mb = _msg(gasLimit, b);
    ma.feeToken = mb.feeToken = address(weth);
    assertLe(onRamp.getFee(DEST, ma), onRamp.getFee(DEST, mb));
  }

  /// Every lane field at its type maximum with the largest realistic prices does not overflow.
  function testFuzz_NoOverflowAtExtremes(uint224 gasPrice, uint64 premium) public {
    OnRamp.DynamicConfig memory c = OnRamp.DynamicConfig({
      maxDataBytes: type(uint32).max,
      maxPerMsgGasLimit: type(uint32).max,
      defaultTxGasLimit: type(uint32).max,
      maxNumberOfTokensPerMsg: type(uint16).max,
      destGasOverhead: type(uint32).max,
      destGasPerPayloadByte: type(uint16).max,
      destGasPerDataAvailabilityByte: type(uint16).max,
      networkFeeUSDCents: type(uint16).max,
      defaultTokenDestGasOverhead: type(uint32).max,
      enforceOutOfOrder: false
    });
    vm.prank(OWNER);
    onRamp.setDynamicConfig(c);
    gasPrice = uint224(bound(gasPrice, 1e20, 1e24));
    _setPrices(1, gasPrice); // the cheapest possible fee token maximizes the result
    _setPremium(premium);
    Client.EVM2AnyMessage memory m = _msg(type(uint32).max, 10_000);
    m.feeToken = address(link);
    assertEq(onRamp.getFee(DEST, m), _expectedFee(c, type(uint32).max, 10_000, 0, gasPrice, 1, premium));
  }

  /// The token part of the fee is always within [min, max] (plus the token's gas), for any amount,
  /// including amounts whose USD value overflows uint256.
  function testFuzz_TokenFeeClamped(uint256 amount, uint32 minC, uint32 maxC, uint16 deciBps, uint224 tokenPrice)
    public
  {
    amount = bound(amount, 1, type(uint256).max);
    minC = uint32(bound(minC, 0, 1e9));
    maxC = uint32(bound(maxC, minC, type(uint32).max));
    tokenPrice = uint224(bound(tokenPrice, 1, type(uint224).max));
    OnRamp.TokenTransferFeeConfigArgs[] memory a = new OnRamp.TokenTransferFeeConfigArgs[](1);
    a[0] = OnRamp.TokenTransferFeeConfigArgs({
      token: address(token),
      config: OnRamp.TokenTransferFeeConfig({
        minFeeUSDCents: minC,
        maxFeeUSDCents: maxC,
        deciBps: deciBps,
        destGasOverhead: 0,
        destBytesOverhead: 32,
        isEnabled: true
      })
    });
    vm.prank(OWNER);
    onRamp.applyTokenTransferFeeConfigUpdates(a, new address[](0));
    Internal.PriceUpdates memory u;
    u.tokenPriceUpdates = new Internal.TokenPriceUpdate[](1);
    u.tokenPriceUpdates[0] = Internal.TokenPriceUpdate({sourceToken: address(token), usdPerToken: tokenPrice});
    vm.prank(OWNER);
    priceRegistry.updatePrices(u);

    Client.EVM2AnyMessage memory m = _tokenMessage(amount, address(weth));
    uint256 base = _expectedFee(_dynamicConfig(), 200_000, 2, 0, GAS_PRICE, WETH_PRICE, 1e18);
    uint256 fee = onRamp.getFee(DEST, m);
    // Independent bps fee, in 512-bit-safe steps: value = amount * price / 1e18, fee = value * deciBps / 1e5.
    uint256 expectedTokenUSD;
    if (deciBps == 0) {
      expectedTokenUSD = uint256(minC) * 1e16;
    } else {
      uint256 factor = uint256(tokenPrice) * deciBps;
      uint256 bps = amount > type(uint256).max / factor ? type(uint256).max : amount * factor / 1e23;
      expectedTokenUSD = bps < uint256(minC) * 1e16 ? uint256(minC) * 1e16 : bps;
      if (expectedTokenUSD > uint256(maxC) * 1e16) expectedTokenUSD = uint256(maxC) * 1e16;
    }
    assertGe(fee, base + uint256(minC) * 1e16 * 1e18 / WETH_PRICE);
    assertLe(fee, base + uint256(maxC) * 1e16 * 1e18 / WETH_PRICE + 1);
    // Whole fee recomputed: one token of 224 + 32 DA bytes (DA priced at 0 here) and 0 destination gas.
    uint256 execGas = 200_000 + 350_000 + 2 * 16;
    assertEq(fee, (execGas * uint256(GAS_PRICE) + 50e16 + expectedTokenUSD) * 1e18 / WETH_PRICE);
  }
}
