//! `ccip rpc NAME --delay MS | --drop PCT | --http-500 | --blackhole SECS | --heal`: degrade what
//! the networks of a running `ccip up` see of one chain's RPC (its fault proxy), or heal it.

use std::path::PathBuf;

use ccip_deploy::DEFAULT_NETWORK_FILE;
use clap::{ArgGroup, Args};
use eyre::Result;

use crate::{control, target_network};

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("fault").required(true).args(["delay", "drop", "http_500", "blackhole", "heal"])))]
pub(crate) struct RpcArgs {
    /// The chain's name.
    name: String,
    /// Answer every request this many milliseconds late.
    #[arg(long, value_name = "MS")]
    delay: Option<u64>,
    /// Close this percentage of connections without an answer.
    #[arg(long, value_name = "PCT", value_parser = clap::value_parser!(u8).range(0..=100))]
    drop: Option<u8>,
    /// Answer every request with HTTP 500.
    #[arg(long)]
    http_500: bool,
    /// Accept and never answer, for this many seconds.
    #[arg(long, value_name = "SECS")]
    blackhole: Option<u64>,
    /// Forward everything again.
    #[arg(long)]
    heal: bool,
    /// The network file of the running `ccip up`.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    network: PathBuf,
}

pub(crate) async fn rpc(args: RpcArgs) -> Result<()> {
    let network = target_network::read(&args.network)?;
    target_network::chain(&network, &args.network, &args.name)?;
    let url = target_network::control_url(
        &network,
        &args.network,
        "rpc faults act between `ccip up`'s networks and its chains",
    )?;
    let fault = match (&args.delay, &args.drop, &args.blackhole) {
        (Some(ms), _, _) => format!("delay/{ms}"),
        (_, Some(pct), _) => format!("drop/{pct}"),
        (_, _, Some(secs)) => format!("blackhole/{secs}"),
        _ if args.http_500 => "http500".to_owned(),
        _ => "heal".to_owned(),
    };
    let answer = control::call(url, &format!("/rpc/{}/{fault}", args.name)).await?;
    println!("{}", answer.trim());
    Ok(())
}
