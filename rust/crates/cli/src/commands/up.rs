//! `ccip up`: spawn local anvil chains, deploy the suite, wire every lane and run the networks
//! until Ctrl-C.

use std::time::Instant;

use ccip_deploy::DeployOptions;
use clap::Args;
use eyre::{Context, Result};

use crate::{
    lock::NetworkLock,
    options::{Common, NetworkArgs, shutdown_signal, start_networks, stop_networks, summary},
};

#[derive(Debug, Args)]
pub(crate) struct UpArgs {
    /// Number of chains (a lane in each direction between every two).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(2..=10))]
    pub(crate) chains: u16,
    /// Seconds between blocks (whole seconds, set once deployed); automine when absent.
    #[arg(long)]
    pub(crate) block_time: Option<u32>,
    /// Port of the first chain; chain i listens on base-port + i.
    #[arg(long, default_value_t = 8545)]
    pub(crate) base_port: u16,
    #[command(flatten)]
    pub(crate) common: Common,
    #[command(flatten)]
    pub(crate) networks: NetworkArgs,
}

pub(crate) async fn up(args: UpArgs) -> Result<()> {
    let started = Instant::now();
    // Before anything else: a second `up` on the same files must not overwrite the running one's
    // network file or clear its databases.
    let _lock = NetworkLock::acquire(&args.common.out, "up")?;
    let _data_lock = match args.networks.no_networks {
        true => None,
        false => Some(NetworkLock::acquire(&args.networks.data_dir, "up")?),
    };
    let options = DeployOptions {
        seed: args.common.seed.clone(),
        ..Default::default()
    };
    // Signals are caught from the start so that an interrupted deployment still stops the anvils
    // (dropping the `up` future drops them).
    let shutdown = shutdown_signal()?;
    tokio::pin!(shutdown);
    let up = ccip_deploy::up(
        usize::from(args.chains),
        args.block_time.map(f64::from),
        args.base_port,
        &options,
    );
    let network = tokio::select! {
        result = up => result.wrap_err("ccip up")?,
        _ = &mut shutdown => {
            println!("Interrupted; the chains are stopped.");
            return Ok(());
        }
    };
    network.deployment.network.write(&args.common.out)?;
    summary(&network.deployment, &args.common.out, started.elapsed());
    // Fresh chains: what older nodes stored describes chains that are gone.
    if args.networks.data_dir.exists() && !args.networks.no_networks {
        std::fs::remove_dir_all(&args.networks.data_dir)
            .wrap_err_with(|| format!("clearing {}", args.networks.data_dir.display()))?;
    }
    let networks = start_networks(&network.deployment.network, &args.networks).await?;
    println!("Running; press Ctrl-C to stop.");
    shutdown.await;
    println!("Stopping...");
    stop_networks(networks).await;
    network.chains.shutdown();
    Ok(())
}
