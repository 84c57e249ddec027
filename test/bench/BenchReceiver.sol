// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CCIPReceiver} from "../../contracts/applications/CCIPReceiver.sol";
import {Client} from "../../contracts/libraries/Client.sol";

/// @notice The bench's dApp: every message overwrites three storage values (the last message id, a
/// counter and the last payload), a typical small receiver.
contract BenchReceiver is CCIPReceiver {
  bytes32 public s_lastMessageId;
  uint256 public s_count;
  bytes public s_lastPayload;

  constructor(address router) CCIPReceiver(router) {}

  function _ccipReceive(Client.Any2EVMMessage memory message) internal override {
    s_lastMessageId = message.messageId;
    ++s_count;
    s_lastPayload = message.data;
  }
}
