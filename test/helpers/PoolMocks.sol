// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IARM} from "../../contracts/interfaces/IARM.sol";
import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {IRouter} from "../../contracts/interfaces/IRouter.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {TokenPool} from "../../contracts/pools/TokenPool.sol";

/// @notice Router stand-in for pool tests: only the ramp lookups pools make.
contract MockPoolRouter is IRouter {
  mapping(uint64 destChainSelector => address onRamp) internal s_onRamps;
  mapping(uint64 sourceChainSelector => mapping(address offRamp => bool)) internal s_offRamps;

  function setOnRamp(uint64 destChainSelector, address onRamp) external {
    s_onRamps[destChainSelector] = onRamp;
  }

  function setOffRamp(uint64 sourceChainSelector, address offRamp, bool enabled) external {
    s_offRamps[sourceChainSelector][offRamp] = enabled;
  }

  function getOnRamp(uint64 destChainSelector) external view returns (address) {
    return s_onRamps[destChainSelector];
  }

  function isOffRamp(uint64 sourceChainSelector, address offRamp) external view returns (bool) {
    return s_offRamps[sourceChainSelector][offRamp];
  }

  function routeMessage(Client.Any2EVMMessage calldata, uint16, uint256, address)
    external
    pure
    returns (bool, bytes memory, uint256)
  {
    revert OnlyOffRamp();
  }
}

/// @notice A concrete TokenPool that moves no tokens, to test the shared checks on their own.
contract TokenPoolHarness is TokenPool {
  constructor(IERC20 token, uint8 localTokenDecimals, address[] memory allowlist, address arm, address router)
    TokenPool(token, localTokenDecimals, allowlist, arm, router)
  {}

  function _lockOrBurn(uint64 remoteChainSelector, uint256 amount) internal override {
    emit Locked(remoteChainSelector, msg.sender, amount);
  }

  function _releaseOrMint(uint64 remoteChainSelector, address receiver, uint256 amount) internal override {
    emit Released(remoteChainSelector, msg.sender, receiver, amount);
  }

  function calculateLocalAmount(uint256 remoteAmount, uint8 remoteDecimals) external view returns (uint256) {
    return _calculateLocalAmount(remoteAmount, remoteDecimals);
  }
}

/// @notice A token-like contract whose `decimals()` is absent: pools take the deployer's word.
contract NoDecimalsToken {
  function balanceOf(address) external pure returns (uint256) {
    return 0;
  }
}

/// @notice Answers `owner()` and `getCCIPAdmin()` with whatever the test sets.
contract MockAdminToken {
  address public owner;
  address public ccipAdmin;

  function setOwner(address newOwner) external {
    owner = newOwner;
  }

  function setCCIPAdmin(address newAdmin) external {
    ccipAdmin = newAdmin;
  }

  function getCCIPAdmin() external view returns (address) {
    return ccipAdmin;
  }
}
