// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {AggregateRateLimiter} from "../AggregateRateLimiter.sol";
import {Ownable2Step} from "../access/Ownable2Step.sol";
import {IARM} from "../interfaces/IARM.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {IEVM2AnyOnRamp} from "../interfaces/IEVM2AnyOnRamp.sol";
import {IPool} from "../interfaces/IPool.sol";
import {IPriceRegistry} from "../interfaces/IPriceRegistry.sol";
import {ITokenAdminRegistry} from "../interfaces/ITokenAdminRegistry.sol";
import {IWrappedNative} from "../interfaces/IWrappedNative.sol";
import {AddressSet} from "../libraries/AddressSet.sol";
import {Client} from "../libraries/Client.sol";
import {Internal} from "../libraries/Internal.sol";
import {RateLimiter} from "../libraries/RateLimiter.sol";
import {SafeTransfer} from "../libraries/SafeTransfer.sol";

/// @title OnRamp
/// @notice One outbound lane (this chain -> one destination chain): validates and prices messages from
/// the Router, hands tokens to their pools, numbers messages and emits them for the networks.
/// @dev Fee, all amounts in 1e18 USD ("USD wei") until the last step:
///   execGas   = gasLimit + destGasOverhead + data.length * destGasPerPayloadByte + sum(token destGasAmount)
///   daGas     = (MESSAGE_FIXED_BYTES + data.length + sum(TOKEN_FIXED_BYTES + token destBytesOverhead))
///               * destGasPerDataAvailabilityByte
///   gasUSD    = (execGas + daGas) * usdPerUnitGas(dest)
///   networkUSD = networkFeeUSDCents * 1e16
///   tokenUSD  = sum over tokens with an enabled transfer fee config of
///               clamp(amount * usdPerToken(token) / 1e18 * deciBps / 1e5, minFeeUSDCents * 1e16, maxFeeUSDCents * 1e16)
///   fee       = (gasUSD + networkUSD + tokenUSD) * premiumMultiplierWeiPerEth(feeToken) / usdPerToken(feeToken)
/// Prices follow the PriceRegistry convention (1e18 USD per 1e18 smallest units), so dividing 1e18 USD
/// by usdPerToken and multiplying by 1e18 gives smallest units; the premium's 1e18 cancels that 1e18.
/// Rounds down. Checked arithmetic: with realistic bounds (gas price < 1e24 USD-wei per gas, uint32 gas
/// fields) nothing overflows; absurd prices revert rather than wrap.
/// Aggregate rate limit (AggregateRateLimiter): the USD value of each message's tokens is taken from the
/// lane's bucket before any pool is called; messages without tokens never touch it.
contract OnRamp is IEVM2AnyOnRamp, AggregateRateLimiter {
  using AddressSet for AddressSet.Set;
  using SafeTransfer for IERC20;

  error MustBeCalledByRouter();
  error RouterMustSetOriginalSender();
  error CursedByARM();
  error InvalidDestChainSelector(uint64 destChainSelector);
  error InvalidEVMAddress(bytes encodedAddress);
  error MessageTooLarge(uint256 maxSize, uint256 actualSize);
  error MessageGasLimitTooHigh(uint256 maxGasLimit, uint256 gasLimit);
  error InvalidExtraArgsTag();
  error MalformedExtraArgs(bytes4 tag, uint256 length);
  error ExtraArgOutOfOrderExecutionMustBeTrue();
  error NotAFeeToken(address token);
  error InsufficientFeeTokenAmount();
  error UnsupportedNumberOfTokens(uint256 maxNumberOfTokens, uint256 numberOfTokens);
  error CannotSendZeroTokens();
  error UnsupportedToken(address token);
  error SourceTokenDataTooLarge(address token);
  error InvalidConfig();
  error InvalidTokenTransferFeeConfig(address token);

  /// @notice Everything the networks need to rebuild the leaf; `messageId` is its hash.
  /// @param feeTokenAmount What the sender paid: the fee for token fees, the whole msg.value for native.
  event CCIPSendRequested(
    uint64 indexed sequenceNumber, Internal.EVM2EVMMessage message, address feeToken, uint256 feeTokenAmount
  );
  event DynamicConfigSet(DynamicConfig dynamicConfig);
  event FeeTokenConfigSet(address indexed token, bool enabled, uint64 premiumMultiplierWeiPerEth);
  event TokenTransferFeeConfigSet(address indexed token, TokenTransferFeeConfig config);
  event TokenTransferFeeConfigDeleted(address indexed token);
  event FeesWithdrawn(address indexed feeToken, address indexed to, uint256 amount);

  struct StaticConfig {
    uint64 sourceChainSelector;
    uint64 destChainSelector;
    address router;
    address priceRegistry;
    address arm;
    address tokenAdminRegistry;
  }

  struct DynamicConfig {
    uint32 maxDataBytes; // max message.data length
    uint32 maxPerMsgGasLimit; // max receiver gas limit
    uint32 defaultTxGasLimit; // receiver gas limit when extraArgs is empty
    uint16 maxNumberOfTokensPerMsg;
    uint32 destGasOverhead; // destination gas per message besides the receiver call
    uint16 destGasPerPayloadByte; // destination execution gas per data byte
    uint16 destGasPerDataAvailabilityByte; // gas-priced cost per byte posted (0 on L1 destinations)
    uint16 networkFeeUSDCents; // flat fee per message
    uint32 defaultTokenDestGasOverhead; // destination pool gas for tokens without a transfer fee config
    bool enforceOutOfOrder; // every message must be out-of-order (no nonce)
  }

  struct FeeTokenConfig {
    bool enabled;
    uint64 premiumMultiplierWeiPerEth; // 1e18 = no premium
  }

  struct FeeTokenConfigArgs {
    address token;
    bool enabled;
    uint64 premiumMultiplierWeiPerEth;
  }

  struct TokenTransferFeeConfig {
    uint32 minFeeUSDCents;
    uint32 maxFeeUSDCents;
    uint16 deciBps; // 1 = 0.001%
    uint32 destGasOverhead; // destination pool gas; also the message's destGasAmount for this token
    uint32 destBytesOverhead; // max destPoolData length, priced as data-availability bytes
    bool isEnabled;
  }

  struct TokenTransferFeeConfigArgs {
    address token;
    TokenTransferFeeConfig config;
  }

  /// @dev The sequence number and the lane's message parameters (the source of truth of getDynamicConfig),
  /// one slot. Token-only fields live in s_tokenLaneConfig.
  struct LaneState {
    uint64 sequenceNumber;
    uint32 maxDataBytes;
    uint32 maxPerMsgGasLimit;
    uint32 defaultTxGasLimit;
    uint32 destGasOverhead;
    uint16 destGasPerPayloadByte;
    uint16 destGasPerDataAvailabilityByte;
    uint16 networkFeeUSDCents;
    bool enforceOutOfOrder;
  }

  /// @dev What pricing a message in one fee token reads, in one slot (256 bits): the token's FeeTokenConfig
  /// and a copy of the lane's message parameters (LaneState without the sequence number). A quote is one
  /// SLOAD here instead of two (lane, fee token); a send still reads the sequence number's slot, which it
  /// writes anyway. setDynamicConfig rewrites the copies of every enabled fee token (owner-only, rare).
  struct FeeTokenLane {
    bool enabled;
    uint64 premiumMultiplierWeiPerEth;
    uint32 maxDataBytes;
    uint32 maxPerMsgGasLimit;
    uint32 defaultTxGasLimit;
    uint32 destGasOverhead;
    uint16 destGasPerPayloadByte;
    uint16 destGasPerDataAvailabilityByte;
    uint16 networkFeeUSDCents;
    bool enforceOutOfOrder;
  }

  struct TokenLaneConfig {
    uint16 maxNumberOfTokensPerMsg;
    uint32 defaultTokenDestGasOverhead;
    // Mirror of s_rateLimiter.isEnabled: this slot is already warm when tokens are sent, the bucket's is not.
    bool aggregateRateLimitEnabled;
  }

  /// @dev ABI size of a message's fixed fields in an execution report, priced as data availability.
  uint256 internal constant MESSAGE_FIXED_BYTES = 32 * 14;
  /// @dev ABI size of one TokenTransfer's fixed fields (5 words, offset, extraData length).
  uint256 internal constant TOKEN_FIXED_BYTES = 32 * 7;
  /// @dev destPoolData size allowed (and priced) for tokens without a transfer fee config.
  uint32 internal constant DEFAULT_TOKEN_DEST_BYTES_OVERHEAD = 32;

  uint64 internal immutable i_sourceChainSelector;
  uint64 internal immutable i_destChainSelector;
  address internal immutable i_router;
  IPriceRegistry internal immutable i_priceRegistry;
  IARM internal immutable i_arm;
  ITokenAdminRegistry internal immutable i_tokenAdminRegistry;
  bytes32 internal immutable i_metadataHash;

  LaneState internal s_lane;
  TokenLaneConfig internal s_tokenLaneConfig;
  mapping(address sender => uint64 nonce) internal s_senderNonce;
  mapping(address token => FeeTokenLane) internal s_feeTokenLanes;
  /// @dev The fee tokens whose s_feeTokenLanes copy setDynamicConfig keeps current.
  AddressSet.Set internal s_enabledFeeTokens;
  mapping(address token => TokenTransferFeeConfig) internal s_tokenTransferFeeConfig;

  constructor(
    StaticConfig memory staticConfig,
    DynamicConfig memory dynamicConfig,
    FeeTokenConfigArgs[] memory feeTokenConfigs
  ) Ownable2Step(msg.sender) {
    if (
      staticConfig.sourceChainSelector == 0 || staticConfig.destChainSelector == 0 || staticConfig.router == address(0)
        || staticConfig.priceRegistry == address(0) || staticConfig.arm == address(0)
        || staticConfig.tokenAdminRegistry == address(0)
    ) revert InvalidConfig();
    i_sourceChainSelector = staticConfig.sourceChainSelector;
    i_destChainSelector = staticConfig.destChainSelector;
    i_router = staticConfig.router;
    i_priceRegistry = IPriceRegistry(staticConfig.priceRegistry);
    i_arm = IARM(staticConfig.arm);
    i_tokenAdminRegistry = ITokenAdminRegistry(staticConfig.tokenAdminRegistry);
    i_metadataHash =
      Internal._metadataHash(staticConfig.sourceChainSelector, staticConfig.destChainSelector, address(this));
    _setDynamicConfig(dynamicConfig);
    _applyFeeTokenConfigUpdates(feeTokenConfigs);
  }

  // ================================================================
  // |                          Messages                            |
  // ================================================================

  /// @inheritdoc IEVM2AnyOnRamp
  function forwardFromRouter(
    uint64 destChainSelector,
    Client.EVM2AnyMessage calldata message,
    address feeToken,
    uint256 feeTokenAmount,
    address originalSender
  ) external payable override returns (bytes32, uint256 fee) {
    if (msg.sender != i_router) revert MustBeCalledByRouter();
    if (originalSender == address(0)) revert RouterMustSetOriginalSender();
    // Here and not in _validateAndPrice: a cursed lane refuses sends, not quotes (see getFee).
    if (i_arm.isCursed(bytes16(uint128(i_destChainSelector)))) revert CursedByARM();

    Internal.EVM2EVMMessage memory newMessage;
    bool allowOutOfOrder;
    (fee, allowOutOfOrder) = _validateAndPrice(destChainSelector, message, feeToken, newMessage);
    if (fee > feeTokenAmount) revert InsufficientFeeTokenAmount();
    // A native fee arrives as msg.value, with feeToken the Router's wrapped native token: wrapped here, where
    // the fees stay, in one step (no intermediate wrapped balance anywhere).
    if (msg.value != 0) IWrappedNative(feeToken).deposit{value: msg.value}();

    if (newMessage.tokenAmounts.length != 0) {
      _beforeLockOrBurn(message.tokenAmounts);
      _lockOrBurn(newMessage.tokenAmounts, message, originalSender);
    }

    // Numbered only after the pool calls: a pool re-entering ccipSend gets its message fully numbered
    // and emitted first, so events always appear in sequence order.
    uint64 sequenceNumber = ++s_lane.sequenceNumber;
    newMessage.sourceChainSelector = i_sourceChainSelector;
    newMessage.sequenceNumber = sequenceNumber;
    if (!allowOutOfOrder) newMessage.nonce = ++s_senderNonce[originalSender];
    newMessage.sender = originalSender;
    newMessage.data = message.data;
    newMessage.messageId = Internal._hash(newMessage, i_metadataHash);

    emit CCIPSendRequested(
      sequenceNumber, newMessage, feeToken, feeTokenAmount == type(uint256).max ? fee : feeTokenAmount
    );
    return (newMessage.messageId, fee);
  }

  /// @inheritdoc IEVM2AnyOnRamp
  /// @dev Runs the same validation as forwardFromRouter except the caller checks and the ARM curse
  /// check, so a quote that succeeds means the send would not be refused for the message's shape.
  /// No curse check on purpose, as in Chainlink CCIP 1.5's OnRamp.getFee: a quote moves no value, and
  /// forwardFromRouter, the only way a message leaves, still refuses a cursed lane. The check would
  /// cost every quote a cold call to the ARM (~5k gas) only to fail early what ccipSend fails anyway;
  /// a client that wants to know whether the lane is open asks the ARM (isCursed) directly.
  function getFee(uint64 destChainSelector, Client.EVM2AnyMessage calldata message)
    external
    view
    override
    returns (uint256 fee)
  {
    Internal.EVM2EVMMessage memory newMessage;
    (fee,) = _validateAndPrice(destChainSelector, message, message.feeToken, newMessage);
  }

  /// @inheritdoc IEVM2AnyOnRamp
  function getPoolBySourceToken(uint64 destChainSelector, address sourceToken)
    external
    view
    override
    returns (address)
  {
    if (destChainSelector != i_destChainSelector) revert InvalidDestChainSelector(destChainSelector);
    return i_tokenAdminRegistry.getPool(sourceToken);
  }

  /// @dev Validates `message` and prices it in `feeToken`. Fills newMessage's receiver, gasLimit and
  /// tokenAmounts (each with sourcePoolAddress, amount and destGasAmount).
  function _validateAndPrice(
    uint64 destChainSelector,
    Client.EVM2AnyMessage calldata message,
    address feeToken,
    Internal.EVM2EVMMessage memory newMessage
  ) internal view returns (uint256 fee, bool allowOutOfOrder) {
    if (destChainSelector != i_destChainSelector) {
      revert InvalidDestChainSelector(destChainSelector);
    }

    FeeTokenLane memory lane = s_feeTokenLanes[feeToken];
    // First: a disabled token's copy of the lane parameters is not kept current.
    if (!lane.enabled) revert NotAFeeToken(feeToken);
    newMessage.receiver = _validateReceiver(message.receiver);
    if (message.data.length > lane.maxDataBytes) revert MessageTooLarge(lane.maxDataBytes, message.data.length);
    (newMessage.gasLimit, allowOutOfOrder) = _parseExtraArgs(message.extraArgs, lane);
    fee = _price(lane, message, feeToken, newMessage);
  }

  function _price(
    FeeTokenLane memory lane,
    Client.EVM2AnyMessage calldata message,
    address feeToken,
    Internal.EVM2EVMMessage memory newMessage
  ) internal view returns (uint256) {
    (uint224 feeTokenPrice, uint224 gasPrice) = i_priceRegistry.getTokenAndGasPrices(feeToken, i_destChainSelector);

    uint256 tokenFeeUSD;
    uint256 tokenGas;
    uint256 tokenBytes;
    // Data-only messages keep the default empty tokenAmounts.
    if (message.tokenAmounts.length != 0) {
      (newMessage.tokenAmounts, tokenFeeUSD, tokenGas, tokenBytes) =
        _processTokens(message.tokenAmounts, feeToken, feeTokenPrice);
    }

    return _computeFee(
      lane, newMessage.gasLimit, message.data.length, tokenGas, tokenBytes, tokenFeeUSD, gasPrice, feeTokenPrice
    );
  }

  /// @dev The fee formula of the contract NatSpec; pure so tests can pin it down.
  function _computeFee(
    FeeTokenLane memory lane,
    uint256 gasLimit,
    uint256 dataLength,
    uint256 tokenGas,
    uint256 tokenBytes,
    uint256 tokenFeeUSD,
    uint256 gasPrice,
    uint256 feeTokenPrice
  ) internal pure returns (uint256) {
    uint256 gasUnits;
    // Unchecked: callers bound gasLimit and dataLength by uint32 config values and tokenGas and tokenBytes by
    // uint16 tokens of uint32 values, so with uint16 per-byte factors the sum stays below 2**70.
    unchecked {
      gasUnits = gasLimit + lane.destGasOverhead + dataLength * lane.destGasPerPayloadByte + tokenGas
        + (MESSAGE_FIXED_BYTES + dataLength + tokenBytes) * lane.destGasPerDataAvailabilityByte;
    }
    uint256 totalUSD = gasUnits * gasPrice + uint256(lane.networkFeeUSDCents) * 1e16 + tokenFeeUSD;
    return totalUSD * lane.premiumMultiplierWeiPerEth / feeTokenPrice;
  }

  /// @dev Checks count, amounts and pools; sums the token part of the fee. Only for messages with tokens.
  function _processTokens(Client.EVMTokenAmount[] calldata tokenAmounts, address feeToken, uint224 feeTokenPrice)
    internal
    view
    returns (Internal.TokenTransfer[] memory tokenTransfers, uint256 feeUSD, uint256 gas, uint256 bytesOverhead)
  {
    uint256 numTokens = tokenAmounts.length;
    tokenTransfers = new Internal.TokenTransfer[](numTokens);

    TokenLaneConfig memory tokenLane = s_tokenLaneConfig;
    if (numTokens > tokenLane.maxNumberOfTokensPerMsg) {
      revert UnsupportedNumberOfTokens(tokenLane.maxNumberOfTokensPerMsg, numTokens);
    }
    for (uint256 i; i < numTokens; ++i) {
      Internal.TokenTransfer memory tokenTransfer = tokenTransfers[i];
      (uint256 tokenFeeUSD, uint256 tokenBytes) =
        _processToken(tokenAmounts[i], feeToken, feeTokenPrice, tokenLane.defaultTokenDestGasOverhead, tokenTransfer);
      feeUSD += tokenFeeUSD;
      bytesOverhead += tokenBytes;
      gas += tokenTransfer.destGasAmount;
    }
  }

  /// @dev Fills tokenTransfer's pool, amount and destGasAmount; returns its USD fee and priced bytes.
  function _processToken(
    Client.EVMTokenAmount calldata tokenAmount,
    address feeToken,
    uint224 feeTokenPrice,
    uint32 defaultTokenDestGasOverhead,
    Internal.TokenTransfer memory tokenTransfer
  ) internal view returns (uint256 feeUSD, uint256 bytesOverhead) {
    address token = tokenAmount.token;
    uint256 amount = tokenAmount.amount;
    if (amount == 0) revert CannotSendZeroTokens();
    address pool = i_tokenAdminRegistry.getPool(token);
    if (pool == address(0)) revert UnsupportedToken(token);
    tokenTransfer.sourcePoolAddress = pool;
    tokenTransfer.amount = amount;

    TokenTransferFeeConfig memory config = s_tokenTransferFeeConfig[token];
    if (config.isEnabled) {
      tokenTransfer.destGasAmount = config.destGasOverhead;
      return (
        _tokenTransferFeeUSD(config, token, amount, feeToken, feeTokenPrice),
        TOKEN_FIXED_BYTES + config.destBytesOverhead
      );
    }
    tokenTransfer.destGasAmount = defaultTokenDestGasOverhead;
    return (0, TOKEN_FIXED_BYTES + DEFAULT_TOKEN_DEST_BYTES_OVERHEAD);
  }

  /// @dev clamp(value * deciBps / 1e5, min, max) in 1e18 USD. A product that would overflow is above any
  /// uint32 cents maximum, so it clamps to the maximum instead of reverting.
  function _tokenTransferFeeUSD(
    TokenTransferFeeConfig memory config,
    address token,
    uint256 amount,
    address feeToken,
    uint224 feeTokenPrice
  ) internal view returns (uint256) {
    uint256 minFee = uint256(config.minFeeUSDCents) * 1e16;
    if (config.deciBps == 0) return minFee;
    uint256 maxFee = uint256(config.maxFeeUSDCents) * 1e16;
    uint256 price = token == feeToken ? feeTokenPrice : i_priceRegistry.getValidatedTokenPrice(token);
    uint256 factor = price * config.deciBps; // < 2^240
    if (amount > type(uint256).max / factor) return maxFee;
    uint256 bpsFee = amount * factor / 1e23;
    if (bpsFee < minFee) return minFee;
    if (bpsFee > maxFee) return maxFee;
    return bpsFee;
  }

  /// @dev The aggregate lane rate limit on the USD value of the tokens leaving. Runs before any pool is
  /// called, after validation and pricing (so `tokenAmounts` is non-empty and every amount non-zero).
  function _beforeLockOrBurn(Client.EVMTokenAmount[] calldata tokenAmounts) internal virtual {
    // Warm: _processTokens just read this slot. A disabled limit costs no price lookups.
    if (!s_tokenLaneConfig.aggregateRateLimitEnabled) return;
    uint256 value;
    for (uint256 i; i < tokenAmounts.length; ++i) {
      value += _getTokenValue(i_priceRegistry, tokenAmounts[i].token, tokenAmounts[i].amount);
    }
    RateLimiter._consume(s_rateLimiter, value, address(0));
  }

  function _rateLimitEnabledSet(bool isEnabled) internal override {
    s_tokenLaneConfig.aggregateRateLimitEnabled = isEnabled;
  }

  /// @dev The Router already moved each amount to its pool.
  function _lockOrBurn(
    Internal.TokenTransfer[] memory tokenTransfers,
    Client.EVM2AnyMessage calldata message,
    address originalSender
  ) internal {
    for (uint256 i; i < tokenTransfers.length; ++i) {
      address token = message.tokenAmounts[i].token;
      IPool.LockOrBurnOut memory out = IPool(tokenTransfers[i].sourcePoolAddress)
        .lockOrBurn(
          IPool.LockOrBurnIn({
          receiver: message.receiver,
          remoteChainSelector: i_destChainSelector,
          originalSender: originalSender,
          amount: tokenTransfers[i].amount,
          localToken: token
        })
        );
      // The destination pays for this data, so it may not exceed what the fee priced.
      uint256 maxPoolData = DEFAULT_TOKEN_DEST_BYTES_OVERHEAD;
      TokenTransferFeeConfig memory config = s_tokenTransferFeeConfig[token];
      if (config.isEnabled && config.destBytesOverhead > maxPoolData) maxPoolData = config.destBytesOverhead;
      if (out.destPoolData.length > maxPoolData) revert SourceTokenDataTooLarge(token);
      tokenTransfers[i].destTokenAddress = out.destTokenAddress;
      tokenTransfers[i].extraData = out.destPoolData;
    }
  }

  /// @dev An EVM receiver is exactly one ABI word holding an address.
  function _validateReceiver(bytes calldata encoded) internal pure returns (address) {
    if (encoded.length != 32) revert InvalidEVMAddress(encoded);
    uint256 value = uint256(bytes32(encoded));
    if (value > type(uint160).max) revert InvalidEVMAddress(encoded);
    return address(uint160(value));
  }

  /// @dev Strict decoding: exact ABI sizes and a canonical bool, so any byte string either decodes or
  /// reverts with a named error (abi.decode would revert without data on a bad bool).
  function _parseExtraArgs(bytes calldata extraArgs, FeeTokenLane memory lane)
    internal
    pure
    returns (uint256 gasLimit, bool allowOutOfOrder)
  {
    uint256 length = extraArgs.length;
    if (length == 0) return (lane.defaultTxGasLimit, lane.enforceOutOfOrder);
    if (length < 4) revert InvalidExtraArgsTag();
    bytes4 tag = bytes4(extraArgs[:4]);
    if (tag == Client.EVM_EXTRA_ARGS_V1_TAG) {
      if (length != 36) revert MalformedExtraArgs(tag, length);
      gasLimit = uint256(bytes32(extraArgs[4:36]));
    } else if (tag == Client.EVM_EXTRA_ARGS_V2_TAG) {
      if (length != 68) revert MalformedExtraArgs(tag, length);
      gasLimit = uint256(bytes32(extraArgs[4:36]));
      uint256 flag = uint256(bytes32(extraArgs[36:68]));
      if (flag > 1) revert MalformedExtraArgs(tag, length);
      allowOutOfOrder = flag == 1;
    } else {
      revert InvalidExtraArgsTag();
    }
    if (lane.enforceOutOfOrder && !allowOutOfOrder) revert ExtraArgOutOfOrderExecutionMustBeTrue();
    if (gasLimit > lane.maxPerMsgGasLimit) revert MessageGasLimitTooHigh(lane.maxPerMsgGasLimit, gasLimit);
  }

  // ================================================================
  // |                            Config                            |
  // ================================================================

  /// @notice Sets the dynamic config. Only the owner.
  function setDynamicConfig(DynamicConfig calldata dynamicConfig) external onlyOwner {
    _setDynamicConfig(dynamicConfig);
  }

  function _setDynamicConfig(DynamicConfig memory c) internal {
    if (c.defaultTxGasLimit > c.maxPerMsgGasLimit) revert InvalidConfig();
    LaneState memory lane = LaneState({
      sequenceNumber: s_lane.sequenceNumber,
      maxDataBytes: c.maxDataBytes,
      maxPerMsgGasLimit: c.maxPerMsgGasLimit,
      defaultTxGasLimit: c.defaultTxGasLimit,
      destGasOverhead: c.destGasOverhead,
      destGasPerPayloadByte: c.destGasPerPayloadByte,
      destGasPerDataAvailabilityByte: c.destGasPerDataAvailabilityByte,
      networkFeeUSDCents: c.networkFeeUSDCents,
      enforceOutOfOrder: c.enforceOutOfOrder
    });
    s_lane = lane;
    address[] storage feeTokens = s_enabledFeeTokens.values;
    for (uint256 i; i < feeTokens.length; ++i) {
      FeeTokenLane storage feeTokenLane = s_feeTokenLanes[feeTokens[i]];
      s_feeTokenLanes[feeTokens[i]] = _feeTokenLane(true, feeTokenLane.premiumMultiplierWeiPerEth, lane);
    }
    s_tokenLaneConfig = TokenLaneConfig({
      maxNumberOfTokensPerMsg: c.maxNumberOfTokensPerMsg,
      defaultTokenDestGasOverhead: c.defaultTokenDestGasOverhead,
      aggregateRateLimitEnabled: s_tokenLaneConfig.aggregateRateLimitEnabled
    });
    emit DynamicConfigSet(c);
  }

  /// @notice Enables, disables or reprices fee tokens. Only the owner.
  function applyFeeTokenConfigUpdates(FeeTokenConfigArgs[] calldata feeTokenConfigs) external onlyOwner {
    _applyFeeTokenConfigUpdates(feeTokenConfigs);
  }

  function _applyFeeTokenConfigUpdates(FeeTokenConfigArgs[] memory feeTokenConfigs) internal {
    LaneState memory lane = s_lane;
    for (uint256 i; i < feeTokenConfigs.length; ++i) {
      FeeTokenConfigArgs memory a = feeTokenConfigs[i];
      s_feeTokenLanes[a.token] = _feeTokenLane(a.enabled, a.premiumMultiplierWeiPerEth, lane);
      if (a.enabled) s_enabledFeeTokens.add(a.token);
      else s_enabledFeeTokens.remove(a.token);
      emit FeeTokenConfigSet(a.token, a.enabled, a.premiumMultiplierWeiPerEth);
    }
  }

  function _feeTokenLane(bool enabled, uint64 premiumMultiplierWeiPerEth, LaneState memory lane)
    internal
    pure
    returns (FeeTokenLane memory)
  {
    return FeeTokenLane({
      enabled: enabled,
      premiumMultiplierWeiPerEth: premiumMultiplierWeiPerEth,
      maxDataBytes: lane.maxDataBytes,
      maxPerMsgGasLimit: lane.maxPerMsgGasLimit,
      defaultTxGasLimit: lane.defaultTxGasLimit,
      destGasOverhead: lane.destGasOverhead,
      destGasPerPayloadByte: lane.destGasPerPayloadByte,
      destGasPerDataAvailabilityByte: lane.destGasPerDataAvailabilityByte,
      networkFeeUSDCents: lane.networkFeeUSDCents,
      enforceOutOfOrder: lane.enforceOutOfOrder
    });
  }

  /// @notice Sets per-token transfer fee configs, then deletes those of `tokensToUseDefaultFeeConfigs`
  /// (which fall back to the lane defaults and pay no percentage fee). Only the owner.
  function applyTokenTransferFeeConfigUpdates(
    TokenTransferFeeConfigArgs[] calldata tokenTransferFeeConfigs,
    address[] calldata tokensToUseDefaultFeeConfigs
  ) external onlyOwner {
    for (uint256 i; i < tokenTransferFeeConfigs.length; ++i) {
      TokenTransferFeeConfigArgs calldata a = tokenTransferFeeConfigs[i];
      if (a.config.minFeeUSDCents > a.config.maxFeeUSDCents) revert InvalidTokenTransferFeeConfig(a.token);
      s_tokenTransferFeeConfig[a.token] = a.config;
      emit TokenTransferFeeConfigSet(a.token, a.config);
    }
    for (uint256 i; i < tokensToUseDefaultFeeConfigs.length; ++i) {
      delete s_tokenTransferFeeConfig[tokensToUseDefaultFeeConfigs[i]];
      emit TokenTransferFeeConfigDeleted(tokensToUseDefaultFeeConfigs[i]);
    }
  }

  /// @notice Sends the OnRamp's whole balance of `feeToken` (collected fees) to `to`. Only the owner.
  /// @dev The OnRamp holds nothing but fees: transferred tokens sit in their pools.
  function withdrawFees(address feeToken, address to) external onlyOwner {
    if (to == address(0)) revert InvalidConfig();
    uint256 amount = IERC20(feeToken).balanceOf(address(this));
    IERC20(feeToken).safeTransfer(to, amount);
    emit FeesWithdrawn(feeToken, to, amount);
  }

  // ================================================================
  // |                            Views                             |
  // ================================================================

  /// @notice The sequence number the next message will get.
  function getExpectedNextSequenceNumber() external view returns (uint64) {
    return s_lane.sequenceNumber + 1;
  }

  /// @notice The nonce of `sender`'s last ordered message (0 before the first).
  function getSenderNonce(address sender) external view returns (uint64) {
    return s_senderNonce[sender];
  }

  /// @notice The immutable wiring of the lane.
  function getStaticConfig() external view returns (StaticConfig memory) {
    return StaticConfig({
      sourceChainSelector: i_sourceChainSelector,
      destChainSelector: i_destChainSelector,
      router: i_router,
      priceRegistry: address(i_priceRegistry),
      arm: address(i_arm),
      tokenAdminRegistry: address(i_tokenAdminRegistry)
    });
  }

  /// @notice The owner-set parameters of the lane.
  function getDynamicConfig() external view returns (DynamicConfig memory) {
    LaneState memory lane = s_lane;
    TokenLaneConfig memory tokenLane = s_tokenLaneConfig;
    return DynamicConfig({
      maxDataBytes: lane.maxDataBytes,
      maxPerMsgGasLimit: lane.maxPerMsgGasLimit,
      defaultTxGasLimit: lane.defaultTxGasLimit,
      maxNumberOfTokensPerMsg: tokenLane.maxNumberOfTokensPerMsg,
      destGasOverhead: lane.destGasOverhead,
      destGasPerPayloadByte: lane.destGasPerPayloadByte,
      destGasPerDataAvailabilityByte: lane.destGasPerDataAvailabilityByte,
      networkFeeUSDCents: lane.networkFeeUSDCents,
      defaultTokenDestGasOverhead: tokenLane.defaultTokenDestGasOverhead,
      enforceOutOfOrder: lane.enforceOutOfOrder
    });
  }

  /// @notice The per-lane prefix of every leaf hash (and message id).
  function getMetadataHash() external view returns (bytes32) {
    return i_metadataHash;
  }

  /// @notice The fee config of `token`.
  function getFeeTokenConfig(address token) external view returns (FeeTokenConfig memory) {
    FeeTokenLane storage feeTokenLane = s_feeTokenLanes[token];
    return FeeTokenConfig({
      enabled: feeTokenLane.enabled, premiumMultiplierWeiPerEth: feeTokenLane.premiumMultiplierWeiPerEth
    });
  }

  /// @notice The transfer fee config of `token` (isEnabled false: lane defaults apply).
  function getTokenTransferFeeConfig(address token) external view returns (TokenTransferFeeConfig memory) {
    return s_tokenTransferFeeConfig[token];
  }
}
