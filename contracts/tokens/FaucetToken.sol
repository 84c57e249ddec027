// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {Ownable2Step} from "../access/Ownable2Step.sol";
import {ERC20} from "./ERC20.sol";
import {ERC677} from "./ERC677.sol";

/// @title FaucetToken
/// @notice A plain ERC-20 with a faucet, for lock/release pools and as the LINK-like fee token.
/// `transferAndCall` (ERC-677) and LINK's allowance helpers are there for dApps written against LINK.
contract FaucetToken is ERC677, Ownable2Step {
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
}
