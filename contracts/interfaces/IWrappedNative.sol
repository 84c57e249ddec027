// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

import {IERC20} from "./IERC20.sol";

/// @notice WETH9-style wrapped native currency.
interface IWrappedNative is IERC20 {
  function deposit() external payable;
  function withdraw(uint256 wad) external;
}
