// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CCIPReceiver} from "../../contracts/applications/CCIPReceiver.sol";
import {IAny2EVMMessageReceiver} from "../../contracts/interfaces/IAny2EVMMessageReceiver.sol";
import {IERC165} from "../../contracts/interfaces/IERC165.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Test} from "forge-std/Test.sol";

contract CCIPReceiverHarness is CCIPReceiver {
  bytes32 public s_lastId;
  bytes public s_lastData;

  constructor(address router) CCIPReceiver(router) {}

  function _ccipReceive(Client.Any2EVMMessage memory message) internal override {
    s_lastId = message.messageId;
    s_lastData = message.data;
  }
}

contract CCIPReceiverTest is Test {
  address internal router = makeAddr("router");
  CCIPReceiverHarness internal receiver = new CCIPReceiverHarness(router);

  function _message() internal pure returns (Client.Any2EVMMessage memory m) {
    m.messageId = keccak256("id");
    m.sourceChainSelector = 1;
    m.sender = abi.encode(address(0xBEEF));
    m.data = "payload";
  }

  function test_Constructor() public view {
    assertEq(receiver.getRouter(), router);
  }

  function test_RevertWhen_ZeroRouter() public {
    vm.expectRevert(abi.encodeWithSelector(CCIPReceiver.InvalidRouter.selector, address(0)));
    new CCIPReceiverHarness(address(0));
  }

  function test_SupportsInterface() public view {
    // The ids Chainlink CCIP's receivers report, so both protocols' OffRamps recognize them.
    assertEq(type(IAny2EVMMessageReceiver).interfaceId, bytes4(0x85572ffb));
    assertEq(type(IERC165).interfaceId, bytes4(0x01ffc9a7));
    assertTrue(receiver.supportsInterface(0x85572ffb));
    assertTrue(receiver.supportsInterface(0x01ffc9a7));
    assertFalse(receiver.supportsInterface(0xffffffff));
    assertFalse(receiver.supportsInterface(0x12345678));
  }

  function test_CcipReceiveFromRouter() public {
    vm.prank(router);
    receiver.ccipReceive(_message());
    assertEq(receiver.s_lastId(), keccak256("id"));
    assertEq(receiver.s_lastData(), "payload");
  }

  function test_RevertWhen_CcipReceiveNotFromRouter() public {
    address stranger = makeAddr("stranger");
    vm.prank(stranger);
    vm.expectRevert(abi.encodeWithSelector(CCIPReceiver.InvalidRouter.selector, stranger));
    receiver.ccipReceive(_message());
  }
}
