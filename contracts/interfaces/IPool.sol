// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

/// @notice A token pool as the ramps see it. One token per pool; called only by the lane's ramps.
interface IPool {
  struct LockOrBurnIn {
    bytes receiver; // abi.encode(receiver) on the destination
    uint64 remoteChainSelector;
    address originalSender;
    uint256 amount; // already transferred to the pool by the Router
    address localToken;
  }

  struct LockOrBurnOut {
    address destTokenAddress; // the configured remote token
    bytes destPoolData; // handed to the destination pool as sourcePoolData
  }

  struct ReleaseOrMintIn {
    bytes originalSender; // abi.encode(sender) on the source
    uint64 remoteChainSelector;
    address receiver;
    uint256 amount; // in source token units
    address localToken;
    address sourcePoolAddress; // must be the configured remote pool
    bytes sourcePoolData;
    bytes offchainTokenData; // e.g. an issuer attestation
    bytes32 messageId;
  }

  struct ReleaseOrMintOut {
    uint256 destinationAmount; // in local token units: what the receiver's balance must grow by
  }

  /// @notice Locks or burns tokens the Router already moved to the pool. Only the lane's OnRamp.
  function lockOrBurn(LockOrBurnIn calldata lockOrBurnIn) external returns (LockOrBurnOut memory);

  /// @notice Releases or mints tokens to the receiver. Only the lane's OffRamp.
  function releaseOrMint(ReleaseOrMintIn calldata releaseOrMintIn) external returns (ReleaseOrMintOut memory);

  /// @notice The pool's token.
  function getToken() external view returns (address);

  /// @notice Whether the pool serves `remoteChainSelector`.
  function isSupportedChain(uint64 remoteChainSelector) external view returns (bool);
}
