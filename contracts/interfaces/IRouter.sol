// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

import {Client} from "../libraries/Client.sol";

/// @notice The Router as the ramps see it.
interface IRouter {
  error OnlyOffRamp();

  /// @notice Delivers `message` to `receiver` with exactly `gasLimit` gas. Only a registered OffRamp.
  /// @param gasForCallExactCheck Gas reserved for the exact-gas check and the bookkeeping after the call.
  /// @return success Whether the receiver returned without reverting.
  /// @return retData The receiver's return or revert data, capped.
  /// @return gasUsed Gas the receiver call used.
  function routeMessage(
    Client.Any2EVMMessage calldata message,
    uint16 gasForCallExactCheck,
    uint256 gasLimit,
    address receiver
  ) external returns (bool success, bytes memory retData, uint256 gasUsed);

  /// @notice The OnRamp for `destChainSelector`, or address(0).
  function getOnRamp(uint64 destChainSelector) external view returns (address onRamp);

  /// @notice Whether `offRamp` is registered for messages from `sourceChainSelector`.
  function isOffRamp(uint64 sourceChainSelector, address offRamp) external view returns (bool);
}
