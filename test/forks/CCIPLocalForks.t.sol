// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Messenger} from "../../contracts/applications/Messenger.sol";
import {IARM} from "../../contracts/interfaces/IARM.sol";
import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {IRouterClient} from "../../contracts/interfaces/IRouterClient.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {OffRamp} from "../../contracts/offRamp/OffRamp.sol";
import {CCIPLocalForks, CCIPLocalKeys} from "../../contracts/testkit/CCIPLocalForks.sol";
import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";
import {IntegrationCountingReceiver} from "../helpers/IntegrationReceivers.sol";
import {Test} from "forge-std/Test.sol";

/// @notice CCIPLocalForks over forks of the chains `ccip up` runs. Needs running chains and their network
/// file in $CCIP_NETWORK_FILE: run through tools/test-forks (excluded from the default `forge test`).
contract CCIPLocalForksTest is Test {
  uint256 internal constant FUNDS = 1_000e18;

  CCIPLocalForks internal forks;
  CCIPLocalNetwork.Chain internal a;
  CCIPLocalNetwork.Chain internal b;
  CCIPLocalNetwork.Chain internal c;
  address internal recipient = makeAddr("recipient");

  function setUp() public {
    forks = new CCIPLocalForks("");
    uint64[] memory selectors = forks.getChainSelectors();
    a = forks.getChain(selectors[0]);
    b = forks.getChain(selectors[1]);
    c = forks.getChain(selectors[2]);
    forks.fund(a.chainSelector, address(this), FUNDS);
    forks.fund(c.chainSelector, address(this), FUNDS);
    forks.selectChain(a.chainSelector);
  }

  // ================================================================
  // │                           Helpers                            │
  // ================================================================

  function _send(
    CCIPLocalNetwork.Chain memory src,
    uint64 dest,
    address receiver,
    bytes memory data,
    Client.EVMTokenAmount[] memory tokens,
    uint256 gasLimit
  ) internal returns (bytes32) {
    forks.selectChain(src.chainSelector);
    IERC20(src.linkToken).approve(src.router, type(uint256).max);
    for (uint256 i = 0; i < tokens.length; ++i) {
      IERC20(tokens[i].token).approve(src.router, tokens[i].amount);
    }
    return IRouterClient(src.router)
      .ccipSend(
        dest,
        Client.EVM2AnyMessage({
        receiver: abi.encode(receiver),
        data: data,
        tokenAmounts: tokens,
        feeToken: src.linkToken,
        extraArgs: Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: gasLimit}))
      })
      );
  }

  function _tokens(address token, uint256 amount) internal pure returns (Client.EVMTokenAmount[] memory t) {
    t = new Client.EVMTokenAmount[](1);
    t[0] = Client.EVMTokenAmount({token: token, amount: amount});
  }

  function _assertDelivered(CCIPLocalNetwork.Outcome memory o, bytes32 id, uint64 source, uint64 dest) internal pure {
    assertEq(o.messageId, id);
    assertEq(o.sourceChainSelector, source);
    assertEq(o.destChainSelector, dest);
    assertEq(uint256(o.state), uint256(Internal.MessageExecutionState.SUCCESS));
  }

  // ================================================================
  // │                           Delivery                           │
  // ================================================================

  function test_messengerTextReachesTheDestinationFork() public {
    Messenger onA = Messenger(forks.getFork(a.chainSelector).messenger);
    address onB = forks.getFork(b.chainSelector).messenger;
    IERC20(a.linkToken).approve(address(onA), type(uint256).max);
    bytes32 id = onA.sendText(b.chainSelector, onB, "hello across forks", a.linkToken);

    CCIPLocalNetwork.Outcome[] memory outcomes = forks.route();
    assertEq(outcomes.length, 1);
    _assertDelivered(outcomes[0], id, a.chainSelector, b.chainSelector);
    // route() leaves the caller's fork selected.
    assertEq(vm.activeFork(), forks.getFork(a.chainSelector).forkId);

    forks.selectChain(b.chainSelector);
    Messenger.Received memory last = Messenger(onB).getLastReceived();
    assertEq(last.text, "hello across forks");
    assertEq(last.messageId, id);
    assertEq(last.sourceChainSelector, a.chainSelector);
    assertEq(last.sender, address(onA));
    assertEq(Messenger(onB).getReceivedCount(), 1);
    // Executed by the file's exec transmitter through the OffRamp of the lane a -> b.
    (,, address offRamp) = forks.getLane(a.chainSelector, b.chainSelector);
    assertEq(uint256(OffRamp(offRamp).getExecutionState(1)), uint256(Internal.MessageExecutionState.SUCCESS));
  }

  function test_receiverDeployedOnItsForkOnlyGetsMessagesFromEveryChain() public {
    forks.selectChain(b.chainSelector);
    IntegrationCountingReceiver receiver = new IntegrationCountingReceiver(b.router, 0);
    bytes32 fromA = _send(a, b.chainSelector, address(receiver), "from a", new Client.EVMTokenAmount[](0), 200_000);
    bytes32 fromC = _send(c, b.chainSelector, address(receiver), "from c", new Client.EVMTokenAmount[](0), 200_000);

    CCIPLocalNetwork.Outcome[] memory outcomes = forks.route();
    assertEq(outcomes.length, 2);
    _assertDelivered(outcomes[0], fromA, a.chainSelector, b.chainSelector);
    _assertDelivered(outcomes[1], fromC, c.chainSelector, b.chainSelector);
    // The caller had c selected last (the second send).
    assertEq(vm.activeFork(), forks.getFork(c.chainSelector).forkId);

    forks.selectChain(b.chainSelector);
    assertEq(receiver.s_count(fromA), 1);
    assertEq(receiver.s_count(fromC), 1);
    assertEq(receiver.s_total(), 2);
    forks.selectChain(a.chainSelector);
    assertEq(address(receiver).code.length, 0);
  }

  function test_burnMintTokenBurnsOnSourceMintsOnDestination() public {
    uint256 amount = 7e18;
    forks.selectChain(b.chainSelector);
    uint256 supplyB = IERC20(b.bnmToken).totalSupply();
    forks.selectChain(a.chainSelector);
    uint256 supplyA = IERC20(a.bnmToken).totalSupply();
    uint256 balanceA = IERC20(a.bnmToken).balanceOf(address(this));

    bytes32 id = _send(a, b.chainSelector, recipient, "", _tokens(a.bnmToken, amount), 0);
    assertEq(IERC20(a.bnmToken).balanceOf(address(this)), balanceA - amount);
    assertEq(IERC20(a.bnmToken).totalSupply(), supplyA - amount);

    CCIPLocalNetwork.Outcome[] memory outcomes = forks.route();
    assertEq(outcomes.length, 1);
    _assertDelivered(outcomes[0], id, a.chainSelector, b.chainSelector);

    forks.selectChain(b.chainSelector);
    assertEq(IERC20(b.bnmToken).balanceOf(recipient), amount);
    assertEq(IERC20(b.bnmToken).totalSupply(), supplyB + amount);
    forks.selectChain(a.chainSelector);
    assertEq(IERC20(a.bnmToken).balanceOf(recipient), 0);
  }

  function test_lockReleaseTokenLocksOnSourceReleasesOnDestination() public {
    uint256 amount = 3e18;
    forks.selectChain(b.chainSelector);
    uint256 poolB = IERC20(b.lnmToken).balanceOf(b.lnmPool);
    forks.selectChain(a.chainSelector);
    uint256 poolA = IERC20(a.lnmToken).balanceOf(a.lnmPool);
    uint256 balanceA = IERC20(a.lnmToken).balanceOf(address(this));

    bytes32 id = _send(a, b.chainSelector, recipient, "", _tokens(a.lnmToken, amount), 0);
    assertEq(IERC20(a.lnmToken).balanceOf(address(this)), balanceA - amount);
    assertEq(IERC20(a.lnmToken).balanceOf(a.lnmPool), poolA + amount);

    _assertDelivered(forks.route()[0], id, a.chainSelector, b.chainSelector);

    forks.selectChain(b.chainSelector);
    assertEq(IERC20(b.lnmToken).balanceOf(recipient), amount);
    assertEq(IERC20(b.lnmToken).balanceOf(b.lnmPool), poolB - amount);
  }

  // ================================================================
  // │                   Failure, manual execution                  │
  // ================================================================

  function test_receiverOutOfGasIsFailureThenManualExecutionSucceeds() public {
    forks.selectChain(b.chainSelector);
    // ~220k gas per delivery against a 50k budget.
    IntegrationCountingReceiver receiver = new IntegrationCountingReceiver(b.router, 10);
    bytes32 id = _send(a, b.chainSelector, address(receiver), "work", new Client.EVMTokenAmount[](0), 50_000);

    CCIPLocalNetwork.Outcome[] memory outcomes = forks.route();
    assertEq(outcomes.length, 1);
    assertEq(outcomes[0].messageId, id);
    assertEq(uint256(outcomes[0].state), uint256(Internal.MessageExecutionState.FAILURE));
    forks.selectChain(b.chainSelector);
    assertEq(receiver.s_count(id), 0);

    // Too little gas again: the OffRamp's revert comes back with the caller's fork still selected.
    forks.selectChain(a.chainSelector);
    vm.expectPartialRevert(OffRamp.ExecutionError.selector);
    forks.manuallyExecute(id, 60_000);
    assertEq(vm.activeFork(), forks.getFork(a.chainSelector).forkId);

    forks.selectChain(b.chainSelector);
    CCIPLocalNetwork.Outcome memory retry = forks.manuallyExecute(id, 1_000_000);
    assertEq(uint256(retry.state), uint256(Internal.MessageExecutionState.SUCCESS));
    assertEq(vm.activeFork(), forks.getFork(b.chainSelector).forkId);
    assertEq(receiver.s_count(id), 1);
    assertEq(receiver.s_lastData(), "work");

    vm.expectRevert(
      abi.encodeWithSelector(
        CCIPLocalNetwork.NotManuallyExecutable.selector, id, Internal.MessageExecutionState.SUCCESS
      )
    );
    forks.manuallyExecute(id, 1_000_000);
  }

  function test_curseOnTheDestinationForkStopsDelivery() public {
    address onB = forks.getFork(b.chainSelector).messenger;
    bytes32 id = _send(a, b.chainSelector, onB, abi.encode("held"), new Client.EVMTokenAmount[](0), 200_000);
    forks.curse(b.chainSelector, a.chainSelector);

    assertEq(forks.route().length, 0);
    (bool committed,) = forks.getCommittedRoot(id);
    assertFalse(committed);
    vm.expectRevert(abi.encodeWithSelector(CCIPLocalNetwork.LaneCursed.selector, a.chainSelector, b.chainSelector));
    forks.routeMessage(id);

    forks.selectChain(b.chainSelector);
    assertTrue(IARM(b.arm).isCursed(bytes16(uint128(a.chainSelector))));
    assertEq(Messenger(onB).getReceivedCount(), 0);
    // The lane the other way is not cursed on a's fork.
    forks.selectChain(a.chainSelector);
    assertFalse(IARM(a.arm).isCursed(bytes16(uint128(b.chainSelector))));

    forks.uncurse(b.chainSelector, a.chainSelector);
    _assertDelivered(forks.route()[0], id, a.chainSelector, b.chainSelector);
    forks.selectChain(b.chainSelector);
    assertEq(Messenger(onB).getLastReceived().text, "held");
  }

  // ================================================================
  // │                        Network file                          │
  // ================================================================

  function test_roleKeysDeriveFromTheSeed() public view {
    (, string memory seed) = forks.getNetworkFile();
    (address commitTransmitter, address execTransmitter, address owner) = forks.getActors();
    assertEq(commitTransmitter, vm.addr(CCIPLocalKeys.deriveKey(seed, CCIPLocalKeys.COMMIT_TRANSMITTER, 0)));
    assertEq(execTransmitter, vm.addr(CCIPLocalKeys.deriveKey(seed, CCIPLocalKeys.EXEC_TRANSMITTER, 0)));
    // `ccip up` deploys with the seed's own deployer.
    assertEq(owner, vm.addr(CCIPLocalKeys.deriveKey(seed, CCIPLocalKeys.DEPLOYER, 0)));
    CCIPLocalForks.Account[] memory accounts = forks.getAccounts(a.chainSelector);
    assertGt(accounts.length, 0);
    assertEq(accounts[0].privateKey, CCIPLocalKeys.deriveKey(seed, CCIPLocalKeys.USER, 0));
    assertEq(accounts[0].addr, vm.addr(accounts[0].privateKey));
  }

  function test_missingNetworkFile_reverts() public {
    string memory path = ".network/no-such-network.json";
    vm.expectRevert(abi.encodeWithSelector(CCIPLocalForks.NetworkFileNotFound.selector, path));
    new CCIPLocalForks(path);
  }

  function test_seedThatDoesNotMatchTheRoles_reverts() public {
    // tools/test-forks writes this copy of the network file with the seed changed.
    string memory path = string.concat(vm.envString("CCIP_NETWORK_FILE"), ".bad-seed");
    string memory seed = vm.parseJsonString(vm.readFile(path), ".seed");
    address expected = vm.parseJsonAddressArray(vm.readFile(path), ".roles.commitSigners")[0];
    address derived = vm.addr(CCIPLocalKeys.deriveKey(seed, CCIPLocalKeys.COMMIT_SIGNER, 0));
    vm.expectRevert(
      abi.encodeWithSelector(CCIPLocalForks.RoleKeyMismatch.selector, CCIPLocalKeys.COMMIT_SIGNER, 0, expected, derived)
    );
    new CCIPLocalForks(path);
  }

  function test_chainNotInTheFile_reverts() public {
    uint64 unknown = 4242;
    bytes memory err = abi.encodeWithSelector(CCIPLocalNetwork.UnknownChain.selector, unknown);
    vm.expectRevert(err);
    forks.getChain(unknown);
    vm.expectRevert(err);
    forks.getFork(unknown);
    vm.expectRevert(err);
    forks.selectChain(unknown);
    vm.expectRevert(err);
    forks.getLane(a.chainSelector, unknown);
    vm.expectRevert(err);
    forks.fund(unknown, address(this), 1);
    vm.expectRevert(err);
    forks.curse(unknown, a.chainSelector);
  }

  function test_unknownMessage_reverts() public {
    vm.expectRevert(abi.encodeWithSelector(CCIPLocalNetwork.UnknownMessage.selector, bytes32(uint256(1))));
    forks.routeMessage(bytes32(uint256(1)));
  }
}
