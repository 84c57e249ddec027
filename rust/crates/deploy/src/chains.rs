//! Chains to deploy on: local anvils we spawn, or RPC endpoints the user runs.

use std::path::{Path, PathBuf};

use alloy::{
    node_bindings::{Anvil, AnvilInstance},
    primitives::keccak256,
    providers::{Provider, ProviderBuilder, ext::AnvilApi},
    transports::http::reqwest::Url,
};

use crate::error::DeployError;

/// First chain id of spawned chains: chain `i` gets `FIRST_CHAIN_ID + i`.
pub const FIRST_CHAIN_ID: u64 = 1000;

const NAMES: &[&str] = &[
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
];

/// One chain of the network.
#[derive(Debug, Clone)]
pub struct Chain {
    /// Short name (`alpha`, `beta`, ...), used in logs and in the network file.
    pub name: String,
    /// HTTP JSON-RPC endpoint.
    pub rpc_url: Url,
    /// EVM chain id.
    pub chain_id: u64,
    /// CCIP chain selector, derived from the chain id by [`chain_selector`].
    pub selector: u64,
    /// Whether the node answers anvil's RPC methods (`anvil_setBalance`, `anvil_mine`).
    pub is_anvil: bool,
}

/// Spawned anvils; dropping this shuts them down (SIGTERM: an anvil with a state file writes it).
#[derive(Debug)]
pub struct LocalChains {
    /// The chains, in order.
    pub chains: Vec<Chain>,
    anvils: Vec<AnvilInstance>,
    /// Whole-second block time to switch to once deployed (deploying on automine is faster).
    deferred_interval: Option<u64>,
    /// The anvil binary.
    path: PathBuf,
    /// Where each anvil keeps its state (`<dir>/<name>.json`), if anywhere.
    state_dir: Option<PathBuf>,
    /// Chains stopped on purpose ([`LocalChains::stop`]): not reported by [`LocalChains::exited`].
    held: Vec<bool>,
}

impl LocalChains {
    /// Switches to the requested whole-second block time if it was deferred for the deployment.
    pub async fn start_interval_mining(&self) -> Result<(), DeployError> {
        let Some(seconds) = self.deferred_interval else {
            return Ok(());
        };
        for chain in &self.chains {
            interval_mining(chain, seconds).await?;
        }
        Ok(())
    }

    /// Stops every anvil (SIGTERM, then a kill after a grace period) and waits for it.
    pub fn shutdown(self) {
        drop(self.anvils);
    }

    /// The process id of chain `index`'s anvil.
    pub fn pid(&self, index: usize) -> Option<u32> {
        self.anvils.get(index).map(|a| a.child().id())
    }

    /// The chains whose anvil process has ended, with how it ended (chains stopped on purpose
    /// with [`LocalChains::stop`] excepted).
    pub fn exited(&mut self) -> Vec<(usize, String)> {
        let held = self.held.clone();
        self.anvils
            .iter_mut()
            .enumerate()
            .filter(|(i, _)| !held.get(*i).copied().unwrap_or(false))
            .filter_map(|(i, anvil)| match anvil.child_mut().try_wait() {
                Ok(Some(status)) => Some((i, status.to_string())),
                Ok(None) => None,
                Err(e) => Some((i, e.to_string())),
            })
            .collect()
    }

    /// Whether chain `index` was stopped on purpose and not restarted since.
    pub fn is_stopped(&self, index: usize) -> bool {
        self.held.get(index).copied().unwrap_or(false)
    }

    /// Stops chain `index` gracefully (SIGTERM: an anvil with a state file writes it) and keeps
    /// it down until [`LocalChains::restart`].
    pub fn stop(&mut self, index: usize) -> Result<(), DeployError> {
        let pid = self.pid(index).ok_or_else(|| no_chain(index))?;
        let status = std::process::Command::new("kill")
            .arg("-TERM")
            .arg(pid.to_string())
            .status()
            .map_err(|e| {
                DeployError::Setup(format!("{}: stopping anvil: {e}", chain_name(index)))
            })?;
        if !status.success() {
            return Err(DeployError::Setup(format!(
                "{}: anvil (pid {pid}) did not take the stop signal",
                chain_name(index)
            )));
        }
        self.held[index] = true;
        let child = self.anvils[index].child_mut();
        child.wait().map_err(|e| {
            DeployError::Setup(format!("{}: waiting for anvil: {e}", chain_name(index)))
        })?;
        Ok(())
    }

    /// Kills chain `index`'s anvil at once (SIGKILL: it writes no state), as a crash would.
    pub fn kill(&mut self, index: usize) -> Result<(), DeployError> {
        let anvil = self.anvils.get_mut(index).ok_or_else(|| no_chain(index))?;
        let child = anvil.child_mut();
        let _ = child.kill();
        child.wait().map_err(|e| {
            DeployError::Setup(format!("{}: waiting for anvil: {e}", chain_name(index)))
        })?;
        Ok(())
    }

    /// Starts chain `index` again on its port, from its state file when it has one (what it
    /// wrote on exit, or at its last periodic dump after a crash), and restores interval mining.
    pub async fn restart(&mut self, index: usize) -> Result<(), DeployError> {
        let chain = self.chains.get(index).ok_or_else(|| no_chain(index))?;
        let port = chain.rpc_url.port().unwrap_or_default();
        let (path, state) = (self.path.clone(), self.state_dir.clone());
        let (_, anvil) =
            tokio::task::spawn_blocking(move || spawn_one(&path, index, port, state.as_deref()))
                .await
                .map_err(|e| DeployError::Setup(format!("anvil spawn task failed: {e}")))??;
        // The old instance's process is gone; dropping it only reaps it.
        self.anvils[index] = anvil;
        self.held[index] = false;
        if let Some(seconds) = self.deferred_interval {
            interval_mining(&self.chains[index], seconds).await?;
        }
        Ok(())
    }
}

/// Switches `chain` from automine to a block every `seconds`.
async fn interval_mining(chain: &Chain, seconds: u64) -> Result<(), DeployError> {
    ProviderBuilder::new()
        .connect_http(chain.rpc_url.clone())
        .anvil_set_interval_mining(seconds)
        .await
        .map_err(|source| DeployError::Rpc {
            chain: chain.name.clone(),
            step: "evm_setIntervalMining".into(),
            source: Box::new(source),
        })
}

fn no_chain(index: usize) -> DeployError {
    DeployError::Setup(format!("no chain number {index}"))
}

/// How often an anvil with a state file writes it (whole seconds, anvil's unit): a crash loses at
/// most the blocks of the last interval.
const STATE_INTERVAL_SECS: u32 = 1;

/// The name of chain number `index`.
pub fn chain_name(index: usize) -> String {
    NAMES
        .get(index)
        .map_or_else(|| format!("chain{index}"), |n| (*n).to_owned())
}

/// The CCIP chain selector of a chain id: the first 8 bytes (big-endian) of
/// `keccak256("ccip-local/chain-selector" || chain_id as u64 big-endian)`, 1 if that is 0.
/// Deterministic, spread over the whole u64 range like Chainlink's selectors, and unlikely to
/// collide with them.
pub fn chain_selector(chain_id: u64) -> u64 {
    let mut preimage = b"ccip-local/chain-selector".to_vec();
    preimage.extend_from_slice(&chain_id.to_be_bytes());
    let hash = keccak256(&preimage);
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash[..8]);
    u64::from_be_bytes(first).max(1)
}

/// The anvil binary: `$CCIP_ANVIL`, else `node_modules/.bin/anvil` in the current directory or
/// one of its parents, else the one of this repository.
pub fn anvil_path() -> PathBuf {
    if let Some(path) = std::env::var_os("CCIP_ANVIL") {
        return PathBuf::from(path);
    }
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors() {
            let candidate = dir.join("node_modules/.bin/anvil");
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../node_modules/.bin/anvil")
}

/// Spawns `n` anvils in parallel: chain `i` has chain id `FIRST_CHAIN_ID + i` and listens on
/// `base_port + i` (every port OS-chosen when `base_port` is 0). `block_time` switches from
/// automine to interval mining once deployed (call [`LocalChains::start_interval_mining`];
/// [`crate::up`] does). Whole seconds only: anvil's RPC takes whole seconds, and deploying on an
/// anvil started with a fractional `--block-time` has been seen to stall (a transaction left
/// queued behind a nonce gap).
pub fn spawn_chains(
    n: usize,
    block_time: Option<f64>,
    base_port: u16,
) -> Result<LocalChains, DeployError> {
    spawn_chains_with_state(n, block_time, base_port, None)
}

/// As [`spawn_chains`], each anvil keeping its state in `state_dir/<name>.json` (loaded at start
/// if present, written every second and on exit), so [`LocalChains::restart`] brings a chain back
/// with its blocks and contracts.
pub fn spawn_chains_with_state(
    n: usize,
    block_time: Option<f64>,
    base_port: u16,
    state_dir: Option<&Path>,
) -> Result<LocalChains, DeployError> {
    if n == 0 {
        return Err(DeployError::Setup("at least one chain is needed".into()));
    }
    if let Some(t) = block_time
        && !(t >= 1.0 && t.fract() == 0.0 && t <= 86_400.0)
    {
        return Err(DeployError::Setup(format!(
            "block time {t}: whole seconds from 1 to 86400 only"
        )));
    }
    let deferred_interval = block_time.map(|t| t as u64);
    let path = anvil_path();
    if !path.is_file() {
        return Err(DeployError::AnvilMissing { path });
    }
    let results: Vec<Result<(Chain, AnvilInstance), DeployError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let path = path.clone();
                let port = port_of(base_port, i);
                scope.spawn(move || spawn_one(&path, i, port?, state_dir))
            })
            .collect();
        handles
            .into_iter()
            .enumerate()
            .map(|(i, handle)| {
                handle.join().unwrap_or_else(|_| {
                    Err(DeployError::Setup(format!(
                        "{}: anvil spawn thread panicked",
                        chain_name(i)
                    )))
                })
            })
            .collect()
    });
    let mut chains = Vec::with_capacity(n);
    let mut anvils = Vec::with_capacity(n);
    for result in results {
        let (chain, anvil) = result?;
        chains.push(chain);
        anvils.push(anvil);
    }
    Ok(LocalChains {
        chains,
        anvils,
        deferred_interval,
        path,
        state_dir: state_dir.map(Path::to_path_buf),
        held: vec![false; n],
    })
}

/// Starts the chains of `network` again from their state files in `state_dir` (written by an
/// earlier [`spawn_chains_with_state`]), each on the port of its URL: the same chains, blocks and
/// contracts. `block_time` is switched on by [`LocalChains::start_interval_mining`] as usual.
pub fn resume_chains(
    network: &ccip_core::NetworkFile,
    block_time: Option<u64>,
    state_dir: &Path,
) -> Result<LocalChains, DeployError> {
    let path = anvil_path();
    if !path.is_file() {
        return Err(DeployError::AnvilMissing { path });
    }
    let mut chains = Vec::with_capacity(network.chains.len());
    let mut anvils = Vec::with_capacity(network.chains.len());
    for (index, saved) in network.chains.iter().enumerate() {
        let file = state_dir.join(format!("{}.json", saved.name));
        if !file.is_file() {
            return Err(DeployError::Setup(format!(
                "{}: no saved state at {} (start once with --persist to create it)",
                saved.name,
                file.display()
            )));
        }
        let url: Url = saved.rpc_url.parse().map_err(|e| {
            DeployError::Setup(format!("{}: rpc url {:?}: {e}", saved.name, saved.rpc_url))
        })?;
        let port = url.port().unwrap_or_default();
        let (chain, anvil) = spawn_one(&path, index, port, Some(state_dir))?;
        if chain.chain_id != saved.chain_id || chain.name != saved.name {
            return Err(DeployError::Setup(format!(
                "{}: the saved network has chain id {} where this build spawns {}",
                saved.name, saved.chain_id, chain.chain_id
            )));
        }
        chains.push(chain);
        anvils.push(anvil);
    }
    let n = chains.len();
    Ok(LocalChains {
        chains,
        anvils,
        deferred_interval: block_time,
        path,
        state_dir: Some(state_dir.to_path_buf()),
        held: vec![false; n],
    })
}

/// `base_port + index`, or 0 (OS-chosen) when `base_port` is 0.
fn port_of(base_port: u16, index: usize) -> Result<u16, DeployError> {
    if base_port == 0 {
        return Ok(0);
    }
    u16::try_from(index)
        .ok()
        .and_then(|i| base_port.checked_add(i))
        .ok_or_else(|| {
            DeployError::Setup(format!(
                "{}: port {base_port} + {index} overflows",
                chain_name(index)
            ))
        })
}

fn spawn_one(
    path: &Path,
    index: usize,
    port: u16,
    state_dir: Option<&Path>,
) -> Result<(Chain, AnvilInstance), DeployError> {
    let name = chain_name(index);
    let chain_id = FIRST_CHAIN_ID + index as u64;
    // anvil itself only reports a taken port as "timed out waiting for node to spawn".
    if port != 0
        && let Err(e) = std::net::TcpListener::bind(("127.0.0.1", port))
        && e.kind() == std::io::ErrorKind::AddrInUse
    {
        return Err(DeployError::PortInUse { chain: name, port });
    }
    let mut anvil = Anvil::new().path(path).chain_id(chain_id).port(port);
    if let Some(dir) = state_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| DeployError::Setup(format!("{name}: creating {}: {e}", dir.display())))?;
        let file = dir.join(format!("{name}.json"));
        anvil = anvil
            .arg("--state")
            .arg(file)
            .arg("--state-interval")
            .arg(STATE_INTERVAL_SECS.to_string());
    }
    let instance = anvil.try_spawn().map_err(|source| DeployError::Spawn {
        chain: name.clone(),
        chain_id,
        port,
        source: Box::new(source),
    })?;
    let rpc_url = instance.endpoint_url();
    Ok((
        Chain {
            name,
            rpc_url,
            chain_id,
            selector: chain_selector(chain_id),
            is_anvil: true,
        },
        instance,
    ))
}

/// Chains the user runs: asks each endpoint for its chain id and whether it is an anvil.
pub async fn connect(rpc_urls: &[Url]) -> Result<Vec<Chain>, DeployError> {
    let mut chains = Vec::with_capacity(rpc_urls.len());
    for (i, url) in rpc_urls.iter().enumerate() {
        let provider = ProviderBuilder::new().connect_http(url.clone());
        let chain_id = provider
            .get_chain_id()
            .await
            .map_err(|source| DeployError::Rpc {
                chain: url.to_string(),
                step: "eth_chainId".into(),
                source: Box::new(source),
            })?;
        let client_version: String = provider
            .raw_request("web3_clientVersion".into(), ())
            .await
            .unwrap_or_default();
        chains.push(Chain {
            name: chain_name(i),
            rpc_url: url.clone(),
            chain_id,
            selector: chain_selector(chain_id),
            is_anvil: client_version.to_ascii_lowercase().starts_with("anvil"),
        });
    }
    let mut ids: Vec<u64> = chains.iter().map(|c| c.chain_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != chains.len() {
        return Err(DeployError::Setup(
            "two RPC URLs report the same chain id; every chain needs its own".into(),
        ));
    }
    Ok(chains)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_are_distinct_and_stable() {
        let selectors: Vec<u64> = (0..100)
            .map(|i| chain_selector(FIRST_CHAIN_ID + i))
            .collect();
        let mut sorted = selectors.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), selectors.len());
        assert_eq!(chain_selector(1000), chain_selector(1000));
        assert_eq!(chain_name(0), "alpha");
        assert_eq!(chain_name(12), "chain12");
    }
}
