// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

import {Ownable2Step} from "../access/Ownable2Step.sol";
import {IBurnMintERC20} from "../interfaces/IBurnMintERC20.sol";
import {IERC165} from "../interfaces/IERC165.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {IERC677} from "../interfaces/IERC677.sol";
import {AddressSet} from "../libraries/AddressSet.sol";
import {ERC677} from "./ERC677.sol";

/// @title BurnMintERC677
/// @notice An ERC-677 token that burn/mint pools move: the owner grants mint and burn rights (to pools,
/// usually), each set enumerable; an optional cap on the total supply; a CCIP admin for the
/// TokenAdminRegistry. The API of Chainlink's BurnMintERC677, so tests written against it run unchanged.
abstract contract BurnMintERC677 is ERC677, IBurnMintERC20, IERC165, Ownable2Step {
  using AddressSet for AddressSet.Set;

  /// @notice The caller has no mint right.
  error NotMinter(address caller);
  /// @notice The caller has no burn right.
  error NotBurner(address caller);
  /// @notice A mint would take the total supply to `supplyAfterMint`, above `maxSupply()`.
  error MaxSupplyExceeded(uint256 supplyAfterMint);

  event MintAccessGranted(address indexed minter);
  event MintAccessRevoked(address indexed minter);
  event BurnAccessGranted(address indexed burner);
  event BurnAccessRevoked(address indexed burner);
  event CCIPAdminTransferred(address indexed previousAdmin, address indexed newAdmin);

  /// @dev 0: no cap.
  uint256 internal immutable i_maxSupply;

  AddressSet.Set internal s_minters;
  AddressSet.Set internal s_burners;
  address internal s_ccipAdmin;

  /// @param maxSupply_ The cap on the total supply; 0 for none.
  constructor(uint256 maxSupply_) Ownable2Step(msg.sender) {
    i_maxSupply = maxSupply_;
    s_ccipAdmin = msg.sender;
    emit CCIPAdminTransferred(address(0), msg.sender);
  }

  modifier onlyMinter() {
    if (!s_minters.contains(msg.sender)) revert NotMinter(msg.sender);
    _;
  }

  modifier onlyBurner() {
    if (!s_burners.contains(msg.sender)) revert NotBurner(msg.sender);
    _;
  }

  // ================================================================
  // │                        Mint and burn                         │
  // ================================================================

  /// @inheritdoc IBurnMintERC20
  function mint(address account, uint256 amount) external onlyMinter {
    _mint(account, amount);
  }

  /// @inheritdoc IBurnMintERC20
  function burn(uint256 amount) external onlyBurner {
    _burn(msg.sender, amount);
  }

  /// @inheritdoc IBurnMintERC20
  function burn(address account, uint256 amount) external onlyBurner {
    _burnFrom(account, amount);
  }

  /// @inheritdoc IBurnMintERC20
  function burnFrom(address account, uint256 amount) external onlyBurner {
    _burnFrom(account, amount);
  }

  /// @notice The cap on the total supply; 0 means none.
  function maxSupply() external view returns (uint256) {
    return i_maxSupply;
  }

  // ================================================================
  // │                            Roles                             │
  // ================================================================

  /// @notice Grants `minter` the mint right. Only the owner.
  function grantMintRole(address minter) external onlyOwner {
    _grantMint(minter);
  }

  /// @notice Grants `burner` the burn right. Only the owner.
  function grantBurnRole(address burner) external onlyOwner {
    _grantBurn(burner);
  }

  /// @notice Grants `pool` both the mint and the burn right. Only the owner.
  function grantMintAndBurnRoles(address pool) external onlyOwner {
    _grantMint(pool);
    _grantBurn(pool);
  }

  /// @notice Takes the mint right from `minter`. Only the owner.
  function revokeMintRole(address minter) external onlyOwner {
    _revokeMint(minter);
  }

  /// @notice Takes the burn right from `burner`. Only the owner.
  function revokeBurnRole(address burner) external onlyOwner {
    _revokeBurn(burner);
  }

  /// @notice Takes both rights from `pool`. Only the owner.
  function revokeMintAndBurnRoles(address pool) external onlyOwner {
    _revokeMint(pool);
    _revokeBurn(pool);
  }

  /// @notice Every address with the mint right, in no particular order.
  function getMinters() external view returns (address[] memory) {
    return s_minters.values;
  }

  /// @notice Every address with the burn right, in no particular order.
  function getBurners() external view returns (address[] memory) {
    return s_burners.values;
  }

  /// @notice Whether `account` has the mint right.
  function isMinter(address account) external view returns (bool) {
    return s_minters.contains(account);
  }

  /// @notice Whether `account` has the burn right.
  function isBurner(address account) external view returns (bool) {
    return s_burners.contains(account);
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

  /// @notice ERC-165: IERC20, IERC677, IBurnMintERC20 (Chainlink's id) and IERC165.
  function supportsInterface(bytes4 interfaceId) public pure virtual returns (bool) {
    return interfaceId == type(IERC20).interfaceId || interfaceId == type(IERC677).interfaceId
      || interfaceId == type(IBurnMintERC20).interfaceId || interfaceId == type(IERC165).interfaceId;
  }

  // ================================================================
  // │                          Internals                           │
  // ================================================================

  /// @dev Every mint, the faucet's included, respects the cap.
  function _mint(address to, uint256 amount) internal virtual override {
    uint256 supplyAfterMint = totalSupply + amount;
    if (i_maxSupply != 0 && supplyAfterMint > i_maxSupply) revert MaxSupplyExceeded(supplyAfterMint);
    super._mint(to, amount);
  }

  function _burnFrom(address account, uint256 amount) internal {
    _spendAllowance(account, msg.sender, amount);
    _burn(account, amount);
  }

  function _grantMint(address minter) internal {
    if (s_minters.add(minter)) emit MintAccessGranted(minter);
  }

  function _grantBurn(address burner) internal {
    if (s_burners.add(burner)) emit BurnAccessGranted(burner);
  }

  function _revokeMint(address minter) internal {
    if (s_minters.remove(minter)) emit MintAccessRevoked(minter);
  }

  function _revokeBurn(address burner) internal {
    if (s_burners.remove(burner)) emit BurnAccessRevoked(burner);
  }
}
