// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";

/// @notice The roles lane_profile.json's fee quotes name their fee token and tokens by, resolved on a chain of
/// the kit or of its forks (rust/crates/deploy/tests/fee_quotes.rs resolves them on a `ccip up` chain).
library LaneProfileQuotes {
  /// @notice "native" pays in native (address(0)); "link", "bnm" and "lnm" are the chain's tokens.
  function role(CCIPLocalNetwork.Chain memory c, string memory name) internal pure returns (address) {
    bytes32 r = keccak256(bytes(name));
    if (r == keccak256("native")) return address(0);
    if (r == keccak256("link")) return c.linkToken;
    if (r == keccak256("bnm")) return c.bnmToken;
    if (r == keccak256("lnm")) return c.lnmToken;
    revert(string.concat("unknown role ", name));
  }
}
