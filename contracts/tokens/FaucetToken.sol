// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable2Step} from "../access/Ownable2Step.sol";
import {ERC20} from "./ERC20.sol";

/// @title FaucetToken
/// @notice A plain ERC-20 with a faucet, for lock/release pools and as the LINK-like fee token.
/// `transferAndCall` (ERC-677) is there for dApps written against LINK.
contract FaucetToken is ERC20, Ownable2Step {
  error TransferAndCallFailed(address to);

  uint256 public immutable i_dripAmount;

  constructor(string memory name_, string memory symbol_, uint8 decimals_, uint256 dripAmount)
    ERC20(name_, symbol_, decimals_)
    Ownable2Step(msg.sender)
  {
    i_dripAmount = dripAmount;
  }

  /// @notice Mints the drip amount to `to`: a faucet for local networks.
  function drip(address to) external {
    _mint(to, i_dripAmount);
  }

  /// @notice Mints `amount` to `to`. Only the owner (the deployer funds test accounts with it).
  function mint(address to, uint256 amount) external onlyOwner {
    _mint(to, amount);
  }

  /// @notice Transfers and then calls `onTokenTransfer(sender, amount, data)` on `to` (ERC-677).
  function transferAndCall(address to, uint256 amount, bytes calldata data) external returns (bool) {
    _transfer(msg.sender, to, amount);
    if (to.code.length != 0) {
      (bool ok,) = to.call(abi.encodeWithSignature("onTokenTransfer(address,uint256,bytes)", msg.sender, amount, data));
      if (!ok) revert TransferAndCallFailed(to);
    }
    return true;
  }
}
