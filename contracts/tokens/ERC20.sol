// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {IERC20} from "../interfaces/IERC20.sol";

/// @title ERC20
/// @notice A minimal ERC-20 for the local test tokens. Not part of the protocol: pools work with any ERC-20.
abstract contract ERC20 is IERC20 {
  error InsufficientBalance(address account, uint256 balance, uint256 needed);
  error InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
  error InvalidRecipient(address to);

  string public name;
  string public symbol;
  uint8 public immutable decimals;
  uint256 public totalSupply;
  mapping(address account => uint256) public balanceOf;
  mapping(address owner => mapping(address spender => uint256)) public allowance;

  constructor(string memory name_, string memory symbol_, uint8 decimals_) {
    name = name_;
    symbol = symbol_;
    decimals = decimals_;
  }

  /// @notice Moves `amount` from the caller to `to`.
  function transfer(address to, uint256 amount) public virtual returns (bool) {
    _transfer(msg.sender, to, amount);
    return true;
  }

  /// @notice Lets `spender` move up to `amount` of the caller's tokens.
  function approve(address spender, uint256 amount) public virtual returns (bool) {
    _approve(msg.sender, spender, amount);
    return true;
  }

  /// @notice Moves `amount` from `from` to `to` within the caller's allowance.
  function transferFrom(address from, address to, uint256 amount) public virtual returns (bool) {
    _spendAllowance(from, msg.sender, amount);
    _transfer(from, to, amount);
    return true;
  }

  function _approve(address owner, address spender, uint256 amount) internal {
    allowance[owner][spender] = amount;
    emit Approval(owner, spender, amount);
  }

  function _spendAllowance(address owner, address spender, uint256 amount) internal {
    uint256 allowed = allowance[owner][spender];
    if (allowed != type(uint256).max) {
      if (allowed < amount) revert InsufficientAllowance(spender, allowed, amount);
      unchecked {
        allowance[owner][spender] = allowed - amount;
      }
    }
  }

  function _transfer(address from, address to, uint256 amount) internal virtual {
    if (to == address(0)) revert InvalidRecipient(to);
    uint256 balance = balanceOf[from];
    if (balance < amount) revert InsufficientBalance(from, balance, amount);
    unchecked {
      balanceOf[from] = balance - amount;
      balanceOf[to] += amount;
    }
    emit Transfer(from, to, amount);
  }

  function _mint(address to, uint256 amount) internal virtual {
    if (to == address(0)) revert InvalidRecipient(to);
    totalSupply += amount;
    unchecked {
      balanceOf[to] += amount;
    }
    emit Transfer(address(0), to, amount);
  }

  function _burn(address from, uint256 amount) internal virtual {
    uint256 balance = balanceOf[from];
    if (balance < amount) revert InsufficientBalance(from, balance, amount);
    unchecked {
      balanceOf[from] = balance - amount;
      totalSupply -= amount;
    }
    emit Transfer(from, address(0), amount);
  }
}
