//! The network file: everything a dApp, the off-chain networks or a test needs to talk to a
//! deployment. JSON, camelCase, written to `.network/network.json` by default.
//!
//! Per chain, `lanes` holds one entry per remote chain R: the `onRamp` on this chain that sends to
//! R, and the `commitStore` and `offRamp` on this chain that receive from R.

use std::path::{Path, PathBuf};

use alloy::primitives::Address;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// Default location of the network file, relative to the repository root.
pub const DEFAULT_NETWORK_FILE: &str = ".network/network.json";

/// A whole deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkFile {
    /// The seed every key was derived from (`ccip_deploy::keys`).
    pub seed: String,
    /// Owner of every contract.
    pub deployer: Address,
    /// Public addresses of the off-chain roles.
    pub roles: Roles,
    /// The chains, in order.
    pub chains: Vec<ChainDeployment>,
    /// The control API of the `ccip up` running these chains (`ccip chain ...`), while it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_url: Option<String>,
}

/// Addresses and thresholds of the off-chain roles (their keys derive from the seed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Roles {
    /// CommitStore signers.
    pub commit_signers: Vec<Address>,
    /// CommitStore transmitters.
    pub commit_transmitters: Vec<Address>,
    /// A commit report needs `f + 1` signatures.
    pub f: u8,
    /// OffRamp transmitters.
    pub exec_transmitters: Vec<Address>,
    /// ARM voters (bless and curse address alike, weight 1 each).
    pub arm_voters: Vec<Address>,
    /// ARM bless weight threshold.
    pub bless_weight_threshold: u16,
    /// ARM curse weight threshold.
    pub curse_weight_threshold: u16,
}

/// One chain and what is deployed on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainDeployment {
    /// Short name (`alpha`, ...).
    pub name: String,
    /// HTTP JSON-RPC endpoint.
    pub rpc_url: String,
    /// EVM chain id.
    pub chain_id: u64,
    /// CCIP chain selector (`ccip_deploy::chain_selector`), written as a decimal string.
    #[serde(with = "crate::json_u64")]
    pub chain_selector: u64,
    /// The chain's shared contracts.
    pub contracts: Contracts,
    /// Test tokens and their pools.
    pub tokens: Tokens,
    /// One entry per remote chain.
    pub lanes: Vec<LaneContracts>,
    /// Funded test accounts.
    pub accounts: Vec<Account>,
}

/// Contracts deployed once per chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contracts {
    /// Router (`IRouterClient`).
    pub router: Address,
    /// ARM (risk management).
    pub arm: Address,
    /// PriceRegistry.
    pub price_registry: Address,
    /// TokenAdminRegistry.
    pub token_admin_registry: Address,
    /// WrappedNative (WETH), a fee token.
    pub wrapped_native: Address,
    /// LINK-like FaucetToken, a fee token.
    pub link_token: Address,
    /// Messenger example application.
    pub messenger: Address,
}

/// A test token and its pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenDeployment {
    /// ERC-20 symbol.
    pub symbol: String,
    /// Token address.
    pub token: Address,
    /// Its pool.
    pub pool: Address,
    /// `burnMint` or `lockRelease`.
    pub pool_kind: String,
    /// Decimals.
    pub decimals: u8,
}

/// The test tokens of a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    /// CCIP-BnM: burned on the source, minted on the destination.
    pub bnm: TokenDeployment,
    /// CCIP-LnM: locked on the source, released from the destination pool's liquidity.
    pub lnm: TokenDeployment,
}

/// The lane contracts on this chain for one remote chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LaneContracts {
    /// The remote chain's name.
    pub remote_chain: String,
    /// The remote chain's selector, written as a decimal string.
    #[serde(with = "crate::json_u64")]
    pub remote_chain_selector: u64,
    /// OnRamp on this chain, sending to the remote chain.
    pub on_ramp: Address,
    /// CommitStore on this chain, for messages from the remote chain.
    pub commit_store: Address,
    /// OffRamp on this chain, for messages from the remote chain.
    pub off_ramp: Address,
}

/// A funded test account. Local test keys only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Address.
    pub address: Address,
    /// Private key, 0x-prefixed hex.
    pub private_key: String,
}

/// A lane seen from both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lane<'a> {
    /// Source chain.
    pub source: &'a ChainDeployment,
    /// Destination chain.
    pub dest: &'a ChainDeployment,
    /// OnRamp on the source chain.
    pub on_ramp: Address,
    /// CommitStore on the destination chain.
    pub commit_store: Address,
    /// OffRamp on the destination chain.
    pub off_ramp: Address,
}

impl NetworkFile {
    /// The chain with this name.
    pub fn chain(&self, name: &str) -> Option<&ChainDeployment> {
        self.chains.iter().find(|c| c.name == name)
    }

    /// The chain with this selector.
    pub fn chain_by_selector(&self, selector: u64) -> Option<&ChainDeployment> {
        self.chains.iter().find(|c| c.chain_selector == selector)
    }

    /// Every lane (source, destination), in chain order.
    pub fn lanes(&self) -> Vec<Lane<'_>> {
        let mut lanes = Vec::new();
        for source in &self.chains {
            for out in &source.lanes {
                let Some(dest) = self.chain_by_selector(out.remote_chain_selector) else {
                    continue;
                };
                let Some(inbound) = dest
                    .lanes
                    .iter()
                    .find(|l| l.remote_chain_selector == source.chain_selector)
                else {
                    continue;
                };
                lanes.push(Lane {
                    source,
                    dest,
                    on_ramp: out.on_ramp,
                    commit_store: inbound.commit_store,
                    off_ramp: inbound.off_ramp,
                });
            }
        }
        lanes
    }

    /// Writes the file (creating its directory), pretty-printed.
    pub fn write(&self, path: &Path) -> Result<(), CoreError> {
        let io = |source| CoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let json = serde_json::to_string_pretty(self).map_err(|source| CoreError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        std::fs::write(path, json + "\n").map_err(io)
    }

    /// Reads a network file.
    pub fn read(path: &Path) -> Result<Self, CoreError> {
        let text = std::fs::read_to_string(path).map_err(|source| CoreError::Io {
            path: PathBuf::from(path),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| CoreError::Json {
            path: path.to_path_buf(),
            source,
        })
    }
}
