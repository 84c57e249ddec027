// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ARM} from "../ARM.sol";
import {CommitStore} from "../CommitStore.sol";
import {PriceRegistry} from "../PriceRegistry.sol";
import {Router} from "../Router.sol";
import {IBurnMintERC20} from "../interfaces/IBurnMintERC20.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {LaneProfile} from "../libraries/LaneProfile.sol";
import {OffRamp} from "../offRamp/OffRamp.sol";
import {OnRamp} from "../onRamp/OnRamp.sol";
import {BurnMintTokenPool} from "../pools/BurnMintTokenPool.sol";
import {LockReleaseTokenPool} from "../pools/LockReleaseTokenPool.sol";
import {TokenAdminRegistry} from "../tokenAdminRegistry/TokenAdminRegistry.sol";
import {BurnMintTestToken} from "../tokens/BurnMintTestToken.sol";
import {FaucetToken} from "../tokens/FaucetToken.sol";
import {WrappedNative} from "../tokens/WrappedNative.sol";

// Every constructor call of the local network lives in this file, so a constructor or config struct
// change in the protocol is a one-place fix. The deployers are EXTERNAL library functions: they run
// by DELEGATECALL in the network's context, so the network (not the library) is msg.sender of every
// constructor and owns what it deploys, while each library's bytecode stays under the 24 KiB limit
// and the network itself does not carry ~170 KB of initcode. forge links them automatically.
// Every parameter comes from LaneProfile, so the kit's lanes are configured as `ccip up`'s.

/// @notice Deploys the Router and the PriceRegistry of a simulated chain.
library CCIPLocalRouterDeployer {
  /// @notice A Router over `wrappedNative` and `arm`, owned by the caller.
  function deployRouter(address wrappedNative, address arm) external returns (address) {
    return address(new Router(wrappedNative, arm));
  }

  /// @notice A PriceRegistry with `feeTokens` and no updaters yet, owned by the caller.
  function deployPriceRegistry(address[] memory feeTokens) external returns (address) {
    return address(new PriceRegistry(new address[](0), feeTokens, LaneProfile.PRICE_STALENESS));
  }
}

/// @notice Deploys the ARM and the TokenAdminRegistry of a simulated chain.
library CCIPLocalArmDeployer {
  /// @notice An ARM owned by the caller where every voter blesses and curses with weight 1.
  function deployArm(address[] memory voterAddrs, uint16 blessThreshold, uint16 curseThreshold)
    external
    returns (address)
  {
    ARM.Voter[] memory voters = new ARM.Voter[](voterAddrs.length);
    for (uint256 i = 0; i < voterAddrs.length; ++i) {
      voters[i] =
        ARM.Voter({blessVoteAddr: voterAddrs[i], curseVoteAddr: voterAddrs[i], blessWeight: 1, curseWeight: 1});
    }
    return address(new ARM(address(this), ARM.Config(voters, blessThreshold, curseThreshold)));
  }

  /// @notice A TokenAdminRegistry owned by the caller.
  function deployTokenAdminRegistry() external returns (address) {
    return address(new TokenAdminRegistry());
  }
}

/// @notice Deploys the test tokens of a simulated chain.
library CCIPLocalTokenDeployer {
  /// @notice A wrapped native token.
  function deployWrappedNative() external returns (address) {
    return address(new WrappedNative());
  }

  /// @notice An 18-decimals FaucetToken owned by the caller (who may mint any amount).
  function deployFaucetToken(string memory name, string memory symbol) external returns (address) {
    return address(new FaucetToken(name, symbol, 18, 1e18));
  }

  /// @notice An 18-decimals BurnMintTestToken owned by the caller.
  function deployBurnMintToken(string memory name, string memory symbol) external returns (address) {
    return address(new BurnMintTestToken(name, symbol, 18));
  }
}

/// @notice Deploys burn/mint pools.
library CCIPLocalBurnMintPoolDeployer {
  /// @notice A BurnMintTokenPool for `token` without allowlist, owned by the caller.
  function deployBurnMintPool(address token, address arm, address router) external returns (address) {
    return address(new BurnMintTokenPool(IBurnMintERC20(token), 18, new address[](0), arm, router));
  }
}

/// @notice Deploys lock/release pools.
library CCIPLocalLockReleasePoolDeployer {
  /// @notice A LockReleaseTokenPool for `token` without allowlist, owned by the caller.
  function deployLockReleasePool(address token, address arm, address router) external returns (address) {
    return address(new LockReleaseTokenPool(IERC20(token), 18, new address[](0), arm, router));
  }
}

/// @notice The addresses every ramp of a lane is built from.
struct CCIPLocalLaneArgs {
  uint64 sourceChainSelector;
  uint64 destChainSelector;
  address sourceRouter;
  address sourcePriceRegistry;
  address sourceArm;
  address sourceTokenAdminRegistry;
  address sourceWrappedNative;
  address sourceLinkToken;
  address destRouter;
  address destPriceRegistry;
  address destArm;
  address destTokenAdminRegistry;
}

/// @notice Deploys OnRamps.
library CCIPLocalOnRampDeployer {
  /// @notice An OnRamp for the lane with LaneProfile's parameters; native (wrapped) and LINK pay fees.
  function deployOnRamp(CCIPLocalLaneArgs memory a) external returns (address) {
    return address(
      new OnRamp(
        OnRamp.StaticConfig({
          sourceChainSelector: a.sourceChainSelector,
          destChainSelector: a.destChainSelector,
          router: a.sourceRouter,
          priceRegistry: a.sourcePriceRegistry,
          arm: a.sourceArm,
          tokenAdminRegistry: a.sourceTokenAdminRegistry
        }),
        LaneProfile.onRampDynamicConfig(),
        LaneProfile.feeTokenConfigs(a.sourceWrappedNative, a.sourceLinkToken)
      )
    );
  }
}

/// @notice Deploys CommitStores.
library CCIPLocalCommitStoreDeployer {
  /// @notice A CommitStore on the lane's destination, owned by the caller; the OCR config is set separately.
  function deployCommitStore(CCIPLocalLaneArgs memory a, address onRamp) external returns (address) {
    return address(
      new CommitStore(
        address(this),
        CommitStore.StaticConfig({
          chainSelector: a.destChainSelector, sourceChainSelector: a.sourceChainSelector, onRamp: onRamp, arm: a.destArm
        }),
        CommitStore.DynamicConfig({priceRegistry: a.destPriceRegistry})
      )
    );
  }
}

/// @notice Deploys OffRamps.
library CCIPLocalOffRampDeployer {
  /// @notice An OffRamp on the lane's destination, owned by the caller; transmitters are set separately.
  function deployOffRamp(CCIPLocalLaneArgs memory a, address onRamp, address commitStore) external returns (address) {
    return address(
      new OffRamp(
        OffRamp.StaticConfig({
          commitStore: commitStore,
          chainSelector: a.destChainSelector,
          sourceChainSelector: a.sourceChainSelector,
          onRamp: onRamp,
          arm: a.destArm,
          tokenAdminRegistry: a.destTokenAdminRegistry
        }),
        LaneProfile.offRampDynamicConfig(a.destRouter, a.destPriceRegistry)
      )
    );
  }
}
