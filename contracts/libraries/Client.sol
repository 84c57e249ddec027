// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

/// @title Client
/// @notice The dApp-facing message structs and extraArgs encodings, wire-compatible with Chainlink CCIP:
/// same struct layouts, same tags, same selectors.
library Client {
  struct EVMTokenAmount {
    address token; // token address on the local chain
    uint256 amount;
  }

  struct Any2EVMMessage {
    bytes32 messageId; // the leaf hash of the message on the source lane
    uint64 sourceChainSelector;
    bytes sender; // abi.encode(sender) for EVM sources
    bytes data;
    EVMTokenAmount[] destTokenAmounts; // tokens and amounts in their destination representation
  }

  struct EVM2AnyMessage {
    bytes receiver; // abi.encode(receiver) for EVM destinations
    bytes data;
    EVMTokenAmount[] tokenAmounts;
    address feeToken; // address(0) pays in native currency
    bytes extraArgs; // empty for the lane defaults, or an encoded EVMExtraArgsV1/V2
  }

  bytes4 public constant EVM_EXTRA_ARGS_V1_TAG = 0x97a657c9;

  struct EVMExtraArgsV1 {
    uint256 gasLimit;
  }

  function _argsToBytes(EVMExtraArgsV1 memory extraArgs) internal pure returns (bytes memory bts) {
    return abi.encodeWithSelector(EVM_EXTRA_ARGS_V1_TAG, extraArgs);
  }

  bytes4 public constant EVM_EXTRA_ARGS_V2_TAG = 0x181dcf10;

  struct EVMExtraArgsV2 {
    uint256 gasLimit;
    bool allowOutOfOrderExecution;
  }

  function _argsToBytes(EVMExtraArgsV2 memory extraArgs) internal pure returns (bytes memory bts) {
    return abi.encodeWithSelector(EVM_EXTRA_ARGS_V2_TAG, extraArgs);
  }
}
