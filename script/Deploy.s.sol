// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ARM} from "../contracts/ARM.sol";
import {LaneDeployer} from "./LaneDeployer.sol";
import {Script, console} from "forge-std/Script.sol";

/// @title Deploy
/// @notice Deploys one chain's contracts and one lane to a remote chain, and writes their addresses as JSON.
/// @dev Usage (anvil key 0 shown):
///   forge script script/Deploy.s.sol --rpc-url http://127.0.0.1:8545 --broadcast --private-key 0xac09...ff80
/// Environment (all optional; defaults suit two anvil chains deployed the same way):
///   CHAIN_SELECTOR, REMOTE_CHAIN_SELECTOR  this chain's and the remote chain's selectors
///   SIGNERS, TRANSMITTERS, F               commit network (comma-separated addresses); transmitters also execute
///   BLESS_VOTERS, CURSE_VOTERS             ARM voters, weight 1 each, paired by position
///   BLESS_THRESHOLD, CURSE_THRESHOLD       ARM weight thresholds
///   REMOTE_ON_RAMP, REMOTE_LR_POOL, REMOTE_LR_TOKEN, REMOTE_BM_POOL, REMOTE_BM_TOKEN
///                                          the remote chain's addresses; default: this chain's own, which is
///                                          what the remote chain gets when the same deployer runs this
///                                          script there from the same nonce (CREATE addresses match)
///   DEPLOY_OUT                             JSON path (default ./out/deployments/<CHAIN_SELECTOR>.json); must
///                                          lie under a read-write fs_permissions path of foundry.toml
contract Deploy is Script, LaneDeployer {
  uint64 internal constant DEFAULT_CHAIN_SELECTOR = 16015286601757825753;
  uint64 internal constant DEFAULT_REMOTE_CHAIN_SELECTOR = 3478487238524512106;

  address internal s_deployer;

  function _owner() internal view override returns (address) {
    return s_deployer;
  }

  /// @notice Deploys and wires everything, then writes the addresses.
  function run() external {
    uint64 selector = uint64(vm.envOr("CHAIN_SELECTOR", uint256(DEFAULT_CHAIN_SELECTOR)));
    uint64 remoteSelector = uint64(vm.envOr("REMOTE_CHAIN_SELECTOR", uint256(DEFAULT_REMOTE_CHAIN_SELECTOR)));

    vm.startBroadcast();
    (, s_deployer,) = vm.readCallers();
    ChainContracts memory c = _deployChain(selector, remoteSelector);
    Lane memory lane = _deployLane(c, remoteSelector);
    vm.stopBroadcast();

    _writeAddresses(c, lane, remoteSelector);
  }

  /// @dev Tokens, ARM, registries, Router, pools, and initial prices.
  function _deployChain(uint64 selector, uint64 remoteSelector) internal returns (ChainContracts memory c) {
    c = _deployCore(
      selector,
      _armVoters(),
      uint16(vm.envOr("BLESS_THRESHOLD", uint256(2))),
      uint16(vm.envOr("CURSE_THRESHOLD", uint256(2)))
    );
    _deployTokenPools(c);
    _setInitialPrices(c, remoteSelector);
  }

  /// @dev The OnRamp to the remote chain, the CommitStore and OffRamp from it, and the pools' remote side.
  function _deployLane(ChainContracts memory c, uint64 remoteSelector) internal returns (Lane memory lane) {
    lane.onRamp = _deployOnRamp(c, remoteSelector);
    address remoteOnRamp = vm.envOr("REMOTE_ON_RAMP", address(lane.onRamp));
    (lane.commitStore, lane.offRamp) = _deployInbound(c, remoteSelector, remoteOnRamp, _laneOracles());
    RemoteTokens memory remote = RemoteTokens({
      lrPool: vm.envOr("REMOTE_LR_POOL", address(c.lrPool)),
      lrToken: vm.envOr("REMOTE_LR_TOKEN", address(c.lrToken)),
      bmPool: vm.envOr("REMOTE_BM_POOL", address(c.bmPool)),
      bmToken: vm.envOr("REMOTE_BM_TOKEN", address(c.bmToken))
    });
    _connectPools(c, remoteSelector, remote);
  }

  function _laneOracles() internal view returns (LaneOracles memory oracles) {
    address[] memory signers = new address[](4);
    signers[0] = 0x70997970C51812dc3A010C7d01b50e0d17dc79C8; // anvil accounts 1-4
    signers[1] = 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC;
    signers[2] = 0x90F79bf6EB2c4f870365E785982E1f101E93b906;
    signers[3] = 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65;
    address[] memory transmitters = new address[](1);
    transmitters[0] = 0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc; // anvil account 5
    oracles.signers = vm.envOr("SIGNERS", ",", signers);
    oracles.transmitters = vm.envOr("TRANSMITTERS", ",", transmitters);
    oracles.f = uint8(vm.envOr("F", uint256(1)));
  }

  function _armVoters() internal view returns (ARM.Voter[] memory voters) {
    address[] memory bless = new address[](2);
    bless[0] = 0x976EA74026E726554dB657fA54763abd0C3a0aa9; // anvil accounts 6, 7
    bless[1] = 0x14dC79964da2C08b23698B3D3cc7Ca32193d9955;
    address[] memory curse = new address[](2);
    curse[0] = 0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f; // anvil accounts 8, 9
    curse[1] = 0xa0Ee7A142d267C1f36714E4a8F75612F20a79720;
    bless = vm.envOr("BLESS_VOTERS", ",", bless);
    curse = vm.envOr("CURSE_VOTERS", ",", curse);
    require(bless.length == curse.length, "BLESS_VOTERS and CURSE_VOTERS must pair up");
    voters = new ARM.Voter[](bless.length);
    for (uint256 i = 0; i < bless.length; ++i) {
      voters[i] = ARM.Voter({blessVoteAddr: bless[i], curseVoteAddr: curse[i], blessWeight: 1, curseWeight: 1});
    }
  }

  function _writeAddresses(ChainContracts memory c, Lane memory lane, uint64 remoteSelector) internal {
    string memory k = "deployment";
    vm.serializeUint(k, "chainSelector", c.selector);
    vm.serializeUint(k, "remoteChainSelector", remoteSelector);
    vm.serializeUint(k, "chainId", block.chainid);
    vm.serializeAddress(k, "deployer", s_deployer);
    vm.serializeAddress(k, "wrappedNative", address(c.weth));
    vm.serializeAddress(k, "feeToken", address(c.feeToken));
    vm.serializeAddress(k, "arm", address(c.arm));
    vm.serializeAddress(k, "priceRegistry", address(c.priceRegistry));
    vm.serializeAddress(k, "tokenAdminRegistry", address(c.tokenAdminRegistry));
    vm.serializeAddress(k, "router", address(c.router));
    vm.serializeAddress(k, "lockReleaseToken", address(c.lrToken));
    vm.serializeAddress(k, "lockReleasePool", address(c.lrPool));
    vm.serializeAddress(k, "burnMintToken", address(c.bmToken));
    vm.serializeAddress(k, "burnMintPool", address(c.bmPool));
    vm.serializeAddress(k, "onRamp", address(lane.onRamp));
    vm.serializeAddress(k, "commitStore", address(lane.commitStore));
    string memory json = vm.serializeAddress(k, "offRamp", address(lane.offRamp));

    string memory dir = string.concat(vm.projectRoot(), "/out/deployments");
    string memory path = vm.envOr("DEPLOY_OUT", string.concat(dir, "/", vm.toString(uint256(c.selector)), ".json"));
    if (!vm.exists(dir)) vm.createDir(dir, true);
    vm.writeJson(json, path);
    console.log("deployment written to", path);
  }
}
