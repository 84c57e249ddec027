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

/// @dev An OpenZeppelin-AccessControl-style token: only hasRole matters to the simulator.
contract SimulatorAccessControlToken is BurnMintERC677Helper {
  mapping(bytes32 role => mapping(address account => bool)) internal s_roles;

  constructor(address admin) BurnMintERC677Helper("AC", "AC") {
    s_roles[bytes32(0)][admin] = true;
  }

  function hasRole(bytes32 role, address account) external view returns (bool) {
    return s_roles[role][account];
  }
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
    ccipLocalSimulator.setFeesCharged(true);
    ccipLocalSimulator.requestLinkFromFaucet(alice, 10 ether);
    ccipBnM.drip(alice);
    assertEq(ccipBnM.balanceOf(alice), 1e18);

    Client.EVM2AnyMessage memory m = _message(address(receiver), "hello", address(ccipBnM), 1e18, address(linkToken));
    uint256 fee = sourceRouter.getFee(chainSelector, m);
    assertGt(fee, 0);
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
    ccipLocalSimulator.setFeesCharged(true);
    ccipLnM.drip(alice);
    Client.EVM2AnyMessage memory m = _message(bob, "", address(ccipLnM), 1e18, address(0));
    m.data = "";
    m.extraArgs = Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 0}));
    uint256 fee = sourceRouter.getFee(chainSelector, m);
    assertGt(fee, 0);
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
    vm.expectRevert(CCIPLocalSimulator.CCIPLocalSimulator__MsgSenderIsNotTokenOwner.selector);
    vm.prank(bob);
    ccipLocalSimulator.supportNewTokenViaOwner(address(token));
  }

  function test_supportNewTokenViaOwner_RevertWhen_noOwnerGetter() public {
    vm.expectRevert(CCIPLocalSimulator.CCIPLocalSimulator__MsgSenderIsNotTokenOwner.selector);
    vm.prank(alice);
    ccipLocalSimulator.supportNewTokenViaOwner(address(wrappedNative));
  }

  function test_supportNewTokenViaGetCCIPAdmin_RevertWhen_notAdmin() public {
    vm.prank(alice);
    SimulatorOwnedToken token = new SimulatorOwnedToken();
    vm.prank(alice);
    token.setCCIPAdmin(bob);
    // The owner is not the CCIP admin any more.
    vm.expectRevert(CCIPLocalSimulator.CCIPLocalSimulator__MsgSenderIsNotTokenOwner.selector);
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

  function test_supportNewTokenViaAccessControlDefaultAdmin() public {
    SimulatorAccessControlToken token = new SimulatorAccessControlToken(bob);
    token.transferOwnership(alice); // owner() is not what this path checks
    vm.prank(bob);
    ccipLocalSimulator.supportNewTokenViaAccessControlDefaultAdmin(address(token));
    address[] memory tokens = ccipLocalSimulator.getSupportedTokens(chainSelector);
    assertEq(tokens.length, 3);
    assertEq(tokens[2], address(token));
    _sendTeamToken(SimulatorOwnedToken(address(token)));
  }

  function test_supportNewTokenViaAccessControlDefaultAdmin_RevertWhen_noRole() public {
    SimulatorAccessControlToken token = new SimulatorAccessControlToken(bob);
    vm.expectRevert(
      abi.encodeWithSelector(
        CCIPLocalSimulator.CCIPLocalSimulator__RequiredRoleNotFound.selector, alice, bytes32(0), address(token)
      )
    );
    vm.prank(alice);
    ccipLocalSimulator.supportNewTokenViaAccessControlDefaultAdmin(address(token));
    // A token without hasRole at all.
    vm.expectRevert(
      abi.encodeWithSelector(
        CCIPLocalSimulator.CCIPLocalSimulator__RequiredRoleNotFound.selector, alice, bytes32(0), address(ccipBnM)
      )
    );
    vm.prank(alice);
    ccipLocalSimulator.supportNewTokenViaAccessControlDefaultAdmin(address(ccipBnM));
    assertEq(ccipLocalSimulator.getSupportedTokens(chainSelector).length, 2);
  }

  /// @dev chainlink-local's router is free: a sender with no LINK, no approval and no value sends.
  function test_fees_zeroByDefault() public {
    ccipBnM.drip(alice);
    Client.EVM2AnyMessage memory inLink =
      _message(address(receiver), "free", address(ccipBnM), 1e18, address(linkToken));
    Client.EVM2AnyMessage memory inNative = _message(address(receiver), "free too", address(0), 0, address(0));
    assertEq(sourceRouter.getFee(chainSelector, inLink), 0);
    assertEq(sourceRouter.getFee(chainSelector, inNative), 0);
    vm.startPrank(alice);
    ccipBnM.approve(address(sourceRouter), 1e18);
    bytes32 first = sourceRouter.ccipSend(chainSelector, inLink);
    bytes32 second = sourceRouter.ccipSend(chainSelector, inNative);
    vm.stopPrank();

    CCIPLocalNetwork.Outcome[] memory outcomes = ccipLocalSimulator.route();
    assertEq(outcomes.length, 2);
    assertEq(uint256(outcomes[0].state), uint256(Internal.MessageExecutionState.SUCCESS));
    assertEq(uint256(outcomes[1].state), uint256(Internal.MessageExecutionState.SUCCESS));
    assertTrue(first != second);
    assertEq(ccipBnM.balanceOf(address(receiver)), 1e18);
    assertEq(receiver.lastText(), "free too");
    assertEq(linkToken.balanceOf(alice), 0);
  }

  function test_setFeesCharged_togglesTheLaneFees() public {
    Client.EVM2AnyMessage memory m = _message(address(receiver), "hi", address(0), 0, address(linkToken));
    ccipLocalSimulator.setFeesCharged(true);
    uint256 fee = sourceRouter.getFee(chainSelector, m);
    assertGt(fee, 0);
    // Charged: a sender without LINK cannot pay.
    vm.prank(alice);
    vm.expectRevert();
    sourceRouter.ccipSend(chainSelector, m);
    ccipLocalSimulator.setFeesCharged(false);
    assertEq(sourceRouter.getFee(chainSelector, m), 0);
    vm.prank(alice);
    sourceRouter.ccipSend(chainSelector, m);
    ccipLocalSimulator.setFeesCharged(true);
    assertEq(sourceRouter.getFee(chainSelector, m), fee);
  }

  /// @dev The issue's case: route() right after ccipSend, inside the test's startPrank; the prank
  /// (sender and origin) is still in force afterwards.
  function test_route_insideStartPrank() public {
    address origin = makeAddr("origin");
    ccipBnM.drip(alice);
    Client.EVM2AnyMessage memory m = _message(address(receiver), "pranked", address(ccipBnM), 4e17, address(0));
    vm.startPrank(alice, origin);
    ccipBnM.approve(address(sourceRouter), 4e17);
    sourceRouter.ccipSend(chainSelector, m);
    CCIPLocalNetwork.Outcome[] memory outcomes = ccipLocalSimulator.route();
    // Still alice: this transfer moves alice's tokens.
    ccipBnM.transfer(bob, 1e17);
    (, address sender, address txOrigin) = vm.readCallers();
    vm.stopPrank();

    assertEq(outcomes.length, 1);
    assertEq(uint256(outcomes[0].state), uint256(Internal.MessageExecutionState.SUCCESS));
    assertEq(receiver.lastText(), "pranked");
    assertEq(receiver.lastSender(), alice);
    assertEq(ccipBnM.balanceOf(address(receiver)), 4e17);
    assertEq(ccipBnM.balanceOf(bob), 1e17);
    assertEq(ccipBnM.balanceOf(alice), 5e17);
    assertEq(sender, alice);
    assertEq(txOrigin, origin);
  }

  function test_route_underSinglePrank() public {
    vm.prank(alice);
    sourceRouter.ccipSend(chainSelector, _message(address(receiver), "once", address(0), 0, address(0)));
    vm.prank(bob);
    ccipLocalSimulator.route();
    assertEq(receiver.lastText(), "once");
    assertEq(receiver.lastSender(), alice);
  }
}
