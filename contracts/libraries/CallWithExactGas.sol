// SPDX-License-Identifier: MIT
pragma solidity ^0.8.13;

/// @title CallWithExactGas
/// @notice Calls a contract with exactly `gasLimit` gas or reverts, and copies at most `maxReturnBytes`
/// of its return data.
/// @dev Why exact: a receiver's failure must be its own fault, never the executor's. Under EIP-150 a
/// CALL forwards at most 63/64 of the remaining gas, so an executor could otherwise starve the callee
/// by sending a transaction with just too little gas and get a FAILURE recorded. We revert instead.
library CallWithExactGas {
  error NoContract();
  error NoGasForCallExactCheck();
  error NotEnoughGasForCall();

  /// @notice Calls `target` with `payload` and exactly `gasLimit` gas.
  /// @param gasForCallExactCheck Gas kept back for the checks below and the CALL's own cost (address
  /// access, memory); must cover everything between reading gasleft() and the callee starting.
  /// @param maxReturnBytes Cap on the copied return or revert data.
  /// @return success Whether the call returned without reverting.
  /// @return retData The first `maxReturnBytes` bytes of the return or revert data.
  /// @return gasUsed Gas spent from just before the CALL to just after it.
  function _callWithExactGasSafeReturnData(
    bytes memory payload,
    address target,
    uint256 gasLimit,
    uint16 gasForCallExactCheck,
    uint16 maxReturnBytes
  ) internal returns (bool success, bytes memory retData, uint256 gasUsed) {
    // Checked before measuring gas so the cushion does not have to pay for EXTCODESIZE.
    if (target.code.length == 0) revert NoContract();
    retData = new bytes(maxReturnBytes);
    _checkExactGas(gasLimit, gasForCallExactCheck);

    // Assembly because Solidity's `call` always copies the whole return data into memory: a receiver
    // returning megabytes would make the executor pay quadratic memory gas (a griefing vector). Here
    // the CALL copies nothing and RETURNDATACOPY takes at most `maxReturnBytes`.
    assembly ("memory-safe") {
      let gasBeforeCall := gas()
      success := call(gasLimit, target, 0, add(payload, 0x20), mload(payload), 0, 0)
      gasUsed := sub(gasBeforeCall, gas())
      let toCopy := returndatasize()
      if gt(toCopy, maxReturnBytes) { toCopy := maxReturnBytes }
      mstore(retData, toCopy)
      returndatacopy(add(retData, 0x20), 0, toCopy)
    }
  }

  /// @notice Like `_callWithExactGasSafeReturnData`, for callers that already checked `target` has code
  /// and do not need the gas measurement; `isStatic` makes it a STATICCALL (view calls such as ERC-165
  /// or balanceOf, where the callee must not change state).
  /// @dev Without code a CALL or STATICCALL succeeds with empty return data: callers that expect a return
  /// value must reject an empty one (or check code first).
  /// @return success Whether the call returned without reverting.
  /// @return retData The first `maxReturnBytes` bytes of the return or revert data.
  function _callWithExactGasSafeReturnDataNoCodeCheck(
    bytes memory payload,
    address target,
    uint256 gasLimit,
    uint16 gasForCallExactCheck,
    uint16 maxReturnBytes,
    bool isStatic
  ) internal returns (bool success, bytes memory retData) {
    retData = new bytes(maxReturnBytes);
    _checkExactGas(gasLimit, gasForCallExactCheck);

    // Assembly for the same reason as above: bounded return data copying.
    assembly ("memory-safe") {
      switch isStatic
      case 0 { success := call(gasLimit, target, 0, add(payload, 0x20), mload(payload), 0, 0) }
      default { success := staticcall(gasLimit, target, add(payload, 0x20), mload(payload), 0, 0) }
      let toCopy := returndatasize()
      if gt(toCopy, maxReturnBytes) { toCopy := maxReturnBytes }
      mstore(retData, toCopy)
      returndatacopy(add(retData, 0x20), 0, toCopy)
    }
  }

  /// @dev Reverts unless, after keeping `gasForCallExactCheck` back, a CALL can forward all of `gasLimit`.
  function _checkExactGas(uint256 gasLimit, uint16 gasForCallExactCheck) private view {
    uint256 g = gasleft();
    if (g < gasForCallExactCheck) revert NoGasForCallExactCheck();
    unchecked {
      g -= gasForCallExactCheck;
      // The callee gets min(gasLimit, g - g/64); anything less than gasLimit is a starved call.
      if (g - g / 64 <= gasLimit) revert NotEnoughGasForCall();
    }
  }
}
