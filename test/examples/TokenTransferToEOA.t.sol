// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {IRouterClient} from "../../contracts/interfaces/IRouterClient.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Example: move CCIP-BnM from a wallet on chain A to a wallet on chain B, fee paid in LINK.
contract TokenTransferToEOAExample is Test {
  function test_transferTokensToEOA() public {
    CCIPLocalNetwork kit = new CCIPLocalNetwork(2);
    CCIPLocalNetwork.Chain memory a = kit.getChain(kit.defaultChainSelector(0));
    CCIPLocalNetwork.Chain memory b = kit.getChain(kit.defaultChainSelector(1));
    address alice = makeAddr("alice");
    address bob = makeAddr("bob");
    kit.fund(a.chainSelector, alice, 100e18); // LINK, CCIP-BnM and CCIP-LnM on chain A

    // No data and gasLimit 0: an EOA receiver gets the tokens and no call.
    Client.EVMTokenAmount[] memory tokens = new Client.EVMTokenAmount[](1);
    tokens[0] = Client.EVMTokenAmount({token: a.bnmToken, amount: 7e18});
    Client.EVM2AnyMessage memory message = Client.EVM2AnyMessage({
      receiver: abi.encode(bob),
      data: "",
      tokenAmounts: tokens,
      feeToken: a.linkToken,
      extraArgs: Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 0}))
    });

    IRouterClient router = IRouterClient(a.router);
    uint256 fee = router.getFee(b.chainSelector, message);
    vm.startPrank(alice);
    IERC20(a.linkToken).approve(a.router, fee);
    IERC20(a.bnmToken).approve(a.router, 7e18);
    router.ccipSend(b.chainSelector, message);
    vm.stopPrank();

    kit.route();

    // Burned on A, minted on B.
    assertEq(IERC20(a.bnmToken).balanceOf(alice), 93e18);
    assertEq(IERC20(a.linkToken).balanceOf(alice), 100e18 - fee);
    assertEq(IERC20(b.bnmToken).balanceOf(bob), 7e18);
  }
}
