//! Multi-chain deployer: spawns local anvil chains (or connects to running ones), deploys the
//! whole contract suite on each and wires a full mesh of lanes between them, then describes the
//! result in a network file.
//!
//! ```ignore
//! let (chains, deployment) = ccip_deploy::up(3, None, 0, &DeployOptions::default()).await?;
//! deployment.network.write(Path::new(".network/network.json"))?;
//! ```
//!
//! * Keys derive from one seed ([`keys`]); chain selectors from chain ids ([`chain_selector`]).
//! * The same seed on fresh chains gives the same addresses: contract `k` of a chain is
//!   `deployer.create(k)`, deployed in a fixed order.
//! * Transactions are pipelined (explicit nonces, no waiting between them), chains in parallel.
//! * Lane parameters come from `test/vectors/lane_profile.json`, generated from
//!   `contracts/libraries/LaneProfile.sol` ([`lane_profile`]), so `ccip up` and the forge kit agree.

mod chains;
mod deploy;
mod error;
mod pipeline;
mod plan;
mod profile;

use std::time::{Duration, Instant};

pub use ccip_core::{
    Account, ChainDeployment, Contracts, DEFAULT_NETWORK_FILE, KeyConfig, Keys, Lane,
    LaneContracts, NetworkFile, Roles, TokenDeployment, Tokens, keys,
};
pub use chains::{
    Chain, FIRST_CHAIN_ID, LocalChains, anvil_path, chain_name, chain_selector, connect,
    resume_chains, spawn_chains, spawn_chains_with_state,
};
pub use deploy::{DEFAULT_SEED, DeployOptions, Deployment, Timings, deploy};
pub use error::DeployError;
pub use profile::{
    AbiEncodings, FeeQuote, FeeQuotes, FeeTokenConfig, FeeTokens, InitialPrices, LaneProfile,
    LaneProfileFile, OffRampDynamicConfig, OnRampDynamicConfig, RateLimiterConfig, RoleAmount,
    StandIns, lane_profile, lane_profile_file,
};

/// A running local network: the anvils (dropping them stops the chains) and what was deployed.
#[derive(Debug)]
pub struct LocalNetwork {
    /// The spawned chains.
    pub chains: LocalChains,
    /// The deployment on them.
    pub deployment: Deployment,
    /// Time spent spawning the anvils.
    pub spawn_time: Duration,
}

/// Spawns `n` anvils ([`spawn_chains`]) and deploys the mesh on them ([`deploy`]).
pub async fn up(
    n: usize,
    block_time: Option<f64>,
    base_port: u16,
    options: &DeployOptions,
) -> Result<LocalNetwork, DeployError> {
    up_with_state(n, block_time, base_port, None, options).await
}

/// As [`up`], each anvil keeping its state under `state_dir` ([`spawn_chains_with_state`]).
pub async fn up_with_state(
    n: usize,
    block_time: Option<f64>,
    base_port: u16,
    state_dir: Option<std::path::PathBuf>,
    options: &DeployOptions,
) -> Result<LocalNetwork, DeployError> {
    let started = Instant::now();
    let chains = tokio::task::spawn_blocking(move || {
        spawn_chains_with_state(n, block_time, base_port, state_dir.as_deref())
    })
    .await
    .map_err(|e| DeployError::Setup(format!("anvil spawn task failed: {e}")))??;
    let spawn_time = started.elapsed();
    tracing::info!(chains = n, ms = spawn_time.as_millis() as u64, "anvils up");
    let deployment = deploy(&chains.chains, options).await?;
    chains.start_interval_mining().await?;
    Ok(LocalNetwork {
        chains,
        deployment,
        spawn_time,
    })
}
