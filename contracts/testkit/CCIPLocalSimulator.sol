// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRouterClient} from "../interfaces/IRouterClient.sol";
import {LaneProfile} from "../libraries/LaneProfile.sol";
import {RateLimiter} from "../libraries/RateLimiter.sol";
import {TokenPool} from "../pools/TokenPool.sol";
import {TokenAdminRegistry} from "../tokenAdminRegistry/TokenAdminRegistry.sol";
import {CCIPLocalLockReleasePoolDeployer} from "./CCIPLocalDeployers.sol";
import {CCIPLocalNetwork} from "./CCIPLocalNetwork.sol";
import {BurnMintERC677Helper, LinkToken, WETH9} from "./CCIPLocalSimulatorTokens.sol";

// Re-exported so a chainlink-local test keeps its import line: IRouterClient, WETH9, LinkToken and
// BurnMintERC677Helper all resolve through this file.

/// @title CCIPLocalSimulator
/// @notice Drop-in for chainlink-local's CCIPLocalSimulator on top of the real pipeline. One chain
/// (selector CHAIN_SELECTOR) whose Router is both source and destination: a LOOPBACK lane (OnRamp,
/// CommitStore, OffRamp from the chain to itself) in a CCIPLocalNetwork, each pool its own remote pool.
/// @dev As in chainlink-local, messages are free until `setFeesCharged(true)`, and the errors and
/// functions carry its names. Unlike chainlink-local, delivery is not synchronous: call `route()` after
/// `ccipSend` (the one line to add to a chainlink-local test; it works inside the test's own prank).
/// CCIP-BnM is the network's burn/mint token; CCIP-LnM is a BurnMintERC677Helper behind a lock/release
/// pool, like on testnets. Both have chainlink-local's BurnMintERC677Helper API.
contract CCIPLocalSimulator {
  /// @notice The caller is not the token's `owner()` (supportNewTokenViaOwner) or `getCCIPAdmin()`
  /// (supportNewTokenViaGetCCIPAdmin), or the token has no such getter. chainlink-local's name.
  error CCIPLocalSimulator__MsgSenderIsNotTokenOwner();
  /// @notice `account` lacks `role` on the AccessControl `token` (or the token has no `hasRole`).
  /// chainlink-local's name.
  error CCIPLocalSimulator__RequiredRoleNotFound(address account, bytes32 role, address token);
  /// @notice `token` already has a pool on the simulated chain.
  error TokenAlreadySupported(address token);

  /// @notice `token` can now cross the loopback lane through `pool`.
  event TokenSupported(address indexed token, address pool);

  /// @notice The simulated chain's selector (Ethereum Sepolia, as in chainlink-local).
  uint64 public constant CHAIN_SELECTOR = 16015286601757825753;
  /// @notice OpenZeppelin AccessControl's DEFAULT_ADMIN_ROLE.
  bytes32 public constant DEFAULT_ADMIN_ROLE = 0x00;

  CCIPLocalNetwork internal immutable i_network;
  address internal immutable i_router;
  address internal immutable i_arm;
  address internal immutable i_tokenAdminRegistry;
  address internal immutable i_wrappedNative;
  address internal immutable i_linkToken;
  address internal immutable i_ccipBnM;
  address internal immutable i_ccipLnM;

  address[] internal s_supportedTokens;

  /// @notice Deploys a one-chain network with its loopback lane, and CCIP-LnM with its lock/release pool.
  constructor() {
    CCIPLocalNetwork network = new CCIPLocalNetwork(0);
    network.addChain(CHAIN_SELECTOR);
    network.addLoopbackLane(CHAIN_SELECTOR);
    // chainlink-local's router charges nothing; setFeesCharged(true) brings the lane profile's fees back.
    network.setFeesCharged(CHAIN_SELECTOR, CHAIN_SELECTOR, false);
    CCIPLocalNetwork.Chain memory c = network.getChain(CHAIN_SELECTOR);
    i_network = network;
    i_router = c.router;
    i_arm = c.arm;
    i_tokenAdminRegistry = c.tokenAdminRegistry;
    i_wrappedNative = c.wrappedNative;
    i_linkToken = c.linkToken;
    i_ccipBnM = c.bnmToken;
    s_supportedTokens.push(c.bnmToken);
    emit TokenSupported(c.bnmToken, c.bnmPool);

    address lnm = address(new BurnMintERC677Helper("CCIP-LnM", "CCIP-LnM"));
    i_ccipLnM = lnm;
    _supportToken(lnm, c.tokenAdminRegistry, c.arm, c.router);
  }

  // ================================================================
  // │                 chainlink-local's interface                  │
  // ================================================================

  /// @notice The one chain's selector, its Router (as both source and destination) and its tokens.
  function configuration()
    external
    view
    returns (
      uint64 chainSelector_,
      IRouterClient sourceRouter_,
      IRouterClient destinationRouter_,
      WETH9 wrappedNative_,
      LinkToken linkToken_,
      BurnMintERC677Helper ccipBnM_,
      BurnMintERC677Helper ccipLnM_
    )
  {
    return (
      CHAIN_SELECTOR,
      IRouterClient(i_router),
      IRouterClient(i_router),
      WETH9(payable(i_wrappedNative)),
      LinkToken(i_linkToken),
      BurnMintERC677Helper(i_ccipBnM),
      BurnMintERC677Helper(i_ccipLnM)
    );
  }

  /// @notice Mints `amount` LINK to `to` (the network owns LINK and mints it on request).
  function requestLinkFromFaucet(address to, uint256 amount) external returns (bool success) {
    i_network.fundLink(CHAIN_SELECTOR, to, amount);
    return true;
  }

  /// @notice Tokens with a pool on the chain; empty for any other selector.
  function getSupportedTokens(uint64 chainSelector) external view returns (address[] memory tokens) {
    if (!isChainSupported(chainSelector)) return new address[](0);
    return s_supportedTokens;
  }

  /// @notice Whether `chainSelector` is the simulated chain.
  function isChainSupported(uint64 chainSelector) public pure returns (bool supported) {
    return chainSelector == CHAIN_SELECTOR;
  }

  /// @notice Gives `tokenAddress` a lock/release pool on the loopback lane. Only `tokenAddress.owner()`.
  function supportNewTokenViaOwner(address tokenAddress) external {
    if (_read(tokenAddress, "owner()") != msg.sender) revert CCIPLocalSimulator__MsgSenderIsNotTokenOwner();
    _supportToken(tokenAddress, i_tokenAdminRegistry, i_arm, i_router);
  }

  /// @notice Gives `tokenAddress` a lock/release pool on the loopback lane. Only `tokenAddress.getCCIPAdmin()`.
  function supportNewTokenViaGetCCIPAdmin(address tokenAddress) external {
    if (_read(tokenAddress, "getCCIPAdmin()") != msg.sender) revert CCIPLocalSimulator__MsgSenderIsNotTokenOwner();
    _supportToken(tokenAddress, i_tokenAdminRegistry, i_arm, i_router);
  }

  /// @notice Gives `tokenAddress` a lock/release pool on the loopback lane. Only an account holding
  /// DEFAULT_ADMIN_ROLE on the token (OpenZeppelin AccessControl's `hasRole`).
  function supportNewTokenViaAccessControlDefaultAdmin(address tokenAddress) external {
    (bool ok, bytes memory ret) =
      tokenAddress.staticcall(abi.encodeWithSignature("hasRole(bytes32,address)", DEFAULT_ADMIN_ROLE, msg.sender));
    if (!ok || ret.length != 32 || abi.decode(ret, (uint256)) != 1) {
      revert CCIPLocalSimulator__RequiredRoleNotFound(msg.sender, DEFAULT_ADMIN_ROLE, tokenAddress);
    }
    _supportToken(tokenAddress, i_tokenAdminRegistry, i_arm, i_router);
  }

  // ================================================================
  // │                          Delivery                            │
  // ================================================================

  /// @notice Commits, blesses and executes every pending message: call it after `ccipSend`, inside or
  /// outside the test's prank (the test's prank is still in force afterwards).
  function route() external returns (CCIPLocalNetwork.Outcome[] memory) {
    return i_network.route();
  }

  // ================================================================
  // │                             Fees                             │
  // ================================================================

  /// @notice Whether `ccipSend` charges fees. False at deployment (chainlink-local's router is free);
  /// true charges the kit's lane profile fees in LINK or native, as CCIPLocalNetwork lanes do.
  function setFeesCharged(bool charged) external {
    i_network.setFeesCharged(CHAIN_SELECTOR, CHAIN_SELECTOR, charged);
  }

  /// @notice The CCIPLocalNetwork underneath, for everything else (manual execution, curses, lanes).
  function getNetwork() external view returns (CCIPLocalNetwork) {
    return i_network;
  }

  // ================================================================
  // │                          Internals                           │
  // ================================================================

  /// @dev Lock/release works for any ERC20 without mint rights, and on a loopback lane the pool releases
  /// exactly what it locked, so it needs no liquidity.
  function _supportToken(address token, address registry, address arm, address router) internal {
    if (TokenAdminRegistry(registry).getPool(token) != address(0)) revert TokenAlreadySupported(token);
    address pool = CCIPLocalLockReleasePoolDeployer.deployLockReleasePool(token, arm, router);
    RateLimiter.Config memory limit = LaneProfile.poolRateLimiterConfig();
    TokenPool.ChainUpdate[] memory updates = new TokenPool.ChainUpdate[](1);
    updates[0] = TokenPool.ChainUpdate({
      remoteChainSelector: CHAIN_SELECTOR,
      allowed: true,
      remotePoolAddress: pool,
      remoteTokenAddress: token,
      outboundRateLimiterConfig: limit,
      inboundRateLimiterConfig: limit
    });
    TokenPool(pool).applyChainUpdates(updates);
    // The network owns the registry; the simulator then administers the token it registers.
    i_network.proposeTokenAdministrator(CHAIN_SELECTOR, token, address(this));
    TokenAdminRegistry(registry).acceptAdminRole(token);
    TokenAdminRegistry(registry).setPool(token, pool);
    s_supportedTokens.push(token);
    emit TokenSupported(token, pool);
  }

  /// @dev The address a no-argument getter returns, or address(0) if the call fails or returns junk.
  function _read(address token, string memory signature) internal view returns (address value) {
    (bool ok, bytes memory ret) = token.staticcall(abi.encodeWithSignature(signature));
    if (!ok || ret.length != 32) return address(0);
    uint256 word = abi.decode(ret, (uint256));
    if (word > type(uint160).max) return address(0);
    return address(uint160(word));
  }
}
