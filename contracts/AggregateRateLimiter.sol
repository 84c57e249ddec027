// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

import {Ownable2Step} from "./access/Ownable2Step.sol";
import {IPriceRegistry} from "./interfaces/IPriceRegistry.sol";
import {RateLimiter} from "./libraries/RateLimiter.sol";

/// @title AggregateRateLimiter
/// @notice One token bucket per ramp limiting the USD value (18 decimals) of all tokens crossing the lane,
/// whatever the token: value = amount * usdPerToken / 1e18 with PriceRegistry prices.
/// @dev Disabled until configured. Enabling a disabled bucket starts it FULL (a lane that just turned on
/// its limit accepts a burst of `capacity` at once); reconfiguring an enabled bucket keeps its balance
/// (clamped to the new capacity, see RateLimiter). Every token must have a fresh price while the bucket
/// is enabled: the registry's error (TokenNotSupported, StaleTokenPrice) bubbles up.
abstract contract AggregateRateLimiter is Ownable2Step {
  error OnlyCallableByAdminOrOwner();

  event AdminSet(address newAdmin);

  RateLimiter.TokenBucket internal s_rateLimiter;
  /// @dev May reconfigure the bucket besides the owner (e.g. an ops key that reacts faster than governance).
  address internal s_admin;

  /// @notice Sets the address that may change the rate limit config besides the owner (0: owner only). Only the owner.
  function setAdmin(address newAdmin) external onlyOwner {
    s_admin = newAdmin;
    emit AdminSet(newAdmin);
  }

  /// @notice The rate limit admin (0 when none).
  function getTokenLimitAdmin() external view returns (address) {
    return s_admin;
  }

  /// @notice The aggregate bucket as it would be if refilled now.
  function currentRateLimiterState() external view returns (RateLimiter.TokenBucket memory) {
    return RateLimiter._currentTokenBucketState(s_rateLimiter);
  }

  /// @notice Replaces the aggregate rate limit config (emits RateLimiter.ConfigChanged). Owner or admin.
  /// @param config Enabled: `0 < rate < capacity`, in USD (18 decimals) and USD per second. Disabled: all zero.
  function setRateLimiterConfig(RateLimiter.Config memory config) external {
    if (msg.sender != s_admin && msg.sender != owner()) revert OnlyCallableByAdminOrOwner();
    RateLimiter._validateTokenBucketConfig(config, false);
    bool wasEnabled = s_rateLimiter.isEnabled;
    RateLimiter._setTokenBucketConfig(s_rateLimiter, config);
    // A disabled bucket has capacity 0, so the library would start it empty: the first transfer after
    // enabling would wait capacity / rate seconds for no reason.
    if (config.isEnabled && !wasEnabled) s_rateLimiter.tokens = config.capacity;
    _rateLimitEnabledSet(config.isEnabled);
  }

  /// @dev Lets a ramp mirror the enabled flag into a slot it reads anyway (a cheaper check on the hot path).
  function _rateLimitEnabledSet(bool isEnabled) internal virtual {}

  /// @dev USD value (18 decimals) of `amount` of `token`; reverts with the registry's error without a fresh price.
  function _getTokenValue(IPriceRegistry priceRegistry, address token, uint256 amount) internal view returns (uint256) {
    // Checked: an amount so large that this overflows could not pass any uint128 capacity anyway.
    return amount * priceRegistry.getValidatedTokenPrice(token) / 1e18;
  }
}
