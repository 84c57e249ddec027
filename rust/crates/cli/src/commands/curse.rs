//! `ccip curse` / `ccip uncurse`: a lane (or every lane) on a chain's ARM, with the deployer key.

use std::path::PathBuf;

use ccip_client::{Client, CurseSubject};
use ccip_deploy::DEFAULT_NETWORK_FILE;
use clap::Args;
use eyre::{Context, Result};

#[derive(Debug, Args)]
pub(crate) struct CurseArgs {
    /// Chain whose ARM is changed.
    #[arg(long)]
    chain: String,
    /// Curse only the lanes to and from this chain.
    #[arg(long, required_unless_present = "global", conflicts_with = "global")]
    remote: Option<String>,
    /// Curse every lane of the chain.
    #[arg(long)]
    global: bool,
    /// The network file.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    network: PathBuf,
}

pub(crate) async fn curse(args: CurseArgs, curse: bool) -> Result<()> {
    let client = Client::from_file(&args.network)
        .wrap_err_with(|| format!("reading {}", args.network.display()))?;
    let subject = match &args.remote {
        Some(remote) if !args.global => {
            CurseSubject::Lane(client.chain(remote.as_str())?.chain_selector)
        }
        _ => CurseSubject::Global,
    };
    let chain = client.chain(args.chain.as_str())?.name.clone();
    let tx = if curse {
        client.curse(chain.as_str(), subject).await?
    } else {
        client.uncurse(chain.as_str(), subject).await?
    };
    let what = match (&args.remote, subject) {
        (Some(remote), CurseSubject::Lane(_)) => format!("lanes with {remote}"),
        _ => "every lane (global)".to_owned(),
    };
    println!(
        "{} {what} on {chain}'s ARM  tx {tx}",
        if curse { "cursed" } else { "uncursed" }
    );
    let cursed = client.cursed_subjects(chain.as_str()).await?;
    println!("cursed subjects on {chain} now: {}", cursed.len());
    Ok(())
}
