//! Options and steps shared by several commands: the seed and network file, the networks' data
//! dir and ports, starting the networks, the deployment summary, and shutdown on a signal.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use ccip_deploy::{DEFAULT_NETWORK_FILE, DEFAULT_SEED, Deployment, NetworkFile};
use ccip_runner::{Networks, RunnerConfig};
use clap::Args;
use eyre::{Context, Result};

#[derive(Debug, Args)]
pub(crate) struct NetworkArgs {
    /// Where the nodes keep their databases.
    #[arg(long, default_value = ".network/data")]
    pub(crate) data_dir: PathBuf,
    /// Port of the Prometheus metrics endpoint on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 9464)]
    pub(crate) metrics_port: u16,
    /// Blocks a source message must be buried under before the networks act on it (source
    /// chain only: destination events count once mined).
    #[arg(long, default_value_t = 0)]
    pub(crate) confirmations: u64,
    /// Deploy and wire only; start no off-chain network.
    #[arg(long)]
    pub(crate) no_networks: bool,
}

#[derive(Debug, Args)]
pub(crate) struct Common {
    /// Seed every key (deployer, signers, transmitters, voters, test accounts) derives from.
    #[arg(long, default_value = DEFAULT_SEED)]
    pub(crate) seed: String,
    /// Where to write the network file.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    pub(crate) out: PathBuf,
}

pub(crate) async fn start_networks(
    network: &NetworkFile,
    args: &NetworkArgs,
) -> Result<Option<Networks>> {
    if args.no_networks {
        println!(
            "Off-chain networks not started (--no-networks): sent messages stay on their source chain."
        );
        return Ok(None);
    }
    let config = RunnerConfig {
        data_dir: Some(args.data_dir.clone()),
        metrics_addr: Some(SocketAddr::from(([127, 0, 0, 1], args.metrics_port))),
        ..RunnerConfig::local(args.confirmations)
    };
    let networks = Networks::start(network, config)
        .await
        .wrap_err("starting the off-chain networks")?;
    println!(
        "Committing, executing and risk networks running (databases in {}).",
        args.data_dir.display()
    );
    if let Some(addr) = networks.metrics_addr {
        println!("Metrics: http://{addr}/metrics");
    }
    Ok(Some(networks))
}

/// How long the nodes get to finish on Ctrl-C. Every loop stops at its next await, so this only
/// runs out when something is stuck; what they had not finished resumes on the next start.
const STOP_GRACE: Duration = Duration::from_millis(1500);

/// Stops the networks, waiting at most [`STOP_GRACE`] for them.
pub(crate) async fn stop_networks(networks: Option<Networks>) {
    let Some(networks) = networks else {
        return;
    };
    if tokio::time::timeout(STOP_GRACE, networks.stop())
        .await
        .is_err()
    {
        tracing::warn!(
            grace = ?STOP_GRACE,
            "nodes still busy after the grace period; abandoning their work (resumed on the next start)"
        );
    }
}

pub(crate) fn summary(deployment: &Deployment, out: &Path, elapsed: Duration) {
    let network: &NetworkFile = &deployment.network;
    println!();
    println!(
        "{} chains, {} lanes, {} transactions, ready in {:.2} s",
        network.chains.len(),
        network.lanes().len(),
        deployment.transactions,
        elapsed.as_secs_f64()
    );
    for chain in &network.chains {
        println!(
            "  {:<8} {:<24} chain id {:<6} selector {:<20} router {}",
            chain.name, chain.rpc_url, chain.chain_id, chain.chain_selector, chain.contracts.router
        );
    }
    println!("Lanes:");
    for lane in network.lanes() {
        println!(
            "  {} -> {}  onRamp {}  offRamp {}",
            lane.source.name, lane.dest.name, lane.on_ramp, lane.off_ramp
        );
    }
    if let Some(account) = network.chains.first().and_then(|c| c.accounts.first()) {
        println!(
            "Test accounts (funded with ETH, LINK, CCIP-BnM, CCIP-LnM on every chain): {} ... (keys in the network file)",
            account.address
        );
    }
    println!("Network file: {}", out.display());
}

/// Resolves on Ctrl-C or SIGTERM; the handlers are installed when this is called.
pub(crate) fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .wrap_err("installing the SIGTERM handler")?;
    let ctrl_c = tokio::signal::ctrl_c();
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    })
}
