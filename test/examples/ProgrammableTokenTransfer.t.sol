// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {IRouterClient} from "../../contracts/interfaces/IRouterClient.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";
import {IntegrationTokenVault} from "../helpers/IntegrationReceivers.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Example: tokens plus instructions in one message; the receiver on B deposits them into a vault
/// and credits the sender on A.
contract ProgrammableTokenTransferExample is Test {
  function test_tokensAndInstructions() public {
    CCIPLocalNetwork kit = new CCIPLocalNetwork(2);
    CCIPLocalNetwork.Chain memory a = kit.getChain(kit.defaultChainSelector(0));
    CCIPLocalNetwork.Chain memory b = kit.getChain(kit.defaultChainSelector(1));
    IntegrationTokenVault vault = new IntegrationTokenVault(b.router);
    address alice = makeAddr("alice");
    kit.fund(a.chainSelector, alice, 100e18);

    // CCIP-LnM travels through lock/release pools: locked on A, released from B's pool liquidity.
    Client.EVMTokenAmount[] memory tokens = new Client.EVMTokenAmount[](1);
    tokens[0] = Client.EVMTokenAmount({token: a.lnmToken, amount: 5e18});
    Client.EVM2AnyMessage memory message = Client.EVM2AnyMessage({
      receiver: abi.encode(address(vault)),
      data: abi.encode("savings"), // the instruction: a memo the vault stores
      tokenAmounts: tokens,
      feeToken: a.linkToken,
      extraArgs: Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 300_000}))
    });

    uint256 fee = IRouterClient(a.router).getFee(b.chainSelector, message);
    vm.startPrank(alice);
    IERC20(a.linkToken).approve(a.router, fee);
    IERC20(a.lnmToken).approve(a.router, 5e18);
    bytes32 messageId = IRouterClient(a.router).ccipSend(b.chainSelector, message);
    vm.stopPrank();

    kit.route();

    // The receiver got the tokens before its code ran, and credited alice (the sender on A).
    assertEq(IERC20(b.lnmToken).balanceOf(address(vault)), 5e18);
    assertEq(vault.s_credits(alice, b.lnmToken), 5e18);
    assertEq(vault.s_memos(messageId), "savings");
    assertEq(IERC20(a.lnmToken).balanceOf(a.lnmPool), kit.INITIAL_LIQUIDITY() + 5e18);
  }
}
