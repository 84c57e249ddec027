// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

/// @title Ownable2Step
/// @notice One owner, handed over in two steps so a typo cannot lose the contract.
abstract contract Ownable2Step {
  error OnlyOwner();
  error OnlyPendingOwner();
  error ZeroAddressOwner();

  event OwnershipTransferRequested(address indexed from, address indexed to);
  event OwnershipTransferred(address indexed from, address indexed to);

  address private s_owner;
  address private s_pendingOwner;

  constructor(address initialOwner) {
    if (initialOwner == address(0)) revert ZeroAddressOwner();
    s_owner = initialOwner;
    emit OwnershipTransferred(address(0), initialOwner);
  }

  modifier onlyOwner() {
    if (msg.sender != s_owner) revert OnlyOwner();
    _;
  }

  /// @notice The current owner.
  function owner() public view returns (address) {
    return s_owner;
  }

  /// @notice The address that may accept ownership, if any.
  function pendingOwner() external view returns (address) {
    return s_pendingOwner;
  }

  /// @notice Proposes `to` as the next owner. Only the owner.
  function transferOwnership(address to) external onlyOwner {
    if (to == address(0)) revert ZeroAddressOwner();
    s_pendingOwner = to;
    emit OwnershipTransferRequested(s_owner, to);
  }

  /// @notice Completes a transfer. Only the proposed owner.
  function acceptOwnership() external {
    if (msg.sender != s_pendingOwner) revert OnlyPendingOwner();
    address old = s_owner;
    s_owner = msg.sender;
    delete s_pendingOwner;
    emit OwnershipTransferred(old, msg.sender);
  }
}
