// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

import {IERC20} from "./IERC20.sol";

/// @notice What a burn/mint pool needs from its token: the token grants the pool these rights. Same
/// functions as Chainlink's IBurnMintERC20, so the two have the same ERC-165 interface id.
interface IBurnMintERC20 is IERC20 {
  /// @notice Mints `amount` to `account`. Only minters.
  function mint(address account, uint256 amount) external;

  /// @notice Burns `amount` of the caller's tokens. Only burners.
  function burn(uint256 amount) external;

  /// @notice Burns `amount` from `account` within the caller's allowance (same as `burnFrom`). Only burners.
  function burn(address account, uint256 amount) external;

  /// @notice Burns `amount` from `account` within the caller's allowance. Only burners.
  function burnFrom(address account, uint256 amount) external;
}
