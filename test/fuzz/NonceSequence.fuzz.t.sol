// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {RouterSetup} from "../helpers/RouterSetup.sol";
import {Vm} from "forge-std/Vm.sol";

contract NonceSequenceFuzzTest is RouterSetup {
  uint256 internal constant NUM_SENDERS = 4;

  /// Random interleavings of senders and ordered / out-of-order messages: sequence numbers are
  /// contiguous from 1 across all messages, each sender's ordered nonces are contiguous from 1, and
  /// out-of-order messages carry nonce 0 and leave the sender's nonce alone.
  function testFuzz_Interleavings(uint8[] memory ops) public {
    vm.assume(ops.length <= 48);
    uint64[NUM_SENDERS] memory expectedNonce;
    Client.EVM2AnyMessage memory ordered = _message("x", address(link));
    Client.EVM2AnyMessage memory unordered = _message("x", address(link));
    unordered.extraArgs =
      Client._argsToBytes(Client.EVMExtraArgsV2({gasLimit: 100_000, allowOutOfOrderExecution: true}));

    for (uint256 i; i < ops.length; ++i) {
      uint256 s = ops[i] % NUM_SENDERS;
      bool outOfOrder = (ops[i] >> 2) & 1 == 1;
      address sender = address(uint160(0x1000 + s));

      vm.recordLogs();
      vm.prank(address(router));
      (bytes32 id,) =
        onRamp.forwardFromRouter(DEST, outOfOrder ? unordered : ordered, address(link), type(uint256).max, sender);
      Vm.Log[] memory logs = vm.getRecordedLogs();
      (Internal.EVM2EVMMessage memory sent,,) =
        abi.decode(logs[logs.length - 1].data, (Internal.EVM2EVMMessage, address, uint256));

      assertEq(sent.sequenceNumber, i + 1);
      assertEq(uint256(logs[logs.length - 1].topics[1]), i + 1);
      if (outOfOrder) {
        assertEq(sent.nonce, 0);
      } else {
        assertEq(sent.nonce, ++expectedNonce[s]);
      }
      assertEq(sent.sender, sender);
      assertEq(sent.messageId, id);
      assertEq(onRamp.getSenderNonce(sender), expectedNonce[s]);
    }
    assertEq(onRamp.getExpectedNextSequenceNumber(), ops.length + 1);
  }
}
