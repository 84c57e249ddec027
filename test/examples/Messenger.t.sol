// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Messenger} from "../../contracts/applications/Messenger.sol";
import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Example: send a text from chain A to chain B with the Messenger dApp.
contract MessengerExample is Test {
  function test_sendAndReceiveText() public {
    // Two simulated chains, fully wired, in this one EVM.
    CCIPLocalNetwork kit = new CCIPLocalNetwork(2);
    CCIPLocalNetwork.Chain memory a = kit.getChain(kit.defaultChainSelector(0));
    CCIPLocalNetwork.Chain memory b = kit.getChain(kit.defaultChainSelector(1));

    // The dApp is deployed on both chains, each against its own chain's Router.
    Messenger onA = new Messenger(a.router);
    Messenger onB = new Messenger(b.router);

    // Pay the fee in native currency; the Messenger refunds what it did not need.
    address alice = makeAddr("alice");
    vm.deal(alice, 1 ether);
    vm.prank(alice);
    bytes32 messageId = onA.sendText{value: 1 ether}(b.chainSelector, address(onB), "hello B", address(0));

    // Nothing arrives until the off-chain roles run: route() commits, blesses and executes.
    assertEq(onB.getReceivedCount(), 0);
    kit.route();

    Messenger.Received memory received = onB.getLastReceived();
    assertEq(received.messageId, messageId);
    assertEq(received.sourceChainSelector, a.chainSelector);
    assertEq(received.sender, address(onA));
    assertEq(received.text, "hello B");
    assertEq(onB.getReceivedCount(), 1);
  }
}
