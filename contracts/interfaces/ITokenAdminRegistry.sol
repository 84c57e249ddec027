// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

/// @notice Where the ramps find each token's pool.
interface ITokenAdminRegistry {
  /// @notice The pool registered for `token`, or address(0).
  function getPool(address token) external view returns (address);
}
