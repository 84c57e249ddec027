// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Gas bench of the whole lane, every contract real, both lane ends in one EVM (chain A -> chain B).
//
// Run: `tools/bench-gas` (or `forge test --isolate --match-path 'test/bench/*' -vv`). Each row prints
// `| name | measured | target | ok/MISS |`; a figure never fails a test.
//
// Method. Under `--isolate` forge runs every top-level call of a test as its own transaction (cold
// accounts and slots, fresh transient storage, refunds applied at the end). `vm.lastCallGas()` then
// reports that transaction's gas used (`gasTotalUsed`: 21,000 + calldata + execution - refund, or the
// EIP-7623 floor if higher) and the refund (`gasRefunded`). The bench rebuilds the exact calldata
// (abi.encodeCall), computes the intrinsic part itself (21,000 + 4 per zero byte + 16 per nonzero byte)
// and reports execution gas = gasTotalUsed + gasRefunded - intrinsic: the measured call's execution
// only, before refunds. Without --isolate (the plain test suite runs this file too) or when the
// calldata floor binds, rows are flagged in their name instead; a figure never fails a test.
// Checked on a probe contract: a call doing one cold zero->nonzero SSTORE measured 43,278 =
// 21,064 intrinsic + 22,214 execution (22,100 SSTORE + 114 dispatch); a call with 1,092 calldata bytes
// (7 nonzero) measured exactly its EIP-7623 floor, 21,000 + 10 * 1,113 = 32,130.
// Whole-transaction rows ("destination pays") use max(intrinsic + execution, floor), before refunds.
//
// Blessing: the whole-transaction rows measure both paths, the risk network's ARM vote transactions
// (commit, one voteToBless per voter, execute) and its signatures carried by CommitStore.commitAndBless
// (commit with blessing, execute), each on its own root, and report the cheaper as the row's figure.
//
// Steady state: setUp has USER send twice (fee token, native) and the lane commit, bless and execute
// both; token rows first send (and deliver) one earlier transfer of the same token. The receiver is
// BenchReceiver: three overwritten storage values per message.

import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {LaneProfile} from "../../contracts/libraries/LaneProfile.sol";
import {BenchSetup} from "./BenchSetup.sol";

contract GasBench is BenchSetup {
  function test_Bench_CcipSendFeeToken() public {
    Client.EVM2AnyMessage memory message = _dataMessage(address(a.feeToken));
    uint256 nonceBefore = onRamp.getSenderNonce(USER);
    TxGas memory g = _call(USER, address(a.router), abi.encodeCall(a.router.ccipSend, (CHAIN_B, message)));
    _row("ccipSend data-only 100 B, fee token", g.execution, 68_000);
    assertEq(onRamp.getSenderNonce(USER), nonceBefore + 1);
  }

  function test_Bench_CcipSendNative() public {
    Client.EVM2AnyMessage memory message = _dataMessage(address(0));
    uint256 fee = a.router.getFee(CHAIN_B, message);
    bytes memory callData = abi.encodeCall(a.router.ccipSend, (CHAIN_B, message));
    vm.prank(USER);
    (bool ok,) = address(a.router).call{value: fee}(callData);
    assertTrue(ok);
    _row("ccipSend data-only 100 B, native fee", _txGas(callData).execution, 90_000);
  }

  function test_Bench_GetFee() public {
    Client.EVM2AnyMessage memory message = _dataMessage(address(a.feeToken));
    // A CALL, not a STATICCALL, so --isolate runs it as a transaction of its own.
    TxGas memory g = _call(USER, address(a.router), abi.encodeCall(a.router.getFee, (CHAIN_B, message)));
    _row("getFee data-only 100 B", g.execution, 24_000);
  }

  function test_Bench_OneMessageRoot() public {
    Internal.EVM2EVMMessage[] memory messages = new Internal.EVM2EVMMessage[](1);
    messages[0] = _send(_dataMessage(address(a.feeToken)), 0);
    uint256 countBefore = receiver.s_count();

    // Blessing by ARM vote transactions.
    (bytes memory commitData, bytes32 root) = _commitCall(messages, _noPrices());
    TxGas memory commit = _call(TRANSMITTER, address(inbound.commitStore), commitData);
    bytes memory blessData = _blessCall(root);
    TxGas memory bless0 = _call(s_blessVoters[0], address(b.arm), blessData);
    TxGas memory bless1 = _call(s_blessVoters[1], address(b.arm), blessData);
    TxGas memory exec = _call(TRANSMITTER, address(inbound.offRamp), _executeCall(messages));
    uint256 voted = commit.whole + bless0.whole + bless1.whole + exec.whole;
    assertEq(receiver.s_lastMessageId(), messages[0].messageId);

    // Blessing by the voters' signatures inside the commit transaction.
    messages[0] = _send(_dataMessage(address(a.feeToken)), 0);
    (commitData, root) = _commitCall(messages, _noPrices());
    TxGas memory signedCommit = _call(TRANSMITTER, address(inbound.commitStore), _commitAndBlessCall(commitData, root));
    TxGas memory signedExec = _call(TRANSMITTER, address(inbound.offRamp), _executeCall(messages));
    uint256 signed = signedCommit.whole + signedExec.whole;

    _row("commit 1 root, 2 signatures", commit.execution, 53_000);
    _row("ARM votes blessing 1 root (2 votes)", bless0.execution + bless1.execution, 42_000);
    _row("commitAndBless 1 root, 2 + 2 bless sigs (vs commit + votes)", signedCommit.execution, 95_000);
    _row("execute 1 data-only message (transmitter)", exec.execution, 89_000);
    _row("  1-message root, ARM vote txs (whole txs)", voted, 260_000);
    _row("  1-message root, bless sigs in commit (whole txs)", signed, 260_000);
    _row("destination per message, 1-message root (whole txs)", signed < voted ? signed : voted, 260_000);
    assertEq(receiver.s_count(), countBefore + 2);
    assertEq(receiver.s_lastMessageId(), messages[0].messageId);
    assertEq(
      uint256(inbound.offRamp.getExecutionState(messages[0].sequenceNumber)),
      uint256(Internal.MessageExecutionState.SUCCESS)
    );
  }

  function test_Bench_CommitWithPrices() public {
    Internal.EVM2EVMMessage[] memory messages = new Internal.EVM2EVMMessage[](1);
    messages[0] = _send(_dataMessage(address(a.feeToken)), 0);
    Internal.PriceUpdates memory prices;
    prices.tokenPriceUpdates = new Internal.TokenPriceUpdate[](2);
    prices.tokenPriceUpdates[0] = Internal.TokenPriceUpdate(address(b.weth), LaneProfile.NATIVE_PRICE + 1);
    prices.tokenPriceUpdates[1] = Internal.TokenPriceUpdate(address(b.feeToken), LaneProfile.LINK_PRICE + 1);
    prices.gasPriceUpdates = new Internal.GasPriceUpdate[](1);
    prices.gasPriceUpdates[0] = Internal.GasPriceUpdate(CHAIN_A, LaneProfile.GAS_PRICE + 1);
    (bytes memory commitData,) = _commitCall(messages, prices);
    TxGas memory g = _call(TRANSMITTER, address(inbound.commitStore), commitData);
    _row("commit 1 root + 2 token prices + 1 gas price", g.execution, 81_000);
    assertEq(b.priceRegistry.getTokenPrice(address(b.feeToken)).value, LaneProfile.LINK_PRICE + 1);
  }

  function test_Bench_TenMessageRoot() public {
    Internal.EVM2EVMMessage[] memory messages = new Internal.EVM2EVMMessage[](10);
    for (uint256 i = 0; i < 10; ++i) {
      messages[i] = _send(_dataMessage(address(a.feeToken)), 0);
    }
    uint256 countBefore = receiver.s_count();

    (bytes memory commitData, bytes32 root) = _commitCall(messages, _noPrices());
    TxGas memory commit = _call(TRANSMITTER, address(inbound.commitStore), commitData);
    bytes memory blessData = _blessCall(root);
    TxGas memory bless0 = _call(s_blessVoters[0], address(b.arm), blessData);
    TxGas memory bless1 = _call(s_blessVoters[1], address(b.arm), blessData);
    TxGas memory exec = _call(TRANSMITTER, address(inbound.offRamp), _executeCall(messages));
    uint256 voted = (commit.whole + bless0.whole + bless1.whole + exec.whole) / 10;
    assertEq(receiver.s_count(), countBefore + 10);

    for (uint256 i = 0; i < 10; ++i) {
      messages[i] = _send(_dataMessage(address(a.feeToken)), 0);
    }
    (commitData, root) = _commitCall(messages, _noPrices());
    TxGas memory signedCommit = _call(TRANSMITTER, address(inbound.commitStore), _commitAndBlessCall(commitData, root));
    TxGas memory signedExec = _call(TRANSMITTER, address(inbound.offRamp), _executeCall(messages));
    uint256 signed = (signedCommit.whole + signedExec.whole) / 10;

    _row("execute 10 messages of one root, per message", exec.execution / 10, 31_000);
    _row("  10-message root, ARM vote txs (whole txs)", voted, 52_000);
    _row("  10-message root, bless sigs in commit (whole txs)", signed, 52_000);
    _row("destination per message, 10-message root (whole txs)", signed < voted ? signed : voted, 52_000);
    assertEq(receiver.s_count(), countBefore + 20);
  }

  function test_Bench_CcipSendLockReleaseToken() public {
    _send(_tokenMessage(address(a.lrToken)), 0);
    Client.EVM2AnyMessage memory message = _tokenMessage(address(a.lrToken));
    uint256 poolBefore = a.lrToken.balanceOf(address(a.lrPool));
    TxGas memory g = _call(USER, address(a.router), abi.encodeCall(a.router.ccipSend, (CHAIN_B, message)));
    _row("ccipSend 1 token (LockRelease) + 100 B, fee token", g.execution, 134_000);
    assertEq(a.lrToken.balanceOf(address(a.lrPool)), poolBefore + TOKEN_AMOUNT);
  }

  function test_Bench_CcipSendBurnMintToken() public {
    _send(_tokenMessage(address(a.bmToken)), 0);
    Client.EVM2AnyMessage memory message = _tokenMessage(address(a.bmToken));
    uint256 supplyBefore = a.bmToken.totalSupply();
    TxGas memory g = _call(USER, address(a.router), abi.encodeCall(a.router.ccipSend, (CHAIN_B, message)));
    _row("ccipSend 1 token (BurnMint) + 100 B, fee token", g.execution, 154_000);
    assertEq(a.bmToken.totalSupply(), supplyBefore - TOKEN_AMOUNT);
  }

  function test_Bench_ExecuteLockReleaseToken() public {
    _benchExecuteToken(address(a.lrToken), address(b.lrToken), "execute 1 message + 1 token (LockRelease)");
  }

  function test_Bench_ExecuteBurnMintToken() public {
    _benchExecuteToken(address(a.bmToken), address(b.bmToken), "execute 1 message + 1 token (BurnMint)");
  }

  function _benchExecuteToken(address sourceToken, address destToken, string memory name) internal {
    Internal.EVM2EVMMessage[] memory messages = new Internal.EVM2EVMMessage[](1);
    messages[0] = _send(_tokenMessage(sourceToken), 0);
    _deliver(messages);
    messages[0] = _send(_tokenMessage(sourceToken), 0);
    (bytes memory commitData, bytes32 root) = _commitCall(messages, _noPrices());
    _call(TRANSMITTER, address(inbound.commitStore), commitData);
    bytes memory blessData = _blessCall(root);
    _call(s_blessVoters[0], address(b.arm), blessData);
    _call(s_blessVoters[1], address(b.arm), blessData);
    (bool ok, bytes memory balance) =
      destToken.staticcall(abi.encodeWithSignature("balanceOf(address)", address(receiver)));
    assertTrue(ok);
    TxGas memory exec = _call(TRANSMITTER, address(inbound.offRamp), _executeCall(messages));
    _row(name, exec.execution, 157_000);
    (, bytes memory balanceAfter) =
      destToken.staticcall(abi.encodeWithSignature("balanceOf(address)", address(receiver)));
    assertEq(abi.decode(balanceAfter, (uint256)), abi.decode(balance, (uint256)) + TOKEN_AMOUNT);
  }
}
