// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PriceRegistry} from "../../contracts/PriceRegistry.sol";
import {Ownable2Step} from "../../contracts/access/Ownable2Step.sol";
import {Messenger} from "../../contracts/applications/Messenger.sol";
import {IRouter} from "../../contracts/interfaces/IRouter.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {MerkleMultiProof} from "../../contracts/libraries/MerkleMultiProof.sol";
import {OffRamp} from "../../contracts/offRamp/OffRamp.sol";
import {MerkleTreeBuilder} from "../../contracts/testkit/MerkleTreeBuilder.sol";
import {MockARM} from "../helpers/MockARM.sol";
import {
  OffRampMockCommitStore,
  OffRampMockERC20,
  OffRampMockPool,
  OffRampMockReceiver,
  OffRampMockRouter,
  OffRampMockTokenAdminRegistry,
  OffRampNonReceiver,
  OffRampReentrantReceiver
} from "../helpers/OffRampMocks.sol";
import {Test} from "forge-std/Test.sol";

contract OffRampSetup is Test {
  uint64 internal constant SOURCE = 16015286601757825753;
  uint64 internal constant DEST = 14767482510784806043;
  address internal constant ON_RAMP = address(0x0A11CE);
  uint256 internal constant THRESHOLD = 1 hours;
  uint32 internal constant MAX_POOL_GAS = 1_000_000;

  OffRampMockCommitStore internal commitStore;
  MockARM internal arm;
  OffRampMockRouter internal router;
  OffRampMockTokenAdminRegistry internal registry;
  OffRamp internal offRamp;
  OffRampMockReceiver internal receiver;
  OffRampMockERC20 internal token;
  OffRampMockPool internal pool;
  PriceRegistry internal priceRegistry;
  address internal transmitter = makeAddr("transmitter");
  address internal alice = makeAddr("alice");
  address internal bob = makeAddr("bob");
  bytes32 internal metadataHash;

  function setUp() public virtual {
    vm.warp(1_700_000_000);
    commitStore = new OffRampMockCommitStore();
    arm = new MockARM();
    router = new OffRampMockRouter();
    registry = new OffRampMockTokenAdminRegistry();
    priceRegistry = new PriceRegistry(new address[](0), new address[](0), 1 days);
    offRamp = new OffRamp(_staticConfig(), _dynamicConfig());
    router.setOffRamp(SOURCE, address(offRamp), true);
    address[] memory adds = new address[](1);
    adds[0] = transmitter;
    offRamp.applyTransmitterUpdates(new address[](0), adds);
    receiver = new OffRampMockReceiver(address(router));
    token = new OffRampMockERC20();
    pool = new OffRampMockPool(token);
    registry.setPool(address(token), address(pool));
    metadataHash = Internal._metadataHash(SOURCE, DEST, ON_RAMP);
  }

  function _staticConfig() internal view returns (OffRamp.StaticConfig memory) {
    return OffRamp.StaticConfig({
      commitStore: address(commitStore),
      chainSelector: DEST,
      sourceChainSelector: SOURCE,
      onRamp: ON_RAMP,
      arm: address(arm),
      tokenAdminRegistry: address(registry)
    });
  }

  function _dynamicConfig() internal view returns (OffRamp.DynamicConfig memory) {
    return OffRamp.DynamicConfig({
      router: address(router),
      permissionLessExecutionThresholdSeconds: uint32(THRESHOLD),
      maxDataBytes: 1000,
      maxNumberOfTokensPerMsg: 2,
      gasForCallExactCheck: 5000,
      maxPoolReleaseOrMintGas: MAX_POOL_GAS,
      priceRegistry: address(priceRegistry)
    });
  }

  function _message(uint64 seqNum, uint64 nonce, address sender, address to, uint256 gasLimit, bytes memory data)
    internal
    view
    returns (Internal.EVM2EVMMessage memory m)
  {
    m.sourceChainSelector = SOURCE;
    m.sequenceNumber = seqNum;
    m.nonce = nonce;
    m.sender = sender;
    m.receiver = to;
    m.gasLimit = gasLimit;
    m.data = data;
    m.tokenAmounts = new Internal.TokenTransfer[](0);
    m.messageId = Internal._hash(m, metadataHash);
  }

  function _msg(uint64 seqNum, uint64 nonce, address sender) internal view returns (Internal.EVM2EVMMessage memory) {
    return _message(seqNum, nonce, sender, address(receiver), 500_000, abi.encode("hello", seqNum));
  }

  function _withToken(Internal.EVM2EVMMessage memory m, uint256 amount, uint32 destGas)
    internal
    view
    returns (Internal.EVM2EVMMessage memory)
  {
    m.tokenAmounts = new Internal.TokenTransfer[](1);
    m.tokenAmounts[0] = Internal.TokenTransfer({
      sourcePoolAddress: address(0x5001),
      destTokenAddress: address(token),
      amount: amount,
      destGasAmount: destGas,
      extraData: hex"beef"
    });
    m.messageId = Internal._hash(m, metadataHash);
    return m;
  }

  function _one(Internal.EVM2EVMMessage memory m) internal pure returns (Internal.EVM2EVMMessage[] memory msgs) {
    msgs = new Internal.EVM2EVMMessage[](1);
    msgs[0] = m;
  }

  function _leaves(Internal.EVM2EVMMessage[] memory msgs) internal pure returns (bytes32[] memory leaves) {
    leaves = new bytes32[](msgs.length);
    for (uint256 i = 0; i < msgs.length; ++i) {
      leaves[i] = msgs[i].messageId;
    }
  }

  /// @dev Commits and blesses the root over `msgs` now.
  function _commit(Internal.EVM2EVMMessage[] memory msgs) internal returns (bytes32 root) {
    root = MerkleTreeBuilder.getRoot(_leaves(msgs));
    commitStore.setRoot(root, block.timestamp, true);
  }

  /// @dev A report for `msgs[indices]` proven against the root over all of `msgs`.
  function _report(Internal.EVM2EVMMessage[] memory msgs, uint256[] memory indices)
    internal
    pure
    returns (Internal.ExecutionReport memory report)
  {
    (report.proofs, report.proofFlagBits) = MerkleTreeBuilder.getProof(_leaves(msgs), indices);
    report.messages = new Internal.EVM2EVMMessage[](indices.length);
    report.offchainTokenData = new bytes[][](indices.length);
    for (uint256 k = 0; k < indices.length; ++k) {
      report.messages[k] = msgs[indices[k]];
      report.offchainTokenData[k] = new bytes[](msgs[indices[k]].tokenAmounts.length);
    }
  }

  function _reportAll(Internal.EVM2EVMMessage[] memory msgs) internal pure returns (Internal.ExecutionReport memory) {
    uint256[] memory indices = new uint256[](msgs.length);
    for (uint256 i = 0; i < msgs.length; ++i) {
      indices[i] = i;
    }
    return _report(msgs, indices);
  }

  /// @dev Commits `msgs` and returns the report over all of them.
  function _commitAll(Internal.EVM2EVMMessage[] memory msgs) internal returns (Internal.ExecutionReport memory) {
    _commit(msgs);
    return _reportAll(msgs);
  }

  function _execute(Internal.ExecutionReport memory report) internal {
    vm.prank(transmitter);
    offRamp.execute(report);
  }

  function _zeros(uint256 n) internal pure returns (uint256[] memory) {
    return new uint256[](n);
  }

  function _single(uint256 v) internal pure returns (uint256[] memory a) {
    a = new uint256[](1);
    a[0] = v;
  }

  function _state(uint64 seqNum) internal view returns (uint256) {
    return uint256(offRamp.getExecutionState(seqNum));
  }

  uint256 internal constant UNTOUCHED = uint256(Internal.MessageExecutionState.UNTOUCHED);
  uint256 internal constant SUCCESS = uint256(Internal.MessageExecutionState.SUCCESS);
  uint256 internal constant FAILURE = uint256(Internal.MessageExecutionState.FAILURE);
}

contract OffRamp_config is OffRampSetup {
  function test_Constructor() public view {
    OffRamp.StaticConfig memory s = offRamp.getStaticConfig();
    assertEq(s.commitStore, address(commitStore));
    assertEq(s.chainSelector, DEST);
    assertEq(s.sourceChainSelector, SOURCE);
    assertEq(s.onRamp, ON_RAMP);
    assertEq(s.arm, address(arm));
    assertEq(s.tokenAdminRegistry, address(registry));
    assertEq(abi.encode(offRamp.getDynamicConfig()), abi.encode(_dynamicConfig()));
    assertEq(offRamp.owner(), address(this));
    assertEq(offRamp.typeAndVersion(), "OffRamp 1.0.0");
  }

  function test_Constructor_EmitsConfigSet() public {
    vm.expectEmit();
    emit OffRamp.ConfigSet(_staticConfig(), _dynamicConfig());
    new OffRamp(_staticConfig(), _dynamicConfig());
  }

  function test_RevertWhen_ConstructorZeroAddress() public {
    OffRamp.StaticConfig memory s = _staticConfig();
    s.commitStore = address(0);
    vm.expectRevert(OffRamp.ZeroAddressNotAllowed.selector);
    new OffRamp(s, _dynamicConfig());
    s = _staticConfig();
    s.onRamp = address(0);
    vm.expectRevert(OffRamp.ZeroAddressNotAllowed.selector);
    new OffRamp(s, _dynamicConfig());
    s = _staticConfig();
    s.arm = address(0);
    vm.expectRevert(OffRamp.ZeroAddressNotAllowed.selector);
    new OffRamp(s, _dynamicConfig());
    s = _staticConfig();
    s.tokenAdminRegistry = address(0);
    vm.expectRevert(OffRamp.ZeroAddressNotAllowed.selector);
    new OffRamp(s, _dynamicConfig());
    OffRamp.DynamicConfig memory d = _dynamicConfig();
    d.router = address(0);
    vm.expectRevert(OffRamp.ZeroAddressNotAllowed.selector);
    new OffRamp(_staticConfig(), d);
  }

  function test_RevertWhen_ConstructorZeroChainSelector() public {
    OffRamp.StaticConfig memory s = _staticConfig();
    s.chainSelector = 0;
    vm.expectRevert(OffRamp.ZeroChainSelectorNotAllowed.selector);
    new OffRamp(s, _dynamicConfig());
    s = _staticConfig();
    s.sourceChainSelector = 0;
    vm.expectRevert(OffRamp.ZeroChainSelectorNotAllowed.selector);
    new OffRamp(s, _dynamicConfig());
  }

  function test_SetDynamicConfig() public {
    OffRamp.DynamicConfig memory d = _dynamicConfig();
    d.router = address(0xB0B);
    d.maxDataBytes = 7;
    d.gasForCallExactCheck = 6000;
    vm.expectEmit(address(offRamp));
    emit OffRamp.ConfigSet(_staticConfig(), d);
    offRamp.setDynamicConfig(d);
    assertEq(abi.encode(offRamp.getDynamicConfig()), abi.encode(d));
  }

  function test_RevertWhen_SetDynamicConfigNotOwner() public {
    vm.prank(alice);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    offRamp.setDynamicConfig(_dynamicConfig());
  }

  function test_RevertWhen_SetDynamicConfigZeroRouter() public {
    OffRamp.DynamicConfig memory d = _dynamicConfig();
    d.router = address(0);
    vm.expectRevert(OffRamp.ZeroAddressNotAllowed.selector);
    offRamp.setDynamicConfig(d);
  }

  function test_RevertWhen_SetDynamicConfigZeroPriceRegistry() public {
    OffRamp.DynamicConfig memory d = _dynamicConfig();
    d.priceRegistry = address(0);
    vm.expectRevert(OffRamp.ZeroAddressNotAllowed.selector);
    offRamp.setDynamicConfig(d);
  }

  function test_ApplyTransmitterUpdates() public {
    address[] memory adds = new address[](3);
    (adds[0], adds[1], adds[2]) = (alice, bob, transmitter); // transmitter already present: no-op
    vm.expectEmit(address(offRamp));
    emit OffRamp.TransmitterAdded(alice);
    vm.expectEmit(address(offRamp));
    emit OffRamp.TransmitterAdded(bob);
    offRamp.applyTransmitterUpdates(new address[](0), adds);
    address[] memory t = offRamp.getTransmitters();
    assertEq(t.length, 3);
    assertEq(t[0], transmitter);
    assertEq(t[1], alice);
    assertEq(t[2], bob);

    address[] memory removes = new address[](2);
    (removes[0], removes[1]) = (transmitter, makeAddr("absent"));
    vm.expectEmit(address(offRamp));
    emit OffRamp.TransmitterRemoved(transmitter);
    offRamp.applyTransmitterUpdates(removes, new address[](0));
    t = offRamp.getTransmitters();
    assertEq(t.length, 2);
    assertEq(t[0], bob);
    assertEq(t[1], alice);

    Internal.ExecutionReport memory report = _commitAll(_one(_msg(1, 0, alice)));
    vm.prank(transmitter);
    vm.expectRevert(abi.encodeWithSelector(OffRamp.UnauthorizedTransmitter.selector, transmitter));
    offRamp.execute(report);
    vm.prank(bob);
    offRamp.execute(report);
    assertEq(_state(1), SUCCESS);
  }

  function test_RevertWhen_ApplyTransmitterUpdatesNotOwner() public {
    vm.prank(alice);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    offRamp.applyTransmitterUpdates(new address[](0), new address[](0));
  }

  function test_RevertWhen_AddZeroTransmitter() public {
    vm.expectRevert(OffRamp.ZeroAddressNotAllowed.selector);
    offRamp.applyTransmitterUpdates(new address[](0), new address[](1));
  }
}

contract OffRamp_execute is OffRampSetup {
  function test_ExecuteSingleMessage() public {
    Internal.EVM2EVMMessage memory m = _msg(1, 1, alice);
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    vm.expectEmit(address(offRamp));
    emit OffRamp.ExecutionStateChanged(1, m.messageId, Internal.MessageExecutionState.SUCCESS, "");
    _execute(report);
    assertEq(_state(1), SUCCESS);
    assertEq(offRamp.getSenderNonce(alice), 1);
    assertEq(receiver.s_received(), 1);
    assertEq(receiver.s_lastMessageId(), m.messageId);
    assertEq(receiver.s_lastData(), m.data);
    assertEq(receiver.s_lastSender(), abi.encode(alice));
    assertEq(receiver.s_lastSourceChain(), SOURCE);
    assertEq(receiver.getLastTokens().length, 0);
  }

  function test_ExecuteSubsetWithMultiProof() public {
    Internal.EVM2EVMMessage[] memory msgs = new Internal.EVM2EVMMessage[](5);
    for (uint64 i = 0; i < 5; ++i) {
      msgs[i] = _msg(i + 1, 0, alice);
    }
    _commit(msgs);
    uint256[] memory indices = new uint256[](2);
    (indices[0], indices[1]) = (1, 4);
    _execute(_report(msgs, indices));
    assertEq(_state(1), UNTOUCHED);
    assertEq(_state(2), SUCCESS);
    assertEq(_state(3), UNTOUCHED);
    assertEq(_state(5), SUCCESS);
    assertEq(receiver.s_received(), 2);
    _execute(_reportAll(msgs));
    for (uint64 i = 1; i <= 5; ++i) {
      assertEq(_state(i), SUCCESS);
    }
    assertEq(receiver.s_received(), 5);
  }

  function test_ExactlyOnce() public {
    Internal.ExecutionReport memory report = _commitAll(_one(_msg(1, 1, alice)));
    _execute(report);
    vm.expectEmit(address(offRamp));
    emit OffRamp.SkippedAlreadyExecutedMessage(1);
    _execute(report);
    // Manual execution of a SUCCESS is skipped too, even after the threshold.
    vm.warp(block.timestamp + THRESHOLD + 1);
    vm.expectEmit(address(offRamp));
    emit OffRamp.SkippedAlreadyExecutedMessage(1);
    offRamp.manuallyExecute(report, _zeros(1));
    assertEq(receiver.s_received(), 1);
    assertEq(offRamp.getSenderNonce(alice), 1);
  }

  function test_NonceGapSkipsOnlyTheGappedMessage() public {
    Internal.EVM2EVMMessage[] memory msgs = new Internal.EVM2EVMMessage[](3);
    msgs[0] = _msg(1, 1, alice);
    msgs[1] = _msg(2, 3, alice); // alice's nonce 2 is missing
    msgs[2] = _msg(3, 1, bob);
    Internal.ExecutionReport memory report = _commitAll(msgs);
    vm.expectEmit(address(offRamp));
    emit OffRamp.SkippedOutOfOrderNonce(3, alice);
    _execute(report);
    assertEq(_state(1), SUCCESS);
    assertEq(_state(2), UNTOUCHED);
    assertEq(_state(3), SUCCESS);
    assertEq(offRamp.getSenderNonce(alice), 1);
    assertEq(offRamp.getSenderNonce(bob), 1);

    // Once alice's nonce 2 arrives, her nonce 3 runs too (same committed root, retried).
    Internal.EVM2EVMMessage[] memory late = new Internal.EVM2EVMMessage[](1);
    late[0] = _msg(4, 2, alice);
    _execute(_commitAll(late));
    assertEq(offRamp.getSenderNonce(alice), 2);
    _execute(report);
    assertEq(_state(2), SUCCESS);
    assertEq(offRamp.getSenderNonce(alice), 3);
    assertEq(receiver.s_received(), 4);
  }

  function test_OutOfOrderMessagesIgnoreNonces() public {
    Internal.EVM2EVMMessage[] memory msgs = new Internal.EVM2EVMMessage[](2);
    msgs[0] = _msg(1, 0, alice);
    msgs[1] = _msg(2, 0, alice);
    _execute(_commitAll(msgs));
    assertEq(_state(1), SUCCESS);
    assertEq(_state(2), SUCCESS);
    assertEq(offRamp.getSenderNonce(alice), 0);
  }

  function test_StatesPackAcrossSlotBoundary() public {
    Internal.EVM2EVMMessage[] memory msgs = new Internal.EVM2EVMMessage[](3);
    msgs[0] = _msg(127, 0, alice);
    OffRampMockReceiver rejecting = new OffRampMockReceiver(address(router));
    rejecting.setBehaviour(true, 0);
    msgs[1] = _message(128, 0, alice, address(rejecting), 200_000, "x");
    msgs[2] = _msg(129, 0, alice);
    _execute(_commitAll(msgs));
    assertEq(_state(126), UNTOUCHED);
    assertEq(_state(127), SUCCESS);
    assertEq(_state(128), FAILURE);
    assertEq(_state(129), SUCCESS);
    assertEq(_state(130), UNTOUCHED);
  }

  function test_ReceiverRevertIsFailureThenManualSucceeds() public {
    Internal.EVM2EVMMessage memory m = _message(1, 1, alice, address(receiver), 500_000, "x");
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    receiver.setBehaviour(true, 0);
    bytes memory expected = abi.encodeWithSelector(
      OffRamp.ReceiverError.selector, abi.encodeWithSelector(OffRampMockReceiver.Rejected.selector, m.data)
    );
    vm.expectEmit(address(offRamp));
    emit OffRamp.ExecutionStateChanged(1, m.messageId, Internal.MessageExecutionState.FAILURE, expected);
    _execute(report);
    assertEq(_state(1), FAILURE);
    assertEq(offRamp.getSenderNonce(alice), 1); // a failure consumes the nonce

    // The transmitters do not retry a failure.
    vm.expectEmit(address(offRamp));
    emit OffRamp.AlreadyAttempted(1);
    _execute(report);
    assertEq(_state(1), FAILURE);

    // Anyone retries it by hand, before the threshold, without touching nonces.
    receiver.setBehaviour(false, 0);
    vm.prank(bob);
    vm.expectEmit(address(offRamp));
    emit OffRamp.ExecutionStateChanged(1, m.messageId, Internal.MessageExecutionState.SUCCESS, "");
    offRamp.manuallyExecute(report, _zeros(1));
    assertEq(_state(1), SUCCESS);
    assertEq(offRamp.getSenderNonce(alice), 1);
    assertEq(receiver.s_received(), 1);
  }

  function test_ReceiverOutOfGasIsFailureThenManualWithMoreGas() public {
    Internal.EVM2EVMMessage memory m = _msg(1, 1, alice);
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    receiver.setBehaviour(false, 600_000); // more than the message's 500k
    vm.expectEmit(address(offRamp));
    emit OffRamp.ExecutionStateChanged(
      1, m.messageId, Internal.MessageExecutionState.FAILURE, abi.encodeWithSelector(OffRamp.ReceiverError.selector, "")
    );
    _execute(report);
    assertEq(_state(1), FAILURE);

    offRamp.manuallyExecute(report, _single(1_500_000));
    assertEq(_state(1), SUCCESS);
    assertEq(receiver.s_received(), 1);
  }

  function test_RevertWhen_ManualExecutionFailsAgain() public {
    Internal.EVM2EVMMessage memory m = _message(1, 1, alice, address(receiver), 500_000, "x");
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    receiver.setBehaviour(true, 0);
    _execute(report);
    bytes memory err = abi.encodeWithSelector(
      OffRamp.ReceiverError.selector, abi.encodeWithSelector(OffRampMockReceiver.Rejected.selector, m.data)
    );
    vm.expectRevert(abi.encodeWithSelector(OffRamp.ExecutionError.selector, m.messageId, err));
    offRamp.manuallyExecute(report, _zeros(1));
    assertEq(_state(1), FAILURE);
  }

  function test_ManualExecutionOfUntouchedAfterThreshold() public {
    Internal.EVM2EVMMessage memory m = _msg(1, 1, alice);
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    vm.warp(block.timestamp + THRESHOLD);
    vm.prank(bob);
    vm.expectRevert(abi.encodeWithSelector(OffRamp.ManualExecutionNotYetEnabled.selector, 1));
    offRamp.manuallyExecute(report, _zeros(1));

    vm.warp(block.timestamp + 1);
    vm.prank(bob);
    offRamp.manuallyExecute(report, _single(600_000));
    assertEq(_state(1), SUCCESS);
    assertEq(offRamp.getSenderNonce(alice), 1);
    assertEq(receiver.s_received(), 1);
  }

  function test_RevertWhen_ManualOverrideLowersGasLimit() public {
    Internal.EVM2EVMMessage memory m = _msg(1, 1, alice);
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    vm.warp(block.timestamp + THRESHOLD + 1);
    vm.expectRevert(
      abi.encodeWithSelector(OffRamp.InvalidManualExecutionGasLimit.selector, m.messageId, 500_000, 499_999)
    );
    offRamp.manuallyExecute(report, _single(499_999));
  }

  function test_RevertWhen_ManualOverrideLengthMismatch() public {
    Internal.ExecutionReport memory report = _commitAll(_one(_msg(1, 1, alice)));
    vm.expectRevert(OffRamp.ManualExecutionGasLimitMismatch.selector);
    offRamp.manuallyExecute(report, _zeros(2));
    vm.expectRevert(OffRamp.ManualExecutionGasLimitMismatch.selector);
    offRamp.manuallyExecute(report, _zeros(0));
  }

  function test_ReentrantManualExecutionIsRefused() public {
    OffRampReentrantReceiver evil = new OffRampReentrantReceiver(address(router));
    Internal.EVM2EVMMessage memory m = _message(1, 0, alice, address(evil), 1_000_000, "pwn");
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    evil.setReport(offRamp, report);
    vm.warp(block.timestamp + THRESHOLD + 1); // so only the re-entrancy guard stands in the way
    _execute(report);
    assertTrue(evil.s_reentered());
    assertFalse(evil.s_reentrySucceeded());
    assertEq(evil.s_reentryError(), abi.encodeWithSelector(OffRamp.ReentrancyGuardReentrantCall.selector));
    assertEq(evil.s_received(), 1);
    assertEq(_state(1), SUCCESS);
  }

  function test_RevertWhen_TransmitterGivesTooLittleGas() public {
    Internal.EVM2EVMMessage memory m = _message(1, 1, alice, address(receiver), 2_000_000, "big");
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    vm.prank(transmitter);
    vm.expectRevert(OffRamp.NotEnoughGasForCall.selector);
    offRamp.execute{gas: 1_000_000}(report);
    assertEq(_state(1), UNTOUCHED);
    assertEq(offRamp.getSenderNonce(alice), 0);
    _execute(report); // with enough gas it goes through
    assertEq(_state(1), SUCCESS);
  }

  function test_RouterRejectionIsFailure() public {
    router.setOffRamp(SOURCE, address(offRamp), false);
    Internal.EVM2EVMMessage memory m = _msg(1, 0, alice);
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    vm.expectEmit(address(offRamp));
    emit OffRamp.ExecutionStateChanged(
      1, m.messageId, Internal.MessageExecutionState.FAILURE, abi.encodeWithSelector(IRouter.OnlyOffRamp.selector)
    );
    _execute(report);
  }

  function test_ContractWithoutReceiverInterfaceIsNotCalled() public {
    OffRampNonReceiver plain = new OffRampNonReceiver();
    Internal.EVM2EVMMessage memory m = _message(1, 0, alice, address(plain), 200_000, "data");
    vm.expectCall(address(router), abi.encodePacked(IRouter.routeMessage.selector), 0);
    _execute(_commitAll(_one(m)));
    assertEq(_state(1), SUCCESS);
  }

  function test_EmptyDataAndZeroGasSkipsReceiver() public {
    Internal.EVM2EVMMessage memory m = _message(1, 0, alice, address(receiver), 0, "");
    vm.expectCall(address(router), abi.encodePacked(IRouter.routeMessage.selector), 0);
    _execute(_commitAll(_one(m)));
    assertEq(_state(1), SUCCESS);
    assertEq(receiver.s_received(), 0);
  }

  function test_DeliversToMessenger() public {
    Messenger messenger = new Messenger(address(router));
    Internal.EVM2EVMMessage memory m = _message(1, 1, alice, address(messenger), 200_000, abi.encode("gm"));
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    vm.expectEmit(address(messenger));
    emit Messenger.TextReceived(m.messageId, SOURCE, alice, "gm");
    _execute(report);
    assertEq(_state(1), SUCCESS);
    Messenger.Received memory last = messenger.getLastReceived();
    assertEq(last.messageId, m.messageId);
    assertEq(last.sender, alice);
    assertEq(last.text, "gm");
  }

  function test_RevertWhen_ExecuteSingleMessageNotSelf() public {
    Internal.EVM2EVMMessage memory m = _msg(1, 0, alice);
    vm.expectRevert(OffRamp.CanOnlySelfCall.selector);
    offRamp.executeSingleMessage(m, new bytes[](0), 200_000);
  }

  function test_EmptyTokenAmountsHashConstant() public pure {
    // Internal._hash and the OffRamp use the constant for data-only messages instead of encoding [].
    assertEq(Internal.EMPTY_TOKEN_AMOUNTS_HASH, keccak256(abi.encode(new Internal.TokenTransfer[](0))));
  }

  /// @dev The OffRamp hashes calldata itself; any message the library hashes must be accepted.
  function testFuzz_LeafHashMatchesInternal(
    uint64 seqNum,
    uint64 nonce,
    address sender,
    uint256 gasLimit,
    bytes calldata data,
    uint256 amount,
    uint32 destGas,
    bytes calldata extraData
  ) public {
    vm.assume(data.length <= 1000);
    Internal.EVM2EVMMessage memory m = _message(seqNum, 0, sender, makeAddr("eoa"), gasLimit, data);
    m.nonce = nonce;
    m.tokenAmounts = new Internal.TokenTransfer[](1);
    m.tokenAmounts[0] = Internal.TokenTransfer(address(0x5001), makeAddr("noPoolToken"), amount, destGas, extraData);
    m.messageId = Internal._hash(m, metadataHash);
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    _execute(report);
    // Either it ran (out-of-order) or was skipped for its nonce; it was never refused for its id.
    if (nonce == 0 || nonce == 1) assertEq(_state(seqNum), FAILURE);
    else assertEq(_state(seqNum), UNTOUCHED);
  }
}

contract OffRamp_reportChecks is OffRampSetup {
  function test_RevertWhen_EmptyReport() public {
    Internal.ExecutionReport memory report;
    vm.prank(transmitter);
    vm.expectRevert(OffRamp.EmptyReport.selector);
    offRamp.execute(report);
    vm.expectRevert(OffRamp.EmptyReport.selector);
    offRamp.manuallyExecute(report, _zeros(0));
  }

  function test_RevertWhen_UnauthorizedTransmitter() public {
    Internal.ExecutionReport memory report = _commitAll(_one(_msg(1, 0, alice)));
    vm.prank(alice);
    vm.expectRevert(abi.encodeWithSelector(OffRamp.UnauthorizedTransmitter.selector, alice));
    offRamp.execute(report);
  }

  function test_RevertWhen_CursedByARM() public {
    Internal.ExecutionReport memory report = _commitAll(_one(_msg(1, 0, alice)));
    arm.setCursed(bytes16(uint128(SOURCE)), true);
    vm.prank(transmitter);
    vm.expectRevert(abi.encodeWithSelector(OffRamp.CursedByARM.selector, SOURCE));
    offRamp.execute(report);
    vm.warp(block.timestamp + THRESHOLD + 1);
    vm.expectRevert(abi.encodeWithSelector(OffRamp.CursedByARM.selector, SOURCE));
    offRamp.manuallyExecute(report, _zeros(1));

    arm.setCursed(bytes16(uint128(SOURCE)), false);
    arm.setGlobalCurse(true);
    vm.prank(transmitter);
    vm.expectRevert(abi.encodeWithSelector(OffRamp.CursedByARM.selector, SOURCE));
    offRamp.execute(report);

    arm.setGlobalCurse(false);
    arm.setCursed(bytes16(uint128(DEST)), true); // another subject does not matter
    _execute(report);
    assertEq(_state(1), SUCCESS);
  }

  function test_RevertWhen_RootNotCommitted() public {
    Internal.ExecutionReport memory report = _reportAll(_one(_msg(1, 0, alice)));
    vm.prank(transmitter);
    vm.expectRevert(OffRamp.RootNotCommitted.selector);
    offRamp.execute(report);
  }

  function test_RevertWhen_RootNotBlessed() public {
    Internal.EVM2EVMMessage[] memory msgs = _one(_msg(1, 0, alice));
    bytes32 root = _commit(msgs);
    commitStore.setRoot(root, block.timestamp, false);
    vm.prank(transmitter);
    vm.expectRevert(OffRamp.RootNotCommitted.selector);
    offRamp.execute(_reportAll(msgs));
  }

  function test_RevertWhen_MessageNotInCommittedRoot() public {
    Internal.EVM2EVMMessage[] memory msgs = new Internal.EVM2EVMMessage[](2);
    msgs[0] = _msg(1, 0, alice);
    msgs[1] = _msg(2, 0, alice);
    _commit(msgs);
    Internal.ExecutionReport memory report = _reportAll(msgs);
    report.messages[1] = _msg(3, 0, alice); // valid id, wrong tree
    vm.prank(transmitter);
    vm.expectRevert(OffRamp.RootNotCommitted.selector);
    offRamp.execute(report);
    report.proofFlagBits = 0; // malformed: asks for a proof hash that is not there
    vm.prank(transmitter);
    vm.expectRevert(MerkleMultiProof.InvalidProof.selector);
    offRamp.execute(report);
  }

  function test_RevertWhen_InvalidSourceChain() public {
    Internal.EVM2EVMMessage memory m = _msg(1, 0, alice);
    m.sourceChainSelector = DEST;
    Internal.ExecutionReport memory report = _reportAll(_one(m));
    vm.prank(transmitter);
    vm.expectRevert(abi.encodeWithSelector(OffRamp.InvalidSourceChain.selector, DEST));
    offRamp.execute(report);
  }

  function test_RevertWhen_InvalidMessageId() public {
    Internal.EVM2EVMMessage memory m = _msg(1, 0, alice);
    bytes32 leaf = m.messageId;
    m.messageId = keccak256("forged");
    Internal.ExecutionReport memory report = _reportAll(_one(m));
    vm.prank(transmitter);
    vm.expectRevert(abi.encodeWithSelector(OffRamp.InvalidMessageId.selector, m.messageId, leaf));
    offRamp.execute(report);
    // A tampered body no longer matches its carried id either.
    m = _msg(1, 0, alice);
    m.data = "tampered";
    report = _reportAll(_one(m));
    vm.prank(transmitter);
    vm.expectRevert(
      abi.encodeWithSelector(OffRamp.InvalidMessageId.selector, m.messageId, Internal._hash(m, metadataHash))
    );
    offRamp.execute(report);
  }

  function test_RevertWhen_UnexpectedTokenData() public {
    Internal.ExecutionReport memory report = _commitAll(_one(_msg(1, 0, alice)));
    report.offchainTokenData = new bytes[][](2);
    vm.prank(transmitter);
    vm.expectRevert(OffRamp.UnexpectedTokenData.selector);
    offRamp.execute(report);
  }

  function test_RevertWhen_TokenDataMismatch() public {
    Internal.ExecutionReport memory report = _commitAll(_one(_withToken(_msg(7, 0, alice), 1, 50_000)));
    report.offchainTokenData[0] = new bytes[](0);
    vm.prank(transmitter);
    vm.expectRevert(abi.encodeWithSelector(OffRamp.TokenDataMismatch.selector, 7));
    offRamp.execute(report);
  }

  function test_RevertWhen_MessageTooLarge() public {
    Internal.EVM2EVMMessage memory m = _message(1, 0, alice, address(receiver), 200_000, new bytes(1001));
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    vm.prank(transmitter);
    vm.expectRevert(abi.encodeWithSelector(OffRamp.MessageTooLarge.selector, 1000, 1001));
    offRamp.execute(report);
  }

  function test_RevertWhen_UnsupportedNumberOfTokens() public {
    Internal.EVM2EVMMessage memory m = _msg(9, 0, alice);
    m.tokenAmounts = new Internal.TokenTransfer[](3);
    m.messageId = Internal._hash(m, metadataHash);
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    vm.prank(transmitter);
    vm.expectRevert(abi.encodeWithSelector(OffRamp.UnsupportedNumberOfTokens.selector, 9));
    offRamp.execute(report);
  }
}

contract OffRamp_tokens is OffRampSetup {
  function test_ReleasesTokensAndDelivers() public {
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 1, alice), 1e18, 400_000);
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    report.offchainTokenData[0][0] = hex"a77e57";
    _execute(report);
    assertEq(_state(1), SUCCESS);
    assertEq(token.balanceOf(address(receiver)), 1e18);
    Client.EVMTokenAmount[] memory got = receiver.getLastTokens();
    assertEq(got.length, 1);
    assertEq(got[0].token, address(token));
    assertEq(got[0].amount, 1e18);
    OffRampMockPool.ReleaseOrMintIn memory input = pool.getLastIn();
    assertEq(input.originalSender, abi.encode(alice));
    assertEq(input.remoteChainSelector, SOURCE);
    assertEq(input.receiver, address(receiver));
    assertEq(input.amount, 1e18);
    assertEq(input.localToken, address(token));
    assertEq(input.sourcePoolAddress, address(0x5001));
    assertEq(input.sourcePoolData, hex"beef");
    assertEq(input.offchainTokenData, hex"a77e57");
    assertEq(input.messageId, m.messageId);
  }

  function test_ReceiverFailureRollsBackRelease() public {
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 1, alice), 5e18, 400_000);
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    receiver.setBehaviour(true, 0);
    _execute(report);
    assertEq(_state(1), FAILURE);
    assertEq(token.balanceOf(address(receiver)), 0);
    assertEq(pool.s_releaseCount(), 0);
    assertEq(token.totalSupply(), 0);

    receiver.setBehaviour(false, 0);
    offRamp.manuallyExecute(report, _zeros(1));
    assertEq(_state(1), SUCCESS);
    assertEq(token.balanceOf(address(receiver)), 5e18);
    assertEq(pool.s_releaseCount(), 1);
  }

  function test_TokenOnlyToEOA() public {
    address eoa = makeAddr("eoa");
    Internal.EVM2EVMMessage memory m = _withToken(_message(1, 0, alice, eoa, 0, ""), 3, 400_000);
    vm.expectCall(address(router), abi.encodePacked(IRouter.routeMessage.selector), 0);
    _execute(_commitAll(_one(m)));
    assertEq(_state(1), SUCCESS);
    assertEq(token.balanceOf(eoa), 3);
  }

  function test_TokensToNonReceiverContract() public {
    OffRampNonReceiver plain = new OffRampNonReceiver();
    Internal.EVM2EVMMessage memory m = _withToken(_message(1, 0, alice, address(plain), 200_000, "hi"), 3, 400_000);
    vm.expectCall(address(router), abi.encodePacked(IRouter.routeMessage.selector), 0);
    _execute(_commitAll(_one(m)));
    assertEq(_state(1), SUCCESS);
    assertEq(token.balanceOf(address(plain)), 3);
  }

  function _expectFailure(Internal.EVM2EVMMessage memory m, bytes memory err) internal {
    Internal.ExecutionReport memory report = _commitAll(_one(m));
    vm.expectEmit(address(offRamp));
    emit OffRamp.ExecutionStateChanged(m.sequenceNumber, m.messageId, Internal.MessageExecutionState.FAILURE, err);
    _execute(report);
    assertEq(_state(m.sequenceNumber), FAILURE);
    assertEq(receiver.s_received(), 0);
  }

  function test_NoPoolIsFailure() public {
    registry.setPool(address(token), address(0));
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 0, alice), 1, 400_000);
    _expectFailure(m, abi.encodeWithSelector(OffRamp.NotACompatiblePool.selector, address(token)));
  }

  function test_PoolWithoutCodeIsFailure() public {
    registry.setPool(address(token), makeAddr("notAPool"));
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 0, alice), 1, 400_000);
    _expectFailure(m, abi.encodeWithSelector(OffRamp.NotACompatiblePool.selector, address(token)));
  }

  function test_ZeroPoolGasIsFailure() public {
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 0, alice), 1, 0);
    _expectFailure(m, abi.encodeWithSelector(OffRamp.ZeroPoolGas.selector, address(token)));
  }

  function test_PoolRevertIsFailure() public {
    pool.setBehaviour(true, 0, 0);
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 0, alice), 1, 400_000);
    _expectFailure(
      m,
      abi.encodeWithSelector(
        OffRamp.TokenHandlingError.selector, abi.encodeWithSelector(OffRampMockPool.PoolFailure.selector)
      )
    );
  }

  function test_PoolGasCappedByMaxPoolGas() public {
    pool.setBehaviour(false, 0, MAX_POOL_GAS + 10_000);
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 0, alice), 1, type(uint32).max);
    _expectFailure(m, abi.encodeWithSelector(OffRamp.TokenHandlingError.selector, ""));
  }

  function test_PoolGasBoundedByDestGasAmount() public {
    pool.setBehaviour(false, 0, 60_000);
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 0, alice), 1, 50_000);
    _expectFailure(m, abi.encodeWithSelector(OffRamp.TokenHandlingError.selector, ""));
  }

  function test_ReleaseOrMintBalanceMismatchIsFailure() public {
    pool.setBehaviour(false, 1, 0);
    Internal.EVM2EVMMessage memory m = _withToken(_msg(1, 0, alice), 10, 400_000);
    _expectFailure(m, abi.encodeWithSelector(OffRamp.ReleaseOrMintBalanceMismatch.selector, 10, 0, 9));
  }
}
