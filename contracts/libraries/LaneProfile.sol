// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OffRamp} from "../offRamp/OffRamp.sol";
import {OnRamp} from "../onRamp/OnRamp.sol";
import {Internal} from "./Internal.sol";
import {RateLimiter} from "./RateLimiter.sol";

/// @title LaneProfile
/// @notice The protocol's default lane parameters, written once: fees, gas overheads, message limits, initial
/// prices, price staleness, rate limits and pool liquidity. Every deployment path builds its lanes from here:
/// the test kit (contracts/testkit: CCIPLocalNetwork, CCIPLocalSimulator), the forge script and the gas bench
/// (script/LaneDeployer.sol), the unit-test setups (test/helpers/RouterSetup.sol, test/unit/TokenLane.t.sol) and
/// `ccip up` (rust/crates/deploy reads test/vectors/lane_profile.json, which test/vectors/LaneProfileVectors.t.sol
/// writes from this library). So a fee a dApp asserts in a kit test is the fee it pays on `ccip up` and on its
/// forks (the same vectors test records kit quotes that the Rust deployer's chains and the forks must repeat).
/// @dev After changing a value, regenerate the JSON and commit both:
///   VECTORS_WRITE=1 forge test --match-path test/vectors/LaneProfileVectors.t.sol
/// A test that needs another value takes the struct from here and overrides that one field where it is seen,
/// e.g. `OnRamp.DynamicConfig memory c = LaneProfile.onRampDynamicConfig(); c.networkFeeUSDCents = 0;`.
/// Tokens get no per-token TokenTransferFeeConfig: every token pays the lane's defaults (no token fee,
/// `defaultTokenDestGasOverhead` destination gas, 32 destination bytes).
library LaneProfile {
  // ================================================================
  // │                    Fees (OnRamp, 1e18 = 1)                   │
  // ================================================================

  /// @notice Premium on fees paid in wrapped native: none.
  uint64 internal constant NATIVE_PREMIUM = 1e18;
  /// @notice Premium on fees paid in LINK: 10% off, as on Chainlink CCIP.
  uint64 internal constant LINK_PREMIUM = 0.9e18;

  // ================================================================
  // │                       Execution (OffRamp)                    │
  // ================================================================

  /// @notice Seconds after a commit from which anyone may manually execute an untouched message.
  uint32 internal constant PERMISSIONLESS_EXECUTION_THRESHOLD = 1 hours;

  // ================================================================
  // │           Initial prices (PriceRegistry, 1e18 USD)           │
  // ================================================================

  /// @notice Prices must stay valid until the committing network pushes fresh ones, and kit tests warp: a year.
  uint32 internal constant PRICE_STALENESS = 365 days;
  /// @notice USD per 1e18 wei of the wrapped native token: $2000.
  uint224 internal constant NATIVE_PRICE = 2000e18;
  /// @notice USD per 1e18 LINK: $15, what the committing network observes by default.
  uint224 internal constant LINK_PRICE = 15e18;
  /// @notice USD per 1e18 of each test token (CCIP-BnM, CCIP-LnM): $1.
  uint224 internal constant TEST_TOKEN_PRICE = 1e18;
  /// @notice USD per unit of destination gas: 20 gwei at $2000 per ETH = 4e13 (1e18 USD).
  uint224 internal constant GAS_PRICE = 4e13;

  // ================================================================
  // │                            Pools                             │
  // ================================================================

  /// @notice Test tokens each lock/release pool starts with, so inbound transfers can be released.
  uint256 internal constant POOL_LIQUIDITY = 1_000_000e18;

  // ================================================================
  // │                        Config structs                        │
  // ================================================================

  /// @notice The OnRamp's message limits and fee parameters.
  function onRampDynamicConfig() internal pure returns (OnRamp.DynamicConfig memory) {
    return OnRamp.DynamicConfig({
      maxDataBytes: 30_000,
      maxPerMsgGasLimit: 3_000_000,
      defaultTxGasLimit: 200_000,
      maxNumberOfTokensPerMsg: 5,
      destGasOverhead: 350_000,
      destGasPerPayloadByte: 16,
      destGasPerDataAvailabilityByte: 0, // L1-like destinations: execution gas only
      networkFeeUSDCents: 50,
      defaultTokenDestGasOverhead: 150_000,
      enforceOutOfOrder: false
    });
  }

  /// @notice The OnRamp's fee tokens: wrapped native and LINK, in that order.
  function feeTokenConfigs(address wrappedNative, address link)
    internal
    pure
    returns (OnRamp.FeeTokenConfigArgs[] memory configs)
  {
    configs = new OnRamp.FeeTokenConfigArgs[](2);
    configs[0] =
      OnRamp.FeeTokenConfigArgs({token: wrappedNative, enabled: true, premiumMultiplierWeiPerEth: NATIVE_PREMIUM});
    configs[1] = OnRamp.FeeTokenConfigArgs({token: link, enabled: true, premiumMultiplierWeiPerEth: LINK_PREMIUM});
  }

  /// @notice The PriceRegistry's fee tokens, in feeTokenConfigs' order.
  function feeTokens(address wrappedNative, address link) internal pure returns (address[] memory tokens) {
    tokens = new address[](2);
    tokens[0] = wrappedNative;
    tokens[1] = link;
  }

  /// @notice The OffRamp's execution parameters, with the destination chain's Router and PriceRegistry.
  function offRampDynamicConfig(address router, address priceRegistry)
    internal
    pure
    returns (OffRamp.DynamicConfig memory)
  {
    return OffRamp.DynamicConfig({
      router: router,
      permissionLessExecutionThresholdSeconds: PERMISSIONLESS_EXECUTION_THRESHOLD,
      maxDataBytes: 30_000,
      maxNumberOfTokensPerMsg: 5,
      gasForCallExactCheck: 5_000,
      maxPoolReleaseOrMintGas: 200_000,
      priceRegistry: priceRegistry
    });
  }

  /// @notice Each pool's per-remote-chain limit, inbound and outbound: off (a test that needs one sets it).
  function poolRateLimiterConfig() internal pure returns (RateLimiter.Config memory) {
    return RateLimiter.Config({isEnabled: false, capacity: 0, rate: 0});
  }

  /// @notice The ramps' aggregate USD limit (AggregateRateLimiter), OnRamp and OffRamp: off, the contracts' default.
  function rampRateLimiterConfig() internal pure returns (RateLimiter.Config memory) {
    return RateLimiter.Config({isEnabled: false, capacity: 0, rate: 0});
  }

  /// @notice A chain's first prices: its fee tokens and `testTokens` in USD, and the gas of each of `destChains`.
  function initialPrices(address wrappedNative, address link, address[] memory testTokens, uint64[] memory destChains)
    internal
    pure
    returns (Internal.PriceUpdates memory updates)
  {
    updates.tokenPriceUpdates = new Internal.TokenPriceUpdate[](2 + testTokens.length);
    updates.tokenPriceUpdates[0] = Internal.TokenPriceUpdate({sourceToken: wrappedNative, usdPerToken: NATIVE_PRICE});
    updates.tokenPriceUpdates[1] = Internal.TokenPriceUpdate({sourceToken: link, usdPerToken: LINK_PRICE});
    for (uint256 i = 0; i < testTokens.length; ++i) {
      updates.tokenPriceUpdates[2 + i] =
        Internal.TokenPriceUpdate({sourceToken: testTokens[i], usdPerToken: TEST_TOKEN_PRICE});
    }
    updates.gasPriceUpdates = new Internal.GasPriceUpdate[](destChains.length);
    for (uint256 i = 0; i < destChains.length; ++i) {
      updates.gasPriceUpdates[i] = Internal.GasPriceUpdate({destChainSelector: destChains[i], usdPerUnitGas: GAS_PRICE});
    }
  }
}
