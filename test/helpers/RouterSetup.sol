// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PriceRegistry} from "../../contracts/PriceRegistry.sol";
import {Router} from "../../contracts/Router.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {OnRamp} from "../../contracts/onRamp/OnRamp.sol";
import {MockARM} from "./MockARM.sol";
import {RouterMockERC20, RouterMockPool, RouterMockTokenAdminRegistry, RouterMockWETH9} from "./RouterMocks.sol";
import {Test} from "forge-std/Test.sol";

/// @notice One source chain with a Router, a PriceRegistry and one OnRamp to DEST, all mocks wired.
contract RouterSetup is Test {
  uint64 internal constant SOURCE = 16015286601757825753;
  uint64 internal constant DEST = 3478487238524512106;
  uint32 internal constant STALENESS = 1 days;
  uint224 internal constant WETH_PRICE = 2000e18; // $2000 per 1e18 wei
  uint224 internal constant LINK_PRICE = 10e18;
  uint224 internal constant TOKEN_PRICE = 1e18;
  uint224 internal constant GAS_PRICE = 4e13; // 20 gwei at $2000

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

    address[] memory feeTokens = new address[](2);
    feeTokens[0] = address(weth);
    feeTokens[1] = address(link);
    priceRegistry = new PriceRegistry(new address[](0), feeTokens, STALENESS);
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

  function _priceUpdates() internal view returns (Internal.PriceUpdates memory updates) {
    updates.tokenPriceUpdates = new Internal.TokenPriceUpdate[](3);
    updates.tokenPriceUpdates[0] = Internal.TokenPriceUpdate({sourceToken: address(weth), usdPerToken: WETH_PRICE});
    updates.tokenPriceUpdates[1] = Internal.TokenPriceUpdate({sourceToken: address(link), usdPerToken: LINK_PRICE});
    updates.tokenPriceUpdates[2] = Internal.TokenPriceUpdate({sourceToken: address(token), usdPerToken: TOKEN_PRICE});
    updates.gasPriceUpdates = new Internal.GasPriceUpdate[](1);
    updates.gasPriceUpdates[0] = Internal.GasPriceUpdate({destChainSelector: DEST, usdPerUnitGas: GAS_PRICE});
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

  function _dynamicConfig() internal pure returns (OnRamp.DynamicConfig memory) {
    return OnRamp.DynamicConfig({
      maxDataBytes: 30_000,
      maxPerMsgGasLimit: 3_000_000,
      defaultTxGasLimit: 200_000,
      maxNumberOfTokensPerMsg: 5,
      destGasOverhead: 350_000,
      destGasPerPayloadByte: 16,
      destGasPerDataAvailabilityByte: 0,
      networkFeeUSDCents: 50,
      defaultTokenDestGasOverhead: 90_000,
      enforceOutOfOrder: false
    });
  }

  function _feeTokenConfigs() internal view returns (OnRamp.FeeTokenConfigArgs[] memory configs) {
    configs = new OnRamp.FeeTokenConfigArgs[](2);
    configs[0] = OnRamp.FeeTokenConfigArgs({token: address(weth), enabled: true, premiumMultiplierWeiPerEth: 1e18});
    configs[1] = OnRamp.FeeTokenConfigArgs({token: address(link), enabled: true, premiumMultiplierWeiPerEth: 9e17});
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
