// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {IRouterClient} from "../../contracts/interfaces/IRouterClient.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";
import {IntegrationCountingReceiver} from "../helpers/IntegrationReceivers.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Example: the risk network curses a lane, which stops delivery; lifting the curse resumes it.
contract CurseExample is Test {
  function test_curseStopsLaneUncurseResumes() public {
    CCIPLocalNetwork kit = new CCIPLocalNetwork(2);
    CCIPLocalNetwork.Chain memory a = kit.getChain(kit.defaultChainSelector(0));
    CCIPLocalNetwork.Chain memory b = kit.getChain(kit.defaultChainSelector(1));
    IntegrationCountingReceiver receiver = new IntegrationCountingReceiver(b.router, 0);
    kit.fund(a.chainSelector, address(this), 100e18);

    IERC20(a.linkToken).approve(a.router, type(uint256).max);
    bytes32 messageId = IRouterClient(a.router)
      .ccipSend(
        b.chainSelector,
        Client.EVM2AnyMessage({
        receiver: abi.encode(address(receiver)),
        data: "hi",
        tokenAmounts: new Client.EVMTokenAmount[](0),
        feeToken: a.linkToken,
        extraArgs: ""
      })
      );

    // Chain B's ARM curses chain A: B neither commits nor executes anything coming from A.
    kit.curse(b.chainSelector, a.chainSelector);
    assertEq(kit.route().length, 0);
    assertEq(receiver.s_count(messageId), 0);

    // Once the curse is lifted the waiting message goes through.
    kit.uncurse(b.chainSelector, a.chainSelector);
    assertEq(kit.route().length, 1);
    assertEq(receiver.s_count(messageId), 1);
  }
}
