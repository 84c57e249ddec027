// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IARM} from "../../contracts/interfaces/IARM.sol";
import {IAny2EVMMessageReceiver} from "../../contracts/interfaces/IAny2EVMMessageReceiver.sol";
import {IERC20} from "../../contracts/interfaces/IERC20.sol";
import {IPool} from "../../contracts/interfaces/IPool.sol";
import {ITokenAdminRegistry} from "../../contracts/interfaces/ITokenAdminRegistry.sol";
import {Client} from "../../contracts/libraries/Client.sol";

/// @notice Test-only ERC-20 with open minting. Reverts (no return false) on missing balance or allowance.
contract RouterMockERC20 is IERC20 {
  string public name;
  uint8 public constant decimals = 18;
  uint256 public totalSupply;
  mapping(address => uint256) public balanceOf;
  mapping(address => mapping(address => uint256)) public allowance;

  constructor(string memory _name) {
    name = _name;
  }

  function mint(address to, uint256 amount) external {
    totalSupply += amount;
    balanceOf[to] += amount;
    emit Transfer(address(0), to, amount);
  }

  function approve(address spender, uint256 amount) external returns (bool) {
    allowance[msg.sender][spender] = amount;
    emit Approval(msg.sender, spender, amount);
    return true;
  }

  function transfer(address to, uint256 amount) external returns (bool) {
    _move(msg.sender, to, amount);
    return true;
  }

  function transferFrom(address from, address to, uint256 amount) external returns (bool) {
    uint256 allowed = allowance[from][msg.sender];
    if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - amount;
    _move(from, to, amount);
    return true;
  }

  function _move(address from, address to, uint256 amount) internal {
    balanceOf[from] -= amount;
    balanceOf[to] += amount;
    emit Transfer(from, to, amount);
  }
}

/// @notice Test-only WETH9-like wrapped native currency.
contract RouterMockWETH9 is RouterMockERC20("Wrapped Ether") {
  function deposit() external payable {
    totalSupply += msg.value;
    balanceOf[msg.sender] += msg.value;
    emit Transfer(address(0), msg.sender, msg.value);
  }

  function withdraw(uint256 wad) external {
    balanceOf[msg.sender] -= wad;
    totalSupply -= wad;
    payable(msg.sender).transfer(wad);
  }
}

contract RouterMockTokenAdminRegistry is ITokenAdminRegistry {
  mapping(address => address) public pools;

  function setPool(address token, address pool) external {
    pools[token] = pool;
  }

  function getPool(address token) external view returns (address) {
    return pools[token];
  }
}

/// @notice Pool that records lockOrBurn calls and returns configurable data.
contract RouterMockPool is IPool {
  address public immutable token;
  address public remoteToken;
  bytes public destPoolData;
  uint256 public lockOrBurnCalls;
  LockOrBurnIn internal s_lastIn;

  constructor(address _token, address _remoteToken) {
    token = _token;
    remoteToken = _remoteToken;
    destPoolData = abi.encode(uint256(18)); // e.g. source decimals
  }

  function setDestPoolData(bytes calldata data) external {
    destPoolData = data;
  }

  function lastLockOrBurnIn() external view returns (LockOrBurnIn memory) {
    return s_lastIn;
  }

  function lockOrBurn(LockOrBurnIn calldata lockOrBurnIn) external returns (LockOrBurnOut memory) {
    require(IERC20(token).balanceOf(address(this)) >= lockOrBurnIn.amount, "pool not funded");
    ++lockOrBurnCalls;
    s_lastIn = lockOrBurnIn;
    return LockOrBurnOut({destTokenAddress: remoteToken, destPoolData: destPoolData});
  }

  function releaseOrMint(ReleaseOrMintIn calldata) external pure returns (ReleaseOrMintOut memory) {
    revert("not used");
  }

  function getToken() external view returns (address) {
    return token;
  }

  function isSupportedChain(uint64) external pure returns (bool) {
    return true;
  }
}

/// @notice Receiver that stores what it got, or reverts with a given payload.
contract RouterMockReceiver is IAny2EVMMessageReceiver {
  error ReceiverRevert(bytes32 messageId);

  bool public shouldRevert;
  bytes32 public lastMessageId;
  uint64 public lastSourceChainSelector;
  bytes public lastSender;
  bytes public lastData;
  uint256 public lastNumTokens;

  function setShouldRevert(bool value) external {
    shouldRevert = value;
  }

  function ccipReceive(Client.Any2EVMMessage calldata message) external {
    if (shouldRevert) revert ReceiverRevert(message.messageId);
    lastMessageId = message.messageId;
    lastSourceChainSelector = message.sourceChainSelector;
    lastSender = message.sender;
    lastData = message.data;
    lastNumTokens = message.destTokenAmounts.length;
  }
}

/// @notice Receiver that burns a fixed amount of gas with pure computation (no storage, so the amount
/// does not depend on warm or cold slots).
contract RouterGasBurnerReceiver is IAny2EVMMessageReceiver {
  uint256 public immutable i_iterations;

  constructor(uint256 iterations) {
    i_iterations = iterations;
  }

  function ccipReceive(Client.Any2EVMMessage calldata) external view {
    uint256 x;
    for (uint256 i; i < i_iterations; ++i) {
      x = uint256(keccak256(abi.encode(x, i)));
    }
    // Keeps the loop from being optimized away.
    if (x == 1) revert();
  }
}

/// @notice Receiver that reverts with `size` bytes of 0xAB-filled data.
contract RouterHugeRevertReceiver is IAny2EVMMessageReceiver {
  uint256 public immutable i_size;

  constructor(uint256 size) {
    i_size = size;
  }

  function ccipReceive(Client.Any2EVMMessage calldata) external view {
    bytes memory data = new bytes(i_size);
    for (uint256 i; i < data.length; ++i) {
      data[i] = 0xAB;
    }
    assembly {
      revert(add(data, 0x20), mload(data))
    }
  }
}

/// @notice Rejects native currency, to make recoverTokens fail.
contract RouterNativeRejecter {
  receive() external payable {
    revert("no");
  }
}
