//! The node's own view of the network file (`.network/network.json`, written by the deployer):
//! only the fields the risk network needs, read with its own structs so it shares no code with the
//! committing network. Plus the per-node settings.

use std::{collections::BTreeMap, path::Path, time::Duration};

use alloy::{
    primitives::{Address, U256},
    signers::local::PrivateKeySigner,
};
use serde::Deserialize;

use crate::RmnError;

/// The deployment as the risk network sees it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkSpec {
    /// The seed the deployment derived its keys from (absent in hand-written files).
    #[serde(default)]
    pub seed: Option<String>,
    /// Every chain.
    pub chains: Vec<ChainSpec>,
}

/// One chain.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainSpec {
    /// Short name, for logs.
    pub name: String,
    /// HTTP JSON-RPC endpoint.
    pub rpc_url: String,
    /// CCIP chain selector (a decimal string in the file; a number is accepted too).
    #[serde(deserialize_with = "selector")]
    pub chain_selector: u64,
    /// Shared contracts.
    pub contracts: ChainContracts,
    /// Tokens that move between chains, by a name shared across chains (`bnm`, `lnm`, ...): the
    /// same name on two chains is the same token, which is how supply is matched across a lane.
    #[serde(default)]
    pub tokens: BTreeMap<String, TokenSpec>,
    /// One entry per remote chain.
    pub lanes: Vec<LaneSpec>,
}

/// The shared contracts of a chain that the risk network uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainContracts {
    /// The ARM the nodes vote on.
    pub arm: Address,
    /// The PriceRegistry that values outbound tokens.
    pub price_registry: Address,
}

/// A token and its pool on one chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenSpec {
    /// The token.
    pub token: Address,
    /// Its pool (whose Locked/Burned/Released/Minted events are counted).
    pub pool: Address,
    /// Its decimals (amounts are compared across chains in destination units).
    pub decimals: u8,
}

/// The lane contracts on a chain for one remote chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LaneSpec {
    /// The remote chain.
    #[serde(deserialize_with = "selector")]
    pub remote_chain_selector: u64,
    /// OnRamp on this chain toward the remote chain.
    pub on_ramp: Address,
    /// CommitStore on this chain for messages from the remote chain.
    pub commit_store: Address,
}

/// Reads a selector written as a decimal string (how the deployer writes it, since JSON numbers
/// above 2^53 are misread by many readers) or as a plain number.
fn selector<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Number(u64),
        Decimal(String),
    }
    match Written::deserialize(deserializer)? {
        Written::Number(n) => Ok(n),
        Written::Decimal(s) => s
            .parse()
            .map_err(|e| serde::de::Error::custom(format!("selector {s:?}: {e}"))),
    }
}

impl NetworkSpec {
    /// Parses a network file's JSON.
    pub fn from_json(json: &str) -> Result<Self, RmnError> {
        Ok(serde_json::from_str(json)?)
    }

    /// Reads a network file.
    pub fn read(path: &Path) -> Result<Self, RmnError> {
        let text = std::fs::read_to_string(path).map_err(|source| RmnError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&text)
    }

    /// The chain with this selector.
    pub fn chain_by_selector(&self, selector: u64) -> Option<&ChainSpec> {
        self.chains.iter().find(|c| c.chain_selector == selector)
    }
}

/// How a node watches and judges the chains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeSettings {
    /// Finality depth: source blocks are used once `head - block >= confirmations`, and a change
    /// of a block that deep is a reorg past finality (curse). 0 suits local automine chains.
    pub confirmations: u64,
    /// Time between two polls of the chains.
    pub poll_interval: Duration,
    /// Largest block range per `eth_getLogs` call.
    pub max_log_range: u64,
    /// The largest USD value (18 decimals: `1e18` is one dollar) of token transfers a lane may
    /// carry out of its source within `volume_window`; `None` disables the check. Tokens are
    /// valued with the source chain's PriceRegistry (`getTokenPrice`).
    pub volume_limit_usd: Option<U256>,
    /// The sliding window of the volume limit, in source block time.
    pub volume_window: Duration,
    /// Longest a JSON-RPC request may take (connecting included) before it counts as failed.
    pub rpc_timeout: Duration,
}

impl Default for NodeSettings {
    fn default() -> Self {
        Self {
            confirmations: 0,
            poll_interval: Duration::from_millis(500),
            max_log_range: 5_000,
            volume_limit_usd: None,
            volume_window: Duration::from_secs(3600),
            rpc_timeout: Duration::from_secs(2),
        }
    }
}

/// Everything one node needs.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    /// The node's number, for logs and metrics (conventionally its ARM voter index).
    pub index: usize,
    /// The node's ARM voter key (bless and curse vote address).
    pub signer: PrivateKeySigner,
    /// The chains and lanes.
    pub network: NetworkSpec,
    /// Depth, timing and limits.
    pub settings: NodeSettings,
}

/// One US dollar in the 18-decimal USD unit of [`NodeSettings::volume_limit_usd`].
pub const ONE_USD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
