// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CommitStore} from "../../contracts/CommitStore.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {CommitStoreSetup} from "../helpers/CommitArmSetup.sol";

/// @notice Reconfigures the fixture to 10 signers with f = 3 and fuzzes signer subsets, intervals and epochs.
contract CommitStoreFuzzTest is CommitStoreSetup {
  uint8 internal constant FUZZ_F = 3;
  uint256 internal constant FUZZ_N = 10;
  uint256[] internal s_keys;
  uint256[] internal s_pool;

  function setUp() public override {
    super.setUp();
    address[] memory signers = new address[](FUZZ_N);
    for (uint256 i = 0; i < FUZZ_N; ++i) {
      s_keys.push(uint256(keccak256(abi.encode("fuzz signer", i))) % (2 ** 255));
      signers[i] = vm.addr(s_keys[i]);
    }
    s_commitStore.setConfig(signers, s_transmitters, FUZZ_F);
  }

  /// @dev `count` distinct signer keys in an order drawn from `seed`.
  function _distinctKeys(uint256 count, uint256 seed) internal returns (uint256[] memory keys) {
    delete s_pool;
    for (uint256 i = 0; i < FUZZ_N; ++i) {
      s_pool.push(s_keys[i]);
    }
    keys = new uint256[](count);
    for (uint256 i = 0; i < count; ++i) {
      uint256 j = i + uint256(keccak256(abi.encode(seed, i))) % (FUZZ_N - i);
      (s_pool[i], s_pool[j]) = (s_pool[j], s_pool[i]);
      keys[i] = s_pool[i];
    }
  }

  function _send(bytes memory report, uint40 epochAndRound, uint256[] memory keys) internal {
    (bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs) = _sign(report, epochAndRound, keys);
    bytes32[2] memory ctx = _context(epochAndRound);
    vm.prank(s_transmitter);
    s_commitStore.commit(ctx, report, rs, ss, rawVs);
  }

  function _sendExpect(bytes memory report, uint40 epochAndRound, uint256[] memory keys, bytes memory err) internal {
    (bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs) = _sign(report, epochAndRound, keys);
    bytes32[2] memory ctx = _context(epochAndRound);
    vm.prank(s_transmitter);
    vm.expectRevert(err);
    s_commitStore.commit(ctx, report, rs, ss, rawVs);
  }

  function testFuzz_DistinctSignersAccepted(uint256 count, uint256 seed, bytes32 root, uint64 len) public {
    vm.assume(root != bytes32(0));
    count = bound(count, FUZZ_F + 1, FUZZ_N);
    len = uint64(bound(len, 0, 1000));
    _send(_rootReport(1, 1 + len, root), 1, _distinctKeys(count, seed));
    assertEq(s_commitStore.getExpectedNextSequenceNumber(), 2 + len);
    assertEq(s_commitStore.getMerkleRoot(root), block.timestamp);
  }

  function testFuzz_RevertWhen_TooFewSignatures(uint256 count, uint256 seed) public {
    count = bound(count, 0, FUZZ_F);
    _sendExpect(
      _rootReport(1, 1, keccak256("r")),
      1,
      _distinctKeys(count, seed),
      abi.encodeWithSelector(CommitStore.WrongNumberOfSignatures.selector, FUZZ_F + 1, count)
    );
  }

  function testFuzz_RevertWhen_DuplicateSigner(uint256 count, uint256 seed, uint256 from, uint256 to) public {
    count = bound(count, FUZZ_F + 1, FUZZ_N);
    uint256[] memory keys = _distinctKeys(count, seed);
    to = bound(to, 1, count - 1);
    from = bound(from, 0, to - 1);
    keys[to] = keys[from];
    _sendExpect(
      _rootReport(1, 1, keccak256("r")),
      1,
      keys,
      abi.encodeWithSelector(CommitStore.NonUniqueSignatures.selector, vm.addr(keys[from]))
    );
  }

  function testFuzz_RevertWhen_UnknownSigner(uint256 count, uint256 seed, uint256 position, uint256 badKey) public {
    badKey = bound(badKey, 1, 115792089237316195423570985008687907852837564279074904382605163141518161494336);
    for (uint256 i = 0; i < FUZZ_N; ++i) {
      vm.assume(badKey != s_keys[i]);
    }
    count = bound(count, FUZZ_F + 1, FUZZ_N);
    uint256[] memory keys = _distinctKeys(count, seed);
    position = bound(position, 0, count - 1);
    keys[position] = badKey;
    _sendExpect(
      _rootReport(1, 1, keccak256("r")),
      1,
      keys,
      abi.encodeWithSelector(CommitStore.UnauthorizedSigner.selector, vm.addr(badKey))
    );
  }

  function testFuzz_IntervalMustStartAtExpected(uint64 start, uint64 min, uint64 len, bool matchStart) public {
    start = uint64(bound(start, 1, type(uint64).max / 2));
    min = matchStart ? start : uint64(bound(min, 1, type(uint64).max / 2));
    len = uint64(bound(len, 0, 1 << 32));
    s_commitStore.setMinSeqNr(start);
    bytes memory report = _rootReport(min, min + len, keccak256(abi.encode(min, len)));
    uint256[] memory keys = _distinctKeys(FUZZ_F + 1, min);
    if (min == start) {
      _send(report, 1, keys);
      assertEq(s_commitStore.getExpectedNextSequenceNumber(), min + len + 1);
    } else {
      _sendExpect(
        report, 1, keys, abi.encodeWithSelector(CommitStore.InvalidInterval.selector, Internal.Interval(min, min + len))
      );
    }
  }

  function testFuzz_PriceEpochsOnlyMoveForward(uint40 first, uint40 second, uint224 a, uint224 b) public {
    first = uint40(bound(first, 1, type(uint40).max));
    uint256[] memory keys = _distinctKeys(FUZZ_F + 1, first);
    _send(_report(_prices(1, 0, a), 0, 0, 0), first, keys);
    assertEq(s_commitStore.getLatestPriceEpochAndRound(), first);
    if (second > first) {
      _send(_report(_prices(1, 0, b), 0, 0, 0), second, keys);
      assertEq(s_priceRegistry.getTokenPrice(address(0x70c0)).value, b);
      assertEq(s_commitStore.getLatestPriceEpochAndRound(), second);
    } else {
      _sendExpect(
        _report(_prices(1, 0, b), 0, 0, 0),
        second,
        keys,
        abi.encodeWithSelector(CommitStore.StaleReport.selector, second, first)
      );
      assertEq(s_priceRegistry.getTokenPrice(address(0x70c0)).value, a);
    }
  }
}
