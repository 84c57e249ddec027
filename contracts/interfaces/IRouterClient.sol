// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

import {Client} from "../libraries/Client.sol";

/// @notice The Router as dApps see it; wire-compatible with Chainlink CCIP's IRouterClient.
interface IRouterClient {
  error UnsupportedDestinationChain(uint64 destChainSelector);
  error InsufficientFeeTokenAmount();
  error InvalidMsgValue();

  /// @notice Whether messages can be sent to `destChainSelector`.
  function isChainSupported(uint64 destChainSelector) external view returns (bool supported);

  /// @notice The fee for `message`, in `message.feeToken` (address(0): native currency).
  /// @dev Does not consult the ARM: a quote succeeds on a cursed lane, ccipSend reverts there.
  function getFee(uint64 destinationChainSelector, Client.EVM2AnyMessage memory message)
    external
    view
    returns (uint256 fee);

  /// @notice Sends `message`; fees in `message.feeToken` are pulled from the caller (approve the Router),
  /// native fees come as msg.value. Tokens are pulled from the caller too.
  /// @return The message id.
  function ccipSend(uint64 destinationChainSelector, Client.EVM2AnyMessage calldata message)
    external
    payable
    returns (bytes32);
}
