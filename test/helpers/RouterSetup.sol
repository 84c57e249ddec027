// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PriceRegistry} from "../../contracts/PriceRegistry.sol";
import {Router} from "../../contracts/Router.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {LaneProfile} from "../../contracts/libraries/LaneProfile.sol";
import {OnRamp} from "../../contracts/onRamp/OnRamp.sol";
import {MockARM} from "./MockARM.sol";
import {RouterMockERC20, RouterMockPool, RouterMockTokenAdminRegistry, RouterMockWETH9} from "./RouterMocks.sol";
import {Test} from "forge-std/Test.sol";

/// @notice One source chain with a Router, a PriceRegistry and one OnRamp to DEST, all mocks wired, configured
/// with LaneProfile's parameters (short names for the tests' fee arithmetic).
contract RouterSetup is Test {
  uint64 internal constant SOURCE = 16015286601757825753;
  uint64 internal constant DEST = 3478487238524512106;
  uint32 internal constant STALENESS = LaneProfile.PRICE_STALENESS;
  uint224 internal constant WETH_PRICE = LaneProfile.NATIVE_PRICE;
  uint224 internal constant LINK_PRICE = LaneProfile.LINK_PRICE;
  uint224 internal constant TOKEN_PRICE = LaneProfile.TEST_TOKEN_PRICE;
  uint224 internal constant GAS_PRICE = LaneProfile.GAS_PRICE;

  address internal constant OWNER = address(0x0E0E);
  address internal constant USER = address(0xA11CE);
  address internal constant RECEIVER = address(0xBEEF);

  RouterMockWETH9 internal weth;
  RouterMockERC20 internal link;
  RouterMockERC20 internal token;
  MockARM internal arm;
  RouterMockTokenAdminRegistry internal registry;
  RouterMockPool internal pool;
  PriceRegistry internal priceRegistry;
  Router internal router;
  OnRamp internal onRamp;

  function setUp() public virtual {
    vm.warp(1_700_000_000);
    vm.startPrank(OWNER);
    weth = new RouterMockWETH9();
    link = new RouterMockERC20("LINK");
    token = new RouterMockERC20("TKN");
    arm = new MockARM();
    registry = new RouterMockTokenAdminRegistry();
    pool = new RouterMockPool(address(token), address(0xD0D0));
    registry.setPool(address(token), address(pool));

    priceRegistry = new PriceRegistry(new address[](0), LaneProfile.feeTokens(address(weth), address(link)), STALENESS);
    priceRegistry.updatePrices(_priceUpdates());

    router = new Router(address(weth), address(arm));
    onRamp = new OnRamp(_staticConfig(), _dynamicConfig(), _feeTokenConfigs());

    Router.OnRamp[] memory onRamps = new Router.OnRamp[](1);
    onRamps[0] = Router.OnRamp({destChainSelector: DEST, onRamp: address(onRamp)});
    router.applyRampUpdates(onRamps, new Router.OffRamp[](0), new Router.OffRamp[](0));
    vm.stopPrank();

    link.mint(USER, 1_000_000e18);
    token.mint(USER, 1_000_000e18);
    vm.deal(USER, 1_000 ether);
  }

  function _priceUpdates() internal view returns (Internal.PriceUpdates memory) {
    address[] memory testTokens = new address[](1);
    testTokens[0] = address(token);
    uint64[] memory destChains = new uint64[](1);
    destChains[0] = DEST;
    return LaneProfile.initialPrices(address(weth), address(link), testTokens, destChains);
  }

  function _staticConfig() internal view returns (OnRamp.StaticConfig memory) {
    return OnRamp.StaticConfig({
      sourceChainSelector: SOURCE,
      destChainSelector: DEST,
      router: address(router),
      priceRegistry: address(priceRegistry),
      arm: address(arm),
      tokenAdminRegistry: address(registry)
    });
  }

  /// @dev The profile's, under the name the tests compare getDynamicConfig and fees against.
  function _dynamicConfig() internal pure returns (OnRamp.DynamicConfig memory) {
    return LaneProfile.onRampDynamicConfig();
  }

  function _feeTokenConfigs() internal view returns (OnRamp.FeeTokenConfigArgs[] memory) {
    return LaneProfile.feeTokenConfigs(address(weth), address(link));
  }

  function _message(bytes memory data, address feeToken) internal pure returns (Client.EVM2AnyMessage memory) {
    return Client.EVM2AnyMessage({
      receiver: abi.encode(RECEIVER),
      data: data,
      tokenAmounts: new Client.EVMTokenAmount[](0),
      feeToken: feeToken,
      extraArgs: ""
    });
  }

  function _tokenMessage(uint256 amount, address feeToken) internal view returns (Client.EVM2AnyMessage memory m) {
    m = _message("hi", feeToken);
    m.tokenAmounts = new Client.EVMTokenAmount[](1);
    m.tokenAmounts[0] = Client.EVMTokenAmount({token: address(token), amount: amount});
  }

  /// @dev The fee formula, written independently of OnRamp's code, for messages without tokens or with
  /// tokens that use the lane defaults.
  function _expectedFee(
    OnRamp.DynamicConfig memory c,
    uint256 gasLimit,
    uint256 dataLength,
    uint256 numDefaultTokens,
    uint256 gasPrice,
    uint256 feeTokenPrice,
    uint256 premium
  ) internal pure returns (uint256) {
    uint256 execGas = gasLimit + c.destGasOverhead + dataLength * c.destGasPerPayloadByte + numDefaultTokens
      * c.defaultTokenDestGasOverhead;
    uint256 daBytes = 448 + dataLength + numDefaultTokens * (224 + 32);
    uint256 gasUSD = (execGas + daBytes * c.destGasPerDataAvailabilityByte) * gasPrice;
    uint256 usd = gasUSD + uint256(c.networkFeeUSDCents) * 1e16;
    // usd (1e18 USD) -> fee-token units: * 1e18 / price, then premium / 1e18.
    return usd * premium / feeTokenPrice;
  }
}
