// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Router} from "../../contracts/Router.sol";
import {IARM} from "../../contracts/interfaces/IARM.sol";
import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";
import {IntegrationCountingReceiver} from "./IntegrationReceivers.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Bounded actions over a 2-chain CCIPLocalNetwork, with ghost accounting for LaneInvariants.
contract LaneInvariantHandler is Test {
  uint256 internal constant NUM_SENDERS = 3;
  uint256 internal constant FUNDS = 1e24;

  struct Sent {
    uint8 direction; // 0: A -> B, 1: B -> A
    uint8 tokenKind; // 0: none, 1: BnM, 2: LnM
    address sender;
    address receiver;
    uint256 amount;
  }

  CCIPLocalNetwork public kit;
  uint64[2] public selectors;
  CCIPLocalNetwork.Chain[2] internal s_chains;
  IntegrationCountingReceiver[2] public receivers; // receivers[i] lives on chain i
  address[] internal s_senders;

  bytes32[] public ids;
  mapping(bytes32 id => Sent) public sent;
  mapping(bytes32 id => uint256 count) public successCount;
  uint256 public maxSuccessCount;
  uint256 internal s_outcomeCursor;

  /// @dev Per direction: messages sent; per direction and token kind: debited and delivered amounts.
  uint64[2] public sentCount;
  uint256[3][2] public debited;
  uint256[3][2] public delivered;
  /// @dev Last ordered nonce per (direction, sender).
  mapping(uint256 direction => mapping(address sender => uint64 nonce)) public lastNonce;

  /// @dev Lane i (direction i) is cursed when its destination's ARM curses its source.
  bool[2] public laneCursed;

  uint256 public numSuccess;
  uint256 public numFailure;
  uint256 public executedWhileCursed;
  uint256 public seqGaps;
  uint256 public nonceErrors;
  uint256 public bnmSupply0;

  mapping(bytes32 => uint256) public calls;

  constructor(CCIPLocalNetwork kit_) {
    kit = kit_;
    for (uint256 i = 0; i < 2; ++i) {
      selectors[i] = kit.defaultChainSelector(i);
      s_chains[i] = kit.getChain(selectors[i]);
      receivers[i] = new IntegrationCountingReceiver(s_chains[i].router, 2);
    }
    for (uint256 s = 0; s < NUM_SENDERS; ++s) {
      address sender = address(uint160(0x5E0D000 + s));
      s_senders.push(sender);
      for (uint256 i = 0; i < 2; ++i) {
        CCIPLocalNetwork.Chain memory c = s_chains[i];
        kit.fund(c.chainSelector, sender, FUNDS);
        vm.startPrank(sender);
        IERC20(c.linkToken).approve(c.router, type(uint256).max);
        IERC20(c.bnmToken).approve(c.router, type(uint256).max);
        IERC20(c.lnmToken).approve(c.router, type(uint256).max);
        vm.stopPrank();
      }
    }
    bnmSupply0 = IERC20(s_chains[0].bnmToken).totalSupply() + IERC20(s_chains[1].bnmToken).totalSupply();
  }

  // ================================================================
  // │                           Actions                            │
  // ================================================================

  function sendData(uint256 senderSeed, bool bToA, bool outOfOrder, uint256 gasLimit) external {
    calls["sendData"]++;
    gasLimit = bound(gasLimit, 0, 400_000); // the receiver needs ~60k: low limits fail
    _send(senderSeed, bToA ? 1 : 0, 0, 0, outOfOrder, gasLimit, true);
  }

  function sendTokens(
    uint256 senderSeed,
    bool bToA,
    bool lockRelease,
    uint256 amount,
    uint256 gasLimit,
    bool toReceiver
  ) external {
    calls["sendTokens"]++;
    amount = bound(amount, 1, 1_000e18);
    gasLimit = bound(gasLimit, 0, 400_000);
    _send(senderSeed, bToA ? 1 : 0, lockRelease ? 2 : 1, amount, false, gasLimit, toReceiver);
  }

  function route() external {
    calls["route"]++;
    kit.route();
    _collect();
  }

  function commitOnly() external {
    calls["commitOnly"]++;
    kit.commitOnly();
    _collect();
  }

  function executePending() external {
    calls["executePending"]++;
    kit.executePending();
    _collect();
  }

  function routeOne(uint256 seed) external {
    if (ids.length == 0) return;
    bytes32 id = ids[seed % ids.length];
    if (laneCursed[sent[id].direction]) return;
    calls["routeOne"]++;
    kit.routeMessage(id);
    _collect();
  }

  function curseSource(bool bToA) external {
    calls["curse"]++;
    uint256 d = bToA ? 1 : 0;
    if (laneCursed[d]) return;
    kit.curse(selectors[1 - d], selectors[d]);
    laneCursed[d] = true;
  }

  function uncurseSource(bool bToA) external {
    calls["uncurse"]++;
    uint256 d = bToA ? 1 : 0;
    if (!laneCursed[d]) return;
    kit.uncurse(selectors[1 - d], selectors[d]);
    laneCursed[d] = false;
  }

  function manuallyExecute(uint256 seed, uint256 gasLimit) external {
    if (ids.length == 0) return;
    bytes32 id = ids[seed % ids.length];
    if (laneCursed[sent[id].direction] || successCount[id] != 0) return;
    calls["manuallyExecute"]++;
    gasLimit = bound(gasLimit, 300_000, 2_000_000);
    // A message below the receiver's need reverts with ExecutionError; that is a valid outcome too.
    try kit.manuallyExecute(id, gasLimit) {} catch {}
    _collect();
  }

  function warp(uint256 secondsForward) external {
    calls["warp"]++;
    vm.warp(block.timestamp + bound(secondsForward, 0, 2 days));
  }

  // ================================================================
  // │                          Internals                           │
  // ================================================================

  function _send(
    uint256 senderSeed,
    uint256 d,
    uint8 tokenKind,
    uint256 amount,
    bool outOfOrder,
    uint256 gasLimit,
    bool toReceiver
  ) internal {
    CCIPLocalNetwork.Chain memory src = s_chains[d];
    uint64 dest = selectors[1 - d];
    // The source's ARM refuses sends to a chain it curses (the reverse lane's curse).
    if (IARM(src.arm).isCursed(bytes16(uint128(dest)))) return;
    address sender = s_senders[senderSeed % NUM_SENDERS];
    address receiver = toReceiver ? address(receivers[1 - d]) : address(uint160(0xE0A0000 + senderSeed % 7));

    Client.EVM2AnyMessage memory m;
    m.receiver = abi.encode(receiver);
    m.data = tokenKind == 0 ? bytes("data") : bytes("");
    m.feeToken = src.linkToken;
    m.extraArgs = Client._argsToBytes(Client.EVMExtraArgsV2({gasLimit: gasLimit, allowOutOfOrderExecution: outOfOrder}));
    if (tokenKind != 0) {
      m.tokenAmounts = new Client.EVMTokenAmount[](1);
      m.tokenAmounts[0] = Client.EVMTokenAmount({token: tokenKind == 1 ? src.bnmToken : src.lnmToken, amount: amount});
    }
    vm.prank(sender);
    bytes32 id = Router(src.router).ccipSend(dest, m);

    kit.sync();
    Internal.EVM2EVMMessage memory message = kit.getMessage(id);
    if (message.sequenceNumber != ++sentCount[d]) ++seqGaps;
    if (outOfOrder) {
      if (message.nonce != 0) ++nonceErrors;
    } else if (message.nonce != ++lastNonce[d][sender]) {
      ++nonceErrors;
    }
    ids.push(id);
    sent[id] = Sent({direction: uint8(d), tokenKind: tokenKind, sender: sender, receiver: receiver, amount: amount});
    debited[d][tokenKind] += amount;
  }

  /// @dev Reads every outcome the kit recorded since the last look.
  function _collect() internal {
    CCIPLocalNetwork.Outcome[] memory outcomes = kit.getOutcomesSince(s_outcomeCursor);
    s_outcomeCursor += outcomes.length;
    for (uint256 i = 0; i < outcomes.length; ++i) {
      CCIPLocalNetwork.Outcome memory o = outcomes[i];
      Sent memory s = sent[o.messageId];
      if (laneCursed[s.direction]) ++executedWhileCursed;
      if (o.state != Internal.MessageExecutionState.SUCCESS) {
        ++numFailure;
        continue;
      }
      ++numSuccess;
      uint256 count = ++successCount[o.messageId];
      if (count > maxSuccessCount) maxSuccessCount = count;
      delivered[s.direction][s.tokenKind] += s.amount;
    }
  }

  // ================================================================
  // │                            Views                             │
  // ================================================================

  function numIds() external view returns (uint256) {
    return ids.length;
  }

  function chain(uint256 i) external view returns (CCIPLocalNetwork.Chain memory) {
    return s_chains[i];
  }

  function inFlight(uint256 d, uint8 tokenKind) external view returns (uint256) {
    return debited[d][tokenKind] - delivered[d][tokenKind];
  }
}
