// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {Ownable2Step} from "./access/Ownable2Step.sol";
import {IARM} from "./interfaces/IARM.sol";
import {ICommitStore} from "./interfaces/ICommitStore.sol";
import {IPriceRegistry} from "./interfaces/IPriceRegistry.sol";
import {Internal} from "./libraries/Internal.sol";
import {MerkleMultiProof} from "./libraries/MerkleMultiProof.sol";

/// @title CommitStore
/// @notice Accepts merkle roots of message batches (and price updates) signed by the committing network
/// for one inbound lane, and tells the OffRamp when a root is committed and blessed.
/// @dev The signature check is OCR-like: a report needs f+1 distinct configured signers, sent by a
/// configured transmitter, under the current config digest.
contract CommitStore is ICommitStore, Ownable2Step {
  /// @notice Signer indexes live in a uint256 bitmap and in rawVs (32 bytes): 31 keeps both safe.
  uint256 public constant MAX_NUM_ORACLES = 31;
  uint256 internal constant ROOT_ONLY_REPORT_LENGTH = 9 * 32;

  struct StaticConfig {
    uint64 chainSelector; // this (destination) chain
    uint64 sourceChainSelector;
    address onRamp; // the OnRamp on the source chain
    address arm;
  }

  struct DynamicConfig {
    address priceRegistry;
  }

  // Everything a commit reads and writes besides the oracle records lives in one hand-packed slot, s_hot:
  // bits 0-63 minSeqNr (the next interval must start here; from 1), 64-103 latestPriceEpochAndRound (price
  // updates from older or equal epochs and rounds are stale), 104-111 f (a report needs f+1 signatures),
  // bit 112 paused, 128-255 the first 16 bytes of the config digest. 16 bytes are enough to reject every
  // digest but the current one (the signatures cover the full digest from the report context), and the
  // prefix saves a cold SLOAD per commit; hand packing saves the memory-struct round trips.
  uint256 private constant EPOCH_SHIFT = 64;
  uint256 private constant F_SHIFT = 104;
  uint256 private constant PAUSED_BIT = 1 << 112;
  uint256 private constant DIGEST_SHIFT = 128;
  uint256 private constant MIN_SEQ_NR_MASK = type(uint64).max;
  uint256 private constant EPOCH_MASK = uint256(type(uint40).max) << EPOCH_SHIFT;

  struct ConfigInfo {
    uint32 configCount;
    uint32 latestConfigBlockNumber;
  }

  /// @dev One slot per address; an address may be both a signer and a transmitter.
  struct Oracle {
    uint8 signerIndex;
    bool isSigner;
    bool isTransmitter;
    // Transmitters only: a mirror of s_dynamicConfig.priceRegistry (rewritten by setConfig and
    // setDynamicConfig, both rare), so a price commit finds it in the record it reads anyway (saves a
    // cold SLOAD per price commit).
    address priceRegistry;
  }

  error ZeroChainSelector();
  error ZeroAddress();
  error FaultToleranceMustBePositive();
  error TooManySigners(uint256 count, uint256 max);
  error TooFewSigners(uint256 count, uint8 f);
  error TooManyTransmitters(uint256 count, uint256 max);
  error NoTransmitters();
  error ZeroSignerAddress(uint256 index);
  error ZeroTransmitterAddress(uint256 index);
  error DuplicateSigner(address signer);
  error DuplicateTransmitter(address transmitter);
  error ConfigDigestMismatch(bytes32 expected, bytes32 actual);
  error UnauthorizedTransmitter(address sender);
  error SignaturesLengthMismatch(uint256 rsLength, uint256 ssLength);
  error WrongNumberOfSignatures(uint256 minRequired, uint256 actual);
  error UnauthorizedSigner(address signer);
  error NonUniqueSignatures(address signer);
  error PausedError();
  error CursedByARM(bytes16 subject);
  error StaleReport(uint40 epochAndRound, uint40 latestPriceEpochAndRound);
  error EmptyReport();
  error InvalidInterval(Internal.Interval interval);
  error InvalidRoot();
  error RootAlreadyCommitted(bytes32 root);
  error NothingToBless();
  error PriceRegistryWithoutCode(address priceRegistry);

  event ConfigSet(bytes32 configDigest, uint32 configCount, address[] signers, address[] transmitters, uint8 f);
  event DynamicConfigSet(StaticConfig staticConfig, DynamicConfig dynamicConfig);
  /// @notice A root was committed for the messages `minSeqNr..maxSeqNr` (prices show up as PriceRegistry events).
  event ReportAccepted(bytes32 merkleRoot, uint64 minSeqNr, uint64 maxSeqNr);
  event Transmitted(bytes32 configDigest, uint40 epochAndRound);
  event Paused(address account);
  event Unpaused(address account);
  event SequenceNumberSet(uint64 oldSeqNr, uint64 newSeqNr);
  event RootRemoved(bytes32 root);

  uint64 internal immutable i_chainSelector;
  uint64 internal immutable i_sourceChainSelector;
  address internal immutable i_onRamp;
  address internal immutable i_arm;
  bytes16 internal immutable i_sourceSubject;

  uint256 private s_hot;
  bytes32 private s_configDigest;
  ConfigInfo private s_configInfo;
  DynamicConfig private s_dynamicConfig;
  mapping(address => Oracle) private s_oracles;
  address[] private s_signers;
  address[] private s_transmitters;
  mapping(bytes32 root => uint256 timestamp) private s_roots;

  constructor(address owner, StaticConfig memory staticConfig, DynamicConfig memory dynamicConfig) Ownable2Step(owner) {
    if (staticConfig.chainSelector == 0 || staticConfig.sourceChainSelector == 0) revert ZeroChainSelector();
    if (staticConfig.onRamp == address(0) || staticConfig.arm == address(0)) revert ZeroAddress();
    i_chainSelector = staticConfig.chainSelector;
    i_sourceChainSelector = staticConfig.sourceChainSelector;
    i_onRamp = staticConfig.onRamp;
    i_arm = staticConfig.arm;
    i_sourceSubject = bytes16(uint128(staticConfig.sourceChainSelector));
    s_hot = 1; // minSeqNr
    _setDynamicConfig(dynamicConfig);
  }

  // ================================================================
  // │                            Commit                            │
  // ================================================================

  /// @notice Accepts a signed commit report: a merkle root for the next interval of messages, price
  /// updates, or both. Only transmitters; needs f+1 signatures of distinct signers over
  /// Internal._commitReportDigest(configDigest, epochAndRound, report).
  /// @param reportContext [0]: the config digest, [1]: epoch and round in the low 40 bits.
  /// @param report abi.encode(Internal.CommitReport).
  /// @param rawVs Byte i is the recovery id (0 or 1) of signature i.
  function commit(
    bytes32[2] calldata reportContext,
    bytes calldata report,
    bytes32[] calldata rs,
    bytes32[] calldata ss,
    bytes32 rawVs
  ) external {
    _commit(reportContext, report, rs, ss, rawVs);
  }

  /// @notice commit, then blesses the committed root in the same transaction with the risk network's
  /// signatures: the ARM verifies them against its bless voters and threshold (IARM.blessWithSignatures)
  /// and records the blessing. Saves the voters one transaction each per root. Same access rules as
  /// commit; the report must carry a root.
  /// @param blessSignatures The bless voters' signatures over the ARM's getBlessDigest of
  /// (this CommitStore, the report's root).
  function commitAndBless(
    bytes32[2] calldata reportContext,
    bytes calldata report,
    bytes32[] calldata rs,
    bytes32[] calldata ss,
    bytes32 rawVs,
    IARM.Signature[] calldata blessSignatures
  ) external {
    bytes32 root = _commit(reportContext, report, rs, ss, rawVs);
    if (root == bytes32(0)) revert NothingToBless();
    IARM(i_arm).blessWithSignatures(IARM.TaggedRoot({commitStore: address(this), root: root}), blessSignatures);
  }

  /// @return committedRoot The root the report committed; zero for a price-only report.
  function _commit(
    bytes32[2] calldata reportContext,
    bytes calldata report,
    bytes32[] calldata rs,
    bytes32[] calldata ss,
    bytes32 rawVs
  ) internal returns (bytes32 committedRoot) {
    uint256 hot = _checkReport(reportContext, report, rs, ss, rawVs);
    uint40 epochAndRound = uint40(uint256(reportContext[1]));
    uint256 pricesStart;
    (hot, committedRoot, pricesStart) = _acceptReport(hot, report, epochAndRound);
    s_hot = hot;

    // The transmitter's record is warm: _checkReport read it.
    if (pricesStart != 0) _updatePrices(s_oracles[msg.sender].priceRegistry, report[pricesStart:]);
    emit Transmitted(reportContext[0], epochAndRound);
  }

  /// @dev Everything that decides whether the report may be looked at: config digest, transmitter, pause,
  /// signatures, curse. Returns the hot slot.
  function _checkReport(
    bytes32[2] calldata reportContext,
    bytes calldata report,
    bytes32[] calldata rs,
    bytes32[] calldata ss,
    bytes32 rawVs
  ) internal view returns (uint256 hot) {
    hot = s_hot;
    bytes32 configDigest = reportContext[0];
    if (uint128(uint256(configDigest) >> 128) != uint128(hot >> DIGEST_SHIFT)) {
      revert ConfigDigestMismatch(s_configDigest, configDigest);
    }
    if (!s_oracles[msg.sender].isTransmitter) revert UnauthorizedTransmitter(msg.sender);
    if (hot & PAUSED_BIT != 0) revert PausedError();
    if (rs.length != ss.length) revert SignaturesLengthMismatch(rs.length, ss.length);
    {
      uint256 f = uint8(hot >> F_SHIFT);
      if (rs.length <= f) revert WrongNumberOfSignatures(f + 1, rs.length);
    }
    _verifySignatures(
      Internal._commitReportDigest(configDigest, uint40(uint256(reportContext[1])), report), rs, ss, rawVs
    );

    // A cursed source chain may have produced bad messages: accept nothing from it, prices included.
    if (IARM(i_arm).isCursed(i_sourceSubject)) revert CursedByARM(i_sourceSubject);
  }

  /// @dev The report's effect on s_hot and s_roots. Returns the new hot slot, the committed root (zero
  /// for none) and, when its price updates are to be applied, where they start in `report` (else zero).
  function _acceptReport(uint256 hot, bytes calldata report, uint40 epochAndRound)
    internal
    returns (uint256, bytes32 committedRoot, uint256 pricesStart)
  {
    (uint64 minSeqNr, uint64 maxSeqNr, bytes32 root, uint256 pricesAt) = _decodeReport(report);
    bool hasRoot = minSeqNr != 0 || root != bytes32(0);
    if (pricesAt != 0) {
      // Prices from an older round would overwrite fresher ones; a root in the same report still counts.
      uint40 latestPriceEpochAndRound = uint40(hot >> EPOCH_SHIFT);
      if (epochAndRound > latestPriceEpochAndRound) {
        hot = (hot & ~EPOCH_MASK) | (uint256(epochAndRound) << EPOCH_SHIFT);
        pricesStart = pricesAt;
      } else if (!hasRoot) {
        revert StaleReport(epochAndRound, latestPriceEpochAndRound);
      }
    } else if (!hasRoot) {
      revert EmptyReport();
    }

    if (hasRoot) {
      if (minSeqNr != uint64(hot) || minSeqNr > maxSeqNr) {
        revert InvalidInterval(Internal.Interval(minSeqNr, maxSeqNr));
      }
      if (root == bytes32(0)) revert InvalidRoot();
      if (s_roots[root] != 0) revert RootAlreadyCommitted(root);
      s_roots[root] = block.timestamp;
      hot = (hot & ~MIN_SEQ_NR_MASK) | (maxSeqNr + 1);
      emit ReportAccepted(root, minSeqNr, maxSeqNr);
      committedRoot = root;
    }
    return (hot, committedRoot, pricesStart);
  }

  /// @dev Reads the interval and root of abi.encode(CommitReport) and finds its price updates without
  /// decoding them: they go to the PriceRegistry as the calldata they already are, whose ABI decoder
  /// validates them (decoding them here and encoding them again cost ~3k gas per price commit). Every
  /// offset read goes through bounds-checked calldata slicing and checked arithmetic, so a malformed
  /// report reverts. A report without prices in the canonical encoding is exactly ROOT_ONLY_REPORT_LENGTH
  /// bytes (the tuple offset, the head, two empty arrays): only its head is read. `pricesAt` is where the
  /// PriceUpdates tuple starts in `report` if it holds any update, else zero (no tuple starts at zero: the
  /// report's first word is the outer tuple offset).
  function _decodeReport(bytes calldata report)
    internal
    pure
    returns (uint64 minSeqNr, uint64 maxSeqNr, bytes32 root, uint256 pricesAt)
  {
    uint256 tupleOffset;
    if (report.length == ROOT_ONLY_REPORT_LENGTH) {
      (tupleOffset,, minSeqNr, maxSeqNr, root) = abi.decode(report, (uint256, uint256, uint64, uint64, bytes32));
      if (tupleOffset == 0x20) return (minSeqNr, maxSeqNr, root, 0);
    }
    tupleOffset = uint256(bytes32(report[:32]));
    uint256 pricesOffset;
    (pricesOffset, minSeqNr, maxSeqNr, root) = abi.decode(report[tupleOffset:], (uint256, uint64, uint64, bytes32));
    uint256 start = tupleOffset + pricesOffset;
    bytes calldata prices = report[start:];
    (uint256 tokensOffset, uint256 gasOffset) = abi.decode(prices, (uint256, uint256));
    if (
      uint256(bytes32(prices[tokensOffset:tokensOffset + 32])) != 0
        || uint256(bytes32(prices[gasOffset:gasOffset + 32])) != 0
    ) pricesAt = start;
  }

  /// @dev updatePrices(PriceUpdates) with the report's own encoding of the updates as the argument.
  function _updatePrices(address priceRegistry, bytes calldata priceUpdates) internal {
    // A low-level call succeeds on an address without code, which would drop the prices silently.
    if (priceRegistry.code.length == 0) revert PriceRegistryWithoutCode(priceRegistry);
    (bool success, bytes memory err) =
      priceRegistry.call(abi.encodePacked(IPriceRegistry.updatePrices.selector, uint256(0x20), priceUpdates));
    if (!success) {
      // Assembly only to rethrow the PriceRegistry's revert data unchanged, as the typed call did.
      assembly ("memory-safe") {
        revert(add(err, 0x20), mload(err))
      }
    }
  }

  function _verifySignatures(bytes32 digest, bytes32[] calldata rs, bytes32[] calldata ss, bytes32 rawVs)
    internal
    view
  {
    uint256 seen = 0;
    for (uint256 i = 0; i < rs.length; ++i) {
      // A recovery id above 1 wraps or misses: ecrecover then yields no configured signer.
      uint8 v;
      unchecked {
        v = uint8(rawVs[i]) + 27;
      }
      address signer = ecrecover(digest, v, rs[i], ss[i]);
      Oracle storage oracle = s_oracles[signer];
      if (!oracle.isSigner) revert UnauthorizedSigner(signer);
      uint256 bit = 1 << oracle.signerIndex;
      if (seen & bit != 0) revert NonUniqueSignatures(signer);
      seen |= bit;
    }
  }

  // ================================================================
  // │                            Verify                            │
  // ================================================================

  /// @inheritdoc ICommitStore
  function verify(bytes32[] calldata hashedLeaves, bytes32[] calldata proofs, uint256 proofFlagBits)
    external
    view
    returns (uint256 timestamp)
  {
    bytes32 root = MerkleMultiProof.merkleRoot(hashedLeaves, proofs, proofFlagBits);
    timestamp = s_roots[root];
    if (timestamp == 0) return 0;
    if (!IARM(i_arm).isBlessed(IARM.TaggedRoot({commitStore: address(this), root: root}))) return 0;
    return timestamp;
  }

  /// @notice When `root` was committed, 0 if it was not.
  function getMerkleRoot(bytes32 root) external view returns (uint256) {
    return s_roots[root];
  }

  /// @notice Whether the ARM has blessed `root` as committed here.
  function isBlessed(bytes32 root) public view returns (bool) {
    return IARM(i_arm).isBlessed(IARM.TaggedRoot({commitStore: address(this), root: root}));
  }

  /// @inheritdoc ICommitStore
  function getExpectedNextSequenceNumber() external view returns (uint64) {
    return uint64(s_hot);
  }

  /// @notice The highest epoch and round whose price updates were applied under the current config.
  function getLatestPriceEpochAndRound() external view returns (uint40) {
    return uint40(s_hot >> EPOCH_SHIFT);
  }

  /// @notice Whether commits are accepted right now: not paused and the source chain not cursed.
  function isUnpausedAndNotCursed() external view returns (bool) {
    return s_hot & PAUSED_BIT == 0 && !IARM(i_arm).isCursed(i_sourceSubject);
  }

  /// @notice Whether the owner paused commits.
  function paused() external view returns (bool) {
    return s_hot & PAUSED_BIT != 0;
  }

  // ================================================================
  // │                         Owner actions                        │
  // ================================================================

  /// @notice Stops accepting commit reports. Only the owner.
  function pause() external onlyOwner {
    s_hot |= PAUSED_BIT;
    emit Paused(msg.sender);
  }

  /// @notice Resumes accepting commit reports. Only the owner.
  function unpause() external onlyOwner {
    s_hot &= ~PAUSED_BIT;
    emit Unpaused(msg.sender);
  }

  /// @notice Moves the expected next sequence number, e.g. to skip an interval that can never be
  /// committed. Only the owner.
  function setMinSeqNr(uint64 minSeqNr) external onlyOwner {
    uint256 hot = s_hot;
    s_hot = (hot & ~MIN_SEQ_NR_MASK) | minSeqNr;
    uint64 old = uint64(hot);
    emit SequenceNumberSet(old, minSeqNr);
  }

  /// @notice Forgets committed roots the ARM has not blessed, so a corrected report can commit them
  /// again. Only the owner. Blessed and unknown roots are left alone.
  function resetUnblessedRoots(bytes32[] calldata roots) external onlyOwner {
    for (uint256 i = 0; i < roots.length; ++i) {
      bytes32 root = roots[i];
      if (s_roots[root] == 0 || isBlessed(root)) continue;
      delete s_roots[root];
      emit RootRemoved(root);
    }
  }

  /// @notice Replaces the dynamic config. Only the owner.
  function setDynamicConfig(DynamicConfig calldata dynamicConfig) external onlyOwner {
    _setDynamicConfig(dynamicConfig);
  }

  function _setDynamicConfig(DynamicConfig memory dynamicConfig) internal {
    if (dynamicConfig.priceRegistry == address(0)) revert ZeroAddress();
    s_dynamicConfig = dynamicConfig;
    address[] storage transmitters = s_transmitters;
    for (uint256 i = 0; i < transmitters.length; ++i) {
      s_oracles[transmitters[i]].priceRegistry = dynamicConfig.priceRegistry;
    }
    emit DynamicConfigSet(getStaticConfig(), dynamicConfig);
  }

  /// @notice The lane wiring fixed at deployment.
  function getStaticConfig() public view returns (StaticConfig memory) {
    return StaticConfig({
      chainSelector: i_chainSelector, sourceChainSelector: i_sourceChainSelector, onRamp: i_onRamp, arm: i_arm
    });
  }

  /// @notice The owner-set config.
  function getDynamicConfig() external view returns (DynamicConfig memory) {
    return s_dynamicConfig;
  }

  // ================================================================
  // │                          OCR config                          │
  // ================================================================

  /// @notice Replaces the committing network: its signers, transmitters and fault tolerance f (a report
  /// needs f+1 signatures; more than 3f signers are required). Only the owner. Bumps the config count,
  /// derives a new config digest and resets the price epoch-and-round, which is scoped per config.
  function setConfig(address[] calldata signers, address[] calldata transmitters, uint8 f) external onlyOwner {
    if (f == 0) revert FaultToleranceMustBePositive();
    if (signers.length > MAX_NUM_ORACLES) revert TooManySigners(signers.length, MAX_NUM_ORACLES);
    if (signers.length <= 3 * uint256(f)) revert TooFewSigners(signers.length, f);
    if (transmitters.length == 0) revert NoTransmitters();
    if (transmitters.length > MAX_NUM_ORACLES) revert TooManyTransmitters(transmitters.length, MAX_NUM_ORACLES);

    _clearOracles(s_signers);
    _clearOracles(s_transmitters);

    for (uint256 i = 0; i < signers.length; ++i) {
      address signer = signers[i];
      if (signer == address(0)) revert ZeroSignerAddress(i);
      if (s_oracles[signer].isSigner) revert DuplicateSigner(signer);
      s_oracles[signer] =
        Oracle({signerIndex: uint8(i), isSigner: true, isTransmitter: false, priceRegistry: address(0)});
    }
    address priceRegistry = s_dynamicConfig.priceRegistry;
    for (uint256 i = 0; i < transmitters.length; ++i) {
      address transmitter = transmitters[i];
      if (transmitter == address(0)) revert ZeroTransmitterAddress(i);
      Oracle storage oracle = s_oracles[transmitter];
      if (oracle.isTransmitter) revert DuplicateTransmitter(transmitter);
      oracle.isTransmitter = true;
      oracle.priceRegistry = priceRegistry;
    }
    s_signers = signers;
    s_transmitters = transmitters;

    uint32 configCount = s_configInfo.configCount + 1;
    s_configInfo = ConfigInfo({configCount: configCount, latestConfigBlockNumber: uint32(block.number)});
    bytes32 configDigest = keccak256(abi.encode(block.chainid, address(this), configCount, signers, transmitters, f));
    s_configDigest = configDigest;

    // Keep minSeqNr and paused; epochs and rounds restart with the new digest.
    s_hot = (s_hot & (MIN_SEQ_NR_MASK | PAUSED_BIT)) | (uint256(f) << F_SHIFT)
      | ((uint256(configDigest) >> 128) << DIGEST_SHIFT);
    emit ConfigSet(configDigest, configCount, signers, transmitters, f);
  }

  /// @notice The number of configs set so far, the block of the latest one and its digest.
  function latestConfigDetails() external view returns (uint32 configCount, uint32 blockNumber, bytes32 configDigest) {
    ConfigInfo memory info = s_configInfo;
    return (info.configCount, info.latestConfigBlockNumber, s_configDigest);
  }

  /// @notice The current signers, in index order.
  function getSigners() external view returns (address[] memory) {
    return s_signers;
  }

  /// @notice The current transmitters.
  function getTransmitters() external view returns (address[] memory) {
    return s_transmitters;
  }

  /// @notice The fault tolerance f of the current config.
  function getF() external view returns (uint8) {
    return uint8(s_hot >> F_SHIFT);
  }

  function _clearOracles(address[] storage oracles) internal {
    for (uint256 i = 0; i < oracles.length; ++i) {
      delete s_oracles[oracles[i]];
    }
  }
}
