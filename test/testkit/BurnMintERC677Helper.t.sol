// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable2Step} from "../../contracts/access/Ownable2Step.sol";
import {CCIPLocalSimulator} from "../../contracts/testkit/CCIPLocalSimulator.sol";
import {BurnMintERC677Helper} from "../../contracts/testkit/CCIPLocalSimulatorTokens.sol";
import {BurnMintERC677} from "../../contracts/tokens/BurnMintERC677.sol";
import {ERC20} from "../../contracts/tokens/ERC20.sol";
import {ERC677} from "../../contracts/tokens/ERC677.sol";
import {Test} from "forge-std/Test.sol";

/// @dev A capped BurnMintERC677, to reach maxSupply's revert (the helper itself is uncapped).
contract CappedBurnMint is BurnMintERC677 {
  constructor(uint256 cap) ERC20("Capped", "CAP", 18) BurnMintERC677(cap) {}
}

contract TransferRecorder {
  address public lastSender;
  uint256 public lastAmount;
  bytes public lastData;

  function onTokenTransfer(address sender, uint256 amount, bytes calldata data) external {
    lastSender = sender;
    lastAmount = amount;
    lastData = data;
  }
}

/// @notice chainlink-local's BurnMintERC677Helper API on our helper: allowances under both names, the
/// role sets, the supply cap, ERC-677 and ERC-165.
contract BurnMintERC677HelperTest is Test {
  event Approval(address indexed owner, address indexed spender, uint256 value);
  event Transfer(address indexed from, address indexed to, uint256 value, bytes data);
  event MintAccessGranted(address indexed minter);
  event MintAccessRevoked(address indexed minter);
  event BurnAccessGranted(address indexed burner);
  event BurnAccessRevoked(address indexed burner);

  BurnMintERC677Helper internal token;
  address internal alice = makeAddr("alice");
  address internal bob = makeAddr("bob");
  address internal pool = makeAddr("pool");

  function setUp() public {
    token = new BurnMintERC677Helper("CCIP-LnM", "CCIP-LnM");
  }

  function test_metadataAndDrip() public {
    assertEq(token.name(), "CCIP-LnM");
    assertEq(token.symbol(), "CCIP-LnM");
    assertEq(token.decimals(), 18);
    assertEq(token.maxSupply(), 0);
    assertEq(token.owner(), address(this));
    token.drip(alice);
    token.drip(alice);
    assertEq(token.balanceOf(alice), 2e18);
    assertEq(token.totalSupply(), 2e18);
  }

  function test_increaseAndDecreaseAllowance_bothNames() public {
    vm.startPrank(alice);
    vm.expectEmit(address(token));
    emit Approval(alice, bob, 5);
    assertTrue(token.increaseAllowance(bob, 5));
    vm.expectEmit(address(token));
    emit Approval(alice, bob, 12);
    assertTrue(token.increaseApproval(bob, 7));
    assertEq(token.allowance(alice, bob), 12);
    vm.expectEmit(address(token));
    emit Approval(alice, bob, 10);
    assertTrue(token.decreaseAllowance(bob, 2));
    assertTrue(token.decreaseApproval(bob, 4));
    assertEq(token.allowance(alice, bob), 6);
    vm.stopPrank();
  }

  function test_decreaseAllowance_RevertWhen_belowZero() public {
    vm.prank(alice);
    token.approve(bob, 3);
    vm.expectRevert(abi.encodeWithSelector(ERC20.InsufficientAllowance.selector, bob, 3, 4));
    vm.prank(alice);
    token.decreaseAllowance(bob, 4);
    vm.expectRevert(abi.encodeWithSelector(ERC20.InsufficientAllowance.selector, bob, 3, 4));
    vm.prank(alice);
    token.decreaseApproval(bob, 4);
    assertEq(token.allowance(alice, bob), 3);
  }

  function test_grantAndRevokeRoles_separately() public {
    vm.expectEmit(address(token));
    emit MintAccessGranted(alice);
    token.grantMintRole(alice);
    vm.expectEmit(address(token));
    emit BurnAccessGranted(bob);
    token.grantBurnRole(bob);

    assertTrue(token.isMinter(alice));
    assertFalse(token.isBurner(alice));
    assertTrue(token.isBurner(bob));
    assertFalse(token.isMinter(bob));
    assertEq(token.getMinters().length, 1);
    assertEq(token.getMinters()[0], alice);
    assertEq(token.getBurners().length, 1);
    assertEq(token.getBurners()[0], bob);

    // A minter only mints, a burner only burns.
    vm.prank(alice);
    token.mint(bob, 9);
    vm.expectRevert(abi.encodeWithSelector(BurnMintERC677.NotBurner.selector, alice));
    vm.prank(alice);
    token.burn(1);
    vm.prank(bob);
    token.burn(4);
    assertEq(token.balanceOf(bob), 5);
    vm.expectRevert(abi.encodeWithSelector(BurnMintERC677.NotMinter.selector, bob));
    vm.prank(bob);
    token.mint(bob, 1);

    vm.expectEmit(address(token));
    emit MintAccessRevoked(alice);
    token.revokeMintRole(alice);
    vm.expectEmit(address(token));
    emit BurnAccessRevoked(bob);
    token.revokeBurnRole(bob);
    assertEq(token.getMinters().length, 0);
    assertEq(token.getBurners().length, 0);
    vm.expectRevert(abi.encodeWithSelector(BurnMintERC677.NotMinter.selector, alice));
    vm.prank(alice);
    token.mint(alice, 1);
  }

  function test_roles_noEventWithoutChange() public {
    token.grantMintAndBurnRoles(pool);
    vm.recordLogs();
    token.grantMintAndBurnRoles(pool);
    token.grantMintRole(pool);
    token.revokeBurnRole(alice);
    assertEq(vm.getRecordedLogs().length, 0);
    assertEq(token.getMinters().length, 1);
    assertEq(token.getBurners().length, 1);
  }

  function test_getMinters_enumeratesAfterRemoval() public {
    token.grantMintRole(alice);
    token.grantMintRole(bob);
    token.grantMintRole(pool);
    token.revokeMintRole(alice);
    address[] memory minters = token.getMinters();
    assertEq(minters.length, 2);
    assertTrue((minters[0] == pool && minters[1] == bob) || (minters[0] == bob && minters[1] == pool));
    assertFalse(token.isMinter(alice));
  }

  function test_roles_onlyOwner() public {
    vm.startPrank(alice);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    token.grantMintRole(alice);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    token.grantBurnRole(alice);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    token.revokeMintRole(alice);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    token.revokeBurnRole(alice);
    vm.stopPrank();
  }

  function test_burnWithAccount_spendsAllowance() public {
    token.grantBurnRole(pool);
    token.drip(alice);
    vm.prank(alice);
    token.approve(pool, 6e17);
    vm.prank(pool);
    token.burn(alice, 4e17);
    assertEq(token.balanceOf(alice), 6e17);
    assertEq(token.allowance(alice, pool), 2e17);
    assertEq(token.totalSupply(), 6e17);
    vm.expectRevert(abi.encodeWithSelector(ERC20.InsufficientAllowance.selector, pool, 2e17, 3e17));
    vm.prank(pool);
    token.burn(alice, 3e17);
  }

  function test_maxSupply_capsMint() public {
    CappedBurnMint capped = new CappedBurnMint(10);
    assertEq(capped.maxSupply(), 10);
    capped.grantMintRole(address(this));
    capped.mint(alice, 10);
    vm.expectRevert(abi.encodeWithSelector(BurnMintERC677.MaxSupplyExceeded.selector, 11));
    capped.mint(alice, 1);
    assertEq(capped.totalSupply(), 10);
  }

  function test_transferAndCall_callsContractAndLogsData() public {
    TransferRecorder rec = new TransferRecorder();
    token.drip(alice);
    vm.expectEmit(address(token));
    emit Transfer(alice, address(rec), 3e17, hex"c0ffee");
    vm.prank(alice);
    assertTrue(token.transferAndCall(address(rec), 3e17, hex"c0ffee"));
    assertEq(token.balanceOf(address(rec)), 3e17);
    assertEq(rec.lastSender(), alice);
    assertEq(rec.lastAmount(), 3e17);
    assertEq(rec.lastData(), hex"c0ffee");
    // An EOA is not called.
    vm.prank(alice);
    assertTrue(token.transferAndCall(bob, 1e17, hex"01"));
    assertEq(token.balanceOf(bob), 1e17);
  }

  function test_transferAndCall_RevertWhen_receiverReverts() public {
    token.drip(alice);
    // The token itself has no onTokenTransfer: the call fails and the transfer is undone.
    vm.expectRevert(abi.encodeWithSelector(ERC677.TransferAndCallFailed.selector, address(this)));
    vm.prank(alice);
    token.transferAndCall(address(this), 1, "");
    assertEq(token.balanceOf(alice), 1e18);
  }

  function test_supportsInterface_chainlinkIds() public view {
    bytes4 ierc20 = bytes4(keccak256("totalSupply()")) ^ bytes4(keccak256("balanceOf(address)"))
      ^ bytes4(keccak256("transfer(address,uint256)")) ^ bytes4(keccak256("allowance(address,address)"))
      ^ bytes4(keccak256("approve(address,uint256)")) ^ bytes4(keccak256("transferFrom(address,address,uint256)"));
    bytes4 ierc677 = bytes4(keccak256("transferAndCall(address,uint256,bytes)"));
    bytes4 iburnMint = bytes4(keccak256("mint(address,uint256)")) ^ bytes4(keccak256("burn(uint256)"))
      ^ bytes4(keccak256("burn(address,uint256)")) ^ bytes4(keccak256("burnFrom(address,uint256)"));
    assertEq(ierc20, bytes4(0x36372b07));
    assertTrue(token.supportsInterface(ierc20));
    assertTrue(token.supportsInterface(ierc677));
    assertTrue(token.supportsInterface(iburnMint));
    assertTrue(token.supportsInterface(0x01ffc9a7));
    assertFalse(token.supportsInterface(0xffffffff));
    assertFalse(token.supportsInterface(0x85572ffb));
  }

  /// @dev The simulator's CCIP-BnM has the same API: its pool is an enumerable minter and burner.
  function test_simulatorBnM_exposesRoles() public {
    CCIPLocalSimulator simulator = new CCIPLocalSimulator();
    (,,,,, BurnMintERC677Helper ccipBnM, BurnMintERC677Helper ccipLnM) = simulator.configuration();
    address[] memory minters = ccipBnM.getMinters();
    assertGt(minters.length, 0);
    assertEq(minters.length, ccipBnM.getBurners().length);
    assertTrue(ccipBnM.isMinter(minters[0]));
    assertEq(ccipBnM.maxSupply(), 0);
    assertTrue(ccipLnM.supportsInterface(bytes4(keccak256("transferAndCall(address,uint256,bytes)"))));
  }
}
