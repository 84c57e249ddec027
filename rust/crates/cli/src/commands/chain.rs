//! `ccip chain kill NAME` / `ccip chain restart NAME`: stop one chain of a running `ccip up` (its
//! state saved) and bring it back, through `up`'s control API; `ccip chain reorg NAME --depth N`:
//! reorganise it (on the chain's own RPC).

use std::path::PathBuf;

use alloy::{
    eips::BlockNumberOrTag,
    providers::{Provider, ProviderBuilder, ext::AnvilApi},
    rpc::types::anvil::{ReorgOptions, TransactionData},
};
use ccip_deploy::DEFAULT_NETWORK_FILE;
use clap::{Args, Subcommand};
use eyre::{Context, Result};

use crate::{control, target_network};

#[derive(Debug, Subcommand)]
pub(crate) enum ChainCommand {
    /// Stop a chain (SIGTERM: its state is saved); it stays down until `chain restart`. The
    /// networks see the outage; messages to and from it wait.
    Kill(ChainArgs),
    /// Start a stopped chain again from its saved state; the networks catch up.
    Restart(ChainArgs),
    /// Reorganise a chain: replace its last DEPTH blocks by new ones holding the same
    /// transactions (new hashes and timestamps). Within the networks' `--confirmations` nothing happens; deeper, the
    /// risk network curses every lane from the chain and `ccip lane reset` recovers them.
    Reorg(ReorgArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ReorgArgs {
    /// The chain's name (`alpha`, `beta`, ...).
    name: String,
    /// How many blocks to replace.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    depth: u64,
    /// The network file.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    network: PathBuf,
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
        ChainCommand::Reorg(args) => return reorg(args).await,
    };
    let network = target_network::read(&args.network)?;
    target_network::chain(&network, &args.network, &args.name)?;
    let url = target_network::control_url(
        &network,
        &args.network,
        "chain commands act on the chains `ccip up` started",
    )?;
    let answer = control::call(url, &format!("/chain/{action}/{}", args.name)).await?;
    println!("{}", answer.trim());
    Ok(())
}

async fn reorg(args: &ReorgArgs) -> Result<()> {
    let network = target_network::read(&args.network)?;
    let chain = target_network::chain(&network, &args.network, &args.name)?;
    let provider = ProviderBuilder::new().connect_http(chain.rpc_url.parse()?);
    let head = provider
        .get_block_number()
        .await
        .wrap_err_with(|| format!("{}: eth_blockNumber", chain.name))?;
    if args.depth > head {
        eyre::bail!(
            "{} is only {head} blocks high: cannot replace {} blocks",
            chain.name,
            args.depth
        );
    }
    // The replacement blocks carry the same transactions (as a real reorganisation usually
    // does): hashes and timestamps change, nothing sent is lost.
    let mut pairs = Vec::new();
    for (offset, height) in (head + 1 - args.depth..=head).enumerate() {
        let block = provider
            .get_block_by_number(BlockNumberOrTag::Number(height))
            .await?
            .ok_or_else(|| eyre::eyre!("{}: block {height} missing", chain.name))?;
        for hash in block.transactions.hashes() {
            let raw = provider
                .get_raw_transaction_by_hash(hash)
                .await?
                .ok_or_else(|| eyre::eyre!("{}: transaction {hash} missing", chain.name))?;
            pairs.push((TransactionData::Raw(raw), offset as u64));
        }
    }
    let moved = pairs.len();
    provider
        .anvil_reorg(ReorgOptions {
            depth: args.depth,
            tx_block_pairs: pairs,
        })
        .await
        .wrap_err_with(|| format!("{}: anvil_reorg (an anvil chain is needed)", chain.name))?;
    println!(
        "{}: the last {} blocks (up to {head}) replaced by new ones holding the same {moved} transactions.",
        chain.name, args.depth
    );
    println!(
        "Within the networks' --confirmations (0 by default) nothing happens. Deeper, the risk network curses every lane from {} (ccip_lane_cursed, `ccip status`); recover each with `ccip lane reset --chain DEST --remote {}`.",
        chain.name, chain.name
    );
    Ok(())
}
