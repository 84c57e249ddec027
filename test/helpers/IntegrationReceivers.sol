// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CCIPReceiver} from "../../contracts/applications/CCIPReceiver.sol";
import {Client} from "../../contracts/libraries/Client.sol";

/// @notice Counts deliveries per message id and burns a fixed amount of gas on each (`slots` fresh
/// SSTOREs, ~22k gas each), so a low gas limit makes it run out of gas.
contract IntegrationCountingReceiver is CCIPReceiver {
  event Received(bytes32 indexed messageId, uint256 count);

  uint256 public immutable i_slots;
  mapping(bytes32 messageId => uint256 count) public s_count;
  mapping(bytes32 messageId => mapping(uint256 slot => uint256)) internal s_sink;
  uint256 public s_total;
  bytes32 public s_lastMessageId;
  bytes public s_lastData;

  constructor(address router, uint256 slots) CCIPReceiver(router) {
    i_slots = slots;
  }

  function _ccipReceive(Client.Any2EVMMessage memory message) internal override {
    for (uint256 i = 0; i < i_slots; ++i) {
      s_sink[message.messageId][i] = i + 1;
    }
    uint256 count = ++s_count[message.messageId];
    ++s_total;
    s_lastMessageId = message.messageId;
    s_lastData = message.data;
    emit Received(message.messageId, count);
  }
}

/// @notice A programmable-token-transfer receiver: credits each (sender, token) with what arrived and
/// keeps the memo the message carried.
contract IntegrationTokenVault is CCIPReceiver {
  event Deposited(bytes32 indexed messageId, address indexed sender, address indexed token, uint256 amount);

  mapping(address sender => mapping(address token => uint256 amount)) public s_credits;
  mapping(bytes32 messageId => string memo) public s_memos;
  uint256 public s_deposits;

  constructor(address router) CCIPReceiver(router) {}

  function _ccipReceive(Client.Any2EVMMessage memory message) internal override {
    address sender = abi.decode(message.sender, (address));
    for (uint256 i = 0; i < message.destTokenAmounts.length; ++i) {
      Client.EVMTokenAmount memory t = message.destTokenAmounts[i];
      s_credits[sender][t.token] += t.amount;
      emit Deposited(message.messageId, sender, t.token, t.amount);
    }
    s_memos[message.messageId] = abi.decode(message.data, (string));
    ++s_deposits;
  }
}
