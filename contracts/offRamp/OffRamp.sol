// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AggregateRateLimiter} from "../AggregateRateLimiter.sol";
import {Ownable2Step} from "../access/Ownable2Step.sol";
import {IARM} from "../interfaces/IARM.sol";
import {IAny2EVMMessageReceiver} from "../interfaces/IAny2EVMMessageReceiver.sol";
import {ICommitStore} from "../interfaces/ICommitStore.sol";
import {IERC165} from "../interfaces/IERC165.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {IPool} from "../interfaces/IPool.sol";
import {IPriceRegistry} from "../interfaces/IPriceRegistry.sol";
import {IRouter} from "../interfaces/IRouter.sol";
import {ITokenAdminRegistry} from "../interfaces/ITokenAdminRegistry.sol";
import {AddressSet} from "../libraries/AddressSet.sol";
import {CallWithExactGas} from "../libraries/CallWithExactGas.sol";
import {Client} from "../libraries/Client.sol";
import {Internal} from "../libraries/Internal.sol";
import {RateLimiter} from "../libraries/RateLimiter.sol";

/// @title OffRamp
/// @notice The destination end of one inbound lane: executes messages whose merkle root the lane's
/// CommitStore committed (and the ARM blessed), each exactly once, delivering tokens through their pools
/// and data through the Router.
/// @dev Execution state machine per sequence number: UNTOUCHED -> IN_PROGRESS -> SUCCESS | FAILURE, and
/// FAILURE -> IN_PROGRESS -> SUCCESS | FAILURE by manual execution only. Ordered messages (nonce > 0)
/// execute in per-sender nonce order; a gap skips the message (never the batch).
/// Aggregate rate limit (AggregateRateLimiter): the USD value of what the pools released, priced by this
/// chain's PriceRegistry (dynamic config, so it can be replaced), is taken from the lane's bucket inside
/// the atomic executeSingleMessage. A limit hit (or a token without a fresh price) therefore marks the
/// message FAILURE with nothing delivered, and manual execution retries it once the bucket has refilled.
contract OffRamp is AggregateRateLimiter {
  using AddressSet for AddressSet.Set;
  error CursedByARM(uint64 sourceChainSelector);
  error EmptyReport();
  error UnauthorizedTransmitter(address sender);
  error InvalidSourceChain(uint64 sourceChainSelector);
  error InvalidMessageId(bytes32 carried, bytes32 computed);
  error RootNotCommitted();
  error UnexpectedTokenData();
  error TokenDataMismatch(uint64 sequenceNumber);
  error MessageTooLarge(uint256 maxSize, uint256 actualSize);
  error UnsupportedNumberOfTokens(uint64 sequenceNumber);
  error ManualExecutionGasLimitMismatch();
  error ManualExecutionNotYetEnabled(uint64 sequenceNumber);
  error InvalidManualExecutionGasLimit(bytes32 messageId, uint256 oldLimit, uint256 newLimit);
  error ExecutionError(bytes32 messageId, bytes err);
  error CanOnlySelfCall();
  error ReentrancyGuardReentrantCall();
  error NotACompatiblePool(address token);
  error ZeroPoolGas(address token);
  error TokenHandlingError(bytes err);
  error InvalidDataLength(uint256 expected, uint256 actual);
  error ReleaseOrMintBalanceMismatch(uint256 amount, uint256 balancePre, uint256 balancePost);
  error ReceiverError(bytes err);
  error ZeroAddressNotAllowed();
  error ZeroChainSelectorNotAllowed();
  /// @dev Same signatures as the CallWithExactGas library's (which every exact-gas call here and in the
  /// Router goes through), so callers see one error whichever call ran short.
  error NotEnoughGasForCall();
  error NoGasForCallExactCheck();

  event ConfigSet(StaticConfig staticConfig, DynamicConfig dynamicConfig);
  event TransmitterAdded(address indexed transmitter);
  event TransmitterRemoved(address indexed transmitter);
  /// @notice The Rust networks follow executions through this event; keep its signature stable.
  event ExecutionStateChanged(
    uint64 indexed sequenceNumber, bytes32 indexed messageId, Internal.MessageExecutionState state, bytes returnData
  );
  event SkippedAlreadyExecutedMessage(uint64 indexed sequenceNumber);
  /// @notice A transmitter met a message that already failed: only manual execution retries it.
  event AlreadyAttempted(uint64 indexed sequenceNumber);
  event SkippedOutOfOrderNonce(uint64 indexed nonce, address indexed sender);

  /// @notice Wiring fixed for the lane's lifetime.
  struct StaticConfig {
    address commitStore;
    uint64 chainSelector; // this chain
    uint64 sourceChainSelector;
    address onRamp; // the source chain's OnRamp of this lane
    address arm;
    address tokenAdminRegistry;
  }

  /// @notice Owner-tunable parameters. The first five fields share one slot, read on every execution.
  struct DynamicConfig {
    address router;
    uint32 permissionLessExecutionThresholdSeconds; // after this, anyone may execute an UNTOUCHED message
    uint32 maxDataBytes;
    uint16 maxNumberOfTokensPerMsg;
    uint16 gasForCallExactCheck; // e.g. 5000: covers an exact-gas call's own cost
    uint32 maxPoolReleaseOrMintGas; // cap on a token's destGasAmount
    address priceRegistry; // prices released tokens for the aggregate rate limit
  }

  /// @notice Type and version, for off-chain tooling.
  string public constant typeAndVersion = "OffRamp 1.0.0";

  /// @dev Gas for a receiver's ERC-165 answer; a receiver may not burn the executor's gas there.
  uint256 internal constant ERC165_CHECK_GAS = 30_000;
  /// @dev Gas for a token's balanceOf around releaseOrMint.
  uint256 internal constant BALANCE_OF_GAS = 30_000;
  /// @dev Cap on copied pool return data, as the Router caps a receiver's.
  uint16 internal constant MAX_RET_BYTES = 132; // 4 + 4 * 32

  address internal immutable i_commitStore;
  uint64 internal immutable i_chainSelector;
  uint64 internal immutable i_sourceChainSelector;
  address internal immutable i_onRamp;
  address internal immutable i_arm;
  address internal immutable i_tokenAdminRegistry;
  bytes32 internal immutable i_metadataHash;

  DynamicConfig internal s_dynamicConfig;
  /// @dev 2 bits per sequence number, 128 per slot: a batch of consecutive messages shares warm slots.
  mapping(uint64 slot => uint256 states) internal s_executionStates;
  mapping(address sender => uint64 nonce) internal s_senderNonce;
  AddressSet.Set internal s_transmitters;
  /// @dev Guards the whole execution path; IN_PROGRESS alone would let a receiver execute other messages.
  bool internal transient t_executing;

  constructor(StaticConfig memory staticConfig, DynamicConfig memory dynamicConfig) Ownable2Step(msg.sender) {
    if (
      staticConfig.commitStore == address(0) || staticConfig.onRamp == address(0) || staticConfig.arm == address(0)
        || staticConfig.tokenAdminRegistry == address(0)
    ) revert ZeroAddressNotAllowed();
    if (staticConfig.chainSelector == 0 || staticConfig.sourceChainSelector == 0) {
      revert ZeroChainSelectorNotAllowed();
    }
    i_commitStore = staticConfig.commitStore;
    i_chainSelector = staticConfig.chainSelector;
    i_sourceChainSelector = staticConfig.sourceChainSelector;
    i_onRamp = staticConfig.onRamp;
    i_arm = staticConfig.arm;
    i_tokenAdminRegistry = staticConfig.tokenAdminRegistry;
    i_metadataHash =
      Internal._metadataHash(staticConfig.sourceChainSelector, staticConfig.chainSelector, staticConfig.onRamp);
    _setDynamicConfig(dynamicConfig);
  }

  // ================================================================
  // │                          Execution                           │
  // ================================================================

  /// @notice Executes a batch of committed messages. Only allowlisted transmitters. Messages already
  /// attempted or out of nonce order are skipped with an event; the batch never reverts for them.
  function execute(Internal.ExecutionReport calldata report) external {
    if (!s_transmitters.contains(msg.sender)) revert UnauthorizedTransmitter(msg.sender);
    _execute(report, new uint256[](0), false);
  }

  /// @notice Executes messages by hand: anyone, for messages that FAILED or whose root is older than the
  /// permissionless threshold. Reverts if any message fails, so a caller learns it before paying.
  /// @param gasLimitOverrides One per message: 0 keeps the message's gas limit, anything else must be at
  /// least the message's gas limit.
  function manuallyExecute(Internal.ExecutionReport calldata report, uint256[] calldata gasLimitOverrides) external {
    _execute(report, gasLimitOverrides, true);
  }

  function _execute(Internal.ExecutionReport calldata report, uint256[] memory gasLimitOverrides, bool manual)
    internal
  {
    if (t_executing) revert ReentrancyGuardReentrantCall();
    t_executing = true;

    uint256 numMsgs = report.messages.length;
    if (numMsgs == 0) revert EmptyReport();
    if (numMsgs != report.offchainTokenData.length) revert UnexpectedTokenData();
    if (manual && numMsgs != gasLimitOverrides.length) revert ManualExecutionGasLimitMismatch();
    if (IARM(i_arm).isCursed(bytes16(uint128(i_sourceChainSelector)))) revert CursedByARM(i_sourceChainSelector);

    bytes32[] memory hashedLeaves = new bytes32[](numMsgs);
    {
      DynamicConfig storage config = s_dynamicConfig;
      uint256 maxDataBytes = config.maxDataBytes;
      uint256 maxTokens = config.maxNumberOfTokensPerMsg;
      for (uint256 i = 0; i < numMsgs; ++i) {
        Internal.EVM2EVMMessage calldata message = report.messages[i];
        if (message.sourceChainSelector != i_sourceChainSelector) {
          revert InvalidSourceChain(message.sourceChainSelector);
        }
        // Defense in depth: the OnRamp enforces these too, but a committed root must not bypass this lane's limits.
        if (message.data.length > maxDataBytes) revert MessageTooLarge(maxDataBytes, message.data.length);
        uint256 numTokens = message.tokenAmounts.length;
        if (numTokens > maxTokens) revert UnsupportedNumberOfTokens(message.sequenceNumber);
        if (numTokens != report.offchainTokenData[i].length) revert TokenDataMismatch(message.sequenceNumber);
        bytes32 leaf = _hashCalldata(message);
        // The carried id is what the receiver sees; it must be the leaf that is proven.
        if (leaf != message.messageId) revert InvalidMessageId(message.messageId, leaf);
        hashedLeaves[i] = leaf;
      }
    }

    uint256 timestampCommitted = ICommitStore(i_commitStore).verify(hashedLeaves, report.proofs, report.proofFlagBits);
    if (timestampCommitted == 0) revert RootNotCommitted();
    bool manualOpenForUntouched;
    if (manual) {
      manualOpenForUntouched =
        block.timestamp - timestampCommitted > s_dynamicConfig.permissionLessExecutionThresholdSeconds;
    }

    for (uint256 i = 0; i < numMsgs; ++i) {
      _executeMessage(
        report.messages[i],
        report.offchainTokenData[i],
        manual ? gasLimitOverrides[i] : 0,
        manual,
        manualOpenForUntouched
      );
    }

    t_executing = false;
  }

  /// @dev One message of a verified report: state and nonce checks, then the trial execution.
  function _executeMessage(
    Internal.EVM2EVMMessage calldata message,
    bytes[] calldata offchainTokenData,
    uint256 gasLimitOverride,
    bool manual,
    bool manualOpenForUntouched
  ) internal {
    uint64 seqNum = message.sequenceNumber;
    // The state word is read once: while the message runs, t_executing keeps out every other writer of it.
    uint256 states = s_executionStates[seqNum / 128];
    Internal.MessageExecutionState originalState = Internal.MessageExecutionState((states >> _stateShift(seqNum)) & 3);
    // SUCCESS is final; IN_PROGRESS can only be seen re-entrantly. Skipping instead of reverting lets a
    // manual executor and the transmitters race without failing each other's batches.
    if (
      originalState == Internal.MessageExecutionState.SUCCESS
        || originalState == Internal.MessageExecutionState.IN_PROGRESS
    ) {
      emit SkippedAlreadyExecutedMessage(seqNum);
      return;
    }

    uint256 gasLimit = message.gasLimit;
    if (manual) {
      if (originalState == Internal.MessageExecutionState.UNTOUCHED && !manualOpenForUntouched) {
        revert ManualExecutionNotYetEnabled(seqNum);
      }
      if (gasLimitOverride != 0) {
        if (gasLimitOverride < gasLimit) {
          revert InvalidManualExecutionGasLimit(message.messageId, gasLimit, gasLimitOverride);
        }
        gasLimit = gasLimitOverride;
      }
    } else if (originalState == Internal.MessageExecutionState.FAILURE) {
      emit AlreadyAttempted(seqNum);
      return;
    }

    // Only an UNTOUCHED ordered message takes (and consumes) the sender's next nonce; a FAILURE being
    // retried already consumed it. Bumped before the call, as both outcomes bump it.
    uint64 nonce = message.nonce;
    if (nonce != 0 && originalState == Internal.MessageExecutionState.UNTOUCHED) {
      address sender = message.sender;
      if (s_senderNonce[sender] + 1 != nonce) {
        emit SkippedOutOfOrderNonce(nonce, sender);
        return;
      }
      s_senderNonce[sender] = nonce;
    }

    states &= ~(uint256(3) << _stateShift(seqNum));
    s_executionStates[seqNum / 128] =
      states | (uint256(Internal.MessageExecutionState.IN_PROGRESS) << _stateShift(seqNum));
    (Internal.MessageExecutionState newState, bytes memory returnData) =
      _trialExecute(message, offchainTokenData, gasLimit);
    if (manual && newState == Internal.MessageExecutionState.FAILURE) {
      revert ExecutionError(message.messageId, returnData);
    }
    s_executionStates[seqNum / 128] = states | (uint256(newState) << _stateShift(seqNum));
    emit ExecutionStateChanged(seqNum, message.messageId, newState, returnData);
  }

  /// @dev Tokens and receiver run in one external self-call so that they commit or roll back together.
  function _trialExecute(Internal.EVM2EVMMessage calldata message, bytes[] calldata offchainTokenData, uint256 gasLimit)
    internal
    returns (Internal.MessageExecutionState, bytes memory)
  {
    try this.executeSingleMessage(message, offchainTokenData, gasLimit) {
      return (Internal.MessageExecutionState.SUCCESS, "");
    } catch (bytes memory err) {
      // Running short of gas is the executor's fault, not the message's: empty revert data means this
      // contract's own frame ran out (receivers and pools always come back wrapped), and the exact-gas
      // errors mean a callee could not be given its full gas. Revert all so no one can fail messages cheaply.
      bytes4 selector = bytes4(err);
      if (err.length == 0 || selector == NotEnoughGasForCall.selector || selector == NoGasForCallExactCheck.selector) {
        revert NotEnoughGasForCall();
      }
      return (Internal.MessageExecutionState.FAILURE, err);
    }
  }

  /// @notice Releases or mints the message's tokens and delivers it to its receiver, atomically. Only this
  /// contract (external so that any revert rolls both back and is caught as the message's FAILURE).
  /// @param gasLimit The receiver's gas: the message's own or a manual override.
  function executeSingleMessage(
    Internal.EVM2EVMMessage calldata message,
    bytes[] calldata offchainTokenData,
    uint256 gasLimit
  ) external {
    if (msg.sender != address(this)) revert CanOnlySelfCall();
    uint16 gasForCallExactCheck = s_dynamicConfig.gasForCallExactCheck;
    Client.EVMTokenAmount[] memory destTokenAmounts;
    if (message.tokenAmounts.length != 0) {
      destTokenAmounts = _releaseOrMintTokens(message, offchainTokenData, gasForCallExactCheck);
      _afterTokensReleased(destTokenAmounts);
    }

    // Token-only deliveries to EOAs or to contracts that are not CCIP receivers end here.
    address receiver = message.receiver;
    if (
      (message.data.length == 0 && gasLimit == 0) || receiver.code.length == 0
        || !_supportsReceiverInterface(receiver, gasForCallExactCheck)
    ) return;

    (bool success, bytes memory retData,) = IRouter(s_dynamicConfig.router)
      .routeMessage(
        Client.Any2EVMMessage({
        messageId: message.messageId,
        sourceChainSelector: message.sourceChainSelector,
        sender: abi.encode(message.sender),
        data: message.data,
        destTokenAmounts: destTokenAmounts
      }),
        gasForCallExactCheck,
        gasLimit,
        receiver
      );
    if (!success) revert ReceiverError(retData);
  }

  /// @dev The aggregate lane rate limit on the USD value of what the pools released. A revert here fails
  /// the message, which manual execution can retry once capacity refills.
  function _afterTokensReleased(Client.EVMTokenAmount[] memory destTokenAmounts) internal virtual {
    // One SLOAD when disabled, and no price lookups.
    if (!s_rateLimiter.isEnabled) return;
    // Warm: _releaseOrMintTokens read maxPoolReleaseOrMintGas from the same slot.
    IPriceRegistry priceRegistry = IPriceRegistry(s_dynamicConfig.priceRegistry);
    uint256 value;
    for (uint256 i = 0; i < destTokenAmounts.length; ++i) {
      value += _getTokenValue(priceRegistry, destTokenAmounts[i].token, destTokenAmounts[i].amount);
    }
    RateLimiter._consume(s_rateLimiter, value, address(0));
  }

  function _releaseOrMintTokens(
    Internal.EVM2EVMMessage calldata message,
    bytes[] calldata offchainTokenData,
    uint16 gasForCallExactCheck
  ) internal returns (Client.EVMTokenAmount[] memory destTokenAmounts) {
    uint256 numTokens = message.tokenAmounts.length;
    destTokenAmounts = new Client.EVMTokenAmount[](numTokens);
    uint256 maxPoolGas = s_dynamicConfig.maxPoolReleaseOrMintGas;
    // One struct reused for every token: only the per-token fields change.
    IPool.ReleaseOrMintIn memory releaseOrMintIn;
    releaseOrMintIn.originalSender = abi.encode(message.sender);
    releaseOrMintIn.remoteChainSelector = i_sourceChainSelector;
    releaseOrMintIn.receiver = message.receiver;
    releaseOrMintIn.messageId = message.messageId;
    for (uint256 i = 0; i < numTokens; ++i) {
      Internal.TokenTransfer calldata tokenTransfer = message.tokenAmounts[i];
      releaseOrMintIn.amount = tokenTransfer.amount;
      releaseOrMintIn.localToken = tokenTransfer.destTokenAddress;
      releaseOrMintIn.sourcePoolAddress = tokenTransfer.sourcePoolAddress;
      releaseOrMintIn.sourcePoolData = tokenTransfer.extraData;
      releaseOrMintIn.offchainTokenData = offchainTokenData[i];
      destTokenAmounts[i] =
        _releaseOrMintSingleToken(releaseOrMintIn, tokenTransfer.destGasAmount, maxPoolGas, gasForCallExactCheck);
    }
  }

  function _releaseOrMintSingleToken(
    IPool.ReleaseOrMintIn memory releaseOrMintIn,
    uint256 poolGas,
    uint256 maxPoolGas,
    uint16 gasForCallExactCheck
  ) internal returns (Client.EVMTokenAmount memory) {
    address token = releaseOrMintIn.localToken;
    address pool = ITokenAdminRegistry(i_tokenAdminRegistry).getPool(token);
    if (pool == address(0) || pool.code.length == 0) revert NotACompatiblePool(token);
    if (poolGas > maxPoolGas) poolGas = maxPoolGas;
    if (poolGas == 0) revert ZeroPoolGas(token);

    address receiver = releaseOrMintIn.receiver;
    uint256 balancePre = _balanceOf(token, receiver, gasForCallExactCheck);
    (bool success, bytes memory ret) = CallWithExactGas._callWithExactGasSafeReturnDataNoCodeCheck(
      abi.encodeCall(IPool.releaseOrMint, (releaseOrMintIn)), pool, poolGas, gasForCallExactCheck, MAX_RET_BYTES, false
    );
    if (!success) revert TokenHandlingError(ret);
    if (ret.length != 32) revert InvalidDataLength(32, ret.length);
    uint256 amount = uint256(bytes32(ret));
    uint256 balancePost = _balanceOf(token, receiver, gasForCallExactCheck);
    // The pool's word is not enough: the receiver must really hold what the pool claims it got.
    if (balancePost < balancePre || balancePost - balancePre != amount) {
      revert ReleaseOrMintBalanceMismatch(amount, balancePre, balancePost);
    }
    return Client.EVMTokenAmount({token: token, amount: amount});
  }

  function _balanceOf(address token, address account, uint16 gasForCallExactCheck) internal returns (uint256) {
    // No code check: a token without code answers empty, which InvalidDataLength rejects.
    (bool success, bytes memory ret) = CallWithExactGas._callWithExactGasSafeReturnDataNoCodeCheck(
      abi.encodeCall(IERC20.balanceOf, (account)), token, BALANCE_OF_GAS, gasForCallExactCheck, MAX_RET_BYTES, true
    );
    if (!success) revert TokenHandlingError(ret);
    if (ret.length != 32) revert InvalidDataLength(32, ret.length);
    return uint256(bytes32(ret));
  }

  /// @dev Exact gas here too: with less, a starved receiver would look like a non-receiver and the message
  /// would succeed without its data ever being delivered. Any malformed answer reads as "not a receiver".
  function _supportsReceiverInterface(address receiver, uint16 gasForCallExactCheck) internal returns (bool) {
    (bool success, bytes memory ret) = CallWithExactGas._callWithExactGasSafeReturnDataNoCodeCheck(
      abi.encodeCall(IERC165.supportsInterface, (type(IAny2EVMMessageReceiver).interfaceId)),
      receiver,
      ERC165_CHECK_GAS,
      gasForCallExactCheck,
      MAX_RET_BYTES,
      true
    );
    return success && ret.length >= 32 && uint256(bytes32(ret)) == 1;
  }

  /// @dev Internal._hash over calldata, without copying the message (tokens and all) into memory first.
  /// Must stay byte-identical to Internal._hash; the unit tests compare the two.
  function _hashCalldata(Internal.EVM2EVMMessage calldata message) internal view returns (bytes32) {
    return keccak256(
      abi.encode(
        bytes32(0), // MerkleMultiProof.LEAF_DOMAIN_SEPARATOR
        i_metadataHash,
        message.sequenceNumber,
        message.nonce,
        message.sender,
        message.receiver,
        message.gasLimit,
        keccak256(message.data),
        message.tokenAmounts.length == 0
          ? Internal.EMPTY_TOKEN_AMOUNTS_HASH
          : keccak256(abi.encode(message.tokenAmounts))
      )
    );
  }

  // ================================================================
  // │                        Execution state                       │
  // ================================================================

  /// @notice The execution state of the message with sequence number `sequenceNumber`.
  function getExecutionState(uint64 sequenceNumber) external view returns (Internal.MessageExecutionState) {
    return Internal.MessageExecutionState((s_executionStates[sequenceNumber / 128] >> _stateShift(sequenceNumber)) & 3);
  }

  /// @dev Where the 2 state bits of `sequenceNumber` sit in its word s_executionStates[sequenceNumber / 128].
  function _stateShift(uint64 sequenceNumber) internal pure returns (uint256) {
    return uint256(sequenceNumber % 128) * 2;
  }

  /// @notice The last nonce executed (or failed) for ordered messages from `sender`; the next is one more.
  function getSenderNonce(address sender) external view returns (uint64) {
    return s_senderNonce[sender];
  }

  // ================================================================
  // │                            Config                            │
  // ================================================================

  /// @notice The lane's fixed wiring.
  function getStaticConfig() public view returns (StaticConfig memory) {
    return StaticConfig({
      commitStore: i_commitStore,
      chainSelector: i_chainSelector,
      sourceChainSelector: i_sourceChainSelector,
      onRamp: i_onRamp,
      arm: i_arm,
      tokenAdminRegistry: i_tokenAdminRegistry
    });
  }

  /// @notice The owner-tunable parameters.
  function getDynamicConfig() external view returns (DynamicConfig memory) {
    return s_dynamicConfig;
  }

  /// @notice Replaces the dynamic config. Only the owner.
  function setDynamicConfig(DynamicConfig memory dynamicConfig) external onlyOwner {
    _setDynamicConfig(dynamicConfig);
  }

  function _setDynamicConfig(DynamicConfig memory dynamicConfig) internal {
    if (dynamicConfig.router == address(0) || dynamicConfig.priceRegistry == address(0)) {
      revert ZeroAddressNotAllowed();
    }
    s_dynamicConfig = dynamicConfig;
    emit ConfigSet(getStaticConfig(), dynamicConfig);
  }

  /// @notice The addresses allowed to call `execute`.
  function getTransmitters() external view returns (address[] memory) {
    return s_transmitters.values;
  }

  /// @notice Removes then adds transmitters. Only the owner. Removing an absent or adding a present
  /// address is a no-op, so the deployer can re-apply a config.
  function applyTransmitterUpdates(address[] calldata removes, address[] calldata adds) external onlyOwner {
    for (uint256 i = 0; i < removes.length; ++i) {
      if (s_transmitters.remove(removes[i])) emit TransmitterRemoved(removes[i]);
    }
    for (uint256 i = 0; i < adds.length; ++i) {
      address transmitter = adds[i];
      if (transmitter == address(0)) revert ZeroAddressNotAllowed();
      if (s_transmitters.add(transmitter)) emit TransmitterAdded(transmitter);
    }
  }
}
