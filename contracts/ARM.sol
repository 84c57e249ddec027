// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {Ownable2Step} from "./access/Ownable2Step.sol";
import {IARM} from "./interfaces/IARM.sol";

/// @title ARM
/// @notice The risk management network's on-chain half: bless voters approve committed roots,
/// curse voters halt chains (subjects) or everything, and only the owner lifts a curse.
/// @dev Votes are weighted. Every vote record carries the config version it was cast under, so a new
/// config makes older records stale without touching them: a stale record reads as "no votes".
contract ARM is IARM, Ownable2Step {
  /// @notice The subject that, once cursed, curses every chain.
  bytes16 public constant GLOBAL_CURSE_SUBJECT = 0x01000000000000000000000000000001;
  /// @notice Voters are tracked in 16-bit bitmaps.
  uint256 public constant MAX_NUM_VOTERS = 16;

  /// @notice One member of the risk network. A zero weight means no say in that role.
  struct Voter {
    address blessVoteAddr;
    address curseVoteAddr;
    uint8 blessWeight;
    uint8 curseWeight;
  }

  struct Config {
    Voter[] voters;
    uint16 blessWeightThreshold;
    uint16 curseWeightThreshold;
  }

  /// @dev Everything the curse checks and the curse path need, in one slot: `isCursed()` answers
  /// "nothing cursed" with a single SLOAD of it.
  struct HotVars {
    uint32 configVersion; // starts at 1; 0 marks "never written" in the records below
    uint32 configBlockNumber;
    uint16 blessWeightThreshold;
    uint16 curseWeightThreshold;
    uint32 cursedSubjectsCount;
    bool globallyCursed;
  }

  /// @dev A bless voter's record, packed by hand into one uint256 per address so a vote reads it with one
  /// SLOAD: bits 0-31 configVersion (0: not a bless voter), 32-39 index, 40-47 weight, 48-63 bless weight
  /// threshold, 64 globally cursed. The threshold and the global curse flag are mirrored here from HotVars
  /// (rewritten on config and global curse changes, both rare) to save a cold SLOAD on every vote.
  uint256 private constant BLESS_VOTER_CURSED_BIT = 1 << 64;

  struct CurseVoterInfo {
    uint32 configVersion; // 0: not a curse voter
    uint8 index;
    uint8 weight;
  }

  /// @dev A tagged root's bless votes, packed by hand into one uint256 so the first vote is one fresh SSTORE
  /// and later ones one dirty update: bits 0-31 configVersion, 32-47 accumulated weight, 48-63 voters
  /// bitmap (bit i = voter i of the config), 64 blessed, 65 signatures revoked (the owner reset the votes
  /// under this config: signatures, which anyone can replay, no longer bless it; fresh votes still do).
  uint256 private constant BLESSED_BIT = 1 << 64;
  uint256 private constant SIGNATURES_REVOKED_BIT = 1 << 65;

  /// @notice Domain tag of the digest bless voters sign for blessWithSignatures.
  bytes32 public constant BLESS_DIGEST_TAG = keccak256("CCIPLocal.ARM.BlessTaggedRoot.v1");
  /// @dev Signatures with s above n/2 are malleable twins of valid ones (EIP-2): refused.
  uint256 private constant SECP256K1_N_HALF = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

  /// @dev Votes (configVersion, accumulatedWeight, votersBitmap) go stale with the config; the curse
  /// itself (cursed, listIndex, cursedAt) stays until the owner lifts it.
  struct CurseProgress {
    uint32 configVersion;
    uint16 accumulatedWeight;
    uint16 votersBitmap;
    bool cursed;
    uint32 listIndex; // position in s_cursedSubjects while cursed
    uint64 cursedAt;
  }

  error UnauthorizedVoter(address voter);
  error GloballyCursed();
  error TooManyVoters(uint256 count, uint256 max);
  error ZeroVoteAddress(uint256 voterIndex);
  error VoterWithoutWeight(uint256 voterIndex);
  error DuplicateBlessVoteAddress(address voteAddr);
  error DuplicateCurseVoteAddress(address voteAddr);
  error InvalidBlessWeightThreshold(uint16 threshold, uint256 totalBlessWeight);
  error InvalidCurseWeightThreshold(uint16 threshold, uint256 totalCurseWeight);
  error MalleableBlessSignature(uint256 index);
  error DuplicateBlessSignature(address signer);
  error InsufficientBlessWeight(uint256 weight, uint16 threshold);
  error BlessSignaturesRevoked(IARM.TaggedRoot taggedRoot);

  event ConfigSet(uint32 configVersion, Config config);
  event VotedToBless(uint32 configVersion, address voter, IARM.TaggedRoot taggedRoot, uint8 weight);
  event AlreadyVotedToBless(uint32 configVersion, address voter, IARM.TaggedRoot taggedRoot);
  event AlreadyBlessed(uint32 configVersion, address voter, IARM.TaggedRoot taggedRoot);
  event TaggedRootBlessed(uint32 configVersion, IARM.TaggedRoot taggedRoot, uint16 accumulatedWeight);
  event TaggedRootBlessVotesReset(uint32 configVersion, IARM.TaggedRoot taggedRoot, bool wasBlessed);
  /// @notice Bless voters' signatures counted for `taggedRoot`; bit i of `signersBitmap` is voter i of the
  /// config. TaggedRootBlessed follows, as for votes.
  event BlessSignaturesAccepted(uint32 configVersion, IARM.TaggedRoot taggedRoot, uint16 signersBitmap);
  event VotedToCurse(uint32 configVersion, address voter, bytes16 subject, uint8 weight, uint16 accumulatedWeight);
  event AlreadyVotedToCurse(uint32 configVersion, address voter, bytes16 subject);
  event Cursed(uint32 configVersion, bytes16 subject, uint256 blockTimestamp);
  event CurseLifted(bytes16 subject);
  event CurseVotesReset(uint32 configVersion, bytes16 subject);

  HotVars private s_hot;
  Config private s_config;
  mapping(address blessVoteAddr => uint256 packedBlessVoter) private s_blessVoters;
  mapping(address curseVoteAddr => CurseVoterInfo) private s_curseVoters;
  mapping(bytes32 taggedRootKey => uint256 packedProgress) private s_blessVoteProgress;
  mapping(bytes16 subject => CurseProgress) private s_curseProgress;
  bytes16[] private s_cursedSubjects;

  constructor(address owner, Config memory config) Ownable2Step(owner) {
    _setConfig(config);
  }

  // ================================================================
  // │                           Config                             │
  // ================================================================

  /// @notice Replaces the voter set and thresholds. Only the owner. Makes every pending vote and every
  /// blessing from earlier configs stale; curses stay.
  function setConfig(Config calldata config) external onlyOwner {
    _setConfig(config);
  }

  /// @notice The config version (from 1), the block it was set in, and the config itself.
  function getConfigDetails() external view returns (uint32 version, uint32 blockNumber, Config memory config) {
    HotVars memory hot = s_hot;
    return (hot.configVersion, hot.configBlockNumber, s_config);
  }

  function _setConfig(Config memory config) internal {
    Voter[] memory voters = config.voters;
    uint256 numVoters = voters.length;
    if (numVoters > MAX_NUM_VOTERS) revert TooManyVoters(numVoters, MAX_NUM_VOTERS);

    uint256 totalBlessWeight;
    uint256 totalCurseWeight;
    for (uint256 i = 0; i < numVoters; ++i) {
      Voter memory voter = voters[i];
      if (voter.blessVoteAddr == address(0) || voter.curseVoteAddr == address(0)) revert ZeroVoteAddress(i);
      if (voter.blessWeight == 0 && voter.curseWeight == 0) revert VoterWithoutWeight(i);
      // At most 16 voters: a quadratic scan in memory is cheaper than scratch storage.
      for (uint256 j = 0; j < i; ++j) {
        if (voters[j].blessVoteAddr == voter.blessVoteAddr) revert DuplicateBlessVoteAddress(voter.blessVoteAddr);
        if (voters[j].curseVoteAddr == voter.curseVoteAddr) revert DuplicateCurseVoteAddress(voter.curseVoteAddr);
      }
      totalBlessWeight += voter.blessWeight;
      totalCurseWeight += voter.curseWeight;
    }
    if (config.blessWeightThreshold == 0 || config.blessWeightThreshold > totalBlessWeight) {
      revert InvalidBlessWeightThreshold(config.blessWeightThreshold, totalBlessWeight);
    }
    if (config.curseWeightThreshold == 0 || config.curseWeightThreshold > totalCurseWeight) {
      revert InvalidCurseWeightThreshold(config.curseWeightThreshold, totalCurseWeight);
    }

    // Forget the old voter set (at most 16 entries); votes are left in place and go stale by version.
    Voter[] storage oldVoters = s_config.voters;
    for (uint256 i = oldVoters.length; i > 0; --i) {
      Voter storage old = oldVoters[i - 1];
      delete s_blessVoters[old.blessVoteAddr];
      delete s_curseVoters[old.curseVoteAddr];
      oldVoters.pop();
    }

    HotVars memory hot = s_hot;
    uint32 version = hot.configVersion + 1;
    for (uint256 i = 0; i < numVoters; ++i) {
      Voter memory voter = voters[i];
      oldVoters.push(voter);
      if (voter.blessWeight > 0) {
        s_blessVoters[voter.blessVoteAddr] = uint256(version) | (i << 32) | (uint256(voter.blessWeight) << 40)
          | (uint256(config.blessWeightThreshold) << 48) | (hot.globallyCursed ? BLESS_VOTER_CURSED_BIT : 0);
      }
      if (voter.curseWeight > 0) {
        s_curseVoters[voter.curseVoteAddr] =
          CurseVoterInfo({configVersion: version, index: uint8(i), weight: voter.curseWeight});
      }
    }
    s_config.blessWeightThreshold = config.blessWeightThreshold;
    s_config.curseWeightThreshold = config.curseWeightThreshold;

    hot.configVersion = version;
    hot.configBlockNumber = uint32(block.number);
    hot.blessWeightThreshold = config.blessWeightThreshold;
    hot.curseWeightThreshold = config.curseWeightThreshold;
    s_hot = hot;
    emit ConfigSet(version, config);
  }

  // ================================================================
  // │                          Blessing                            │
  // ================================================================

  /// @notice Votes to bless each tagged root. Only bless voters; reverts while globally cursed. A repeated
  /// vote, or a vote on an already blessed root, is skipped with an event so a batch never fails on it.
  function voteToBless(IARM.TaggedRoot[] calldata taggedRoots) external {
    uint256 voter = s_blessVoters[msg.sender];
    uint32 version = uint32(voter);
    if (version == 0) revert UnauthorizedVoter(msg.sender);
    if (voter & BLESS_VOTER_CURSED_BIT != 0) revert GloballyCursed();
    uint256 voterBit = 1 << (48 + uint8(voter >> 32));
    uint8 weight = uint8(voter >> 40);
    uint16 threshold = uint16(voter >> 48);

    for (uint256 i = 0; i < taggedRoots.length; ++i) {
      IARM.TaggedRoot calldata taggedRoot = taggedRoots[i];
      bytes32 key = _taggedRootKey(taggedRoot.commitStore, taggedRoot.root);
      uint256 progress = s_blessVoteProgress[key];
      // A record from an earlier config counts as no votes at all.
      if (uint32(progress) != version) progress = version;
      if (progress & BLESSED_BIT != 0) {
        emit AlreadyBlessed(version, msg.sender, taggedRoot);
        continue;
      }
      if (progress & voterBit != 0) {
        emit AlreadyVotedToBless(version, msg.sender, taggedRoot);
        continue;
      }
      // Cannot overflow: at most 16 voters of weight <= 255 sum to < 2**16.
      uint16 accumulatedWeight = uint16(progress >> 32) + weight;
      progress = (progress & ~uint256(0xffff << 32)) | (uint256(accumulatedWeight) << 32) | voterBit;
      emit VotedToBless(version, msg.sender, taggedRoot, weight);
      if (accumulatedWeight >= threshold) {
        progress |= BLESSED_BIT;
        emit TaggedRootBlessed(version, taggedRoot, accumulatedWeight);
      }
      s_blessVoteProgress[key] = progress;
    }
  }

  /// @notice Blesses `taggedRoot` with bless voters' signatures over getBlessDigest(taggedRoot), so the
  /// blessing can travel inside another transaction (CommitStore.commitAndBless) instead of one vote
  /// transaction per voter. Anyone may submit: the signatures are the authority. Signers' weights add to
  /// the votes already cast on the root under the current config (a signer who voted counts once); the
  /// total must reach the bless threshold. Reverts while globally cursed, on a signer that is not a
  /// current bless voter, on a repeated signer, on a malleable (high-s) signature, and once the owner
  /// reset the root's votes under this config. An already blessed root is left as it is, without events.
  /// @param signatures EIP-2098 compact signatures, in any order.
  function blessWithSignatures(IARM.TaggedRoot calldata taggedRoot, IARM.Signature[] calldata signatures) external {
    HotVars memory hot = s_hot;
    if (hot.globallyCursed) revert GloballyCursed();
    uint32 version = hot.configVersion;
    bytes32 key = _taggedRootKey(taggedRoot.commitStore, taggedRoot.root);
    uint256 progress = s_blessVoteProgress[key];
    if (uint32(progress) != version) {
      progress = version; // a record from an earlier config counts as no votes at all
    } else {
      if (progress & BLESSED_BIT != 0) return;
      if (progress & SIGNATURES_REVOKED_BIT != 0) revert BlessSignaturesRevoked(taggedRoot);
    }

    uint256 voted = uint16(progress >> 48);
    (uint256 signed, uint256 addedWeight) =
      _countBlessSignatures(_blessDigest(version, taggedRoot.commitStore, taggedRoot.root), signatures, version, voted);
    uint256 weight = uint16(progress >> 32) + addedWeight;
    if (weight < hot.blessWeightThreshold) revert InsufficientBlessWeight(weight, hot.blessWeightThreshold);

    // Cannot overflow 16 bits: at most 16 voters of weight <= 255.
    s_blessVoteProgress[key] =
      (progress & ~uint256(0xffffffff << 32)) | (weight << 32) | ((voted | signed) << 48) | BLESSED_BIT;
    emit BlessSignaturesAccepted(version, taggedRoot, uint16(signed));
    emit TaggedRootBlessed(version, taggedRoot, uint16(weight));
  }

  /// @notice The digest each bless voter signs (plain ecrecover, no message prefix) to bless `taggedRoot`
  /// with blessWithSignatures under the current config: keccak256(abi.encode(BLESS_DIGEST_TAG, chain id,
  /// this ARM, config version, commitStore, root)). A new config makes older signatures worthless.
  function getBlessDigest(IARM.TaggedRoot calldata taggedRoot) external view returns (bytes32) {
    return _blessDigest(s_hot.configVersion, taggedRoot.commitStore, taggedRoot.root);
  }

  /// @notice Clears the bless votes (and a blessing) of each tagged root. Only the owner. Bless signatures
  /// for the root stop counting under the current config (anyone could replay them); votes count again.
  function ownerResetBlessVotes(IARM.TaggedRoot[] calldata taggedRoots) external onlyOwner {
    uint32 version = s_hot.configVersion;
    for (uint256 i = 0; i < taggedRoots.length; ++i) {
      IARM.TaggedRoot calldata taggedRoot = taggedRoots[i];
      bytes32 key = _taggedRootKey(taggedRoot.commitStore, taggedRoot.root);
      uint256 progress = s_blessVoteProgress[key];
      s_blessVoteProgress[key] = version | SIGNATURES_REVOKED_BIT;
      emit TaggedRootBlessVotesReset(version, taggedRoot, progress & BLESSED_BIT != 0 && uint32(progress) == version);
    }
  }

  /// @inheritdoc IARM
  /// @dev Blessings from an earlier config do not count.
  function isBlessed(IARM.TaggedRoot calldata taggedRoot) external view returns (bool) {
    uint256 progress = s_blessVoteProgress[_taggedRootKey(taggedRoot.commitStore, taggedRoot.root)];
    return progress & BLESSED_BIT != 0 && uint32(progress) == s_hot.configVersion;
  }

  /// @notice The current-config bless votes on `taggedRoot`: total weight, voter bitmap (bit i = voter i
  /// of the config) and whether it is blessed.
  function getBlessVoteProgress(IARM.TaggedRoot calldata taggedRoot)
    external
    view
    returns (uint16 accumulatedWeight, uint16 votersBitmap, bool blessed)
  {
    uint256 progress = s_blessVoteProgress[_taggedRootKey(taggedRoot.commitStore, taggedRoot.root)];
    if (uint32(progress) != s_hot.configVersion) return (0, 0, false);
    return (uint16(progress >> 32), uint16(progress >> 48), progress & BLESSED_BIT != 0);
  }

  // ================================================================
  // │                           Cursing                            │
  // ================================================================

  /// @notice Votes to curse each subject (bytes16(uint128(chainSelector)) or GLOBAL_CURSE_SUBJECT). Only curse
  /// voters. A subject is cursed once the weight of its votes under the current config reaches the
  /// threshold. A repeated vote is skipped with an event.
  function voteToCurse(bytes16[] calldata subjects) external {
    CurseVoterInfo memory voter = s_curseVoters[msg.sender];
    if (voter.configVersion == 0) revert UnauthorizedVoter(msg.sender);

    HotVars memory hot = s_hot;
    bool hotChanged = false;
    uint16 voterBit = uint16(1 << voter.index);
    for (uint256 i = 0; i < subjects.length; ++i) {
      bytes16 subject = subjects[i];
      CurseProgress memory progress = s_curseProgress[subject];
      if (progress.configVersion != hot.configVersion) {
        progress.configVersion = hot.configVersion;
        progress.accumulatedWeight = 0;
        progress.votersBitmap = 0;
      }
      if (progress.votersBitmap & voterBit != 0) {
        emit AlreadyVotedToCurse(hot.configVersion, msg.sender, subject);
        continue;
      }
      progress.votersBitmap |= voterBit;
      progress.accumulatedWeight += voter.weight;
      emit VotedToCurse(hot.configVersion, msg.sender, subject, voter.weight, progress.accumulatedWeight);
      if (!progress.cursed && progress.accumulatedWeight >= hot.curseWeightThreshold) {
        _markCursed(subject, progress, hot);
        hotChanged = true;
      }
      s_curseProgress[subject] = progress;
    }
    if (hotChanged) s_hot = hot;
  }

  /// @notice Curses each subject at once, without votes. Only the owner. Already cursed subjects are skipped.
  function ownerCurse(bytes16[] calldata subjects) external onlyOwner {
    HotVars memory hot = s_hot;
    for (uint256 i = 0; i < subjects.length; ++i) {
      bytes16 subject = subjects[i];
      CurseProgress memory progress = s_curseProgress[subject];
      if (progress.cursed) continue;
      _markCursed(subject, progress, hot);
      s_curseProgress[subject] = progress;
    }
    s_hot = hot;
  }

  /// @notice Lifts the curse on each subject and clears its curse votes, so voters can curse it again.
  /// Only the owner. Also serves to discard pending curse votes on a subject that is not cursed.
  function ownerUncurse(bytes16[] calldata subjects) external onlyOwner {
    HotVars memory hot = s_hot;
    for (uint256 i = 0; i < subjects.length; ++i) {
      bytes16 subject = subjects[i];
      CurseProgress memory progress = s_curseProgress[subject];
      if (progress.cursed) {
        // Swap-and-pop keeps getCursedSubjects() O(cursed) without gaps.
        uint256 last = s_cursedSubjects.length - 1;
        if (progress.listIndex != last) {
          bytes16 moved = s_cursedSubjects[last];
          s_cursedSubjects[progress.listIndex] = moved;
          s_curseProgress[moved].listIndex = progress.listIndex;
        }
        s_cursedSubjects.pop();
        --hot.cursedSubjectsCount;
        if (subject == GLOBAL_CURSE_SUBJECT) {
          hot.globallyCursed = false;
          _mirrorGlobalCurse(false);
        }
        emit CurseLifted(subject);
      } else if (progress.configVersion == hot.configVersion && progress.votersBitmap != 0) {
        emit CurseVotesReset(hot.configVersion, subject);
      } else {
        continue;
      }
      delete s_curseProgress[subject];
    }
    s_hot = hot;
  }

  /// @inheritdoc IARM
  function isCursed() external view returns (bool) {
    return s_hot.globallyCursed;
  }

  /// @inheritdoc IARM
  function isCursed(bytes16 subject) external view returns (bool) {
    // Field reads, not a memory copy of the slot: every send, commit and execution asks this.
    HotVars storage hot = s_hot;
    if (hot.cursedSubjectsCount == 0) return false;
    if (hot.globallyCursed) return true;
    return s_curseProgress[subject].cursed;
  }

  /// @notice Every subject cursed right now, in no particular order.
  function getCursedSubjects() external view returns (bytes16[] memory) {
    return s_cursedSubjects;
  }

  /// @notice The curse state of `subject`: current-config vote weight and voter bitmap, whether it is
  /// cursed, and when it was cursed (0 if not).
  function getCurseProgress(bytes16 subject)
    external
    view
    returns (uint16 accumulatedWeight, uint16 votersBitmap, bool cursed, uint64 cursedAt)
  {
    CurseProgress memory progress = s_curseProgress[subject];
    if (progress.configVersion == s_hot.configVersion) {
      (accumulatedWeight, votersBitmap) = (progress.accumulatedWeight, progress.votersBitmap);
    }
    return (accumulatedWeight, votersBitmap, progress.cursed, progress.cursedAt);
  }

  // ================================================================
  // │                          Internals                           │
  // ================================================================

  /// @dev Marks `progress` cursed and updates `hot`; the caller writes both back.
  function _markCursed(bytes16 subject, CurseProgress memory progress, HotVars memory hot) internal {
    progress.cursed = true;
    progress.cursedAt = uint64(block.timestamp);
    progress.listIndex = uint32(s_cursedSubjects.length);
    s_cursedSubjects.push(subject);
    ++hot.cursedSubjectsCount;
    if (subject == GLOBAL_CURSE_SUBJECT) {
      hot.globallyCursed = true;
      _mirrorGlobalCurse(true);
    }
    emit Cursed(hot.configVersion, subject, block.timestamp);
  }

  /// @dev Copies the global curse flag into every bless voter's record (at most 16).
  function _mirrorGlobalCurse(bool globallyCursed) internal {
    Voter[] storage voters = s_config.voters;
    for (uint256 i = 0; i < voters.length; ++i) {
      Voter storage voter = voters[i];
      if (voter.blessWeight > 0) {
        uint256 packed = s_blessVoters[voter.blessVoteAddr];
        s_blessVoters[voter.blessVoteAddr] =
          globallyCursed ? packed | BLESS_VOTER_CURSED_BIT : packed & ~BLESS_VOTER_CURSED_BIT;
      }
    }
  }

  /// @dev The voters bitmap of the signers of `digest` and the weight of those not already in `voted`.
  function _countBlessSignatures(bytes32 digest, IARM.Signature[] calldata signatures, uint32 version, uint256 voted)
    internal
    view
    returns (uint256 signed, uint256 addedWeight)
  {
    for (uint256 i = 0; i < signatures.length; ++i) {
      uint256 vs = uint256(signatures[i].vs);
      uint256 sValue = vs & (type(uint256).max >> 1);
      if (sValue > SECP256K1_N_HALF) revert MalleableBlessSignature(i);
      // A bad signature recovers to address(0) or to a random address: neither is a voter.
      address signer = ecrecover(digest, uint8(vs >> 255) + 27, signatures[i].r, bytes32(sValue));
      uint256 voter = s_blessVoters[signer];
      if (uint32(voter) != version) revert UnauthorizedVoter(signer);
      uint256 bit = 1 << uint8(voter >> 32);
      if (signed & bit != 0) revert DuplicateBlessSignature(signer);
      signed |= bit;
      if (voted & bit == 0) addedWeight += uint8(voter >> 40);
    }
  }

  function _blessDigest(uint32 version, address commitStore, bytes32 root) internal view returns (bytes32) {
    return keccak256(abi.encode(BLESS_DIGEST_TAG, block.chainid, address(this), version, commitStore, root));
  }

  function _taggedRootKey(address commitStore, bytes32 root) internal pure returns (bytes32) {
    return keccak256(abi.encode(commitStore, root));
  }
}
