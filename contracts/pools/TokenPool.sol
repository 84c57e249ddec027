// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {Ownable2Step} from "../access/Ownable2Step.sol";
import {IARM} from "../interfaces/IARM.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {IPool} from "../interfaces/IPool.sol";
import {IRouter} from "../interfaces/IRouter.sol";
import {AddressSet} from "../libraries/AddressSet.sol";
import {RateLimiter} from "../libraries/RateLimiter.sol";

/// @title TokenPool
/// @notice Base of every token pool: one token, a set of remote chains each with its remote pool,
/// remote token and an outbound and inbound rate limit, an optional sender allowlist, and the checks
/// every lockOrBurn/releaseOrMint must pass. Concrete pools only say how tokens leave and arrive.
/// @dev Amounts crossing chains are in the SOURCE token's units. The source pool hands its token's
/// decimals to the destination pool as `destPoolData` (abi.encode(uint8)); the destination converts
/// to its own decimals before rate limiting and paying out. Rate limits are always in local units.
abstract contract TokenPool is IPool, Ownable2Step {
  using AddressSet for AddressSet.Set;
  using RateLimiter for RateLimiter.TokenBucket;

  error ZeroAddressNotAllowed();
  error InvalidDecimalArgs(uint8 expected, uint8 actual);
  error InvalidToken(address token);
  error ChainNotAllowed(uint64 remoteChainSelector);
  error CursedByARM();
  error CallerIsNotARampOnRouter(address caller);
  error SenderNotAllowed(address sender);
  error AllowListNotEnabled();
  error ChainAlreadyExists(uint64 remoteChainSelector);
  error NonExistentChain(uint64 remoteChainSelector);
  error InvalidSourcePoolAddress(address sourcePoolAddress);
  error Unauthorized(address caller);
  error InvalidRemoteChainDecimals(bytes sourcePoolData);
  error OverflowDetected(uint8 remoteDecimals, uint8 localDecimals, uint256 remoteAmount);

  event Locked(uint64 indexed remoteChainSelector, address indexed sender, uint256 amount);
  event Burned(uint64 indexed remoteChainSelector, address indexed sender, uint256 amount);
  event Released(uint64 indexed remoteChainSelector, address indexed sender, address indexed recipient, uint256 amount);
  event Minted(uint64 indexed remoteChainSelector, address indexed sender, address indexed recipient, uint256 amount);
  event ChainAdded(
    uint64 remoteChainSelector,
    address remotePoolAddress,
    address remoteTokenAddress,
    RateLimiter.Config outboundRateLimiterConfig,
    RateLimiter.Config inboundRateLimiterConfig
  );
  event ChainConfigured(
    uint64 remoteChainSelector,
    RateLimiter.Config outboundRateLimiterConfig,
    RateLimiter.Config inboundRateLimiterConfig
  );
  event ChainRemoved(uint64 remoteChainSelector);
  event RemotePoolSet(uint64 indexed remoteChainSelector, address previousPoolAddress, address remotePoolAddress);
  event AllowListAdd(address sender);
  event AllowListRemove(address sender);
  event RouterUpdated(address oldRouter, address newRouter);
  event RateLimitAdminSet(address rateLimitAdmin);

  /// @notice One entry of `applyChainUpdates`: `allowed` adds the chain (all fields used), otherwise
  /// removes it (only the selector is read).
  struct ChainUpdate {
    uint64 remoteChainSelector;
    bool allowed;
    address remotePoolAddress;
    address remoteTokenAddress;
    RateLimiter.Config outboundRateLimiterConfig;
    RateLimiter.Config inboundRateLimiterConfig;
  }

  /// @dev A chain is supported iff both addresses are non-zero; adding enforces it, removing deletes
  /// the whole struct, so either address alone serves as the "supported" flag on the hot paths.
  struct RemoteChainConfig {
    RateLimiter.TokenBucket outboundRateLimiterConfig;
    RateLimiter.TokenBucket inboundRateLimiterConfig;
    address remotePoolAddress;
    address remoteTokenAddress;
  }

  IERC20 internal immutable i_token;
  uint8 internal immutable i_tokenDecimals;
  IARM internal immutable i_arm;
  /// @dev Fixed at construction: a pool that starts open cannot later be closed to everyone by surprise.
  bool internal immutable i_allowlistEnabled;

  IRouter internal s_router;
  address internal s_rateLimitAdmin;

  mapping(uint64 remoteChainSelector => RemoteChainConfig) internal s_remoteChainConfigs;
  uint64[] internal s_supportedChains;

  AddressSet.Set internal s_allowList;

  /// @param token The pool's token.
  /// @param localTokenDecimals The token's decimals; checked against `decimals()` when the token has it.
  /// @param allowlist Initial allowed senders; a non-empty list turns the allowlist on for good.
  /// @param arm The risk management contract.
  /// @param router The Router whose ramps may call the pool.
  constructor(IERC20 token, uint8 localTokenDecimals, address[] memory allowlist, address arm, address router)
    Ownable2Step(msg.sender)
  {
    if (address(token) == address(0) || arm == address(0) || router == address(0)) revert ZeroAddressNotAllowed();
    // Tokens without decimals() are accepted on the deployer's word.
    (bool ok, bytes memory ret) = address(token).staticcall(abi.encodeWithSignature("decimals()"));
    if (ok && ret.length == 32) {
      uint256 actual = abi.decode(ret, (uint256));
      if (actual != localTokenDecimals) revert InvalidDecimalArgs(localTokenDecimals, uint8(actual));
    }
    i_token = token;
    i_tokenDecimals = localTokenDecimals;
    i_arm = IARM(arm);
    s_router = IRouter(router);
    emit RouterUpdated(address(0), router);

    i_allowlistEnabled = allowlist.length > 0;
    if (allowlist.length > 0) _applyAllowListUpdates(new address[](0), allowlist);
  }

  // ================================================================
  // │                         Pool entry points                    │
  // ================================================================

  /// @notice Locks or burns tokens the Router already moved here. Only the Router's OnRamp for the
  /// destination chain.
  /// @return out The configured remote token and this token's decimals for the destination pool.
  function lockOrBurn(LockOrBurnIn calldata lockOrBurnIn) external returns (LockOrBurnOut memory out) {
    address remoteToken = _validateLockOrBurn(lockOrBurnIn);
    _lockOrBurn(lockOrBurnIn.remoteChainSelector, lockOrBurnIn.amount);
    return LockOrBurnOut({destTokenAddress: remoteToken, destPoolData: abi.encode(i_tokenDecimals)});
  }

  /// @notice Releases or mints the local equivalent of `amount` (source units) to the receiver.
  /// Only an OffRamp the Router registers for the source chain.
  /// @return out The amount in local units the receiver gets.
  function releaseOrMint(ReleaseOrMintIn calldata releaseOrMintIn) external returns (ReleaseOrMintOut memory out) {
    uint256 localAmount =
      _calculateLocalAmount(releaseOrMintIn.amount, _parseRemoteDecimals(releaseOrMintIn.sourcePoolData));
    _validateReleaseOrMint(releaseOrMintIn, localAmount);
    _releaseOrMint(releaseOrMintIn.remoteChainSelector, releaseOrMintIn.receiver, localAmount);
    return ReleaseOrMintOut({destinationAmount: localAmount});
  }

  /// @dev Moves `amount` out of circulation on this chain (lock or burn) and emits Locked/Burned.
  function _lockOrBurn(uint64 remoteChainSelector, uint256 amount) internal virtual;

  /// @dev Pays `amount` (local units) to `receiver` (release or mint) and emits Released/Minted.
  function _releaseOrMint(uint64 remoteChainSelector, address receiver, uint256 amount) internal virtual;

  /// @dev Every check of an outbound transfer, then takes `amount` from the outbound bucket.
  /// @return remoteToken The configured remote token (read once for the check and the output).
  function _validateLockOrBurn(LockOrBurnIn calldata lockOrBurnIn) internal virtual returns (address remoteToken) {
    if (lockOrBurnIn.localToken != address(i_token)) revert InvalidToken(lockOrBurnIn.localToken);
    uint64 remoteChainSelector = lockOrBurnIn.remoteChainSelector;
    RemoteChainConfig storage config = s_remoteChainConfigs[remoteChainSelector];
    remoteToken = config.remoteTokenAddress;
    if (remoteToken == address(0)) revert ChainNotAllowed(remoteChainSelector);
    if (i_arm.isCursed(bytes16(uint128(remoteChainSelector)))) revert CursedByARM();
    if (msg.sender != s_router.getOnRamp(remoteChainSelector)) revert CallerIsNotARampOnRouter(msg.sender);
    if (i_allowlistEnabled && !s_allowList.contains(lockOrBurnIn.originalSender)) {
      revert SenderNotAllowed(lockOrBurnIn.originalSender);
    }
    config.outboundRateLimiterConfig._consume(lockOrBurnIn.amount, address(i_token));
  }

  /// @dev Every check of an inbound transfer, then takes `localAmount` from the inbound bucket.
  /// Overrides (e.g. attestation) call super first.
  function _validateReleaseOrMint(ReleaseOrMintIn calldata releaseOrMintIn, uint256 localAmount) internal virtual {
    if (releaseOrMintIn.localToken != address(i_token)) revert InvalidToken(releaseOrMintIn.localToken);
    uint64 remoteChainSelector = releaseOrMintIn.remoteChainSelector;
    RemoteChainConfig storage config = s_remoteChainConfigs[remoteChainSelector];
    address remotePool = config.remotePoolAddress;
    if (remotePool == address(0)) revert ChainNotAllowed(remoteChainSelector);
    if (i_arm.isCursed(bytes16(uint128(remoteChainSelector)))) revert CursedByARM();
    if (!s_router.isOffRamp(remoteChainSelector, msg.sender)) revert CallerIsNotARampOnRouter(msg.sender);
    if (releaseOrMintIn.sourcePoolAddress != remotePool) {
      revert InvalidSourcePoolAddress(releaseOrMintIn.sourcePoolAddress);
    }
    config.inboundRateLimiterConfig._consume(localAmount, address(i_token));
  }

  /// @dev The source token's decimals from `sourcePoolData`; empty data means "same as ours".
  function _parseRemoteDecimals(bytes calldata sourcePoolData) internal view returns (uint8) {
    if (sourcePoolData.length == 0) return i_tokenDecimals;
    if (sourcePoolData.length != 32) revert InvalidRemoteChainDecimals(sourcePoolData);
    uint256 remoteDecimals = abi.decode(sourcePoolData, (uint256));
    if (remoteDecimals > type(uint8).max) revert InvalidRemoteChainDecimals(sourcePoolData);
    return uint8(remoteDecimals);
  }

  /// @dev `remoteAmount` scaled from `remoteDecimals` to ours. Scaling down rounds toward zero (dust
  /// stays locked/burned on the source); scaling up reverts rather than overflow.
  function _calculateLocalAmount(uint256 remoteAmount, uint8 remoteDecimals) internal view returns (uint256) {
    uint8 localDecimals = i_tokenDecimals;
    if (remoteDecimals == localDecimals) return remoteAmount;
    if (remoteDecimals > localDecimals) {
      uint256 down = remoteDecimals - localDecimals;
      // 10**78 overflows uint256; anything that large divides every amount to zero anyway.
      if (down > 77) revert OverflowDetected(remoteDecimals, localDecimals, remoteAmount);
      return remoteAmount / 10 ** down;
    }
    uint256 up = localDecimals - remoteDecimals;
    if (up > 77) revert OverflowDetected(remoteDecimals, localDecimals, remoteAmount);
    uint256 factor = 10 ** up;
    if (remoteAmount > type(uint256).max / factor) {
      revert OverflowDetected(remoteDecimals, localDecimals, remoteAmount);
    }
    return remoteAmount * factor;
  }

  // ================================================================
  // │                         Chain config                         │
  // ================================================================

  /// @notice Adds and removes remote chains. Only the owner.
  /// @dev New buckets start full so a freshly added lane can carry `capacity` at once.
  function applyChainUpdates(ChainUpdate[] calldata chains) external onlyOwner {
    for (uint256 i = 0; i < chains.length; ++i) {
      ChainUpdate calldata update = chains[i];
      uint64 selector = update.remoteChainSelector;
      RemoteChainConfig storage config = s_remoteChainConfigs[selector];
      if (update.allowed) {
        if (config.remotePoolAddress != address(0)) revert ChainAlreadyExists(selector);
        if (update.remotePoolAddress == address(0) || update.remoteTokenAddress == address(0)) {
          revert ZeroAddressNotAllowed();
        }
        RateLimiter._validateTokenBucketConfig(update.outboundRateLimiterConfig, false);
        RateLimiter._validateTokenBucketConfig(update.inboundRateLimiterConfig, false);
        config.outboundRateLimiterConfig = _fullBucket(update.outboundRateLimiterConfig);
        config.inboundRateLimiterConfig = _fullBucket(update.inboundRateLimiterConfig);
        config.remotePoolAddress = update.remotePoolAddress;
        config.remoteTokenAddress = update.remoteTokenAddress;
        s_supportedChains.push(selector);
        emit ChainAdded(
          selector,
          update.remotePoolAddress,
          update.remoteTokenAddress,
          update.outboundRateLimiterConfig,
          update.inboundRateLimiterConfig
        );
      } else {
        if (config.remotePoolAddress == address(0)) revert NonExistentChain(selector);
        delete s_remoteChainConfigs[selector];
        uint256 last = s_supportedChains.length - 1;
        for (uint256 j = 0; j <= last; ++j) {
          if (s_supportedChains[j] == selector) {
            s_supportedChains[j] = s_supportedChains[last];
            s_supportedChains.pop();
            break;
          }
        }
        emit ChainRemoved(selector);
      }
    }
  }

  /// @notice Reconfigures both rate limits of a chain. Only the owner or the rate limit admin.
  /// @dev The bucket keeps what it earned under the old config, clamped to the new capacity.
  function setChainRateLimiterConfig(
    uint64 remoteChainSelector,
    RateLimiter.Config calldata outboundConfig,
    RateLimiter.Config calldata inboundConfig
  ) external {
    if (msg.sender != s_rateLimitAdmin && msg.sender != owner()) {
      revert Unauthorized(msg.sender);
    }
    RemoteChainConfig storage config = s_remoteChainConfigs[remoteChainSelector];
    if (config.remotePoolAddress == address(0)) revert NonExistentChain(remoteChainSelector);
    RateLimiter._validateTokenBucketConfig(outboundConfig, false);
    RateLimiter._validateTokenBucketConfig(inboundConfig, false);
    config.outboundRateLimiterConfig._setTokenBucketConfig(outboundConfig);
    config.inboundRateLimiterConfig._setTokenBucketConfig(inboundConfig);
    emit ChainConfigured(remoteChainSelector, outboundConfig, inboundConfig);
  }

  /// @notice Points a chain at a new remote pool (e.g. after a pool upgrade there). Only the owner.
  function setRemotePool(uint64 remoteChainSelector, address remotePoolAddress) external onlyOwner {
    if (remotePoolAddress == address(0)) revert ZeroAddressNotAllowed();
    RemoteChainConfig storage config = s_remoteChainConfigs[remoteChainSelector];
    address previous = config.remotePoolAddress;
    if (previous == address(0)) revert NonExistentChain(remoteChainSelector);
    config.remotePoolAddress = remotePoolAddress;
    emit RemotePoolSet(remoteChainSelector, previous, remotePoolAddress);
  }

  /// @notice Sets who, besides the owner, may change rate limits (address(0): nobody). Only the owner.
  function setRateLimitAdmin(address rateLimitAdmin) external onlyOwner {
    s_rateLimitAdmin = rateLimitAdmin;
    emit RateLimitAdminSet(rateLimitAdmin);
  }

  /// @notice Moves the pool to another Router. Only the owner.
  function setRouter(address newRouter) external onlyOwner {
    if (newRouter == address(0)) revert ZeroAddressNotAllowed();
    address oldRouter = address(s_router);
    s_router = IRouter(newRouter);
    emit RouterUpdated(oldRouter, newRouter);
  }

  /// @notice Removes then adds allowed senders; duplicates and zero addresses are skipped. Only the
  /// owner, and only when the allowlist was enabled at construction.
  function applyAllowListUpdates(address[] calldata removes, address[] calldata adds) external onlyOwner {
    if (!i_allowlistEnabled) revert AllowListNotEnabled();
    _applyAllowListUpdates(removes, adds);
  }

  function _applyAllowListUpdates(address[] memory removes, address[] memory adds) internal {
    for (uint256 i = 0; i < removes.length; ++i) {
      if (s_allowList.remove(removes[i])) emit AllowListRemove(removes[i]);
    }
    for (uint256 i = 0; i < adds.length; ++i) {
      address sender = adds[i];
      if (sender != address(0) && s_allowList.add(sender)) emit AllowListAdd(sender);
    }
  }

  // ================================================================
  // │                             Views                            │
  // ================================================================

  /// @inheritdoc IPool
  function getToken() external view returns (address) {
    return address(i_token);
  }

  /// @notice The token's decimals, as handed to remote pools.
  function getTokenDecimals() external view returns (uint8) {
    return i_tokenDecimals;
  }

  /// @notice The risk management contract consulted for curses.
  function getArm() external view returns (address) {
    return address(i_arm);
  }

  /// @notice The Router whose ramps may call the pool.
  function getRouter() external view returns (address) {
    return address(s_router);
  }

  /// @inheritdoc IPool
  function isSupportedChain(uint64 remoteChainSelector) external view returns (bool) {
    return s_remoteChainConfigs[remoteChainSelector].remotePoolAddress != address(0);
  }

  /// @notice Every supported remote chain, in no particular order.
  function getSupportedChains() external view returns (uint64[] memory) {
    return s_supportedChains;
  }

  /// @notice The pool trusted on `remoteChainSelector`, or address(0).
  function getRemotePool(uint64 remoteChainSelector) external view returns (address) {
    return s_remoteChainConfigs[remoteChainSelector].remotePoolAddress;
  }

  /// @notice The token this pool's transfers become on `remoteChainSelector`, or address(0).
  function getRemoteToken(uint64 remoteChainSelector) external view returns (address) {
    return s_remoteChainConfigs[remoteChainSelector].remoteTokenAddress;
  }

  /// @notice The outbound bucket to `remoteChainSelector` as refilled now.
  function getCurrentOutboundRateLimiterState(uint64 remoteChainSelector)
    external
    view
    returns (RateLimiter.TokenBucket memory)
  {
    return RateLimiter._currentTokenBucketState(s_remoteChainConfigs[remoteChainSelector].outboundRateLimiterConfig);
  }

  /// @notice The inbound bucket from `remoteChainSelector` as refilled now.
  function getCurrentInboundRateLimiterState(uint64 remoteChainSelector)
    external
    view
    returns (RateLimiter.TokenBucket memory)
  {
    return RateLimiter._currentTokenBucketState(s_remoteChainConfigs[remoteChainSelector].inboundRateLimiterConfig);
  }

  /// @notice Who besides the owner may change rate limits.
  function getRateLimitAdmin() external view returns (address) {
    return s_rateLimitAdmin;
  }

  /// @notice The allowed senders, in no particular order.
  function getAllowList() external view returns (address[] memory) {
    return s_allowList.values;
  }

  /// @notice Whether only allowlisted senders may send.
  function getAllowListEnabled() external view returns (bool) {
    return i_allowlistEnabled;
  }

  function _fullBucket(RateLimiter.Config calldata config) private view returns (RateLimiter.TokenBucket memory) {
    return RateLimiter.TokenBucket({
      tokens: config.capacity,
      lastUpdated: uint32(block.timestamp),
      isEnabled: config.isEnabled,
      capacity: config.capacity,
      rate: config.rate
    });
  }
}
