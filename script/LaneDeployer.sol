// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ARM} from "../contracts/ARM.sol";
import {CommitStore} from "../contracts/CommitStore.sol";
import {PriceRegistry} from "../contracts/PriceRegistry.sol";
import {Router} from "../contracts/Router.sol";
import {IBurnMintERC20} from "../contracts/interfaces/IBurnMintERC20.sol";
import {IERC20} from "../contracts/interfaces/IERC20.sol";
import {Internal} from "../contracts/libraries/Internal.sol";
import {RateLimiter} from "../contracts/libraries/RateLimiter.sol";
import {OffRamp} from "../contracts/offRamp/OffRamp.sol";
import {OnRamp} from "../contracts/onRamp/OnRamp.sol";
import {BurnMintTokenPool} from "../contracts/pools/BurnMintTokenPool.sol";
import {LockReleaseTokenPool} from "../contracts/pools/LockReleaseTokenPool.sol";
import {TokenPool} from "../contracts/pools/TokenPool.sol";
import {TokenAdminRegistry} from "../contracts/tokenAdminRegistry/TokenAdminRegistry.sol";
import {BurnMintTestToken} from "../contracts/tokens/BurnMintTestToken.sol";
import {FaucetToken} from "../contracts/tokens/FaucetToken.sol";
import {WrappedNative} from "../contracts/tokens/WrappedNative.sol";

/// @title LaneDeployer
/// @notice The one place that constructs and configures the protocol's contracts: used by
/// script/Deploy.s.sol (one chain per run, broadcast) and by the gas bench (both lane ends in one EVM).
/// @dev Every call is made by the executing contract, so its `msg.sender` must be the owner passed in:
/// the script broadcasts from the deployer key, the bench runs as the test contract.
abstract contract LaneDeployer {
  /// @notice One chain's contracts, lane-independent.
  struct ChainContracts {
    uint64 selector;
    WrappedNative weth;
    FaucetToken feeToken;
    ARM arm;
    PriceRegistry priceRegistry;
    TokenAdminRegistry tokenAdminRegistry;
    Router router;
    FaucetToken lrToken; // moved by lock/release pools
    LockReleaseTokenPool lrPool;
    BurnMintTestToken bmToken; // moved by burn/mint pools
    BurnMintTokenPool bmPool;
  }

  /// @notice Both halves of a lane that live on one chain: the OnRamp to the remote chain, and the
  /// CommitStore and OffRamp for messages from it.
  struct Lane {
    OnRamp onRamp;
    CommitStore commitStore;
    OffRamp offRamp;
  }

  /// @notice The committing and executing networks' addresses of one inbound lane.
  struct LaneOracles {
    address[] signers;
    address[] transmitters;
    uint8 f;
  }

  /// @notice What a chain's pools must know of the remote chain.
  struct RemoteTokens {
    address lrPool;
    address lrToken;
    address bmPool;
    address bmToken;
  }

  uint32 internal constant PRICE_STALENESS = 1 days;
  uint224 internal constant WETH_PRICE = 2000e18; // 1e18 USD per 1e18 wei
  uint224 internal constant FEE_TOKEN_PRICE = 10e18;
  uint224 internal constant TEST_TOKEN_PRICE = 1e18;
  uint224 internal constant GAS_PRICE = 4e13; // 20 gwei at $2000
  uint256 internal constant POOL_LIQUIDITY = 1_000_000e18;
  uint128 internal constant POOL_RATE_CAPACITY = 1_000_000e18;
  uint128 internal constant POOL_RATE_REFILL = 1_000e18;

  // ================================================================
  // |                      Chain contracts                         |
  // ================================================================

  /// @dev Tokens, ARM, PriceRegistry, TokenAdminRegistry and Router of one chain.
  function _deployCore(uint64 selector, ARM.Voter[] memory voters, uint16 blessThreshold, uint16 curseThreshold)
    internal
    returns (ChainContracts memory c)
  {
    address owner = _owner();
    c.selector = selector;
    c.weth = new WrappedNative();
    c.feeToken = new FaucetToken("ChainLink Token", "LINK", 18, 1e18);
    c.arm = new ARM(
      owner, ARM.Config({voters: voters, blessWeightThreshold: blessThreshold, curseWeightThreshold: curseThreshold})
    );
    address[] memory feeTokens = new address[](2);
    feeTokens[0] = address(c.weth);
    feeTokens[1] = address(c.feeToken);
    c.priceRegistry = new PriceRegistry(new address[](0), feeTokens, PRICE_STALENESS);
    c.tokenAdminRegistry = new TokenAdminRegistry();
    c.router = new Router(address(c.weth), address(c.arm));
  }

  /// @dev The test tokens, their pools, and their registration in the TokenAdminRegistry.
  function _deployTokenPools(ChainContracts memory c) internal {
    c.lrToken = new FaucetToken("Lock Release Token", "LRT", 18, 1e18);
    c.lrPool =
      new LockReleaseTokenPool(IERC20(address(c.lrToken)), 18, new address[](0), address(c.arm), address(c.router));
    c.bmToken = new BurnMintTestToken("Burn Mint Token", "BMT", 18);
    c.bmPool = new BurnMintTokenPool(
      IBurnMintERC20(address(c.bmToken)), 18, new address[](0), address(c.arm), address(c.router)
    );
    c.bmToken.grantMintAndBurnRoles(address(c.bmPool));
    _registerPool(c.tokenAdminRegistry, address(c.lrToken), address(c.lrPool));
    _registerPool(c.tokenAdminRegistry, address(c.bmToken), address(c.bmPool));

    // The lock/release pool pays inbound transfers from its balance.
    address owner = _owner();
    c.lrPool.setRebalancer(owner);
    c.lrToken.mint(owner, POOL_LIQUIDITY);
    c.lrToken.approve(address(c.lrPool), POOL_LIQUIDITY);
    c.lrPool.provideLiquidity(POOL_LIQUIDITY);
  }

  function _registerPool(TokenAdminRegistry registry, address token, address pool) internal {
    registry.proposeAdministrator(token, _owner());
    registry.acceptAdminRole(token);
    registry.setPool(token, pool);
  }

  /// @dev Prices this chain quotes fees with: its fee tokens, its test tokens, and the remote chain's gas.
  function _setInitialPrices(ChainContracts memory c, uint64 remoteSelector) internal {
    Internal.PriceUpdates memory updates;
    updates.tokenPriceUpdates = new Internal.TokenPriceUpdate[](4);
    updates.tokenPriceUpdates[0] = Internal.TokenPriceUpdate(address(c.weth), WETH_PRICE);
    updates.tokenPriceUpdates[1] = Internal.TokenPriceUpdate(address(c.feeToken), FEE_TOKEN_PRICE);
    updates.tokenPriceUpdates[2] = Internal.TokenPriceUpdate(address(c.lrToken), TEST_TOKEN_PRICE);
    updates.tokenPriceUpdates[3] = Internal.TokenPriceUpdate(address(c.bmToken), TEST_TOKEN_PRICE);
    updates.gasPriceUpdates = new Internal.GasPriceUpdate[](1);
    updates.gasPriceUpdates[0] = Internal.GasPriceUpdate(remoteSelector, GAS_PRICE);
    c.priceRegistry.updatePrices(updates);
  }

  // ================================================================
  // |                            Lane                              |
  // ================================================================

  /// @dev The OnRamp from `c` to `remoteSelector`, registered in the Router.
  function _deployOnRamp(ChainContracts memory c, uint64 remoteSelector) internal returns (OnRamp onRamp) {
    onRamp = new OnRamp(
      OnRamp.StaticConfig({
        sourceChainSelector: c.selector,
        destChainSelector: remoteSelector,
        router: address(c.router),
        priceRegistry: address(c.priceRegistry),
        arm: address(c.arm),
        tokenAdminRegistry: address(c.tokenAdminRegistry)
      }),
      _onRampDynamicConfig(),
      _feeTokenConfigs(c)
    );
    OnRamp.TokenTransferFeeConfigArgs[] memory tokenFees = new OnRamp.TokenTransferFeeConfigArgs[](2);
    tokenFees[0] = OnRamp.TokenTransferFeeConfigArgs(address(c.lrToken), _tokenTransferFeeConfig());
    tokenFees[1] = OnRamp.TokenTransferFeeConfigArgs(address(c.bmToken), _tokenTransferFeeConfig());
    onRamp.applyTokenTransferFeeConfigUpdates(tokenFees, new address[](0));

    Router.OnRamp[] memory onRamps = new Router.OnRamp[](1);
    onRamps[0] = Router.OnRamp({destChainSelector: remoteSelector, onRamp: address(onRamp)});
    c.router.applyRampUpdates(onRamps, new Router.OffRamp[](0), new Router.OffRamp[](0));
  }

  /// @dev The CommitStore and OffRamp on `c` for messages from `remoteSelector`'s `remoteOnRamp`; the
  /// CommitStore becomes a price updater and the OffRamp is registered in the Router.
  function _deployInbound(
    ChainContracts memory c,
    uint64 remoteSelector,
    address remoteOnRamp,
    LaneOracles memory oracles
  ) internal returns (CommitStore commitStore, OffRamp offRamp) {
    commitStore = new CommitStore(
      _owner(),
      CommitStore.StaticConfig({
        chainSelector: c.selector, sourceChainSelector: remoteSelector, onRamp: remoteOnRamp, arm: address(c.arm)
      }),
      CommitStore.DynamicConfig({priceRegistry: address(c.priceRegistry)})
    );
    commitStore.setConfig(oracles.signers, oracles.transmitters, oracles.f);
    address[] memory updaters = new address[](1);
    updaters[0] = address(commitStore);
    c.priceRegistry.applyPriceUpdatersUpdates(updaters, new address[](0));

    offRamp = new OffRamp(
      OffRamp.StaticConfig({
        commitStore: address(commitStore),
        chainSelector: c.selector,
        sourceChainSelector: remoteSelector,
        onRamp: remoteOnRamp,
        arm: address(c.arm),
        tokenAdminRegistry: address(c.tokenAdminRegistry)
      }),
      _offRampDynamicConfig(c)
    );
    offRamp.applyTransmitterUpdates(new address[](0), oracles.transmitters);

    Router.OffRamp[] memory offRamps = new Router.OffRamp[](1);
    offRamps[0] = Router.OffRamp({sourceChainSelector: remoteSelector, offRamp: address(offRamp)});
    c.router.applyRampUpdates(new Router.OnRamp[](0), new Router.OffRamp[](0), offRamps);
  }

  /// @dev Lets `c`'s pools move tokens to and from `remoteSelector`, whose pools and tokens are `remote`.
  function _connectPools(ChainContracts memory c, uint64 remoteSelector, RemoteTokens memory remote) internal {
    c.lrPool.applyChainUpdates(_chainUpdate(remoteSelector, remote.lrPool, remote.lrToken));
    c.bmPool.applyChainUpdates(_chainUpdate(remoteSelector, remote.bmPool, remote.bmToken));
  }

  function _chainUpdate(uint64 remoteSelector, address remotePool, address remoteToken)
    internal
    pure
    returns (TokenPool.ChainUpdate[] memory updates)
  {
    RateLimiter.Config memory limit =
      RateLimiter.Config({isEnabled: true, capacity: POOL_RATE_CAPACITY, rate: POOL_RATE_REFILL});
    updates = new TokenPool.ChainUpdate[](1);
    updates[0] = TokenPool.ChainUpdate({
      remoteChainSelector: remoteSelector,
      allowed: true,
      remotePoolAddress: remotePool,
      remoteTokenAddress: remoteToken,
      outboundRateLimiterConfig: limit,
      inboundRateLimiterConfig: limit
    });
  }

  function _remoteTokens(ChainContracts memory c) internal pure returns (RemoteTokens memory) {
    return RemoteTokens({
      lrPool: address(c.lrPool), lrToken: address(c.lrToken), bmPool: address(c.bmPool), bmToken: address(c.bmToken)
    });
  }

  // ================================================================
  // |                       Lane parameters                        |
  // ================================================================

  function _onRampDynamicConfig() internal pure virtual returns (OnRamp.DynamicConfig memory) {
    return OnRamp.DynamicConfig({
      maxDataBytes: 30_000,
      maxPerMsgGasLimit: 3_000_000,
      defaultTxGasLimit: 200_000,
      maxNumberOfTokensPerMsg: 5,
      destGasOverhead: 350_000,
      destGasPerPayloadByte: 16,
      destGasPerDataAvailabilityByte: 0,
      networkFeeUSDCents: 50,
      defaultTokenDestGasOverhead: 90_000,
      enforceOutOfOrder: false
    });
  }

  function _offRampDynamicConfig(ChainContracts memory c) internal pure virtual returns (OffRamp.DynamicConfig memory) {
    return OffRamp.DynamicConfig({
      router: address(c.router),
      permissionLessExecutionThresholdSeconds: 1 hours,
      maxDataBytes: 30_000,
      maxNumberOfTokensPerMsg: 5,
      gasForCallExactCheck: 5_000,
      maxPoolReleaseOrMintGas: 200_000,
      priceRegistry: address(c.priceRegistry)
    });
  }

  function _feeTokenConfigs(ChainContracts memory c)
    internal
    pure
    returns (OnRamp.FeeTokenConfigArgs[] memory configs)
  {
    configs = new OnRamp.FeeTokenConfigArgs[](2);
    configs[0] = OnRamp.FeeTokenConfigArgs({token: address(c.weth), enabled: true, premiumMultiplierWeiPerEth: 1e18});
    configs[1] =
      OnRamp.FeeTokenConfigArgs({token: address(c.feeToken), enabled: true, premiumMultiplierWeiPerEth: 9e17});
  }

  function _tokenTransferFeeConfig() internal pure returns (OnRamp.TokenTransferFeeConfig memory) {
    return OnRamp.TokenTransferFeeConfig({
      minFeeUSDCents: 25,
      maxFeeUSDCents: 100_000,
      deciBps: 0,
      destGasOverhead: 90_000,
      destBytesOverhead: 32,
      isEnabled: true
    });
  }

  /// @dev The address that owns everything deployed; calls are made from it.
  function _owner() internal view virtual returns (address);
}
