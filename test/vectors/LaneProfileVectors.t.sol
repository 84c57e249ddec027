// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IRouterClient} from "../../contracts/interfaces/IRouterClient.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {LaneProfile} from "../../contracts/libraries/LaneProfile.sol";
import {RateLimiter} from "../../contracts/libraries/RateLimiter.sol";
import {OffRamp} from "../../contracts/offRamp/OffRamp.sol";
import {OnRamp} from "../../contracts/onRamp/OnRamp.sol";
import {CCIPLocalNetwork} from "../../contracts/testkit/CCIPLocalNetwork.sol";
import {LaneProfileQuotes} from "./LaneProfileQuotes.sol";
import {VectorFile} from "./VectorFile.sol";

/// @notice Generates test/vectors/lane_profile.json from LaneProfile: the lane parameters the Rust deployer
/// (`ccip up`, rust/crates/deploy/src/profile.rs) deploys with, and the fees the kit quotes for a few fixed
/// messages, which rust/crates/deploy/tests/fee_quotes.rs and the fork tests (test/forks) must quote too.
/// Fails when the committed file differs from what the library and the kit produce now. After an intended
/// change, regenerate with
///   VECTORS_WRITE=1 forge test --match-path test/vectors/LaneProfileVectors.t.sol
/// and commit the file with the change. Every uint is a decimal string (JSON numbers cannot hold them all).
contract LaneProfileVectorsTest is VectorFile {
  string internal constant PATH = "./test/vectors/lane_profile.json";
  string internal constant REGENERATE =
    "test/vectors/lane_profile.json is stale; regenerate: VECTORS_WRITE=1 forge test --match-path test/vectors/LaneProfileVectors.t.sol";

  /// @dev The chains the quotes are made on: `ccip up`'s first two (chain ids 1000 and 1001, FIRST_CHAIN_ID in
  /// rust/crates/deploy/src/chains.rs), with the selectors it derives from them.
  uint64 internal constant SOURCE_CHAIN_ID = 1000;
  uint64 internal constant DEST_CHAIN_ID = 1001;
  /// @dev Stand-ins for deployment addresses in the ABI encodings (the Rust test uses the same).
  address internal constant NATIVE = address(0x1001);
  address internal constant LINK = address(0x1002);
  address internal constant BNM = address(0x1003);
  address internal constant LNM = address(0x1004);
  address internal constant ROUTER = address(0x1005);
  address internal constant PRICE_REGISTRY = address(0x1006);
  uint64 internal constant REMOTE_A = 7;
  uint64 internal constant REMOTE_B = 8;

  /// @dev A fixed message, with its fee token and tokens named by role (resolved on each deployment).
  struct Quote {
    string name;
    Client.EVM2AnyMessage message;
    string feeToken; // "link" or "native"
    string[] tokens; // "bnm" or "lnm", one per message.tokenAmounts entry
  }

  uint256 internal s_objectCount;

  function test_LaneProfileVectors() public {
    string[] memory sections = new string[](3);
    sections[0] = ".profile";
    sections[1] = ".abiEncoded";
    sections[2] = ".feeQuotes";
    _writeOrCheck(_vectors(), PATH, sections, REGENERATE);
  }

  /// @notice The selector `ccip up` gives a chain id (ccip_deploy::chain_selector; the Rust test checks the
  /// file's selectors against it).
  function ccipUpChainSelector(uint64 chainId) public pure returns (uint64) {
    uint64 selector = uint64(bytes8(keccak256(abi.encodePacked("ccip-local/chain-selector", chainId))));
    return selector == 0 ? 1 : selector;
  }

  function _vectors() internal returns (string memory json) {
    string memory root = _newObject();
    vm.serializeString(root, "profile", _profile());
    vm.serializeString(root, "abiEncoded", _abiEncoded());
    json = vm.serializeString(root, "feeQuotes", _feeQuotes());
  }

  // ================================================================
  // │                          Profile                             │
  // ================================================================

  function _profile() internal returns (string memory) {
    string memory o = _newObject();
    vm.serializeString(o, "onRampDynamicConfig", _onRampDynamicConfig());
    vm.serializeString(o, "offRampDynamicConfig", _offRampDynamicConfig());
    vm.serializeString(o, "feeTokens", _feeTokens());
    vm.serializeString(o, "priceStalenessThreshold", vm.toString(uint256(LaneProfile.PRICE_STALENESS)));
    vm.serializeString(o, "initialPrices", _initialPrices());
    vm.serializeString(o, "poolRateLimiter", _rateLimiter(LaneProfile.poolRateLimiterConfig()));
    vm.serializeString(o, "rampRateLimiter", _rateLimiter(LaneProfile.rampRateLimiterConfig()));
    return vm.serializeString(o, "poolLiquidity", vm.toString(LaneProfile.POOL_LIQUIDITY));
  }

  function _onRampDynamicConfig() internal returns (string memory) {
    OnRamp.DynamicConfig memory c = LaneProfile.onRampDynamicConfig();
    string memory o = _newObject();
    vm.serializeString(o, "maxDataBytes", vm.toString(uint256(c.maxDataBytes)));
    vm.serializeString(o, "maxPerMsgGasLimit", vm.toString(uint256(c.maxPerMsgGasLimit)));
    vm.serializeString(o, "defaultTxGasLimit", vm.toString(uint256(c.defaultTxGasLimit)));
    vm.serializeString(o, "maxNumberOfTokensPerMsg", vm.toString(uint256(c.maxNumberOfTokensPerMsg)));
    vm.serializeString(o, "destGasOverhead", vm.toString(uint256(c.destGasOverhead)));
    vm.serializeString(o, "destGasPerPayloadByte", vm.toString(uint256(c.destGasPerPayloadByte)));
    vm.serializeString(o, "destGasPerDataAvailabilityByte", vm.toString(uint256(c.destGasPerDataAvailabilityByte)));
    vm.serializeString(o, "networkFeeUSDCents", vm.toString(uint256(c.networkFeeUSDCents)));
    vm.serializeString(o, "defaultTokenDestGasOverhead", vm.toString(uint256(c.defaultTokenDestGasOverhead)));
    return vm.serializeBool(o, "enforceOutOfOrder", c.enforceOutOfOrder);
  }

  /// @dev Without router and priceRegistry: those are each deployment's addresses.
  function _offRampDynamicConfig() internal returns (string memory) {
    OffRamp.DynamicConfig memory c = LaneProfile.offRampDynamicConfig(address(0), address(0));
    string memory o = _newObject();
    vm.serializeString(
      o, "permissionLessExecutionThresholdSeconds", vm.toString(uint256(c.permissionLessExecutionThresholdSeconds))
    );
    vm.serializeString(o, "maxDataBytes", vm.toString(uint256(c.maxDataBytes)));
    vm.serializeString(o, "maxNumberOfTokensPerMsg", vm.toString(uint256(c.maxNumberOfTokensPerMsg)));
    vm.serializeString(o, "gasForCallExactCheck", vm.toString(uint256(c.gasForCallExactCheck)));
    return vm.serializeString(o, "maxPoolReleaseOrMintGas", vm.toString(uint256(c.maxPoolReleaseOrMintGas)));
  }

  function _feeTokens() internal returns (string memory) {
    OnRamp.FeeTokenConfigArgs[] memory c = LaneProfile.feeTokenConfigs(NATIVE, LINK);
    assertEq(c.length, 2, "the file names two fee tokens");
    string memory o = _newObject();
    vm.serializeString(o, "wrappedNative", _feeToken(c[0]));
    return vm.serializeString(o, "link", _feeToken(c[1]));
  }

  function _feeToken(OnRamp.FeeTokenConfigArgs memory c) internal returns (string memory) {
    string memory o = _newObject();
    vm.serializeBool(o, "enabled", c.enabled);
    return vm.serializeString(o, "premiumMultiplierWeiPerEth", vm.toString(uint256(c.premiumMultiplierWeiPerEth)));
  }

  function _initialPrices() internal returns (string memory) {
    string memory o = _newObject();
    vm.serializeString(o, "wrappedNative", vm.toString(uint256(LaneProfile.NATIVE_PRICE)));
    vm.serializeString(o, "link", vm.toString(uint256(LaneProfile.LINK_PRICE)));
    vm.serializeString(o, "testToken", vm.toString(uint256(LaneProfile.TEST_TOKEN_PRICE)));
    return vm.serializeString(o, "usdPerUnitGas", vm.toString(uint256(LaneProfile.GAS_PRICE)));
  }

  function _rateLimiter(RateLimiter.Config memory c) internal returns (string memory) {
    string memory o = _newObject();
    vm.serializeBool(o, "isEnabled", c.isEnabled);
    vm.serializeString(o, "capacity", vm.toString(uint256(c.capacity)));
    return vm.serializeString(o, "rate", vm.toString(uint256(c.rate)));
  }

  // ================================================================
  // │              ABI encodings (what the contracts take)         │
  // ================================================================

  /// @dev The structs as the contracts receive them, over stand-in addresses and selectors (`standIns`): the
  /// Rust deployer's conversions must encode to exactly these bytes.
  function _abiEncoded() internal returns (string memory) {
    address[] memory testTokens = new address[](2);
    testTokens[0] = BNM;
    testTokens[1] = LNM;
    uint64[] memory destChains = new uint64[](2);
    destChains[0] = REMOTE_A;
    destChains[1] = REMOTE_B;
    string memory o = _newObject();
    vm.serializeBytes(o, "onRampDynamicConfig", abi.encode(LaneProfile.onRampDynamicConfig()));
    vm.serializeBytes(o, "offRampDynamicConfig", abi.encode(LaneProfile.offRampDynamicConfig(ROUTER, PRICE_REGISTRY)));
    vm.serializeBytes(o, "feeTokenConfigs", abi.encode(LaneProfile.feeTokenConfigs(NATIVE, LINK)));
    vm.serializeBytes(o, "priceRegistryFeeTokens", abi.encode(LaneProfile.feeTokens(NATIVE, LINK)));
    vm.serializeBytes(o, "initialPrices", abi.encode(LaneProfile.initialPrices(NATIVE, LINK, testTokens, destChains)));
    vm.serializeBytes(o, "poolRateLimiter", abi.encode(LaneProfile.poolRateLimiterConfig()));
    vm.serializeBytes(o, "rampRateLimiter", abi.encode(LaneProfile.rampRateLimiterConfig()));
    return vm.serializeString(o, "standIns", _standIns());
  }

  function _standIns() internal returns (string memory) {
    string memory o = _newObject();
    vm.serializeAddress(o, "wrappedNative", NATIVE);
    vm.serializeAddress(o, "link", LINK);
    vm.serializeAddress(o, "bnm", BNM);
    vm.serializeAddress(o, "lnm", LNM);
    vm.serializeAddress(o, "router", ROUTER);
    vm.serializeAddress(o, "priceRegistry", PRICE_REGISTRY);
    vm.serializeString(o, "destChainSelectorA", vm.toString(uint256(REMOTE_A)));
    return vm.serializeString(o, "destChainSelectorB", vm.toString(uint256(REMOTE_B)));
  }

  // ================================================================
  // │                      Kit fee quotes                          │
  // ================================================================

  function _quotes() internal pure returns (Quote[] memory q) {
    q = new Quote[](3);
    bytes memory receiver = abi.encode(address(0x000000000000000000000000000000000000bEEF));

    q[0].name = "data_only_link_default_gas";
    q[0].message.receiver = receiver;
    q[0].message.data = bytes("hello, ccip-local");
    q[0].feeToken = "link";

    q[1].name = "bnm_and_data_native_v2";
    q[1].message.receiver = receiver;
    q[1].message.data = abi.encode(uint256(42), "transfer");
    q[1].message.extraArgs =
      Client._argsToBytes(Client.EVMExtraArgsV2({gasLimit: 300_000, allowOutOfOrderExecution: false}));
    q[1].feeToken = "native";
    q[1].tokens = new string[](1);
    q[1].tokens[0] = "bnm";
    q[1].message.tokenAmounts = new Client.EVMTokenAmount[](1);
    q[1].message.tokenAmounts[0].amount = 5e18;

    q[2].name = "bnm_and_lnm_link_v1";
    q[2].message.receiver = receiver;
    q[2].message.extraArgs = Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: 0}));
    q[2].feeToken = "link";
    q[2].tokens = new string[](2);
    q[2].tokens[0] = "bnm";
    q[2].tokens[1] = "lnm";
    q[2].message.tokenAmounts = new Client.EVMTokenAmount[](2);
    q[2].message.tokenAmounts[0].amount = 1e18;
    q[2].message.tokenAmounts[1].amount = 123_456_789;
  }

  /// @dev Quotes every message on a kit network of `ccip up`'s first two chains, from the first to the second.
  function _feeQuotes() internal returns (string memory) {
    uint64 source = ccipUpChainSelector(SOURCE_CHAIN_ID);
    uint64 dest = ccipUpChainSelector(DEST_CHAIN_ID);
    CCIPLocalNetwork kit = new CCIPLocalNetwork(0);
    kit.addChain(source);
    kit.addChain(dest);
    CCIPLocalNetwork.Chain memory a = kit.getChain(source);

    Quote[] memory quotes = _quotes();
    string[] memory out = new string[](quotes.length);
    for (uint256 i = 0; i < quotes.length; ++i) {
      Quote memory q = quotes[i];
      q.message.feeToken = LaneProfileQuotes.role(a, q.feeToken);
      string[] memory tokens = new string[](q.tokens.length);
      for (uint256 t = 0; t < q.tokens.length; ++t) {
        q.message.tokenAmounts[t].token = LaneProfileQuotes.role(a, q.tokens[t]);
        string memory to = _newObject();
        vm.serializeString(to, "token", q.tokens[t]);
        tokens[t] = vm.serializeString(to, "amount", vm.toString(q.message.tokenAmounts[t].amount));
      }
      uint256 fee = IRouterClient(a.router).getFee(dest, q.message);
      string memory o = _newObject();
      vm.serializeString(o, "name", q.name);
      vm.serializeBytes(o, "receiver", q.message.receiver);
      vm.serializeBytes(o, "data", q.message.data);
      vm.serializeString(o, "tokenAmounts", tokens);
      vm.serializeString(o, "feeToken", q.feeToken);
      vm.serializeBytes(o, "extraArgs", q.message.extraArgs);
      out[i] = vm.serializeString(o, "fee", vm.toString(fee));
    }
    string memory f = _newObject();
    vm.serializeString(f, "sourceChainId", vm.toString(uint256(SOURCE_CHAIN_ID)));
    vm.serializeString(f, "destChainId", vm.toString(uint256(DEST_CHAIN_ID)));
    vm.serializeString(f, "sourceChainSelector", vm.toString(uint256(source)));
    vm.serializeString(f, "destChainSelector", vm.toString(uint256(dest)));
    return vm.serializeString(f, "quotes", out);
  }

  function _newObject() internal returns (string memory) {
    return string.concat("lane_profile_obj", vm.toString(++s_objectCount));
  }
}
