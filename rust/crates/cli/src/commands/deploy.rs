//! `ccip deploy`: the suite and every lane on chains you run.

use std::time::Instant;

use alloy::{signers::local::PrivateKeySigner, transports::http::reqwest::Url};
use ccip_deploy::DeployOptions;
use clap::Args;
use eyre::{Context, Result, bail};

use crate::{
    lock::NetworkLock,
    options::{Common, summary},
};

#[derive(Debug, Args)]
pub(crate) struct DeployArgs {
    /// JSON-RPC URL of a chain; repeat for every chain (at least two).
    #[arg(long = "rpc", required = true, num_args = 1)]
    pub(crate) rpc: Vec<Url>,
    /// Deployer key (hex). Without it, anvil chains get the seed's deployer funded with
    /// anvil_setBalance, which gives the same addresses as `ccip up` on fresh chains.
    #[arg(long)]
    pub(crate) private_key: Option<String>,
    #[command(flatten)]
    pub(crate) common: Common,
}

pub(crate) async fn deploy(args: DeployArgs) -> Result<()> {
    let started = Instant::now();
    let _lock = NetworkLock::acquire(&args.common.out, "deploy")?;
    if args.rpc.len() < 2 {
        bail!("a mesh needs at least two chains: pass --rpc twice or more");
    }
    let chains = ccip_deploy::connect(&args.rpc).await?;
    let deployer = match &args.private_key {
        Some(hex) => Some(
            hex.trim()
                .parse::<PrivateKeySigner>()
                .wrap_err("--private-key is not a valid hex private key")?,
        ),
        None => {
            if let Some(chain) = chains.iter().find(|c| !c.is_anvil) {
                bail!(
                    "{} ({}) is not an anvil, so the deployer cannot be funded with \
                     anvil_setBalance: pass --private-key of a funded account",
                    chain.name,
                    chain.rpc_url
                );
            }
            None
        }
    };
    let options = DeployOptions {
        seed: args.common.seed,
        deployer,
        ..Default::default()
    };
    let deployment = ccip_deploy::deploy(&chains, &options).await?;
    deployment.network.write(&args.common.out)?;
    summary(&deployment, &args.common.out, started.elapsed());
    Ok(())
}
