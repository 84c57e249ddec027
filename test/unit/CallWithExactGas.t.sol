// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CallWithExactGas} from "../../contracts/libraries/CallWithExactGas.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {RouterGasBurnerReceiver, RouterHugeRevertReceiver} from "../helpers/RouterMocks.sol";
import {Test} from "forge-std/Test.sol";

contract CallWithExactGasHarness {
  function call(bytes memory payload, address target, uint256 gasLimit, uint16 gasForCheck, uint16 maxRet)
    external
    returns (bool, bytes memory, uint256)
  {
    return CallWithExactGas._callWithExactGasSafeReturnData(payload, target, gasLimit, gasForCheck, maxRet);
  }
}

contract ReturnsData {
  fallback(bytes calldata) external returns (bytes memory) {
    return hex"0102030405";
  }
}

contract CallWithExactGasTest is Test {
  CallWithExactGasHarness internal h;
  RouterGasBurnerReceiver internal burner;
  bytes internal payload;
  uint256 internal n; // least gas the burner needs for `payload`

  function setUp() public {
    h = new CallWithExactGasHarness();
    burner = new RouterGasBurnerReceiver(40);
    Client.Any2EVMMessage memory m;
    m.data = "x";
    payload = abi.encodeCall(RouterGasBurnerReceiver.ccipReceive, (m));
    uint256 lo = 1;
    uint256 hi = 2_000_000;
    while (lo < hi) {
      uint256 mid = (lo + hi) / 2;
      (bool ok,) = address(burner).call{gas: mid}(payload);
      if (ok) hi = mid;
      else lo = mid + 1;
    }
    n = lo;
  }

  function test_ExactGasBoundary() public {
    (bool success,, uint256 gasUsed) = h.call(payload, address(burner), n, 5_000, 132);
    assertTrue(success);
    assertGt(gasUsed, n - 1);
    (success,,) = h.call(payload, address(burner), n - 1, 5_000, 132);
    assertFalse(success);
  }

  function test_ReturnsShortDataWhole() public {
    address target = address(new ReturnsData());
    (bool success, bytes memory ret,) = h.call("", target, 100_000, 5_000, 132);
    assertTrue(success);
    assertEq(ret, hex"0102030405");
  }

  function test_CapsReturnData() public {
    address target = address(new RouterHugeRevertReceiver(10_000));
    (bool success, bytes memory ret,) = h.call(payload, target, 10_000_000, 5_000, 7);
    assertFalse(success);
    assertEq(ret, hex"ABABABABABABAB");
  }

  function test_RevertWhen_NoContract() public {
    vm.expectRevert(CallWithExactGas.NoContract.selector);
    h.call(payload, address(0xdead), 100_000, 5_000, 132);
  }

  function test_RevertWhen_NoGasForCallExactCheck() public {
    vm.expectRevert(CallWithExactGas.NoGasForCallExactCheck.selector);
    h.call{gas: 30_000}(payload, address(burner), 1, type(uint16).max, 132);
  }

  function test_RevertWhen_NotEnoughGasForCall() public {
    vm.expectRevert(CallWithExactGas.NotEnoughGasForCall.selector);
    h.call{gas: 100_000}(payload, address(burner), 100_000, 5_000, 132);
  }

  /// Whatever gas the caller sends, the callee either gets exactly its gas limit (and so succeeds) or
  /// the whole call reverts with NotEnoughGasForCall; it is never starved into a recorded failure.
  function testFuzz_NeverStarved(uint256 outerGas) public {
    outerGas = bound(outerGas, n + 6_000, n + 60_000);
    try h.call{gas: outerGas}(payload, address(burner), n, 5_000, 132) returns (bool success, bytes memory, uint256) {
      assertTrue(success);
    } catch (bytes memory reason) {
      assertEq(reason, abi.encodeWithSelector(CallWithExactGas.NotEnoughGasForCall.selector));
    }
  }

  /// Sweeps the outer gas across the threshold: both outcomes occur and nothing else does.
  function test_SweepAcrossThreshold() public {
    uint256 successes;
    uint256 refusals;
    for (uint256 g = n + 6_000; g < n + 16_000; g += 50) {
      try h.call{gas: g}(payload, address(burner), n, 5_000, 132) returns (bool success, bytes memory, uint256) {
        assertTrue(success);
        ++successes;
      } catch (bytes memory reason) {
        assertEq(reason, abi.encodeWithSelector(CallWithExactGas.NotEnoughGasForCall.selector));
        ++refusals;
      }
    }
    assertGt(successes, 0);
    assertGt(refusals, 0);
  }
}
