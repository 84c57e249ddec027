// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// An unchanged Chainlink CCIP dApp: its imports resolve to this protocol through foundry.toml's
// `@chainlink/contracts-ccip/src/v0.8/ccip/=contracts/` remapping, and the kit through `@ccip-local/`.
import {CCIPLocalNetwork} from "@ccip-local/testkit/CCIPLocalNetwork.sol";
import {CCIPReceiver} from "@chainlink/contracts-ccip/src/v0.8/ccip/applications/CCIPReceiver.sol";
import {IRouterClient} from "@chainlink/contracts-ccip/src/v0.8/ccip/interfaces/IRouterClient.sol";
import {Client} from "@chainlink/contracts-ccip/src/v0.8/ccip/libraries/Client.sol";
import {Test} from "forge-std/Test.sol";

/// @notice The shape of Chainlink's docs examples: send a string paying in native, store what arrives.
contract GreetingDapp is CCIPReceiver {
  string public lastGreeting;
  uint64 public lastSourceChainSelector;
  address public lastSender;

  constructor(address router) CCIPReceiver(router) {}

  function greet(uint64 destinationChainSelector, address receiver, string calldata greeting)
    external
    payable
    returns (bytes32 messageId)
  {
    Client.EVM2AnyMessage memory message = Client.EVM2AnyMessage({
      receiver: abi.encode(receiver),
      data: abi.encode(greeting),
      tokenAmounts: new Client.EVMTokenAmount[](0),
      extraArgs: Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 200_000})),
      feeToken: address(0)
    });
    IRouterClient router = IRouterClient(getRouter());
    uint256 fee = router.getFee(destinationChainSelector, message);
    messageId = router.ccipSend{value: fee}(destinationChainSelector, message);
  }

  function _ccipReceive(Client.Any2EVMMessage memory message) internal override {
    lastGreeting = abi.decode(message.data, (string));
    lastSourceChainSelector = message.sourceChainSelector;
    lastSender = abi.decode(message.sender, (address));
  }
}

/// @notice Example: the Chainlink-style dApp above, tested against the real pipeline.
contract ChainlinkStyleDappExample is Test {
  function test_unchangedDappRuns() public {
    CCIPLocalNetwork kit = new CCIPLocalNetwork(2);
    CCIPLocalNetwork.Chain memory a = kit.getChain(kit.defaultChainSelector(0));
    CCIPLocalNetwork.Chain memory b = kit.getChain(kit.defaultChainSelector(1));
    GreetingDapp onA = new GreetingDapp(a.router);
    GreetingDapp onB = new GreetingDapp(b.router);

    vm.deal(address(onA), 1 ether);
    onA.greet(b.chainSelector, address(onB), "gm");
    kit.route();

    assertEq(onB.lastGreeting(), "gm");
    assertEq(onB.lastSourceChainSelector(), a.chainSelector);
    assertEq(onB.lastSender(), address(onA));
  }
}
