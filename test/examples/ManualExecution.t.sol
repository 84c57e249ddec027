// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {IRouterClient} from "../../contracts/interfaces/IRouterClient.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";
import {IntegrationCountingReceiver} from "../helpers/IntegrationReceivers.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Example: a receiver runs out of gas, the message is marked FAILURE, and anyone re-runs it
/// by manual execution with a higher gas limit.
contract ManualExecutionExample is Test {
  function test_outOfGasThenManualExecution() public {
    CCIPLocalNetwork kit = new CCIPLocalNetwork(2);
    CCIPLocalNetwork.Chain memory a = kit.getChain(kit.defaultChainSelector(0));
    CCIPLocalNetwork.Chain memory b = kit.getChain(kit.defaultChainSelector(1));
    // Writes 10 fresh storage slots per message: ~220k gas.
    IntegrationCountingReceiver receiver = new IntegrationCountingReceiver(b.router, 10);
    kit.fund(a.chainSelector, address(this), 100e18);

    // The sender budgets too little gas for the receiver.
    Client.EVM2AnyMessage memory message = Client.EVM2AnyMessage({
      receiver: abi.encode(address(receiver)),
      data: "work",
      tokenAmounts: new Client.EVMTokenAmount[](0),
      feeToken: a.linkToken,
      extraArgs: Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 50_000}))
    });
    IERC20(a.linkToken).approve(a.router, type(uint256).max);
    bytes32 messageId = IRouterClient(a.router).ccipSend(b.chainSelector, message);

    // Execution fails, but the message stays on record as FAILURE instead of being lost.
    CCIPLocalNetwork.Outcome[] memory outcomes = kit.route();
    assertEq(uint256(outcomes[0].state), uint256(Internal.MessageExecutionState.FAILURE));
    assertEq(receiver.s_count(messageId), 0);

    // Manual execution with an override of 1M gas succeeds.
    CCIPLocalNetwork.Outcome memory retry = kit.manuallyExecute(messageId, 1_000_000);
    assertEq(uint256(retry.state), uint256(Internal.MessageExecutionState.SUCCESS));
    assertEq(receiver.s_count(messageId), 1);
    assertEq(receiver.s_lastData(), "work");
  }
}
