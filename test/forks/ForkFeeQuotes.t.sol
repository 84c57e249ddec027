// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IRouterClient} from "../../contracts/interfaces/IRouterClient.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {CCIPLocalForks} from "../../contracts/testkit/CCIPLocalForks.sol";
import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";
import {LaneProfileQuotes} from "../vectors/LaneProfileQuotes.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Fork mode quotes the kit's fees: on forks of `ccip up`'s first two chains, Router.getFee of each fixed
/// message of test/vectors/lane_profile.json is the fee CCIPLocalNetwork quoted for it
/// (test/vectors/LaneProfileVectors.t.sol). Run through tools/test-forks, like the other fork tests.
contract ForkFeeQuotesTest is Test {
  string internal constant VECTORS = "./test/vectors/lane_profile.json";

  function test_forksQuoteTheKitsFees() public {
    CCIPLocalForks forks = new CCIPLocalForks("");
    string memory json = vm.readFile(VECTORS);
    uint64[] memory selectors = forks.getChainSelectors();
    // The kit quoted on the selectors `ccip up` gives chain ids 1000 and 1001, its first two chains.
    assertEq(selectors[0], vm.parseJsonUint(json, ".feeQuotes.sourceChainSelector"), "source selector");
    assertEq(selectors[1], vm.parseJsonUint(json, ".feeQuotes.destChainSelector"), "destination selector");
    CCIPLocalNetwork.Chain memory a = forks.getChain(selectors[0]);
    forks.selectChain(a.chainSelector);

    uint256 checked;
    for (uint256 i = 0; vm.keyExistsJson(json, _quote(i, "")); ++i) {
      Client.EVM2AnyMessage memory m = Client.EVM2AnyMessage({
        receiver: vm.parseJsonBytes(json, _quote(i, ".receiver")),
        data: vm.parseJsonBytes(json, _quote(i, ".data")),
        tokenAmounts: _tokenAmounts(json, i, a),
        feeToken: LaneProfileQuotes.role(a, vm.parseJsonString(json, _quote(i, ".feeToken"))),
        extraArgs: vm.parseJsonBytes(json, _quote(i, ".extraArgs"))
      });
      assertEq(
        IRouterClient(a.router).getFee(selectors[1], m),
        vm.parseJsonUint(json, _quote(i, ".fee")),
        vm.parseJsonString(json, _quote(i, ".name"))
      );
      ++checked;
    }
    assertGt(checked, 0, "no quotes in the vectors");
  }

  function _quote(uint256 i, string memory field) internal pure returns (string memory) {
    return string.concat(".feeQuotes.quotes[", vm.toString(i), "]", field);
  }

  function _tokenAmounts(string memory json, uint256 i, CCIPLocalNetwork.Chain memory c)
    internal
    view
    returns (Client.EVMTokenAmount[] memory t)
  {
    uint256 n;
    while (vm.keyExistsJson(json, _quote(i, string.concat(".tokenAmounts[", vm.toString(n), "]")))) ++n;
    t = new Client.EVMTokenAmount[](n);
    for (uint256 k = 0; k < n; ++k) {
      string memory entry = _quote(i, string.concat(".tokenAmounts[", vm.toString(k), "]"));
      t[k] = Client.EVMTokenAmount({
        token: LaneProfileQuotes.role(c, vm.parseJsonString(json, string.concat(entry, ".token"))),
        amount: vm.parseJsonUint(json, string.concat(entry, ".amount"))
      });
    }
  }
}
