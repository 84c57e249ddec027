// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

/// @title AddressSet
/// @notice An enumerable set of addresses: O(1) membership, add and remove (swap-and-pop), and the
/// values as one array for views. Adding a present or removing an absent address returns false, so
/// config updates can be re-applied without reverting.
library AddressSet {
  struct Set {
    address[] values;
    mapping(address => uint256) positions; // 1-based index into values; 0 = absent
  }

  function contains(Set storage set, address value) internal view returns (bool) {
    return set.positions[value] != 0;
  }

  function add(Set storage set, address value) internal returns (bool) {
    if (set.positions[value] != 0) return false;
    set.values.push(value);
    set.positions[value] = set.values.length;
    return true;
  }

  function remove(Set storage set, address value) internal returns (bool) {
    uint256 position = set.positions[value];
    if (position == 0) return false;
    uint256 last = set.values.length;
    if (position != last) {
      address moved = set.values[last - 1];
      set.values[position - 1] = moved;
      set.positions[moved] = position;
    }
    set.values.pop();
    delete set.positions[value];
    return true;
  }
}
