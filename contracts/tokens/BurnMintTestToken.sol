// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {BurnMintERC677} from "./BurnMintERC677.sol";
import {ERC20} from "./ERC20.sol";

/// @title BurnMintTestToken
/// @notice A test token whose pools burn on the source and mint on the destination. The owner grants
/// mint and burn rights to pools; anyone can `drip` one token from the faucet. No supply cap.
contract BurnMintTestToken is BurnMintERC677 {
  uint256 public constant DRIP_AMOUNT = 1e18;

  constructor(string memory name_, string memory symbol_, uint8 decimals_)
    ERC20(name_, symbol_, decimals_)
    BurnMintERC677(0)
  {}

  /// @notice Mints DRIP_AMOUNT to `to`: a faucet for local networks.
  function drip(address to) external {
    _mint(to, DRIP_AMOUNT);
  }
}
