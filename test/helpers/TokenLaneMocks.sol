// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CCIPReceiver} from "../../contracts/applications/CCIPReceiver.sol";
import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {Client} from "../../contracts/libraries/Client.sol";

/// @notice A vault crediting deposits to beneficiaries; pulls tokens with transferFrom.
contract TokenLaneVault {
  mapping(address token => mapping(address beneficiary => uint256 amount)) public s_deposits;

  function deposit(address token, uint256 amount, address beneficiary) external {
    IERC20(token).transferFrom(msg.sender, address(this), amount);
    s_deposits[token][beneficiary] += amount;
  }
}

/// @notice A programmable-transfer receiver: deposits every received token into the vault for the
/// beneficiary encoded in the message data. Can be told to reject.
contract TokenLaneVaultReceiver is CCIPReceiver {
  error Rejected();

  TokenLaneVault public immutable i_vault;
  bool public s_reject;
  uint256 public s_received;

  constructor(address router, TokenLaneVault vault) CCIPReceiver(router) {
    i_vault = vault;
  }

  function setReject(bool reject) external {
    s_reject = reject;
  }

  function _ccipReceive(Client.Any2EVMMessage memory message) internal override {
    if (s_reject) revert Rejected();
    ++s_received;
    address beneficiary = abi.decode(message.data, (address));
    for (uint256 i = 0; i < message.destTokenAmounts.length; ++i) {
      Client.EVMTokenAmount memory t = message.destTokenAmounts[i];
      IERC20(t.token).approve(address(i_vault), t.amount);
      i_vault.deposit(t.token, t.amount, beneficiary);
    }
  }
}
