// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ARM} from "../../contracts/ARM.sol";
import {CommitStore} from "../../contracts/CommitStore.sol";
import {IARM} from "../../contracts/interfaces/IARM.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {MockPriceRegistry} from "./CommitArmMocks.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Shared fixtures for the ARM and CommitStore tests.
abstract contract CommitArmSetup is Test {
  uint64 internal constant SOURCE_CHAIN = 16015286601757825753;
  uint64 internal constant DEST_CHAIN = 3478487238524512106;
  address internal constant ON_RAMP = address(0x0a11);
  address internal constant COMMIT_STORE_TAG = address(0xC0FFEE);

  /// @dev Gas the transaction itself costs before any execution: 21000 plus calldata.
  function _intrinsicGas(bytes memory callData) internal pure returns (uint256 gas) {
    gas = 21000;
    for (uint256 i = 0; i < callData.length; ++i) {
      gas += callData[i] == 0 ? 4 : 16;
    }
  }

  function _armVoters(uint256 n, uint8 blessWeight, uint8 curseWeight)
    internal
    pure
    returns (ARM.Voter[] memory voters)
  {
    voters = new ARM.Voter[](n);
    for (uint256 i = 0; i < n; ++i) {
      voters[i] = ARM.Voter({
        blessVoteAddr: _blessAddr(i), curseVoteAddr: _curseAddr(i), blessWeight: blessWeight, curseWeight: curseWeight
      });
    }
  }

  function _blessAddr(uint256 i) internal pure returns (address) {
    return address(uint160(uint256(keccak256(abi.encode("bless", i)))));
  }

  function _curseAddr(uint256 i) internal pure returns (address) {
    return address(uint160(uint256(keccak256(abi.encode("curse", i)))));
  }

  function _one(IARM.TaggedRoot memory taggedRoot) internal pure returns (IARM.TaggedRoot[] memory roots) {
    roots = new IARM.TaggedRoot[](1);
    roots[0] = taggedRoot;
  }

  function _one(bytes16 subject) internal pure returns (bytes16[] memory subjects) {
    subjects = new bytes16[](1);
    subjects[0] = subject;
  }

  function _subject(uint64 chainSelector) internal pure returns (bytes16) {
    return bytes16(uint128(chainSelector));
  }
}

/// @notice A CommitStore wired to a real ARM (2 voters, thresholds 2) and a mock PriceRegistry, with an
/// OCR config of 4 signers (f = 1) and one transmitter.
abstract contract CommitStoreSetup is CommitArmSetup {
  ARM internal s_arm;
  MockPriceRegistry internal s_priceRegistry;
  CommitStore internal s_commitStore;

  uint256[] internal s_signerKeys;
  address[] internal s_signerAddrs;
  address[] internal s_transmitters;
  address internal s_transmitter = makeAddr("transmitter");
  uint8 internal constant F = 1;
  uint256 internal constant NUM_SIGNERS = 4;

  function setUp() public virtual {
    s_arm = new ARM(address(this), ARM.Config(_armVoters(2, 1, 1), 2, 2));
    s_priceRegistry = new MockPriceRegistry();
    s_commitStore = new CommitStore(
      address(this),
      CommitStore.StaticConfig({
        chainSelector: DEST_CHAIN, sourceChainSelector: SOURCE_CHAIN, onRamp: ON_RAMP, arm: address(s_arm)
      }),
      CommitStore.DynamicConfig({priceRegistry: address(s_priceRegistry)})
    );
    for (uint256 i = 0; i < NUM_SIGNERS; ++i) {
      uint256 key = uint256(keccak256(abi.encode("signer", i))) % (2 ** 255);
      s_signerKeys.push(key);
      s_signerAddrs.push(vm.addr(key));
    }
    s_transmitters.push(s_transmitter);
    s_commitStore.setConfig(s_signerAddrs, s_transmitters, F);
  }

  function _configDigest() internal view returns (bytes32 digest) {
    (,, digest) = s_commitStore.latestConfigDetails();
  }

  function _rootReport(uint64 min, uint64 max, bytes32 root) internal pure returns (bytes memory) {
    Internal.PriceUpdates memory noPrices;
    return abi.encode(Internal.CommitReport(noPrices, Internal.Interval(min, max), root));
  }

  function _prices(uint256 numTokens, uint256 numGas, uint224 value)
    internal
    pure
    returns (Internal.PriceUpdates memory p)
  {
    p.tokenPriceUpdates = new Internal.TokenPriceUpdate[](numTokens);
    for (uint256 i = 0; i < numTokens; ++i) {
      p.tokenPriceUpdates[i] = Internal.TokenPriceUpdate(address(uint160(0x70c0 + i)), value + uint224(i));
    }
    p.gasPriceUpdates = new Internal.GasPriceUpdate[](numGas);
    for (uint256 i = 0; i < numGas; ++i) {
      p.gasPriceUpdates[i] = Internal.GasPriceUpdate(uint64(1000 + i), value * 2 + uint224(i));
    }
  }

  function _report(Internal.PriceUpdates memory prices, uint64 min, uint64 max, bytes32 root)
    internal
    pure
    returns (bytes memory)
  {
    return abi.encode(Internal.CommitReport(prices, Internal.Interval(min, max), root));
  }

  /// @dev Signs with the signers at `keyIndexes` (into s_signerKeys).
  function _sign(bytes memory report, uint40 epochAndRound, uint256[] memory keys)
    internal
    view
    returns (bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs)
  {
    bytes32 digest = Internal._commitReportDigest(_configDigest(), epochAndRound, report);
    rs = new bytes32[](keys.length);
    ss = new bytes32[](keys.length);
    for (uint256 i = 0; i < keys.length; ++i) {
      (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[i], digest);
      rs[i] = r;
      ss[i] = s;
      rawVs |= bytes32(uint256(v - 27) << (248 - 8 * i));
    }
  }

  function _firstKeys(uint256 n) internal view returns (uint256[] memory keys) {
    keys = new uint256[](n);
    for (uint256 i = 0; i < n; ++i) {
      keys[i] = s_signerKeys[i];
    }
  }

  function _context(uint40 epochAndRound) internal view returns (bytes32[2] memory ctx) {
    ctx[0] = _configDigest();
    ctx[1] = bytes32(uint256(epochAndRound));
  }

  /// @dev Signs with the first f+1 signers and commits as the transmitter.
  function _commit(bytes memory report, uint40 epochAndRound) internal {
    (bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs) = _sign(report, epochAndRound, _firstKeys(F + 1));
    bytes32[2] memory ctx = _context(epochAndRound);
    vm.prank(s_transmitter);
    s_commitStore.commit(ctx, report, rs, ss, rawVs);
  }

  function _bless(bytes32 root) internal {
    IARM.TaggedRoot[] memory roots = _one(IARM.TaggedRoot(address(s_commitStore), root));
    vm.prank(_blessAddr(0));
    s_arm.voteToBless(roots);
    vm.prank(_blessAddr(1));
    s_arm.voteToBless(roots);
  }
}
