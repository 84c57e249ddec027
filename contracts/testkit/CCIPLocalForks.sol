// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CCIPLocalNetwork, CCIPLocalOffchain} from "./CCIPLocalNetwork.sol";

/// @title CCIPLocalKeys
/// @notice The key derivation of `ccip_deploy::keys::derive_key`: every role key of a network file follows from
/// its `seed`, so the file never carries them.
library CCIPLocalKeys {
  /// @notice No valid secp256k1 scalar within 16 counters (practically unreachable).
  error NoValidKey(string role, uint32 index);

  string internal constant DEPLOYER = "deployer";
  string internal constant COMMIT_SIGNER = "commit-signer";
  string internal constant COMMIT_TRANSMITTER = "commit-transmitter";
  string internal constant EXEC_TRANSMITTER = "exec-transmitter";
  string internal constant ARM_VOTER = "arm-voter";
  string internal constant USER = "user";

  uint256 internal constant SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

  /// @notice keccak256("ccip-local/key" || u64be(len seed) || seed || u64be(len role) || role || u32be(index) ||
  /// u32be(counter)), the first counter from 0 whose hash is a valid private key.
  function deriveKey(string memory seed, string memory role, uint32 index) internal pure returns (uint256 key) {
    for (uint32 counter = 0; counter < 16; ++counter) {
      key = uint256(
        keccak256(
          abi.encodePacked(
            "ccip-local/key", uint64(bytes(seed).length), seed, uint64(bytes(role).length), role, index, counter
          )
        )
      );
      if (key != 0 && key < SECP256K1_ORDER) return key;
    }
    revert NoValidKey(role, index);
  }
}

/// @title CCIPLocalForks
/// @notice The kit in multi-fork mode: one fork per chain of a running network (the network file `ccip up`
/// writes), the off-chain roles played with the network's own keys (derived from the file's seed) and
/// addresses, and delivery between the forks. Select a chain's fork (`selectChain`), send through its Router
/// as usual, then call `route()`; every entry point leaves the caller's fork selected.
/// @dev The forks diverge from the live chains at creation: delivery happens on the forks only. A contract a
/// test deploys exists on the fork where it was deployed. Messages sent on the live chains before the forks
/// were created and not committed there are unknown to the kit (routing their lane reverts MissingMessage).
contract CCIPLocalForks is CCIPLocalNetwork {
  /// @notice A chain's fork and what the network file adds to CCIPLocalNetwork.Chain.
  struct Fork {
    uint256 forkId;
    string name;
    string rpcUrl;
    uint256 chainId;
    address messenger;
  }

  /// @notice A funded test account of the network file.
  struct Account {
    address addr;
    uint256 privateKey;
  }

  /// @dev One `lanes` entry of a chain in the file.
  struct FileLane {
    uint64 remoteChainSelector;
    address onRamp;
    address commitStore;
    address offRamp;
  }

  /// @notice There is no network file at `path`.
  error NetworkFileNotFound(string path);
  /// @notice The network file lists no chain.
  error NoChains(string path);
  /// @notice The key derived from the seed for `role` number `index` is not the file's address for it.
  error RoleKeyMismatch(string role, uint256 index, address expected, address derived);
  /// @notice The network file lists no address for a role the kit plays.
  error MissingRole(string role);
  /// @notice The forks' chains and lanes are those of the network file.
  error NotOnForks();

  /// @notice Where `ccip up` writes the network file by default (relative to the project root).
  string public constant DEFAULT_NETWORK_FILE = ".network/network.json";

  string internal s_path;
  string internal s_seed;
  mapping(uint64 chainSelector => Fork) internal s_forks;
  mapping(uint64 chainSelector => Account[]) internal s_accounts;
  /// @dev The fork selected when the current entry point was called, plus one (0: none).
  uint256 internal s_callerForkPlusOne;

  /// @notice Reads the network file at `path` (empty: $CCIP_NETWORK_FILE, else DEFAULT_NETWORK_FILE; it must
  /// be readable under foundry's fs_permissions), checks the role keys against it and creates one fork per
  /// chain. Selects no fork: call `selectChain` before touching a chain.
  constructor(string memory path) CCIPLocalNetwork(0) {
    if (bytes(path).length == 0) path = vm.envOr("CCIP_NETWORK_FILE", DEFAULT_NETWORK_FILE);
    if (!vm.exists(path)) revert NetworkFileNotFound(path);
    string memory json = vm.readFile(path);
    s_path = path;
    s_seed = vm.parseJsonString(json, ".seed");
    _loadRoles(json);

    uint256 numChains = _count(json, ".chains");
    if (numChains == 0) revert NoChains(path);
    FileLane[][] memory lanes = new FileLane[][](numChains);
    uint64[] memory selectors = new uint64[](numChains);
    for (uint256 i = 0; i < numChains; ++i) {
      string memory prefix = string.concat(".chains[", vm.toString(i), "]");
      selectors[i] = _loadChain(json, prefix);
      lanes[i] = _loadLanes(json, prefix);
    }
    for (uint256 s = 0; s < numChains; ++s) {
      for (uint256 j = 0; j < lanes[s].length; ++j) {
        _loadLane(selectors[s], lanes[s][j], selectors, lanes);
      }
    }

    // Switching forks keeps persistent accounts only: the kit, and the library it delegates commits to.
    vm.makePersistent(address(this));
    vm.makePersistent(address(CCIPLocalOffchain));
  }

  // ================================================================
  // │                            Loading                           │
  // ================================================================

  /// @dev Derives every role key from the seed and checks it against the file's address for the role.
  function _loadRoles(string memory json) internal {
    s_owner = vm.parseJsonAddress(json, ".deployer");
    s_f = uint8(vm.parseJsonUint(json, ".roles.f"));
    address[] memory signers = vm.parseJsonAddressArray(json, ".roles.commitSigners");
    for (uint256 i = 0; i < signers.length; ++i) {
      uint256 key = _checkedKey(CCIPLocalKeys.COMMIT_SIGNER, i, signers[i]);
      s_signerKeys.push(key);
      s_signers.push(signers[i]);
    }
    if (signers.length <= s_f) revert MissingRole(CCIPLocalKeys.COMMIT_SIGNER);
    s_commitTransmitter = _firstOf(json, ".roles.commitTransmitters", CCIPLocalKeys.COMMIT_TRANSMITTER);
    s_execTransmitter = _firstOf(json, ".roles.execTransmitters", CCIPLocalKeys.EXEC_TRANSMITTER);
    address[] memory voters = vm.parseJsonAddressArray(json, ".roles.armVoters");
    if (voters.length == 0) revert MissingRole(CCIPLocalKeys.ARM_VOTER);
    for (uint256 i = 0; i < voters.length; ++i) {
      _checkedKey(CCIPLocalKeys.ARM_VOTER, i, voters[i]);
      s_voters.push(voters[i]);
    }
  }

  /// @dev The first address of the role list at `key`, after checking every entry's key.
  function _firstOf(string memory json, string memory key, string memory role) internal view returns (address) {
    address[] memory addresses = vm.parseJsonAddressArray(json, key);
    if (addresses.length == 0) revert MissingRole(role);
    for (uint256 i = 0; i < addresses.length; ++i) {
      _checkedKey(role, i, addresses[i]);
    }
    return addresses[0];
  }

  function _checkedKey(string memory role, uint256 index, address expected) internal view returns (uint256 key) {
    key = CCIPLocalKeys.deriveKey(s_seed, role, uint32(index));
    address derived = vm.addr(key);
    if (derived != expected) revert RoleKeyMismatch(role, index, expected, derived);
  }

  function _loadChain(string memory json, string memory prefix) internal returns (uint64 selector) {
    selector = uint64(vm.parseJsonUint(json, string.concat(prefix, ".chainSelector")));
    _registerChain(_parseChain(json, prefix, selector));
    string memory rpcUrl = vm.parseJsonString(json, string.concat(prefix, ".rpcUrl"));
    s_forks[selector] = Fork({
      forkId: vm.createFork(rpcUrl),
      name: vm.parseJsonString(json, string.concat(prefix, ".name")),
      rpcUrl: rpcUrl,
      chainId: vm.parseJsonUint(json, string.concat(prefix, ".chainId")),
      messenger: vm.parseJsonAddress(json, string.concat(prefix, ".contracts.messenger"))
    });
    _loadAccounts(json, prefix, selector);
  }

  function _parseChain(string memory json, string memory prefix, uint64 selector)
    internal
    pure
    returns (Chain memory c)
  {
    string memory k = string.concat(prefix, ".contracts.");
    c.chainSelector = selector;
    c.router = vm.parseJsonAddress(json, string.concat(k, "router"));
    c.arm = vm.parseJsonAddress(json, string.concat(k, "arm"));
    c.priceRegistry = vm.parseJsonAddress(json, string.concat(k, "priceRegistry"));
    c.tokenAdminRegistry = vm.parseJsonAddress(json, string.concat(k, "tokenAdminRegistry"));
    c.wrappedNative = vm.parseJsonAddress(json, string.concat(k, "wrappedNative"));
    c.linkToken = vm.parseJsonAddress(json, string.concat(k, "linkToken"));
    k = string.concat(prefix, ".tokens.bnm.");
    c.bnmToken = vm.parseJsonAddress(json, string.concat(k, "token"));
    c.bnmPool = vm.parseJsonAddress(json, string.concat(k, "pool"));
    k = string.concat(prefix, ".tokens.lnm.");
    c.lnmToken = vm.parseJsonAddress(json, string.concat(k, "token"));
    c.lnmPool = vm.parseJsonAddress(json, string.concat(k, "pool"));
  }

  function _loadAccounts(string memory json, string memory prefix, uint64 selector) internal {
    uint256 numAccounts = _count(json, string.concat(prefix, ".accounts"));
    for (uint256 i = 0; i < numAccounts; ++i) {
      string memory a = string.concat(prefix, ".accounts[", vm.toString(i), "]");
      string memory key = vm.parseJsonString(json, string.concat(a, ".privateKey"));
      s_accounts[selector].push(
        Account({addr: vm.parseJsonAddress(json, string.concat(a, ".address")), privateKey: vm.parseUint(key)})
      );
    }
  }

  function _loadLanes(string memory json, string memory prefix) internal view returns (FileLane[] memory lanes) {
    lanes = new FileLane[](_count(json, string.concat(prefix, ".lanes")));
    for (uint256 j = 0; j < lanes.length; ++j) {
      string memory l = string.concat(prefix, ".lanes[", vm.toString(j), "].");
      lanes[j] = FileLane({
        remoteChainSelector: uint64(vm.parseJsonUint(json, string.concat(l, "remoteChainSelector"))),
        onRamp: vm.parseJsonAddress(json, string.concat(l, "onRamp")),
        commitStore: vm.parseJsonAddress(json, string.concat(l, "commitStore")),
        offRamp: vm.parseJsonAddress(json, string.concat(l, "offRamp"))
      });
    }
  }

  /// @dev The lane source -> out.remote: OnRamp from the source's entry, CommitStore and OffRamp from the
  /// destination's entry for the source. Skipped when the file lacks either end (as NetworkFile::lanes does).
  function _loadLane(uint64 source, FileLane memory out, uint64[] memory selectors, FileLane[][] memory lanes)
    internal
  {
    for (uint256 d = 0; d < selectors.length; ++d) {
      if (selectors[d] != out.remoteChainSelector) continue;
      for (uint256 k = 0; k < lanes[d].length; ++k) {
        FileLane memory inbound = lanes[d][k];
        if (inbound.remoteChainSelector != source) continue;
        _registerLane(
          LaneInfo({
            sourceChainSelector: source,
            destChainSelector: out.remoteChainSelector,
            onRamp: out.onRamp,
            commitStore: inbound.commitStore,
            offRamp: inbound.offRamp
          })
        );
        return;
      }
    }
  }

  /// @dev The length of the JSON array at `key` (0 when absent).
  function _count(string memory json, string memory key) internal view returns (uint256 n) {
    while (vm.keyExistsJson(json, string.concat(key, "[", vm.toString(n), "]"))) {
      ++n;
    }
  }

  /// @dev The roles come from the network file (`_loadRoles`).
  function _initRoles() internal override {}

  /// @notice Not in fork mode: the chains and lanes are the network file's.
  function addChain(uint64) public pure override returns (uint64) {
    revert NotOnForks();
  }

  /// @notice Not in fork mode: the chains and lanes are the network file's.
  function addLoopbackLane(uint64) external pure override {
    revert NotOnForks();
  }

  // ================================================================
  // │                        Fork selection                        │
  // ================================================================

  /// @notice Selects the fork of `chainSelector` (as vm.selectFork(getFork(chainSelector).forkId) does).
  function selectChain(uint64 chainSelector) external {
    vm.selectFork(_fork(chainSelector).forkId);
  }

  function _on(uint64 chainSelector) internal override {
    uint256 forkId = s_forks[chainSelector].forkId;
    (bool active, uint256 current) = _activeFork();
    if (!active || current != forkId) vm.selectFork(forkId);
  }

  modifier restoresFork() override {
    (bool active, uint256 previous) = _activeFork();
    uint256 outer = s_callerForkPlusOne;
    if (active) s_callerForkPlusOne = previous + 1;
    _;
    s_callerForkPlusOne = outer;
    if (active) vm.selectFork(previous);
  }

  function _revert(bytes memory err) internal override {
    uint256 callerForkPlusOne = s_callerForkPlusOne;
    if (callerForkPlusOne != 0) vm.selectFork(callerForkPlusOne - 1);
    super._revert(err);
  }

  function _activeFork() internal view returns (bool active, uint256 forkId) {
    try vm.activeFork() returns (uint256 id) {
      return (true, id);
    } catch {
      return (false, 0);
    }
  }

  function _fork(uint64 chainSelector) internal view returns (Fork storage f) {
    _chain(chainSelector);
    return s_forks[chainSelector];
  }

  // ================================================================
  // │                            Views                             │
  // ================================================================

  /// @notice The fork of `chainSelector` and the chain's name, RPC URL, chain id and Messenger.
  function getFork(uint64 chainSelector) external view returns (Fork memory) {
    return _fork(chainSelector);
  }

  /// @notice The funded test accounts of `chainSelector` (address and private key).
  function getAccounts(uint64 chainSelector) external view returns (Account[] memory) {
    _chain(chainSelector);
    return s_accounts[chainSelector];
  }

  /// @notice The network file read, and the seed the role keys were derived from.
  function getNetworkFile() external view returns (string memory path, string memory seed) {
    return (s_path, s_seed);
  }

  /// @notice Whom the kit acts as: the commit and exec transmitters (the first of each role) and the owner
  /// of every contract (the file's deployer), who curses and funds.
  function getActors() external view returns (address commitTransmitter, address execTransmitter, address owner) {
    return (s_commitTransmitter, s_execTransmitter, s_owner);
  }
}
