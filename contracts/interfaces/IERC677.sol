// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

/// @notice ERC-677: a transfer that then calls the recipient, as LINK does.
interface IERC677 {
  /// @notice Emitted by `transferAndCall` next to the ERC-20 Transfer event, with the call's data.
  event Transfer(address indexed from, address indexed to, uint256 value, bytes data);

  /// @notice Moves `amount` to `to`, then calls `onTokenTransfer(msg.sender, amount, data)` on `to` if
  /// it is a contract.
  function transferAndCall(address to, uint256 amount, bytes calldata data) external returns (bool);
}
