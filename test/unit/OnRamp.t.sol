// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PriceRegistry} from "../../contracts/PriceRegistry.sol";
import {Ownable2Step} from "../../contracts/access/Ownable2Step.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {OnRamp} from "../../contracts/onRamp/OnRamp.sol";
import {RouterMockPool} from "../helpers/RouterMocks.sol";
import {RouterSetup} from "../helpers/RouterSetup.sol";
import {Vm} from "forge-std/Vm.sol";

contract OnRampTest is RouterSetup {
  uint256 internal constant MAX = type(uint256).max;

  function _forward(Client.EVM2AnyMessage memory m) internal returns (bytes32 id, uint256 fee) {
    vm.prank(address(router));
    return onRamp.forwardFromRouter(DEST, m, address(link), MAX, USER);
  }

  function _expectRevertForward(Client.EVM2AnyMessage memory m, bytes memory err) internal {
    vm.prank(address(router));
    vm.expectRevert(err);
    onRamp.forwardFromRouter(DEST, m, address(link), MAX, USER);
  }

  // ---------------------------------------------------------------- config

  function test_Constructor() public view {
    OnRamp.StaticConfig memory s = onRamp.getStaticConfig();
    assertEq(s.sourceChainSelector, SOURCE);
    assertEq(s.destChainSelector, DEST);
    assertEq(s.router, address(router));
    assertEq(s.priceRegistry, address(priceRegistry));
    assertEq(s.arm, address(arm));
    assertEq(s.tokenAdminRegistry, address(registry));
    assertEq(abi.encode(onRamp.getDynamicConfig()), abi.encode(_dynamicConfig()));
    assertEq(onRamp.getMetadataHash(), Internal._metadataHash(SOURCE, DEST, address(onRamp)));
    assertEq(onRamp.getExpectedNextSequenceNumber(), 1);
    assertEq(onRamp.getSenderNonce(USER), 0);
    assertEq(onRamp.owner(), OWNER);
    OnRamp.FeeTokenConfig memory f = onRamp.getFeeTokenConfig(address(link));
    assertTrue(f.enabled);
    assertEq(f.premiumMultiplierWeiPerEth, 9e17);
  }

  function test_RevertWhen_ConstructorInvalidStaticConfig() public {
    OnRamp.StaticConfig memory s = _staticConfig();
    s.tokenAdminRegistry = address(0);
    vm.expectRevert(OnRamp.InvalidConfig.selector);
    new OnRamp(s, _dynamicConfig(), _feeTokenConfigs());
    s = _staticConfig();
    s.destChainSelector = 0;
    vm.expectRevert(OnRamp.InvalidConfig.selector);
    new OnRamp(s, _dynamicConfig(), _feeTokenConfigs());
  }

  function test_SetDynamicConfig() public {
    OnRamp.DynamicConfig memory c = _dynamicConfig();
    c.maxDataBytes = 7;
    c.enforceOutOfOrder = true;
    c.maxNumberOfTokensPerMsg = 1;
    vm.expectEmit(address(onRamp));
    emit OnRamp.DynamicConfigSet(c);
    vm.prank(OWNER);
    onRamp.setDynamicConfig(c);
    assertEq(abi.encode(onRamp.getDynamicConfig()), abi.encode(c));
  }

  function test_SetDynamicConfigKeepsSequenceNumber() public {
    _forward(_message("", address(link)));
    vm.prank(OWNER);
    onRamp.setDynamicConfig(_dynamicConfig());
    assertEq(onRamp.getExpectedNextSequenceNumber(), 2);
  }

  function test_RevertWhen_SetDynamicConfigDefaultAboveMax() public {
    OnRamp.DynamicConfig memory c = _dynamicConfig();
    c.defaultTxGasLimit = c.maxPerMsgGasLimit + 1;
    vm.prank(OWNER);
    vm.expectRevert(OnRamp.InvalidConfig.selector);
    onRamp.setDynamicConfig(c);
  }

  function test_RevertWhen_SetDynamicConfigNotOwner() public {
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    onRamp.setDynamicConfig(_dynamicConfig());
  }

  function test_ApplyFeeTokenConfigUpdates() public {
    OnRamp.FeeTokenConfigArgs[] memory a = new OnRamp.FeeTokenConfigArgs[](1);
    a[0] = OnRamp.FeeTokenConfigArgs({token: address(link), enabled: false, premiumMultiplierWeiPerEth: 5});
    vm.expectEmit(address(onRamp));
    emit OnRamp.FeeTokenConfigSet(address(link), false, 5);
    vm.prank(OWNER);
    onRamp.applyFeeTokenConfigUpdates(a);
    assertFalse(onRamp.getFeeTokenConfig(address(link)).enabled);
    _expectRevertForward(
      _message("", address(link)), abi.encodeWithSelector(OnRamp.NotAFeeToken.selector, address(link))
    );
  }

  function test_SetDynamicConfig_RepricesEveryEnabledFeeToken() public {
    // Each fee token prices from its own copy of the lane parameters: setDynamicConfig must reach them all.
    OnRamp.DynamicConfig memory c = _dynamicConfig();
    c.networkFeeUSDCents = c.networkFeeUSDCents + 500;
    c.destGasOverhead = c.destGasOverhead + 1000;
    c.maxDataBytes = 3;
    vm.prank(OWNER);
    onRamp.setDynamicConfig(c);
    Client.EVM2AnyMessage memory m = _message("ab", address(link));
    assertEq(onRamp.getFee(DEST, m), _expectedFee(c, 200_000, 2, 0, GAS_PRICE, LINK_PRICE, 9e17));
    m.feeToken = address(weth);
    assertEq(onRamp.getFee(DEST, m), _expectedFee(c, 200_000, 2, 0, GAS_PRICE, WETH_PRICE, 1e18));
    m.data = "abcd";
    vm.expectRevert(abi.encodeWithSelector(OnRamp.MessageTooLarge.selector, 3, 4));
    onRamp.getFee(DEST, m);
  }

  function test_ApplyFeeTokenConfigUpdates_ReenabledTokenGetsCurrentLaneConfig() public {
    OnRamp.FeeTokenConfigArgs[] memory a = new OnRamp.FeeTokenConfigArgs[](1);
    a[0] = OnRamp.FeeTokenConfigArgs({token: address(link), enabled: false, premiumMultiplierWeiPerEth: 9e17});
    vm.prank(OWNER);
    onRamp.applyFeeTokenConfigUpdates(a);
    // Changed while LINK is disabled.
    OnRamp.DynamicConfig memory c = _dynamicConfig();
    c.networkFeeUSDCents = c.networkFeeUSDCents + 77;
    vm.prank(OWNER);
    onRamp.setDynamicConfig(c);
    a[0].enabled = true;
    a[0].premiumMultiplierWeiPerEth = 11e17;
    vm.prank(OWNER);
    onRamp.applyFeeTokenConfigUpdates(a);
    OnRamp.FeeTokenConfig memory f = onRamp.getFeeTokenConfig(address(link));
    assertTrue(f.enabled);
    assertEq(f.premiumMultiplierWeiPerEth, 11e17);
    assertEq(
      onRamp.getFee(DEST, _message("ab", address(link))), _expectedFee(c, 200_000, 2, 0, GAS_PRICE, LINK_PRICE, 11e17)
    );
  }

  function test_RevertWhen_NotAFeeTokenBeforeMessageChecks() public {
    // A token that is not a fee token has no lane parameters: it is refused before they would be used.
    Client.EVM2AnyMessage memory m = _message(new bytes(100_000), address(0xdead));
    vm.expectRevert(abi.encodeWithSelector(OnRamp.NotAFeeToken.selector, address(0xdead)));
    onRamp.getFee(DEST, m);
  }

  function test_RevertWhen_ApplyFeeTokenConfigUpdatesNotOwner() public {
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    onRamp.applyFeeTokenConfigUpdates(new OnRamp.FeeTokenConfigArgs[](0));
  }

  function _tokenConfig(uint32 minC, uint32 maxC, uint16 deciBps)
    internal
    pure
    returns (OnRamp.TokenTransferFeeConfig memory)
  {
    return OnRamp.TokenTransferFeeConfig({
      minFeeUSDCents: minC,
      maxFeeUSDCents: maxC,
      deciBps: deciBps,
      destGasOverhead: 120_000,
      destBytesOverhead: 64,
      isEnabled: true
    });
  }

  function _setTokenConfig(OnRamp.TokenTransferFeeConfig memory c) internal {
    OnRamp.TokenTransferFeeConfigArgs[] memory a = new OnRamp.TokenTransferFeeConfigArgs[](1);
    a[0] = OnRamp.TokenTransferFeeConfigArgs({token: address(token), config: c});
    vm.prank(OWNER);
    onRamp.applyTokenTransferFeeConfigUpdates(a, new address[](0));
  }

  function test_ApplyTokenTransferFeeConfigUpdates() public {
    OnRamp.TokenTransferFeeConfig memory c = _tokenConfig(100, 1000, 50);
    OnRamp.TokenTransferFeeConfigArgs[] memory a = new OnRamp.TokenTransferFeeConfigArgs[](1);
    a[0] = OnRamp.TokenTransferFeeConfigArgs({token: address(token), config: c});
    vm.expectEmit(address(onRamp));
    emit OnRamp.TokenTransferFeeConfigSet(address(token), c);
    vm.prank(OWNER);
    onRamp.applyTokenTransferFeeConfigUpdates(a, new address[](0));
    assertEq(abi.encode(onRamp.getTokenTransferFeeConfig(address(token))), abi.encode(c));

    address[] memory del = new address[](1);
    del[0] = address(token);
    vm.expectEmit(address(onRamp));
    emit OnRamp.TokenTransferFeeConfigDeleted(address(token));
    vm.prank(OWNER);
    onRamp.applyTokenTransferFeeConfigUpdates(new OnRamp.TokenTransferFeeConfigArgs[](0), del);
    assertFalse(onRamp.getTokenTransferFeeConfig(address(token)).isEnabled);
  }

  function test_RevertWhen_TokenTransferFeeConfigMinAboveMax() public {
    OnRamp.TokenTransferFeeConfigArgs[] memory a = new OnRamp.TokenTransferFeeConfigArgs[](1);
    a[0] = OnRamp.TokenTransferFeeConfigArgs({token: address(token), config: _tokenConfig(2, 1, 0)});
    vm.prank(OWNER);
    vm.expectRevert(abi.encodeWithSelector(OnRamp.InvalidTokenTransferFeeConfig.selector, address(token)));
    onRamp.applyTokenTransferFeeConfigUpdates(a, new address[](0));
  }

  function test_RevertWhen_ApplyTokenTransferFeeConfigUpdatesNotOwner() public {
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    onRamp.applyTokenTransferFeeConfigUpdates(new OnRamp.TokenTransferFeeConfigArgs[](0), new address[](0));
  }

  function test_WithdrawFees() public {
    link.mint(address(onRamp), 123);
    vm.expectEmit(address(onRamp));
    emit OnRamp.FeesWithdrawn(address(link), address(0xFEE), 123);
    vm.prank(OWNER);
    onRamp.withdrawFees(address(link), address(0xFEE));
    assertEq(link.balanceOf(address(0xFEE)), 123);
    assertEq(link.balanceOf(address(onRamp)), 0);
  }

  function test_RevertWhen_WithdrawFeesToZero() public {
    vm.prank(OWNER);
    vm.expectRevert(OnRamp.InvalidConfig.selector);
    onRamp.withdrawFees(address(link), address(0));
  }

  function test_RevertWhen_WithdrawFeesNotOwner() public {
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    onRamp.withdrawFees(address(link), USER);
  }

  function test_GetPoolBySourceToken() public {
    assertEq(onRamp.getPoolBySourceToken(DEST, address(token)), address(pool));
    assertEq(onRamp.getPoolBySourceToken(DEST, address(link)), address(0));
    vm.expectRevert(abi.encodeWithSelector(OnRamp.InvalidDestChainSelector.selector, SOURCE));
    onRamp.getPoolBySourceToken(SOURCE, address(token));
  }

  // ---------------------------------------------------------------- forwardFromRouter: happy paths

  function test_ForwardFromRouterEmitsFullMessage() public {
    Client.EVM2AnyMessage memory m = _message("hello", address(link));
    uint256 fee = onRamp.getFee(DEST, m);

    Internal.EVM2EVMMessage memory expected = Internal.EVM2EVMMessage({
      messageId: bytes32(0),
      sourceChainSelector: SOURCE,
      sequenceNumber: 1,
      nonce: 1,
      sender: USER,
      receiver: RECEIVER,
      gasLimit: 200_000,
      data: "hello",
      tokenAmounts: new Internal.TokenTransfer[](0)
    });
    expected.messageId = Internal._hash(expected, onRamp.getMetadataHash());

    vm.expectEmit(address(onRamp));
    emit OnRamp.CCIPSendRequested(1, expected, address(link), fee);
    (bytes32 id, uint256 charged) = _forward(m);
    assertEq(id, expected.messageId);
    assertEq(charged, fee);
    assertEq(onRamp.getExpectedNextSequenceNumber(), 2);
    assertEq(onRamp.getSenderNonce(USER), 1);
  }

  function test_ForwardFromRouterEmitsPaidAmountForNative() public {
    Client.EVM2AnyMessage memory m = _message("", address(weth));
    uint256 fee = onRamp.getFee(DEST, m);
    vm.recordLogs();
    vm.prank(address(router));
    (, uint256 charged) = onRamp.forwardFromRouter(DEST, m, address(weth), fee + 5, USER);
    assertEq(charged, fee);
    (, address feeToken, uint256 paid) = _lastSend();
    assertEq(feeToken, address(weth));
    assertEq(paid, fee + 5);
  }

  function test_ForwardFromRouterUsesResolvedFeeToken() public {
    // message.feeToken is ignored: the Router's resolution is what counts.
    Client.EVM2AnyMessage memory m = _message("", address(0));
    uint256 fee = onRamp.getFee(DEST, _message("", address(weth)));
    vm.prank(address(router));
    (, uint256 charged) = onRamp.forwardFromRouter(DEST, m, address(weth), MAX, USER);
    assertEq(charged, fee);
  }

  function test_ExtraArgsV1() public {
    Client.EVM2AnyMessage memory m = _message("", address(link));
    m.extraArgs = Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 123_456}));
    vm.recordLogs();
    _forward(m);
    (Internal.EVM2EVMMessage memory sent,,) = _lastSend();
    assertEq(sent.gasLimit, 123_456);
    assertEq(sent.nonce, 1);
  }

  function test_ExtraArgsV2OutOfOrder() public {
    Client.EVM2AnyMessage memory m = _message("", address(link));
    m.extraArgs = Client._argsToBytes(Client.EVMExtraArgsV2({gasLimit: 0, allowOutOfOrderExecution: true}));
    vm.recordLogs();
    _forward(m);
    (Internal.EVM2EVMMessage memory sent,,) = _lastSend();
    assertEq(sent.gasLimit, 0);
    assertEq(sent.nonce, 0);
    assertEq(sent.sequenceNumber, 1);
    assertEq(onRamp.getSenderNonce(USER), 0);
  }

  function test_EnforceOutOfOrderDefaultsToOutOfOrder() public {
    OnRamp.DynamicConfig memory c = _dynamicConfig();
    c.enforceOutOfOrder = true;
    vm.prank(OWNER);
    onRamp.setDynamicConfig(c);
    vm.recordLogs();
    _forward(_message("", address(link)));
    (Internal.EVM2EVMMessage memory sent,,) = _lastSend();
    assertEq(sent.nonce, 0);
    assertEq(sent.gasLimit, 200_000);
  }

  function test_ForwardWithTokens() public {
    _setTokenConfig(_tokenConfig(0, 0, 0));
    Client.EVM2AnyMessage memory m = _tokenMessage(7e18, address(link));
    m.tokenAmounts = new Client.EVMTokenAmount[](2);
    m.tokenAmounts[0] = Client.EVMTokenAmount({token: address(token), amount: 7e18});
    // A second token without transfer fee config gets the lane's default destination gas.
    RouterMockPool pool2 = new RouterMockPool(address(link), address(0xD1D1));
    registry.setPool(address(link), address(pool2));
    m.tokenAmounts[1] = Client.EVMTokenAmount({token: address(link), amount: 3});
    token.mint(address(pool), 7e18);
    link.mint(address(pool2), 3);

    vm.recordLogs();
    _forward(m);
    (Internal.EVM2EVMMessage memory sent,,) = _lastSend();
    assertEq(sent.tokenAmounts.length, 2);
    assertEq(sent.tokenAmounts[0].sourcePoolAddress, address(pool));
    assertEq(sent.tokenAmounts[0].destTokenAddress, address(0xD0D0));
    assertEq(sent.tokenAmounts[0].amount, 7e18);
    assertEq(sent.tokenAmounts[0].destGasAmount, 120_000);
    assertEq(sent.tokenAmounts[0].extraData, abi.encode(uint256(18)));
    assertEq(sent.tokenAmounts[1].sourcePoolAddress, address(pool2));
    assertEq(sent.tokenAmounts[1].destGasAmount, _dynamicConfig().defaultTokenDestGasOverhead);
    assertEq(sent.messageId, Internal._hash(sent, onRamp.getMetadataHash()));

    RouterMockPool.LockOrBurnIn memory lin = pool.lastLockOrBurnIn();
    assertEq(lin.receiver, abi.encode(RECEIVER));
    assertEq(lin.remoteChainSelector, DEST);
    assertEq(lin.originalSender, USER);
    assertEq(lin.amount, 7e18);
    assertEq(lin.localToken, address(token));
  }

  // ---------------------------------------------------------------- fees

  function test_GetFeeMatchesFormula() public view {
    bytes memory data = new bytes(1000);
    Client.EVM2AnyMessage memory m = _message(data, address(link));
    m.extraArgs = Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 1_000_000}));
    assertEq(onRamp.getFee(DEST, m), _expectedFee(_dynamicConfig(), 1_000_000, 1000, 0, GAS_PRICE, LINK_PRICE, 9e17));
  }

  function test_GetFeeWithDataAvailability() public {
    OnRamp.DynamicConfig memory c = _dynamicConfig();
    c.destGasPerDataAvailabilityByte = 16;
    vm.prank(OWNER);
    onRamp.setDynamicConfig(c);
    Client.EVM2AnyMessage memory m = _tokenMessage(1e18, address(weth));
    assertEq(onRamp.getFee(DEST, m), _expectedFee(c, 200_000, 2, 1, GAS_PRICE, WETH_PRICE, 1e18));
  }

  function test_GetFeeTokenBpsClamped() public {
    // $1 token, 10 deciBps = 0.01%: 1e6 tokens -> $100, between $1 and $1000.
    _setTokenConfig(_tokenConfig(100, 100_000, 10));
    OnRamp.DynamicConfig memory c = _dynamicConfig();
    uint256 base = _expectedFee(c, 200_000, 2, 0, GAS_PRICE, LINK_PRICE, 9e17);
    uint256 tokenGasUSD = (120_000) * uint256(GAS_PRICE);
    uint256 mid = onRamp.getFee(DEST, _tokenMessage(1e6 * 1e18, address(link)));
    assertEq(mid, base + (tokenGasUSD + 100e18) * 9e17 / LINK_PRICE);
    // 1 token -> $0.0001: clamped up to $1 minimum.
    uint256 low = onRamp.getFee(DEST, _tokenMessage(1e18, address(link)));
    assertEq(low, base + (tokenGasUSD + 1e18) * 9e17 / LINK_PRICE);
    // 1e12 tokens -> $1e8: clamped down to $1000.
    uint256 high = onRamp.getFee(DEST, _tokenMessage(1e12 * 1e18, address(link)));
    assertEq(high, base + (tokenGasUSD + 1000e18) * 9e17 / LINK_PRICE);
    // Amounts whose USD value overflows clamp to the maximum too.
    uint256 huge = onRamp.getFee(DEST, _tokenMessage(type(uint256).max, address(link)));
    assertEq(huge, high);
  }

  function test_GetFeeTokenIsFeeTokenNeedsNoOwnPrice() public {
    // Remove the token's price: when the token is also the fee token, the fee token price is used.
    RouterMockPool linkPool = new RouterMockPool(address(link), address(0xD1D1));
    registry.setPool(address(link), address(linkPool));
    OnRamp.TokenTransferFeeConfigArgs[] memory a = new OnRamp.TokenTransferFeeConfigArgs[](1);
    a[0] = OnRamp.TokenTransferFeeConfigArgs({token: address(link), config: _tokenConfig(0, 100_000, 1000)});
    vm.prank(OWNER);
    onRamp.applyTokenTransferFeeConfigUpdates(a, new address[](0));
    Client.EVM2AnyMessage memory m = _tokenMessage(100e18, address(link));
    m.tokenAmounts[0].token = address(link);
    uint256 base = _expectedFee(_dynamicConfig(), 200_000, 2, 0, GAS_PRICE, LINK_PRICE, 9e17);
    // 100 LINK = $1500, 1% = $15.
    assertEq(onRamp.getFee(DEST, m), base + (120_000 * uint256(GAS_PRICE) + 15e18) * 9e17 / LINK_PRICE);
  }

  function test_RevertWhen_TokenPriceMissingForBpsFee() public {
    _setTokenConfig(_tokenConfig(0, 100, 10));
    vm.warp(block.timestamp + STALENESS + 1);
    // Refresh only the fee token and gas prices; the transferred token's price is stale.
    Internal.PriceUpdates memory u;
    u.tokenPriceUpdates = new Internal.TokenPriceUpdate[](1);
    u.tokenPriceUpdates[0] = Internal.TokenPriceUpdate({sourceToken: address(link), usdPerToken: LINK_PRICE});
    u.gasPriceUpdates = new Internal.GasPriceUpdate[](1);
    u.gasPriceUpdates[0] = Internal.GasPriceUpdate({destChainSelector: DEST, usdPerUnitGas: GAS_PRICE});
    vm.prank(OWNER);
    priceRegistry.updatePrices(u);
    vm.expectRevert(
      abi.encodeWithSelector(PriceRegistry.StaleTokenPrice.selector, address(token), STALENESS, STALENESS + 1)
    );
    onRamp.getFee(DEST, _tokenMessage(1e18, address(link)));
  }

  function test_RevertWhen_StaleGasPriceBubbles() public {
    vm.warp(block.timestamp + STALENESS + 1);
    vm.expectRevert(abi.encodeWithSelector(PriceRegistry.StaleGasPrice.selector, DEST, STALENESS, STALENESS + 1));
    onRamp.getFee(DEST, _message("", address(link)));
  }

  // ---------------------------------------------------------------- forwardFromRouter: reverts

  function test_RevertWhen_NotRouter() public {
    vm.expectRevert(OnRamp.MustBeCalledByRouter.selector);
    onRamp.forwardFromRouter(DEST, _message("", address(link)), address(link), MAX, USER);
  }

  function test_RevertWhen_NoOriginalSender() public {
    Client.EVM2AnyMessage memory m = _message("", address(link));
    vm.prank(address(router));
    vm.expectRevert(OnRamp.RouterMustSetOriginalSender.selector);
    onRamp.forwardFromRouter(DEST, m, address(link), MAX, address(0));
  }

  function test_RevertWhen_WrongDest() public {
    Client.EVM2AnyMessage memory m = _message("", address(link));
    vm.prank(address(router));
    vm.expectRevert(abi.encodeWithSelector(OnRamp.InvalidDestChainSelector.selector, SOURCE));
    onRamp.forwardFromRouter(SOURCE, m, address(link), MAX, USER);
    vm.expectRevert(abi.encodeWithSelector(OnRamp.InvalidDestChainSelector.selector, SOURCE));
    onRamp.getFee(SOURCE, m);
  }

  function test_RevertWhen_Cursed() public {
    Client.EVM2AnyMessage memory m = _message("", address(link));
    uint256 quote = onRamp.getFee(DEST, m);
    arm.setCursed(bytes16(uint128(DEST)), true);
    _expectRevertForward(m, abi.encodeWithSelector(OnRamp.CursedByARM.selector));
    // Quotes do not consult the ARM (as in CCIP 1.5): only the send is refused.
    assertEq(onRamp.getFee(DEST, m), quote);
    arm.setCursed(bytes16(uint128(DEST)), false);
    arm.setGlobalCurse(true);
    _expectRevertForward(m, abi.encodeWithSelector(OnRamp.CursedByARM.selector));
    assertEq(onRamp.getFee(DEST, m), quote);
  }

  function test_RevertWhen_InvalidReceiver() public {
    Client.EVM2AnyMessage memory m = _message("", address(link));
    m.receiver = abi.encodePacked(RECEIVER); // 20 bytes
    _expectRevertForward(m, abi.encodeWithSelector(OnRamp.InvalidEVMAddress.selector, m.receiver));
    m.receiver = abi.encodePacked(abi.encode(RECEIVER), uint8(0)); // 33 bytes
    _expectRevertForward(m, abi.encodeWithSelector(OnRamp.InvalidEVMAddress.selector, m.receiver));
    m.receiver = abi.encode(uint256(type(uint160).max) + 1); // upper bytes set
    _expectRevertForward(m, abi.encodeWithSelector(OnRamp.InvalidEVMAddress.selector, m.receiver));
  }

  function test_RevertWhen_MessageTooLarge() public {
    Client.EVM2AnyMessage memory m = _message(new bytes(30_001), address(link));
    _expectRevertForward(m, abi.encodeWithSelector(OnRamp.MessageTooLarge.selector, 30_000, 30_001));
  }

  function test_RevertWhen_GasLimitTooHigh() public {
    Client.EVM2AnyMessage memory m = _message("", address(link));
    m.extraArgs = Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 3_000_001}));
    _expectRevertForward(m, abi.encodeWithSelector(OnRamp.MessageGasLimitTooHigh.selector, 3_000_000, 3_000_001));
  }

  function test_RevertWhen_InvalidExtraArgsTag() public {
    Client.EVM2AnyMessage memory m = _message("", address(link));
    m.extraArgs = hex"97a657";
    _expectRevertForward(m, abi.encodeWithSelector(OnRamp.InvalidExtraArgsTag.selector));
    m.extraArgs = abi.encodeWithSelector(bytes4(0xdeadbeef), uint256(1));
    _expectRevertForward(m, abi.encodeWithSelector(OnRamp.InvalidExtraArgsTag.selector));
  }

  function test_RevertWhen_MalformedExtraArgs() public {
    Client.EVM2AnyMessage memory m = _message("", address(link));
    m.extraArgs = abi.encodePacked(Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 1})), uint8(0));
    _expectRevertForward(
      m, abi.encodeWithSelector(OnRamp.MalformedExtraArgs.selector, Client.EVM_EXTRA_ARGS_V1_TAG, 37)
    );
    m.extraArgs = abi.encodeWithSelector(Client.EVM_EXTRA_ARGS_V2_TAG, uint256(1));
    _expectRevertForward(
      m, abi.encodeWithSelector(OnRamp.MalformedExtraArgs.selector, Client.EVM_EXTRA_ARGS_V2_TAG, 36)
    );
    m.extraArgs = abi.encodeWithSelector(Client.EVM_EXTRA_ARGS_V2_TAG, uint256(1), uint256(2)); // bad bool
    _expectRevertForward(
      m, abi.encodeWithSelector(OnRamp.MalformedExtraArgs.selector, Client.EVM_EXTRA_ARGS_V2_TAG, 68)
    );
  }

  function test_RevertWhen_EnforceOutOfOrder() public {
    OnRamp.DynamicConfig memory c = _dynamicConfig();
    c.enforceOutOfOrder = true;
    vm.prank(OWNER);
    onRamp.setDynamicConfig(c);
    Client.EVM2AnyMessage memory m = _message("", address(link));
    m.extraArgs = Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 1}));
    _expectRevertForward(m, abi.encodeWithSelector(OnRamp.ExtraArgOutOfOrderExecutionMustBeTrue.selector));
    m.extraArgs = Client._argsToBytes(Client.EVMExtraArgsV2({gasLimit: 1, allowOutOfOrderExecution: false}));
    _expectRevertForward(m, abi.encodeWithSelector(OnRamp.ExtraArgOutOfOrderExecutionMustBeTrue.selector));
    m.extraArgs = Client._argsToBytes(Client.EVMExtraArgsV2({gasLimit: 1, allowOutOfOrderExecution: true}));
    _forward(m);
  }

  function test_RevertWhen_NotAFeeToken() public {
    Client.EVM2AnyMessage memory m = _message("", address(token));
    vm.prank(address(router));
    vm.expectRevert(abi.encodeWithSelector(OnRamp.NotAFeeToken.selector, address(token)));
    onRamp.forwardFromRouter(DEST, m, address(token), MAX, USER);
    vm.expectRevert(abi.encodeWithSelector(OnRamp.NotAFeeToken.selector, address(0)));
    onRamp.getFee(DEST, _message("", address(0)));
  }

  function test_RevertWhen_InsufficientFee() public {
    Client.EVM2AnyMessage memory m = _message("", address(link));
    uint256 fee = onRamp.getFee(DEST, m);
    vm.prank(address(router));
    vm.expectRevert(OnRamp.InsufficientFeeTokenAmount.selector);
    onRamp.forwardFromRouter(DEST, m, address(link), fee - 1, USER);
  }

  function test_RevertWhen_TooManyTokens() public {
    Client.EVM2AnyMessage memory m = _message("", address(link));
    m.tokenAmounts = new Client.EVMTokenAmount[](6);
    _expectRevertForward(m, abi.encodeWithSelector(OnRamp.UnsupportedNumberOfTokens.selector, 5, 6));
  }

  function test_RevertWhen_ZeroTokenAmount() public {
    _expectRevertForward(_tokenMessage(0, address(link)), abi.encodeWithSelector(OnRamp.CannotSendZeroTokens.selector));
  }

  function test_RevertWhen_UnsupportedToken() public {
    Client.EVM2AnyMessage memory m = _tokenMessage(1, address(link));
    m.tokenAmounts[0].token = address(0x7777);
    _expectRevertForward(m, abi.encodeWithSelector(OnRamp.UnsupportedToken.selector, address(0x7777)));
  }

  function test_RevertWhen_SourceTokenDataTooLarge() public {
    token.mint(address(pool), 1);
    pool.setDestPoolData(new bytes(33));
    _expectRevertForward(
      _tokenMessage(1, address(link)), abi.encodeWithSelector(OnRamp.SourceTokenDataTooLarge.selector, address(token))
    );
    // A config with a larger bytes overhead allows (and prices) more.
    _setTokenConfig(_tokenConfig(0, 0, 0));
    pool.setDestPoolData(new bytes(64));
    _forward(_tokenMessage(1, address(link)));
    pool.setDestPoolData(new bytes(65));
    _expectRevertForward(
      _tokenMessage(1, address(link)), abi.encodeWithSelector(OnRamp.SourceTokenDataTooLarge.selector, address(token))
    );
  }

  // ---------------------------------------------------------------- helpers

  function _lastSend() internal returns (Internal.EVM2EVMMessage memory m, address feeToken, uint256 paid) {
    Vm.Log[] memory logs = vm.getRecordedLogs();
    for (uint256 i = logs.length; i > 0; --i) {
      if (logs[i - 1].topics[0] == OnRamp.CCIPSendRequested.selector) {
        (m, feeToken, paid) = abi.decode(logs[i - 1].data, (Internal.EVM2EVMMessage, address, uint256));
        assertEq(uint256(logs[i - 1].topics[1]), m.sequenceNumber); // the indexed topic
        return (m, feeToken, paid);
      }
    }
    revert("no CCIPSendRequested");
  }
}
