// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {IBurnMintERC20} from "../interfaces/IBurnMintERC20.sol";
import {BurnMintTokenPool} from "./BurnMintTokenPool.sol";
import {TokenPool} from "./TokenPool.sol";

/// @title AttestedTokenPool
/// @notice Opt-in issuer attestation: on top of every TokenPool check, an inbound transfer pays out
/// only with a signature of the token issuer's attester. Mix into any concrete pool.
/// @dev The attester signs, with plain secp256k1 over the raw 32-byte digest (no EIP-191 prefix):
///   digest = keccak256(abi.encode(
///     ATTESTATION_DOMAIN,   // bytes32 keccak256("CCIPLocal.TokenAttestation.v1")
///     block.chainid,        // uint256, the DESTINATION chain id
///     address(this),        // address, the destination pool
///     messageId,            // bytes32, the lane's message id
///     receiver,             // address, the destination receiver
///     amount                // uint256, the amount in SOURCE units as carried by the message
///   ))
/// and the offchainTokenData is the 65-byte r ‖ s ‖ v (v in {27, 28}, s in the lower half order).
/// The message id makes each attestation single-use: the OffRamp executes a message at most once.
abstract contract AttestedTokenPool is TokenPool {
  error AttestationMissing();
  error InvalidAttestationLength(uint256 length);
  error MalleableAttestation();
  error InvalidAttestation(address signer);

  event AttesterSet(address oldAttester, address newAttester);

  bytes32 public constant ATTESTATION_DOMAIN = keccak256("CCIPLocal.TokenAttestation.v1");
  /// @dev secp256k1 order / 2: signatures with a larger s are the malleated twin of a valid one.
  uint256 internal constant MAX_S = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

  address internal s_attester;

  /// @param attester The issuer's signing address; never zero (ecrecover returns zero on failure).
  constructor(address attester) {
    if (attester == address(0)) revert ZeroAddressNotAllowed();
    s_attester = attester;
    emit AttesterSet(address(0), attester);
  }

  /// @notice Replaces the attester (key rotation). Only the owner.
  function setAttester(address newAttester) external onlyOwner {
    if (newAttester == address(0)) revert ZeroAddressNotAllowed();
    emit AttesterSet(s_attester, newAttester);
    s_attester = newAttester;
  }

  /// @notice The address whose signature inbound transfers need.
  function getAttester() external view returns (address) {
    return s_attester;
  }

  /// @notice The digest the attester signs for one inbound transfer into this pool on this chain.
  function getAttestationDigest(bytes32 messageId, address receiver, uint256 amount) public view returns (bytes32) {
    return keccak256(abi.encode(ATTESTATION_DOMAIN, block.chainid, address(this), messageId, receiver, amount));
  }

  function _validateReleaseOrMint(ReleaseOrMintIn calldata releaseOrMintIn, uint256 localAmount)
    internal
    virtual
    override
  {
    super._validateReleaseOrMint(releaseOrMintIn, localAmount);
    bytes calldata sig = releaseOrMintIn.offchainTokenData;
    if (sig.length == 0) revert AttestationMissing();
    if (sig.length != 65) revert InvalidAttestationLength(sig.length);
    bytes32 r = bytes32(sig[0:32]);
    bytes32 s = bytes32(sig[32:64]);
    if (uint256(s) > MAX_S) revert MalleableAttestation();
    address signer = ecrecover(
      getAttestationDigest(releaseOrMintIn.messageId, releaseOrMintIn.receiver, releaseOrMintIn.amount),
      uint8(sig[64]),
      r,
      s
    );
    if (signer == address(0) || signer != s_attester) revert InvalidAttestation(signer);
  }
}

/// @title AttestedBurnMintTokenPool
/// @notice A BurnMintTokenPool whose inbound mints need the issuer's attestation.
contract AttestedBurnMintTokenPool is BurnMintTokenPool, AttestedTokenPool {
  /// @param token The pool's token; must implement IBurnMintERC20 and grant this pool mint/burn rights.
  /// @param localTokenDecimals The token's decimals.
  /// @param allowlist Initial allowed senders; non-empty turns the allowlist on.
  /// @param arm The risk management contract.
  /// @param router The Router whose ramps may call the pool.
  /// @param attester The issuer's signing address.
  constructor(
    IBurnMintERC20 token,
    uint8 localTokenDecimals,
    address[] memory allowlist,
    address arm,
    address router,
    address attester
  ) BurnMintTokenPool(token, localTokenDecimals, allowlist, arm, router) AttestedTokenPool(attester) {}

  function _validateReleaseOrMint(ReleaseOrMintIn calldata releaseOrMintIn, uint256 localAmount)
    internal
    override(TokenPool, AttestedTokenPool)
  {
    super._validateReleaseOrMint(releaseOrMintIn, localAmount);
  }
}
