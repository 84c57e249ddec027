// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

import {Internal} from "../libraries/Internal.sol";

/// @notice USD prices for fee tokens and destination gas, as the ramps and CommitStores see them.
interface IPriceRegistry {
  struct TimestampedPackedUint224 {
    uint224 value; // 1e18 USD
    uint32 timestamp;
  }

  /// @notice Applies price updates. Only allowed updaters (CommitStores) and the owner.
  function updatePrices(Internal.PriceUpdates calldata priceUpdates) external;

  /// @notice The USD price of `token`; reverts when it is missing or stale.
  function getValidatedTokenPrice(address token) external view returns (uint224 usdPerToken);

  /// @notice The USD price of `token` with its timestamp, without checks.
  function getTokenPrice(address token) external view returns (TimestampedPackedUint224 memory);

  /// @notice Prices for a fee computation in one call: fee token USD price and destination gas USD price,
  /// both validated for staleness.
  function getTokenAndGasPrices(address feeToken, uint64 destChainSelector)
    external
    view
    returns (uint224 feeTokenPrice, uint224 gasPriceValue);

  /// @notice The destination gas price with its timestamp, without checks.
  function getDestinationChainGasPrice(uint64 destChainSelector) external view returns (TimestampedPackedUint224 memory);
}
