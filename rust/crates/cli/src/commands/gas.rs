//! `ccip gas NAME --base-fee GWEI`: a gas price spike on one chain (the next block's base fee), to
//! see that messages whose fee was paid at the old price still execute.

use std::path::PathBuf;

use alloy::providers::{Provider, ProviderBuilder, ext::AnvilApi};
use ccip_deploy::DEFAULT_NETWORK_FILE;
use clap::Args;
use eyre::{Context, Result};

use crate::target_network;

/// Wei per gwei.
const GWEI: u128 = 1_000_000_000;

#[derive(Debug, Args)]
pub(crate) struct GasArgs {
    /// The chain's name.
    name: String,
    /// The next block's base fee, in gwei (it then falls back block by block, as EIP-1559 does).
    #[arg(long, value_name = "GWEI", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    base_fee: u64,
    /// The network file.
    #[arg(long, default_value = DEFAULT_NETWORK_FILE)]
    network: PathBuf,
}

pub(crate) async fn gas(args: GasArgs) -> Result<()> {
    let network = target_network::read(&args.network)?;
    let chain = target_network::chain(&network, &args.network, &args.name)?;
    let provider = ProviderBuilder::new().connect_http(chain.rpc_url.parse()?);
    let wei = u128::from(args.base_fee) * GWEI;
    provider
        .anvil_set_next_block_base_fee_per_gas(wei)
        .await
        .wrap_err_with(|| {
            format!(
                "{}: anvil_setNextBlockBaseFeePerGas (an anvil chain is needed)",
                chain.name
            )
        })?;
    provider
        .anvil_mine(Some(1), None)
        .await
        .wrap_err_with(|| format!("{}: evm_mine", chain.name))?;
    let price = provider.get_gas_price().await?;
    println!(
        "{}: base fee set to {} gwei (gas price now {} gwei); it falls back by up to 12.5 % per block. Fees already paid stand: watch those messages execute with `ccip status`.",
        chain.name,
        args.base_fee,
        price / GWEI
    );
    Ok(())
}
