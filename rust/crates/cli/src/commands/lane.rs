//! `ccip lane reset`: the owner's recovery of a lane the risk network cursed after a
//! reorganisation past finality (see README, "When things go wrong").

use std::path::PathBuf;

use ccip_client::Client;
use ccip_deploy::DEFAULT_NETWORK_FILE;
use clap::{Args, Subcommand};
use eyre::{Context, Result};

#[derive(Debug, Subcommand)]
pub(crate) enum LaneCommand {
    /// Remove the CommitStore's unblessed roots of the lane from REMOTE into CHAIN, move its next
    /// sequence number back to the first of them and lift the lane's curse on CHAIN's ARM, with
    /// the deployer key. The networks then commit and deliver the source's canonical messages.
    Reset(ResetArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ResetArgs {
    /// The destination chain (whose CommitStore and ARM are reset).
    #[arg(long)]
    chain: String,
    /// The source chain of the lane.
    #[arg(long)]
    remote: String,
    /// The network file.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    network: PathBuf,
}

pub(crate) async fn lane(command: LaneCommand) -> Result<()> {
    match command {
        LaneCommand::Reset(args) => reset(args).await,
    }
}

async fn reset(args: ResetArgs) -> Result<()> {
    let client = Client::from_file(&args.network)
        .wrap_err_with(|| format!("reading {}", args.network.display()))?;
    let reset = client
        .reset_lane(args.chain.as_str(), args.remote.as_str())
        .await?;
    let lane = format!("{} -> {}", args.remote, args.chain);
    println!("lane {lane}:");
    println!("  unblessed roots removed: {}", reset.removed_roots.len());
    for root in &reset.removed_roots {
        println!("    {root}");
    }
    match reset.min_seq_nr {
        Some(seq) => println!("  next sequence number set back to {seq}"),
        None => println!("  next sequence number unchanged"),
    }
    println!(
        "  curse: {}",
        if reset.uncursed {
            "lifted"
        } else {
            "none was set"
        }
    );
    for tx in &reset.txs {
        println!("  tx {tx}");
    }
    Ok(())
}
