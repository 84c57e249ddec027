// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IERC20} from "../interfaces/IERC20.sol";

/// @title SafeTransfer
/// @notice ERC-20 transfers that accept tokens returning nothing and revert on `false`.
library SafeTransfer {
  error TransferFailed(address token, address from, address to, uint256 amount);

  function safeTransfer(IERC20 token, address to, uint256 amount) internal {
    (bool ok, bytes memory ret) = address(token).call(abi.encodeCall(IERC20.transfer, (to, amount)));
    if (!ok || (ret.length != 0 && !abi.decode(ret, (bool))) || (ret.length == 0 && address(token).code.length == 0)) {
      revert TransferFailed(address(token), address(this), to, amount);
    }
  }

  function safeTransferFrom(IERC20 token, address from, address to, uint256 amount) internal {
    (bool ok, bytes memory ret) = address(token).call(abi.encodeCall(IERC20.transferFrom, (from, to, amount)));
    if (!ok || (ret.length != 0 && !abi.decode(ret, (bool))) || (ret.length == 0 && address(token).code.length == 0)) {
      revert TransferFailed(address(token), from, to, amount);
    }
  }
}
