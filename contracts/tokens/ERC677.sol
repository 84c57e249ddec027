// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {IERC677} from "../interfaces/IERC677.sol";
import {ERC20} from "./ERC20.sol";

/// @title ERC677
/// @notice The LINK-style token surface dApps and tests call: `transferAndCall` (ERC-677) and the
/// relative allowance changes, under both the OpenZeppelin names (`increaseAllowance`) and LINK's
/// (`increaseApproval`).
abstract contract ERC677 is ERC20, IERC677 {
  /// @notice `to.onTokenTransfer` reverted during `transferAndCall`.
  error TransferAndCallFailed(address to);

  /// @inheritdoc IERC677
  function transferAndCall(address to, uint256 amount, bytes calldata data) external returns (bool) {
    _transfer(msg.sender, to, amount);
    emit Transfer(msg.sender, to, amount, data);
    if (to.code.length != 0) {
      (bool ok,) = to.call(abi.encodeWithSignature("onTokenTransfer(address,uint256,bytes)", msg.sender, amount, data));
      if (!ok) revert TransferAndCallFailed(to);
    }
    return true;
  }

  /// @notice Raises the caller's allowance for `spender` by `addedValue`.
  function increaseAllowance(address spender, uint256 addedValue) public returns (bool) {
    _approve(msg.sender, spender, allowance[msg.sender][spender] + addedValue);
    return true;
  }

  /// @notice Lowers the caller's allowance for `spender` by `subtractedValue`; reverts below zero.
  function decreaseAllowance(address spender, uint256 subtractedValue) public returns (bool) {
    uint256 current = allowance[msg.sender][spender];
    if (current < subtractedValue) revert InsufficientAllowance(spender, current, subtractedValue);
    unchecked {
      _approve(msg.sender, spender, current - subtractedValue);
    }
    return true;
  }

  /// @notice LINK's name for `increaseAllowance`.
  function increaseApproval(address spender, uint256 addedValue) external returns (bool success) {
    return increaseAllowance(spender, addedValue);
  }

  /// @notice LINK's name for `decreaseAllowance`.
  function decreaseApproval(address spender, uint256 subtractedValue) external returns (bool success) {
    return decreaseAllowance(spender, subtractedValue);
  }
}
