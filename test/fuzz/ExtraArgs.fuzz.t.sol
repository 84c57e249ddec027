// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {OnRamp} from "../../contracts/onRamp/OnRamp.sol";
import {RouterSetup} from "../helpers/RouterSetup.sol";
import {Vm} from "forge-std/Vm.sol";

contract ExtraArgsFuzzTest is RouterSetup {
  function _setEnforce(bool enforce) internal {
    OnRamp.DynamicConfig memory c = _dynamicConfig();
    c.enforceOutOfOrder = enforce;
    vm.prank(OWNER);
    onRamp.setDynamicConfig(c);
  }

  function _send(bytes memory extraArgs) internal returns (Internal.EVM2EVMMessage memory sent) {
    Client.EVM2AnyMessage memory m = _message("", address(link));
    m.extraArgs = extraArgs;
    vm.recordLogs();
    vm.prank(address(router));
    onRamp.forwardFromRouter(DEST, m, address(link), type(uint256).max, USER);
    Vm.Log[] memory logs = vm.getRecordedLogs();
    (sent,,) = abi.decode(logs[logs.length - 1].data, (Internal.EVM2EVMMessage, address, uint256));
  }

  function _isNamedExtraArgsError(bytes memory reason) internal pure returns (bool) {
    if (reason.length < 4) return false;
    bytes4 selector = bytes4(reason);
    return selector == OnRamp.InvalidExtraArgsTag.selector || selector == OnRamp.MalformedExtraArgs.selector
      || selector == OnRamp.MessageGasLimitTooHigh.selector
      || selector == OnRamp.ExtraArgOutOfOrderExecutionMustBeTrue.selector;
  }

  /// Any byte string either decodes or reverts with a named error: never a panic or empty revert data.
  /// `mode` prefixes a known tag so both decoders get random tails too.
  function testFuzz_RandomBytesNeverPanic(uint8 mode, bytes memory tail, bool enforce) public {
    _setEnforce(enforce);
    bytes memory extraArgs = tail;
    if (mode % 3 == 1) extraArgs = abi.encodePacked(Client.EVM_EXTRA_ARGS_V1_TAG, tail);
    if (mode % 3 == 2) extraArgs = abi.encodePacked(Client.EVM_EXTRA_ARGS_V2_TAG, tail);
    Client.EVM2AnyMessage memory m = _message("", address(link));
    m.extraArgs = extraArgs;
    try onRamp.getFee(DEST, m) returns (uint256 fee) {
      assertGt(fee, 0);
    } catch (bytes memory reason) {
      assertTrue(_isNamedExtraArgsError(reason), "unnamed revert");
    }
  }

  /// Right-sized tails with small values exercise the decoding paths that succeed.
  function testFuzz_WellSizedTailsNeverPanic(bool v2, uint256 word0, uint256 word1, bool enforce) public {
    _setEnforce(enforce);
    word0 = word0 % 4_000_000;
    word1 = word1 % 3;
    Client.EVM2AnyMessage memory m = _message("", address(link));
    m.extraArgs = v2
      ? abi.encodeWithSelector(Client.EVM_EXTRA_ARGS_V2_TAG, word0, word1)
      : abi.encodeWithSelector(Client.EVM_EXTRA_ARGS_V1_TAG, word0);
    try onRamp.getFee(DEST, m) returns (uint256) {
      assertLe(word0, 3_000_000);
      if (v2) assertLe(word1, 1);
    } catch (bytes memory reason) {
      assertTrue(_isNamedExtraArgsError(reason), "unnamed revert");
    }
  }

  function testFuzz_V1Decodes(uint256 gasLimit) public {
    bytes memory extraArgs = Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: gasLimit}));
    if (gasLimit > 3_000_000) {
      Client.EVM2AnyMessage memory m = _message("", address(link));
      m.extraArgs = extraArgs;
      vm.expectRevert(abi.encodeWithSelector(OnRamp.MessageGasLimitTooHigh.selector, 3_000_000, gasLimit));
      onRamp.getFee(DEST, m);
      return;
    }
    Internal.EVM2EVMMessage memory sent = _send(extraArgs);
    assertEq(sent.gasLimit, gasLimit);
    assertEq(sent.nonce, 1);
  }

  function testFuzz_V2Decodes(uint256 gasLimit, bool outOfOrder) public {
    gasLimit = bound(gasLimit, 0, 3_000_000);
    Internal.EVM2EVMMessage memory sent =
      _send(Client._argsToBytes(Client.EVMExtraArgsV2({gasLimit: gasLimit, allowOutOfOrderExecution: outOfOrder})));
    assertEq(sent.gasLimit, gasLimit);
    assertEq(sent.nonce, outOfOrder ? 0 : 1);
  }

  function testFuzz_V2NonCanonicalBool(uint256 flag) public {
    flag = bound(flag, 2, type(uint256).max);
    Client.EVM2AnyMessage memory m = _message("", address(link));
    m.extraArgs = abi.encodeWithSelector(Client.EVM_EXTRA_ARGS_V2_TAG, uint256(1), flag);
    vm.expectRevert(abi.encodeWithSelector(OnRamp.MalformedExtraArgs.selector, Client.EVM_EXTRA_ARGS_V2_TAG, 68));
    onRamp.getFee(DEST, m);
  }

  function testFuzz_UnknownTag(bytes4 tag, bytes memory tail) public {
    vm.assume(tag != Client.EVM_EXTRA_ARGS_V1_TAG && tag != Client.EVM_EXTRA_ARGS_V2_TAG);
    Client.EVM2AnyMessage memory m = _message("", address(link));
    m.extraArgs = abi.encodePacked(tag, tail);
    vm.expectRevert(OnRamp.InvalidExtraArgsTag.selector);
    onRamp.getFee(DEST, m);
  }
}
