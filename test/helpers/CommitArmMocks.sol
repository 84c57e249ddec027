// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IARM} from "../../contracts/interfaces/IARM.sol";
import {IPriceRegistry} from "../../contracts/interfaces/IPriceRegistry.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";

/// @notice A PriceRegistry stand-in: stores one slot per price like the real one, so gas stays realistic.
contract MockPriceRegistry is IPriceRegistry {
  error StalePrice(address token);
  error MissingPrice(address token);

  event PricesUpdated(
    Internal.TokenPriceUpdate[] tokenPriceUpdates, Internal.GasPriceUpdate[] gasPriceUpdates, uint256 timestamp
  );

  mapping(address => TimestampedPackedUint224) internal s_tokenPrices;
  mapping(uint64 => TimestampedPackedUint224) internal s_gasPrices;

  function updatePrices(Internal.PriceUpdates calldata priceUpdates) external {
    for (uint256 i = 0; i < priceUpdates.tokenPriceUpdates.length; ++i) {
      Internal.TokenPriceUpdate calldata u = priceUpdates.tokenPriceUpdates[i];
      s_tokenPrices[u.sourceToken] = TimestampedPackedUint224(u.usdPerToken, uint32(block.timestamp));
    }
    for (uint256 i = 0; i < priceUpdates.gasPriceUpdates.length; ++i) {
      Internal.GasPriceUpdate calldata u = priceUpdates.gasPriceUpdates[i];
      s_gasPrices[u.destChainSelector] = TimestampedPackedUint224(u.usdPerUnitGas, uint32(block.timestamp));
    }
    emit PricesUpdated(priceUpdates.tokenPriceUpdates, priceUpdates.gasPriceUpdates, block.timestamp);
  }

  function getValidatedTokenPrice(address token) external view returns (uint224) {
    TimestampedPackedUint224 memory p = s_tokenPrices[token];
    if (p.timestamp == 0) revert MissingPrice(token);
    return p.value;
  }

  function getTokenPrice(address token) external view returns (TimestampedPackedUint224 memory) {
    return s_tokenPrices[token];
  }

  function getTokenAndGasPrices(address feeToken, uint64 destChainSelector) external view returns (uint224, uint224) {
    return (s_tokenPrices[feeToken].value, s_gasPrices[destChainSelector].value);
  }

  function getDestinationChainGasPrice(uint64 destChainSelector)
    external
    view
    returns (TimestampedPackedUint224 memory)
  {
    return s_gasPrices[destChainSelector];
  }
}

