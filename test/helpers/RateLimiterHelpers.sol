// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RateLimiter} from "../../contracts/libraries/RateLimiter.sol";

/// @notice Exposes RateLimiter's internal functions over one stored bucket.
contract RateLimiterHarness {
  RateLimiter.TokenBucket internal s_bucket;

  /// @notice Writes the bucket verbatim, bypassing the library (to set up any state, even invalid).
  function setBucket(RateLimiter.TokenBucket memory bucket) external {
    s_bucket = bucket;
  }

  /// @notice The raw stored bucket.
  function getBucket() external view returns (RateLimiter.TokenBucket memory) {
    return s_bucket;
  }

  /// @notice RateLimiter._consume on the stored bucket.
  function consume(uint256 requestTokens, address tokenAddress) external {
    RateLimiter._consume(s_bucket, requestTokens, tokenAddress);
  }

  /// @notice RateLimiter._currentTokenBucketState of the stored bucket.
  function currentTokenBucketState() external view returns (RateLimiter.TokenBucket memory) {
    return RateLimiter._currentTokenBucketState(s_bucket);
  }

  /// @notice RateLimiter._setTokenBucketConfig on the stored bucket.
  function setTokenBucketConfig(RateLimiter.Config memory config) external {
    RateLimiter._setTokenBucketConfig(s_bucket, config);
  }

  /// @notice RateLimiter._validateTokenBucketConfig.
  function validateTokenBucketConfig(RateLimiter.Config memory config, bool mustBeDisabled) external pure {
    RateLimiter._validateTokenBucketConfig(config, mustBeDisabled);
  }
}
