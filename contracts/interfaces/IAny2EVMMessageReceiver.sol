// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

import {Client} from "../libraries/Client.sol";

/// @notice What a receiving dApp implements; wire-compatible with Chainlink CCIP.
interface IAny2EVMMessageReceiver {
  /// @notice Called by the Router with a message from another chain. A revert marks the message
  /// FAILURE; it can be executed again manually.
  function ccipReceive(Client.Any2EVMMessage calldata message) external;
}
