//! `ccip run`: the committing, executing and risk networks for a deployment already up.

use std::path::PathBuf;

use ccip_deploy::{DEFAULT_NETWORK_FILE, NetworkFile};
use clap::Args;
use eyre::{Context, Result};

use crate::{
    lock::NetworkLock,
    options::{NetworkArgs, shutdown_signal, start_networks, stop_networks},
};

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// The deployment's network file.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    pub(crate) network: PathBuf,
    #[command(flatten)]
    pub(crate) networks: NetworkArgs,
}

pub(crate) async fn run(args: RunArgs) -> Result<()> {
    let network = NetworkFile::read(&args.network).wrap_err_with(|| {
        format!(
            "reading {} (run `ccip up` or `ccip deploy` first)",
            args.network.display()
        )
    })?;
    let _lock = NetworkLock::acquire(&args.networks.data_dir, "run")?;
    let shutdown = shutdown_signal()?;
    let networks = start_networks(&network, &args.networks).await?;
    println!("Running; press Ctrl-C to stop.");
    shutdown.await;
    stop_networks(networks).await;
    Ok(())
}
