// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PriceRegistry} from "../../contracts/PriceRegistry.sol";
import {Router} from "../../contracts/Router.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {LaneProfile} from "../../contracts/libraries/LaneProfile.sol";
import {RateLimiter} from "../../contracts/libraries/RateLimiter.sol";
import {OffRamp} from "../../contracts/offRamp/OffRamp.sol";
import {OnRamp} from "../../contracts/onRamp/OnRamp.sol";
import {BurnMintTokenPool} from "../../contracts/pools/BurnMintTokenPool.sol";
import {LockReleaseTokenPool} from "../../contracts/pools/LockReleaseTokenPool.sol";
import {TokenPool} from "../../contracts/pools/TokenPool.sol";
import {TokenAdminRegistry} from "../../contracts/tokenAdminRegistry/TokenAdminRegistry.sol";
import {BurnMintTestToken} from "../../contracts/tokens/BurnMintTestToken.sol";
import {FaucetToken} from "../../contracts/tokens/FaucetToken.sol";
import {WrappedNative} from "../../contracts/tokens/WrappedNative.sol";
import {MockARM} from "../helpers/MockARM.sol";
import {OffRampMockCommitStore} from "../helpers/OffRampMocks.sol";
import {TokenLaneVault, TokenLaneVaultReceiver} from "../helpers/TokenLaneMocks.sol";
import {Test} from "forge-std/Test.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice The real Router, OnRamp, OffRamp, pools, TokenAdminRegistry and PriceRegistry of two chains
/// (SOURCE -> DEST) on one EVM, configured with LaneProfile's parameters; only the commit store and the ARM
/// are mocks.
contract TokenLaneTest is Test {
  uint64 internal constant SOURCE = 16015286601757825753;
  uint64 internal constant DEST = 14767482510784806043;
  uint256 internal constant LIQUIDITY = LaneProfile.POOL_LIQUIDITY;
  /// @dev BnM's price on both chains: unlike LnM's $1, so the aggregate limit's figures tell the tokens apart.
  uint224 internal constant BNM_PRICE = 2e18;
  uint256 internal constant USER_FUNDS = 100e18;

  address internal user = makeAddr("user");
  address internal eoaReceiver = makeAddr("eoaReceiver");
  address internal beneficiary = makeAddr("beneficiary");
  address internal transmitter = makeAddr("transmitter");

  MockARM internal arm;
  OffRampMockCommitStore internal commitStore;

  // Source chain.
  WrappedNative internal srcWeth;
  FaucetToken internal srcLink;
  PriceRegistry internal srcPrices;
  TokenAdminRegistry internal srcRegistry;
  Router internal srcRouter;
  OnRamp internal onRamp;
  FaucetToken internal srcLockToken;
  LockReleaseTokenPool internal srcLockPool;
  BurnMintTestToken internal srcBnM;
  BurnMintTokenPool internal srcBnMPool;

  // Destination chain.
  PriceRegistry internal dstPrices;
  TokenAdminRegistry internal dstRegistry;
  Router internal dstRouter;
  OffRamp internal offRamp;
  FaucetToken internal dstLockToken;
  LockReleaseTokenPool internal dstLockPool;
  BurnMintTestToken internal dstBnM;
  BurnMintTokenPool internal dstBnMPool;
  TokenLaneVault internal vault;
  TokenLaneVaultReceiver internal vaultReceiver;

  function setUp() public {
    vm.warp(1_700_000_000);
    arm = new MockARM();
    commitStore = new OffRampMockCommitStore();
    _deploySource();
    _deployDest();
    _wirePools();

    // Both ramps run the aggregate USD limit ($1000 burst, $1/s), off in the profile: the lane's real paths
    // include it.
    RateLimiter.Config memory limit = LaneProfile.rampRateLimiterConfig();
    limit.isEnabled = true;
    limit.capacity = 1_000e18;
    limit.rate = 1e18;
    onRamp.setRateLimiterConfig(limit);
    offRamp.setRateLimiterConfig(limit);

    srcLockToken.mint(user, USER_FUNDS);
    srcBnM.grantMintAndBurnRoles(address(this)); // the test plays the token's faucet
    srcBnM.mint(user, USER_FUNDS);
    vm.deal(user, 10 ether);
    // The sender approves only the Router.
    vm.startPrank(user);
    srcLockToken.approve(address(srcRouter), type(uint256).max);
    srcBnM.approve(address(srcRouter), type(uint256).max);
    vm.stopPrank();
  }

  function _deploySource() internal {
    srcWeth = new WrappedNative();
    srcLink = new FaucetToken("ChainLink Token", "LINK", 18, 1e18);
    srcPrices = new PriceRegistry(
      new address[](0), LaneProfile.feeTokens(address(srcWeth), address(srcLink)), LaneProfile.PRICE_STALENESS
    );
    srcRegistry = new TokenAdminRegistry();
    srcRouter = new Router(address(srcWeth), address(arm));
    onRamp = new OnRamp(
      OnRamp.StaticConfig({
        sourceChainSelector: SOURCE,
        destChainSelector: DEST,
        router: address(srcRouter),
        priceRegistry: address(srcPrices),
        arm: address(arm),
        tokenAdminRegistry: address(srcRegistry)
      }),
      LaneProfile.onRampDynamicConfig(),
      LaneProfile.feeTokenConfigs(address(srcWeth), address(srcLink))
    );
    Router.OnRamp[] memory onRamps = new Router.OnRamp[](1);
    onRamps[0] = Router.OnRamp({destChainSelector: DEST, onRamp: address(onRamp)});
    srcRouter.applyRampUpdates(onRamps, new Router.OffRamp[](0), new Router.OffRamp[](0));

    srcLockToken = new FaucetToken("Lock", "LCK", 18, 1e18);
    srcLockPool = new LockReleaseTokenPool(srcLockToken, 18, new address[](0), address(arm), address(srcRouter));
    _register(srcRegistry, address(srcLockToken), address(srcLockPool));
    srcBnM = new BurnMintTestToken("BnM", "BNM", 18);
    srcBnMPool = new BurnMintTokenPool(srcBnM, 18, new address[](0), address(arm), address(srcRouter));
    srcBnM.grantMintAndBurnRoles(address(srcBnMPool));
    _register(srcRegistry, address(srcBnM), address(srcBnMPool));

    address[] memory testTokens = new address[](2);
    testTokens[0] = address(srcLockToken);
    testTokens[1] = address(srcBnM);
    uint64[] memory destChains = new uint64[](1);
    destChains[0] = DEST;
    Internal.PriceUpdates memory u =
      LaneProfile.initialPrices(address(srcWeth), address(srcLink), testTokens, destChains);
    assertEq(u.tokenPriceUpdates[3].sourceToken, address(srcBnM));
    u.tokenPriceUpdates[3].usdPerToken = BNM_PRICE;
    srcPrices.updatePrices(u);
  }

  function _deployDest() internal {
    // No fee tokens: nothing is sent from DEST in these tests.
    dstPrices = new PriceRegistry(new address[](0), new address[](0), LaneProfile.PRICE_STALENESS);
    dstRegistry = new TokenAdminRegistry();
    dstRouter = new Router(address(new WrappedNative()), address(arm));
    offRamp = new OffRamp(
      OffRamp.StaticConfig({
        commitStore: address(commitStore),
        chainSelector: DEST,
        sourceChainSelector: SOURCE,
        onRamp: address(onRamp),
        arm: address(arm),
        tokenAdminRegistry: address(dstRegistry)
      }),
      LaneProfile.offRampDynamicConfig(address(dstRouter), address(dstPrices))
    );
    Router.OffRamp[] memory offRamps = new Router.OffRamp[](1);
    offRamps[0] = Router.OffRamp({sourceChainSelector: SOURCE, offRamp: address(offRamp)});
    dstRouter.applyRampUpdates(new Router.OnRamp[](0), new Router.OffRamp[](0), offRamps);
    address[] memory transmitters = new address[](1);
    transmitters[0] = transmitter;
    offRamp.applyTransmitterUpdates(new address[](0), transmitters);

    dstLockToken = new FaucetToken("Lock", "LCK", 18, 1e18);
    dstLockPool = new LockReleaseTokenPool(dstLockToken, 18, new address[](0), address(arm), address(dstRouter));
    _register(dstRegistry, address(dstLockToken), address(dstLockPool));
    dstLockPool.setRebalancer(address(this));
    dstLockToken.mint(address(this), LIQUIDITY);
    dstLockToken.approve(address(dstLockPool), LIQUIDITY);
    dstLockPool.provideLiquidity(LIQUIDITY);
    dstBnM = new BurnMintTestToken("BnM", "BNM", 18);
    dstBnMPool = new BurnMintTokenPool(dstBnM, 18, new address[](0), address(arm), address(dstRouter));
    dstBnM.grantMintAndBurnRoles(address(dstBnMPool));
    _register(dstRegistry, address(dstBnM), address(dstBnMPool));

    Internal.PriceUpdates memory u;
    u.tokenPriceUpdates = new Internal.TokenPriceUpdate[](2);
    u.tokenPriceUpdates[0] =
      Internal.TokenPriceUpdate({sourceToken: address(dstLockToken), usdPerToken: LaneProfile.TEST_TOKEN_PRICE});
    u.tokenPriceUpdates[1] = Internal.TokenPriceUpdate({sourceToken: address(dstBnM), usdPerToken: BNM_PRICE});
    dstPrices.updatePrices(u);

    vault = new TokenLaneVault();
    vaultReceiver = new TokenLaneVaultReceiver(address(dstRouter), vault);
  }

  /// @dev The token's owner (this test) registers as its administrator and sets its pool.
  function _register(TokenAdminRegistry registry, address token, address pool) internal {
    registry.registerAdminViaOwner(token);
    registry.acceptAdminRole(token);
    registry.setPool(token, pool);
  }

  function _wirePools() internal {
    _link(srcLockPool, DEST, address(dstLockPool), address(dstLockToken));
    _link(dstLockPool, SOURCE, address(srcLockPool), address(srcLockToken));
    _link(srcBnMPool, DEST, address(dstBnMPool), address(dstBnM));
    _link(dstBnMPool, SOURCE, address(srcBnMPool), address(srcBnM));
  }

  function _link(TokenPool pool, uint64 remoteChain, address remotePool, address remoteToken) internal {
    TokenPool.ChainUpdate[] memory updates = new TokenPool.ChainUpdate[](1);
    updates[0] = TokenPool.ChainUpdate({
      remoteChainSelector: remoteChain,
      allowed: true,
      remotePoolAddress: remotePool,
      remoteTokenAddress: remoteToken,
      outboundRateLimiterConfig: LaneProfile.poolRateLimiterConfig(),
      inboundRateLimiterConfig: LaneProfile.poolRateLimiterConfig()
    });
    pool.applyChainUpdates(updates);
  }

  // ---------------------------------------------------------------- lane helpers

  function _tokenAmounts(address token, uint256 amount) internal pure returns (Client.EVMTokenAmount[] memory t) {
    t = new Client.EVMTokenAmount[](1);
    t[0] = Client.EVMTokenAmount({token: token, amount: amount});
  }

  /// @dev ccipSend from `user` paying the quoted fee in native; returns the message the OnRamp emitted.
  function _send(address receiver, bytes memory data, Client.EVMTokenAmount[] memory tokenAmounts, uint256 gasLimit)
    internal
    returns (Internal.EVM2EVMMessage memory sent)
  {
    Client.EVM2AnyMessage memory m = Client.EVM2AnyMessage({
      receiver: abi.encode(receiver),
      data: data,
      tokenAmounts: tokenAmounts,
      feeToken: address(0),
      extraArgs: Client._argsToBytes(Client.EVMExtraArgsV2({gasLimit: gasLimit, allowOutOfOrderExecution: false}))
    });
    uint256 fee = srcRouter.getFee(DEST, m);
    vm.recordLogs();
    vm.prank(user);
    bytes32 messageId = srcRouter.ccipSend{value: fee}(DEST, m);
    Vm.Log[] memory logs = vm.getRecordedLogs();
    bool found;
    for (uint256 i = 0; i < logs.length; ++i) {
      if (logs[i].emitter == address(onRamp) && logs[i].topics[0] == OnRamp.CCIPSendRequested.selector) {
        (sent,,) = abi.decode(logs[i].data, (Internal.EVM2EVMMessage, address, uint256));
        found = true;
      }
    }
    assertTrue(found, "no CCIPSendRequested");
    assertEq(sent.messageId, messageId);
  }

  /// @dev A one-message report proven against a root that is the message's own leaf.
  function _commitAndReport(Internal.EVM2EVMMessage memory m) internal returns (Internal.ExecutionReport memory r) {
    commitStore.setRoot(m.messageId, block.timestamp, true);
    r.messages = new Internal.EVM2EVMMessage[](1);
    r.messages[0] = m;
    r.offchainTokenData = new bytes[][](1);
    r.offchainTokenData[0] = new bytes[](m.tokenAmounts.length);
    r.proofs = new bytes32[](0);
  }

  function _execute(Internal.ExecutionReport memory r) internal {
    vm.prank(transmitter);
    offRamp.execute(r);
  }

  function _state(uint64 seqNum) internal view returns (Internal.MessageExecutionState) {
    return offRamp.getExecutionState(seqNum);
  }

  // ---------------------------------------------------------------- tests

  function test_LockRelease() public {
    Internal.EVM2EVMMessage memory m = _send(eoaReceiver, "", _tokenAmounts(address(srcLockToken), 10e18), 0);
    assertEq(srcLockToken.balanceOf(user), USER_FUNDS - 10e18);
    assertEq(srcLockToken.balanceOf(address(srcLockPool)), 10e18); // locked
    assertEq(srcLockPool.getLockedTotal(), 10e18);
    assertEq(srcLockToken.balanceOf(address(srcRouter)), 0);
    assertEq(m.tokenAmounts[0].sourcePoolAddress, address(srcLockPool));
    assertEq(m.tokenAmounts[0].destTokenAddress, address(dstLockToken));
    assertEq(onRamp.currentRateLimiterState().tokens, 990e18); // $10 at $1

    _execute(_commitAndReport(m));
    assertEq(uint256(_state(m.sequenceNumber)), uint256(Internal.MessageExecutionState.SUCCESS));
    assertEq(dstLockToken.balanceOf(eoaReceiver), 10e18); // released
    assertEq(dstLockToken.balanceOf(address(dstLockPool)), LIQUIDITY - 10e18);
    assertEq(dstLockPool.getReleasedTotal(), 10e18);
    assertEq(offRamp.currentRateLimiterState().tokens, 990e18);
  }

  function test_BurnMint() public {
    uint256 srcSupply = srcBnM.totalSupply();
    Internal.EVM2EVMMessage memory m = _send(eoaReceiver, "", _tokenAmounts(address(srcBnM), 7e18), 0);
    assertEq(srcBnM.balanceOf(user), USER_FUNDS - 7e18);
    assertEq(srcBnM.balanceOf(address(srcBnMPool)), 0); // burned, not held
    assertEq(srcBnM.totalSupply(), srcSupply - 7e18);
    assertEq(onRamp.currentRateLimiterState().tokens, 986e18); // $14 at $2

    _execute(_commitAndReport(m));
    assertEq(uint256(_state(m.sequenceNumber)), uint256(Internal.MessageExecutionState.SUCCESS));
    assertEq(dstBnM.balanceOf(eoaReceiver), 7e18); // minted
    assertEq(dstBnM.totalSupply(), 7e18);
  }

  function test_ProgrammableTransferIntoVault() public {
    Internal.EVM2EVMMessage memory m =
      _send(address(vaultReceiver), abi.encode(beneficiary), _tokenAmounts(address(srcBnM), 5e18), 300_000);
    _execute(_commitAndReport(m));
    assertEq(uint256(_state(m.sequenceNumber)), uint256(Internal.MessageExecutionState.SUCCESS));
    assertEq(vaultReceiver.s_received(), 1);
    assertEq(dstBnM.balanceOf(address(vault)), 5e18);
    assertEq(dstBnM.balanceOf(address(vaultReceiver)), 0);
    assertEq(vault.s_deposits(address(dstBnM), beneficiary), 5e18);
  }

  function test_ReceiverFailureMovesNothingThenManualDeliversBoth() public {
    Client.EVMTokenAmount[] memory tokenAmounts = new Client.EVMTokenAmount[](2);
    tokenAmounts[0] = Client.EVMTokenAmount({token: address(srcLockToken), amount: 3e18});
    tokenAmounts[1] = Client.EVMTokenAmount({token: address(srcBnM), amount: 4e18});
    Internal.EVM2EVMMessage memory m = _send(address(vaultReceiver), abi.encode(beneficiary), tokenAmounts, 400_000);
    assertEq(srcLockToken.balanceOf(address(srcLockPool)), 3e18);
    assertEq(srcBnM.totalSupply(), USER_FUNDS - 4e18);

    vaultReceiver.setReject(true);
    Internal.ExecutionReport memory report = _commitAndReport(m);
    bytes memory err = abi.encodeWithSelector(
      OffRamp.ReceiverError.selector, abi.encodeWithSelector(TokenLaneVaultReceiver.Rejected.selector)
    );
    vm.expectEmit(address(offRamp));
    emit OffRamp.ExecutionStateChanged(m.sequenceNumber, m.messageId, Internal.MessageExecutionState.FAILURE, err);
    _execute(report);
    assertEq(uint256(_state(m.sequenceNumber)), uint256(Internal.MessageExecutionState.FAILURE));
    // Nothing moved on the destination: the release and the mint rolled back with the receiver.
    assertEq(dstLockToken.balanceOf(address(dstLockPool)), LIQUIDITY);
    assertEq(dstLockToken.balanceOf(address(vault)), 0);
    assertEq(dstLockToken.balanceOf(address(vaultReceiver)), 0);
    assertEq(dstBnM.totalSupply(), 0);
    assertEq(offRamp.currentRateLimiterState().tokens, 1_000e18);

    vaultReceiver.setReject(false);
    vm.expectEmit(address(offRamp));
    emit OffRamp.ExecutionStateChanged(m.sequenceNumber, m.messageId, Internal.MessageExecutionState.SUCCESS, "");
    vm.prank(beneficiary); // anyone may retry a failure
    offRamp.manuallyExecute(report, new uint256[](1));
    assertEq(uint256(_state(m.sequenceNumber)), uint256(Internal.MessageExecutionState.SUCCESS));
    assertEq(vaultReceiver.s_received(), 1);
    assertEq(vault.s_deposits(address(dstLockToken), beneficiary), 3e18);
    assertEq(vault.s_deposits(address(dstBnM), beneficiary), 4e18);
    assertEq(dstLockToken.balanceOf(address(vault)), 3e18);
    assertEq(dstBnM.balanceOf(address(vault)), 4e18);
    assertEq(dstLockToken.balanceOf(address(dstLockPool)), LIQUIDITY - 3e18);
    assertEq(offRamp.currentRateLimiterState().tokens, 1_000e18 - 11e18); // $3 + 4 * $2
  }
}
