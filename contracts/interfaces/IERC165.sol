// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

/// @notice ERC-165 interface detection.
interface IERC165 {
  /// @notice Whether the contract implements the interface `interfaceId`.
  function supportsInterface(bytes4 interfaceId) external view returns (bool);
}
