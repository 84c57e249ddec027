//! `ccip chain kill NAME` / `ccip chain restart NAME`: stop one chain of a running `ccip up` (its
//! state saved) and bring it back, through `up`'s control API.

use std::path::PathBuf;

use ccip_deploy::{DEFAULT_NETWORK_FILE, NetworkFile};
use clap::{Args, Subcommand};
use eyre::{Context, Result};

use crate::control;

#[derive(Debug, Subcommand)]
pub(crate) enum ChainCommand {
    /// Stop a chain (SIGTERM: its state is saved); it stays down until `chain restart`. The
    /// networks see the outage; messages to and from it wait.
    Kill(ChainArgs),
    /// Start a stopped chain again from its saved state; the networks catch up.
    Restart(ChainArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ChainArgs {
    /// The chain's name (`alpha`, `beta`, ...).
    name: String,
    /// The network file of the running `ccip up`.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    network: PathBuf,
}

pub(crate) async fn chain(command: ChainCommand) -> Result<()> {
    let (action, args) = match &command {
        ChainCommand::Kill(args) => ("kill", args),
        ChainCommand::Restart(args) => ("restart", args),
    };
    let network = NetworkFile::read(&args.network)
        .wrap_err_with(|| format!("reading {}", args.network.display()))?;
    if network.chain(&args.name).is_none() {
        let names: Vec<&str> = network.chains.iter().map(|c| c.name.as_str()).collect();
        eyre::bail!(
            "no chain {:?} in {} (chains: {})",
            args.name,
            args.network.display(),
            names.join(", ")
        );
    }
    let url = network.control_url.as_deref().ok_or_else(|| {
        eyre::eyre!(
            "{} has no running `ccip up` (chain commands act on the chains `ccip up` started)",
            args.network.display()
        )
    })?;
    let answer = control::call(url, &format!("/chain/{action}/{}", args.name)).await?;
    println!("{}", answer.trim());
    Ok(())
}
