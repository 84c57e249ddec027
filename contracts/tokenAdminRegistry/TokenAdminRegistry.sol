// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {Ownable2Step} from "../access/Ownable2Step.sol";
import {IPool} from "../interfaces/IPool.sol";
import {ITokenAdminRegistry} from "../interfaces/ITokenAdminRegistry.sol";

/// @title TokenAdminRegistry
/// @notice Maps each token to its pool, and each token to the administrator allowed to set that
/// pool. Token issuers register themselves: whoever the token reports as `owner()` or
/// `getCCIPAdmin()` becomes the pending administrator and must accept; the registry owner can
/// propose an administrator for tokens without either (deployment scripts).
/// @dev Administrator changes are always two-step (propose, then accept by the new administrator),
/// so a typo cannot lock a token out of the registry.
contract TokenAdminRegistry is ITokenAdminRegistry, Ownable2Step {
  error ZeroAddressNotAllowed();
  error CanOnlySelfRegister(address caller, address token);
  error AlreadyRegistered(address token, address administrator);
  error OnlyAdministrator(address sender, address token);
  error OnlyPendingAdministrator(address sender, address token);
  error InvalidTokenPoolToken(address token, address poolToken);

  event AdministratorTransferRequested(address indexed token, address indexed currentAdmin, address indexed newAdmin);
  event AdministratorTransferred(address indexed token, address indexed newAdmin);
  event PoolSet(address indexed token, address indexed previousPool, address indexed newPool);

  struct TokenConfig {
    address administrator; // may set the pool and hand the role on
    address pendingAdministrator; // may accept the role
    address tokenPool; // the token's pool, address(0) when unregistered
  }

  mapping(address token => TokenConfig) internal s_tokenConfig;
  /// @dev Every token that ever had an administrator proposed, in first-proposal order.
  address[] internal s_tokens;
  mapping(address token => bool) internal s_isConfigured;

  constructor() Ownable2Step(msg.sender) {}

  /// @inheritdoc ITokenAdminRegistry
  function getPool(address token) external view returns (address) {
    return s_tokenConfig[token].tokenPool;
  }

  /// @notice The pools of `tokens`, address(0) for any without one.
  function getPools(address[] calldata tokens) external view returns (address[] memory pools) {
    pools = new address[](tokens.length);
    for (uint256 i = 0; i < tokens.length; ++i) {
      pools[i] = s_tokenConfig[tokens[i]].tokenPool;
    }
  }

  /// @notice Administrator, pending administrator and pool of `token`.
  function getTokenConfig(address token) external view returns (TokenConfig memory) {
    return s_tokenConfig[token];
  }

  /// @notice Whether `administrator` is `token`'s administrator.
  function isAdministrator(address token, address administrator) external view returns (bool) {
    return administrator != address(0) && s_tokenConfig[token].administrator == administrator;
  }

  /// @notice Up to `maxCount` configured tokens from `startIndex`; empty past the end.
  function getAllConfiguredTokens(uint64 startIndex, uint64 maxCount) external view returns (address[] memory tokens) {
    uint256 length = s_tokens.length;
    if (startIndex >= length) return new address[](0);
    uint256 count = length - startIndex;
    if (maxCount < count) count = maxCount;
    tokens = new address[](count);
    for (uint256 i = 0; i < count; ++i) {
      tokens[i] = s_tokens[startIndex + i];
    }
  }

  /// @notice Proposes the caller as `token`'s administrator. Only the address `token.owner()` returns.
  function registerAdminViaOwner(address token) external {
    if (_read(token, "owner()") != msg.sender) revert CanOnlySelfRegister(msg.sender, token);
    _propose(token, msg.sender);
  }

  /// @notice Proposes the caller as `token`'s administrator. Only the address `token.getCCIPAdmin()` returns.
  function registerAdminViaGetCCIPAdmin(address token) external {
    if (_read(token, "getCCIPAdmin()") != msg.sender) revert CanOnlySelfRegister(msg.sender, token);
    _propose(token, msg.sender);
  }

  /// @notice Proposes `administrator` for `token`. Only the registry owner.
  function proposeAdministrator(address token, address administrator) external onlyOwner {
    if (token == address(0) || administrator == address(0)) revert ZeroAddressNotAllowed();
    _propose(token, administrator);
  }

  /// @notice Takes up the administrator role of `token`. Only its pending administrator.
  function acceptAdminRole(address token) external {
    TokenConfig storage config = s_tokenConfig[token];
    if (msg.sender != config.pendingAdministrator) revert OnlyPendingAdministrator(msg.sender, token);
    config.administrator = msg.sender;
    config.pendingAdministrator = address(0);
    emit AdministratorTransferred(token, msg.sender);
  }

  /// @notice Proposes `newAdmin` (address(0): cancel a proposal) as `token`'s administrator. Only its
  /// administrator, who stays in charge until `newAdmin` accepts.
  function transferAdminRole(address token, address newAdmin) external {
    TokenConfig storage config = s_tokenConfig[token];
    if (msg.sender != config.administrator) revert OnlyAdministrator(msg.sender, token);
    config.pendingAdministrator = newAdmin;
    emit AdministratorTransferRequested(token, msg.sender, newAdmin);
  }

  /// @notice Sets `token`'s pool; address(0) unregisters it. Only its administrator.
  function setPool(address token, address pool) external {
    TokenConfig storage config = s_tokenConfig[token];
    if (msg.sender != config.administrator) revert OnlyAdministrator(msg.sender, token);
    if (pool != address(0)) {
      address poolToken = IPool(pool).getToken();
      if (poolToken != token) revert InvalidTokenPoolToken(token, poolToken);
    }
    address previousPool = config.tokenPool;
    config.tokenPool = pool;
    if (previousPool != pool) emit PoolSet(token, previousPool, pool);
  }

  /// @dev A pending (not yet accepted) proposal may be replaced; an accepted administrator may not.
  function _propose(address token, address administrator) internal {
    TokenConfig storage config = s_tokenConfig[token];
    address current = config.administrator;
    if (current != address(0)) revert AlreadyRegistered(token, current);
    config.pendingAdministrator = administrator;
    if (!s_isConfigured[token]) {
      s_isConfigured[token] = true;
      s_tokens.push(token);
    }
    emit AdministratorTransferRequested(token, address(0), administrator);
  }

  /// @dev The address a no-argument getter of `token` returns, or address(0) when the call fails or
  /// returns anything but one clean address (tokens without the getter, EOAs, odd encodings).
  function _read(address token, string memory signature) internal view returns (address) {
    (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSignature(signature));
    if (!ok || ret.length != 32) return address(0);
    uint256 word = abi.decode(ret, (uint256));
    if (word >> 160 != 0) return address(0);
    return address(uint160(word));
  }
}
