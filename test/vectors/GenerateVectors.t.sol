// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {MerkleMultiProof} from "../../contracts/libraries/MerkleMultiProof.sol";
import {VectorFile} from "./VectorFile.sol";
import {VectorTree} from "./VectorTree.sol";

/// @notice Generates test/vectors/vectors.json, the hashes and encodings the Rust side
/// (rust/crates/protocol/tests/vectors.rs) must reproduce byte for byte, with the real libraries.
/// The test fails when the committed file differs from what the libraries produce now, so a change
/// to any hash or encoding is caught on both sides. After an intended change, regenerate with
///   VECTORS_WRITE=1 forge test --match-path test/vectors/GenerateVectors.t.sol
/// and commit the new file together with the matching Rust change.
/// Every uint is written as a decimal string (JSON numbers cannot hold a uint256); bytes as 0x-hex.
contract GenerateVectorsTest is VectorFile {
  string internal constant VECTORS_PATH = "./test/vectors/vectors.json";
  string internal constant REGENERATE =
    "test/vectors/vectors.json is stale; regenerate: VECTORS_WRITE=1 forge test --match-path test/vectors/GenerateVectors.t.sol";

  struct Lane {
    uint64 source;
    uint64 dest;
    address onRamp;
  }

  uint256 internal s_objectCount;

  function test_Vectors() public {
    string[] memory sections = new string[](8);
    sections[0] = ".constants";
    sections[1] = ".metadata";
    sections[2] = ".messages";
    sections[3] = ".trees";
    sections[4] = ".commitReports";
    sections[5] = ".executionReports";
    sections[6] = ".extraArgs";
    sections[7] = ".armSubjects";
    _writeOrCheck(_vectors(), VECTORS_PATH, sections, REGENERATE);
  }

  function _vectors() internal returns (string memory json) {
    string memory root = _newObject();
    vm.serializeString(root, "constants", _constants());
    vm.serializeString(root, "metadata", _metadataVectors());
    vm.serializeString(root, "messages", _messageVectors());
    vm.serializeString(root, "trees", _treeVectors());
    vm.serializeString(root, "commitReports", _commitReportVectors());
    vm.serializeString(root, "executionReports", _executionReportVectors());
    vm.serializeString(root, "extraArgs", _extraArgsVectors());
    json = vm.serializeString(root, "armSubjects", _armSubjectVectors());
  }

  // ================================================================
  // │                           Inputs                             │
  // ================================================================

  function _lanes() internal pure returns (Lane[3] memory) {
    return [
      Lane({source: 1, dest: 2, onRamp: address(0x00000000000000000000000000000000000000AA)}),
      Lane({
        source: 16015286601757825753,
        dest: 3478487238524512106,
        onRamp: address(0x7e2d1a5A0f6b8C3E4d9f1a2b3c4D5e6F708192a3)
      }),
      Lane({source: type(uint64).max, dest: type(uint64).max - 1, onRamp: address(type(uint160).max)})
    ];
  }

  function _token(uint256 i, uint256 amount, uint32 destGas, bytes memory extraData)
    internal
    pure
    returns (Internal.TokenTransfer memory)
  {
    return Internal.TokenTransfer({
      sourcePoolAddress: address(uint160(uint256(keccak256(abi.encode("pool", i))))),
      destTokenAddress: address(uint160(uint256(keccak256(abi.encode("token", i))))),
      amount: amount,
      destGasAmount: destGas,
      extraData: extraData
    });
  }

  function _bytes(uint256 length, uint8 seed) internal pure returns (bytes memory out) {
    out = new bytes(length);
    for (uint256 i = 0; i < length; ++i) {
      out[i] = bytes1(uint8(uint256(keccak256(abi.encode(seed, i)))));
    }
  }

  /// @notice The messages, each with the index of its lane in _lanes().
  function _messages()
    internal
    pure
    returns (string[] memory names, uint256[] memory lanes, Internal.EVM2EVMMessage[] memory msgs)
  {
    names = new string[](7);
    lanes = new uint256[](7);
    msgs = new Internal.EVM2EVMMessage[](7);
    address sender = address(0x1111111111111111111111111111111111111111);
    address receiver = address(0x2222222222222222222222222222222222222222);

    names[0] = "minimal";
    msgs[0].sequenceNumber = 1;
    msgs[0].nonce = 1;
    msgs[0].sender = sender;
    msgs[0].receiver = receiver;
    msgs[0].gasLimit = 200_000;

    names[1] = "with_data";
    msgs[1].sequenceNumber = 2;
    msgs[1].nonce = 2;
    msgs[1].sender = sender;
    msgs[1].receiver = receiver;
    msgs[1].gasLimit = 500_000;
    msgs[1].data = bytes("hello, ccip-local");

    names[2] = "with_tokens";
    msgs[2].sequenceNumber = 3;
    msgs[2].nonce = 3;
    msgs[2].sender = sender;
    msgs[2].receiver = receiver;
    msgs[2].gasLimit = 300_000;
    msgs[2].data = abi.encode(uint256(42), "transfer");
    msgs[2].tokenAmounts = new Internal.TokenTransfer[](2);
    msgs[2].tokenAmounts[0] = _token(0, 1e18, 90_000, "");
    msgs[2].tokenAmounts[1] = _token(1, 12_345, 120_000, abi.encode(uint8(18)));

    names[3] = "token_only_out_of_order";
    msgs[3].sequenceNumber = 4;
    msgs[3].nonce = 0;
    msgs[3].sender = sender;
    msgs[3].receiver = address(0x3333333333333333333333333333333333333333);
    msgs[3].gasLimit = 0;
    msgs[3].tokenAmounts = new Internal.TokenTransfer[](1);
    msgs[3].tokenAmounts[0] = _token(2, 7, 50_000, "");

    names[4] = "other_lane_out_of_order";
    lanes[4] = 1;
    msgs[4].sequenceNumber = 1;
    msgs[4].nonce = 0;
    msgs[4].sender = address(0x4444444444444444444444444444444444444444);
    msgs[4].receiver = address(0x5555555555555555555555555555555555555555);
    msgs[4].gasLimit = 1;
    msgs[4].data = _bytes(33, 4);

    names[5] = "max_values";
    lanes[5] = 2;
    msgs[5].sequenceNumber = type(uint64).max;
    msgs[5].nonce = type(uint64).max;
    msgs[5].sender = address(type(uint160).max);
    msgs[5].receiver = address(type(uint160).max);
    msgs[5].gasLimit = type(uint256).max;
    msgs[5].data = _bytes(300, 5);
    msgs[5].tokenAmounts = new Internal.TokenTransfer[](3);
    msgs[5].tokenAmounts[0] = _token(3, type(uint256).max, type(uint32).max, _bytes(64, 6));
    msgs[5].tokenAmounts[1] = _token(4, 0, 0, _bytes(1, 7));
    msgs[5].tokenAmounts[2] = _token(5, 1, 1, _bytes(95, 8));

    names[6] = "zero_addresses";
    lanes[6] = 2;
    msgs[6].sequenceNumber = 0;
    msgs[6].nonce = 0;

    Lane[3] memory l = _lanes();
    for (uint256 i = 0; i < msgs.length; ++i) {
      msgs[i].sourceChainSelector = l[lanes[i]].source;
      msgs[i].messageId =
        Internal._hash(msgs[i], Internal._metadataHash(l[lanes[i]].source, l[lanes[i]].dest, l[lanes[i]].onRamp));
    }
  }

  function _treeLeaves(uint256 size) internal pure returns (bytes32[] memory leaves) {
    leaves = new bytes32[](size);
    for (uint256 i = 0; i < size; ++i) {
      leaves[i] = keccak256(abi.encode("leaf", size, i));
    }
  }

  function _range(uint256 from, uint256 to, uint256 stride) internal pure returns (uint256[] memory out) {
    out = new uint256[]((to - from + stride - 1) / stride);
    for (uint256 i = 0; i < out.length; ++i) {
      out[i] = from + i * stride;
    }
  }

  function _list(uint256 a) internal pure returns (uint256[] memory out) {
    out = new uint256[](1);
    out[0] = a;
  }

  function _list(uint256 a, uint256 b) internal pure returns (uint256[] memory out) {
    out = new uint256[](2);
    (out[0], out[1]) = (a, b);
  }

  function _list(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory out) {
    out = new uint256[](3);
    (out[0], out[1], out[2]) = (a, b, c);
  }

  /// @notice The proven subsets of a tree of `size` leaves; the full set is always among them.
  function _subsets(uint256 size) internal pure returns (uint256[][] memory s) {
    if (size == 1) {
      s = new uint256[][](1);
    } else if (size == 2) {
      s = new uint256[][](3);
      (s[1], s[2]) = (_list(0), _list(1));
    } else if (size == 3) {
      s = new uint256[][](4);
      (s[1], s[2], s[3]) = (_list(2), _list(0, 2), _list(1, 2));
    } else if (size == 5) {
      s = new uint256[][](4);
      (s[1], s[2], s[3]) = (_list(4), _list(0, 4), _list(1, 2, 3));
    } else if (size == 8) {
      s = new uint256[][](6);
      (s[1], s[2], s[3], s[4], s[5]) = (_list(0), _list(7), _list(0, 7), _range(2, 6, 1), _range(1, 8, 2));
    } else if (size == 13) {
      s = new uint256[][](5);
      (s[1], s[2], s[3], s[4]) = (_list(12), _list(0, 12), _list(5, 6, 7), _range(0, 13, 2));
    } else {
      s = new uint256[][](5);
      (s[1], s[2], s[3], s[4]) = (_list(0), _list(size - 1), _list(17, 18, 200), _range(0, size, 3));
    }
    s[0] = _range(0, size, 1);
  }

  // ================================================================
  // │                          Sections                            │
  // ================================================================

  function _constants() internal returns (string memory) {
    string memory o = _newObject();
    vm.serializeBytes32(o, "EVM_2_EVM_MESSAGE_HASH", Internal.EVM_2_EVM_MESSAGE_HASH);
    vm.serializeBytes32(o, "COMMIT_REPORT_HASH", Internal.COMMIT_REPORT_HASH);
    vm.serializeBytes32(o, "LEAF_DOMAIN_SEPARATOR", MerkleMultiProof.LEAF_DOMAIN_SEPARATOR);
    vm.serializeBytes32(o, "INTERNAL_DOMAIN_SEPARATOR", MerkleMultiProof.INTERNAL_DOMAIN_SEPARATOR);
    vm.serializeString(o, "MAX_NUM_HASHES", vm.toString(MerkleMultiProof.MAX_NUM_HASHES));
    vm.serializeBytes(o, "EVM_EXTRA_ARGS_V1_TAG", abi.encodePacked(Client.EVM_EXTRA_ARGS_V1_TAG));
    return vm.serializeBytes(o, "EVM_EXTRA_ARGS_V2_TAG", abi.encodePacked(Client.EVM_EXTRA_ARGS_V2_TAG));
  }

  function _metadataVectors() internal returns (string[] memory out) {
    Lane[3] memory l = _lanes();
    out = new string[](l.length);
    for (uint256 i = 0; i < l.length; ++i) {
      string memory o = _newObject();
      vm.serializeString(o, "sourceChainSelector", vm.toString(uint256(l[i].source)));
      vm.serializeString(o, "destChainSelector", vm.toString(uint256(l[i].dest)));
      vm.serializeAddress(o, "onRamp", l[i].onRamp);
      out[i] = vm.serializeBytes32(o, "metadataHash", Internal._metadataHash(l[i].source, l[i].dest, l[i].onRamp));
    }
  }

  function _messageVectors() internal returns (string[] memory out) {
    (string[] memory names, uint256[] memory lanes, Internal.EVM2EVMMessage[] memory msgs) = _messages();
    Lane[3] memory l = _lanes();
    out = new string[](msgs.length);
    for (uint256 i = 0; i < msgs.length; ++i) {
      Lane memory lane = l[lanes[i]];
      string memory o = _newObject();
      vm.serializeString(o, "name", names[i]);
      vm.serializeString(o, "destChainSelector", vm.toString(uint256(lane.dest)));
      vm.serializeAddress(o, "onRamp", lane.onRamp);
      vm.serializeBytes32(o, "metadataHash", Internal._metadataHash(lane.source, lane.dest, lane.onRamp));
      vm.serializeString(o, "message", _messageJson(msgs[i]));
      vm.serializeBytes(o, "abiEncoded", abi.encode(msgs[i]));
      out[i] = vm.serializeBytes32(o, "leafHash", msgs[i].messageId);
    }
  }

  function _treeVectors() internal returns (string[] memory out) {
    uint256[7] memory sizes = [uint256(1), 2, 3, 5, 8, 13, 256];
    out = new string[](sizes.length);
    for (uint256 t = 0; t < sizes.length; ++t) {
      bytes32[] memory leaves = _treeLeaves(sizes[t]);
      bytes32 treeRoot = VectorTree.root(leaves);
      uint256[][] memory subsets = _subsets(sizes[t]);
      string[] memory proofs = new string[](subsets.length);
      for (uint256 s = 0; s < subsets.length; ++s) {
        proofs[s] = _proofJson(leaves, subsets[s], treeRoot);
      }
      string memory o = _newObject();
      vm.serializeString(o, "name", string.concat("tree_", vm.toString(sizes[t])));
      vm.serializeBytes32(o, "leaves", leaves);
      vm.serializeBytes32(o, "root", treeRoot);
      out[t] = vm.serializeString(o, "proofs", proofs);
    }
  }

  function _commitReportVectors() internal returns (string[] memory out) {
    out = new string[](4);
    Internal.CommitReport memory report;

    report.priceUpdates.tokenPriceUpdates = new Internal.TokenPriceUpdate[](2);
    report.priceUpdates.tokenPriceUpdates[0] =
      Internal.TokenPriceUpdate({sourceToken: address(0x00000000000000000000000000000000000000A1), usdPerToken: 2e18});
    report.priceUpdates.tokenPriceUpdates[1] =
      Internal.TokenPriceUpdate({sourceToken: address(0x00000000000000000000000000000000000000A2), usdPerToken: 1});
    report.priceUpdates.gasPriceUpdates = new Internal.GasPriceUpdate[](1);
    report.priceUpdates.gasPriceUpdates[0] = Internal.GasPriceUpdate({destChainSelector: 2, usdPerUnitGas: 2e10});
    out[0] = _commitReportJson("price_only", report, keccak256("config-a"), 1);

    report.priceUpdates.tokenPriceUpdates = new Internal.TokenPriceUpdate[](0);
    report.priceUpdates.gasPriceUpdates = new Internal.GasPriceUpdate[](0);
    report.interval = Internal.Interval({min: 1, max: 5});
    report.merkleRoot = VectorTree.root(_treeLeaves(5));
    out[1] = _commitReportJson("root_only", report, keccak256("config-a"), 2);

    report.priceUpdates.gasPriceUpdates = new Internal.GasPriceUpdate[](2);
    report.priceUpdates.gasPriceUpdates[0] = Internal.GasPriceUpdate({destChainSelector: 1, usdPerUnitGas: 1});
    report.priceUpdates.gasPriceUpdates[1] =
      Internal.GasPriceUpdate({destChainSelector: type(uint64).max, usdPerUnitGas: type(uint224).max});
    report.priceUpdates.tokenPriceUpdates = new Internal.TokenPriceUpdate[](1);
    report.priceUpdates.tokenPriceUpdates[0] =
      Internal.TokenPriceUpdate({sourceToken: address(type(uint160).max), usdPerToken: type(uint224).max});
    report.interval = Internal.Interval({min: type(uint64).max - 255, max: type(uint64).max});
    report.merkleRoot = VectorTree.root(_treeLeaves(256));
    out[2] = _commitReportJson("prices_and_root_max_values", report, bytes32(type(uint256).max), type(uint40).max);

    out[3] = _commitReportJson(
      "empty",
      Internal.CommitReport({
        priceUpdates: Internal.PriceUpdates(new Internal.TokenPriceUpdate[](0), new Internal.GasPriceUpdate[](0)),
        interval: Internal.Interval(0, 0),
        merkleRoot: bytes32(0)
      }),
      bytes32(0),
      0
    );
  }

  /// @notice A report executing messages 1 and 3 (`with_data`, `token_only_out_of_order`) of the
  /// lane-0 messages, proven against the tree of all four.
  function _executionReportVectors() internal returns (string[] memory out) {
    (,, Internal.EVM2EVMMessage[] memory msgs) = _messages();
    bytes32[] memory leaves = new bytes32[](4);
    for (uint256 i = 0; i < 4; ++i) {
      leaves[i] = msgs[i].messageId;
    }
    Internal.ExecutionReport memory report;
    report.messages = new Internal.EVM2EVMMessage[](2);
    (report.messages[0], report.messages[1]) = (msgs[1], msgs[3]);
    report.offchainTokenData = new bytes[][](2);
    report.offchainTokenData[0] = new bytes[](0);
    report.offchainTokenData[1] = new bytes[](1);
    report.offchainTokenData[1][0] = bytes("attestation");
    bytes32[] memory subset;
    (subset, report.proofs, report.proofFlagBits) = VectorTree.proof(leaves, _list(1, 3));
    bytes32 treeRoot = VectorTree.root(leaves);
    assertEq(MerkleMultiProof.merkleRoot(subset, report.proofs, report.proofFlagBits), treeRoot, "exec report proof");

    string[] memory messages = new string[](2);
    string[] memory tokenData = new string[](2);
    for (uint256 i = 0; i < 2; ++i) {
      messages[i] = _messageJson(report.messages[i]);
      string memory t = _newObject();
      tokenData[i] = vm.serializeBytes(t, "perToken", report.offchainTokenData[i]);
    }
    string memory o = _newObject();
    vm.serializeString(o, "name", "lane0_messages_1_and_3");
    vm.serializeBytes32(o, "root", treeRoot);
    vm.serializeString(o, "messages", messages);
    vm.serializeString(o, "offchainTokenData", tokenData);
    vm.serializeBytes32(o, "proofs", report.proofs);
    vm.serializeString(o, "proofFlagBits", vm.toString(report.proofFlagBits));
    out = new string[](1);
    out[0] = vm.serializeBytes(o, "abiEncoded", abi.encode(report));
  }

  function _extraArgsVectors() internal returns (string[] memory out) {
    uint256[3] memory gasLimits = [uint256(0), 200_000, type(uint256).max];
    out = new string[](6);
    for (uint256 i = 0; i < 3; ++i) {
      string memory o = _newObject();
      vm.serializeString(o, "version", "1");
      vm.serializeString(o, "gasLimit", vm.toString(gasLimits[i]));
      vm.serializeBool(o, "allowOutOfOrderExecution", false);
      out[i] = vm.serializeBytes(o, "encoded", Client._argsToBytes(Client.EVMExtraArgsV1({gasLimit: gasLimits[i]})));
    }
    for (uint256 i = 0; i < 3; ++i) {
      bool allow = i != 0;
      string memory o = _newObject();
      vm.serializeString(o, "version", "2");
      vm.serializeString(o, "gasLimit", vm.toString(gasLimits[i]));
      vm.serializeBool(o, "allowOutOfOrderExecution", allow);
      out[3 + i] = vm.serializeBytes(
        o,
        "encoded",
        Client._argsToBytes(Client.EVMExtraArgsV2({gasLimit: gasLimits[i], allowOutOfOrderExecution: allow}))
      );
    }
  }

  function _armSubjectVectors() internal returns (string[] memory out) {
    uint64[4] memory selectors = [uint64(0), 1, 16015286601757825753, type(uint64).max];
    out = new string[](selectors.length);
    for (uint256 i = 0; i < selectors.length; ++i) {
      string memory o = _newObject();
      vm.serializeString(o, "chainSelector", vm.toString(uint256(selectors[i])));
      // The subject rule IARM.isCursed documents.
      out[i] = vm.serializeBytes(o, "subject", abi.encodePacked(bytes16(uint128(selectors[i]))));
    }
  }

  // ================================================================
  // │                        JSON objects                          │
  // ================================================================

  /// @notice A fresh key for vm.serialize*: its objects accumulate per key for the whole run.
  function _newObject() internal returns (string memory) {
    return string.concat("obj", vm.toString(++s_objectCount));
  }

  function _messageJson(Internal.EVM2EVMMessage memory m) internal returns (string memory) {
    string[] memory tokens = new string[](m.tokenAmounts.length);
    for (uint256 i = 0; i < tokens.length; ++i) {
      Internal.TokenTransfer memory t = m.tokenAmounts[i];
      string memory to = _newObject();
      vm.serializeAddress(to, "sourcePoolAddress", t.sourcePoolAddress);
      vm.serializeAddress(to, "destTokenAddress", t.destTokenAddress);
      vm.serializeString(to, "amount", vm.toString(t.amount));
      vm.serializeString(to, "destGasAmount", vm.toString(uint256(t.destGasAmount)));
      tokens[i] = vm.serializeBytes(to, "extraData", t.extraData);
    }
    string memory o = _newObject();
    vm.serializeBytes32(o, "messageId", m.messageId);
    vm.serializeString(o, "sourceChainSelector", vm.toString(uint256(m.sourceChainSelector)));
    vm.serializeString(o, "sequenceNumber", vm.toString(uint256(m.sequenceNumber)));
    vm.serializeString(o, "nonce", vm.toString(uint256(m.nonce)));
    vm.serializeAddress(o, "sender", m.sender);
    vm.serializeAddress(o, "receiver", m.receiver);
    vm.serializeString(o, "gasLimit", vm.toString(m.gasLimit));
    vm.serializeBytes(o, "data", m.data);
    return vm.serializeString(o, "tokenAmounts", tokens);
  }

  function _proofJson(bytes32[] memory leaves, uint256[] memory indices, bytes32 treeRoot)
    internal
    returns (string memory)
  {
    (bytes32[] memory subset, bytes32[] memory proofs, uint256 flagBits) = VectorTree.proof(leaves, indices);
    // The builder and the verifier are independent; the vector is only written when they agree.
    assertEq(MerkleMultiProof.merkleRoot(subset, proofs, flagBits), treeRoot, "proof does not verify");
    string memory o = _newObject();
    vm.serializeUint(o, "indices", indices);
    vm.serializeBytes32(o, "leaves", subset);
    vm.serializeBytes32(o, "proofs", proofs);
    return vm.serializeString(o, "proofFlagBits", vm.toString(flagBits));
  }

  function _commitReportJson(
    string memory name,
    Internal.CommitReport memory report,
    bytes32 configDigest,
    uint40 epochAndRound
  ) internal returns (string memory) {
    Internal.PriceUpdates memory p = report.priceUpdates;
    string[] memory tokenPrices = new string[](p.tokenPriceUpdates.length);
    for (uint256 i = 0; i < tokenPrices.length; ++i) {
      string memory t = _newObject();
      vm.serializeAddress(t, "sourceToken", p.tokenPriceUpdates[i].sourceToken);
      tokenPrices[i] = vm.serializeString(t, "usdPerToken", vm.toString(uint256(p.tokenPriceUpdates[i].usdPerToken)));
    }
    string[] memory gasPrices = new string[](p.gasPriceUpdates.length);
    for (uint256 i = 0; i < gasPrices.length; ++i) {
      string memory g = _newObject();
      vm.serializeString(g, "destChainSelector", vm.toString(uint256(p.gasPriceUpdates[i].destChainSelector)));
      gasPrices[i] = vm.serializeString(g, "usdPerUnitGas", vm.toString(uint256(p.gasPriceUpdates[i].usdPerUnitGas)));
    }
    string memory prices = _newObject();
    vm.serializeString(prices, "tokenPriceUpdates", tokenPrices);
    prices = vm.serializeString(prices, "gasPriceUpdates", gasPrices);
    string memory interval = _newObject();
    vm.serializeString(interval, "min", vm.toString(uint256(report.interval.min)));
    interval = vm.serializeString(interval, "max", vm.toString(uint256(report.interval.max)));
    string memory r = _newObject();
    vm.serializeString(r, "priceUpdates", prices);
    vm.serializeString(r, "interval", interval);
    r = vm.serializeBytes32(r, "merkleRoot", report.merkleRoot);

    bytes memory encoded = abi.encode(report);
    string memory o = _newObject();
    vm.serializeString(o, "name", name);
    vm.serializeString(o, "report", r);
    vm.serializeBytes(o, "abiEncoded", encoded);
    vm.serializeBytes32(o, "configDigest", configDigest);
    vm.serializeString(o, "epochAndRound", vm.toString(uint256(epochAndRound)));
    return vm.serializeBytes32(o, "digest", Internal._commitReportDigest(configDigest, epochAndRound, encoded));
  }
}
