// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {Ownable2Step} from "../access/Ownable2Step.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {IRouterClient} from "../interfaces/IRouterClient.sol";
import {Client} from "../libraries/Client.sol";
import {SafeTransfer} from "../libraries/SafeTransfer.sol";
import {CCIPReceiver} from "./CCIPReceiver.sol";

/// @title Messenger
/// @notice Example dApp: sends a line of text to another chain and keeps the last one it received.
/// Written only against the CCIP-compatible surface (IRouterClient, Client, CCIPReceiver).
contract Messenger is CCIPReceiver, Ownable2Step {
  using SafeTransfer for IERC20;

  error InsufficientFee(uint256 required, uint256 provided);
  error UnexpectedValue(uint256 value);
  error RefundFailed(address to, uint256 amount);
  error SenderNotAllowlisted(uint64 sourceChainSelector, address sender);

  event TextSent(
    bytes32 indexed messageId,
    uint64 indexed destChainSelector,
    address receiver,
    string text,
    address feeToken,
    uint256 fees
  );
  event TextReceived(bytes32 indexed messageId, uint64 indexed sourceChainSelector, address sender, string text);
  event AllowlistEnabledSet(bool enabled);
  event AllowedSenderSet(uint64 indexed sourceChainSelector, address indexed sender, bool allowed);
  event ExtraArgsSet(bytes extraArgs);

  /// @notice What the last received message carried.
  struct Received {
    bytes32 messageId;
    uint64 sourceChainSelector;
    address sender;
    string text;
  }

  Received internal s_last;
  uint256 internal s_receivedCount;
  bool internal s_allowlistEnabled;
  mapping(uint64 sourceChainSelector => mapping(address sender => bool)) internal s_allowedSenders;
  bytes internal s_extraArgs;

  constructor(address router) CCIPReceiver(router) Ownable2Step(msg.sender) {
    // Enough to store a short string on the destination; ordered delivery per sender.
    s_extraArgs = Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 200_000}));
  }

  /// @notice Sends `text` to `receiver` on `destChainSelector`. The fee is paid in `feeToken`, pulled from
  /// the caller (approve this contract), or in native currency (address(0)) from msg.value, refunding
  /// any excess.
  /// @return messageId The id the destination will see.
  function sendText(uint64 destChainSelector, address receiver, string calldata text, address feeToken)
    external
    payable
    returns (bytes32 messageId)
  {
    Client.EVM2AnyMessage memory message = Client.EVM2AnyMessage({
      receiver: abi.encode(receiver),
      data: abi.encode(text),
      tokenAmounts: new Client.EVMTokenAmount[](0),
      feeToken: feeToken,
      extraArgs: s_extraArgs
    });
    IRouterClient router = IRouterClient(getRouter());
    uint256 fees = router.getFee(destChainSelector, message);

    if (feeToken == address(0)) {
      if (msg.value < fees) revert InsufficientFee(fees, msg.value);
      messageId = router.ccipSend{value: fees}(destChainSelector, message);
      uint256 excess = msg.value - fees;
      if (excess != 0) {
        (bool ok,) = msg.sender.call{value: excess}("");
        if (!ok) revert RefundFailed(msg.sender, excess);
      }
    } else {
      if (msg.value != 0) revert UnexpectedValue(msg.value);
      IERC20(feeToken).safeTransferFrom(msg.sender, address(this), fees);
      // Exactly the fee, so no allowance lingers on the Router.
      IERC20(feeToken).approve(address(router), fees);
      messageId = router.ccipSend(destChainSelector, message);
    }
    emit TextSent(messageId, destChainSelector, receiver, text, feeToken, fees);
  }

  function _ccipReceive(Client.Any2EVMMessage memory message) internal override {
    address sender = abi.decode(message.sender, (address));
    if (s_allowlistEnabled && !s_allowedSenders[message.sourceChainSelector][sender]) {
      revert SenderNotAllowlisted(message.sourceChainSelector, sender);
    }
    string memory text = abi.decode(message.data, (string));
    s_last = Received({
      messageId: message.messageId, sourceChainSelector: message.sourceChainSelector, sender: sender, text: text
    });
    ++s_receivedCount;
    emit TextReceived(message.messageId, message.sourceChainSelector, sender, text);
  }

  /// @notice The last message received.
  function getLastReceived() external view returns (Received memory) {
    return s_last;
  }

  /// @notice How many messages this contract has received.
  function getReceivedCount() external view returns (uint256) {
    return s_receivedCount;
  }

  /// @notice Whether only allowlisted (source chain, sender) pairs may deliver.
  function isAllowlistEnabled() external view returns (bool) {
    return s_allowlistEnabled;
  }

  /// @notice Whether `sender` on `sourceChainSelector` is allowlisted.
  function isAllowedSender(uint64 sourceChainSelector, address sender) external view returns (bool) {
    return s_allowedSenders[sourceChainSelector][sender];
  }

  /// @notice The extraArgs every sent message carries.
  function getExtraArgs() external view returns (bytes memory) {
    return s_extraArgs;
  }

  /// @notice Turns the sender allowlist on or off. Only the owner.
  function setAllowlistEnabled(bool enabled) external onlyOwner {
    s_allowlistEnabled = enabled;
    emit AllowlistEnabledSet(enabled);
  }

  /// @notice Allows or disallows `sender` on `sourceChainSelector`. Only the owner.
  function setAllowedSender(uint64 sourceChainSelector, address sender, bool allowed) external onlyOwner {
    s_allowedSenders[sourceChainSelector][sender] = allowed;
    emit AllowedSenderSet(sourceChainSelector, sender, allowed);
  }

  /// @notice Sets the extraArgs (gas limit, ordering) of sent messages. Only the owner.
  function setExtraArgs(bytes calldata extraArgs) external onlyOwner {
    s_extraArgs = extraArgs;
    emit ExtraArgsSet(extraArgs);
  }
}
