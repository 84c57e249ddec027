//! Deploys the suite on every chain and wires the full mesh of lanes.
//!
//! Every address is known before anything is sent: contract `k` of a chain lands at
//! `deployer.create(start_nonce + k)`. So the whole transaction list of a chain (deployments, then
//! configuration, which needs remote chains' addresses) is built up front, signed locally with
//! explicit nonces, gas limits and fees, and sent back to back without waiting for receipts; the
//! chains run in parallel. Receipts are checked at the end (status and deployed address).

use std::time::{Duration, Instant};

use alloy::{primitives::Address, signers::local::PrivateKeySigner};
use futures::future::try_join_all;
use tracing::info;

use ccip_core::{
    Account, ChainDeployment, Contracts, KeyConfig, Keys, LaneContracts, NetworkFile, Roles,
    TokenDeployment, Tokens,
};

use crate::{
    chains::Chain,
    error::DeployError,
    pipeline::{ChainPlan, execute, prepare_chain},
    plan::{Layout, plan_chain},
    profile::lane_profile,
};

/// Default seed of `ccip up`.
pub const DEFAULT_SEED: &str = "ccip-local";

/// What to deploy with.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// Seed of every derived key.
    pub seed: String,
    /// Key counts and thresholds.
    pub keys: KeyConfig,
    /// Deployer key; `None` uses the one derived from the seed (funded with `anvil_setBalance`,
    /// so only on anvil chains).
    pub deployer: Option<PrivateKeySigner>,
}

impl Default for DeployOptions {
    fn default() -> Self {
        Self {
            seed: DEFAULT_SEED.to_owned(),
            keys: KeyConfig::default(),
            deployer: None,
        }
    }
}

/// Wall-clock phases of a deployment (the slowest chain's for send and confirm).
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Nonces, fees, balances, planning.
    pub prepare: Duration,
    /// Signing and sending every transaction.
    pub send: Duration,
    /// Waiting for and checking receipts.
    pub confirm: Duration,
    /// Everything.
    pub total: Duration,
}

/// A finished deployment.
#[derive(Debug, Clone)]
pub struct Deployment {
    /// What was deployed where.
    pub network: NetworkFile,
    /// Every key used.
    pub keys: Keys,
    /// How long it took.
    pub timings: Timings,
    /// Transactions sent, over all chains.
    pub transactions: usize,
}

/// Deploys the suite on every chain and wires every lane. The chains must be reachable and the
/// deployer funded (it is funded here on anvil chains).
pub async fn deploy(chains: &[Chain], options: &DeployOptions) -> Result<Deployment, DeployError> {
    let started = Instant::now();
    if chains.len() < 2 {
        return Err(DeployError::Setup(format!(
            "a mesh needs at least two chains, got {}",
            chains.len()
        )));
    }
    let keys = Keys::derive(&options.seed, options.keys)?;
    let profile = lane_profile()?;
    let deployer_key = options
        .deployer
        .clone()
        .unwrap_or_else(|| keys.deployer.clone());
    let deployer = deployer_key.address();

    // Balances first (anvil), then nonces: both per chain, in parallel.
    let start_nonces = try_join_all(
        chains
            .iter()
            .map(|chain| prepare_chain(chain, &keys, deployer)),
    )
    .await?;
    let layouts: Vec<Layout> = (0..chains.len())
        .map(|i| Layout::new(deployer, start_nonces[i], i, chains.len()))
        .collect();
    let mut plans = Vec::with_capacity(chains.len());
    for (i, chain) in chains.iter().enumerate() {
        plans.push(ChainPlan {
            chain: chain.clone(),
            start_nonce: start_nonces[i],
            txs: plan_chain(i, chains, &layouts, &keys, deployer, profile)?,
        });
    }
    let prepare = started.elapsed();
    let transactions = plans.iter().map(|p| p.txs.len()).sum();

    let phases = try_join_all(plans.iter().map(|plan| execute(plan, &deployer_key))).await?;
    let send = phases.iter().map(|p| p.0).max().unwrap_or_default();
    let confirm = phases.iter().map(|p| p.1).max().unwrap_or_default();

    let network = network_file(chains, &layouts, &keys, deployer);
    let timings = Timings {
        prepare,
        send,
        confirm,
        total: started.elapsed(),
    };
    info!(
        chains = chains.len(),
        transactions,
        elapsed_ms = timings.total.as_millis() as u64,
        "deployment complete"
    );
    Ok(Deployment {
        network,
        keys,
        timings,
        transactions,
    })
}

fn network_file(
    chains: &[Chain],
    layouts: &[Layout],
    keys: &Keys,
    deployer: Address,
) -> NetworkFile {
    let addresses = |v: &[PrivateKeySigner]| v.iter().map(PrivateKeySigner::address).collect();
    NetworkFile {
        seed: keys.seed.clone(),
        deployer,
        roles: Roles {
            commit_signers: addresses(&keys.commit_signers),
            commit_transmitters: addresses(&keys.commit_transmitters),
            f: keys.config.f,
            exec_transmitters: addresses(&keys.exec_transmitters),
            arm_voters: addresses(&keys.arm_voters),
            bless_weight_threshold: keys.config.arm_threshold,
            curse_weight_threshold: keys.config.arm_threshold,
        },
        chains: chains
            .iter()
            .zip(layouts)
            .map(|(chain, l)| ChainDeployment {
                name: chain.name.clone(),
                rpc_url: chain.rpc_url.to_string(),
                chain_id: chain.chain_id,
                chain_selector: chain.selector,
                contracts: Contracts {
                    router: l.router,
                    arm: l.arm,
                    price_registry: l.price_registry,
                    token_admin_registry: l.registry,
                    wrapped_native: l.weth,
                    link_token: l.link,
                    messenger: l.messenger,
                },
                tokens: Tokens {
                    bnm: TokenDeployment {
                        symbol: "CCIP-BnM".into(),
                        token: l.bnm,
                        pool: l.bnm_pool,
                        pool_kind: "burnMint".into(),
                        decimals: 18,
                    },
                    lnm: TokenDeployment {
                        symbol: "CCIP-LnM".into(),
                        token: l.lnm,
                        pool: l.lnm_pool,
                        pool_kind: "lockRelease".into(),
                        decimals: 18,
                    },
                },
                lanes: l
                    .lanes
                    .iter()
                    .map(|&(j, on_ramp, commit_store, off_ramp)| LaneContracts {
                        remote_chain: chains[j].name.clone(),
                        remote_chain_selector: chains[j].selector,
                        on_ramp,
                        commit_store,
                        off_ramp,
                    })
                    .collect(),
                accounts: keys
                    .users
                    .iter()
                    .map(|u| Account {
                        address: u.address(),
                        private_key: format!("0x{}", alloy::hex::encode(u.to_bytes())),
                    })
                    .collect(),
            })
            .collect(),
        control_url: None,
    }
}
