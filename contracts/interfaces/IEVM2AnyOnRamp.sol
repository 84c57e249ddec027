// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

import {Client} from "../libraries/Client.sol";

/// @notice An OnRamp as the Router sees it. One OnRamp per outbound lane.
interface IEVM2AnyOnRamp {
  /// @notice The fee for `message` in `message.feeToken` (never address(0) here: the Router maps native
  /// to the wrapped native token).
  function getFee(uint64 destChainSelector, Client.EVM2AnyMessage calldata message)
    external
    view
    returns (uint256 feeTokenAmount);

  /// @notice The pool that takes `sourceToken` on this lane (the Router sends the sender's tokens there).
  function getPoolBySourceToken(uint64 destChainSelector, address sourceToken) external view returns (address pool);

  /// @notice Validates, prices and emits `message`. Only the Router.
  /// @param feeToken The token the fee is paid in; replaces `message.feeToken`, which the OnRamp ignores.
  /// It is the wrapped native token when `message.feeToken` is address(0): the Router resolves it so
  /// that it need not copy the calldata message to rewrite one field.
  /// @param feeTokenAmount What the sender pays: for native fees msg.value, which comes with this call and
  /// which the OnRamp wraps into `feeToken`. type(uint256).max means "exactly the fee": the Router collects
  /// the returned fee afterwards.
  /// @return messageId The message id (leaf hash).
  /// @return fee The fee charged, in `feeToken`.
  function forwardFromRouter(
    uint64 destChainSelector,
    Client.EVM2AnyMessage calldata message,
    address feeToken,
    uint256 feeTokenAmount,
    address originalSender
  ) external payable returns (bytes32 messageId, uint256 fee);
}
