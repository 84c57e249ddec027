// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable2Step} from "../../contracts/access/Ownable2Step.sol";
import {CCIPReceiver} from "../../contracts/applications/CCIPReceiver.sol";
import {Messenger} from "../../contracts/applications/Messenger.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {SafeTransfer} from "../../contracts/libraries/SafeTransfer.sol";
import {MessengerMockERC20, MessengerMockRouterClient, MessengerRefundRefuser} from "../helpers/MessengerMocks.sol";
import {Test} from "forge-std/Test.sol";

contract MessengerTest is Test {
  uint64 internal constant DEST = 4949039107694359620;
  uint64 internal constant SOURCE = 16015286601757825753;
  uint256 internal constant FEE = 1e15;

  MessengerMockRouterClient internal router;
  MessengerMockERC20 internal link;
  Messenger internal messenger;
  address internal user = makeAddr("user");
  address internal peer = makeAddr("peer");

  function setUp() public {
    router = new MessengerMockRouterClient(FEE);
    link = new MessengerMockERC20();
    messenger = new Messenger(address(router));
    link.mint(user, 1e18);
    vm.deal(user, 1 ether);
  }

  function _incoming(bytes32 id, uint64 source, address sender, string memory text)
    internal
    pure
    returns (Client.Any2EVMMessage memory m)
  {
    m.messageId = id;
    m.sourceChainSelector = source;
    m.sender = abi.encode(sender);
    m.data = abi.encode(text);
  }

  function test_Constructor() public view {
    assertEq(messenger.getRouter(), address(router));
    assertEq(messenger.owner(), address(this));
    assertEq(messenger.getExtraArgs(), Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 200_000})));
  }

  function test_SendTextPaysInNativeAndRefundsExcess() public {
    vm.prank(user);
    vm.expectEmit(address(messenger));
    emit Messenger.TextSent(keccak256(abi.encode(uint256(1))), DEST, peer, "gm", address(0), FEE);
    bytes32 id = messenger.sendText{value: FEE + 5}(DEST, peer, "gm", address(0));
    assertEq(id, keccak256(abi.encode(uint256(1))));
    assertEq(address(router).balance, FEE);
    assertEq(user.balance, 1 ether - FEE);
    assertEq(address(messenger).balance, 0);
    Client.EVM2AnyMessage memory sent = router.getLastMessage();
    assertEq(router.s_lastDest(), DEST);
    assertEq(sent.receiver, abi.encode(peer));
    assertEq(sent.data, abi.encode("gm"));
    assertEq(sent.feeToken, address(0));
    assertEq(sent.extraArgs, messenger.getExtraArgs());
  }

  function test_SendTextPaysInToken() public {
    vm.startPrank(user);
    link.approve(address(messenger), FEE);
    vm.expectEmit(address(messenger));
    emit Messenger.TextSent(keccak256(abi.encode(uint256(1))), DEST, peer, "gm", address(link), FEE);
    messenger.sendText(DEST, peer, "gm", address(link));
    vm.stopPrank();
    assertEq(link.balanceOf(address(router)), FEE);
    assertEq(link.balanceOf(user), 1e18 - FEE);
    assertEq(link.allowance(address(messenger), address(router)), 0);
    assertEq(router.getLastMessage().feeToken, address(link));
  }

  function test_RevertWhen_NativeFeeTooLow() public {
    vm.prank(user);
    vm.expectRevert(abi.encodeWithSelector(Messenger.InsufficientFee.selector, FEE, FEE - 1));
    messenger.sendText{value: FEE - 1}(DEST, peer, "gm", address(0));
  }

  function test_RevertWhen_ValueWithTokenFee() public {
    vm.prank(user);
    vm.expectRevert(abi.encodeWithSelector(Messenger.UnexpectedValue.selector, 1));
    messenger.sendText{value: 1}(DEST, peer, "gm", address(link));
  }

  function test_RevertWhen_TokenFeeNotApproved() public {
    vm.prank(user);
    vm.expectRevert(
      abi.encodeWithSelector(SafeTransfer.TransferFailed.selector, address(link), user, address(messenger), FEE)
    );
    messenger.sendText(DEST, peer, "gm", address(link));
  }

  function test_RevertWhen_RefundFails() public {
    MessengerRefundRefuser refuser = new MessengerRefundRefuser();
    vm.deal(address(refuser), 1 ether);
    vm.prank(address(refuser));
    vm.expectRevert(abi.encodeWithSelector(Messenger.RefundFailed.selector, address(refuser), 1));
    messenger.sendText{value: FEE + 1}(DEST, peer, "gm", address(0));
  }

  function test_Receive() public {
    vm.expectEmit(address(messenger));
    emit Messenger.TextReceived(keccak256("m1"), SOURCE, peer, "hello there");
    vm.prank(address(router));
    messenger.ccipReceive(_incoming(keccak256("m1"), SOURCE, peer, "hello there"));
    vm.prank(address(router));
    messenger.ccipReceive(_incoming(keccak256("m2"), SOURCE, user, "again"));
    Messenger.Received memory last = messenger.getLastReceived();
    assertEq(last.messageId, keccak256("m2"));
    assertEq(last.sourceChainSelector, SOURCE);
    assertEq(last.sender, user);
    assertEq(last.text, "again");
    assertEq(messenger.getReceivedCount(), 2);
  }

  function test_RevertWhen_ReceiveNotFromRouter() public {
    vm.prank(peer);
    vm.expectRevert(abi.encodeWithSelector(CCIPReceiver.InvalidRouter.selector, peer));
    messenger.ccipReceive(_incoming(keccak256("m1"), SOURCE, peer, "x"));
  }

  function test_Allowlist() public {
    vm.expectEmit(address(messenger));
    emit Messenger.AllowlistEnabledSet(true);
    messenger.setAllowlistEnabled(true);
    vm.expectEmit(address(messenger));
    emit Messenger.AllowedSenderSet(SOURCE, peer, true);
    messenger.setAllowedSender(SOURCE, peer, true);
    assertTrue(messenger.isAllowlistEnabled());
    assertTrue(messenger.isAllowedSender(SOURCE, peer));

    vm.prank(address(router));
    messenger.ccipReceive(_incoming(keccak256("ok"), SOURCE, peer, "allowed"));
    assertEq(messenger.getReceivedCount(), 1);

    vm.prank(address(router));
    vm.expectRevert(abi.encodeWithSelector(Messenger.SenderNotAllowlisted.selector, SOURCE, user));
    messenger.ccipReceive(_incoming(keccak256("no"), SOURCE, user, "x"));
    // Same sender, other chain: not allowed either.
    vm.prank(address(router));
    vm.expectRevert(abi.encodeWithSelector(Messenger.SenderNotAllowlisted.selector, DEST, peer));
    messenger.ccipReceive(_incoming(keccak256("no"), DEST, peer, "x"));

    messenger.setAllowlistEnabled(false);
    vm.prank(address(router));
    messenger.ccipReceive(_incoming(keccak256("open"), DEST, user, "open"));
    assertEq(messenger.getReceivedCount(), 2);
  }

  function test_SetExtraArgs() public {
    bytes memory args = Client._argsToBytes(Client.EVMExtraArgsV2({gasLimit: 300_000, allowOutOfOrderExecution: true}));
    vm.expectEmit(address(messenger));
    emit Messenger.ExtraArgsSet(args);
    messenger.setExtraArgs(args);
    assertEq(messenger.getExtraArgs(), args);
    vm.prank(user);
    messenger.sendText{value: FEE}(DEST, peer, "gm", address(0));
    assertEq(router.getLastMessage().extraArgs, args);
  }

  function test_RevertWhen_OwnerFunctionsNotOwner() public {
    vm.startPrank(user);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    messenger.setAllowlistEnabled(true);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    messenger.setAllowedSender(SOURCE, peer, true);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    messenger.setExtraArgs("");
    vm.stopPrank();
  }
}
