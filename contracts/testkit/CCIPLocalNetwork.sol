// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ARM} from "../ARM.sol";
import {CommitStore} from "../CommitStore.sol";
import {PriceRegistry} from "../PriceRegistry.sol";
import {Router} from "../Router.sol";
import {IARM} from "../interfaces/IARM.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {Internal} from "../libraries/Internal.sol";
import {LaneProfile} from "../libraries/LaneProfile.sol";
import {RateLimiter} from "../libraries/RateLimiter.sol";
import {OffRamp} from "../offRamp/OffRamp.sol";
import {OnRamp} from "../onRamp/OnRamp.sol";
import {LockReleaseTokenPool} from "../pools/LockReleaseTokenPool.sol";
import {TokenPool} from "../pools/TokenPool.sol";
import {TokenAdminRegistry} from "../tokenAdminRegistry/TokenAdminRegistry.sol";
import {BurnMintTestToken} from "../tokens/BurnMintTestToken.sol";
import {FaucetToken} from "../tokens/FaucetToken.sol";
import {
  CCIPLocalArmDeployer,
  CCIPLocalBurnMintPoolDeployer,
  CCIPLocalCommitStoreDeployer,
  CCIPLocalLaneArgs,
  CCIPLocalLockReleasePoolDeployer,
  CCIPLocalOffRampDeployer,
  CCIPLocalOnRampDeployer,
  CCIPLocalRouterDeployer,
  CCIPLocalTokenDeployer
} from "./CCIPLocalDeployers.sol";
import {MerkleTreeBuilder} from "./MerkleTreeBuilder.sol";
import {Vm, VmSafe} from "forge-std/Vm.sol";

/// @title CCIPLocalNetwork
/// @notice Runs the real protocol for a dApp's forge tests: N simulated chains in one EVM, a full mesh of
/// lanes, and the off-chain roles (committing network, risk network, executing network) played by
/// this contract with cheatcodes. Send through a chain's Router as usual, then call `route()`.
/// CCIPLocalForks runs the same routing over forks of running chains instead.
/// @dev Sends are captured with vm.recordLogs/getRecordedLogs: a test that drains the recorded logs
/// itself must call `sync()` first, or the kit will miss messages (it then reverts with MissingMessage).
/// Messages sent while the kit executes (e.g. a receiver that replies) wait for the next route.
contract CCIPLocalNetwork {
  /// @notice Every address of one simulated chain.
  struct Chain {
    uint64 chainSelector;
    address router;
    address arm;
    address priceRegistry;
    address tokenAdminRegistry;
    address wrappedNative;
    address linkToken; // FaucetToken fee token
    address bnmToken; // BurnMintTestToken "CCIP-BnM"
    address bnmPool; // BurnMintTokenPool
    address lnmToken; // FaucetToken "CCIP-LnM"
    address lnmPool; // LockReleaseTokenPool
  }

  /// @notice What happened to one message at its latest execution attempt.
  struct Outcome {
    bytes32 messageId;
    uint64 sourceChainSelector;
    uint64 destChainSelector;
    uint64 sequenceNumber;
    Internal.MessageExecutionState state;
    bytes returnData;
  }

  struct LaneInfo {
    uint64 sourceChainSelector;
    uint64 destChainSelector;
    address onRamp;
    address commitStore;
    address offRamp;
  }

  struct Batch {
    uint64 minSeqNr;
    uint64 maxSeqNr;
    bytes32 root;
  }

  /// @dev Where a captured message lives.
  struct MessageRef {
    uint128 laneKey;
    uint64 sequenceNumber;
  }

  error UnknownChain(uint64 chainSelector);
  error ChainAlreadyExists(uint64 chainSelector);
  error UnknownMessage(bytes32 messageId);
  /// @notice The OnRamp numbered a message whose CCIPSendRequested log the kit never saw (someone else
  /// drained vm.getRecordedLogs; call sync() before doing so).
  error MissingMessage(uint64 sourceChainSelector, uint64 destChainSelector, uint64 sequenceNumber);
  error NotManuallyExecutable(bytes32 messageId, Internal.MessageExecutionState state);
  error LaneCursed(uint64 sourceChainSelector, uint64 destChainSelector);
  error LaneAlreadyExists(uint64 sourceChainSelector, uint64 destChainSelector);

  event ChainAdded(uint64 indexed chainSelector, Chain chain);
  event LaneAdded(uint64 indexed sourceChainSelector, uint64 indexed destChainSelector, LaneInfo lane);
  event BatchCommitted(
    uint64 indexed sourceChainSelector, uint64 indexed destChainSelector, uint64 minSeqNr, uint64 maxSeqNr, bytes32 root
  );
  event MessageOutcome(bytes32 indexed messageId, Internal.MessageExecutionState state);

  Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

  /// @notice Committing network: 4 signers, f = 1.
  uint256 public constant NUM_SIGNERS = 4;
  uint8 public constant F = CCIPLocalWiring.F;
  /// @notice Risk network: 3 voters of weight 1; 2 bless or curse.
  uint256 public constant NUM_VOTERS = 3;
  uint16 public constant BLESS_THRESHOLD = CCIPLocalWiring.BLESS_THRESHOLD;
  /// @notice Largest batch per commit: keeps every multi-proof far below MerkleMultiProof's 256 hash steps.
  uint64 public constant MAX_BATCH_SIZE = 64;
  /// @notice LnM liquidity each lock/release pool starts with (LaneProfile).
  uint256 public constant INITIAL_LIQUIDITY = LaneProfile.POOL_LIQUIDITY;
  /// @notice Initial prices (1e18 USD per 1e18 smallest units) and gas price (20 gwei at $2000), from LaneProfile.
  uint224 public constant NATIVE_PRICE = LaneProfile.NATIVE_PRICE;
  uint224 public constant LINK_PRICE = LaneProfile.LINK_PRICE;
  uint224 public constant TEST_TOKEN_PRICE = LaneProfile.TEST_TOKEN_PRICE;
  uint224 public constant GAS_PRICE = LaneProfile.GAS_PRICE;

  uint64[] internal s_chainSelectors;
  mapping(uint64 chainSelector => Chain) internal s_chains;
  uint128[] internal s_laneKeys;
  mapping(uint128 laneKey => LaneInfo) internal s_lanes;
  mapping(uint64 sourceChainSelector => mapping(address onRamp => uint128 laneKey)) internal s_laneByOnRamp;

  /// @dev Captured CCIPSendRequested data (abi.encode(message, feeToken, feeTokenAmount)) and ids.
  mapping(uint128 laneKey => mapping(uint64 seqNr => bytes data)) internal s_messageData;
  mapping(uint128 laneKey => mapping(uint64 seqNr => bytes32 messageId)) internal s_messageIds;
  mapping(bytes32 messageId => MessageRef) internal s_messageRefs;

  mapping(uint128 laneKey => Batch[]) internal s_batches;
  /// @dev 1-based index into s_batches of the batch holding a committed message.
  mapping(uint128 laneKey => mapping(uint64 seqNr => uint256 batchIndexPlusOne)) internal s_batchOf;
  /// @dev Batches before this one have no UNTOUCHED message left.
  mapping(uint128 laneKey => uint256 index) internal s_firstOpenBatch;

  mapping(bytes32 messageId => Outcome) internal s_outcomes;
  Outcome[] internal s_outcomeLog;

  /// @dev Committing network: every signer's key and address; the first f+1 sign each report.
  uint256[] internal s_signerKeys;
  address[] internal s_signers;
  uint8 internal s_f;
  /// @dev Risk network: voters vote in order until a root is blessed.
  address[] internal s_voters;
  /// @dev Who sends commits, executions and owner calls (address(this), the in-process default, needs no prank).
  address internal s_commitTransmitter;
  address internal s_execTransmitter;
  address internal s_owner;
  uint40 internal s_epochAndRound;

  /// @notice Deploys `numChains` chains with the default selectors and a full mesh of lanes.
  constructor(uint256 numChains) {
    _initRoles();
    vm.recordLogs();
    for (uint256 i = 0; i < numChains; ++i) {
      _addChain(defaultChainSelector(i));
    }
  }

  /// @dev The kit's own oracle keys; the kit owns everything and transmits itself. CCIPLocalForks overrides
  /// it with the roles of a network file.
  function _initRoles() internal virtual {
    for (uint256 i = 0; i < NUM_SIGNERS; ++i) {
      uint256 key = uint256(keccak256(abi.encode("ccip-local.commit-signer", i))) % (2 ** 255);
      s_signerKeys.push(key);
      s_signers.push(vm.addr(key));
    }
    for (uint256 i = 0; i < NUM_VOTERS; ++i) {
      s_voters.push(vm.addr(uint256(keccak256(abi.encode("ccip-local.arm-voter", i))) % (2 ** 255)));
    }
    s_f = F;
    s_commitTransmitter = address(this);
    s_execTransmitter = address(this);
    s_owner = address(this);
  }

  // ================================================================
  // │                       Chain selection                        │
  // ================================================================

  /// @dev Makes `chainSelector`'s state the current one before the kit touches that chain: one EVM holds
  /// every chain here; CCIPLocalForks selects the chain's fork.
  function _on(uint64 chainSelector) internal virtual {}

  /// @dev Wraps entry points that may switch chains, so that the caller's selection survives them.
  modifier restoresFork() virtual {
    _;
  }

  /// @dev Reverts with `err` once the caller's chain is selected again: forge mishandles a call that reverts
  /// on another fork than the one it started on (CCIPLocalForks).
  function _revert(bytes memory err) internal virtual {
    assembly ("memory-safe") {
      revert(add(err, 32), mload(err))
    }
  }

  // ================================================================
  // │                          Topology                            │
  // ================================================================

  /// @notice The selector `addChain()` gives the `index`-th chain: real testnet selectors first.
  function defaultChainSelector(uint256 index) public pure returns (uint64) {
    if (index == 0) return 16015286601757825753; // Ethereum Sepolia
    if (index == 1) return 3478487238524512106; // Arbitrum Sepolia
    if (index == 2) return 10344971235874465080; // Base Sepolia
    if (index == 3) return 5224473277236331295; // Optimism Sepolia
    if (index == 4) return 14767482510784806043; // Avalanche Fuji
    if (index == 5) return 16281711391670634445; // Polygon Amoy
    return uint64(1_000_000 + index);
  }

  /// @notice Adds a chain with the next default selector, wired to every existing chain both ways.
  function addChain() external returns (uint64 chainSelector) {
    chainSelector = defaultChainSelector(s_chainSelectors.length);
    addChain(chainSelector);
  }

  /// @notice Adds a chain with `chainSelector`, wired to every existing chain both ways.
  function addChain(uint64 chainSelector) public virtual returns (uint64) {
    return _addChain(chainSelector);
  }

  function _addChain(uint64 chainSelector) internal returns (uint64) {
    if (chainSelector == 0 || s_chains[chainSelector].router != address(0)) revert ChainAlreadyExists(chainSelector);
    _registerChain(CCIPLocalWiring.deployChain(chainSelector, s_voters));
    uint256 n = s_chainSelectors.length - 1;
    for (uint256 i = 0; i < n; ++i) {
      uint64 other = s_chainSelectors[i];
      _addLane(other, chainSelector);
      _addLane(chainSelector, other);
    }
    return chainSelector;
  }

  /// @notice Adds the lane from `chainSelector` to itself: one Router is then both source and destination,
  /// and each pool is its own remote pool (the single-chain setup of chainlink-local's simulator).
  function addLoopbackLane(uint64 chainSelector) external virtual {
    _chain(chainSelector);
    if (s_lanes[_laneKey(chainSelector, chainSelector)].onRamp != address(0)) {
      revert LaneAlreadyExists(chainSelector, chainSelector);
    }
    _addLane(chainSelector, chainSelector);
  }

  function _addLane(uint64 source, uint64 dest) internal {
    _registerLane(CCIPLocalWiring.deployLane(s_chains[source], s_chains[dest], s_signers));
  }

  function _registerChain(Chain memory c) internal {
    if (c.chainSelector == 0 || s_chains[c.chainSelector].router != address(0)) {
      revert ChainAlreadyExists(c.chainSelector);
    }
    s_chains[c.chainSelector] = c;
    s_chainSelectors.push(c.chainSelector);
    emit ChainAdded(c.chainSelector, c);
  }

  function _registerLane(LaneInfo memory lane) internal {
    uint128 key = _laneKey(lane.sourceChainSelector, lane.destChainSelector);
    s_lanes[key] = lane;
    s_laneKeys.push(key);
    s_laneByOnRamp[lane.sourceChainSelector][lane.onRamp] = key;
    emit LaneAdded(lane.sourceChainSelector, lane.destChainSelector, lane);
  }

  // ================================================================
  // │                           Routing                            │
  // ================================================================

  /// @notice Captures new sends and execution results from the recorded logs. Call it before draining
  /// vm.getRecordedLogs() yourself.
  function sync() public {
    Vm.Log[] memory logs = vm.getRecordedLogs();
    for (uint256 i = 0; i < logs.length; ++i) {
      Vm.Log memory log = logs[i];
      if (log.topics.length == 0) continue;
      bytes32 topic = log.topics[0];
      if (topic == OnRamp.CCIPSendRequested.selector) {
        _captureSend(log.emitter, log.data);
      } else if (topic == OffRamp.ExecutionStateChanged.selector && log.topics.length == 3) {
        _captureExecution(log);
      }
    }
    // Restarting keeps recording on even if a test called vm.recordLogs() or stopped it.
    vm.recordLogs();
  }

  /// @dev Forks of chains deployed alike share addresses, so an OnRamp is identified together with the
  /// source selector its message carries.
  function _captureSend(address onRamp, bytes memory data) internal {
    (Internal.EVM2EVMMessage memory message,,) = abi.decode(data, (Internal.EVM2EVMMessage, address, uint256));
    uint128 key = s_laneByOnRamp[message.sourceChainSelector][onRamp];
    if (key == 0) return;
    uint64 seqNr = message.sequenceNumber;
    // A later log for the same number wins: an earlier one came from a reverted frame or an older run.
    s_messageData[key][seqNr] = data;
    s_messageIds[key][seqNr] = message.messageId;
    s_messageRefs[message.messageId] = MessageRef({laneKey: key, sequenceNumber: seqNr});
  }

  /// @dev The message id (unique across lanes) names the lane; the emitter must be that lane's OffRamp.
  function _captureExecution(Vm.Log memory log) internal {
    uint64 seqNr = uint64(uint256(log.topics[1]));
    bytes32 messageId = log.topics[2];
    MessageRef memory ref = s_messageRefs[messageId];
    uint128 key = ref.laneKey;
    if (key == 0 || ref.sequenceNumber != seqNr || s_lanes[key].offRamp != log.emitter) return;
    (Internal.MessageExecutionState state, bytes memory returnData) =
      abi.decode(log.data, (Internal.MessageExecutionState, bytes));
    LaneInfo storage lane = s_lanes[key];
    Outcome memory outcome = Outcome({
      messageId: messageId,
      sourceChainSelector: lane.sourceChainSelector,
      destChainSelector: lane.destChainSelector,
      sequenceNumber: seqNr,
      state: state,
      returnData: returnData
    });
    s_outcomes[messageId] = outcome;
    s_outcomeLog.push(outcome);
    emit MessageOutcome(messageId, state);
  }

  /// @notice Commits, blesses and executes every pending message on every lane whose source is not
  /// cursed on the destination. Returns the outcome of every execution it ran, in order.
  function route() external restoresFork returns (Outcome[] memory) {
    uint256 start = s_outcomeLog.length;
    sync();
    _commitAll();
    _executeAll();
    sync();
    return _outcomesSince(start);
  }

  /// @notice Commits and blesses every pending message (per lane, in batches) without executing them.
  /// @return numCommitted How many messages were committed.
  function commitOnly() external restoresFork returns (uint256 numCommitted) {
    sync();
    return _commitAll();
  }

  /// @notice Executes every committed, blessed message that is still untouched.
  function executePending() external restoresFork returns (Outcome[] memory) {
    uint256 start = s_outcomeLog.length;
    sync();
    _executeAll();
    sync();
    return _outcomesSince(start);
  }

  /// @notice Commits the pending batch of `messageId`'s lane and executes only that message (if untouched).
  function routeMessage(bytes32 messageId) external restoresFork returns (Outcome memory) {
    sync();
    MessageRef memory ref = _ref(messageId);
    LaneInfo memory lane = s_lanes[ref.laneKey];
    if (_isCursed(lane)) {
      _revert(abi.encodeWithSelector(LaneCursed.selector, lane.sourceChainSelector, lane.destChainSelector));
    }
    _commitLane(ref.laneKey);
    _on(lane.destChainSelector);
    if (OffRamp(lane.offRamp).getExecutionState(ref.sequenceNumber) == Internal.MessageExecutionState.UNTOUCHED) {
      _executeBatch(ref.laneKey, s_batchOf[ref.laneKey][ref.sequenceNumber] - 1, ref.sequenceNumber);
    }
    sync();
    return s_outcomes[messageId];
  }

  /// @notice Re-runs a FAILURE or UNTOUCHED message through OffRamp.manuallyExecute with `gasLimit`
  /// (0 keeps the message's own). Commits its batch first if needed and warps past the permissionless
  /// threshold for an untouched message. Reverts (OffRamp.ExecutionError) if the message fails again.
  function manuallyExecute(bytes32 messageId, uint256 gasLimit) external restoresFork returns (Outcome memory) {
    sync();
    MessageRef memory ref = _ref(messageId);
    LaneInfo memory lane = s_lanes[ref.laneKey];
    _on(lane.destChainSelector);
    Internal.MessageExecutionState state = OffRamp(lane.offRamp).getExecutionState(ref.sequenceNumber);
    if (state != Internal.MessageExecutionState.FAILURE && state != Internal.MessageExecutionState.UNTOUCHED) {
      _revert(abi.encodeWithSelector(NotManuallyExecutable.selector, messageId, state));
    }
    if (s_batchOf[ref.laneKey][ref.sequenceNumber] == 0) {
      _commitLane(ref.laneKey);
      _on(lane.destChainSelector);
    }
    Batch memory batch = s_batches[ref.laneKey][s_batchOf[ref.laneKey][ref.sequenceNumber] - 1];
    if (state == Internal.MessageExecutionState.UNTOUCHED) {
      uint256 openAt =
        CommitStore(lane.commitStore).getMerkleRoot(batch.root) + LaneProfile.PERMISSIONLESS_EXECUTION_THRESHOLD + 1;
      if (block.timestamp < openAt) vm.warp(openAt);
    }
    (Internal.ExecutionReport memory report,) = _buildReport(ref.laneKey, batch, ref.sequenceNumber);
    uint256[] memory overrides = new uint256[](1);
    overrides[0] = gasLimit;
    try OffRamp(lane.offRamp).manuallyExecute(report, overrides) {}
    catch (bytes memory err) {
      _revert(err);
    }
    sync();
    return s_outcomes[messageId];
  }

  function _outcomesSince(uint256 start) internal view returns (Outcome[] memory outcomes) {
    outcomes = new Outcome[](s_outcomeLog.length - start);
    for (uint256 i = 0; i < outcomes.length; ++i) {
      outcomes[i] = s_outcomeLog[start + i];
    }
  }

  function _commitAll() internal returns (uint256 numCommitted) {
    uint256 n = s_laneKeys.length;
    for (uint256 i = 0; i < n; ++i) {
      uint128 key = s_laneKeys[i];
      if (_isCursed(s_lanes[key])) continue;
      numCommitted += _commitLane(key);
    }
  }

  /// @dev Commits every message the lane's OnRamp numbered but its CommitStore has not seen, then blesses.
  function _commitLane(uint128 key) internal returns (uint256 numCommitted) {
    LaneInfo memory lane = s_lanes[key];
    _on(lane.sourceChainSelector);
    uint64 last = OnRamp(lane.onRamp).getExpectedNextSequenceNumber() - 1;
    _on(lane.destChainSelector);
    uint64 next = CommitStore(lane.commitStore).getExpectedNextSequenceNumber();
    while (next <= last) {
      uint64 max = last - next >= MAX_BATCH_SIZE ? next + MAX_BATCH_SIZE - 1 : last;
      bytes32 root = CCIPLocalOffchain.getRoot(_leaves(key, next, max));
      CCIPLocalOffchain.commitRoot(
        lane.commitStore, next, max, root, ++s_epochAndRound, s_signerKeys, s_f, s_commitTransmitter
      );
      _bless(lane, root);
      s_batches[key].push(Batch({minSeqNr: next, maxSeqNr: max, root: root}));
      uint256 indexPlusOne = s_batches[key].length;
      for (uint64 seqNr = next; seqNr <= max; ++seqNr) {
        s_batchOf[key][seqNr] = indexPlusOne;
      }
      emit BatchCommitted(lane.sourceChainSelector, lane.destChainSelector, next, max, root);
      numCommitted += max - next + 1;
      next = max + 1;
    }
  }

  function _leaves(uint128 key, uint64 min, uint64 max) internal returns (bytes32[] memory leaves) {
    leaves = new bytes32[](max - min + 1);
    for (uint64 seqNr = min; seqNr <= max; ++seqNr) {
      bytes32 id = s_messageIds[key][seqNr];
      if (id == bytes32(0)) {
        LaneInfo storage lane = s_lanes[key];
        _revert(
          abi.encodeWithSelector(MissingMessage.selector, lane.sourceChainSelector, lane.destChainSelector, seqNr)
        );
      }
      leaves[seqNr - min] = id;
    }
  }

  /// @dev Votes as each voter until the root is blessed; a globally cursed ARM refuses votes, so it waits.
  function _bless(LaneInfo memory lane, bytes32 root) internal {
    _on(lane.destChainSelector);
    address arm = s_chains[lane.destChainSelector].arm;
    if (IARM(arm).isCursed()) return;
    IARM.TaggedRoot[] memory roots = new IARM.TaggedRoot[](1);
    roots[0] = IARM.TaggedRoot({commitStore: lane.commitStore, root: root});
    uint256 numVoters = s_voters.length;
    for (uint256 i = 0; i < numVoters; ++i) {
      if (IARM(arm).isBlessed(roots[0])) break;
      address voter = s_voters[i];
      CCIPLocalOffchain.actAs(voter);
      ARM(arm).voteToBless(roots);
      CCIPLocalOffchain.endAct(voter);
    }
  }

  function _executeAll() internal {
    uint256 n = s_laneKeys.length;
    for (uint256 i = 0; i < n; ++i) {
      uint128 key = s_laneKeys[i];
      LaneInfo memory lane = s_lanes[key];
      if (_isCursed(lane)) continue;
      uint256 numBatches = s_batches[key].length;
      uint256 firstOpen = s_firstOpenBatch[key];
      bool allDone = true;
      for (uint256 b = firstOpen; b < numBatches; ++b) {
        bool done = _executeBatch(key, b, 0);
        // Only a prefix of finished batches may be skipped next time.
        if (allDone && done) firstOpen = b + 1;
        else allDone = false;
      }
      s_firstOpenBatch[key] = firstOpen;
    }
  }

  /// @dev Executes the untouched messages of batch `index` (only `onlySeqNr` unless 0).
  /// @return done Whether no message of the batch is untouched afterwards.
  function _executeBatch(uint128 key, uint256 index, uint64 onlySeqNr) internal returns (bool done) {
    Batch memory batch = s_batches[key][index];
    LaneInfo memory lane = s_lanes[key];
    _on(lane.destChainSelector);
    if (!CommitStore(lane.commitStore).isBlessed(batch.root)) {
      _bless(lane, batch.root);
      if (!CommitStore(lane.commitStore).isBlessed(batch.root)) return false;
    }
    (Internal.ExecutionReport memory report, uint256 count) = _buildReport(key, batch, onlySeqNr);
    if (count != 0) {
      CCIPLocalOffchain.actAs(s_execTransmitter);
      OffRamp(lane.offRamp).execute(report);
      CCIPLocalOffchain.endAct(s_execTransmitter);
    }
    for (uint64 seqNr = batch.minSeqNr; seqNr <= batch.maxSeqNr; ++seqNr) {
      if (OffRamp(lane.offRamp).getExecutionState(seqNr) == Internal.MessageExecutionState.UNTOUCHED) return false;
    }
    return true;
  }

  /// @dev The report for the batch's untouched messages, or just `onlySeqNr` (any state) when non-zero.
  function _buildReport(uint128 key, Batch memory batch, uint64 onlySeqNr)
    internal
    returns (Internal.ExecutionReport memory report, uint256 count)
  {
    address offRamp = s_lanes[key].offRamp;
    bytes32[] memory leaves = _leaves(key, batch.minSeqNr, batch.maxSeqNr);
    uint256[] memory indices = new uint256[](leaves.length);
    for (uint64 seqNr = batch.minSeqNr; seqNr <= batch.maxSeqNr; ++seqNr) {
      bool chosen = onlySeqNr != 0
        ? seqNr == onlySeqNr
        : OffRamp(offRamp).getExecutionState(seqNr) == Internal.MessageExecutionState.UNTOUCHED;
      if (chosen) indices[count++] = seqNr - batch.minSeqNr;
    }
    if (count == 0) return (report, 0);
    uint256[] memory chosenIndices = new uint256[](count);
    for (uint256 i = 0; i < count; ++i) {
      chosenIndices[i] = indices[i];
    }
    report.messages = new Internal.EVM2EVMMessage[](count);
    report.offchainTokenData = new bytes[][](count);
    for (uint256 i = 0; i < count; ++i) {
      report.messages[i] = _message(key, batch.minSeqNr + uint64(chosenIndices[i]));
      report.offchainTokenData[i] = new bytes[](report.messages[i].tokenAmounts.length);
    }
    (report.proofs, report.proofFlagBits) = CCIPLocalOffchain.getProof(leaves, chosenIndices);
  }

  function _message(uint128 key, uint64 seqNr) internal view returns (Internal.EVM2EVMMessage memory message) {
    (message,,) = abi.decode(s_messageData[key][seqNr], (Internal.EVM2EVMMessage, address, uint256));
  }

  // ================================================================
  // │                        Risk management                       │
  // ================================================================

  /// @notice Curses `subjectChainSelector` on `chainSelector`'s ARM (as its owner).
  function curse(uint64 chainSelector, uint64 subjectChainSelector) external restoresFork {
    _ownerCurse(chainSelector, bytes16(uint128(subjectChainSelector)), true);
  }

  /// @notice Lifts the curse on `subjectChainSelector` from `chainSelector`'s ARM.
  function uncurse(uint64 chainSelector, uint64 subjectChainSelector) external restoresFork {
    _ownerCurse(chainSelector, bytes16(uint128(subjectChainSelector)), false);
  }

  /// @notice Curses everything on `chainSelector`'s ARM.
  function curseGlobal(uint64 chainSelector) external restoresFork {
    _ownerCurse(chainSelector, bytes16(0x01000000000000000000000000000001), true);
  }

  /// @notice Lifts the global curse of `chainSelector`'s ARM.
  function uncurseGlobal(uint64 chainSelector) external restoresFork {
    _ownerCurse(chainSelector, bytes16(0x01000000000000000000000000000001), false);
  }

  function _ownerCurse(uint64 chainSelector, bytes16 subject, bool cursed) internal {
    bytes16[] memory subjects = new bytes16[](1);
    subjects[0] = subject;
    address arm = _chain(chainSelector).arm;
    _on(chainSelector);
    CCIPLocalOffchain.actAs(s_owner);
    if (cursed) ARM(arm).ownerCurse(subjects);
    else ARM(arm).ownerUncurse(subjects);
    CCIPLocalOffchain.endAct(s_owner);
  }

  /// @dev The destination refuses the lane's commits and executions while it curses the source (or all).
  function _isCursed(LaneInfo memory lane) internal returns (bool) {
    _on(lane.destChainSelector);
    return IARM(s_chains[lane.destChainSelector].arm).isCursed(bytes16(uint128(lane.sourceChainSelector)));
  }

  // ================================================================
  // │                           Helpers                            │
  // ================================================================

  /// @notice Mints `amount` of LINK, CCIP-BnM and CCIP-LnM on `chainSelector` to `to`.
  function fund(uint64 chainSelector, address to, uint256 amount) external restoresFork {
    Chain storage c = _chain(chainSelector);
    _on(chainSelector);
    CCIPLocalOffchain.actAs(s_owner);
    FaucetToken(c.linkToken).mint(to, amount);
    CCIPLocalOffchain.endAct(s_owner);
    CCIPLocalOffchain.actAs(s_owner);
    BurnMintTestToken(c.bnmToken).mint(to, amount);
    CCIPLocalOffchain.endAct(s_owner);
    CCIPLocalOffchain.actAs(s_owner);
    FaucetToken(c.lnmToken).mint(to, amount);
    CCIPLocalOffchain.endAct(s_owner);
  }

  /// @notice Proposes `administrator` for `token` on `chainSelector`'s TokenAdminRegistry (as its
  /// owner); `administrator` then accepts and sets the token's pool itself.
  function proposeTokenAdministrator(uint64 chainSelector, address token, address administrator) external restoresFork {
    address registry = _chain(chainSelector).tokenAdminRegistry;
    _on(chainSelector);
    CCIPLocalOffchain.actAs(s_owner);
    TokenAdminRegistry(registry).proposeAdministrator(token, administrator);
    CCIPLocalOffchain.endAct(s_owner);
  }

  /// @notice Mints `amount` of LINK only on `chainSelector` to `to`.
  function fundLink(uint64 chainSelector, address to, uint256 amount) external restoresFork {
    address link = _chain(chainSelector).linkToken;
    _on(chainSelector);
    CCIPLocalOffchain.actAs(s_owner);
    FaucetToken(link).mint(to, amount);
    CCIPLocalOffchain.endAct(s_owner);
  }

  /// @notice Whether the lane `source` -> `dest` charges fees: true restores the lane profile's fee token
  /// premiums, false sets them to 0, which makes every message on the lane free (OnRamp fee config, as
  /// its owner).
  function setFeesCharged(uint64 source, uint64 dest, bool charged) external restoresFork {
    LaneInfo storage lane = s_lanes[_laneKey(source, dest)];
    if (lane.onRamp == address(0)) revert UnknownChain(s_chains[source].router == address(0) ? source : dest);
    Chain storage c = _chain(source);
    OnRamp.FeeTokenConfigArgs[] memory configs = LaneProfile.feeTokenConfigs(c.wrappedNative, c.linkToken);
    if (!charged) {
      for (uint256 i = 0; i < configs.length; ++i) {
        configs[i].premiumMultiplierWeiPerEth = 0;
      }
    }
    address onRamp = lane.onRamp;
    _on(source);
    CCIPLocalOffchain.actAs(s_owner);
    OnRamp(onRamp).applyFeeTokenConfigUpdates(configs);
    CCIPLocalOffchain.endAct(s_owner);
  }

  // ================================================================
  // │                            Views                             │
  // ================================================================

  /// @notice Every address of the chain `chainSelector`.
  function getChain(uint64 chainSelector) external view returns (Chain memory) {
    return _chain(chainSelector);
  }

  /// @notice The selectors of all chains, in the order they were added.
  function getChainSelectors() external view returns (uint64[] memory) {
    return s_chainSelectors;
  }

  /// @notice The ramps of the lane `source` -> `dest`.
  function getLane(uint64 source, uint64 dest)
    external
    view
    returns (address onRamp, address commitStore, address offRamp)
  {
    LaneInfo storage lane = s_lanes[_laneKey(source, dest)];
    if (lane.onRamp == address(0)) revert UnknownChain(s_chains[source].router == address(0) ? source : dest);
    return (lane.onRamp, lane.commitStore, lane.offRamp);
  }

  /// @notice The latest execution outcome of `messageId` (state UNTOUCHED and no data if never executed).
  function getOutcome(bytes32 messageId) external view returns (Outcome memory outcome) {
    outcome = s_outcomes[messageId];
    if (outcome.messageId == bytes32(0)) {
      MessageRef memory ref = _ref(messageId);
      LaneInfo storage lane = s_lanes[ref.laneKey];
      outcome.messageId = messageId;
      outcome.sourceChainSelector = lane.sourceChainSelector;
      outcome.destChainSelector = lane.destChainSelector;
      outcome.sequenceNumber = ref.sequenceNumber;
    }
  }

  /// @notice The captured message `messageId` as its OnRamp emitted it (call sync() or route() first).
  function getMessage(bytes32 messageId) external view returns (Internal.EVM2EVMMessage memory) {
    MessageRef memory ref = _ref(messageId);
    return _message(ref.laneKey, ref.sequenceNumber);
  }

  /// @notice Whether the kit committed `messageId`, and the root it was committed under.
  function getCommittedRoot(bytes32 messageId) external view returns (bool committed, bytes32 root) {
    MessageRef memory ref = _ref(messageId);
    uint256 indexPlusOne = s_batchOf[ref.laneKey][ref.sequenceNumber];
    if (indexPlusOne == 0) return (false, bytes32(0));
    return (true, s_batches[ref.laneKey][indexPlusOne - 1].root);
  }

  /// @notice How many execution outcomes the kit has recorded so far (every attempt, in order).
  function getOutcomeCount() external view returns (uint256) {
    return s_outcomeLog.length;
  }

  /// @notice Every execution outcome recorded from position `start` on, in order.
  function getOutcomesSince(uint256 start) external view returns (Outcome[] memory) {
    return _outcomesSince(start);
  }

  /// @notice The committing network's signer addresses and the risk network's voter addresses.
  function getOracles() external view returns (address[] memory signers, address[] memory voters) {
    return (s_signers, s_voters);
  }

  function _chain(uint64 chainSelector) internal view returns (Chain storage c) {
    c = s_chains[chainSelector];
    if (c.router == address(0)) revert UnknownChain(chainSelector);
  }

  function _ref(bytes32 messageId) internal view returns (MessageRef memory ref) {
    ref = s_messageRefs[messageId];
    if (ref.laneKey == 0) revert UnknownMessage(messageId);
  }

  function _laneKey(uint64 source, uint64 dest) internal pure returns (uint128) {
    return (uint128(source) << 64) | dest;
  }
}

/// @title CCIPLocalWiring
/// @notice Deploys and wires chains and lanes for CCIPLocalNetwork. An external library (DELEGATECALL), so
/// the network owns everything while its own bytecode stays under the 24 KiB limit.
library CCIPLocalWiring {
  uint8 internal constant F = 1;
  uint16 internal constant BLESS_THRESHOLD = 2;

  /// @notice Deploys and wires every contract of one chain; the caller owns them all.
  function deployChain(uint64 chainSelector, address[] memory voters)
    external
    returns (CCIPLocalNetwork.Chain memory c)
  {
    c.chainSelector = chainSelector;
    c.wrappedNative = CCIPLocalTokenDeployer.deployWrappedNative();
    c.linkToken = CCIPLocalTokenDeployer.deployFaucetToken("ChainLink Token", "LINK");
    c.arm = CCIPLocalArmDeployer.deployArm(voters, BLESS_THRESHOLD, BLESS_THRESHOLD);
    c.tokenAdminRegistry = CCIPLocalArmDeployer.deployTokenAdminRegistry();
    c.router = CCIPLocalRouterDeployer.deployRouter(c.wrappedNative, c.arm);
    c.priceRegistry = CCIPLocalRouterDeployer.deployPriceRegistry(LaneProfile.feeTokens(c.wrappedNative, c.linkToken));

    c.bnmToken = CCIPLocalTokenDeployer.deployBurnMintToken("CCIP-BnM", "CCIP-BnM");
    c.bnmPool = CCIPLocalBurnMintPoolDeployer.deployBurnMintPool(c.bnmToken, c.arm, c.router);
    BurnMintTestToken(c.bnmToken).grantMintAndBurnRoles(c.bnmPool);
    // The kit mints test balances through fund(); it never burns.
    BurnMintTestToken(c.bnmToken).grantMintAndBurnRoles(address(this));

    c.lnmToken = CCIPLocalTokenDeployer.deployFaucetToken("CCIP-LnM", "CCIP-LnM");
    c.lnmPool = CCIPLocalLockReleasePoolDeployer.deployLockReleasePool(c.lnmToken, c.arm, c.router);
    LockReleaseTokenPool(c.lnmPool).setRebalancer(address(this));
    FaucetToken(c.lnmToken).mint(address(this), LaneProfile.POOL_LIQUIDITY);
    IERC20(c.lnmToken).approve(c.lnmPool, LaneProfile.POOL_LIQUIDITY);
    LockReleaseTokenPool(c.lnmPool).provideLiquidity(LaneProfile.POOL_LIQUIDITY);

    _registerToken(c.tokenAdminRegistry, c.bnmToken, c.bnmPool);
    _registerToken(c.tokenAdminRegistry, c.lnmToken, c.lnmPool);

    // Token prices now; each lane adds its destination's gas price (deployLane).
    address[] memory testTokens = new address[](2);
    testTokens[0] = c.bnmToken;
    testTokens[1] = c.lnmToken;
    PriceRegistry(c.priceRegistry)
      .updatePrices(LaneProfile.initialPrices(c.wrappedNative, c.linkToken, testTokens, new uint64[](0)));
  }

  function _registerToken(address registry, address token, address pool) internal {
    TokenAdminRegistry(registry).proposeAdministrator(token, address(this));
    TokenAdminRegistry(registry).acceptAdminRole(token);
    TokenAdminRegistry(registry).setPool(token, pool);
  }

  /// @notice Deploys the lane s -> d (OnRamp on s, CommitStore and OffRamp on d) and wires it into both
  /// chains: Routers, OCR config, transmitters, price updaters, gas price and pools.
  function deployLane(CCIPLocalNetwork.Chain memory s, CCIPLocalNetwork.Chain memory d, address[] memory signers)
    external
    returns (CCIPLocalNetwork.LaneInfo memory lane)
  {
    uint64 source = s.chainSelector;
    uint64 dest = d.chainSelector;
    CCIPLocalLaneArgs memory a = CCIPLocalLaneArgs({
      sourceChainSelector: source,
      destChainSelector: dest,
      sourceRouter: s.router,
      sourcePriceRegistry: s.priceRegistry,
      sourceArm: s.arm,
      sourceTokenAdminRegistry: s.tokenAdminRegistry,
      sourceWrappedNative: s.wrappedNative,
      sourceLinkToken: s.linkToken,
      destRouter: d.router,
      destPriceRegistry: d.priceRegistry,
      destArm: d.arm,
      destTokenAdminRegistry: d.tokenAdminRegistry
    });
    lane.sourceChainSelector = source;
    lane.destChainSelector = dest;
    lane.onRamp = CCIPLocalOnRampDeployer.deployOnRamp(a);
    lane.commitStore = CCIPLocalCommitStoreDeployer.deployCommitStore(a, lane.onRamp);
    lane.offRamp = CCIPLocalOffRampDeployer.deployOffRamp(a, lane.onRamp, lane.commitStore);

    // The contracts start with the aggregate limit off; set it only if the profile turns it on.
    RateLimiter.Config memory rampLimit = LaneProfile.rampRateLimiterConfig();
    if (rampLimit.isEnabled) {
      OnRamp(lane.onRamp).setRateLimiterConfig(rampLimit);
      OffRamp(lane.offRamp).setRateLimiterConfig(rampLimit);
    }

    address[] memory self = new address[](1);
    self[0] = address(this);
    CommitStore(lane.commitStore).setConfig(signers, self, F);
    OffRamp(lane.offRamp).applyTransmitterUpdates(new address[](0), self);

    Router.OnRamp[] memory onRamps = new Router.OnRamp[](1);
    onRamps[0] = Router.OnRamp({destChainSelector: dest, onRamp: lane.onRamp});
    Router(s.router).applyRampUpdates(onRamps, new Router.OffRamp[](0), new Router.OffRamp[](0));
    Router.OffRamp[] memory offRamps = new Router.OffRamp[](1);
    offRamps[0] = Router.OffRamp({sourceChainSelector: source, offRamp: lane.offRamp});
    Router(d.router).applyRampUpdates(new Router.OnRamp[](0), new Router.OffRamp[](0), offRamps);

    address[] memory updaters = new address[](1);
    updaters[0] = lane.commitStore;
    PriceRegistry(d.priceRegistry).applyPriceUpdatersUpdates(updaters, new address[](0));
    Internal.PriceUpdates memory gasPrice;
    gasPrice.gasPriceUpdates = new Internal.GasPriceUpdate[](1);
    gasPrice.gasPriceUpdates[0] = Internal.GasPriceUpdate(dest, LaneProfile.GAS_PRICE);
    PriceRegistry(s.priceRegistry).updatePrices(gasPrice);

    // Pool configs are per remote chain and serve both directions; the source side sets its own.
    _addPoolChain(s.bnmPool, dest, d.bnmPool, d.bnmToken);
    _addPoolChain(s.lnmPool, dest, d.lnmPool, d.lnmToken);
  }

  function _addPoolChain(address pool, uint64 remoteChainSelector, address remotePool, address remoteToken) internal {
    RateLimiter.Config memory limit = LaneProfile.poolRateLimiterConfig();
    TokenPool.ChainUpdate[] memory updates = new TokenPool.ChainUpdate[](1);
    updates[0] = TokenPool.ChainUpdate({
      remoteChainSelector: remoteChainSelector,
      allowed: true,
      remotePoolAddress: remotePool,
      remoteTokenAddress: remoteToken,
      outboundRateLimiterConfig: limit,
      inboundRateLimiterConfig: limit
    });
    TokenPool(pool).applyChainUpdates(updates);
  }
}

/// @title CCIPLocalOffchain
/// @notice The committing network's work (trees, proofs, signed commits) behind external functions, so
/// the kits do not inline it and stay small.
library CCIPLocalOffchain {
  Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

  /// @notice Signs with the first f+1 signers (byte i of rawVs is signature i's recovery id) and transmits as
  /// `transmitter` (no prank when it is the calling kit itself).
  function commitRoot(
    address commitStore,
    uint64 min,
    uint64 max,
    bytes32 root,
    uint40 epochAndRound,
    uint256[] memory signerKeys,
    uint8 f,
    address transmitter
  ) external {
    Internal.PriceUpdates memory noPrices;
    bytes memory report = abi.encode(Internal.CommitReport(noPrices, Internal.Interval(min, max), root));
    (,, bytes32 configDigest) = CommitStore(commitStore).latestConfigDetails();
    bytes32 digest = Internal._commitReportDigest(configDigest, epochAndRound, report);
    bytes32[] memory rs = new bytes32[](uint256(f) + 1);
    bytes32[] memory ss = new bytes32[](uint256(f) + 1);
    bytes32 rawVs;
    for (uint256 i = 0; i <= f; ++i) {
      (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerKeys[i], digest);
      rs[i] = r;
      ss[i] = s;
      rawVs |= bytes32(uint256(v - 27) << (248 - 8 * i));
    }
    bytes32[2] memory context = [configDigest, bytes32(uint256(epochAndRound))];
    actAs(transmitter);
    CommitStore(commitStore).commit(context, report, rs, ss, rawVs);
    endAct(transmitter);
  }

  /// @dev Makes the kit's next call come from `actor` (nothing to do when it is the kit itself); every such
  /// call sits between actAs and endAct. The kit may run inside a test's prank, and forge 1.x refuses a
  /// single vm.prank while a test's startPrank is in force, and a startPrank while a test's single prank is
  /// (for the whole call it pranked): so the kit's prank is of the kind the test's is. Pranks are kept per
  /// call depth, so the test's prank is in force again once the kit returns.
  function actAs(address actor) internal {
    if (actor == address(this)) return;
    (VmSafe.CallerMode mode,,) = vm.readCallers();
    if (mode == VmSafe.CallerMode.RecurrentPrank) vm.startPrank(actor);
    else vm.prank(actor);
  }

  /// @dev Ends what actAs(actor) started: a single prank ended with its call, a startPrank is stopped.
  function endAct(address actor) internal {
    if (actor == address(this)) return;
    (VmSafe.CallerMode mode, address sender,) = vm.readCallers();
    if (mode == VmSafe.CallerMode.RecurrentPrank && sender == actor) vm.stopPrank();
  }

  /// @notice MerkleTreeBuilder.getRoot.
  function getRoot(bytes32[] memory leaves) external pure returns (bytes32) {
    return MerkleTreeBuilder.getRoot(leaves);
  }

  /// @notice MerkleTreeBuilder.getProof.
  function getProof(bytes32[] memory leaves, uint256[] memory sortedIndices)
    external
    pure
    returns (bytes32[] memory proofs, uint256 proofFlagBits)
  {
    return MerkleTreeBuilder.getProof(leaves, sortedIndices);
  }
}
