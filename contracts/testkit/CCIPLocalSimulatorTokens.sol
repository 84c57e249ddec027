// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {BurnMintTestToken} from "../tokens/BurnMintTestToken.sol";
import {FaucetToken} from "../tokens/FaucetToken.sol";
import {WrappedNative} from "../tokens/WrappedNative.sol";

// The type names chainlink-local's CCIPLocalSimulator hands to tests. Each adds nothing to our test
// token, so an address of the base token may be typed as these without any ABI difference.

/// @notice chainlink-local's WETH9: our WrappedNative (deposit, withdraw, ERC20).
contract WETH9 is WrappedNative {}

/// @notice chainlink-local's LinkToken: our FaucetToken (ERC20, transferAndCall, drip, owner mint).
contract LinkToken is FaucetToken {
  constructor() FaucetToken("ChainLink Token", "LINK", 18, 1e18) {}
}

/// @notice chainlink-local's BurnMintERC677Helper: our BurnMintTestToken (drip(address) mints 1e18).
contract BurnMintERC677Helper is BurnMintTestToken {
  constructor(string memory name_, string memory symbol_) BurnMintTestToken(name_, symbol_, 18) {}
}
