// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable2Step} from "../access/Ownable2Step.sol";
import {IBurnMintERC20} from "../interfaces/IBurnMintERC20.sol";
import {ERC20} from "./ERC20.sol";

/// @title BurnMintTestToken
/// @notice A test token whose pools burn on the source and mint on the destination. The owner grants
/// mint and burn rights to pools; anyone can `drip` one token from the faucet.
contract BurnMintTestToken is ERC20, IBurnMintERC20, Ownable2Step {
  error NotMinter(address caller);
  error NotBurner(address caller);

  event MintAccessGranted(address indexed minter);
  event MintAccessRevoked(address indexed minter);
  event BurnAccessGranted(address indexed burner);
  event BurnAccessRevoked(address indexed burner);
  event CCIPAdminTransferred(address indexed previousAdmin, address indexed newAdmin);

  uint256 public constant DRIP_AMOUNT = 1e18;

  mapping(address => bool) public isMinter;
  mapping(address => bool) public isBurner;
  address private s_ccipAdmin;

  constructor(string memory name_, string memory symbol_, uint8 decimals_)
    ERC20(name_, symbol_, decimals_)
    Ownable2Step(msg.sender)
  {
    s_ccipAdmin = msg.sender;
  }

  /// @notice Mints DRIP_AMOUNT to `to`: a faucet for local networks.
  function drip(address to) external {
    _mint(to, DRIP_AMOUNT);
  }

  /// @inheritdoc IBurnMintERC20
  function mint(address account, uint256 amount) external {
    if (!isMinter[msg.sender]) revert NotMinter(msg.sender);
    _mint(account, amount);
  }

  /// @inheritdoc IBurnMintERC20
  function burn(uint256 amount) external {
    if (!isBurner[msg.sender]) revert NotBurner(msg.sender);
    _burn(msg.sender, amount);
  }

  /// @inheritdoc IBurnMintERC20
  function burnFrom(address account, uint256 amount) external {
    if (!isBurner[msg.sender]) revert NotBurner(msg.sender);
    _spendAllowance(account, msg.sender, amount);
    _burn(account, amount);
  }

  /// @notice Grants `pool` both mint and burn rights. Only the owner.
  function grantMintAndBurnRoles(address pool) external onlyOwner {
    isMinter[pool] = true;
    isBurner[pool] = true;
    emit MintAccessGranted(pool);
    emit BurnAccessGranted(pool);
  }

  /// @notice Revokes `pool`'s mint and burn rights. Only the owner.
  function revokeMintAndBurnRoles(address pool) external onlyOwner {
    isMinter[pool] = false;
    isBurner[pool] = false;
    emit MintAccessRevoked(pool);
    emit BurnAccessRevoked(pool);
  }

  /// @notice The address allowed to register this token's pool in the TokenAdminRegistry.
  function getCCIPAdmin() external view returns (address) {
    return s_ccipAdmin;
  }

  /// @notice Hands the CCIP admin role to `newAdmin`. Only the owner.
  function setCCIPAdmin(address newAdmin) external onlyOwner {
    emit CCIPAdminTransferred(s_ccipAdmin, newAdmin);
    s_ccipAdmin = newAdmin;
  }
}
