// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {IRouterClient} from "../../contracts/interfaces/IRouterClient.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {RateLimiter} from "../../contracts/libraries/RateLimiter.sol";
import {TokenPool} from "../../contracts/pools/TokenPool.sol";
import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Example: the source pool's outbound rate limit stops a transfer until the bucket refills.
contract RateLimitExample is Test {
  CCIPLocalNetwork internal kit;
  CCIPLocalNetwork.Chain internal a;
  CCIPLocalNetwork.Chain internal b;

  function test_poolRateLimitThenRefill() public {
    kit = new CCIPLocalNetwork(2);
    a = kit.getChain(kit.defaultChainSelector(0));
    b = kit.getChain(kit.defaultChainSelector(1));
    kit.fund(a.chainSelector, address(this), 100e18);
    IERC20(a.linkToken).approve(a.router, type(uint256).max);
    IERC20(a.bnmToken).approve(a.router, type(uint256).max);

    // The kit deployed (and owns) every pool: configure as the kit. Outbound A -> B: 10 BnM capacity,
    // refilling 1 BnM per second; inbound stays effectively unlimited.
    vm.prank(address(kit));
    TokenPool(a.bnmPool)
      .setChainRateLimiterConfig(
        b.chainSelector,
        RateLimiter.Config({isEnabled: true, capacity: 10e18, rate: 1e18}),
        RateLimiter.Config({isEnabled: true, capacity: 1e36, rate: 1e34})
      );

    // The kit's pools, like `ccip up`'s, start without a limit (LaneProfile), so the bucket just enabled is
    // empty: it fills at its rate, 10 seconds to capacity.
    vm.warp(block.timestamp + 10);
    _send(10e18); // drains the bucket

    // 5 more need 5 seconds of refill; the send reverts at the source with the exact wait.
    vm.expectRevert(abi.encodeWithSelector(RateLimiter.TokenRateLimitReached.selector, 5, 0, a.bnmToken));
    this.send(5e18);

    vm.warp(block.timestamp + 5);
    _send(5e18);

    kit.route();
    assertEq(IERC20(b.bnmToken).balanceOf(address(0xB0B)), 15e18);
  }

  /// @dev External so expectRevert sees the failing call (building the message makes calls first).
  function send(uint256 amount) external {
    _send(amount);
  }

  function _send(uint256 amount) internal {
    Client.EVMTokenAmount[] memory tokens = new Client.EVMTokenAmount[](1);
    tokens[0] = Client.EVMTokenAmount({token: a.bnmToken, amount: amount});
    IRouterClient(a.router)
      .ccipSend(
        b.chainSelector,
        Client.EVM2AnyMessage({
        receiver: abi.encode(address(0xB0B)),
        data: "",
        tokenAmounts: tokens,
        feeToken: a.linkToken,
        extraArgs: Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 0}))
      })
      );
  }
}
