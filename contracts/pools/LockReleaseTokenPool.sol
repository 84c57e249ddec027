// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {IERC20} from "../interfaces/IERC20.sol";
import {SafeTransfer} from "../libraries/SafeTransfer.sol";
import {TokenPool} from "./TokenPool.sol";

/// @title LockReleaseTokenPool
/// @notice Holds the token on its home chain: outbound transfers stay locked here, inbound transfers
/// are paid from the pool's balance. A rebalancer tops the balance up or takes liquidity out.
/// @dev Supply invariant the risk network checks: tokens minted by the remote burn/mint pools never
/// exceed `getLockedTotal() - getReleasedTotal()` (both in local units, both only ever grow, every
/// change emitted with its amount). Liquidity moves are tracked apart so they never blur that figure.
contract LockReleaseTokenPool is TokenPool {
  using SafeTransfer for IERC20;

  error InsufficientLiquidity(uint256 available, uint256 requested);

  event LiquidityAdded(address indexed provider, uint256 amount);
  event LiquidityRemoved(address indexed provider, uint256 amount);
  event RebalancerSet(address oldRebalancer, address newRebalancer);

  address internal s_rebalancer;
  uint256 internal s_lockedTotal;
  uint256 internal s_releasedTotal;

  /// @param token The pool's token.
  /// @param localTokenDecimals The token's decimals.
  /// @param allowlist Initial allowed senders; non-empty turns the allowlist on.
  /// @param arm The risk management contract.
  /// @param router The Router whose ramps may call the pool.
  constructor(IERC20 token, uint8 localTokenDecimals, address[] memory allowlist, address arm, address router)
    TokenPool(token, localTokenDecimals, allowlist, arm, router)
  {}

  /// @dev The Router already moved the tokens here; locking is bookkeeping only.
  function _lockOrBurn(uint64 remoteChainSelector, uint256 amount) internal override {
    s_lockedTotal += amount;
    emit Locked(remoteChainSelector, msg.sender, amount);
  }

  function _releaseOrMint(uint64 remoteChainSelector, address receiver, uint256 amount) internal override {
    uint256 balance = i_token.balanceOf(address(this));
    if (balance < amount) revert InsufficientLiquidity(balance, amount);
    s_releasedTotal += amount;
    emit Released(remoteChainSelector, msg.sender, receiver, amount);
    i_token.safeTransfer(receiver, amount);
  }

  /// @notice Sets the address allowed to add and remove liquidity (address(0): nobody). Only the owner.
  function setRebalancer(address rebalancer) external onlyOwner {
    emit RebalancerSet(s_rebalancer, rebalancer);
    s_rebalancer = rebalancer;
  }

  /// @notice Pulls `amount` from the rebalancer into the pool (approve first). Only the rebalancer.
  function provideLiquidity(uint256 amount) external {
    if (msg.sender != s_rebalancer) revert Unauthorized(msg.sender);
    emit LiquidityAdded(msg.sender, amount);
    i_token.safeTransferFrom(msg.sender, address(this), amount);
  }

  /// @notice Sends `amount` of the pool's balance to the rebalancer. Only the rebalancer.
  function withdrawLiquidity(uint256 amount) external {
    if (msg.sender != s_rebalancer) revert Unauthorized(msg.sender);
    uint256 balance = i_token.balanceOf(address(this));
    if (balance < amount) revert InsufficientLiquidity(balance, amount);
    emit LiquidityRemoved(msg.sender, amount);
    i_token.safeTransfer(msg.sender, amount);
  }

  /// @notice The address allowed to add and remove liquidity.
  function getRebalancer() external view returns (address) {
    return s_rebalancer;
  }

  /// @notice Everything ever locked for remote chains, in local units.
  function getLockedTotal() external view returns (uint256) {
    return s_lockedTotal;
  }

  /// @notice Everything ever released from remote chains, in local units.
  function getReleasedTotal() external view returns (uint256) {
    return s_releasedTotal;
  }
}
