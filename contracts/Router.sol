// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {Ownable2Step} from "./access/Ownable2Step.sol";
import {IAny2EVMMessageReceiver} from "./interfaces/IAny2EVMMessageReceiver.sol";
import {IERC20} from "./interfaces/IERC20.sol";
import {IEVM2AnyOnRamp} from "./interfaces/IEVM2AnyOnRamp.sol";
import {IRouter} from "./interfaces/IRouter.sol";
import {IRouterClient} from "./interfaces/IRouterClient.sol";
import {CallWithExactGas} from "./libraries/CallWithExactGas.sol";
import {Client} from "./libraries/Client.sol";
import {SafeTransfer} from "./libraries/SafeTransfer.sol";

/// @title Router
/// @notice The one address dApps talk to: sends messages through the OnRamp of their destination and
/// delivers inbound messages from registered OffRamps to receivers.
/// @dev The Router holds no funds between transactions: native fees go to the OnRamp, which wraps them,
/// token fees and transferred tokens go straight from the sender to the OnRamp and the pools.
/// It does not consult the ARM: the OnRamp checks the destination curse on send and the OffRamp checks
/// the source curse before it ever calls routeMessage, so a check here would only cost gas.
contract Router is IRouter, IRouterClient, Ownable2Step {
  using SafeTransfer for IERC20;

  error UnsupportedToken(address token);
  error OffRampMismatch(uint64 sourceChainSelector, address offRamp);
  error FailedToSendValue();
  error ZeroAddressNotAllowed();

  event OnRampSet(uint64 indexed destChainSelector, address onRamp);
  event OffRampAdded(uint64 indexed sourceChainSelector, address offRamp);
  event OffRampRemoved(uint64 indexed sourceChainSelector, address offRamp);
  event TokensRecovered(address indexed token, address indexed to, uint256 amount);

  struct OnRamp {
    uint64 destChainSelector;
    address onRamp; // address(0) removes the lane
  }

  struct OffRamp {
    uint64 sourceChainSelector;
    address offRamp;
  }

  /// @notice Cap on the receiver's return or revert data kept by routeMessage: a selector and four words
  /// are enough to diagnose a failure, and more would let a receiver grief the executor.
  uint16 public constant MAX_RET_BYTES = 4 + 4 * 32;

  address internal immutable i_wrappedNative;
  address internal immutable i_armProxy;

  mapping(uint64 destChainSelector => address onRamp) internal s_onRamps;
  /// @dev All (source, offRamp) pairs, for listing; s_offRampPositions holds 1-based positions keyed by
  /// source << 160 | offRamp, so the routeMessage check is one SLOAD without hashing a struct.
  OffRamp[] internal s_offRamps;
  mapping(uint256 key => uint256 position) internal s_offRampPositions;

  constructor(address wrappedNative, address armProxy) Ownable2Step(msg.sender) {
    if (wrappedNative == address(0) || armProxy == address(0)) revert ZeroAddressNotAllowed();
    i_wrappedNative = wrappedNative;
    i_armProxy = armProxy;
  }

  // ================================================================
  // |                           Sending                            |
  // ================================================================

  /// @inheritdoc IRouterClient
  function isChainSupported(uint64 destChainSelector) external view override returns (bool) {
    return s_onRamps[destChainSelector] != address(0);
  }

  /// @inheritdoc IRouterClient
  /// @dev A zero fee token prices the message in the wrapped native token, which is what ccipSend charges.
  /// Calldata, not memory: a fee-token quote is forwarded without decoding the message into memory.
  /// A quote succeeds on a cursed lane (no ARM call, as in Chainlink CCIP 1.5): only ccipSend refuses
  /// it, in the OnRamp's forwardFromRouter. See OnRamp.getFee for why.
  function getFee(uint64 destinationChainSelector, Client.EVM2AnyMessage calldata message)
    external
    view
    override
    returns (uint256 fee)
  {
    address onRamp = s_onRamps[destinationChainSelector];
    if (onRamp == address(0)) revert UnsupportedDestinationChain(destinationChainSelector);
    if (message.feeToken != address(0)) {
      // IEVM2AnyOnRamp.getFee has this function's signature, so the request goes on exactly as it came:
      // no decoding of the message here and no encoding it again (~1.5k gas per quote).
      (bool success, bytes memory ret) = onRamp.staticcall(msg.data);
      if (!success) {
        // Assembly only to rethrow the OnRamp's revert data unchanged, as a typed call would.
        assembly ("memory-safe") {
          revert(add(ret, 0x20), mload(ret))
        }
      }
      return abi.decode(ret, (uint256));
    }
    Client.EVM2AnyMessage memory native = message;
    native.feeToken = i_wrappedNative;
    return IEVM2AnyOnRamp(onRamp).getFee(destinationChainSelector, native);
  }

  /// @inheritdoc IRouterClient
  /// @dev Native fees: all of msg.value goes to the OnRamp, which wraps it, reverts when it is below the
  /// fee and keeps any excess (quote with getFee). Token fees: the OnRamp computes the fee once and
  /// the Router then pulls exactly that from the caller.
  function ccipSend(uint64 destinationChainSelector, Client.EVM2AnyMessage calldata message)
    external
    payable
    override
    returns (bytes32 messageId)
  {
    address onRamp = s_onRamps[destinationChainSelector];
    if (onRamp == address(0)) revert UnsupportedDestinationChain(destinationChainSelector);

    address feeToken = message.feeToken;
    uint256 feeTokenAmount;
    if (feeToken == address(0)) {
      // The OnRamp wraps msg.value itself (forwardFromRouter is payable): wrapping here and transferring
      // would take the Router's wrapped balance 0 -> x -> 0, a fresh SSTORE (~22k gas) for nothing.
      feeToken = i_wrappedNative;
      feeTokenAmount = msg.value;
    } else {
      if (msg.value != 0) revert InvalidMsgValue();
      feeTokenAmount = type(uint256).max; // "charge exactly the fee"; collected below
    }

    // Pools must hold the tokens before the OnRamp asks them to lock or burn.
    uint256 numTokens = message.tokenAmounts.length;
    for (uint256 i; i < numTokens; ++i) {
      address token = message.tokenAmounts[i].token;
      address pool = IEVM2AnyOnRamp(onRamp).getPoolBySourceToken(destinationChainSelector, token);
      if (pool == address(0)) revert UnsupportedToken(token);
      IERC20(token).safeTransferFrom(msg.sender, pool, message.tokenAmounts[i].amount);
    }

    uint256 fee;
    (messageId, fee) = IEVM2AnyOnRamp(onRamp).forwardFromRouter{value: msg.value}(
      destinationChainSelector, message, feeToken, feeTokenAmount, msg.sender
    );
    if (feeTokenAmount == type(uint256).max && fee != 0) {
      IERC20(feeToken).safeTransferFrom(msg.sender, onRamp, fee);
    }
  }

  // ================================================================
  // |                          Receiving                           |
  // ================================================================

  /// @inheritdoc IRouter
  /// @dev No event: the OffRamp already emits the execution outcome, and hashing the message again here
  /// would cost every delivery a few thousand gas for nothing new.
  function routeMessage(
    Client.Any2EVMMessage calldata message,
    uint16 gasForCallExactCheck,
    uint256 gasLimit,
    address receiver
  ) external override returns (bool success, bytes memory retData, uint256 gasUsed) {
    if (s_offRampPositions[_offRampKey(message.sourceChainSelector, msg.sender)] == 0) {
      revert OnlyOffRamp();
    }
    // `message` is the only dynamic argument, so its encoding (the OffRamp's) runs from its offset to the
    // end of the calldata: ccipReceive(message) is that slice behind the selector and a head offset, with
    // no decoding and re-encoding here (~1k gas per delivery). The receiver's decoder validates it.
    bytes calldata encodedMessage = msg.data[4 + uint256(bytes32(msg.data[4:36])):];
    return CallWithExactGas._callWithExactGasSafeReturnData(
      abi.encodePacked(IAny2EVMMessageReceiver.ccipReceive.selector, uint256(0x20), encodedMessage),
      receiver,
      gasLimit,
      gasForCallExactCheck,
      MAX_RET_BYTES
    );
  }

  // ================================================================
  // |                            Config                            |
  // ================================================================

  /// @notice Sets OnRamps, then removes and adds OffRamps. Only the owner.
  /// @dev Removing an absent OffRamp reverts (a typo must not pass silently); adding a present one is a no-op.
  function applyRampUpdates(
    OnRamp[] calldata onRampUpdates,
    OffRamp[] calldata offRampRemoves,
    OffRamp[] calldata offRampAdds
  ) external onlyOwner {
    for (uint256 i; i < onRampUpdates.length; ++i) {
      OnRamp calldata u = onRampUpdates[i];
      s_onRamps[u.destChainSelector] = u.onRamp;
      emit OnRampSet(u.destChainSelector, u.onRamp);
    }

    for (uint256 i; i < offRampRemoves.length; ++i) {
      uint64 source = offRampRemoves[i].sourceChainSelector;
      address offRamp = offRampRemoves[i].offRamp;
      uint256 key = _offRampKey(source, offRamp);
      uint256 position = s_offRampPositions[key];
      if (position == 0) revert OffRampMismatch(source, offRamp);
      uint256 last = s_offRamps.length;
      if (position != last) {
        OffRamp memory moved = s_offRamps[last - 1];
        s_offRamps[position - 1] = moved;
        s_offRampPositions[_offRampKey(moved.sourceChainSelector, moved.offRamp)] = position;
      }
      s_offRamps.pop();
      delete s_offRampPositions[key];
      emit OffRampRemoved(source, offRamp);
    }

    for (uint256 i; i < offRampAdds.length; ++i) {
      uint64 source = offRampAdds[i].sourceChainSelector;
      address offRamp = offRampAdds[i].offRamp;
      if (offRamp == address(0)) revert ZeroAddressNotAllowed();
      uint256 key = _offRampKey(source, offRamp);
      if (s_offRampPositions[key] != 0) continue;
      s_offRamps.push(OffRamp({sourceChainSelector: source, offRamp: offRamp}));
      s_offRampPositions[key] = s_offRamps.length;
      emit OffRampAdded(source, offRamp);
    }
  }

  /// @notice Sends `amount` of `tokenAddress` (native currency when address(0)) held by the Router to `to`.
  /// Only the owner. The Router never holds funds on purpose; this rescues mistakes.
  function recoverTokens(address tokenAddress, address to, uint256 amount) external onlyOwner {
    if (to == address(0)) revert ZeroAddressNotAllowed();
    if (tokenAddress == address(0)) {
      (bool ok,) = to.call{value: amount}("");
      if (!ok) revert FailedToSendValue();
    } else {
      IERC20(tokenAddress).safeTransfer(to, amount);
    }
    emit TokensRecovered(tokenAddress, to, amount);
  }

  // ================================================================
  // |                            Views                             |
  // ================================================================

  /// @inheritdoc IRouter
  function getOnRamp(uint64 destChainSelector) external view override returns (address) {
    return s_onRamps[destChainSelector];
  }

  /// @inheritdoc IRouter
  function isOffRamp(uint64 sourceChainSelector, address offRamp) external view override returns (bool) {
    return s_offRampPositions[_offRampKey(sourceChainSelector, offRamp)] != 0;
  }

  /// @notice Every registered (source chain, OffRamp) pair, in no particular order.
  function getOffRamps() external view returns (OffRamp[] memory) {
    return s_offRamps;
  }

  /// @notice The wrapped native token that native fees are paid in.
  function getWrappedNative() external view returns (address) {
    return i_wrappedNative;
  }

  /// @notice The ARM (risk management) proxy of this chain.
  function getArmProxy() external view returns (address) {
    return i_armProxy;
  }

  function _offRampKey(uint64 sourceChainSelector, address offRamp) internal pure returns (uint256) {
    return (uint256(sourceChainSelector) << 160) | uint256(uint160(offRamp));
  }
}
