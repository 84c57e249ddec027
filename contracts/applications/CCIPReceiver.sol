// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

import {IAny2EVMMessageReceiver} from "../interfaces/IAny2EVMMessageReceiver.sol";
import {IERC165} from "../interfaces/IERC165.sol";
import {Client} from "../libraries/Client.sol";

/// @title CCIPReceiver
/// @notice Base for dApps that receive messages; wire-compatible with Chainlink CCIP's CCIPReceiver, so a
/// dApp written against it compiles and behaves unchanged.
abstract contract CCIPReceiver is IAny2EVMMessageReceiver, IERC165 {
  error InvalidRouter(address router);

  address internal immutable i_ccipRouter;

  constructor(address router) {
    if (router == address(0)) revert InvalidRouter(address(0));
    i_ccipRouter = router;
  }

  /// @notice IAny2EVMMessageReceiver and IERC165. The OffRamp only calls receivers that report
  /// IAny2EVMMessageReceiver here, so an override must keep it.
  function supportsInterface(bytes4 interfaceId) public view virtual override returns (bool) {
    return interfaceId == type(IAny2EVMMessageReceiver).interfaceId || interfaceId == type(IERC165).interfaceId;
  }

  /// @notice Entry point for the Router; hands the message to `_ccipReceive`.
  function ccipReceive(Client.Any2EVMMessage calldata message) external virtual override onlyRouter {
    _ccipReceive(message);
  }

  /// @notice The dApp's handling of a message. A revert marks the message FAILURE on the OffRamp, from
  /// where anyone can execute it again manually.
  function _ccipReceive(Client.Any2EVMMessage memory message) internal virtual;

  /// @notice The Router this receiver accepts messages from.
  function getRouter() public view virtual returns (address) {
    return i_ccipRouter;
  }

  /// @dev Only the Router may deliver: it is the one that proves the message came through a lane.
  modifier onlyRouter() {
    if (msg.sender != getRouter()) revert InvalidRouter(msg.sender);
    _;
  }
}
