// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CCIPReceiver} from "../../contracts/applications/CCIPReceiver.sol";
import {IARM} from "../../contracts/interfaces/IARM.sol";
import {IAny2EVMMessageReceiver} from "../../contracts/interfaces/IAny2EVMMessageReceiver.sol";
import {ICommitStore} from "../../contracts/interfaces/ICommitStore.sol";
import {IPool} from "../../contracts/interfaces/IPool.sol";
import {IRouter} from "../../contracts/interfaces/IRouter.sol";
import {ITokenAdminRegistry} from "../../contracts/interfaces/ITokenAdminRegistry.sol";
import {Client} from "../../contracts/libraries/Client.sol";
import {Internal} from "../../contracts/libraries/Internal.sol";
import {MerkleMultiProof} from "../../contracts/libraries/MerkleMultiProof.sol";
import {OffRamp} from "../../contracts/offRamp/OffRamp.sol";

/// @notice A CommitStore that verifies multi-proofs for real against roots the test commits and blesses.
contract OffRampMockCommitStore is ICommitStore {
  mapping(bytes32 root => uint256 timestamp) public s_roots;
  mapping(bytes32 root => bool blessed) public s_blessed;

  function setRoot(bytes32 root, uint256 timestamp, bool blessed) external {
    s_roots[root] = timestamp;
    s_blessed[root] = blessed;
  }

  function verify(bytes32[] calldata hashedLeaves, bytes32[] calldata proofs, uint256 proofFlagBits)
    external
    view
    returns (uint256)
  {
    bytes32 root = MerkleMultiProof.merkleRoot(hashedLeaves, proofs, proofFlagBits);
    if (!s_blessed[root]) return 0;
    return s_roots[root];
  }

  function getExpectedNextSequenceNumber() external pure returns (uint64) {
    return 1;
  }
}

/// @notice A Router that delivers like the real one: only registered OffRamps, exact gas, capped return data.
contract OffRampMockRouter is IRouter {
  error NotEnoughGasForCall();

  event MessageExecuted(bytes32 messageId, uint64 sourceChainSelector, address offRamp, bytes32 calldataHash);

  uint16 public constant MAX_RET_BYTES = 4 + 4 * 32;
  mapping(uint64 source => mapping(address offRamp => bool)) internal s_offRamps;

  function setOffRamp(uint64 sourceChainSelector, address offRamp, bool enabled) external {
    s_offRamps[sourceChainSelector][offRamp] = enabled;
  }

  function routeMessage(
    Client.Any2EVMMessage calldata message,
    uint16 gasForCallExactCheck,
    uint256 gasLimit,
    address receiver
  ) external returns (bool success, bytes memory retData, uint256 gasUsed) {
    if (!s_offRamps[message.sourceChainSelector][msg.sender]) revert OnlyOffRamp();
    bytes memory payload = abi.encodeCall(IAny2EVMMessageReceiver.ccipReceive, (message));
    retData = new bytes(MAX_RET_BYTES);
    uint256 g = gasleft();
    if (g < gasForCallExactCheck) revert NotEnoughGasForCall();
    g -= gasForCallExactCheck;
    if (g - g / 64 <= gasLimit) revert NotEnoughGasForCall();
    assembly ("memory-safe") {
      let before := gas()
      success := call(gasLimit, receiver, 0, add(payload, 0x20), mload(payload), 0, 0)
      gasUsed := sub(before, gas())
      let toCopy := returndatasize()
      if gt(toCopy, 132) { toCopy := 132 }
      mstore(retData, toCopy)
      returndatacopy(add(retData, 0x20), 0, toCopy)
    }
    emit MessageExecuted(message.messageId, message.sourceChainSelector, msg.sender, keccak256(payload));
  }

  function getOnRamp(uint64) external pure returns (address) {
    return address(0);
  }

  function isOffRamp(uint64 sourceChainSelector, address offRamp) external view returns (bool) {
    return s_offRamps[sourceChainSelector][offRamp];
  }
}

contract OffRampMockTokenAdminRegistry is ITokenAdminRegistry {
  mapping(address token => address pool) public s_pools;

  function setPool(address token, address pool) external {
    s_pools[token] = pool;
  }

  function getPool(address token) external view returns (address) {
    return s_pools[token];
  }
}

/// @notice A minimal mintable ERC-20.
contract OffRampMockERC20 {
  event Transfer(address indexed from, address indexed to, uint256 value);

  mapping(address => uint256) public balanceOf;
  uint256 public totalSupply;

  function mint(address to, uint256 amount) external {
    balanceOf[to] += amount;
    totalSupply += amount;
    emit Transfer(address(0), to, amount);
  }
}

/// @notice A pool that mints its token; can be told to lie, revert or burn gas.
contract OffRampMockPool is IPool {
  error PoolFailure();

  OffRampMockERC20 public immutable i_token;
  uint256 public s_releaseCount;
  ReleaseOrMintIn internal s_lastIn;
  bool public s_revert;
  uint256 public s_shortMint; // minted = amount - shortMint, while claiming amount
  uint256 public s_burnGas;

  constructor(OffRampMockERC20 token) {
    i_token = token;
  }

  function setBehaviour(bool revert_, uint256 shortMint, uint256 burnGas) external {
    s_revert = revert_;
    s_shortMint = shortMint;
    s_burnGas = burnGas;
  }

  function getLastIn() external view returns (ReleaseOrMintIn memory) {
    return s_lastIn;
  }

  function releaseOrMint(ReleaseOrMintIn calldata releaseOrMintIn) external returns (ReleaseOrMintOut memory) {
    if (s_revert) revert PoolFailure();
    uint256 start = gasleft();
    while (start - gasleft() < s_burnGas) {}
    ++s_releaseCount;
    s_lastIn = releaseOrMintIn;
    i_token.mint(releaseOrMintIn.receiver, releaseOrMintIn.amount - s_shortMint);
    return ReleaseOrMintOut({destinationAmount: releaseOrMintIn.amount});
  }

  function lockOrBurn(LockOrBurnIn calldata) external pure returns (LockOrBurnOut memory) {
    revert PoolFailure();
  }

  function getToken() external view returns (address) {
    return address(i_token);
  }

  function isSupportedChain(uint64) external pure returns (bool) {
    return true;
  }
}

/// @notice A CCIP receiver that records what it got and can revert or burn gas on demand.
contract OffRampMockReceiver is CCIPReceiver {
  error Rejected(bytes data);

  uint256 public s_received;
  bytes32 public s_lastMessageId;
  bytes public s_lastData;
  bytes public s_lastSender;
  uint64 public s_lastSourceChain;
  Client.EVMTokenAmount[] internal s_lastTokens;
  bool public s_reject;
  uint256 public s_burnGas;

  constructor(address router) CCIPReceiver(router) {}

  function setBehaviour(bool reject, uint256 burnGas) external {
    s_reject = reject;
    s_burnGas = burnGas;
  }

  function getLastTokens() external view returns (Client.EVMTokenAmount[] memory) {
    return s_lastTokens;
  }

  function _ccipReceive(Client.Any2EVMMessage memory message) internal override {
    if (s_reject) revert Rejected(message.data);
    uint256 start = gasleft();
    while (start - gasleft() < s_burnGas) {}
    ++s_received;
    s_lastMessageId = message.messageId;
    s_lastData = message.data;
    s_lastSender = message.sender;
    s_lastSourceChain = message.sourceChainSelector;
    delete s_lastTokens;
    for (uint256 i = 0; i < message.destTokenAmounts.length; ++i) {
      s_lastTokens.push(message.destTokenAmounts[i]);
    }
  }
}

/// @notice A receiver that, while being delivered a message, tries to execute a report again through the
/// OffRamp, and records how that went.
contract OffRampReentrantReceiver is CCIPReceiver {
  OffRamp public s_offRamp;
  bytes public s_report; // abi.encode(Internal.ExecutionReport)
  bool public s_reentered;
  bool public s_reentrySucceeded;
  bytes public s_reentryError;
  uint256 public s_received;

  constructor(address router) CCIPReceiver(router) {}

  function setReport(OffRamp offRamp, Internal.ExecutionReport memory report) external {
    s_offRamp = offRamp;
    s_report = abi.encode(report);
  }

  function _ccipReceive(Client.Any2EVMMessage memory) internal override {
    ++s_received;
    Internal.ExecutionReport memory report = abi.decode(s_report, (Internal.ExecutionReport));
    s_reentered = true;
    try s_offRamp.manuallyExecute(report, new uint256[](report.messages.length)) {
      s_reentrySucceeded = true;
    } catch (bytes memory err) {
      s_reentryError = err;
    }
  }
}

/// @notice A contract that is not a CCIP receiver (no ERC-165): token-only deliveries skip calling it.
contract OffRampNonReceiver {
  fallback() external {}
}
