// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ARM} from "../contracts/ARM.sol";
import {CommitStore} from "../contracts/CommitStore.sol";
import {PriceRegistry} from "../contracts/PriceRegistry.sol";
import {Router} from "../contracts/Router.sol";
import {IBurnMintERC20} from "../contracts/interfaces/IBurnMintERC20.sol";
import {IERC20} from "../contracts/interfaces/IERC20.sol";
import {Internal} from "../contracts/libraries/Internal.sol";
import {LaneProfile} from "../contracts/libraries/LaneProfile.sol";
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
/// @notice Constructs and configures the protocol's contracts for script/Deploy.s.sol (one chain per run,
/// broadcast) and the gas bench (both lane ends in one EVM), with LaneProfile's parameters.
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
    c.priceRegistry = new PriceRegistry(
      new address[](0), LaneProfile.feeTokens(address(c.weth), address(c.feeToken)), LaneProfile.PRICE_STALENESS
    );
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
    c.lrToken.mint(owner, LaneProfile.POOL_LIQUIDITY);
    c.lrToken.approve(address(c.lrPool), LaneProfile.POOL_LIQUIDITY);
    c.lrPool.provideLiquidity(LaneProfile.POOL_LIQUIDITY);
  }

  function _registerPool(TokenAdminRegistry registry, address token, address pool) internal {
    registry.proposeAdministrator(token, _owner());
    registry.acceptAdminRole(token);
    registry.setPool(token, pool);
  }

  /// @dev Prices this chain quotes fees with: its fee tokens, its test tokens, and the remote chain's gas.
  function _setInitialPrices(ChainContracts memory c, uint64 remoteSelector) internal {
    address[] memory testTokens = new address[](2);
    testTokens[0] = address(c.lrToken);
    testTokens[1] = address(c.bmToken);
    uint64[] memory destChains = new uint64[](1);
    destChains[0] = remoteSelector;
    c.priceRegistry
      .updatePrices(LaneProfile.initialPrices(address(c.weth), address(c.feeToken), testTokens, destChains));
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
      LaneProfile.onRampDynamicConfig(),
      LaneProfile.feeTokenConfigs(address(c.weth), address(c.feeToken))
    );
    // The contracts start with the aggregate limit off; set it only if the profile turns it on.
    RateLimiter.Config memory rampLimit = LaneProfile.rampRateLimiterConfig();
    if (rampLimit.isEnabled) onRamp.setRateLimiterConfig(rampLimit);

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
      LaneProfile.offRampDynamicConfig(address(c.router), address(c.priceRegistry))
    );
    offRamp.applyTransmitterUpdates(new address[](0), oracles.transmitters);
    RateLimiter.Config memory rampLimit = LaneProfile.rampRateLimiterConfig();
    if (rampLimit.isEnabled) offRamp.setRateLimiterConfig(rampLimit);

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
    RateLimiter.Config memory limit = _poolRateLimiterConfig();
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
  // |                          Overrides                           |
  // ================================================================

  /// @dev The pools' limit per remote chain (both directions): the profile's unless a deployer overrides it.
  function _poolRateLimiterConfig() internal pure virtual returns (RateLimiter.Config memory) {
    return LaneProfile.poolRateLimiterConfig();
  }

  /// @dev The address that owns everything deployed; calls are made from it.
  function _owner() internal view virtual returns (address);
}
