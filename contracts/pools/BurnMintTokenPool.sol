// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {IBurnMintERC20} from "../interfaces/IBurnMintERC20.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {TokenPool} from "./TokenPool.sol";

/// @title BurnMintTokenPool
/// @notice Burns outbound transfers and mints inbound ones. The token must grant this pool mint and
/// burn rights (e.g. BurnMintTestToken.grantMintAndBurnRoles).
contract BurnMintTokenPool is TokenPool {
  /// @param token The pool's token; must implement IBurnMintERC20.
  /// @param localTokenDecimals The token's decimals.
  /// @param allowlist Initial allowed senders; non-empty turns the allowlist on.
  /// @param arm The risk management contract.
  /// @param router The Router whose ramps may call the pool.
  constructor(IBurnMintERC20 token, uint8 localTokenDecimals, address[] memory allowlist, address arm, address router)
    TokenPool(IERC20(address(token)), localTokenDecimals, allowlist, arm, router)
  {}

  /// @dev The Router already moved the tokens here; burn the pool's own balance.
  function _lockOrBurn(uint64 remoteChainSelector, uint256 amount) internal virtual override {
    IBurnMintERC20(address(i_token)).burn(amount);
    emit Burned(remoteChainSelector, msg.sender, amount);
  }

  function _releaseOrMint(uint64 remoteChainSelector, address receiver, uint256 amount) internal virtual override {
    IBurnMintERC20(address(i_token)).mint(receiver, amount);
    emit Minted(remoteChainSelector, msg.sender, receiver, amount);
  }
}
