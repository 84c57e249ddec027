// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable2Step} from "../../contracts/access/Ownable2Step.sol";
import {IBurnMintERC20} from "../../contracts/interfaces/IBurnMintERC20.sol";
import {IPool} from "../../contracts/interfaces/IPool.sol";
import {AttestedBurnMintTokenPool, AttestedTokenPool} from "../../contracts/pools/AttestedTokenPool.sol";
import {TokenPool} from "../../contracts/pools/TokenPool.sol";
import {BurnMintTestToken} from "../../contracts/tokens/BurnMintTestToken.sol";
import {PoolTestBase} from "../helpers/PoolTestBase.sol";

contract AttestedTokenPoolTest is PoolTestBase {
  uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

  BurnMintTestToken internal token;
  AttestedBurnMintTokenPool internal pool;
  address internal attester;
  uint256 internal attesterKey;

  function setUp() public {
    _setUpMocks();
    (attester, attesterKey) = makeAddrAndKey("attester");
    token = new BurnMintTestToken("BnM", "BnM", 18);
    pool = new AttestedBurnMintTokenPool(
      IBurnMintERC20(address(token)), 18, new address[](0), address(arm), address(router), attester
    );
    token.grantMintAndBurnRoles(address(pool));
    _addChain(pool, REMOTE, _cfg(CAPACITY, RATE), _cfg(CAPACITY, RATE));
  }

  function _digest(bytes32 messageId, address receiver, uint256 amount) internal view returns (bytes32) {
    return keccak256(
      abi.encode(keccak256("CCIPLocal.TokenAttestation.v1"), block.chainid, address(pool), messageId, receiver, amount)
    );
  }

  function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
    (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
    return abi.encodePacked(r, s, v);
  }

  function _attestedIn(uint256 amount) internal view returns (IPool.ReleaseOrMintIn memory rin) {
    rin = _releaseIn(address(token), amount, "");
    rin.offchainTokenData = _sign(attesterKey, _digest(rin.messageId, rin.receiver, amount));
  }

  function test_digestIsDocumented() public view {
    bytes32 id = keccak256("m");
    assertEq(pool.getAttestationDigest(id, bob, 5), _digest(id, bob, 5));
    assertEq(pool.ATTESTATION_DOMAIN(), keccak256("CCIPLocal.TokenAttestation.v1"));
  }

  function test_mintWithAttestation() public {
    IPool.ReleaseOrMintIn memory rin = _attestedIn(3e18);
    vm.expectEmit(address(pool));
    emit TokenPool.Minted(REMOTE, offRamp, bob, 3e18);
    vm.prank(offRamp);
    assertEq(pool.releaseOrMint(rin).destinationAmount, 3e18);
    assertEq(token.balanceOf(bob), 3e18);
  }

  function test_attestationSignsSourceAmount() public {
    // 6-decimal source: the attester signs the message's amount, the pool mints the converted one.
    IPool.ReleaseOrMintIn memory rin = _attestedIn(4e6);
    rin.sourcePoolData = abi.encode(uint8(6));
    vm.prank(offRamp);
    assertEq(pool.releaseOrMint(rin).destinationAmount, 4e18);
  }

  function test_revertsAttestationMissing() public {
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 1e18, "");
    vm.expectRevert(AttestedTokenPool.AttestationMissing.selector);
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function test_revertsWrongLength() public {
    IPool.ReleaseOrMintIn memory rin = _attestedIn(1e18);
    rin.offchainTokenData = bytes.concat(rin.offchainTokenData, hex"00");
    vm.expectRevert(abi.encodeWithSelector(AttestedTokenPool.InvalidAttestationLength.selector, 66));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function test_revertsWrongSigner() public {
    (address impostor, uint256 impostorKey) = makeAddrAndKey("impostor");
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 1e18, "");
    rin.offchainTokenData = _sign(impostorKey, _digest(rin.messageId, bob, 1e18));
    vm.expectRevert(abi.encodeWithSelector(AttestedTokenPool.InvalidAttestation.selector, impostor));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function test_revertsAttestationForOtherTransfer() public {
    IPool.ReleaseOrMintIn memory rin = _attestedIn(1e18);
    bytes memory sig = rin.offchainTokenData;

    // Each field the attestation covers: a change recovers some other address.
    IPool.ReleaseOrMintIn memory changed = _attestedIn(1e18);
    changed.offchainTokenData = sig;
    changed.amount = 2e18;
    _expectInvalid(changed);

    changed = _attestedIn(1e18);
    changed.offchainTokenData = sig;
    changed.receiver = alice;
    _expectInvalid(changed);

    changed = _attestedIn(1e18);
    changed.offchainTokenData = sig;
    changed.messageId = keccak256("other");
    _expectInvalid(changed);

    // Another chain id.
    vm.chainId(block.chainid + 1);
    _expectInvalid(rin);
  }

  function _expectInvalid(IPool.ReleaseOrMintIn memory rin) internal {
    (uint8 v, bytes32 r, bytes32 s) = _split(rin.offchainTokenData);
    address recovered = ecrecover(_digest(rin.messageId, rin.receiver, rin.amount), v, r, s);
    assertTrue(recovered != attester);
    vm.expectRevert(abi.encodeWithSelector(AttestedTokenPool.InvalidAttestation.selector, recovered));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function _split(bytes memory sig) internal pure returns (uint8 v, bytes32 r, bytes32 s) {
    (r, s) = abi.decode(sig, (bytes32, bytes32));
    v = uint8(sig[64]);
  }

  function test_revertsMalleableSignature() public {
    IPool.ReleaseOrMintIn memory rin = _attestedIn(1e18);
    (uint8 v, bytes32 r, bytes32 s) = _split(rin.offchainTokenData);
    // The twin (r, n - s, v ^ 1) recovers the same signer; it must still be refused.
    bytes32 highS = bytes32(SECP256K1_N - uint256(s));
    uint8 flipped = v == 27 ? 28 : 27;
    assertEq(ecrecover(_digest(rin.messageId, bob, 1e18), flipped, r, highS), attester);
    rin.offchainTokenData = abi.encodePacked(r, highS, flipped);
    vm.expectRevert(AttestedTokenPool.MalleableAttestation.selector);
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function test_revertsBadV() public {
    IPool.ReleaseOrMintIn memory rin = _attestedIn(1e18);
    (, bytes32 r, bytes32 s) = _split(rin.offchainTokenData);
    rin.offchainTokenData = abi.encodePacked(r, s, uint8(29));
    vm.expectRevert(abi.encodeWithSelector(AttestedTokenPool.InvalidAttestation.selector, address(0)));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
  }

  function test_baseChecksComeFirst() public {
    IPool.ReleaseOrMintIn memory rin = _releaseIn(address(token), 1e18, "");
    rin.sourcePoolAddress = stranger;
    vm.expectRevert(abi.encodeWithSelector(TokenPool.InvalidSourcePoolAddress.selector, stranger));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
    rin = _attestedIn(1e18);
    vm.expectRevert(abi.encodeWithSelector(TokenPool.CallerIsNotARampOnRouter.selector, stranger));
    vm.prank(stranger);
    pool.releaseOrMint(rin);
  }

  function test_burnNeedsNoAttestation() public {
    token.drip(onRamp);
    vm.startPrank(onRamp);
    token.transfer(address(pool), 1e18);
    pool.lockOrBurn(_lockIn(address(token), 1e18));
    vm.stopPrank();
    assertEq(token.totalSupply(), 0);
  }

  function test_setAttester() public {
    assertEq(pool.getAttester(), attester);
    (address next, uint256 nextKey) = makeAddrAndKey("next");
    vm.expectEmit(address(pool));
    emit AttestedTokenPool.AttesterSet(attester, next);
    pool.setAttester(next);
    assertEq(pool.getAttester(), next);

    // The old key no longer works, the new one does.
    IPool.ReleaseOrMintIn memory rin = _attestedIn(1e18);
    vm.expectRevert(abi.encodeWithSelector(AttestedTokenPool.InvalidAttestation.selector, attester));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
    rin.offchainTokenData = _sign(nextKey, _digest(rin.messageId, bob, 1e18));
    vm.prank(offRamp);
    pool.releaseOrMint(rin);
    assertEq(token.balanceOf(bob), 1e18);
  }

  function test_setAttester_reverts() public {
    vm.expectRevert(TokenPool.ZeroAddressNotAllowed.selector);
    pool.setAttester(address(0));
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    vm.prank(stranger);
    pool.setAttester(stranger);
  }

  function test_constructor_revertsZeroAttester() public {
    vm.expectRevert(TokenPool.ZeroAddressNotAllowed.selector);
    new AttestedBurnMintTokenPool(
      IBurnMintERC20(address(token)), 18, new address[](0), address(arm), address(router), address(0)
    );
  }

  function test_constructor_emitsAttesterSet() public {
    vm.expectEmit(true, true, true, true);
    emit AttestedTokenPool.AttesterSet(address(0), attester);
    new AttestedBurnMintTokenPool(
      IBurnMintERC20(address(token)), 18, new address[](0), address(arm), address(router), attester
    );
  }
}
