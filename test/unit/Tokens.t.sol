// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable2Step} from "../../contracts/access/Ownable2Step.sol";
import {BurnMintERC677} from "../../contracts/tokens/BurnMintERC677.sol";
import {BurnMintTestToken} from "../../contracts/tokens/BurnMintTestToken.sol";
import {ERC20} from "../../contracts/tokens/ERC20.sol";
import {ERC677} from "../../contracts/tokens/ERC677.sol";
import {FaucetToken} from "../../contracts/tokens/FaucetToken.sol";
import {WrappedNative} from "../../contracts/tokens/WrappedNative.sol";
import {Test} from "forge-std/Test.sol";

contract ERC677Recorder {
  address public lastSender;
  uint256 public lastAmount;
  bytes public lastData;

  function onTokenTransfer(address sender, uint256 amount, bytes calldata data) external {
    lastSender = sender;
    lastAmount = amount;
    lastData = data;
  }
}

contract Reverter {
  fallback() external payable {
    revert("no");
  }
}

contract TokensTest is Test {
  address internal alice = makeAddr("alice");
  address internal bob = makeAddr("bob");
  address internal pool = makeAddr("pool");

  BurnMintTestToken internal bnm;
  FaucetToken internal link;
  WrappedNative internal weth;

  function setUp() public {
    bnm = new BurnMintTestToken("CCIP-BnM", "CCIP-BnM", 18);
    link = new FaucetToken("LINK", "LINK", 18, 10e18);
    weth = new WrappedNative();
  }

  function test_DripMintsFixedAmounts() public {
    bnm.drip(alice);
    link.drip(alice);
    assertEq(bnm.balanceOf(alice), 1e18);
    assertEq(link.balanceOf(alice), 10e18);
    assertEq(bnm.totalSupply(), 1e18);
  }

  function test_TransferAndAllowance() public {
    link.drip(alice);
    vm.prank(alice);
    link.approve(bob, 3e18);
    vm.prank(bob);
    link.transferFrom(alice, bob, 2e18);
    assertEq(link.balanceOf(bob), 2e18);
    assertEq(link.allowance(alice, bob), 1e18);
    vm.expectRevert(abi.encodeWithSelector(ERC20.InsufficientAllowance.selector, bob, 1e18, 2e18));
    vm.prank(bob);
    link.transferFrom(alice, bob, 2e18);
  }

  function test_RevertWhen_TransferExceedsBalanceOrToZero() public {
    vm.expectRevert(abi.encodeWithSelector(ERC20.InsufficientBalance.selector, alice, 0, 1));
    vm.prank(alice);
    link.transfer(bob, 1);
    link.drip(alice);
    vm.expectRevert(abi.encodeWithSelector(ERC20.InvalidRecipient.selector, address(0)));
    vm.prank(alice);
    link.transfer(address(0), 1);
  }

  function test_BurnMintRolesGate() public {
    vm.expectRevert(abi.encodeWithSelector(BurnMintERC677.NotMinter.selector, pool));
    vm.prank(pool);
    bnm.mint(alice, 1);
    bnm.grantMintAndBurnRoles(pool);
    vm.prank(pool);
    bnm.mint(pool, 5);
    vm.prank(pool);
    bnm.burn(2);
    assertEq(bnm.balanceOf(pool), 3);
    bnm.drip(alice);
    vm.prank(alice);
    bnm.approve(pool, 1e18);
    vm.prank(pool);
    bnm.burnFrom(alice, 1e18);
    assertEq(bnm.balanceOf(alice), 0);
    bnm.revokeMintAndBurnRoles(pool);
    vm.expectRevert(abi.encodeWithSelector(BurnMintERC677.NotBurner.selector, pool));
    vm.prank(pool);
    bnm.burn(1);
    vm.expectRevert(abi.encodeWithSelector(BurnMintERC677.NotBurner.selector, pool));
    vm.prank(pool);
    bnm.burnFrom(alice, 1);
  }

  function test_RoleAndAdminChangesOnlyByOwner() public {
    vm.startPrank(alice);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    bnm.grantMintAndBurnRoles(alice);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    bnm.setCCIPAdmin(alice);
    vm.expectRevert(Ownable2Step.OnlyOwner.selector);
    link.mint(alice, 1);
    vm.stopPrank();
    assertEq(bnm.getCCIPAdmin(), address(this));
    bnm.setCCIPAdmin(bob);
    assertEq(bnm.getCCIPAdmin(), bob);
  }

  function test_OwnershipTransfersInTwoSteps() public {
    link.transferOwnership(alice);
    assertEq(link.owner(), address(this));
    vm.expectRevert(Ownable2Step.OnlyPendingOwner.selector);
    vm.prank(bob);
    link.acceptOwnership();
    vm.prank(alice);
    link.acceptOwnership();
    assertEq(link.owner(), alice);
    assertEq(link.pendingOwner(), address(0));
  }

  function test_TransferAndCallNotifiesContracts() public {
    ERC677Recorder rec = new ERC677Recorder();
    link.drip(alice);
    vm.prank(alice);
    link.transferAndCall(address(rec), 4e18, hex"beef");
    assertEq(rec.lastSender(), alice);
    assertEq(rec.lastAmount(), 4e18);
    assertEq(rec.lastData(), hex"beef");
    Reverter r = new Reverter();
    vm.expectRevert(abi.encodeWithSelector(ERC677.TransferAndCallFailed.selector, address(r)));
    vm.prank(alice);
    link.transferAndCall(address(r), 1, "");
  }

  function test_WrapAndUnwrap() public {
    vm.deal(alice, 5 ether);
    vm.prank(alice);
    weth.deposit{value: 2 ether}();
    vm.prank(alice);
    (bool ok,) = address(weth).call{value: 1 ether}("");
    assertTrue(ok);
    assertEq(weth.balanceOf(alice), 3 ether);
    vm.prank(alice);
    weth.withdraw(1 ether);
    assertEq(alice.balance, 3 ether);
    assertEq(address(weth).balance, 2 ether);
    vm.expectRevert(abi.encodeWithSelector(ERC20.InsufficientBalance.selector, alice, 2 ether, 3 ether));
    vm.prank(alice);
    weth.withdraw(3 ether);
  }
}
