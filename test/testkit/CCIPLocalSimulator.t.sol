// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CCIPReceiver} from "../../contracts/applications/CCIPReceiver.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";
import {
  BurnMintERC677Helper,
  CCIPLocalSimulator,
  IRouterClient,
  LinkToken,
  WETH9
} from "../../contracts/testkit/CCIPLocalSimulator.sol";
import {Test} from "forge-std/Test.sol";

/// @dev A chainlink-local style receiver: remembers the last message.
contract SimulatorReceiver is CCIPReceiver {
  bytes32 public lastMessageId;
  uint64 public lastSourceChainSelector;
  address public lastSender;
  string public lastText;
  address public lastToken;
  uint256 public lastAmount;

  constructor(address router) CCIPReceiver(router) {}

  function _ccipReceive(Client.Any2EVMMessage memory message) internal override {
    lastMessageId = message.messageId;
    lastSourceChainSelector = message.sourceChainSelector;
    lastSender = abi.decode(message.sender, (address));
    lastText = abi.decode(message.data, (string));
    if (message.destTokenAmounts.length > 0) {
      lastToken = message.destTokenAmounts[0].token;
      lastAmount = message.destTokenAmounts[0].amount;
    }
  }
}

/// @dev A token with owner() and getCCIPAdmin() that a dApp team might bring.
contract SimulatorOwnedToken is BurnMintERC677Helper {
  constructor() BurnMintERC677Helper("Team", "TEAM") {}
}

/// @notice Written like a chainlink-local test; the only addition is `ccipLocalSimulator.route()`.
contract CCIPLocalSimulatorTest is Test {
  CCIPLocalSimulator internal ccipLocalSimulator;
  uint64 internal chainSelector;
  IRouterClient internal sourceRouter;
  IRouterClient internal destinationRouter;
  WETH9 internal wrappedNative;
  LinkToken internal linkToken;
  BurnMintERC677Helper internal ccipBnM;
  BurnMintERC677Helper internal ccipLnM;

  SimulatorReceiver internal receiver;
  address internal alice = makeAddr("alice");
  address internal bob = makeAddr("bob");

  function setUp() public {
    ccipLocalSimulator = new CCIPLocalSimulator();
    (chainSelector, sourceRouter, destinationRouter, wrappedNative, linkToken, ccipBnM, ccipLnM) =
      ccipLocalSimulator.configuration();
    receiver = new SimulatorReceiver(address(destinationRouter));
  }

  function _message(address to, string memory text, address token, uint256 amount, address feeToken)
    internal
    pure
    returns (Client.EVM2AnyMessage memory m)
  {
    Client.EVMTokenAmount[] memory tokens = new Client.EVMTokenAmount[](token == address(0) ? 0 : 1);
    if (token != address(0)) tokens[0] = Client.EVMTokenAmount({token: token, amount: amount});
    m = Client.EVM2AnyMessage({
      receiver: abi.encode(to),
      data: abi.encode(text),
      tokenAmounts: tokens,
      feeToken: feeToken,
      extraArgs: Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 300_000}))
    });
  }

  function test_configuration_oneChainLoopback() public view {
    assertEq(chainSelector, 16015286601757825753);
    assertEq(address(sourceRouter), address(destinationRouter));
    assertTrue(sourceRouter.isChainSupported(chainSelector));
    assertEq(linkToken.symbol(), "LINK");
    assertEq(ccipBnM.symbol(), "CCIP-BnM");
    assertEq(ccipLnM.symbol(), "CCIP-LnM");
    assertEq(wrappedNative.symbol(), "WETH");
    // Nothing pre-minted: balances start where chainlink-local's do.
    assertEq(ccipBnM.totalSupply(), 0);
    assertEq(ccipLnM.totalSupply(), 0);
    assertEq(linkToken.balanceOf(address(ccipLocalSimulator)), 0);
  }

  function test_requestLinkFromFaucet() public {
    assertTrue(ccipLocalSimulator.requestLinkFromFaucet(alice, 5 ether));
    assertEq(linkToken.balanceOf(alice), 5 ether);
    // Works inside a test's own prank (the simulator uses no cheatcode of its own here).
    vm.startPrank(bob);
    assertTrue(ccipLocalSimulator.requestLinkFromFaucet(bob, 1 ether));
    vm.stopPrank();
    assertEq(linkToken.balanceOf(bob), 1 ether);
  }

  function test_ccipSend_bnm_payInLink_thenRoute() public {
    ccipLocalSimulator.requestLinkFromFaucet(alice, 10 ether);
    ccipBnM.drip(alice);
    assertEq(ccipBnM.balanceOf(alice), 1e18);

    Client.EVM2AnyMessage memory m = _message(address(receiver), "hello", address(ccipBnM), 1e18, address(linkToken));
    uint256 fee = sourceRouter.getFee(chainSelector, m);
    vm.startPrank(alice);
    linkToken.approve(address(sourceRouter), fee);
    ccipBnM.approve(address(sourceRouter), 1e18);
    bytes32 messageId = sourceRouter.ccipSend(chainSelector, m);
    vm.stopPrank();

    // Burned on send, nothing delivered yet: the one line a chainlink-local test adds is route().
    assertEq(ccipBnM.balanceOf(address(receiver)), 0);
    CCIPLocalNetwork.Outcome[] memory outcomes = ccipLocalSimulator.route();

    assertEq(outcomes.length, 1);
    assertEq(uint256(outcomes[0].state), uint256(Internal.MessageExecutionState.SUCCESS));
    assertEq(ccipBnM.balanceOf(alice), 0);
    assertEq(ccipBnM.balanceOf(address(receiver)), 1e18);
    assertEq(linkToken.balanceOf(alice), 10 ether - fee);
    assertEq(receiver.lastMessageId(), messageId);
    assertEq(receiver.lastSourceChainSelector(), chainSelector);
    assertEq(receiver.lastSender(), alice);
    assertEq(receiver.lastText(), "hello");
    assertEq(receiver.lastToken(), address(ccipBnM));
    assertEq(receiver.lastAmount(), 1e18);
  }

  function test_ccipSend_lnm_payInNative_toEOA() public {
    ccipLnM.drip(alice);
    Client.EVM2AnyMessage memory m = _message(bob, "", address(ccipLnM), 1e18, address(0));
    m.data = "";
    m.extraArgs = Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 0}));
    uint256 fee = sourceRouter.getFee(chainSelector, m);
    vm.deal(alice, fee);
    vm.startPrank(alice);
    ccipLnM.approve(address(sourceRouter), 1e18);
    sourceRouter.ccipSend{value: fee}(chainSelector, m);
    vm.stopPrank();
    // Locked in the pool until routed.
    assertEq(ccipLnM.balanceOf(bob), 0);

    ccipLocalSimulator.route();

    assertEq(ccipLnM.balanceOf(alice), 0);
    assertEq(ccipLnM.balanceOf(bob), 1e18);
    assertEq(alice.balance, 0);
  }

  function test_getSupportedTokens() public view {
    address[] memory tokens = ccipLocalSimulator.getSupportedTokens(chainSelector);
    assertEq(tokens.length, 2);
    assertEq(tokens[0], address(ccipBnM));
    assertEq(tokens[1], address(ccipLnM));
    assertEq(ccipLocalSimulator.getSupportedTokens(1).length, 0);
  }

  function test_isChainSupported() public view {
    assertTrue(ccipLocalSimulator.isChainSupported(chainSelector));
    assertFalse(ccipLocalSimulator.isChainSupported(chainSelector + 1));
  }

  function _sendTeamToken(SimulatorOwnedToken token) internal {
    token.drip(alice);
    Client.EVM2AnyMessage memory m = _message(address(receiver), "team", address(token), 1e18, address(0));
    uint256 fee = sourceRouter.getFee(chainSelector, m);
    vm.deal(alice, fee);
    vm.startPrank(alice);
    token.approve(address(sourceRouter), 1e18);
    sourceRouter.ccipSend{value: fee}(chainSelector, m);
    vm.stopPrank();
    ccipLocalSimulator.route();
    assertEq(token.balanceOf(address(receiver)), 1e18);
    assertEq(receiver.lastToken(), address(token));
  }

  function test_supportNewTokenViaOwner() public {
    vm.prank(alice);
    SimulatorOwnedToken token = new SimulatorOwnedToken();
    vm.prank(alice);
    ccipLocalSimulator.supportNewTokenViaOwner(address(token));
    address[] memory tokens = ccipLocalSimulator.getSupportedTokens(chainSelector);
    assertEq(tokens.length, 3);
    assertEq(tokens[2], address(token));
    _sendTeamToken(token);
  }

  function test_supportNewTokenViaGetCCIPAdmin() public {
    vm.prank(alice);
    SimulatorOwnedToken token = new SimulatorOwnedToken();
    vm.prank(alice);
    token.setCCIPAdmin(bob);
    vm.prank(bob);
    ccipLocalSimulator.supportNewTokenViaGetCCIPAdmin(address(token));
    assertEq(ccipLocalSimulator.getSupportedTokens(chainSelector)[2], address(token));
    _sendTeamToken(token);
  }

  function test_supportNewTokenViaOwner_RevertWhen_notOwner() public {
    vm.prank(alice);
    SimulatorOwnedToken token = new SimulatorOwnedToken();
    vm.expectRevert(abi.encodeWithSelector(CCIPLocalSimulator.NotTokenOwner.selector, bob, address(token), alice));
    vm.prank(bob);
    ccipLocalSimulator.supportNewTokenViaOwner(address(token));
  }

  function test_supportNewTokenViaOwner_RevertWhen_noOwnerGetter() public {
    vm.expectRevert(
      abi.encodeWithSelector(CCIPLocalSimulator.NotTokenOwner.selector, alice, address(wrappedNative), address(0))
    );
    vm.prank(alice);
    ccipLocalSimulator.supportNewTokenViaOwner(address(wrappedNative));
  }

  function test_supportNewTokenViaGetCCIPAdmin_RevertWhen_notAdmin() public {
    vm.prank(alice);
    SimulatorOwnedToken token = new SimulatorOwnedToken();
    vm.prank(alice);
    token.setCCIPAdmin(bob);
    // The owner is not the CCIP admin any more.
    vm.expectRevert(abi.encodeWithSelector(CCIPLocalSimulator.NotCCIPAdmin.selector, alice, address(token), bob));
    vm.prank(alice);
    ccipLocalSimulator.supportNewTokenViaGetCCIPAdmin(address(token));
  }

  function test_supportNewToken_RevertWhen_alreadySupported() public {
    vm.prank(alice);
    SimulatorOwnedToken token = new SimulatorOwnedToken();
    vm.startPrank(alice);
    ccipLocalSimulator.supportNewTokenViaOwner(address(token));
    vm.expectRevert(abi.encodeWithSelector(CCIPLocalSimulator.TokenAlreadySupported.selector, address(token)));
    ccipLocalSimulator.supportNewTokenViaGetCCIPAdmin(address(token));
    vm.stopPrank();
  }

  function test_getNetwork_loopbackLane() public {
    CCIPLocalNetwork network = ccipLocalSimulator.getNetwork();
    (address onRamp,, address offRamp) = network.getLane(chainSelector, chainSelector);
    assertTrue(onRamp != address(0) && offRamp != address(0));
    vm.expectRevert(abi.encodeWithSelector(CCIPLocalNetwork.LaneAlreadyExists.selector, chainSelector, chainSelector));
    network.addLoopbackLane(chainSelector);
  }
}
