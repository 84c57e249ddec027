// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {IRouterClient} from "../../contracts/interfaces/IRouterClient.sol";
import {Client} from "../../contracts/libraries/Client.sol";

/// @notice A small ERC-20 for fee payments.
contract MessengerMockERC20 is IERC20 {
  mapping(address => uint256) public balanceOf;
  mapping(address => mapping(address => uint256)) public allowance;
  uint256 public totalSupply;

  function mint(address to, uint256 amount) external {
    balanceOf[to] += amount;
    totalSupply += amount;
    emit Transfer(address(0), to, amount);
  }

  function approve(address spender, uint256 amount) external returns (bool) {
    allowance[msg.sender][spender] = amount;
    emit Approval(msg.sender, spender, amount);
    return true;
  }

  function transfer(address to, uint256 amount) external returns (bool) {
    balanceOf[msg.sender] -= amount;
    balanceOf[to] += amount;
    emit Transfer(msg.sender, to, amount);
    return true;
  }

  function transferFrom(address from, address to, uint256 amount) external returns (bool) {
    allowance[from][msg.sender] -= amount;
    balanceOf[from] -= amount;
    balanceOf[to] += amount;
    emit Transfer(from, to, amount);
    return true;
  }
}

/// @notice A RouterClient that charges a flat fee, pulls it like the real Router and records the message.
contract MessengerMockRouterClient is IRouterClient {
  uint256 public s_fee;
  uint256 public s_nonce;
  uint64 public s_lastDest;
  Client.EVM2AnyMessage internal s_last;

  constructor(uint256 fee) {
    s_fee = fee;
  }

  function getLastMessage() external view returns (Client.EVM2AnyMessage memory) {
    return s_last;
  }

  function isChainSupported(uint64) external pure returns (bool) {
    return true;
  }

  function getFee(uint64, Client.EVM2AnyMessage memory) external view returns (uint256) {
    return s_fee;
  }

  function ccipSend(uint64 destinationChainSelector, Client.EVM2AnyMessage calldata message)
    external
    payable
    returns (bytes32)
  {
    if (message.feeToken == address(0)) {
      if (msg.value < s_fee) revert InsufficientFeeTokenAmount();
    } else {
      if (msg.value != 0) revert InvalidMsgValue();
      IERC20(message.feeToken).transferFrom(msg.sender, address(this), s_fee);
    }
    s_lastDest = destinationChainSelector;
    s_last.receiver = message.receiver;
    s_last.data = message.data;
    s_last.feeToken = message.feeToken;
    s_last.extraArgs = message.extraArgs;
    return keccak256(abi.encode(++s_nonce));
  }
}

/// @notice Refuses native refunds.
contract MessengerRefundRefuser {
  receive() external payable {
    revert();
  }
}
