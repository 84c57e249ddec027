// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

/// @title RateLimiter
/// @notice Token bucket rate limits: per token per lane (inbound and outbound, in token units) and
/// per lane in aggregate (in USD value, 18 decimals).
/// @dev Bucket semantics:
/// - A bucket holds at most `capacity` tokens and gains `rate` tokens per second, up to `capacity`.
///   `capacity` is therefore the largest single request ever accepted, and `rate` the long-run
///   throughput once a burst has drained the bucket.
/// - Refill is lazy: nothing happens until the bucket is next touched; then
///   `tokens = min(capacity, tokens + elapsed * rate)`. Because refill saturates at `capacity`, refilling
///   in two steps gives the same result as in one, so a touch that changes nothing (disabled bucket,
///   zero request) skips the refill and its storage write.
/// - A request larger than `capacity` can never succeed and reverts with a *MaxCapacityExceeded error.
///   A request larger than what is available now reverts with a *RateLimitReached error carrying
///   `minWaitInSeconds = ceil((request - available) / rate)`: after exactly that many seconds without
///   other traffic the same request succeeds, one second earlier it does not. With `rate == 0` (only
///   reachable without `_validateTokenBucketConfig`) the bucket never refills and the wait is
///   `INFINITE_WAIT` (type(uint256).max).
/// - `tokenAddress == address(0)` marks the aggregate USD limit, whose errors omit the token.
/// - Reconfiguring first settles the refill owed under the old rate, then clamps the balance to the new
///   capacity: a bucket never holds more than its capacity, and lowering the rate cannot retroactively
///   shrink what was already earned.
/// - A bucket that was never written has `lastUpdated == 0` and `rate == 0`, so configuring it with
///   `_setTokenBucketConfig` starts it EMPTY; it fills at `rate`. To start it full, write
///   `tokens = capacity` and `lastUpdated = block.timestamp` directly when creating it.
/// - `lastUpdated` is a uint32 of seconds: good until the year 2106. With uint128 `tokens` and `rate`
///   and a uint32 `elapsed`, `tokens + elapsed * rate` stays below 2^161, so the refill never overflows.
/// Example: `{isEnabled: true, capacity: 1000e18, rate: 10e18}` accepts a burst of up to 1000 tokens,
/// then 10 tokens per second; after a full drain, a 1000-token request waits 100 s, and a 25-token
/// request reverts with `minWaitInSeconds == 3` (ceil(25 / 10)).
/// Usage: keep a `TokenBucket` in storage per limit and call `_consume(bucket, amount, token)` on every
/// transfer (`token = address(0)` with a USD value for the aggregate lane limit); expose
/// `_currentTokenBucketState(bucket)` in a view; admins go through `_validateTokenBucketConfig` then
/// `_setTokenBucketConfig`.
library RateLimiter {
  /// @notice Reported as `minWaitInSeconds` when the bucket does not refill (`rate == 0`).
  uint256 internal constant INFINITE_WAIT = type(uint256).max;

  /// @notice The stored balance exceeds the stored capacity; only possible if storage was written
  /// directly around this library.
  error BucketOverfilled();
  /// @notice `requested` is more than the bucket can ever hold; it would never succeed.
  error TokenMaxCapacityExceeded(uint256 capacity, uint256 requested, address tokenAddress);
  /// @notice Not enough tokens now; retry after `minWaitInSeconds` (INFINITE_WAIT: never).
  error TokenRateLimitReached(uint256 minWaitInSeconds, uint256 available, address tokenAddress);
  /// @notice Aggregate (USD) variant of TokenMaxCapacityExceeded.
  error AggregateValueMaxCapacityExceeded(uint256 capacity, uint256 requested);
  /// @notice Aggregate (USD) variant of TokenRateLimitReached.
  error AggregateValueRateLimitReached(uint256 minWaitInSeconds, uint256 available);
  /// @notice An enabled config needs `0 < rate < capacity`.
  error InvalidRateLimitRate(Config rateLimiterConfig);
  /// @notice A disabled config must have `capacity == 0` and `rate == 0`.
  error DisabledNonZeroRateLimit(Config config);
  /// @notice The caller requires this limit to stay disabled.
  error RateLimitMustBeDisabled();

  /// @notice `tokens` were taken from a bucket.
  event TokensConsumed(uint256 tokens);
  /// @notice A bucket got a new config.
  event ConfigChanged(Config config);

  /// @notice Bucket state; two storage slots.
  struct TokenBucket {
    uint128 tokens; // ──────╮ Balance at `lastUpdated`.
    uint32 lastUpdated; //   │ Timestamp (seconds) of the last refill.
    bool isEnabled; // ──────╯ When false every request passes and nothing is tracked.
    uint128 capacity; // ────╮ Maximum balance and largest acceptable request.
    uint128 rate; // ────────╯ Tokens added per second.
  }

  /// @notice Admin-facing bucket parameters.
  struct Config {
    bool isEnabled;
    uint128 capacity;
    uint128 rate;
  }

  /// @notice Takes `requestTokens` from the bucket after refilling it, or reverts saying why.
  /// @param s_bucket The bucket to draw from.
  /// @param requestTokens Amount (token units, or USD value for the aggregate limit).
  /// @param tokenAddress The token, or address(0) for the aggregate limit (selects the error family).
  function _consume(TokenBucket storage s_bucket, uint256 requestTokens, address tokenAddress) internal {
    // Each slot is read once and slot 0 written once: the fields of a slot are loaded (and stored)
    // together in one basic block so the optimizer merges them into a single SLOAD (SSTORE).
    uint256 tokens = s_bucket.tokens;
    uint256 lastUpdated = s_bucket.lastUpdated;
    bool isEnabled = s_bucket.isEnabled;
    // Refill is lazy and idempotent, so skipping it here changes nothing observable and saves the write.
    if (!isEnabled || requestTokens == 0) return;
    uint256 capacity = s_bucket.capacity;
    uint256 rate = s_bucket.rate;

    uint256 timeDiff = block.timestamp - lastUpdated;
    if (timeDiff != 0) {
      if (tokens > capacity) revert BucketOverfilled();
      tokens = _calculateRefill(capacity, tokens, timeDiff, rate);
    }

    if (requestTokens > capacity) {
      if (tokenAddress == address(0)) revert AggregateValueMaxCapacityExceeded(capacity, requestTokens);
      revert TokenMaxCapacityExceeded(capacity, requestTokens, tokenAddress);
    }
    if (requestTokens > tokens) {
      uint256 minWaitInSeconds = _minWait(requestTokens - tokens, rate);
      if (tokenAddress == address(0)) revert AggregateValueRateLimitReached(minWaitInSeconds, tokens);
      revert TokenRateLimitReached(minWaitInSeconds, tokens, tokenAddress);
    }

    unchecked {
      // requestTokens <= tokens <= capacity < 2^128: no underflow, and the downcast is lossless.
      s_bucket.tokens = uint128(tokens - requestTokens);
    }
    // Unconditional (unchanged when timeDiff == 0): it shares the tokens write's SSTORE.
    s_bucket.lastUpdated = uint32(block.timestamp);
    emit TokensConsumed(requestTokens);
  }

  /// @notice The bucket as it would be if refilled now (a view; storage is untouched).
  /// @param bucket A copy of the stored bucket.
  /// @return The same bucket with `tokens` refilled and `lastUpdated` set to now.
  function _currentTokenBucketState(TokenBucket memory bucket) internal view returns (TokenBucket memory) {
    // Downcast is lossless: the refill is capped at capacity, a uint128.
    bucket.tokens =
      uint128(_calculateRefill(bucket.capacity, bucket.tokens, block.timestamp - bucket.lastUpdated, bucket.rate));
    bucket.lastUpdated = uint32(block.timestamp);
    return bucket;
  }

  /// @notice Applies a new config: settles the refill under the old rate, then clamps the balance
  /// to the new capacity. Callers validate `config` first (`_validateTokenBucketConfig`).
  /// @param s_bucket The bucket to reconfigure.
  /// @param config The new parameters.
  function _setTokenBucketConfig(TokenBucket storage s_bucket, Config memory config) internal {
    uint256 tokens =
      _calculateRefill(s_bucket.capacity, s_bucket.tokens, block.timestamp - s_bucket.lastUpdated, s_bucket.rate);
    uint256 newCapacity = config.capacity;
    if (tokens > newCapacity) tokens = newCapacity;

    s_bucket.tokens = uint128(tokens);
    s_bucket.lastUpdated = uint32(block.timestamp);
    s_bucket.isEnabled = config.isEnabled;
    s_bucket.capacity = config.capacity;
    s_bucket.rate = config.rate;

    emit ConfigChanged(config);
  }

  /// @notice Reverts unless `config` is well formed.
  /// @param config The config to check.
  /// @param mustBeDisabled Whether the caller only accepts a disabled limit.
  function _validateTokenBucketConfig(Config memory config, bool mustBeDisabled) internal pure {
    if (config.isEnabled) {
      // rate >= capacity would refill the whole bucket every second and make the burst limit moot.
      if (config.rate >= config.capacity || config.rate == 0) revert InvalidRateLimitRate(config);
      if (mustBeDisabled) revert RateLimitMustBeDisabled();
    } else {
      if (config.rate != 0 || config.capacity != 0) revert DisabledNonZeroRateLimit(config);
    }
  }

  /// @dev Balance after `timeDiff` seconds of refill, saturating at `capacity`. Overflow-free for
  /// uint128 `tokens`/`rate` and any `timeDiff` below 2^127 (block timestamps are far below that).
  function _calculateRefill(uint256 capacity, uint256 tokens, uint256 timeDiff, uint256 rate)
    private
    pure
    returns (uint256)
  {
    uint256 refilled = tokens + timeDiff * rate;
    return refilled < capacity ? refilled : capacity;
  }

  /// @dev ceil(missing / rate), or INFINITE_WAIT when the bucket never refills. `missing > 0`.
  function _minWait(uint256 missing, uint256 rate) private pure returns (uint256) {
    if (rate == 0) return INFINITE_WAIT;
    unchecked {
      // missing >= 1, so (missing - 1) / rate + 1 is ceil(missing / rate) without overflow.
      return (missing - 1) / rate + 1;
    }
  }
}
