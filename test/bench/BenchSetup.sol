// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ARM} from "../../contracts/ARM.sol";
import {IARM} from "../../contracts/interfaces/IARM.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {LaneProfile} from "../../contracts/libraries/LaneProfile.sol";
import {RateLimiter} from "../../contracts/libraries/RateLimiter.sol";
import {OnRamp} from "../../contracts/onRamp/OnRamp.sol";
import {MerkleTreeBuilder} from "../../contracts/testkit/MerkleTreeBuilder.sol";
import {LaneDeployer} from "../../script/LaneDeployer.sol";
import {BenchReceiver} from "./BenchReceiver.sol";
import {Test, Vm, console} from "forge-std/Test.sol";

/// @notice Two chains in one EVM, every contract real: chain A (source) with its OnRamp to B, chain B
/// (destination) with the CommitStore and OffRamp from A and a BenchReceiver. setUp leaves the lane in
/// the steady state: USER has sent (in the fee token and in native), and those messages were committed,
/// blessed and executed.
abstract contract BenchSetup is Test, LaneDeployer {
  uint64 internal constant CHAIN_A = 16015286601757825753;
  uint64 internal constant CHAIN_B = 3478487238524512106;
  uint256 internal constant NUM_SIGNERS = 4;
  uint8 internal constant F = 1;
  uint256 internal constant PAYLOAD_BYTES = 100;
  uint256 internal constant TOKEN_AMOUNT = 1e18;

  address internal USER = makeAddr("user");
  address internal TRANSMITTER = makeAddr("transmitter");

  ChainContracts internal a;
  ChainContracts internal b;
  OnRamp internal onRamp; // A -> B
  Lane internal inbound; // on B, from A (its onRamp field unused)
  BenchReceiver internal receiver;
  uint256[] internal s_signerKeys;
  address[] internal s_blessVoters;
  uint256[] internal s_blessVoterKeys;
  uint40 internal s_epochAndRound;
  bool internal s_notIsolated;
  bool internal s_floorBound;

  function _owner() internal view override returns (address) {
    return address(this);
  }

  /// @dev The profile's lanes have no pool limit; production pools do, so the token rows measure the limited
  /// path (a bucket read and written on each side).
  function _poolRateLimiterConfig() internal pure override returns (RateLimiter.Config memory limit) {
    limit = LaneProfile.poolRateLimiterConfig();
    limit.isEnabled = true;
    limit.capacity = 1_000_000e18;
    limit.rate = 1_000e18;
  }

  function setUp() public virtual {
    vm.warp(1_700_000_000);
    ARM.Voter[] memory voters = new ARM.Voter[](2);
    for (uint256 i = 0; i < 2; ++i) {
      (address blessVoter, uint256 blessVoterKey) = makeAddrAndKey(string.concat("blessVoter", vm.toString(i)));
      s_blessVoters.push(blessVoter);
      s_blessVoterKeys.push(blessVoterKey);
      voters[i] = ARM.Voter({
        blessVoteAddr: s_blessVoters[i],
        curseVoteAddr: makeAddr(string.concat("curseVoter", vm.toString(i))),
        blessWeight: 1,
        curseWeight: 1
      });
    }
    // Built in memory (the deployer's helpers fill the struct in place), then kept in storage.
    ChainContracts memory ca = _deployCore(CHAIN_A, voters, 2, 2);
    _deployTokenPools(ca);
    ChainContracts memory cb = _deployCore(CHAIN_B, voters, 2, 2);
    _deployTokenPools(cb);
    _setInitialPrices(ca, CHAIN_B);
    _setInitialPrices(cb, CHAIN_A);
    _connectPools(ca, CHAIN_B, _remoteTokens(cb));
    _connectPools(cb, CHAIN_A, _remoteTokens(ca));
    a = ca;
    b = cb;

    onRamp = _deployOnRamp(a, CHAIN_B);
    LaneOracles memory oracles;
    oracles.signers = new address[](NUM_SIGNERS);
    for (uint256 i = 0; i < NUM_SIGNERS; ++i) {
      s_signerKeys.push(uint256(keccak256(abi.encode("bench signer", i))) % (2 ** 255));
      oracles.signers[i] = vm.addr(s_signerKeys[i]);
    }
    oracles.transmitters = new address[](1);
    oracles.transmitters[0] = TRANSMITTER;
    oracles.f = F;
    (inbound.commitStore, inbound.offRamp) = _deployInbound(b, CHAIN_A, address(onRamp), oracles);
    receiver = new BenchReceiver(address(b.router));

    a.feeToken.mint(USER, 1_000_000e18);
    a.lrToken.mint(USER, 1_000_000e18);
    deal(address(a.bmToken), USER, 1_000_000e18);
    vm.deal(USER, 1_000 ether);
    vm.startPrank(USER);
    a.feeToken.approve(address(a.router), type(uint256).max);
    a.lrToken.approve(address(a.router), type(uint256).max);
    a.bmToken.approve(address(a.router), type(uint256).max);
    vm.stopPrank();

    // Steady state: USER has sent before, in both fee kinds, and the lane committed and executed it.
    Internal.EVM2EVMMessage[] memory warm = new Internal.EVM2EVMMessage[](2);
    warm[0] = _send(_dataMessage(address(a.feeToken)), 0);
    warm[1] = _send(_dataMessage(address(0)), 1 ether);
    _deliver(warm);
  }

  // ================================================================
  // |                         Source side                          |
  // ================================================================

  function _payload() internal pure returns (bytes memory data) {
    data = new bytes(PAYLOAD_BYTES);
    for (uint256 i = 0; i < PAYLOAD_BYTES; ++i) {
      data[i] = bytes1(uint8(i + 1));
    }
  }

  function _dataMessage(address feeToken) internal view returns (Client.EVM2AnyMessage memory) {
    return Client.EVM2AnyMessage({
      receiver: abi.encode(address(receiver)),
      data: _payload(),
      tokenAmounts: new Client.EVMTokenAmount[](0),
      feeToken: feeToken,
      extraArgs: ""
    });
  }

  function _tokenMessage(address token) internal view returns (Client.EVM2AnyMessage memory message) {
    message = _dataMessage(address(a.feeToken));
    message.tokenAmounts = new Client.EVMTokenAmount[](1);
    message.tokenAmounts[0] = Client.EVMTokenAmount({token: token, amount: TOKEN_AMOUNT});
  }

  /// @dev Sends as USER and returns the message as the OnRamp emitted it.
  function _send(Client.EVM2AnyMessage memory message, uint256 value)
    internal
    returns (Internal.EVM2EVMMessage memory sent)
  {
    vm.recordLogs();
    vm.prank(USER);
    a.router.ccipSend{value: value}(CHAIN_B, message);
    sent = _lastSent();
  }

  function _lastSent() internal returns (Internal.EVM2EVMMessage memory sent) {
    Vm.Log[] memory logs = vm.getRecordedLogs();
    for (uint256 i = logs.length; i > 0; --i) {
      Vm.Log memory log = logs[i - 1];
      if (log.emitter == address(onRamp) && log.topics[0] == OnRamp.CCIPSendRequested.selector) {
        (sent,,) = abi.decode(log.data, (Internal.EVM2EVMMessage, address, uint256));
        return sent;
      }
    }
    revert("no CCIPSendRequested");
  }

  // ================================================================
  // |                       Destination side                       |
  // ================================================================

  function _leaves(Internal.EVM2EVMMessage[] memory messages) internal pure returns (bytes32[] memory leaves) {
    leaves = new bytes32[](messages.length);
    for (uint256 i = 0; i < messages.length; ++i) {
      leaves[i] = messages[i].messageId;
    }
  }

  /// @dev The signed commit call for a root over `messages` (a fresh epoch and round), plus `prices`.
  function _commitCall(Internal.EVM2EVMMessage[] memory messages, Internal.PriceUpdates memory prices)
    internal
    returns (bytes memory callData, bytes32 root)
  {
    root = MerkleTreeBuilder.getRoot(_leaves(messages));
    bytes memory report = abi.encode(
      Internal.CommitReport({
        priceUpdates: prices,
        interval: Internal.Interval(messages[0].sequenceNumber, messages[messages.length - 1].sequenceNumber),
        merkleRoot: root
      })
    );
    uint40 epochAndRound = ++s_epochAndRound;
    (,, bytes32 configDigest) = inbound.commitStore.latestConfigDetails();
    bytes32 digest = Internal._commitReportDigest(configDigest, epochAndRound, report);
    bytes32[] memory rs = new bytes32[](F + 1);
    bytes32[] memory ss = new bytes32[](F + 1);
    bytes32 rawVs;
    for (uint256 i = 0; i < F + 1; ++i) {
      (uint8 v, bytes32 r, bytes32 s) = vm.sign(s_signerKeys[i], digest);
      rs[i] = r;
      ss[i] = s;
      rawVs |= bytes32(uint256(v - 27) << (248 - 8 * i));
    }
    bytes32[2] memory ctx = [configDigest, bytes32(uint256(epochAndRound))];
    callData = abi.encodeCall(inbound.commitStore.commit, (ctx, report, rs, ss, rawVs));
  }

  function _blessCall(bytes32 root) internal view returns (bytes memory) {
    IARM.TaggedRoot[] memory roots = new IARM.TaggedRoot[](1);
    roots[0] = IARM.TaggedRoot({commitStore: address(inbound.commitStore), root: root});
    return abi.encodeCall(ARM.voteToBless, (roots));
  }

  /// @dev `commitCall` (a commit) turned into commitAndBless with both bless voters' signatures over `root`.
  function _commitAndBlessCall(bytes memory commitCall, bytes32 root) internal view returns (bytes memory) {
    bytes memory args = new bytes(commitCall.length - 4);
    for (uint256 i = 0; i < args.length; ++i) {
      args[i] = commitCall[i + 4];
    }
    (bytes32[2] memory ctx, bytes memory report, bytes32[] memory rs, bytes32[] memory ss, bytes32 rawVs) =
      abi.decode(args, (bytes32[2], bytes, bytes32[], bytes32[], bytes32));
    bytes32 digest = b.arm.getBlessDigest(IARM.TaggedRoot({commitStore: address(inbound.commitStore), root: root}));
    IARM.Signature[] memory sigs = new IARM.Signature[](s_blessVoterKeys.length);
    for (uint256 i = 0; i < sigs.length; ++i) {
      (bytes32 r, bytes32 vs) = vm.signCompact(s_blessVoterKeys[i], digest);
      sigs[i] = IARM.Signature({r: r, vs: vs});
    }
    return abi.encodeCall(inbound.commitStore.commitAndBless, (ctx, report, rs, ss, rawVs, sigs));
  }

  /// @dev An execution report of all of `messages` (one root), without token data.
  function _executeCall(Internal.EVM2EVMMessage[] memory messages) internal view returns (bytes memory) {
    Internal.ExecutionReport memory report;
    report.messages = messages;
    report.offchainTokenData = new bytes[][](messages.length);
    for (uint256 i = 0; i < messages.length; ++i) {
      report.offchainTokenData[i] = new bytes[](messages[i].tokenAmounts.length);
    }
    uint256[] memory indices = new uint256[](messages.length);
    for (uint256 i = 0; i < messages.length; ++i) {
      indices[i] = i;
    }
    (report.proofs, report.proofFlagBits) = MerkleTreeBuilder.getProof(_leaves(messages), indices);
    return abi.encodeCall(inbound.offRamp.execute, (report));
  }

  function _noPrices() internal pure returns (Internal.PriceUpdates memory prices) {
    prices.tokenPriceUpdates = new Internal.TokenPriceUpdate[](0);
    prices.gasPriceUpdates = new Internal.GasPriceUpdate[](0);
  }

  /// @dev `from` calls `target` with `callData` as its own transaction (under --isolate) and returns the
  /// transaction's gas figures (see _txGas).
  function _call(address from, address target, bytes memory callData) internal returns (TxGas memory g) {
    vm.prank(from);
    (bool ok, bytes memory ret) = target.call(callData);
    if (!ok) {
      assembly ("memory-safe") {
        revert(add(ret, 0x20), mload(ret))
      }
    }
    return _txGas(callData);
  }

  /// @dev Commits, blesses and executes `messages` (one root) without measuring.
  function _deliver(Internal.EVM2EVMMessage[] memory messages) internal {
    (bytes memory commitData, bytes32 root) = _commitCall(messages, _noPrices());
    _call(TRANSMITTER, address(inbound.commitStore), commitData);
    bytes memory blessData = _blessCall(root);
    _call(s_blessVoters[0], address(b.arm), blessData);
    _call(s_blessVoters[1], address(b.arm), blessData);
    _call(TRANSMITTER, address(inbound.offRamp), _executeCall(messages));
  }

  // ================================================================
  // |                          Measuring                           |
  // ================================================================

  /// @notice Gas of one transaction. `execution`: the call's execution gas (no 21,000 base, no calldata),
  /// before refunds. `whole`: what the transaction is charged before refunds, Prague rules:
  /// max(21,000 + calldata + execution, 21,000 + 10 * tokens) with calldata = 4 * zero bytes + 16 * nonzero
  /// bytes (EIP-2028) and tokens = zero bytes + 4 * nonzero bytes (EIP-7623 floor).
  struct TxGas {
    uint256 execution;
    uint256 whole;
  }

  function _txGas(bytes memory callData) internal returns (TxGas memory g) {
    Vm.Gas memory last = vm.lastCallGas();
    uint256 zeros;
    for (uint256 i = 0; i < callData.length; ++i) {
      if (callData[i] == 0) ++zeros;
    }
    uint256 nonZeros = callData.length - zeros;
    uint256 standard = 21_000 + 4 * zeros + 16 * nonZeros;
    uint256 floor = 21_000 + 10 * (zeros + 4 * nonZeros);
    // Under --isolate the reported figure is the transaction's gas used: intrinsic + execution - refund,
    // or the EIP-7623 floor when that is higher. Without it, it is the call's execution gas in a warm
    // state: the figures are then flagged, never failed (the bench also runs in the plain test suite).
    uint256 used = uint256(last.gasTotalUsed) + uint256(int256(last.gasRefunded));
    if (used <= standard) {
      s_notIsolated = true;
      g.execution = used;
    } else {
      if (uint256(last.gasTotalUsed) == floor) s_floorBound = true;
      g.execution = used - standard;
    }
    g.whole = standard + g.execution;
    if (floor > g.whole) g.whole = floor;
  }

  /// @dev One table row: name, measured, target, and whether it meets the target (never a failure).
  function _row(string memory name, uint256 measured, uint256 target) internal view {
    if (s_notIsolated) name = string.concat(name, " [NOT ISOLATED: warm, run with --isolate]");
    if (s_floorBound) name = string.concat(name, " [calldata floor bound: execution unknown]");
    console.log(
      string.concat(
        "| ",
        _pad(name, 62),
        " | ",
        _padLeft(vm.toString(measured), 8),
        " | ",
        _padLeft(vm.toString(target), 8),
        measured <= target ? " | ok   |" : " | MISS |"
      )
    );
  }

  function _pad(string memory s, uint256 width) internal pure returns (string memory) {
    bytes memory out = bytes(s);
    while (out.length < width) out = bytes.concat(out, " ");
    return string(out);
  }

  function _padLeft(string memory s, uint256 width) internal pure returns (string memory) {
    bytes memory out = bytes(s);
    while (out.length < width) out = bytes.concat(" ", out);
    return string(out);
  }
}
