// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {IWrappedNative} from "../interfaces/IWrappedNative.sol";
import {ERC20} from "./ERC20.sol";

/// @title WrappedNative
/// @notice WETH9-style wrapped native currency: the Router wraps native fees with it.
contract WrappedNative is ERC20, IWrappedNative {
  error NativeTransferFailed(address to, uint256 amount);

  event Deposit(address indexed account, uint256 amount);
  event Withdrawal(address indexed account, uint256 amount);

  constructor() ERC20("Wrapped Ether", "WETH", 18) {}

  receive() external payable {
    deposit();
  }

  /// @notice Wraps msg.value for the caller.
  function deposit() public payable {
    _mint(msg.sender, msg.value);
    emit Deposit(msg.sender, msg.value);
  }

  /// @notice Unwraps `wad` and sends the native currency to the caller.
  function withdraw(uint256 wad) external {
    _burn(msg.sender, wad);
    emit Withdrawal(msg.sender, wad);
    (bool ok,) = msg.sender.call{value: wad}("");
    if (!ok) revert NativeTransferFailed(msg.sender, wad);
  }
}
