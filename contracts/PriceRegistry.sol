// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {Ownable2Step} from "./access/Ownable2Step.sol";
import {IPriceRegistry} from "./interfaces/IPriceRegistry.sol";
import {AddressSet} from "./libraries/AddressSet.sol";
import {Internal} from "./libraries/Internal.sol";

/// @title PriceRegistry
/// @notice USD prices of tokens and of destination gas, one slot each (uint224 value + uint32 timestamp).
/// @dev Units (Chainlink convention): a token price is 1e18 USD per 1e18 of the token's smallest unit,
/// so `amount * usdPerToken / 1e18` is the USD value of `amount` in 1e18 USD. A gas price is 1e18 USD
/// per unit of destination gas. Prices older than the staleness threshold are refused by the
/// validated getters, so a stalled price feed stops fee quotes instead of mispricing them.
contract PriceRegistry is IPriceRegistry, Ownable2Step {
  using AddressSet for AddressSet.Set;

  error TokenNotSupported(address token);
  error ChainNotSupported(uint64 destChainSelector);
  error StaleTokenPrice(address token, uint256 threshold, uint256 timePassed);
  error StaleGasPrice(uint64 destChainSelector, uint256 threshold, uint256 timePassed);
  error OnlyCallableByUpdaterOrOwner();
  error InvalidStalenessThreshold();

  /// @notice One event per updatePrices call, carrying the whole batch: per-price events cost a commit
  /// with prices ~1.6k gas each (a log with two topics each), the batch's arrays ~0.5k gas per price.
  /// @param timestamp The block timestamp every price of the batch is stored with.
  event PricesUpdated(
    Internal.TokenPriceUpdate[] tokenPriceUpdates, Internal.GasPriceUpdate[] gasPriceUpdates, uint256 timestamp
  );
  event PriceUpdaterSet(address indexed priceUpdater);
  event PriceUpdaterRemoved(address indexed priceUpdater);
  event FeeTokenAdded(address indexed feeToken);
  event FeeTokenRemoved(address indexed feeToken);

  uint32 internal immutable i_stalenessThreshold;

  // TimestampedPackedUint224 packed by hand (value in bits 0-223, timestamp in 224-255, the struct's own
  // layout): an update is one plain SSTORE and a read one SLOAD, without the struct's memory round trip.
  uint256 private constant TIMESTAMP_SHIFT = 224;
  mapping(address token => uint256 packedPrice) internal s_usdPerToken;
  mapping(uint64 destChainSelector => uint256 packedPrice) internal s_usdPerUnitGasByDestChainSelector;
  AddressSet.Set internal s_priceUpdaters;
  AddressSet.Set internal s_feeTokens;

  /// @param stalenessThreshold Seconds after which a price is refused by the validated getters.
  constructor(address[] memory priceUpdaters, address[] memory feeTokens, uint32 stalenessThreshold)
    Ownable2Step(msg.sender)
  {
    if (stalenessThreshold == 0) revert InvalidStalenessThreshold();
    i_stalenessThreshold = stalenessThreshold;
    _applyPriceUpdatersUpdates(priceUpdaters, new address[](0));
    _applyFeeTokensUpdates(feeTokens, new address[](0));
  }

  // ================================================================
  // |                          Prices                              |
  // ================================================================

  /// @inheritdoc IPriceRegistry
  function updatePrices(Internal.PriceUpdates calldata priceUpdates) external override {
    if (!s_priceUpdaters.contains(msg.sender) && msg.sender != owner()) revert OnlyCallableByUpdaterOrOwner();
    uint32 timestamp = uint32(block.timestamp);
    uint256 stamp = uint256(timestamp) << TIMESTAMP_SHIFT;
    Internal.TokenPriceUpdate[] calldata tokenUpdates = priceUpdates.tokenPriceUpdates;
    uint256 n = tokenUpdates.length;
    for (uint256 i; i < n; ++i) {
      Internal.TokenPriceUpdate calldata u = tokenUpdates[i];
      (address token, uint224 value) = (u.sourceToken, u.usdPerToken);
      s_usdPerToken[token] = stamp | value;
    }
    Internal.GasPriceUpdate[] calldata gasUpdates = priceUpdates.gasPriceUpdates;
    n = gasUpdates.length;
    for (uint256 i; i < n; ++i) {
      Internal.GasPriceUpdate calldata u = gasUpdates[i];
      (uint64 destChainSelector, uint224 value) = (u.destChainSelector, u.usdPerUnitGas);
      s_usdPerUnitGasByDestChainSelector[destChainSelector] = stamp | value;
    }
    _emitPricesUpdated(tokenUpdates, gasUpdates, timestamp);
  }

  /// @dev emit PricesUpdated(tokenUpdates, gasUpdates, stampedAt), its data laid out by hand: the
  /// compiler's encoder re-validates and copies the calldata arrays field by field (~0.8k gas for a
  /// 3-price commit). The arrays' words are copied as they are, which is the canonical encoding of their
  /// elements because the loops of updatePrices have read every field through the ABI decoder (dirty
  /// bits revert) and the slices' bounds were checked when they were taken.
  function _emitPricesUpdated(
    Internal.TokenPriceUpdate[] calldata tokenUpdates,
    Internal.GasPriceUpdate[] calldata gasUpdates,
    uint256 stampedAt
  ) private {
    bytes32 topic = PricesUpdated.selector;
    assembly ("memory-safe") {
      // Head: two offsets and the timestamp; then each array: its length and 2 words per element.
      let data := mload(0x40)
      let tokensSize := shl(6, tokenUpdates.length)
      mstore(data, 0x60)
      mstore(add(data, 0x20), add(0x80, tokensSize))
      mstore(add(data, 0x40), stampedAt)
      mstore(add(data, 0x60), tokenUpdates.length)
      calldatacopy(add(data, 0x80), tokenUpdates.offset, tokensSize)
      let gasAt := add(add(data, 0x80), tokensSize)
      let gasSize := shl(6, gasUpdates.length)
      mstore(gasAt, gasUpdates.length)
      calldatacopy(add(gasAt, 0x20), gasUpdates.offset, gasSize)
      log1(data, sub(add(add(gasAt, 0x20), gasSize), data), topic)
    }
  }

  /// @inheritdoc IPriceRegistry
  function getValidatedTokenPrice(address token) external view override returns (uint224) {
    return _getValidatedTokenPrice(token);
  }

  /// @inheritdoc IPriceRegistry
  function getTokenPrice(address token) external view override returns (TimestampedPackedUint224 memory) {
    return _unpack(s_usdPerToken[token]);
  }

  /// @notice Unvalidated prices of several tokens, in order.
  function getTokenPrices(address[] calldata tokens) external view returns (TimestampedPackedUint224[] memory prices) {
    prices = new TimestampedPackedUint224[](tokens.length);
    for (uint256 i; i < tokens.length; ++i) {
      prices[i] = _unpack(s_usdPerToken[tokens[i]]);
    }
  }

  /// @inheritdoc IPriceRegistry
  function getTokenAndGasPrices(address feeToken, uint64 destChainSelector)
    external
    view
    override
    returns (uint224 feeTokenPrice, uint224 gasPriceValue)
  {
    uint256 gasPrice = s_usdPerUnitGasByDestChainSelector[destChainSelector];
    uint256 timestamp = gasPrice >> TIMESTAMP_SHIFT;
    if (timestamp == 0) revert ChainNotSupported(destChainSelector);
    uint256 timePassed = block.timestamp - timestamp;
    if (timePassed > i_stalenessThreshold) revert StaleGasPrice(destChainSelector, i_stalenessThreshold, timePassed);
    return (_getValidatedTokenPrice(feeToken), uint224(gasPrice));
  }

  /// @inheritdoc IPriceRegistry
  function getDestinationChainGasPrice(uint64 destChainSelector)
    external
    view
    override
    returns (TimestampedPackedUint224 memory)
  {
    return _unpack(s_usdPerUnitGasByDestChainSelector[destChainSelector]);
  }

  /// @notice Seconds after which a price is refused by the validated getters.
  function getStalenessThreshold() external view returns (uint32) {
    return i_stalenessThreshold;
  }

  function _getValidatedTokenPrice(address token) internal view returns (uint224 value) {
    uint256 price = s_usdPerToken[token];
    value = uint224(price);
    uint256 timestamp = price >> TIMESTAMP_SHIFT;
    if (timestamp == 0 || value == 0) revert TokenNotSupported(token);
    uint256 timePassed = block.timestamp - timestamp;
    if (timePassed > i_stalenessThreshold) revert StaleTokenPrice(token, i_stalenessThreshold, timePassed);
  }

  function _unpack(uint256 price) internal pure returns (TimestampedPackedUint224 memory) {
    return TimestampedPackedUint224({value: uint224(price), timestamp: uint32(price >> TIMESTAMP_SHIFT)});
  }

  // ================================================================
  // |                  Price updaters, fee tokens                  |
  // ================================================================

  /// @notice Adds then removes price updaters (CommitStores). Only the owner.
  function applyPriceUpdatersUpdates(address[] calldata priceUpdatersToAdd, address[] calldata priceUpdatersToRemove)
    external
    onlyOwner
  {
    _applyPriceUpdatersUpdates(priceUpdatersToAdd, priceUpdatersToRemove);
  }

  /// @notice The addresses allowed to update prices besides the owner.
  function getPriceUpdaters() external view returns (address[] memory) {
    return s_priceUpdaters.values;
  }

  /// @notice Adds then removes fee tokens (the tokens the committing network keeps priced). Only the owner.
  function applyFeeTokensUpdates(address[] calldata feeTokensToAdd, address[] calldata feeTokensToRemove)
    external
    onlyOwner
  {
    _applyFeeTokensUpdates(feeTokensToAdd, feeTokensToRemove);
  }

  /// @notice The fee tokens, in no particular order.
  function getFeeTokens() external view returns (address[] memory) {
    return s_feeTokens.values;
  }

  function _applyPriceUpdatersUpdates(address[] memory toAdd, address[] memory toRemove) internal {
    for (uint256 i; i < toAdd.length; ++i) {
      if (s_priceUpdaters.add(toAdd[i])) emit PriceUpdaterSet(toAdd[i]);
    }
    for (uint256 i; i < toRemove.length; ++i) {
      if (s_priceUpdaters.remove(toRemove[i])) emit PriceUpdaterRemoved(toRemove[i]);
    }
  }

  function _applyFeeTokensUpdates(address[] memory toAdd, address[] memory toRemove) internal {
    for (uint256 i; i < toAdd.length; ++i) {
      if (s_feeTokens.add(toAdd[i])) emit FeeTokenAdded(toAdd[i]);
    }
    for (uint256 i; i < toRemove.length; ++i) {
      if (s_feeTokens.remove(toRemove[i])) emit FeeTokenRemoved(toRemove[i]);
    }
  }
}
